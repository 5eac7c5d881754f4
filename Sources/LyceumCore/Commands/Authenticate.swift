import LyceumProtocol

extension IRCServerCore {
  /// The mechanisms advertised in `sasl=` and `908`.
  static let saslMechanisms = ["PLAIN", "EXTERNAL", "SCRAM-SHA-256"]
  /// A client response longer than this (decoded) is refused with `905`.
  static let maxSASLResponseBytes = 8192
  /// The AUTHENTICATE chunk size (IRCv3 SASL 3.1).
  static let saslChunk = 400

  /// `AUTHENTICATE <mechanism>`, then `AUTHENTICATE <base64>` chunks, `+` for empty, `*` to
  /// abort (IRCv3 SASL 3.1/3.2). The core assembles chunks and leaves the mechanisms to the
  /// account service; numerics `900`–`908`.
  func handleAuthenticate(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let session = replies.session
    let argument = message.params[0]
    if argument == "*" {
      if session.sasl != nil {
        abortSASL(session)
        replies.numeric(.errSASLAborted, "SASL authentication aborted")
      } else {
        replies.numeric(.errSASLFail, "SASL authentication failed")
      }
      return
    }
    guard var exchange = session.sasl else {
      startSASL(client, mechanism: argument.uppercased(), &replies)
      return
    }
    guard !exchange.awaitingService else {
      replies.numeric(.errSASLFail, "SASL authentication failed: wait for the server's reply")
      return
    }
    guard argument.utf8.count <= Self.saslChunk else {
      abortSASL(session)
      replies.numeric(.errSASLTooLong, "SASL message too long")
      return
    }
    if argument != "+" { exchange.buffer += argument }
    guard exchange.buffer.utf8.count <= Self.maxSASLResponseBytes * 4 / 3 + 4 else {
      abortSASL(session)
      replies.numeric(.errSASLTooLong, "SASL message too long")
      return
    }
    if argument.utf8.count == Self.saslChunk {
      session.sasl = exchange  // more chunks follow
      return
    }
    let decoded: [UInt8]? = exchange.buffer.isEmpty ? [] : Base64.decode(exchange.buffer)
    guard let response = decoded else {
      abortSASL(session)
      replies.numeric(.errSASLFail, "SASL authentication failed: invalid base64")
      return
    }
    let step = SASLStep(
      connection: session.id.raw, ip: session.ip, mechanism: exchange.mechanism,
      response: response, certificateFingerprint: session.tlsCertificateFingerprint,
      isFirst: !exchange.sentFirst)
    exchange.buffer = ""
    exchange.sentFirst = true
    exchange.awaitingService = true
    session.sasl = exchange
    session.pendingAccountRequest = .sasl
    outbox.events.append(.account(.saslStep(step)))
  }

  private func startSASL(_ client: Client, mechanism: String, _ replies: inout Replies) {
    guard client.account == nil else {
      replies.numeric(.errSASLAlready, "You have already authenticated using SASL")
      return
    }
    guard Self.saslMechanisms.contains(mechanism) else {
      replies.numeric(
        .saslMechs, Self.saslMechanisms.joined(separator: ","), "are available SASL mechanisms")
      replies.numeric(.errSASLFail, "SASL authentication failed")
      return
    }
    replies.session.sasl = SASLExchange(mechanism: mechanism)
    replies.send(IRCMessage(command: "AUTHENTICATE", params: ["+"]))
  }

  /// Ends a SASL exchange on the core's side and tells the account service to forget it.
  func abortSASL(_ session: Session) {
    guard let exchange = session.sasl else { return }
    // The account service answers each connection's requests in order; the answer to a step
    // still being worked on must not be taken for the answer to a later request.
    if exchange.awaitingService { session.staleAccountAnswers += 1 }
    session.sasl = nil
    if session.pendingAccountRequest == .sasl { session.pendingAccountRequest = nil }
    outbox.events.append(.account(.saslAbort(connection: session.id.raw)))
  }

  /// `AUTHENTICATE <base64>` lines for a challenge: 400-byte chunks, `+` after an exact
  /// multiple of 400 (or for an empty challenge).
  func sendSASLChallenge(_ bytes: [UInt8], _ replies: inout Replies) {
    let encoded = Array(Base64.encode(bytes).utf8)
    var offset = 0
    while offset < encoded.count {
      let end = min(offset + Self.saslChunk, encoded.count)
      replies.send(
        IRCMessage(
          command: "AUTHENTICATE", params: [String(decoding: encoded[offset..<end], as: UTF8.self)])
      )
      offset = end
    }
    if encoded.count % Self.saslChunk == 0 {
      replies.send(IRCMessage(command: "AUTHENTICATE", params: ["+"]))
    }
  }
}
