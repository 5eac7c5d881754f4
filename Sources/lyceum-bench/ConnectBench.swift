import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// `lyceum-bench connect`: N connections and registrations at once.
struct ConnectBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "connect",
    abstract: "Registrations per second: N clients connect (TLS) and register at once.",
    discussion: """
      --clients connections are opened at once from a few event-loop threads; each completes \
      TCP (and the TLS handshake with --tls), sends NICK/USER and waits for 001. Reports the \
      time until all are registered, registrations/s, and connect-to-001 latency. Works \
      against any IRC server. Loopback only.
      """)

  @OptionGroup var target: LoadTarget

  @Option(help: "Clients.")
  var clients = 1000

  @Option(help: "PID of the server, to report its CPU time and memory (Linux /proc).")
  var serverPid: Int32?

  func validate() throws {
    guard clients > 0 else { throw ValidationError("--clients must be positive") }
  }

  func run() throws {
    warnIfDebugBuild()
    let config = LoadConfig(
      mode: .connect, clients: clients, nickPrefix: nickPrefix(), password: target.password)
    let run = try LoadRun(target: target, config: config)
    let serverBefore = serverPid.flatMap(CPUTime.ofProcess)
    let benchBefore = CPUTime.ofThisProcess()
    run.start()
    defer { run.stop() }
    try run.waitForRegistrations(timeout: target.timeout)
    let lastNs = run.handlers.map(\.lastRegisteredNs).max() ?? run.startNs
    let elapsed = Double(lastNs &- run.startNs) / 1e9
    let benchCPU = CPUTime.ofThisProcess() - benchBefore
    let busiest = busiestThread(before: [:], after: threadCPUTimes())
    let serverCPU = serverBefore.flatMap { before in
      serverPid.flatMap(CPUTime.ofProcess).map { $0 - before }
    }
    var histogram = LatencyHistogram()
    for handler in run.handlers { histogram.merge(handler.registration) }
    let rate = Double(clients) / elapsed

    print("connect: \(clients) clients on \(target.label), \(run.loops.count) threads")
    var table = Table(
      "clients", "all registered s", "registrations/s", "p50 ms", "p99 ms", "max ms", "bench CPU s",
      "server CPU s")
    table.add(
      String(clients), fixed(elapsed, 3), grouped(Int(rate)),
      fixed(histogram.percentile(50) / 1000, 1),
      fixed(histogram.percentile(99) / 1000, 1), fixed(Double(histogram.maximum) / 1000, 1),
      fixed(benchCPU.total, 2), serverCPU.map { fixed($0.total, 2) } ?? "-")
    print(table.render())
    print(
      "latency: from connect() to 001, per client; busiest bench thread \(fixed(busiest, 2)) CPU s")

    var result = ResultLine("connect")
    result.add("clients", clients)
    result.add("tls", target.tls ? "1" : "0")
    result.add("all_registered_s", elapsed, decimals: 3)
    result.add("registrations_per_s", Int(rate))
    result.add("register_p50_us", histogram.percentile(50), decimals: 0)
    result.add("register_p99_us", histogram.percentile(99), decimals: 0)
    result.add("register_max_us", histogram.maximum)
    result.add("bench_cpu_s", benchCPU.total, decimals: 2)
    result.add("bench_busiest_thread_cpu_s", busiest, decimals: 2)
    if let serverCPU {
      result.add("server_cpu_s", serverCPU.total, decimals: 2)
      result.add("server_us_per_connection", serverCPU.total * 1e6 / Double(clients), decimals: 0)
    }
    if let pid = serverPid, let memory = ProcessMemory.of(pid) {
      result.add("server_vmhwm_kib", memory.peakResidentKiB)
    }
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }
}

/// "l" plus two base-36 digits of the pid: nicknames stay within 9 characters up to 46 656
/// clients, and two runs at once rarely collide.
func nickPrefix() -> String {
  let tag = String(Int(getpid()) % 1296, radix: 36)
  return "l" + String(repeating: "0", count: 2 - tag.count) + tag + "x"
}
