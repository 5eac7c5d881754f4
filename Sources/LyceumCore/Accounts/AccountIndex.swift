/// The clients logged in to each account, by folded account name: so that what concerns one
/// account (a changed role, a revoked token, a deleted account, a second session joining its
/// client) touches that account's clients, not every client on the server.
///
/// Kept by `Client.account` itself (every change of it moves the client here), and so current
/// whichever code logs a client in or out. Touched only on the core's queue.
final class AccountIndex {
  private var clients: [String: Set<ClientID>] = [:]

  /// Moves `id` from the account `old` to the account `new` (either nil for none).
  func move(_ id: ClientID, from old: String?, to new: String?) {
    if let old {
      clients[old]?.remove(id)
      if clients[old]?.isEmpty == true { clients[old] = nil }
    }
    if let new { clients[new, default: []].insert(id) }
  }

  /// The folded names of the accounts with a client logged in.
  var loggedInAccounts: [String] { Array(clients.keys) }

  /// The ids of the clients logged in to the account `folded`.
  func clients(ofAccount folded: String) -> Set<ClientID> {
    clients[folded] ?? []
  }
}

extension IRCServerCore {
  /// The clients logged in to the account `folded`, in no particular order.
  func clients(ofAccount folded: String) -> [Client] {
    accountIndex.clients(ofAccount: folded).compactMap { clients[$0] }
  }
}
