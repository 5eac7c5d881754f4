import COpenSSL
import Dispatch
import Logging
import Synchronization

private let connectionCounter = Atomic<UInt64>(0)

/// One accepted TCP connection, plaintext or TLS, that moves bytes between the socket and a
/// `ConnectionHandler`.
///
/// Concurrency: everything below the "queue-confined" mark is read and written only on `queue`,
/// the serial queue of the connection's `IOLoop`; that is why the class can be `@unchecked Sendable`. The
/// public methods that may be called from any thread (`send`, `close`, `pauseReading`,
/// `resumeReading`, `setHandler`, `start`) either take a mutex for a moment or hop onto `queue`.
public final class Connection: @unchecked Sendable {
  public let id: ConnectionID
  /// The peer's numeric IP address (IPv6 without brackets; IPv4-mapped shown as IPv4).
  public let remoteAddress: String
  public let remotePort: Int
  public let localPort: Int
  public let isTLS: Bool

  let fd: Int32
  /// The loop this connection runs on; `queue` is its serial queue, shared with the loop's
  /// other connections.
  public let loop: IOLoop
  let queue: DispatchQueue
  let limits: ConnectionLimits
  let logger: Logger

  /// Bytes handed to `send` but not yet taken by the queue, shared between threads.
  let outbox = Mutex(Outbox())
  /// Facts learnt in the handshake, readable from any thread.
  let handshakeFacts = Mutex(HandshakeFacts())
  /// Set at once by `pauseReading` so that a drain loop already running stops early.
  let pauseRequested = Atomic<Bool>(false)
  /// Whether `send` left bytes in the outbox's `incoming` (set under its lock, cleared by
  /// `takeIncoming`): the loop, which looks before every line a batch brings, takes the lock
  /// only when there is something to take.
  let incomingWaiting = Atomic<Bool>(false)

  // MARK: queue-confined state

  var ssl: OpaquePointer?
  var handler: ConnectionHandler?
  var state: State = .created
  var readSource: DispatchSourceRead?
  var writeSource: DispatchSourceWrite?
  /// A duplicate of `fd` watched by the write source; see `startOnQueue` for why.
  var writeWatchFD: Int32 = -1
  var readSourceSuspended = false
  var writeSourceSuspended = false
  var cancelledSources = 0
  /// The `SSL` is freed and the descriptor closed.
  var resourcesReleased = false
  var timer: DispatchSourceTimer?
  /// Bytes taken from the outbox; `pending[pendingOffset...]` are still to be written.
  var pending: [UInt8] = []
  var pendingOffset = 0
  /// Bytes queued behind `pending`, oldest first: moved into `pending` a few at a time as it
  /// is written (see `mergeQueuedChunks`).
  ///
  /// This and the next two are touched for every line of every recipient (`appendOnQueue`),
  /// so they are exempt from run-time exclusivity checks: only on the loop's queue, and no
  /// access to them is held across a call that could touch them again.
  @exclusivity(unchecked) var queuedChunks: [[UInt8]] = []
  @exclusivity(unchecked) var queuedChunkBytes = 0
  /// The connection is on its loop's dirty list for bytes a batch queued (see `send(_:)`).
  @exclusivity(unchecked) var flushMarked = false
  /// This connection's handshake counts against its loop's limit until it ends.
  var holdsHandshakeSlot = false
  /// `SSL_read` returned WANT_WRITE: run the read path again once the socket is writable.
  var readWantsWrite = false
  /// `SSL_write` returned WANT_READ: run the write path again once the socket is readable.
  var writeWantsRead = false
  /// `SSL_do_handshake` returned WANT_WRITE.
  var handshakeWantsWrite = false
  /// The peer half-closed and the handler keeps the connection open for writing: nothing more
  /// is read.
  var inputEnded = false

  enum State {
    case created
    /// TLS, waiting for one of its loop's handshake slots; no source exists yet.
    case awaitingHandshake
    case handshaking
    case ready
    /// Closing after the send queue is written out (bounded by `flushTimeout`).
    case flushing
    case closed
  }

  struct Outbox {
    var incoming: [UInt8] = []
    /// Bytes the queue holds and has not written yet, published for the limit check.
    var queuedOnQueue = 0
    var flushScheduled = false
    var closed = false
  }

  struct HandshakeFacts {
    var peerFingerprint: String?
    var version: String?
    var cipher: String?
  }

  /// How long `close(flushingFirst: true)` waits for the send queue to drain.
  static let flushTimeout: Duration = .seconds(2)
  /// Largest single `SSL_write`: one TLS record.
  static let tlsWriteChunk = 16384
  /// Most bytes of queued chunks joined into `pending` at once (see `mergeQueuedChunks`): four
  /// TLS records, or one plaintext write of about what a loopback socket takes at once.
  static let mergeLimit = 65536

  init(
    fd: Int32, remote: NumericAddress, localPort: Int, tls: TLSContext?, limits: ConnectionLimits,
    logger: Logger, loop: IOLoop
  ) throws(TransportError) {
    self.id = ConnectionID(raw: connectionCounter.add(1, ordering: .relaxed).newValue)
    self.fd = fd
    self.remoteAddress = remote.host
    self.remotePort = remote.port
    self.localPort = localPort
    self.isTLS = tls != nil
    self.limits = limits
    // The listener's logger, shared: metadata set here would give every connection its own
    // copy of the logger's storage and a dictionary (measured with `heaptrack` under
    // `lyceum-bench idle`: about 500 bytes per connection). The log lines name it instead.
    self.logger = logger
    self.loop = loop
    self.queue = loop.queue
    if let tls {
      ERR_clear_error()
      guard let ssl = SSL_new(tls.context) else { throw .openSSL("SSL_new") }
      guard SSL_set_fd(ssl, fd) == 1 else {
        SSL_free(ssl)
        throw .openSSL("SSL_set_fd")
      }
      SSL_set_accept_state(ssl)
      self.ssl = ssl
    }
  }

  /// The SHA-256 fingerprint (lowercase hex) of the client's certificate, once the handshake is
  /// done; nil for plaintext or when the client sent none. For SASL EXTERNAL.
  public var peerCertificateFingerprintSHA256: String? {
    handshakeFacts.withLock { $0.peerFingerprint }
  }

  /// The negotiated protocol, such as "TLSv1.3", once the handshake is done.
  public var tlsVersion: String? {
    handshakeFacts.withLock { $0.version }
  }

  /// The negotiated cipher suite, such as "TLS_AES_256_GCM_SHA384", once the handshake is done.
  public var cipher: String? {
    handshakeFacts.withLock { $0.cipher }
  }

  /// Sets the receiver of this connection's callbacks; call it (from `onAccept`) before `start`.
  public func setHandler(_ handler: ConnectionHandler) {
    queue.async { self.handler = handler }
  }

  /// Starts the TLS handshake (or, for plaintext, reports ready) and reading.
  public func start() {
    queue.async { self.startOnQueue() }
  }

  /// Appends bytes to the send queue; they are written in order after what earlier `send`
  /// calls and batches (`Connection.send(_:)` with a list) queued, coalesced with other sends
  /// made before the queue gets to them. Past `sendQueueLimit` pending bytes the connection is
  /// closed with `.sendQueueExceeded`. Thread-safe; ignored once the connection is closing.
  ///
  /// The two send paths and why they keep one caller's order (tested with random
  /// interleavings, sizes and loops in `SendOrderFuzzTests`):
  /// 1. `send` appends under the outbox lock (`incoming`), on the caller's thread; a batch is
  ///    appended on the loop's queue (`appendOnQueue`).
  /// 2. `appendOnQueue` takes `incoming` first, so a `send` made before a batch stays ahead of it.
  /// 3. While any batch is in flight on the loop (`batchesInFlight` > 0, raised before the
  ///    batch's hand-off), `send` goes through the loop's queue too (`sendBehindBatches`), so it
  ///    cannot overtake a batch made before it.
  /// 4. The loop's queue is serial: what is handed to it runs in the order handed.
  public func send(_ bytes: [UInt8]) {
    if bytes.isEmpty { return }
    if loop.batchesInFlight.load(ordering: .sequentiallyConsistent) > 0 {
      sendBehindBatches(bytes)
      return
    }
    let limit = limits.sendQueueLimit
    let (schedule, overflow) = outbox.withLock { box -> (Bool, Bool) in
      if box.closed { return (false, false) }
      if box.incoming.count + box.queuedOnQueue + bytes.count > limit {
        box.closed = true
        box.incoming = []
        return (false, true)
      }
      box.incoming.append(contentsOf: bytes)
      incomingWaiting.store(true, ordering: .relaxed)  // published by the lock's release
      if box.flushScheduled { return (false, false) }
      box.flushScheduled = true
      return (true, false)
    }
    if overflow {
      queue.async { self.finalize(.sendQueueExceeded) }
    } else if schedule {
      loop.markDirty(self)
    }
  }

  /// Closes the connection, after writing what is queued when `flushingFirst` (waiting at most
  /// about two seconds). Thread-safe; the handler then gets `connectionDidClose(.local)`.
  public func close(flushingFirst: Bool) {
    queue.async { self.closeOnQueue(flushingFirst: flushingFirst) }
  }

  /// Stops delivering received bytes until `resumeReading`: backpressure from the server.
  public func pauseReading() {
    pauseRequested.store(true, ordering: .relaxed)
    queue.async { self.updateReadInterest() }
  }

  /// Runs `work` on the connection's serial queue (its loop's), where the handler's callbacks run: for
  /// decisions that must not race with them (the server's backpressure).
  public func performOnQueue(_ work: @escaping @Sendable () -> Void) {
    queue.async(execute: work)
  }

  /// Delivers received bytes again after `pauseReading`.
  public func resumeReading() {
    pauseRequested.store(false, ordering: .relaxed)
    queue.async {
      self.updateReadInterest()
      // Bytes already decrypted inside OpenSSL do not make the socket readable again.
      if self.state == .ready && self.isTLS { self.readAvailable() }
    }
  }

  deinit {
    // Normally released after both sources are cancelled; this covers one never started.
    releaseResources()
  }
}
