import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A listening TCP socket that accepts connections, plaintext or TLS, and hands each one (not
/// yet started) to `onAccept`.
///
/// Concurrency: the socket and the accept source are used only on `queue`; the TLS context is
/// behind a mutex so that `replaceTLSContext` may be called from any thread. Hence
/// `@unchecked Sendable`.
public final class Listener: @unchecked Sendable {
  public let host: String
  /// The bound port (the kernel's choice when created with port 0).
  public let boundPort: Int
  /// Whether accepted connections speak TLS.
  public let isTLS: Bool

  private let fd: Int32
  private let limits: ConnectionLimits
  private let logger: Logger
  private let queue: DispatchQueue
  /// The loops accepted connections run on, round-robin.
  private let loops: IOLoopGroup
  private let tls: Mutex<TLSContext?>
  private let lifecycle = Mutex(Lifecycle.idle)

  // Queue-confined.
  private var source: DispatchSourceRead?
  private var sourceSuspended = false

  private enum Lifecycle {
    case idle
    case running
    case stopped
  }

  /// How long accepting pauses when the process is out of descriptors, instead of spinning.
  private static let descriptorExhaustionPause: Duration = .milliseconds(100)

  /// Binds and listens. `host` is a numeric address: "127.0.0.1", "::1", "0.0.0.0", or "::"
  /// (dual-stack). Port 0 picks an ephemeral port; see `boundPort`. Accepted connections run
  /// on `loops`, by default one loop per processor shared by every listener.
  public init(
    host: String, port: Int, tls: TLSContext?, limits: ConnectionLimits, logger: Logger,
    loops: IOLoopGroup = .shared
  ) throws(TransportError) {
    let (socketAddress, length) = try makeSocketAddress(host: host, port: port)
    var address = socketAddress
    let family = Int32(address.ss_family)
    let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    if fd < 0 { throw .posix("socket", errno) }
    do throws(TransportError) {
      try Syscall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
      if family == AF_INET6 {
        let v6Only: Int32 = host == "::" || host == "[::]" ? 0 : 1
        try Syscall.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, v6Only, "IPV6_V6ONLY")
      }
      let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
      }
      if rc != 0 { throw .posix("bind(\(host):\(port))", errno) }
      if listen(fd, 1024) != 0 { throw .posix("listen", errno) }
      try Syscall.setNonBlocking(fd)
      self.boundPort = NumericAddress(try Syscall.localAddress(fd)).port
    } catch {
      Syscall.close(fd)
      throw error
    }
    self.fd = fd
    self.host = host
    self.isTLS = tls != nil
    self.loops = loops
    self.tls = Mutex(tls)
    self.limits = limits
    var logger = logger
    logger[metadataKey: "listener"] = "\(host):\(boundPort)"
    self.logger = logger
    self.queue = DispatchQueue(label: "lyceum.listener")
  }

  /// Starts accepting. Each new connection is passed to `onAccept`, which should set its
  /// handler and call `start()`. Accepts until the backlog is empty on each readiness event.
  public func start(onAccept: @escaping @Sendable (Connection) -> Void) {
    let ok = lifecycle.withLock { state -> Bool in
      guard state == .idle else { return false }
      state = .running
      return true
    }
    guard ok else { return }
    queue.async {
      let source = DispatchSource.makeReadSource(fileDescriptor: self.fd, queue: self.queue)
      source.setEventHandler { self.acceptAll(onAccept) }
      source.setCancelHandler { Syscall.close(self.fd) }
      self.source = source
      source.activate()
      self.logger.debug("listening", metadata: ["tls": "\(self.isTLS)"])
    }
  }

  /// Uses `context` for connections accepted from now on (certificate reload on SIGHUP);
  /// existing connections keep theirs.
  public func replaceTLSContext(_ context: TLSContext) {
    tls.withLock { $0 = context }
  }

  /// Stops accepting and closes the listening socket; accepted connections are untouched.
  public func stop() {
    let previous = lifecycle.withLock { state -> Lifecycle in
      let previous = state
      state = .stopped
      return previous
    }
    switch previous {
    case .running:
      queue.async {
        guard let source = self.source else { return }
        if self.sourceSuspended {
          self.sourceSuspended = false
          source.resume()
        }
        source.cancel()
        self.source = nil
      }
    case .idle:
      Syscall.close(fd)
    case .stopped:
      return
    }
  }

  deinit {
    // Bound but never started nor stopped (a server whose start failed further on): the
    // socket is still ours. A started listener closes it in its source's cancel handler.
    if lifecycle.withLock({ $0 == .idle }) { Syscall.close(fd) }
  }

  private func acceptAll(_ onAccept: @Sendable (Connection) -> Void) {
    while true {
      let accepted: (Int32, sockaddr_storage)
      do {
        switch try Syscall.accept(fd) {
        case .wouldBlock: return
        case .processed(let result): accepted = result
        }
      } catch {
        logger.error("accept failed", metadata: ["error": "\(error)"])
        if error.errno == EMFILE || error.errno == ENFILE || error.errno == ENOBUFS
          || error.errno == ENOMEM
        {
          pauseAccepting()
        }
        return
      }
      let (client, address) = accepted
      do {
        try Syscall.setNonBlocking(client)
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        try Syscall.setOption(client, Int32(IPPROTO_TCP), TCP_NODELAY, 1, "TCP_NODELAY")
      } catch {
        logger.warning("configuring accepted socket failed", metadata: ["error": "\(error)"])
        Syscall.close(client)
        continue
      }
      let connection: Connection
      do {
        connection = try Connection(
          fd: client, remote: NumericAddress(address), localPort: boundPort,
          tls: tls.withLock { $0 }, limits: limits, logger: logger,
          loop: loops.nextLoop())
      } catch {
        // The connection's deinit has closed the descriptor.
        logger.error("creating connection failed", metadata: ["error": "\(error)"])
        continue
      }
      onAccept(connection)
    }
  }

  /// Out of descriptors: the level-triggered source would fire forever, so rest a moment.
  private func pauseAccepting() {
    guard let source, !sourceSuspended else { return }
    sourceSuspended = true
    source.suspend()
    let delay = Listener.descriptorExhaustionPause.nanosecondsClamped
    queue.asyncAfter(deadline: .now() + .nanoseconds(delay)) {
      guard self.sourceSuspended, let source = self.source else { return }
      self.sourceSuspended = false
      source.resume()
    }
  }
}
