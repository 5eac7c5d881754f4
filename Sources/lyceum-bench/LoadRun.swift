import ArgumentParser
import COpenSSL
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The options every load scenario shares.
struct LoadTarget: ParsableArguments {
  @OptionGroup var server: ServerAddress

  var host: String { server.host }
  var tls: Bool { server.tls }
  var password: String? { server.password }
  var resolvedPort: Int { server.resolvedPort }
  var ports: [Int] { server.ports }
  var label: String { server.label }

  @Option(help: "Event-loop threads of the load generator.")
  var threads = 2

  @Option(
    help: ArgumentHelp(
      "Clients connecting (not yet registered) at once at most; 0 = all at once.",
      discussion: "For servers with a short listen backlog (ngircd: 10)."))
  var connecting = 0

  @Option(help: "Seconds to wait for all registrations (and all JOINs).")
  var timeout = 120.0

  func validate() throws {
    guard threads > 0, connecting >= 0 else {
      throw ValidationError("--threads must be positive, --connecting not negative")
    }
    guard threads % server.ports.count == 0 else {
      throw ValidationError("--threads must be a multiple of the number of ports")
    }
  }
}

/// A load run: the loops and their threads, the shared state, and waiting for phases.
final class LoadRun {
  let config: LoadConfig
  let shared: LoadShared
  let loops: [EventLoop]
  let handlers: [IRCLoadHandler]
  private let tlsContext: OpaquePointer?
  private let finished = DispatchGroup()
  private(set) var startNs: UInt64 = 0

  init(target: LoadTarget, config: LoadConfig) throws {
    signal(SIGPIPE, SIG_IGN)
    raiseFileLimit(needed: config.clients + 64)
    tlsContext = target.tls ? try makeClientTLSContext() : nil
    var config = config
    let threads = min(target.threads, config.clients)
    if target.connecting > 0 { config.connectingPerLoop = max(1, target.connecting / threads) }
    self.config = config
    shared = LoadShared(senders: config.senders)
    var loops: [EventLoop] = []
    var handlers: [IRCLoadHandler] = []
    for index in 0..<threads {
      // Loop i serves port i % ports: clients alternate over the nodes of a network.
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(target.ports[index % target.ports.count])).bigEndian
      _ = inet_pton(AF_INET, target.host, &address.sin_addr)
      let loop = try EventLoop(target: address, tls: tlsContext)
      loops.append(loop)
      handlers.append(IRCLoadHandler(config: config, shared: shared, loop: loop))
    }
    self.loops = loops
    self.handlers = handlers
  }

  deinit {
    if let tlsContext { SSL_CTX_free(tlsContext) }
  }

  /// Starts the threads; each connects its clients (client i on loop i % threads) at once.
  func start() {
    startNs = monotonicNanoseconds()
    let count = loops.count
    let clients = config.clients
    for (number, handler) in handlers.enumerated() {
      finished.enter()
      let group = finished
      let thread = Thread {
        handler.assign(Array(stride(from: number, to: clients, by: count)))
        handler.loop.run(handler)
        group.leave()
      }
      thread.name = "load-\(number)"
      thread.start()
    }
  }

  /// Polls every millisecond until `done` holds; throws when clients failed or on timeout.
  func wait(for what: String, timeout: Double, _ done: () -> Bool) throws {
    let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
    var nextReport = monotonicNanoseconds() + 5_000_000_000
    while !done() {
      if shared.failed.load(ordering: .relaxed) > 0 || shared.dropped.load(ordering: .relaxed) > 0 {
        throw BenchError(
          "clients failed while waiting for \(what):\n" + shared.errors.joined(separator: "\n"))
      }
      if monotonicNanoseconds() > deadline {
        throw BenchError(
          "timed out waiting for \(what): \(progress)\n" + shared.errors.joined(separator: "\n"))
      }
      if monotonicNanoseconds() >= nextReport {
        printError("lyceum-bench: waiting for \(what): \(progress)")
        nextReport += 5_000_000_000
      }
      usleep(1000)
    }
  }

  /// Registered, joined and failed clients so far.
  var progress: String {
    "registered \(shared.registered.load(ordering: .relaxed)), "
      + "joined \(shared.joined.load(ordering: .relaxed)) of \(config.clients), "
      + "failed \(shared.failed.load(ordering: .relaxed))"
  }

  func waitForRegistrations(timeout: Double) throws {
    try wait(for: "registrations (001)", timeout: timeout) {
      shared.registered.load(ordering: .relaxed) >= config.clients
    }
  }

  /// Sends QUIT everywhere and waits for the threads.
  func stop() {
    shared.set(.quitting)
    finished.wait()
  }

  var delivered: Int { handlers.reduce(0) { $0 + $1.stats.delivered.load(ordering: .relaxed) } }
  var sent: Int { handlers.reduce(0) { $0 + $1.stats.sent.load(ordering: .relaxed) } }
}

/// A client context: no verification, small buffers when idle, partial writes.
func makeClientTLSContext() throws -> OpaquePointer {
  guard let context = SSL_CTX_new(TLS_client_method()) else {
    throw BenchError("SSL_CTX_new failed")
  }
  SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
  _ = SSL_CTX_set_options(context, LYC_SSL_OP_NO_COMPRESSION)
  _ = lyc_SSL_CTX_set_mode(
    context,
    LYC_SSL_MODE_ENABLE_PARTIAL_WRITE | LYC_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
      | LYC_SSL_MODE_RELEASE_BUFFERS)
  // One read() fetches every record the socket holds, instead of header and body apart.
  lyc_SSL_CTX_set_read_ahead(context, 1)
  return context
}

/// Raises the soft RLIMIT_NOFILE to the hard limit; warns when that is below `needed`.
func raiseFileLimit(needed: Int) {
  var limit = rlimit()
  let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
  guard getrlimit(resource, &limit) == 0 else { return }
  if limit.rlim_cur < limit.rlim_max {
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(resource, &limit)
  }
  if limit.rlim_cur < rlim_t(needed) {
    printError("lyceum-bench: WARNING: RLIMIT_NOFILE is \(limit.rlim_cur), below \(needed)")
  }
}
