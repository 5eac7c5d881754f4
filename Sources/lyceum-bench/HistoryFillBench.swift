import ArgumentParser
import LyceumCore
import LyceumProtocol
import LyceumStore

/// `lyceum-bench history-fill`: prepares a data directory for `history-query`, a registered room
/// `#bench` with a large history that a `lyceumd` started on that directory restores and serves.
struct HistoryFillBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history-fill",
    abstract: "Fills a lyceumd data directory with a registered room #bench of --rows entries.",
    discussion: """
      Writes into <dir>/lyceum.sqlite, the database lyceumd opens with --data-dir <dir>: #bench \
      gets --rows entries (as history-store fills it: about 80-byte PRIVMSG lines, 2% joins and \
      parts, times about 200 ms apart ending now) plus 5% as many in six other targets, \
      through GroupCommitWriter; then #bench is saved as a registered room (owner account \
      "bench", modes +nt, no key) so that lyceumd restores it at start-up with all its history \
      readable by whoever joins. The directory must hold no history yet (the new msgids would \
      sort before the old ones), and lyceumd must not be running on it. Release builds only.
      """)

  @Option(
    name: .customLong("data-dir"),
    help: ArgumentHelp("The data directory lyceumd will be started with.", valueName: "dir"))
  var dataDirectory: String

  @Option(help: "Entries in #bench.")
  var rows = 1_000_000

  @Option(help: "Entries submitted and not yet committed, at most.")
  var inFlight = 20_000

  @Option(help: "Seed of the random data.")
  var seed: UInt64 = 1

  func validate() throws {
    guard rows > 0, inFlight > 0 else {
      throw ValidationError("--rows and --in-flight must be positive")
    }
  }

  @OptionGroup var target: BenchStore

  func run() throws {
    warnIfDebugBuild()
    let directory = try DataDirectory(given: dataDirectory, scenario: "history-fill")
    let opened = try target.open(in: directory)
    let store = opened.history
    if let newest = try store.newestMsgid() {
      throw BenchError(
        "\(opened.location) already holds history (newest msgid \(newest)); use a fresh store")
    }
    let cpuStart = CPUTime.ofThisProcess()
    var factory = EntryFactory(seed: seed)
    let fill = try HistoryFill.run(
      store: store, rows: rows, inFlight: inFlight, factory: &factory)
    let cpu = CPUTime.ofThisProcess() - cpuStart
    if fill.errors > 0 { throw BenchError("\(fill.errors) groups failed to commit") }
    try opened.rooms.save(Self.room(createdAt: fill.firstTime))
    try opened.finish()

    let rate = Double(fill.entries) / fill.elapsed.seconds
    let megabytes = Double(opened.bytes()) / 1_048_576
    let spanHours = Double(fill.lastTime - fill.firstTime) / 3_600_000
    print(
      "history-fill: \(grouped(rows)) entries in #bench (a registered room) in \(opened.location)")
    var table = Table("fill", "entries", "seconds", "entries/s", "CPU s", "database MiB")
    table.add(
      "GroupCommitWriter → \(target.isPostgreSQL ? "PostgreSQL" : "SQLite")", grouped(fill.entries),
      fixed(fill.elapsed.seconds, 2),
      grouped(Int(rate)), fixed(cpu.total, 2), fixed(megabytes))
    print(table.render())
    print(
      "#bench msgids \(fill.messageIDs.first ?? "-") … \(fill.messageIDs.last ?? "-"), "
        + "times \(ServerTime.format(milliseconds: fill.firstTime)) … "
        + "\(ServerTime.format(milliseconds: fill.lastTime)) (\(fixed(spanHours)) h)")

    var result = ResultLine("history-fill")
    result.add("store", target.isPostgreSQL ? "postgresql" : "sqlite")
    result.add("rows", rows)
    result.add("entries_total", fill.entries)
    result.add("fill_s", fill.elapsed.seconds, decimals: 2)
    result.add("fill_rows_per_s", Int(rate))
    result.add("first_ms", Int(fill.firstTime))
    result.add("last_ms", Int(fill.lastTime))
    result.add("cpu_s", cpu.total, decimals: 2)
    result.add("db_mib", megabytes)
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }

  /// `#bench` as a registered room anyone may join: the default modes (`+nt`), no key, no
  /// limit, no bans. Registered, it outlives its members and its whole history stays readable
  /// (an unregistered channel hides what was said before its creation).
  static func room(createdAt milliseconds: Int64) -> RoomRecord {
    let name = HistoryFill.target.key
    return RoomRecord(
      name: name, foldedName: CaseMapping.rfc1459.fold(name), owner: "bench",
      createdAtMilliseconds: milliseconds)
  }
}
