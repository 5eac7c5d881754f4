import LyceumTransport
import Synchronization

/// Every connection the server accepted and has not yet seen close: admitted ones, refused
/// ones still sending their `ERROR`, and those waiting for or in their TLS handshake.
///
/// Why: the core only learns of a connection once its handshake is done, and a connection's
/// own Dispatch sources and timers keep it alive until it closes. Without one list of them
/// all, a socket that never finished its handshake outlived `shutdown` and later called into
/// a server that was gone. `shutdown` closes what is here and finishes once it is empty.
///
/// It also bounds how many are open at once (the descriptor capacity set at start-up).
/// Thread-safe: listeners accept on their own queues, connections close on their loops'.
final class ConnectionRegistry: Sendable {
  /// What became of a connection offered to `add`.
  enum Admission: Equatable {
    case added
    /// The descriptor capacity is reached: close it at once.
    case overCapacity
    /// The server is shutting down: close it at once.
    case closing
  }

  private struct State {
    var open: [ConnectionID: Connection] = [:]
    var capacity = Int.max
    var closing = false
    var whenEmpty: [@Sendable () -> Void] = []
  }

  private let state = Mutex(State())

  /// Connections allowed open at once; past it `add` answers `.overCapacity`.
  var capacity: Int {
    get { state.withLock { $0.capacity } }
    set { state.withLock { $0.capacity = newValue } }
  }

  /// Connections open now.
  var count: Int { state.withLock { $0.open.count } }

  /// Records `connection` as open until `remove(connection.id)`, unless it is refused.
  func add(_ connection: Connection) -> Admission {
    state.withLock { state in
      if state.closing { return .closing }
      guard state.open.count < state.capacity else { return .overCapacity }
      state.open[connection.id] = connection
      return .added
    }
  }

  /// The connection has closed (its handler was told).
  func remove(_ id: ConnectionID) {
    let waiters = state.withLock { state -> [@Sendable () -> Void] in
      guard state.open.removeValue(forKey: id) != nil, state.closing, state.open.isEmpty else {
        return []
      }
      defer { state.whenEmpty = [] }
      return state.whenEmpty
    }
    for waiter in waiters { waiter() }
  }

  /// Admits nothing more, closes every open connection (after writing what is queued for it,
  /// which the transport bounds by its flush timeout) and calls `completion` once all of them
  /// have closed.
  func closeAll(then completion: @escaping @Sendable () -> Void) {
    let open = state.withLock { state -> [Connection]? in
      state.closing = true
      if state.open.isEmpty { return nil }
      state.whenEmpty.append(completion)
      return Array(state.open.values)
    }
    guard let open else {
      completion()
      return
    }
    for connection in open { connection.close(flushingFirst: true) }
  }
}
