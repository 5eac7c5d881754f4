/// Identifies one accepted connection for the life of the process. Connections are keyed by this
/// id and never by file descriptor, because the kernel reuses descriptor numbers at once.
public struct ConnectionID: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let raw: UInt64

  public init(raw: UInt64) {
    self.raw = raw
  }

  public static func < (lhs: ConnectionID, rhs: ConnectionID) -> Bool {
    lhs.raw < rhs.raw
  }

  public var description: String {
    "conn#\(raw)"
  }
}

/// Per-connection limits, set on a listener and copied into each connection it accepts.
public struct ConnectionLimits: Sendable {
  /// The TLS handshake must finish in this time, else the connection is closed with
  /// `.handshakeTimeout`; protects against clients that connect and say nothing.
  public var handshakeTimeout: Duration = .seconds(10)
  /// Bytes that may wait in one connection's send queue; past it the connection is closed with
  /// `.sendQueueExceeded`, so one slow reader cannot make the server's memory grow.
  public var sendQueueLimit: Int = 1 << 20
  /// Size of one read (one `read`/`SSL_read` call).
  public var readChunkSize: Int = 16384

  public init(
    handshakeTimeout: Duration = .seconds(10),
    sendQueueLimit: Int = 1 << 20,
    readChunkSize: Int = 16384
  ) {
    self.handshakeTimeout = handshakeTimeout
    self.sendQueueLimit = sendQueueLimit
    self.readChunkSize = readChunkSize
  }
}

/// Why a connection closed; passed once to `ConnectionHandler.connectionDidClose`.
public enum CloseReason: Equatable, Sendable, CustomStringConvertible {
  /// The peer closed the connection (EOF or TLS close_notify).
  case remoteClosed
  /// A read or write failed (reset, OpenSSL error …); the text says which.
  case error(String)
  /// The TLS handshake did not finish within `ConnectionLimits.handshakeTimeout`.
  case handshakeTimeout
  /// The TLS handshake failed (wrong protocol version, not TLS at all …).
  case handshakeFailed(String)
  /// More than `ConnectionLimits.sendQueueLimit` bytes were waiting to be sent.
  case sendQueueExceeded
  /// The server closed it with `Connection.close(flushingFirst:)`.
  case local

  public var description: String {
    switch self {
    case .remoteClosed: return "remote closed"
    case .error(let text): return "error: \(text)"
    case .handshakeTimeout: return "TLS handshake timeout"
    case .handshakeFailed(let text): return "TLS handshake failed: \(text)"
    case .sendQueueExceeded: return "send queue exceeded"
    case .local: return "closed locally"
    }
  }
}

/// Callbacks from a connection. `didReceive` is called on the connection's own serial queue, in
/// order; the buffer is only valid during the call. `connectionDidClose` is called exactly once,
/// on the connection's queue, after which no other callback comes.
public protocol ConnectionHandler: AnyObject, Sendable {
  /// The connection can carry data: after the TLS handshake, or at once for plaintext.
  func connectionDidBecomeReady(_ connection: Connection)
  /// Bytes arrived. Copy what must outlive the call.
  func connection(_ connection: Connection, didReceive bytes: UnsafeRawBufferPointer)
  /// The connection is gone; the handler is released after this call.
  func connectionDidClose(_ connection: Connection, reason: CloseReason)
  /// The peer closed its sending side (EOF or TLS close_notify) after the bytes delivered so
  /// far. Return true to keep the connection open for writing, reading no more, and close it
  /// later with `close(flushingFirst:)` (a script that pipes its lines and half-closes still
  /// gets them run and its replies sent); false closes it now with `.remoteClosed`. The default
  /// is false.
  func connectionShouldStayOpenAfterEndOfInput(_ connection: Connection) -> Bool
}

extension ConnectionHandler {
  public func connectionShouldStayOpenAfterEndOfInput(_ connection: Connection) -> Bool { false }
}

extension Duration {
  /// This duration as a `DispatchTimeInterval` in nanoseconds (saturating).
  package var nanosecondsClamped: Int {
    let (seconds, attoseconds) = components
    let nanos = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    if nanos >= Double(Int.max) { return Int.max }
    return max(0, Int(nanos))
  }

  /// Milliseconds for `poll()`, at least 0.
  package var millisecondsForPoll: Int32 {
    let millis = nanosecondsClamped / 1_000_000
    return Int32(clamping: millis)
  }
}
