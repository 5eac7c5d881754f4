import LyceumProtocol
import Testing

@testable import LyceumCore

/// Capability advertisement and `AUTHENTICATE`, per IRCv3 SASL 3.1/3.2 and the
/// draft/account-registration capability. The account service is scripted.
@Suite("Accounts: CAP and SASL")
struct AccountSASLTests {
  private func advertised(_ reply: [IRCMessage]) -> [String] {
    reply.flatMap { $0.params.last?.split(separator: " ").map(String.init) ?? [] }
  }

  @Test func ls302AdvertisesAccountCapabilities() {
    let h = CoreHarness()
    let id = h.connect()
    let caps = advertised(h.exchange("CAP LS 302", from: id))
    #expect(caps.contains("sasl=PLAIN,EXTERNAL,SCRAM-SHA-256"))
    #expect(caps.contains("account-tag"))
    #expect(caps.contains("account-notify"))
    #expect(caps.contains("draft/account-registration=before-connect,custom-account-name"))
  }

  @Test func accountRegistrationNotAdvertisedWhenClosed() {
    let h = CoreHarness { $0.accountRegistrationOpen = false }
    let id = h.connect()
    let caps = advertised(h.exchange("CAP LS 302", from: id))
    #expect(caps.contains("sasl=PLAIN,EXTERNAL,SCRAM-SHA-256"))
    #expect(!caps.contains { $0.hasPrefix("draft/account-registration") })
  }

  @Test func unknownMechanismListsMechanismsThenFails() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    let reply = h.exchange("AUTHENTICATE DIGEST-MD5", from: id)
    #expect(reply.commands == ["908", "904"])
    #expect(
      reply.first?.params == [
        "alice", "PLAIN,EXTERNAL,SCRAM-SHA-256", "are available SASL mechanisms",
      ])
    #expect(h.accountRequests().isEmpty)
  }

  @Test func plainGetsEmptyChallenge() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    let reply = h.exchange("AUTHENTICATE PLAIN", from: id)
    #expect(reply.count == 1)
    #expect(reply.first?.command == "AUTHENTICATE")
    #expect(reply.first?.params == ["+"])
    #expect(h.accountRequests().isEmpty)
  }

  @Test func responseReachesServiceDecodedWithConnectionDetails() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice", certificateFingerprint: "ab12")
    h.send("AUTHENTICATE plain", from: id)
    #expect(h.exchange("AUTHENTICATE \(Accounts.plain("alice", "pw"))", from: id).isEmpty)
    let expected = SASLStep(
      connection: id.raw, ip: "198.51.100.7", mechanism: "PLAIN",
      response: Array("\0alice\0pw".utf8), certificateFingerprint: "ab12", isFirst: true)
    #expect(h.accountRequests() == [.saslStep(expected)])
  }

  @Test func fullChunkWaitsForMoreAndPlusEndsIt() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE EXTERNAL", from: id)
    _ = h.lines(for: id)
    let chunk = String(repeating: "QUFB", count: 100)  // 400 characters: "AAA" × 100
    #expect(h.exchange("AUTHENTICATE \(chunk)", from: id).isEmpty)
    #expect(h.accountRequests().isEmpty)
    #expect(h.exchange("AUTHENTICATE +", from: id).isEmpty)
    let requests = h.accountRequests()
    #expect(requests.count == 1)
    guard case .saslStep(let step) = requests.first else {
      Issue.record("expected a SASL step, got \(requests)")
      return
    }
    #expect(step.response == Array(repeating: UInt8(ascii: "A"), count: 300))
    #expect(step.mechanism == "EXTERNAL")
    #expect(step.isFirst)
  }

  @Test func emptyResponseIsPlus() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice", certificateFingerprint: "ff00")
    h.send("AUTHENTICATE EXTERNAL", from: id)
    h.send("AUTHENTICATE +", from: id)
    let expected = SASLStep(
      connection: id.raw, ip: "198.51.100.7", mechanism: "EXTERNAL", response: [],
      certificateFingerprint: "ff00", isFirst: true)
    #expect(h.accountRequests() == [.saslStep(expected)])
  }

  @Test func challengeIsSentAndNextResponseIsNotFirst() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE SCRAM-SHA-256", from: id)
    h.send("AUTHENTICATE \(Base64.encode(Array("n,,n=alice,r=abc".utf8)))", from: id)
    _ = h.accountRequests()
    _ = h.lines(for: id)
    let challenge = Array("r=abcdef,s=c2FsdA==,i=4096".utf8)
    h.answer(.saslChallenge(challenge), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["AUTHENTICATE"])
    #expect(reply.first?.params == [Base64.encode(challenge)])
    h.send("AUTHENTICATE \(Base64.encode(Array("c=biws,r=abcdef,p=xyz".utf8)))", from: id)
    let requests = h.accountRequests()
    guard case .saslStep(let step) = requests.first, requests.count == 1 else {
      Issue.record("expected one SASL step, got \(requests)")
      return
    }
    #expect(!step.isFirst)
    #expect(step.mechanism == "SCRAM-SHA-256")
    #expect(step.response == Array("c=biws,r=abcdef,p=xyz".utf8))
  }

  @Test func challengeOfExactly300BytesEndsWithPlus() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE SCRAM-SHA-256", from: id)
    h.send("AUTHENTICATE \(Base64.encode(Array("n,,n=alice,r=abc".utf8)))", from: id)
    _ = h.lines(for: id)
    let challenge = (0..<300).map { UInt8($0 % 251) }
    h.answer(.saslChallenge(challenge), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["AUTHENTICATE", "AUTHENTICATE"])
    #expect(reply.first?.params.first?.utf8.count == 400)
    #expect(reply.first?.params == [Base64.encode(challenge)])
    #expect(reply.last?.params == ["+"])
  }

  @Test func longChallengeIsChunked() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE SCRAM-SHA-256", from: id)
    h.send("AUTHENTICATE \(Base64.encode(Array("n,,n=alice,r=abc".utf8)))", from: id)
    _ = h.lines(for: id)
    let challenge = (0..<400).map { UInt8($0 % 256) }
    h.answer(.saslChallenge(challenge), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["AUTHENTICATE", "AUTHENTICATE"])
    #expect(reply.map { $0.params[0].utf8.count } == [400, 136])
    #expect(reply.map { $0.params[0] }.joined() == Base64.encode(challenge))
  }

  @Test func loggedInSends900And903() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice"))", from: id)
    _ = h.lines(for: id)
    h.answer(.loggedIn(Accounts.summary("alice"), via: .password(stamp: "s1")), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["900", "903"])
    #expect(
      reply.first?.params == [
        "alice", "alice!alice@198.51.100.7", "alice", "You are now logged in as alice",
      ])
    #expect(reply.last?.params.first == "alice")
    #expect(h.client(id).account?.name == "alice")
  }

  @Test func failedLoginSends904() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice", "wrong"))", from: id)
    _ = h.lines(for: id)
    h.answer(.authenticationFailed, for: id)
    #expect(h.messages(for: id).commands == ["904"])
    #expect(h.client(id).account == nil)
    // The exchange is over: a new one may start.
    #expect(h.exchange("AUTHENTICATE PLAIN", from: id).first?.params == ["+"])
  }

  @Test func throttledSends904WithRetryTime() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice", "wrong"))", from: id)
    _ = h.lines(for: id)
    h.answer(.throttled(retryAfterSeconds: 30), for: id)
    let reply = h.messages(for: id)
    #expect(reply.commands == ["904"])
    #expect(reply.first?.params.last?.contains("try again in 30 seconds") == true)
  }

  @Test func malformedSends904() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE SCRAM-SHA-256", from: id)
    h.send("AUTHENTICATE \(Base64.encode(Array("garbage".utf8)))", from: id)
    _ = h.lines(for: id)
    h.answer(.malformed, for: id)
    #expect(h.messages(for: id).commands == ["904"])
  }

  @Test func abortSends906AndTellsService() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE SCRAM-SHA-256", from: id)
    h.send("AUTHENTICATE \(Base64.encode(Array("n,,n=alice,r=abc".utf8)))", from: id)
    h.answer(.saslChallenge(Array("r=abcdef,s=c2FsdA==,i=4096".utf8)), for: id)
    _ = h.accountRequests()
    _ = h.lines(for: id)
    let reply = h.exchange("AUTHENTICATE *", from: id)
    #expect(reply.commands == ["906"])
    #expect(h.accountRequests() == [.saslAbort(connection: id.raw)])
  }

  @Test func overlongChunkSends905() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    _ = h.lines(for: id)
    let reply = h.exchange("AUTHENTICATE " + String(repeating: "A", count: 404), from: id)
    #expect(reply.commands == ["905"])
    #expect(h.accountRequests() == [.saslAbort(connection: id.raw)])
  }

  @Test func overlongResponseSends905() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    _ = h.lines(for: id)
    let chunk = String(repeating: "A", count: 400)
    var replies: [IRCMessage] = []
    for _ in 0..<30 where replies.isEmpty {
      replies = h.exchange("AUTHENTICATE \(chunk)", from: id)
    }
    #expect(replies.commands == ["905"])
    #expect(h.accountRequests() == [.saslAbort(connection: id.raw)])
  }

  @Test func alreadyLoggedInSends907() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.saslLogin(id, as: Accounts.summary("alice"))
    _ = h.lines(for: id)
    #expect(h.exchange("AUTHENTICATE PLAIN", from: id).commands == ["907"])
  }

  @Test func invalidBase64Sends904() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    _ = h.lines(for: id)
    #expect(h.exchange("AUTHENTICATE ab$d", from: id).commands == ["904"])
    #expect(h.accountRequests() == [.saslAbort(connection: id.raw)])
  }

  @Test func capEndWaitsForOutstandingAnswer() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice"))", from: id)
    _ = h.lines(for: id)
    #expect(h.exchange("CAP END", from: id).isEmpty)
    #expect(!h.session(id).isRegistered)
    h.answer(.loggedIn(Accounts.summary("alice"), via: .password(stamp: "s1")), for: id)
    let commands = h.messages(for: id).commands
    #expect(Array(commands.prefix(3)) == ["900", "903", "001"])
    #expect(h.session(id).isRegistered)
  }

  @Test func registrationCompletesAfterFailedLogin() {
    let h = CoreHarness()
    let id = h.startRegistration(nick: "alice")
    h.send("AUTHENTICATE PLAIN", from: id)
    h.send("AUTHENTICATE \(Accounts.plain("alice", "wrong"))", from: id)
    h.send("CAP END", from: id)
    _ = h.lines(for: id)
    h.answer(.authenticationFailed, for: id)
    let commands = h.messages(for: id).commands
    #expect(Array(commands.prefix(2)) == ["904", "001"])
    #expect(h.client(id).account == nil)
  }
}
