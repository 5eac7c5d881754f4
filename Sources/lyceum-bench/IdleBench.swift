import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// `lyceum-bench idle`: the server's memory per idle registered connection.
struct IdleBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "idle",
    abstract: "Server memory per idle registered client (needs --server-pid).",
    discussion: """
      Reads the server's VmRSS/VmHWM (/proc/<pid>/status), registers --clients idle clients \
      at once, holds them for --hold seconds answering PINGs, reads the memory again and \
      reports (after - before) / clients. Works against any IRC server. Loopback only.
      """)

  @OptionGroup var target: LoadTarget

  @Option(help: "Clients.")
  var clients = 2000

  @Option(help: "Seconds to hold the registered clients before measuring again.")
  var hold = 10.0

  @Option(help: "PID of the server (Linux /proc).")
  var serverPid: Int32?

  func validate() throws {
    guard clients > 0, hold >= 0 else { throw ValidationError("--clients must be positive") }
  }

  func run() throws {
    warnIfDebugBuild()
    let before = serverPid.flatMap(ProcessMemory.of)
    let config = LoadConfig(
      mode: .idle, clients: clients, nickPrefix: nickPrefix(), password: target.password)
    let run = try LoadRun(target: target, config: config)
    run.start()
    defer { run.stop() }
    try run.waitForRegistrations(timeout: target.timeout)
    let registered = serverPid.flatMap(ProcessMemory.of)
    let holdStart = monotonicNanoseconds()
    let benchBefore = CPUTime.ofThisProcess()
    let serverCPUBefore = serverPid.flatMap(CPUTime.ofProcess)
    while monotonicNanoseconds() - holdStart < UInt64(hold * 1e9) { usleep(10_000) }
    let after = serverPid.flatMap(ProcessMemory.of)
    let benchCPU = CPUTime.ofThisProcess() - benchBefore
    let serverCPU = serverCPUBefore.flatMap { b in
      serverPid.flatMap(CPUTime.ofProcess).map { $0 - b }
    }
    let dropped = run.shared.dropped.load(ordering: .relaxed)

    print("idle: \(clients) clients on \(target.label), held \(fixed(hold, 0)) s")
    var table = Table("", "VmRSS MiB", "VmHWM MiB")
    for (label, memory) in [("before", before), ("registered", registered), ("after hold", after)] {
      table.add(
        label, memory.map { fixed(Double($0.residentKiB) / 1024, 1) } ?? "-",
        memory.map { fixed(Double($0.peakResidentKiB) / 1024, 1) } ?? "-")
    }
    print(table.render())
    var result = ResultLine("idle")
    result.add("clients", clients)
    result.add("tls", target.tls ? "1" : "0")
    result.add("hold_s", hold, decimals: 0)
    if let before, let after {
      let perClient = Double(after.residentKiB - before.residentKiB) * 1024 / Double(clients)
      print("per client: \(grouped(Int(perClient))) bytes of VmRSS (after hold - before) / clients")
      result.add("server_rss_before_kib", before.residentKiB)
      if let registered { result.add("server_rss_registered_kib", registered.residentKiB) }
      result.add("server_rss_after_kib", after.residentKiB)
      result.add("server_vmhwm_kib", after.peakResidentKiB)
      result.add("bytes_per_client", Int(perClient))
    } else {
      print("(no --server-pid, or no /proc: no memory figures)")
    }
    print(
      "dropped by the server during the hold: \(dropped); bench CPU during hold \(fixed(benchCPU.total, 2)) s"
    )
    result.add("dropped", dropped)
    result.add("bench_cpu_hold_s", benchCPU.total, decimals: 2)
    if let serverCPU { result.add("server_cpu_hold_s", serverCPU.total, decimals: 2) }
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }
}
