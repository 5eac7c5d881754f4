import ArgumentParser
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `lyceum-bench server-kept`: kept messages per second end to end, against a running lyceumd.
struct ServerKeptBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "server-kept",
    abstract: "Echoed (kept) messages per second against a running lyceumd.",
    discussion: """
      --clients connections (one thread each) register with echo-message, join one channel, \
      then each sends a PRIVMSG and waits for its own echo — sent only once the message is \
      committed to history — for --seconds. Reports echoed messages/s and echo latency. \
      Raise the server's flood limits and exempt 127.0.0.1 from the per-IP limits first (see \
      bench/README.md). --server-pid adds the server's CPU time (Linux). Release builds only.
      """)

  @OptionGroup var server: ServerAddress

  @Option(help: "Concurrent clients.")
  var clients = 20

  @Option(help: "Duration of the measurement.")
  var seconds = 10.0

  @Option(help: "The channel the clients join.")
  var channel = "#bench-kept"

  @Option(help: "PID of the lyceumd under test, to report its CPU time (Linux /proc).")
  var serverPid: Int32?

  func validate() throws {
    guard clients > 0, seconds > 0 else {
      throw ValidationError("--clients and --seconds must be positive")
    }
    guard channel.hasPrefix("#"), !channel.contains(" ") else {
      throw ValidationError("--channel must look like #name")
    }
  }

  func run() throws {
    warnIfDebugBuild()
    signal(SIGPIPE, SIG_IGN)
    let (host, port, tls) = (server.host, server.resolvedPort, server.tls)
    let session = ServerKeptRun(
      host: host, port: port, tls: tls, password: server.password, clients: clients,
      duration: .seconds(seconds), channel: channel)
    let outcome = try session.measure(serverPid: serverPid)
    let rate = Double(outcome.samples.count) / outcome.elapsed.seconds
    let latency = outcome.samples.summary()

    print(
      "server-kept: \(clients) clients on \(host):\(port) \(tls ? "TLS" : "plaintext"), "
        + "\(channel), \(fixed(outcome.elapsed.seconds, 2)) s")
    var table = Table(
      "clients", "echoed", "echoed/s", "delivered/s", "echo p50 µs", "echo p99 µs", "echo max µs",
      "bench CPU s", "server CPU s")
    table.add(
      [
        String(clients), grouped(outcome.samples.count), grouped(Int(rate)),
        grouped(Int(Double(outcome.delivered) / outcome.elapsed.seconds)),
      ] + latencyCells(latency) + [
        fixed(outcome.benchCPU.total, 2), outcome.serverCPU.map { fixed($0.total, 2) } ?? "-",
      ])
    print(table.render())
    print("delivered/s: echoes plus other clients' messages received (channel fan-out)")

    var result = ResultLine("server-kept")
    result.add("clients", clients)
    result.add("tls", tls ? "1" : "0")
    result.add("seconds", outcome.elapsed.seconds, decimals: 2)
    result.add("echoed", outcome.samples.count)
    result.add("echoed_per_s", Int(rate))
    result.add("delivered_per_s", Int(Double(outcome.delivered) / outcome.elapsed.seconds))
    result.add("echo", latency)
    result.add("bench_cpu_s", outcome.benchCPU.total, decimals: 2)
    if let serverCPU = outcome.serverCPU {
      result.add("server_cpu_s", serverCPU.total, decimals: 2)
    }
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }
}

/// One measurement of `server-kept`: register every client, open the gate, collect.
struct ServerKeptRun: Sendable {
  var host: String
  var port: Int
  var tls: Bool
  var password: String?
  var clients: Int
  var duration: Duration
  var channel: String

  struct Outcome {
    var samples: LatencySamples
    /// Every `PRIVMSG` received during the run: own echoes and other clients' messages.
    var delivered: Int
    var elapsed: Duration
    var benchCPU: CPUTime
    var serverCPU: CPUTime?
  }

  private struct Shared {
    var samples: [LatencySamples] = []
    var received = 0
    var errors: [String] = []
  }

  func measure(serverPid: Int32?) throws -> Outcome {
    let shared = Mutex(Shared())
    let deadline = Mutex(ContinuousClock.now)
    let gate = DispatchSemaphore(value: 0)
    let ready = DispatchGroup()
    let finished = DispatchGroup()
    let prefix = "k\(getpid() % 100_000)n"
    for index in 0..<clients {
      ready.enter()
      finished.enter()
      Thread { [self] in
        defer { finished.leave() }
        let client: KeptClient
        do {
          client = try KeptClient(host: host, port: port, tls: tls, nick: "\(prefix)\(index)")
          try client.register(password: password, channel: channel)
        } catch {
          shared.withLock { $0.errors.append("registration: \(error)") }
          ready.leave()
          gate.wait()
          return
        }
        ready.leave()
        gate.wait()
        let end = deadline.withLock { $0 }
        let text = String(repeating: "lorem ipsum dolor sit amet ", count: 3)
        do {
          let samples = try client.run(channel: channel, text: text, until: end)
          shared.withLock {
            $0.samples.append(samples)
            $0.received += client.received
          }
        } catch {
          shared.withLock { $0.errors.append("\(error)") }
        }
        client.quit()
      }.start()
    }
    if ready.wait(timeout: .now() + 60) == .timedOut {
      throw BenchError("clients did not register within 60 s")
    }
    let registrationErrors = shared.withLock { $0.errors }
    guard registrationErrors.isEmpty else {
      for _ in 0..<clients { gate.signal() }
      finished.wait()
      throw BenchError(registrationErrors.joined(separator: "\n"))
    }
    let serverStart = serverPid.flatMap(CPUTime.ofProcess)
    let benchStart = CPUTime.ofThisProcess()
    let start = ContinuousClock.now
    deadline.withLock { $0 = start + duration }
    for _ in 0..<clients { gate.signal() }
    finished.wait()
    let elapsed = ContinuousClock.now - start
    let benchCPU = CPUTime.ofThisProcess() - benchStart
    let serverCPU = serverStart.flatMap { before in
      serverPid.flatMap(CPUTime.ofProcess).map { $0 - before }
    }
    let result = shared.withLock { $0 }
    for error in result.errors { printError("lyceum-bench: \(error)") }
    let samples = LatencySamples(merging: result.samples)
    return Outcome(
      samples: samples, delivered: samples.count + result.received, elapsed: elapsed,
      benchCPU: benchCPU, serverCPU: serverCPU)
  }
}
