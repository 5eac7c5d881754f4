/// What the core wants done after handling some input: bytes to append to each client's send
/// queue, connections to close once their queued bytes are written, and events for the server.
///
/// The core accumulates into one outbox across a batch of input so that each connection gets one
/// coalesced write per batch; the server drains it with `IRCServerCore.takeOutbox()`.
public struct Outbox: Sendable {
  /// The output in parts, in order: each part is delivered only once its kept entries are
  /// committed (a part that keeps nothing may go at once). A connection's bytes in a later part
  /// go out after its bytes in an earlier one.
  public internal(set) var parts: [OutboxPart] = [OutboxPart()]
  /// Clients to close after flushing what is queued for them (their state is already gone).
  public internal(set) var closes: [ClientID] = []
  /// Requests for the server around the core (reload and the like).
  public internal(set) var events: [CoreEvent] = []
  /// What this output tells the other nodes of the network, in order; the server commits it
  /// with `kept`, in one transaction. Nil when nothing is published (or there is no network).
  public internal(set) var publication: NetworkPublication?

  /// Which part is being filled: a session remembers the generation and slot of its entry, so
  /// that appending to it needs no lookup (a fan-out to a large channel appends once per
  /// member). Every part of every outbox has its own generation.
  private(set) var generation: UInt64

  public init() { generation = 0 }

  init(generation: UInt64) { self.generation = generation }

  /// Every part's writes, in order (a connection may appear once per part).
  public var writes: [OutboxWrite] { parts.flatMap(\.writes) }

  /// Events to keep in history, from every part. The server must store a part's entries before
  /// it sends any of that part's writes: what anyone was shown is in the history even after a
  /// crash.
  public var kept: [HistoryEntry] { parts.flatMap(\.kept) }

  public var isEmpty: Bool {
    closes.isEmpty && events.isEmpty && publication == nil && parts.allSatisfy(\.isEmpty)
  }

  mutating func append(_ bytes: [UInt8], to session: Session) {
    let last = parts.count - 1
    if session.outboxGeneration == generation {
      parts[last].writes[session.outboxSlot].bytes.append(contentsOf: bytes)
    } else {
      session.outboxGeneration = generation
      session.outboxSlot = parts[last].writes.count
      parts[last].writes.append(
        OutboxWrite(client: session.id, transportHandle: session.transportHandle, bytes: bytes))
    }
  }

  /// Keeps `entry` with the part being filled.
  mutating func keep(_ entry: HistoryEntry) {
    parts[parts.count - 1].kept.append(entry)
  }

  /// Entries kept so far in the part being filled.
  var keptInPart: Int { parts[parts.count - 1].kept.count }

  /// Starts a new part, unless the current one is still empty.
  mutating func beginPart() {
    guard !parts[parts.count - 1].isEmpty else { return }
    parts.append(OutboxPart())
    generation += 1
  }

  /// Ends the part being filled: if it keeps entries, it is withheld when they cannot be kept
  /// and `failure` goes instead, and what follows starts a new part.
  mutating func endPart(failure: OutboxWrite) {
    let last = parts.count - 1
    guard !parts[last].kept.isEmpty else { return }
    parts[last].failure = failure
    parts.append(OutboxPart())
    generation += 1
  }
}

/// One part of an outbox: bytes for connections, and the entries that must be kept before any
/// of them is sent.
public struct OutboxPart: Sendable {
  /// Serialized lines per connection, one entry per connection in the order the connections
  /// were first written to; each entry's bytes are in the order they must be sent.
  public internal(set) var writes: [OutboxWrite] = []
  /// Entries to keep in history before `writes` are sent.
  public internal(set) var kept: [HistoryEntry] = []
  /// What to send instead of `writes` when `kept` cannot be stored (the sender's
  /// `FAIL … TEMPORARILY_UNAVAILABLE`): set for messages (PRIVMSG, NOTICE, TAGMSG), which are
  /// then not delivered at all. Nil for events that already changed the server's state (JOIN,
  /// PART, QUIT, NICK, TOPIC, KICK, MODE …): those are delivered even when not kept, so that
  /// clients' view of the state stays true.
  public internal(set) var failure: OutboxWrite?

  public var isEmpty: Bool { writes.isEmpty && kept.isEmpty }
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
  /// Claim a nick in the network's database; answer with `IRCServerCore.nickClaimAnswered`.
  case claimNick(NickClaim)
  /// Give up a nick claim in the network's database (after the client's earlier claims).
  case releaseNick(NickRelease)
}
