import ArgumentParser
import Dispatch
import Foundation
import LyceumCore
import LyceumStore

/// `lyceum-bench search-store`: fills a store with messages in several languages across many
/// rooms, then times `SEARCH` queries against the store (the FTS5 index and the visibility
/// checks; no server, no wire).
struct SearchStoreBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search-store",
    abstract: "SEARCH latency of the history store over a large multilingual history.",
    discussion: """
      Fills --rooms rooms with --rows PRIVMSG lines in total (each room one of eight \
      languages: English, German, French, Spanish, Chinese, Japanese, Korean, Russian; \
      200 users), one entry at a time through GroupCommitWriter into SQLiteHistoryStore, \
      which indexes them. Then runs each query of MultilingualText.queries --queries times \
      in two scopes, one at a time: "member" (the searcher reads --member-of random rooms) \
      and "in" (in= one random room), limit 50. Reports p50/p99 per scope and for all \
      queries, the mean results and how often the row or time budget stopped a search. \
      Release builds only.
      """)

  @Option(help: "Messages in all.")
  var rows = 1_000_000

  @Option(help: "Rooms the messages are spread over.")
  var rooms = 200

  @Option(help: "Rooms the searcher is a member of, for the member scope.")
  var memberOf = 20

  @Option(help: "Times each query is run in each scope.")
  var queries = 20

  @Option(help: "Results asked per search.")
  var limit = 50

  @OptionGroup var dataDirectory: DataDirectoryOptions

  @Option(help: "Seed of the random data and scopes.")
  var seed: UInt64 = 1

  @OptionGroup var target: BenchStore

  func validate() throws {
    guard rows > 0, rooms > 0, queries > 0, limit > 0, (1...rooms).contains(memberOf) else {
      throw ValidationError(
        "--rows, --rooms, --queries, --limit must be positive; --member-of within 1…--rooms")
    }
  }

  func run() throws {
    warnIfDebugBuild()
    let directory = try dataDirectory.directory(for: "search")
    defer { directory.cleanUp(keep: dataDirectory.keep) }
    let opened = try target.open(in: directory)
    let store = opened.history
    if let newest = try store.newestMsgid() {
      throw BenchError(
        "\(opened.location) already holds history (newest msgid \(newest)); use a fresh store")
    }
    var random = SplitMix64(seed: seed)
    let fillStart = ContinuousClock.now
    try fill(store, &random)
    let fillSeconds = (ContinuousClock.now - fillStart).seconds
    print(
      "search-store: \(grouped(rows)) messages in \(rooms) rooms, filled and indexed in "
        + "\(fixed(fillSeconds, 1)) s (\(grouped(Int(Double(rows) / fillSeconds))) /s), "
        + "\(target.isPostgreSQL ? "PostgreSQL" : "SQLite") \(fixed(Double(opened.bytes()) / 1_048_576)) MiB"
    )

    var table = Table("scope", "searches", "p50 µs", "p99 µs", "max µs", "results", "stopped")
    var all = LatencyHistogram()
    var result = ResultLine("search-store")
    result.add("store", target.isPostgreSQL ? "postgresql" : "sqlite")
    for scope in ["member", "in"] {
      var histogram = LatencyHistogram()
      var results = 0
      var stopped = 0
      for text in MultilingualText.queries {
        for _ in 0..<queries {
          let query = try makeQuery(text, scope: scope, &random)
          let start = ContinuousClock.now
          let found = try store.search(query)
          histogram.record(Int((ContinuousClock.now - start).microseconds))
          results += found.entries.count
          if found.budgetExhausted { stopped += 1 }
        }
      }
      all.merge(histogram)
      table.add(
        scope, grouped(histogram.total), fixed(histogram.percentile(50), 0),
        fixed(histogram.percentile(99), 0), grouped(histogram.maximum),
        fixed(Double(results) / Double(histogram.total)), grouped(stopped))
      result.add("\(scope)_p50_us", histogram.percentile(50), decimals: 0)
      result.add("\(scope)_p99_us", histogram.percentile(99), decimals: 0)
      result.add("\(scope)_stopped", stopped)
    }
    table.add(
      "all", grouped(all.total), fixed(all.percentile(50), 0), fixed(all.percentile(99), 0),
      grouped(all.maximum), "", "")
    print(table.render())
    result.add("p50_us", all.percentile(50), decimals: 0)
    result.add("p99_us", all.percentile(99), decimals: 0)
    result.add("rows", rows)
    result.add("rooms", rooms)
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }

  /// The room of index `index`, and its language (rooms take the eight languages in turn).
  private func room(_ index: Int) -> HistoryTarget { .channel("#room\(index)") }

  /// Writes `rows` messages, about 200 ms apart, ending now, through the group-commit writer.
  private func fill(_ store: any HistoryStore, _ random: inout SplitMix64) throws {
    let errors = Counter()
    let writer = GroupCommitWriter(store: store) { error in
      errors.increment()
      printError("lyceum-bench: commit failed: \(error)")
    }
    let window = DispatchSemaphore(value: 20_000)
    var ids = MessageIDGenerator()
    var time = Int64(Date().timeIntervalSince1970 * 1000) - Int64(rows) * 200
    for _ in 0..<rows {
      time += Int64.random(in: 0...400, using: &random)
      let index = Int.random(in: 0..<rooms, using: &random)
      let user = Int.random(in: 0..<200, using: &random)
      let entry = HistoryEntry(
        msgid: ids.next(wallClockMilliseconds: time), timeMilliseconds: time,
        target: room(index), command: "PRIVMSG",
        source: "user\(user)!~user\(user)@campus.example", account: "user\(user)",
        params: [room(index).key, MultilingualText.line(language: index, &random)])
      window.wait()
      writer.submit([entry]) { window.signal() }
    }
    let done = DispatchSemaphore(value: 0)
    writer.submit([]) { done.signal() }
    done.wait()
    if errors.value > 0 { throw BenchError("\(errors.value) groups failed to commit") }
  }

  private func makeQuery(_ text: String, scope: String, _ random: inout SplitMix64) throws
    -> SearchQuery
  {
    let targets: [HistoryTarget]
    if scope == "in" {
      targets = [room(Int.random(in: 0..<rooms, using: &random))]
    } else {
      var chosen = Set<Int>()
      while chosen.count < memberOf { chosen.insert(Int.random(in: 0..<rooms, using: &random)) }
      targets = chosen.sorted().map(room)
    }
    return SearchQuery(
      terms: try SearchText.parse(text), scopes: targets.map { SearchScope(target: $0, floor: 0) },
      limit: limit)
  }
}
