import LyceumProtocol
import Testing

@testable import LyceumCore

@Suite("OPER, KILL, REHASH")
struct OperatorTests {
  private func harness() -> CoreHarness {
    CoreHarness {
      $0.operators = [
        OperatorCredential(name: "admin", password: "s3cret"),
        OperatorCredential(name: "local", password: "pw", hostMask: "*!*@127.0.0.1"),
      ]
      $0.operFailureLimit = RateLimit(count: 100, window: .seconds(60))  // see OperThrottleTests
    }
  }

  @Test func goodCredentialsMakeAnOperator() {
    let h = harness()
    let alice = h.connectRegistered("alice")
    let replies = h.exchange("OPER admin s3cret", from: alice)
    #expect(replies.commands == ["381", "MODE"])
    #expect(replies[0].numericParams == ["You are now an IRC operator"])
    #expect(replies[1].params == ["alice", "+o"])
    #expect(h.client(alice).isOperator)
  }

  @Test func wrongPasswordOrNameGets464() {
    let h = harness()
    let alice = h.connectRegistered("alice")
    for line in [
      "OPER admin wrong", "OPER nobody s3cret", "OPER admin s3cret2", "OPER admin s3cre",
    ] {
      let replies = h.exchange(line, from: alice)
      #expect(replies.commands == ["464"])
      #expect(replies.first?.numericParams == ["Password incorrect"])
    }
    #expect(!h.client(alice).isOperator)
  }

  @Test func hostMismatchGets491() {
    let h = harness()
    let alice = h.connectRegistered("alice", ip: "192.0.2.1")
    #expect(h.exchange("OPER local pw", from: alice).commands == ["491"])
    let localUser = h.connectRegistered("lu", ip: "127.0.0.1")
    #expect(h.exchange("OPER local pw", from: localUser).commands == ["381", "MODE"])
  }

  @Test func constantTimeComparison() {
    #expect(constantTimeEqual("abc", "abc"))
    #expect(!constantTimeEqual("abc", "abd"))
    #expect(!constantTimeEqual("abc", "abcd"))
    #expect(!constantTimeEqual("", "a"))
    #expect(constantTimeEqual("", ""))
  }

  @Test func killDisconnectsTheTargetWithTheReason() {
    let h = harness()
    let oper = h.connectRegistered("oper")
    h.client(oper).isOperator = true
    let victim = h.connectRegistered("victim")
    let peer = h.connectRegistered("peer")
    h.place(victim, in: "#a")
    h.place(peer, in: "#a")
    #expect(h.exchange("KILL victim :spamming", from: oper).isEmpty)
    #expect(h.core.clients[victim] == nil)
    #expect(h.closed == [victim])
    let error = h.messages(for: victim)
    #expect(error.last?.command == "ERROR")
    #expect(error.last?.params.first?.contains("Killed (oper (spamming))") == true)
    let quit = h.messages(for: peer)
    #expect(quit.first?.command == "QUIT")
    #expect(quit.first?.params.first?.contains("Killed (oper (spamming))") == true)
  }

  @Test func killUnknownNickGets401() {
    let h = harness()
    let oper = h.connectRegistered("oper")
    h.client(oper).isOperator = true
    let replies = h.exchange("KILL nobody :x", from: oper)
    #expect(replies.commands == ["401"])
    #expect(replies[0].numericParams == ["nobody", "No such nick/channel"])
  }

  @Test func killAndRehashNeedOperator() {
    let h = harness()
    let alice = h.connectRegistered("alice")
    h.connectRegistered("victim")
    #expect(h.exchange("KILL victim :x", from: alice).commands == ["481"])
    #expect(h.exchange("REHASH", from: alice).commands == ["481"])
    #expect(h.events.isEmpty)
  }

  @Test func rehashAsksTheServerAndAnswers382() {
    let h = harness()
    let oper = h.connectRegistered("oper")
    h.client(oper).isOperator = true
    let replies = h.exchange("REHASH", from: oper)
    #expect(replies.commands == ["382"])
    #expect(replies[0].numericParams.last == "Rehashing")
    #expect(replies[0].numericParams.count == 2)
    #expect(h.events == [.rehashRequested(by: "oper")])
  }
}
