import LyceumProtocol

/// `SEARCH <attributes>` (soju.im/search): the kept messages that match, from the targets the
/// searcher may read, newest first, in a `soju.im/search` batch.
///
/// The attributes are `key=value` pairs separated by `;`, values escaped as message-tag values:
/// `text`, `in`, `from`, `after`, `before`, `limit` (the spec's), and Lyceum's own
/// `lyceum.chat/thread` (only one thread's root and replies; needs `in`) and
/// `lyceum.chat/cursor` (the next page, from the `NOTE SEARCH MORE_RESULTS` of the previous
/// answer). Unknown attributes are ignored, as soju does, so clients can send newer ones.
///
/// Who may read what is `CHATHISTORY`'s: the channels the client is in now and the direct
/// conversations of its account, each from its history floor on (`historyFloor(_:)`). The read
/// runs where `CHATHISTORY` reads run, off the core's queue.
extension IRCServerCore {
  func handleSearch(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    func invalid(_ attribute: String, _ description: String) {
      replies.standardReply(
        .fail, command: "SEARCH", code: "INVALID_PARAMS", context: [attribute],
        description: description)
    }
    guard message.params.count == 1 else {
      return invalid(
        "*", message.params.isEmpty ? "Missing search attributes" : "Too many parameters")
    }
    let attributes = Self.searchAttributes(message.params[0])
    let limits = configuration.limits
    var query = SearchQuery(
      terms: nil, scopes: [], limit: limits.searchMaxResults,
      scanBudget: limits.searchScanBudget, timeBudget: limits.searchTimeBudget,
      caseMapping: caseMapping)
    var inTarget: (HistoryTarget, String)? = nil
    for (key, value) in attributes {
      switch key {
      case "text":
        do {
          query.terms = try SearchText.parse(value)
        } catch {
          return invalid("text", error.description)
        }
      case "in":
        guard let readable = readableHistoryTarget(value, for: client) else {
          return invalid("in", "No such channel or conversation you may search")
        }
        inTarget = readable
      case "from":
        guard !value.isEmpty else { return invalid("from", "Empty nick") }
        query.from = fold(value)
      case "after", "before":
        guard let time = ServerTime.parse(value) else {
          return invalid(key, "Invalid time (expected YYYY-MM-DDThh:mm:ss.sssZ)")
        }
        if key == "after" { query.after = time } else { query.before = time }
      case "limit":
        guard let limit = Int(value), limit > 0 else { return invalid("limit", "Invalid limit") }
        query.limit = min(limit, limits.searchMaxResults)
      case "lyceum.chat/thread":
        let root = value.hasPrefix("msgid=") ? String(value.dropFirst(6)) : value
        guard !root.isEmpty else { return invalid(key, "Invalid thread root msgid") }
        query.threadRoot = root
      case "lyceum.chat/cursor":
        guard let cursor = Int64(value), cursor > 0 else {
          return invalid(key, "Invalid cursor")
        }
        query.cursor = cursor
      default:
        continue
      }
    }
    if query.threadRoot != nil, inTarget == nil {
      return invalid("lyceum.chat/thread", "A thread search needs the in attribute")
    }
    let targets = inTarget.map { [$0.0] } ?? historyCandidates(for: client)
    query.scopes = targets.map { SearchScope(target: $0, floor: historyFloor($0)) }
      .filter { $0.floor != .max }
    requestHistory(
      .search(query), subcommand: "SEARCH", target: nil, command: "SEARCH",
      batchType: "soju.im/search", batchParams: [], message, &replies)
  }

  /// The attributes of a `SEARCH`, in order: `key=value` (the value unescaped as a tag value)
  /// or a bare `key` with an empty value. A repeated key keeps its last value.
  static func searchAttributes(_ text: String) -> [(String, String)] {
    var seen: [String: Int] = [:]
    var attributes: [(String, String)] = []
    for item in text.split(separator: ";", omittingEmptySubsequences: true) {
      let key: String
      let value: String
      if let equals = item.firstIndex(of: "=") {
        key = String(item[..<equals])
        value = TagEscaping.unescape(item[item.index(after: equals)...])
      } else {
        key = String(item)
        value = ""
      }
      if let index = seen[key] {
        attributes[index].1 = value
      } else {
        seen[key] = attributes.count
        attributes.append((key, value))
      }
    }
    return attributes
  }
}

extension IRCServerCore {
  /// A `soju.im/search` batch of what a search found, oldest first as the spec asks (the
  /// selection itself is the newest matches), then, when there may be more,
  /// `NOTE SEARCH MORE_RESULTS <cursor>`: repeat the search with `lyceum.chat/cursor=<cursor>`
  /// for the next (older) page.
  func replaySearch(_ result: SearchResult, _ replies: inout Replies) {
    let capabilities = replies.session.capabilities
    let lines = result.entries.reversed().flatMap { replayedLines($0, for: capabilities) }
    appendBatch(type: "soju.im/search", [], lines, &replies)
    if let next = result.next {
      replies.standardReply(
        .note, command: "SEARCH", code: "MORE_RESULTS", context: [String(next)],
        description: result.budgetExhausted
          ? "Search stopped at its work limit; continue with lyceum.chat/cursor=\(next)"
          : "More results: continue with lyceum.chat/cursor=\(next)")
    }
  }
}
