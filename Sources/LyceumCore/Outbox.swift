/// What the core wants done after handling some input: bytes to append to each client's send
/// queue, connections to close once their queued bytes are written, and events for the server.
///
/// The core accumulates into one outbox across a batch of input so that each connection gets one
/// coalesced write per batch; the server drains it with `IRCServerCore.takeOutbox()`.
public struct Outbox: Sendable {
  /// Serialized lines per client, in the order they must be sent.
  public internal(set) var writes: [ClientID: [UInt8]] = [:]
  /// Clients to close after flushing what is queued for them (their state is already gone).
  public internal(set) var closes: [ClientID] = []
  /// Requests for the server around the core (reload and the like).
  public internal(set) var events: [CoreEvent] = []
  /// Events to keep in history. The server must store them before it sends any of `writes`:
  /// what anyone was shown is in the history even after a crash.
  public internal(set) var kept: [HistoryEntry] = []

  public init() {}

  public var isEmpty: Bool {
    writes.isEmpty && closes.isEmpty && events.isEmpty && kept.isEmpty
  }

  mutating func append(_ bytes: [UInt8], to id: ClientID) {
    writes[id, default: []].append(contentsOf: bytes)
  }
}

/// Things the core asks of the server that it cannot do itself.
public enum CoreEvent: Sendable, Equatable {
  /// An operator sent `REHASH`: reload the configuration and certificates.
  case rehashRequested(by: String)
  /// Work for the account service; answer with `IRCServerCore.accountResponse(_:for:)`.
  case account(AccountRequest)
  /// A registered room was registered or its persistent state changed: store `RoomRecord`.
  case roomChanged(RoomRecord)
  /// A room was unregistered: forget the stored room with this folded name.
  case roomDeleted(foldedName: String)
  /// A history read (`CHATHISTORY`); answer with `IRCServerCore.historyResponse(_:for:)`.
  case history(HistoryRequest)
  /// An account's read marker for a target moved forward (`MARKREAD`): store it in the
  /// `ReadMarkerStore`. Both names are folded.
  case readMarkerChanged(account: String, target: String, milliseconds: Int64)
}
