import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// `lyceum-bench fanout`: one channel, many members, a few senders; deliveries/s and latency.
struct FanoutBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fanout",
    abstract: "Channel fan-out: deliveries/s, delivery latency, loss and order, server CPU.",
    discussion: """
      --clients clients register at once (waiting for every 001), then all JOIN --channel \
      (waiting for every 366), then clients 0..<--senders send PRIVMSGs carrying sender, \
      sequence number and a monotonic send time, at --rate messages/s over all senders (0: \
      as fast as the server takes them). A sender has at most --window messages not yet \
      seen by its designated receiver (the last client, or the next sender when all send): \
      no echo-message needed. Every other member checks sequence numbers per sender (lost, \
      reordered) and measures latency. After --seconds the senders stop and the run waits \
      up to 10 s for the remaining deliveries. Works against any IRC server whose flood \
      control lets the senders through. Loopback only.
      """)

  @OptionGroup var target: LoadTarget

  @Option(help: "Clients (channel members).")
  var clients = 200

  @Option(help: "Senders among the clients.")
  var senders = 10

  @Option(help: "Messages per second over all senders; 0 = as fast as the window allows.")
  var rate = 0.0

  @Option(help: "Seconds of sending.")
  var seconds = 10.0

  @Option(help: "The channel.")
  var channel = "#bench"

  @Option(help: "Unacknowledged messages per sender at most.")
  var window = 64

  @Option(
    name: .customLong("server-pid"),
    help:
      "PID of the server, for its CPU time and VmHWM (Linux /proc); repeat it for each node of a network: the figures are their sums."
  )
  var serverPids: [Int32] = []

  func validate() throws {
    guard clients >= 2, senders >= 1, senders <= clients, seconds > 0, window > 0, rate >= 0 else {
      throw ValidationError(
        "need clients >= 2, 1 <= senders <= clients, positive seconds and window")
    }
    guard channel.hasPrefix("#"), !channel.contains(" ") else {
      throw ValidationError("--channel must look like #name")
    }
  }

  func run() throws {
    warnIfDebugBuild()
    var config = LoadConfig(
      mode: .fanout, clients: clients, nickPrefix: nickPrefix(), password: target.password)
    config.channel = channel
    config.senders = senders
    config.rate = rate
    config.window = window
    let run = try LoadRun(target: target, config: config)
    let sampler = MemorySampler(pids: serverPids)
    run.start()
    defer { run.stop() }
    try run.waitForRegistrations(timeout: target.timeout)
    let registeredNs = monotonicNanoseconds()
    run.shared.set(.joining)
    try run.wait(for: "JOINs (366)", timeout: target.timeout) {
      run.shared.joined.load(ordering: .relaxed) >= clients
    }
    let joinedNs = monotonicNanoseconds()

    let serverBefore = CPUTime.ofProcesses(serverPids)
    let benchBefore = CPUTime.ofThisProcess()
    let threadsBefore = threadCPUTimes()
    let start = monotonicNanoseconds()
    run.shared.sendStartNs.store(start, ordering: .relaxed)
    run.shared.set(.sending)
    try run.wait(for: "the end of --seconds", timeout: seconds + 60) {
      monotonicNanoseconds() - start >= UInt64(seconds * 1e9)
    }
    run.shared.set(.draining)
    // Let every loop see the phase and publish its final sent count.
    usleep(20_000)
    let drainDeadline = monotonicNanoseconds() + 10_000_000_000
    while run.delivered < run.sent * (clients - 1) && monotonicNanoseconds() < drainDeadline {
      if run.shared.dropped.load(ordering: .relaxed) > 0 { break }
      usleep(1000)
    }
    let benchCPU = CPUTime.ofThisProcess() - benchBefore
    let busiest = busiestThread(before: threadsBefore, after: threadCPUTimes())
    let serverCPU = serverBefore.flatMap { b in CPUTime.ofProcesses(serverPids).map { $0 - b } }
    let memory = ProcessMemory.ofProcesses(serverPids)
    let sampled = sampler.stop()
    run.stop()

    let outcome = FanoutOutcome(run: run, config: config)
    let lastNs = run.handlers.map(\.lastDeliveryNs).max() ?? start
    let elapsed = Double(max(lastNs, start + 1) - start) / 1e9
    let perSecond = Double(outcome.delivered) / elapsed
    let latency = outcome.latency
    let errors = run.shared.errors
    for error in errors { printError("lyceum-bench: \(error)") }

    print(
      "fanout: \(clients) clients, \(senders) senders, rate \(rate == 0 ? "max (window \(window))" : fixed(rate, 0) + "/s"), "
        + "\(target.label), \(channel); registered in \(fixed(Double(registeredNs - run.startNs) / 1e9, 2)) s, "
        + "joined in \(fixed(Double(joinedNs - registeredNs) / 1e9, 2)) s")
    var table = Table(
      "sent", "sent/s", "deliveries", "deliveries/s", "p50 µs", "p99 µs", "p99.9 µs", "max µs",
      "lost",
      "reordered", "bench CPU s", "server CPU s", "server µs/delivery")
    let serverPerDelivery = serverCPU.map { $0.total * 1e6 / Double(max(outcome.delivered, 1)) }
    table.add(
      grouped(outcome.sent), grouped(Int(Double(outcome.sent) / seconds)),
      grouped(outcome.delivered),
      grouped(Int(perSecond)), fixed(latency.percentile(50), 0), fixed(latency.percentile(99), 0),
      fixed(latency.percentile(99.9), 0), grouped(latency.maximum), grouped(outcome.lost),
      grouped(outcome.reordered), fixed(benchCPU.total, 2),
      serverCPU.map { fixed($0.total, 2) } ?? "-",
      serverPerDelivery.map { fixed($0, 2) } ?? "-")
    print(table.render())
    print(
      "deliveries over \(fixed(elapsed, 2)) s (first send to last delivery); expected "
        + "\(grouped(outcome.sent * (clients - 1))) = sent × (clients - 1)"
        + "; busiest bench thread \(fixed(busiest, 2)) CPU s"
        + (memory.map { "; server VmHWM \(fixed(Double($0.peakResidentKiB) / 1024, 1)) MiB" } ?? "")
        + (sampled.map {
          "; peak anonymous \(fixed(Double($0.anonymousKiB) / 1024, 1)) MiB, mapped from files "
            + "\(fixed(Double($0.fileKiB) / 1024, 1)) MiB"
        } ?? ""))

    var result = ResultLine("fanout")
    result.add("clients", clients)
    result.add("senders", senders)
    result.add("rate", rate, decimals: 0)
    result.add("window", window)
    result.add("tls", target.tls ? "1" : "0")
    result.add("seconds", elapsed, decimals: 2)
    result.add("sent", outcome.sent)
    result.add("deliveries", outcome.delivered)
    result.add("deliveries_per_s", Int(perSecond))
    result.add("latency_p50_us", latency.percentile(50), decimals: 0)
    result.add("latency_p99_us", latency.percentile(99), decimals: 0)
    result.add("latency_p999_us", latency.percentile(99.9), decimals: 0)
    result.add("latency_max_us", latency.maximum)
    result.add("lost", outcome.lost)
    result.add("reordered", outcome.reordered)
    result.add("malformed", outcome.malformed)
    result.add("dropped", run.shared.dropped.load(ordering: .relaxed))
    result.add("bench_cpu_s", benchCPU.total, decimals: 2)
    result.add("bench_busiest_thread_cpu_s", busiest, decimals: 2)
    if let serverCPU {
      result.add("server_cpu_s", serverCPU.total, decimals: 2)
      result.add("server_us_per_delivery", serverPerDelivery ?? 0, decimals: 3)
    }
    if let memory { result.add("server_vmhwm_kib", memory.peakResidentKiB) }
    if let sampled {
      result.add("server_peak_anon_kib", sampled.anonymousKiB)
      result.add("server_peak_file_kib", sampled.fileKiB)
    }
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }
}

/// The figures of a fanout run, gathered from every loop after the threads have finished.
struct FanoutOutcome {
  var sent = 0
  var delivered = 0
  var lost = 0
  var reordered = 0
  var malformed = 0
  var latency = LatencyHistogram()

  init(run: LoadRun, config: LoadConfig) {
    var sentBy = [Int](repeating: 0, count: config.senders)
    for loop in run.loops {
      for connection in loop.connections where connection.index < config.senders {
        sentBy[connection.index] = connection.sent
      }
    }
    sent = sentBy.reduce(0, +)
    for handler in run.handlers {
      delivered += handler.delivered
      lost += handler.lost
      reordered += handler.reordered
      malformed += handler.malformed
      latency.merge(handler.latency)
      // Messages never seen at all: after the highest one received, or none at all.
      for connection in handler.loop.connections where !connection.expected.isEmpty {
        for sender in 0..<config.senders where sender != connection.index {
          lost += max(0, sentBy[sender] + 1 - Int(connection.expected[sender]))
        }
      }
    }
  }
}
