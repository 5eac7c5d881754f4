import ArgumentParser
import LyceumCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `lyceum-bench history-query`: `CHATHISTORY` latency through a running lyceumd, on the room
/// `history-fill` prepared — the store's query time plus everything the server and the wire add.
struct HistoryQueryBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history-query",
    abstract: "CHATHISTORY LATEST and BEFORE latency through a running lyceumd.",
    discussion: """
      One client registers with CAP batch server-time message-tags draft/chathistory, joins \
      #bench (filled by history-fill; no replay on join for such a client) and asks for the \
      room's oldest and newest message. Then, one request at a time, it sends --queries \
      CHATHISTORY LATEST #bench * <limit>, then --queries CHATHISTORY BEFORE #bench \
      timestamp=<random time between the oldest and newest> <limit>, each timed from the send \
      to the line that closes its chathistory batch. Every LATEST answer must hold <limit> \
      messages. --pause waits between an answer and the next request: lyceumd's I/O loops \
      drain their output at most every 20 ms, so an answer ready less than 20 ms after the \
      loop's previous drain waits for the rest of that interval. Back to back (the default) \
      every answer waits so; with --pause 25 each is the first write after a quiet spell. \
      Start lyceumd with the history flood bucket raised (bench/history-query.yaml): \
      by default CHATHISTORY runs at 10/s after a burst of 50. --server-pid adds the server's \
      CPU time (Linux). Release builds only.
      """)

  @OptionGroup var server: ServerAddress

  @Option(help: "Measured requests of each kind.")
  var queries = 1000

  @Option(help: "Messages asked per request.")
  var limit = 100

  @Option(help: "Requests of each kind before measuring, not counted.")
  var warmUp = 50

  @Option(
    help: ArgumentHelp(
      "Milliseconds to wait after each answer before the next request.", valueName: "ms"))
  var pause = 0

  @Option(help: "Seed of the random BEFORE times.")
  var seed: UInt64 = 1

  @Option(help: "PID of the lyceumd under test, to report its CPU time (Linux /proc).")
  var serverPid: Int32?

  func validate() throws {
    guard queries > 0, limit > 0, warmUp >= 0, pause >= 0 else {
      throw ValidationError(
        "--queries and --limit must be positive, --warm-up and --pause not negative")
    }
  }

  func run() throws {
    warnIfDebugBuild()
    signal(SIGPIPE, SIG_IGN)
    let channel = HistoryFill.target.key
    let client = try HistoryClient(
      host: server.host, port: server.resolvedPort, tls: server.tls,
      nick: "hq\(getpid() % 100_000)")
    defer { client.quit() }
    try client.register(password: server.password)
    try client.join(channel)
    let span = try timeSpan(of: channel, client)
    var random = SplitMix64(seed: seed)
    let latest = "LATEST \(channel) * \(limit)"
    func before() -> String {
      let time = Int64.random(in: span, using: &random)
      return "BEFORE \(channel) timestamp=\(ServerTime.format(milliseconds: time)) \(limit)"
    }

    for _ in 0..<warmUp {
      _ = try client.chatHistory(latest)
      rest()
      _ = try client.chatHistory(before())
      rest()
    }
    let serverStart = serverPid.flatMap(CPUTime.ofProcess)
    let benchStart = CPUTime.ofThisProcess()
    let start = ContinuousClock.now
    let latestRun = try measure(client, latest) { answer in
      guard answer.messages == limit else {
        throw BenchError(
          "LATEST answered \(answer.messages) messages, not \(limit): is #bench filled, and "
            + "is --limit within the server's CHATHISTORY= (history.max-messages)?")
      }
    }
    let beforeRun = try measure(client, before()) { _ in }
    let elapsed = ContinuousClock.now - start
    let benchCPU = CPUTime.ofThisProcess() - benchStart
    let serverCPU = serverStart.flatMap { first in
      serverPid.flatMap(CPUTime.ofProcess).map { $0 - first }
    }

    let hours = Double(span.upperBound - span.lowerBound) / 3_600_000
    print(
      "history-query: \(server.label), \(channel) spanning \(fixed(hours)) h "
        + "(\(ServerTime.format(milliseconds: span.lowerBound)) … "
        + "\(ServerTime.format(milliseconds: span.upperBound))), one request at a time, "
        + "\(pause) ms between an answer and the next request")
    var table = Table(
      "request", "n", "p50 µs", "p99 µs", "p99.9 µs", "max µs", "messages")
    for (label, measured) in [
      ("LATEST * \(limit)", latestRun), ("BEFORE timestamp=<random> \(limit)", beforeRun),
    ] {
      let histogram = measured.histogram
      table.add(
        label, grouped(histogram.total), fixed(histogram.percentile(50), 0),
        fixed(histogram.percentile(99), 0), fixed(histogram.percentile(99.9), 0),
        grouped(histogram.maximum), fixed(measured.meanMessages))
    }
    print(table.render())
    let requests = Double(2 * queries)
    let serverText = serverCPU.map { cpu in
      "\(fixed(cpu.total, 2)) s (\(fixed(cpu.total / requests * 1e6)) µs a request)"
    }
    print(
      "latency: send → BATCH -id; \(fixed(elapsed.seconds, 2)) s; CPU bench "
        + "\(fixed(benchCPU.total, 2)) s, server \(serverText ?? "-")")

    var result = ResultLine("history-query")
    for (key, measured) in [("latest", latestRun), ("before", beforeRun)] {
      let histogram = measured.histogram
      result.add("\(key)_p50_us", histogram.percentile(50), decimals: 0)
      result.add("\(key)_p99_us", histogram.percentile(99), decimals: 0)
      result.add("\(key)_p999_us", histogram.percentile(99.9), decimals: 0)
      result.add("\(key)_max_us", histogram.maximum)
      result.add("\(key)_messages", measured.meanMessages)
    }
    result.add("queries", queries)
    result.add("limit", limit)
    result.add("pause_ms", pause)
    result.add("tls", server.tls ? "1" : "0")
    result.add("span_h", hours)
    result.add("seconds", elapsed.seconds, decimals: 2)
    result.add("bench_cpu_s", benchCPU.total, decimals: 2)
    if let serverCPU {
      result.add("server_cpu_s", serverCPU.total, decimals: 2)
      result.add("server_cpu_us_per_request", serverCPU.total / requests * 1e6)
    }
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }

  /// The latencies of one kind of request and the mean number of messages answered.
  private struct Run {
    var histogram = LatencyHistogram()
    var meanMessages = 0.0
  }

  /// Sends `queries` requests built by `arguments`, one at a time; `check` sees every answer.
  private func measure(
    _ client: HistoryClient, _ arguments: @autoclosure () -> String,
    check: (HistoryClient.Answer) throws -> Void
  ) throws -> Run {
    var outcome = Run()
    var messages = 0
    for _ in 0..<queries {
      let request = arguments()
      let start = ContinuousClock.now
      let answer = try client.chatHistory(request)
      outcome.histogram.record(Int((ContinuousClock.now - start).microseconds))
      try check(answer)
      messages += answer.messages
      rest()
    }
    outcome.meanMessages = Double(messages) / Double(queries)
    return outcome
  }

  /// Waits `--pause` milliseconds, if any.
  private func rest() {
    if pause > 0 { usleep(useconds_t(pause) * 1000) }
  }

  /// The times of the oldest and the newest message of `channel`, asked of the server.
  private func timeSpan(of channel: String, _ client: HistoryClient) throws
    -> ClosedRange<Int64>
  {
    let oldest = try client.chatHistory(
      "AFTER \(channel) timestamp=\(ServerTime.format(milliseconds: 0)) 1", wantTimes: true)
    let newest = try client.chatHistory("LATEST \(channel) * 1", wantTimes: true)
    guard let first = oldest.firstTime, let last = newest.lastTime, first < last else {
      throw BenchError("\(channel) has no history to read: fill it with history-fill first")
    }
    return first...last
  }
}
