/// What the core wants done after handling some input: bytes to append to each client's send
/// queue, connections to close once their queued bytes are written, and events for the server.
///
/// The core accumulates into one outbox across a batch of input so that each connection gets one
/// coalesced write per batch; the server drains it with `IRCServerCore.takeOutbox()`.
public struct Outbox: Sendable {
  /// Serialized lines per connection, one entry per connection in the order the connections
  /// were first written to; each entry's bytes are in the order they must be sent.
  public internal(set) var writes: [OutboxWrite] = []
  /// Clients to close after flushing what is queued for them (their state is already gone).
  public internal(set) var closes: [ClientID] = []
  /// Requests for the server around the core (reload and the like).
  public internal(set) var events: [CoreEvent] = []
  /// Events to keep in history. The server must store them before it sends any of `writes`:
  /// what anyone was shown is in the history even after a crash.
  public internal(set) var kept: [HistoryEntry] = []

  /// Which outbox this is: a session remembers the generation and slot of its entry, so that
  /// appending to it needs no lookup (a fan-out to a large channel appends once per member).
  let generation: UInt64

  public init() { generation = 0 }

  init(generation: UInt64) { self.generation = generation }

  public var isEmpty: Bool {
    writes.isEmpty && closes.isEmpty && events.isEmpty && kept.isEmpty
  }

  mutating func append(_ bytes: [UInt8], to session: Session) {
    if session.outboxGeneration == generation {
      writes[session.outboxSlot].bytes.append(contentsOf: bytes)
    } else {
      session.outboxGeneration = generation
      session.outboxSlot = writes.count
      writes.append(
        OutboxWrite(client: session.id, transportHandle: session.transportHandle, bytes: bytes))
    }
  }
}

/// Bytes for one connection.
public struct OutboxWrite: Sendable {
  public let client: ClientID
  /// What the server attached to the session at `clientConnected` (its connection object),
  /// handed back so that the server need not look the connection up for every write.
  public let transportHandle: TransportHandle?
  public internal(set) var bytes: [UInt8]
}

/// An object the server attaches to a session and gets back with the session's writes; the
/// core never looks inside it.
public typealias TransportHandle = AnyObject & Sendable

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
  /// Something the server's log must record (an `OPER` attempt); the core does no I/O.
  case audit(AuditEvent)
}
