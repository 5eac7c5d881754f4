/// Running counts of the registered clients for `LUSERS`, kept as clients register, quit and
/// change user modes, so that a welcome (which includes `LUSERS`) costs the same with ten
/// thousand clients on the server as with ten: a scan of every client at every registration
/// made a storm of connections quadratic.
///
/// A client is counted from `add` (its registration, or a remote client's introduction) to
/// `remove`; its `isInvisible` and `isOperator` keep the counts current meanwhile.
final class ClientCounts {
  private(set) var registered = 0
  private(set) var invisible = 0
  private(set) var operators = 0
  /// Registered clients of other nodes of the network, by node.
  private(set) var remoteByNode: [String: Int] = [:]
  /// The most registered clients seen at once: here, and on the whole network.
  private(set) var maxLocal = 0
  private(set) var maxGlobal = 0

  var remote: Int { registered - local }
  private(set) var local = 0

  func add(_ client: Client) {
    guard !client.isCounted else { return }
    client.isCounted = true
    registered += 1
    if client.isInvisible { invisible += 1 }
    if client.isOperator { operators += 1 }
    if let home = client.home {
      remoteByNode[home.node, default: 0] += 1
    } else {
      local += 1
    }
    maxLocal = max(maxLocal, local)
    maxGlobal = max(maxGlobal, registered)
  }

  func remove(_ client: Client) {
    guard client.isCounted else { return }
    client.isCounted = false
    registered -= 1
    if client.isInvisible { invisible -= 1 }
    if client.isOperator { operators -= 1 }
    if let home = client.home {
      let left = (remoteByNode[home.node] ?? 1) - 1
      remoteByNode[home.node] = left > 0 ? left : nil
    } else {
      local -= 1
    }
  }

  /// A counted client's user mode changed.
  func changed(invisible wasInvisible: Bool, to isInvisible: Bool) {
    if wasInvisible != isInvisible { invisible += isInvisible ? 1 : -1 }
  }

  func changed(operator wasOperator: Bool, to isOperator: Bool) {
    if wasOperator != isOperator { operators += isOperator ? 1 : -1 }
  }
}
