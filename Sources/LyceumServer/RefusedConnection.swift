import LyceumCore
import LyceumProtocol
import LyceumTransport

/// The handler of a connection refused by the `ConnectionGate`: once it can carry data (after
/// the TLS handshake, so the client can read it), it gets one
/// `ERROR :Closing Link: <ip> (<reason>)` line and is closed; whatever it sends is ignored.
final class RefusedConnection: ConnectionHandler {
  private let line: [UInt8]
  /// Called once when the connection is gone (the server counts open connections).
  private let onClose: @Sendable () -> Void

  init(ip: String, reason: String, onClose: @escaping @Sendable () -> Void = {}) {
    self.onClose = onClose
    let host = ip.hasPrefix(":") ? "0" + ip : ip
    var bytes: [UInt8] = []
    IRCMessage(command: "ERROR", params: ["Closing Link: \(host) (\(reason))"])
      .appendSerialized(to: &bytes)
    line = bytes
  }

  func connectionDidBecomeReady(_ connection: Connection) {
    connection.send(line)
    connection.close(flushingFirst: true)
  }

  func connection(_ connection: Connection, didReceive bytes: UnsafeRawBufferPointer) {}

  func connectionDidClose(_ connection: Connection, reason: CloseReason) { onClose() }
}
