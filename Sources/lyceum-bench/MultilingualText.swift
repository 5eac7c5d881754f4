/// Chat lines in several languages for `search-store`: English, German and French (with
/// diacritics), Spanish, Chinese and Japanese (no spaces between words), Korean and Russian.
/// Each line is a few phrases of one language, so a query in one language finds that
/// language's rooms.
enum MultilingualText {
  static let phrases: [[String]] = [
    [
      "the proof of the lemma", "we should check the index bound", "slides are in the folder",
      "reviewer two wants more experiments", "the dataset is ready", "decision: we submit",
      "seminar moved to tomorrow", "compile again with optimisations",
    ],
    [
      "die Entscheidung fällt morgen", "wir prüfen den Beweis", "das Seminar beginnt später",
      "Daten für die Übung", "Gutachter möchte mehr Experimente", "größere Stichprobe",
    ],
    [
      "la décision est prise", "réunion du séminaire demain", "le théorème est démontré",
      "les données sont prêtes", "café après la conférence", "élève en première année",
    ],
    [
      "la reunión es mañana", "revisamos la demostración", "los datos están listos",
      "el seminario empieza tarde", "decisión tomada por el comité",
    ],
    ["会议改到明天", "我们决定提交论文", "数据已经准备好了", "请检查证明的第三页", "研讨会在图书馆举行"],
    ["会議は明日です", "論文を提出することに決めました", "データの準備ができました", "セミナーは図書館で行います"],
    ["회의는 내일입니다", "논문을 제출하기로 결정했습니다", "데이터가 준비되었습니다", "세미나는 도서관에서 합니다"],
    [
      "решение принято", "семинар перенесён на завтра", "данные готовы", "проверьте доказательство",
    ],
  ]

  /// The queries measured, in the `text` syntax of `SEARCH`: rare and common words, accents
  /// typed and left out, phrases, prefixes, exclusions, and words inside unspaced scripts.
  static let queries: [String] = [
    "decision", "lemma", "\"dataset is ready\"", "experim*", "seminar -tomorrow",
    "Entscheidung", "prufen", "decision prise", "seminaire", "reunion", "会议", "决定",
    "論文", "회의", "решение", "the",
  ]

  /// A line of 2–3 phrases of language `language`.
  static func line(language: Int, _ random: inout SplitMix64) -> String {
    let pool = phrases[language % phrases.count]
    let count = Int.random(in: 2...3, using: &random)
    let separator = language == 4 || language == 5 ? "，" : ", "
    return (0..<count).map { _ in pool[Int.random(in: 0..<pool.count, using: &random)] }
      .joined(separator: separator)
  }
}
