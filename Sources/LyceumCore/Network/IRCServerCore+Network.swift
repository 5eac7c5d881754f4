import LyceumProtocol

/// The node's side of a network of lyceumd processes sharing one database: what a local
/// change publishes, and the nick claims that make nicks unique across the network.
///
/// The core does no I/O: a published event goes into the outbox (`Outbox.publication`), and
/// the server commits it in the same transaction as the history entries of the same output,
/// so a message is kept and published at once or not at all. A nick is the network's only
/// once the shared database says so (`CoreEvent.claimNick`, answered with
/// `nickClaimAnswered(_:claimed:)`); until then the connection's further commands wait, as
/// they do behind a login.
extension IRCServerCore {
  /// Makes this core one node of a network, called `node` for this run: from now on local
  /// changes are published and `applyNetworkEvent(_:)` applies the other nodes'. Called once,
  /// before any connection.
  public func joinNetwork(node: String) {
    networkNode = node
  }

  /// How the network names `client`: its home node's ref for a remote client, this node's for
  /// a local one.
  func networkRef(_ client: Client) -> NetworkClientRef {
    client.home ?? NetworkClientRef(node: networkNode ?? "", id: client.id.raw)
  }

  /// Queues `event` for the other nodes. When this server is alone the event is not even made:
  /// the call sites are on the message path.
  func publish(_ event: @autoclosure () -> NetworkEvent) {
    guard let node = networkNode else { return }
    if outbox.publication == nil { outbox.publication = NetworkPublication(node: node) }
    outbox.publication?.events.append(event())
  }

  /// Gives up local client `clientID`'s network claim of the folded `nick`, or all of them.
  func releaseNickClaim(of clientID: UInt64, nick: String?) {
    guard networkNode != nil else { return }
    outbox.events.append(.releaseNick(NickRelease(client: clientID, nick: nick)))
  }

  /// `client` as the other nodes learn it.
  func networkUser(_ client: Client) -> NetworkUser {
    NetworkUser(
      ref: networkRef(client), nick: client.nick ?? "*", user: client.user ?? "*",
      host: client.host, realname: client.realname, account: client.account,
      isInvisible: client.isInvisible, isOperator: client.isOperator, isBot: client.isBot,
      isTLS: client.isTLS, awayMessage: client.awayMessage,
      signonMilliseconds: client.signonMilliseconds, server: configuration.serverName)
  }

  /// Whether local `client` must claim `folded` in the shared database before it may use it.
  func needsNickClaim(_ client: Client, _ folded: String) -> Bool {
    networkNode != nil && client.home == nil && client.claimedNick != folded
  }

  /// Asks the server to claim `nick` for `client`; the session's commands wait for the answer.
  func requestNickClaim(_ client: Client, nick: String, folded: String, session: Session) {
    session.pendingNickClaim = PendingNickClaim(nick: nick, folded: folded)
    outbox.events.append(
      .claimNick(NickClaim(connection: session.id, client: client.id.raw, folded: folded)))
  }

  /// The shared database's answer to `claim`: on success registration goes on (or the nick
  /// changes); otherwise the client gets `433` as for a nick in use here.
  public func nickClaimAnswered(_ claim: NickClaim, claimed: Bool) {
    guard let session = sessions[claim.connection], let pending = session.pendingNickClaim,
      pending.folded == claim.folded, session.client.id.raw == claim.client
    else {
      // The connection went (or moved on) while the database answered: give the claim back.
      if claimed && clients[ClientID(claim.client)]?.foldedNick != claim.folded {
        releaseNickClaim(of: claim.client, nick: claim.folded)
      }
      return
    }
    session.pendingNickClaim = nil
    let client = session.client
    var replies = Replies(
      serverName: configuration.serverName, target: client.displayNick, session: session)
    let holder = clientsByNick[claim.folded]
    if claimed && (holder == nil || holder == client.id)
      && (!client.isRegistered || isReserved(claim.folded, against: client) == nil)
    {
      client.claimedNick = claim.folded
      if client.isRegistered {
        changeNick(client, to: pending.nick, folded: claim.folded, &replies)
      } else {
        completeRegistrationIfReady(client, &replies)
      }
    } else {
      // Granted but no longer usable here (taken or reserved meanwhile): give it back.
      if claimed { releaseNickClaim(of: claim.client, nick: claim.folded) }
      replies.numeric(.errNicknameInUse, pending.nick, "Nickname is already in use")
      if !client.isRegistered, client.foldedNick == claim.folded {
        if clientsByNick[claim.folded] == client.id { clientsByNick[claim.folded] = nil }
        client.nick = nil
        client.foldedNick = nil
        replies.target = "*"
      }
    }
    finish(replies, label: nil)
    replayDeferred(session)
  }
}

/// A nick a session asked for and waits to hear the network's answer about.
struct PendingNickClaim: Equatable {
  var nick: String
  var folded: String
}
