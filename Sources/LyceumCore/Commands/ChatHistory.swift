import LyceumProtocol

extension IRCServerCore {
  /// `CHATHISTORY LATEST|BEFORE|AFTER|AROUND|BETWEEN <target> <ref> [<ref>] <limit>` and
  /// `CHATHISTORY TARGETS <timestamp> <timestamp> <limit>` (IRCv3 `draft/chathistory`).
  ///
  /// Checks the syntax and who may read what here; the read itself goes to the history store
  /// as a `CoreEvent.history`, and `historyResponse(_:for:)` sends the batch. A channel's
  /// history is for its current members only; a direct conversation is for its two accounts
  /// only. Errors are the spec's standard replies: `INVALID_PARAMS` for anything malformed,
  /// `INVALID_TARGET` for a target the client may not read (or that does not exist; the two
  /// are not told apart).
  func handleChatHistory(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let params = message.params
    let subcommand = params.first?.uppercased() ?? ""
    func invalid(_ description: String) {
      replies.standardReply(
        .fail, command: "CHATHISTORY", code: "INVALID_PARAMS",
        context: [params.first ?? "*"], description: description)
    }
    switch subcommand {
    case "LATEST", "BEFORE", "AFTER", "AROUND", "BETWEEN":
      let count = subcommand == "BETWEEN" ? 5 : 4
      guard params.count == count else {
        return invalid(params.count < count ? "Missing parameters" : "Too many parameters")
      }
      guard let limit = historyLimit(params[count - 1]) else {
        return invalid("Invalid limit")
      }
      guard let selector = Self.historySelector(subcommand, params[2..<count - 1]) else {
        return invalid("Invalid message reference")
      }
      guard let (target, batchName) = readableHistoryTarget(params[1], for: client) else {
        replies.standardReply(
          .fail, command: "CHATHISTORY", code: "INVALID_TARGET", context: [subcommand, params[1]],
          description: "Messages could not be retrieved")
        return
      }
      // Without event-playback only messages are replayed (TAGMSG is dropped when formatting).
      let query = HistoryQuery(
        target: target, selector: selector, limit: limit,
        messagesOnly: !replies.session.capabilities.contains(.eventPlayback))
      requestHistory(
        .entries(query), subcommand: subcommand, target: batchName, message, &replies)
    case "TARGETS":
      guard params.count == 4 else {
        return invalid(params.count < 4 ? "Missing parameters" : "Too many parameters")
      }
      guard case .timestamp(let first)? = Self.historyReference(params[1]),
        case .timestamp(let second)? = Self.historyReference(params[2])
      else { return invalid("TARGETS takes two timestamp= references") }
      guard let limit = historyLimit(params[3]) else { return invalid("Invalid limit") }
      // Like BETWEEN, the selection starts at the first time: backwards (the usual "what was
      // active lately") the store's newest `limit` are the answer; forwards the core keeps
      // the oldest `limit` of everything active in the window.
      let candidates = historyCandidates(for: client)
      let forwards = first < second
      let kind = HistoryRequest.Kind.targets(
        candidates: candidates, from: min(first, second), to: max(first, second),
        limit: forwards ? candidates.count : limit)
      requestHistory(
        kind, subcommand: subcommand, target: nil, keepOldest: forwards ? limit : nil, message,
        &replies)
    default:
      invalid(params.isEmpty ? "Missing parameters" : "Unknown subcommand")
    }
  }

  /// The selection of `LATEST|BEFORE|AFTER|AROUND|BETWEEN` (upper case) with its references
  /// (two for `BETWEEN`, one otherwise; `*` only for `LATEST`); nil for a bad reference.
  static func historySelector(_ subcommand: String, _ references: ArraySlice<String>)
    -> HistoryQuery.Selector?
  {
    let references = Array(references)
    if subcommand == "LATEST" {
      guard references.count == 1 else { return nil }
      if references[0] == "*" { return .latest(after: nil) }
      return historyReference(references[0]).map { .latest(after: $0) }
    }
    if subcommand == "BETWEEN" {
      guard references.count == 2, let first = historyReference(references[0]),
        let second = historyReference(references[1])
      else { return nil }
      return .between(first, second)
    }
    guard references.count == 1, let reference = historyReference(references[0]) else {
      return nil
    }
    switch subcommand {
    case "BEFORE": return .before(reference)
    case "AFTER": return .after(reference)
    case "AROUND": return .around(reference)
    default: return nil
    }
  }

  /// The limit a client asked for, lowered to `historyMaxMessages`; `0` asks for the most
  /// allowed. Nil when it is not a number.
  func historyLimit(_ text: String) -> Int? {
    guard let value = Int(text), value >= 0 else { return nil }
    let maximum = max(1, configuration.limits.historyMaxMessages)
    return value == 0 ? maximum : min(value, maximum)
  }

  /// `msgid=…` or `timestamp=YYYY-MM-DDThh:mm:ss.sssZ`; nil for anything else.
  static func historyReference(_ text: String) -> HistoryReference? {
    if text.hasPrefix("msgid=") {
      let id = text.dropFirst("msgid=".count)
      return id.isEmpty ? nil : .msgid(String(id))
    }
    if text.hasPrefix("timestamp="), let time = ServerTime.parse(String(text.dropFirst(10))) {
      return .timestamp(time)
    }
    return nil
  }

  /// The history `name` denotes if `client` may read it, with the name its batch carries: a
  /// channel `client` is in, or the conversation between `client`'s account and the account of
  /// the nick `name` (online, logged in) or the account called `name`.
  func readableHistoryTarget(_ name: String, for client: Client)
    -> (HistoryTarget, String)?
  {
    if Self.channelPart(of: name) == name {
      guard let channel = channel(named: name), channel.members[client.id] != nil else {
        return nil
      }
      return (.channel(channel.foldedName), channel.name)
    }
    guard let own = client.account?.foldedName else { return nil }
    if let other = self.client(named: name), other.isRegistered,
      let account = other.account?.foldedName
    {
      return (.between(own, account), name)
    }
    guard let account = accounts[fold(name)] else { return nil }
    return (.between(own, account.foldedName), name)
  }

  /// Every target `client` may read, for `TARGETS`: its channels, and the direct
  /// conversations its account has had (known from the store at start-up and kept current),
  /// so the cost follows the user's own conversations, not the number of accounts.
  func historyCandidates(for client: Client) -> [HistoryTarget] {
    var candidates = client.channels.sorted().map { HistoryTarget.channel($0) }
    if let own = client.account?.foldedName, let conversations = directConversations[own] {
      candidates += conversations.sorted { $0.key < $1.key }
    }
    return candidates
  }

  /// Raises the read and holds the session's further input until `historyResponse` answers.
  /// `command`, `batchType` and `batchParams` are for the other commands that read history
  /// (`THREAD`, `THREADS`): the command their `FAIL` names, and their batch.
  func requestHistory(
    _ kind: HistoryRequest.Kind, subcommand: String, target: String?, keepOldest: Int? = nil,
    command: String = "CHATHISTORY", batchType: String = "chathistory",
    batchParams: [String]? = nil, _ message: IRCMessage, _ replies: inout Replies
  ) {
    let session = replies.session
    historyRequestCounter += 1
    let id = historyRequestCounter
    session.pendingHistoryRequest = PendingHistoryRequest(
      id: id, label: labelIfApplicable(message, session: session), subcommand: subcommand,
      target: target, keepOldest: keepOldest, command: command, batchType: batchType,
      batchParams: batchParams)
    replies.labelDeferred = true
    outbox.events.append(.history(HistoryRequest(connection: session.id, id: id, kind: kind)))
  }
}
