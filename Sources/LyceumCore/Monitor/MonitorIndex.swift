/// Who watches which nick with `MONITOR`: each client's list in the order it was given, and for
/// the notifications the watchers of each folded nick, so a nick coming or going costs one
/// dictionary lookup, not a scan of every client.
struct MonitorIndex {
  /// Each watching client's list: (folded nick, nick as the client gave it), oldest first.
  private var lists: [ClientID: [(folded: String, given: String)]] = [:]
  private var watchers: [String: Set<ClientID>] = [:]

  /// The nicks `client` watches, as it gave them, oldest first.
  func list(of client: ClientID) -> [String] { lists[client, default: []].map(\.given) }

  func count(of client: ClientID) -> Int { lists[client]?.count ?? 0 }

  func contains(_ folded: String, for client: ClientID) -> Bool {
    watchers[folded]?.contains(client) ?? false
  }

  /// The clients watching `folded`.
  func watchers(of folded: String) -> Set<ClientID> { watchers[folded] ?? [] }

  /// Adds `given` (folded `folded`) to `client`'s list; nothing when it is there already.
  mutating func add(_ given: String, folded: String, for client: ClientID) {
    guard watchers[folded, default: []].insert(client).inserted else { return }
    lists[client, default: []].append((folded, given))
  }

  mutating func remove(_ folded: String, for client: ClientID) {
    guard watchers[folded]?.remove(client) != nil else { return }
    if watchers[folded]?.isEmpty == true { watchers[folded] = nil }
    lists[client]?.removeAll { $0.folded == folded }
    if lists[client]?.isEmpty == true { lists[client] = nil }
  }

  /// Empties `client`'s list (`MONITOR C`, or the client is gone).
  mutating func clear(for client: ClientID) {
    for entry in lists[client] ?? [] { remove(entry.folded, for: client) }
  }
}
