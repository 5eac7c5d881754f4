import ArgumentParser
import Dispatch
import Foundation
import LyceumCore
import LyceumStore

/// `lyceum-bench history-store`: fills one channel with many entries through the group-commit
/// writer, then times `CHATHISTORY`-equivalent store queries on it.
struct HistoryStoreBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history-store",
    abstract: "Fill rate of the history store and CHATHISTORY query latency on a large channel.",
    discussion: """
      Fills #bench with --rows entries (about 80-byte PRIVMSG lines, 2% joins and parts, \
      increasing times, msgids from MessageIDGenerator) plus 5% as many in six other targets, \
      submitting one entry at a time through GroupCommitWriter into SQLiteHistoryStore. Then \
      runs each of LATEST *, BEFORE msgid, BEFORE timestamp, AFTER msgid and AROUND msgid \
      (limit 100) --queries times with random references, one at a time. Release builds only.
      """)

  @Option(help: "Entries in the measured channel.")
  var rows = 1_000_000

  @OptionGroup var dataDirectory: DataDirectoryOptions

  @Option(help: "Queries of each kind.")
  var queries = 2000

  @Option(help: "Entries asked per query.")
  var limit = 100

  @Flag(help: "Queries leave out events, as for clients without draft/event-playback.")
  var messagesOnly = false

  @Option(help: "Entries submitted and not yet committed, at most.")
  var inFlight = 20_000

  @Option(help: "Seed of the random data and references.")
  var seed: UInt64 = 1

  func validate() throws {
    guard rows > 0, queries > 0, limit > 0, inFlight > 0 else {
      throw ValidationError("--rows, --queries, --limit and --in-flight must be positive")
    }
  }

  func run() throws {
    warnIfDebugBuild()
    let directory = try dataDirectory.directory(for: "history")
    defer { directory.cleanUp(keep: dataDirectory.keep) }
    let database = try LyceumDatabase.inDataDirectory(directory.path)
    let store = SQLiteHistoryStore(database: database)
    let cpuStart = CPUTime.ofThisProcess()

    var factory = EntryFactory(seed: seed)
    let fill = try HistoryFill.run(
      store: store, rows: rows, inFlight: inFlight, factory: &factory)
    let cpuAfterFill = CPUTime.ofThisProcess()
    let fillCPU = cpuAfterFill - cpuStart
    let fillRate = Double(fill.entries) / fill.elapsed.seconds

    print("history-store: \(grouped(rows)) entries in #bench, data in \(directory.path)")
    var fillTable = Table(
      "fill", "entries", "seconds", "entries/s", "groups", "mean group", "CPU s")
    fillTable.add(
      "GroupCommitWriter → SQLite", grouped(fill.entries), fixed(fill.elapsed.seconds, 2),
      grouped(Int(fillRate)), grouped(fill.counts.groups),
      fixed(Double(fill.counts.entries) / Double(max(1, fill.counts.groups))),
      fixed(fillCPU.total, 2))
    print(fillTable.render())
    if fill.errors > 0 { print("WARNING: \(fill.errors) groups failed to commit") }
    print("database: \(fixed(Double(directory.databaseBytes()) / 1_048_576)) MiB")
    print()

    let kinds = QueryKind.all
    var results: [(QueryKind, LatencySummary, Double)] = []
    for kind in kinds {
      let (summary, rowsPerQuery) = try measure(kind, fill: fill, store: store, factory: &factory)
      results.append((kind, summary, rowsPerQuery))
    }
    let queryCPU = CPUTime.ofThisProcess() - cpuAfterFill

    var table = Table(
      "query (one target, \(grouped(rows)) entries)", "n", "p50 µs", "p99 µs", "max µs", "rows")
    for (kind, summary, rowsPerQuery) in results {
      table.add(
        [kind.label(limit: limit), grouped(summary.count)] + latencyCells(summary)
          + [fixed(rowsPerQuery)])
    }
    print(table.render())
    let total = CPUTime.ofThisProcess() - cpuStart
    print(
      "CPU: fill \(fixed(fillCPU.total, 2)) s, queries \(fixed(queryCPU.total, 2)) s, "
        + "total \(fixed(total.total, 2)) s (user \(fixed(total.user, 2)), "
        + "system \(fixed(total.system, 2))); peak RSS \(fixed(CPUTime.peakResidentMiB())) MiB")

    var result = ResultLine("history-store")
    result.add("rows", rows)
    result.add("entries_total", fill.entries)
    result.add("fill_rows_per_s", Int(fillRate))
    result.add("fill_s", fill.elapsed.seconds, decimals: 2)
    result.add("mean_group", Double(fill.counts.entries) / Double(max(1, fill.counts.groups)))
    for (kind, summary, _) in results { result.add(kind.key, summary) }
    result.add("fill_cpu_s", fillCPU.total, decimals: 2)
    result.add("query_cpu_s", queryCPU.total, decimals: 2)
    result.add("cpu_s", total.total, decimals: 2)
    result.add("db_mib", Double(directory.databaseBytes()) / 1_048_576)
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }

  /// Runs `kind` `queries` times (after a short warm-up) with random references; returns the
  /// latency summary and the mean number of entries returned.
  private func measure(
    _ kind: QueryKind, fill: HistoryFill, store: SQLiteHistoryStore,
    factory: inout EntryFactory
  ) throws -> (LatencySummary, Double) {
    let warmUp = min(100, queries / 10)
    var samples = LatencySamples()
    var returned = 0
    for index in 0..<(warmUp + queries) {
      let query = kind.query(
        limit: limit, messagesOnly: messagesOnly, fill: fill, factory: &factory)
      let start = ContinuousClock.now
      let entries = try store.entries(query)
      if index >= warmUp {
        samples.append(since: start)
        returned += entries.count
      }
    }
    return (samples.summary(), Double(returned) / Double(queries))
  }
}

/// One kind of `CHATHISTORY` selection with a random reference into the filled channel.
enum QueryKind {
  case latest
  case beforeMsgid
  case beforeTimestamp
  case afterMsgid
  case aroundMsgid

  static let all: [QueryKind] = [
    .latest, .beforeMsgid, .beforeTimestamp, .afterMsgid, .aroundMsgid,
  ]

  func label(limit: Int) -> String {
    switch self {
    case .latest: "LATEST * \(limit)"
    case .beforeMsgid: "BEFORE msgid=<random> \(limit)"
    case .beforeTimestamp: "BEFORE timestamp=<random> \(limit)"
    case .afterMsgid: "AFTER msgid=<random> \(limit)"
    case .aroundMsgid: "AROUND msgid=<random> \(limit)"
    }
  }

  /// The prefix of its keys on the `RESULT` line.
  var key: String {
    switch self {
    case .latest: "latest"
    case .beforeMsgid: "before_msgid"
    case .beforeTimestamp: "before_ts"
    case .afterMsgid: "after_msgid"
    case .aroundMsgid: "around_msgid"
    }
  }

  func query(
    limit: Int, messagesOnly: Bool, fill: HistoryFill, factory: inout EntryFactory
  ) -> HistoryQuery {
    let selector: HistoryQuery.Selector
    switch self {
    case .latest:
      selector = .latest(after: nil)
    case .beforeMsgid:
      selector = .before(.msgid(fill.randomMsgid(&factory)))
    case .beforeTimestamp:
      selector = .before(.timestamp(factory.int64(in: fill.firstTime...fill.lastTime)))
    case .afterMsgid:
      selector = .after(.msgid(fill.randomMsgid(&factory)))
    case .aroundMsgid:
      selector = .around(.msgid(fill.randomMsgid(&factory)))
    }
    return HistoryQuery(
      target: HistoryFill.target, selector: selector, limit: limit, messagesOnly: messagesOnly)
  }
}
