import LyceumProtocol

@testable import LyceumCore

/// Drives an `IRCServerCore` the way the server does, with no sockets: connect client ids, feed
/// them lines, read back what each was sent, parsed again as messages.
///
/// The core's outbox holds every client's bytes together; the harness drains it after every
/// input and keeps each client's lines until that client's lines are read, so tests can read
/// clients in any order.
final class CoreHarness {
  let clock: ManualClock
  let core: IRCServerCore
  private var nextID: UInt64 = 1
  private var pending: [ClientID: [String]] = [:]
  /// Clients the core asked to close, in order.
  private(set) var closed: [ClientID] = []
  /// Events the core raised, in order.
  private(set) var events: [CoreEvent] = []
  /// History entries the core kept (`Outbox.kept`), in order, until `takeKept()`.
  private(set) var kept: [HistoryEntry] = []
  /// What the core published to the network (`Outbox.publication`), in order, until
  /// `takePublished()`.
  private(set) var published: [NetworkPublication] = []

  init(
    clock: ManualClock = ManualClock(),
    configure: (inout CoreConfiguration) -> Void = { _ in }
  ) {
    var configuration = CoreConfiguration()
    configuration.serverName = "irc.test"
    configure(&configuration)
    self.clock = clock
    self.core = IRCServerCore(configuration: configuration, clock: clock)
  }

  // MARK: Connections

  /// Accepts a new connection and returns its id; nothing is sent yet.
  @discardableResult
  func connect(
    ip: String = "198.51.100.7", isTLS: Bool = true, certificateFingerprint: String? = nil
  ) -> ClientID {
    let id = ClientID(nextID)
    nextID += 1
    core.clientConnected(id, ip: ip, isTLS: isTLS, certificateFingerprint: certificateFingerprint)
    drain()
    return id
  }

  /// Connects a client and puts it straight into the registered state with `nick`, bypassing
  /// NICK/USER, so that commands can be tested on their own.
  @discardableResult
  func connectRegistered(
    _ nick: String, user: String? = nil, realname: String? = nil, ip: String = "198.51.100.7",
    isTLS: Bool = true, capabilities: CapabilitySet = [], certificateFingerprint: String? = nil
  ) -> ClientID {
    let id = connect(ip: ip, isTLS: isTLS, certificateFingerprint: certificateFingerprint)
    let client = self.client(id)
    let folded = core.fold(nick)
    client.nick = nick
    client.foldedNick = folded
    client.user = user ?? nick.lowercased()
    client.realname = realname ?? "\(nick) Example"
    session(id).capabilities = capabilities
    session(id).isRegistered = true
    client.isRegistered = true
    core.clientCounts.add(client)  // what registration itself counts
    core.clientsByNick[folded] = id
    return id
  }

  /// Connects a client and registers it the way a real IRCv3 client does: `CAP LS 302`, a
  /// `CAP REQ` for `caps` (when any), `NICK`, `USER`, `CAP END`. Everything the client was sent
  /// during registration is discarded unless `keepOutput` is set.
  @discardableResult
  func register(
    nick: String, user: String? = nil, realname: String? = nil, caps: [String] = [],
    ip: String = "198.51.100.7", isTLS: Bool = true, keepOutput: Bool = false
  ) -> ClientID {
    let id = connect(ip: ip, isTLS: isTLS)
    send("CAP LS 302", from: id)
    if !caps.isEmpty { send("CAP REQ :" + caps.joined(separator: " "), from: id) }
    send("NICK \(nick)", from: id)
    send("USER \(user ?? nick.lowercased()) 0 * :\(realname ?? "\(nick) Example")", from: id)
    send("CAP END", from: id)
    if !keepOutput { _ = lines(for: id) }
    return id
  }

  /// The core's state for `id`; fails the test (by trapping) when it is gone.
  func client(_ id: ClientID) -> Client {
    guard let client = core.clients[id] else { fatalError("no client \(id)") }
    return client
  }

  /// The connection `id`; fails the test (by trapping) when it is gone.
  func session(_ id: ClientID) -> Session {
    guard let session = core.sessions[id] else { fatalError("no session \(id)") }
    return session
  }

  /// A session that belongs to no core, for tests of `Replies` helpers alone.
  static func detachedSession() -> Session {
    let client = Client(
      id: ClientID(0), ip: "192.0.2.1", isTLS: true, now: .zero, wallMilliseconds: 0)
    return Session(id: ClientID(0), ip: "192.0.2.1", isTLS: true, client: client, now: .zero)
  }

  /// Puts `id` into `name`, creating the channel, without going through JOIN.
  func place(_ id: ClientID, in name: String, as membership: Membership = Membership()) {
    let folded = core.fold(name)
    let channel =
      core.channels[folded]
      ?? Channel(
        name: name, foldedName: folded, createdAtMilliseconds: clock.wallClockMilliseconds())
    core.channels[folded] = channel
    channel.add(id, as: membership)
    client(id).channels.insert(folded)
  }

  /// The channel named `name`; traps when it does not exist.
  func channel(_ name: String) -> Channel {
    guard let channel = core.channel(named: name) else { fatalError("no channel \(name)") }
    return channel
  }

  // MARK: Input

  /// Parses `line` (without CRLF) and hands it to the core as coming from `id`.
  func send(_ line: String, from id: ClientID) {
    do {
      core.receive(try IRCMessage(parsing: line), from: id)
    } catch {
      fatalError("test line does not parse: \(line)")
    }
    drain()
  }

  /// Sends `line` from `id` and returns what `id` got back.
  func exchange(_ line: String, from id: ClientID) -> [IRCMessage] {
    _ = messages(for: id)
    send(line, from: id)
    return messages(for: id)
  }

  // MARK: Output

  /// Lines sent to `id` since they were last read, without CRLF.
  func lines(for id: ClientID) -> [String] {
    drain()
    defer { pending[id] = nil }
    return pending[id] ?? []
  }

  /// Lines sent to `id` since they were last read, parsed.
  func messages(for id: ClientID) -> [IRCMessage] {
    lines(for: id).map { line in
      do { return try IRCMessage(parsing: line) } catch {
        fatalError("core sent a line that does not parse: \(line)")
      }
    }
  }

  // MARK: Account service

  /// The account requests the core raised since the last call, in order; other events stay.
  func accountRequests() -> [AccountRequest] {
    drain()
    var requests: [AccountRequest] = []
    events.removeAll { event in
      guard case .account(let request) = event else { return false }
      requests.append(request)
      return true
    }
    return requests
  }

  /// Plays the account service: feeds `response` to the core for `id`'s connection.
  func answer(_ response: AccountResponse, for id: ClientID) {
    core.accountResponse(response, for: id)
    drain()
  }

  // MARK: History store

  /// The entries kept since the last call, in order.
  func takeKept() -> [HistoryEntry] {
    drain()
    defer { kept = [] }
    return kept
  }

  /// The history requests the core raised since the last call, in order; other events stay.
  func historyRequests() -> [HistoryRequest] {
    drain()
    var requests: [HistoryRequest] = []
    events.removeAll { event in
      guard case .history(let request) = event else { return false }
      requests.append(request)
      return true
    }
    return requests
  }

  /// Plays the history store: feeds `response` to the core for `id`'s connection.
  func answer(_ response: HistoryResponse, for id: ClientID) {
    core.historyResponse(response, for: id)
    drain()
  }

  /// Moves the core's outbox into the per-client queues.
  private func drain() {
    let outbox = core.takeOutbox()
    for write in outbox.writes {
      let id = write.client
      let text = String(decoding: write.bytes, as: UTF8.self)
      // "\r\n" is one Character, so this splits on line ends only.
      var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
      if lines.last == "" { lines.removeLast() }
      pending[id, default: []].append(contentsOf: lines)
    }
    closed.append(contentsOf: outbox.closes)
    events.append(contentsOf: outbox.events)
    kept.append(contentsOf: outbox.kept)
    if let publication = outbox.publication { published.append(publication) }
  }

  /// The events raised since the last call.
  func takeEvents() -> [CoreEvent] {
    defer { events = [] }
    return events
  }

  /// Everything published since the last call.
  func takePublished() -> [NetworkPublication] {
    defer { published = [] }
    return published
  }

  /// Runs `body` on the core, then collects what it produced (for entry points such as
  /// `applyNetworkEvent` and `nickClaimAnswered`).
  func perform(_ body: (IRCServerCore) -> Void) {
    body(core)
    drain()
  }
}

extension IRCMessage {
  /// The parameters after the first (the target nick of a numeric).
  var numericParams: [String] { Array(params.dropFirst()) }
}

extension Array where Element == IRCMessage {
  /// The commands (or numeric codes) in order, for checking the shape of a reply.
  var commands: [String] { map(\.command) }

  /// The messages whose command is `command`.
  func with(_ command: String) -> [IRCMessage] { filter { $0.command == command } }
}
