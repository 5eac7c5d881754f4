import LyceumProtocol
import Testing

@testable import LyceumCore

/// Command flood control (fakelag) and the registration throttle, driven by a manual clock.
@Suite("Flood control")
struct FloodTests {
  /// Burst 3, then one command per second; five may wait; history burst 2, one per second.
  static func tight(_ configuration: inout CoreConfiguration) {
    var limits = CommandFloodLimits()
    limits.commands = BucketLimits(burst: 3, ratePerSecond: 1)
    limits.history = BucketLimits(burst: 2, ratePerSecond: 1)
    limits.queueLimit = 5
    configuration.commandFlood = limits
  }

  /// A harness with tight limits and two registered clients, alice (the sender) and bob.
  static func pair(
    _ adjust: (inout CoreConfiguration) -> Void = { _ in }
  ) -> (CoreHarness, ClientID, ClientID) {
    let h = CoreHarness {
      tight(&$0)
      adjust(&$0)
    }
    let alice = h.connectRegistered("alice")
    let bob = h.connectRegistered("bob", ip: "203.0.113.9")
    return (h, alice, bob)
  }

  /// The texts of the PRIVMSGs `id` received.
  static func texts(_ h: CoreHarness, _ id: ClientID) -> [String] {
    h.messages(for: id).with("PRIVMSG").map { $0.params.last ?? "" }
  }

  static func tickAfter(_ h: CoreHarness, _ duration: Duration) {
    h.clock.advance(by: duration)
    h.core.tick()
  }

  @Test func burstRunsAtOnceThenOnePerRefillInOrder() {
    let (h, alice, bob) = Self.pair()
    for n in 1...6 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    #expect(Self.texts(h, bob) == ["m1", "m2", "m3"])
    #expect(h.core.nextFloodDeadline == .seconds(1))
    Self.tickAfter(h, .milliseconds(999))
    #expect(Self.texts(h, bob).isEmpty)
    Self.tickAfter(h, .milliseconds(1))
    #expect(Self.texts(h, bob) == ["m4"])
    Self.tickAfter(h, .seconds(5))
    #expect(Self.texts(h, bob) == ["m5", "m6"])
    #expect(h.core.nextFloodDeadline == nil)
  }

  @Test func arrivalRunsWhatHasRefilledBeforeQueueing() {
    let (h, alice, bob) = Self.pair()
    for n in 1...4 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    #expect(Self.texts(h, bob) == ["m1", "m2", "m3"])
    h.clock.advance(by: .seconds(2))
    h.send("PRIVMSG bob :m5", from: alice)
    #expect(Self.texts(h, bob) == ["m4", "m5"])
  }

  @Test func queueOverflowIsExcessFlood() {
    let (h, alice, bob) = Self.pair()
    for n in 1...8 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    #expect(h.closed.isEmpty)
    h.send("PRIVMSG bob :m9", from: alice)
    #expect(h.closed == [alice])
    #expect(h.lines(for: alice).last == "ERROR :Closing Link: 198.51.100.7 (Excess flood)")
    #expect(h.core.sessions[alice] == nil)
    #expect(h.core.nextFloodDeadline == nil)
    let seen = h.messages(for: bob)
    #expect(seen.with("PRIVMSG").count == 3)
    #expect(seen.with("QUIT").isEmpty, "alice shared no channel with bob")
  }

  @Test func pingIsFreeButKeepsItsPlaceBehindQueuedCommands() {
    let (h, alice, bob) = Self.pair()
    for n in 1...3 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    _ = h.lines(for: bob)
    #expect(h.exchange("PING now", from: alice).commands == ["PONG"])
    h.send("PRIVMSG bob :m4", from: alice)
    #expect(h.exchange("PING later", from: alice).isEmpty)
    Self.tickAfter(h, .seconds(1))
    #expect(Self.texts(h, bob) == ["m4"])
    #expect(h.messages(for: alice).map { $0.params.last } == ["later"])
  }

  @Test func pongAndQuitAreNeverDelayed() {
    let (h, alice, bob) = Self.pair()
    for n in 1...5 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    h.clock.advance(by: .seconds(100))
    h.core.tick()  // the server's PING; the queue drains too
    _ = h.lines(for: bob)
    h.clock.advance(by: .seconds(10))
    for n in 6...10 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    h.send("PONG irc.test", from: alice)
    #expect(h.session(alice).pingSentAt == nil)
    h.send("QUIT :bye", from: alice)
    #expect(h.closed == [alice])
    #expect(Self.texts(h, bob) == ["m6", "m7", "m8"], "queued m9 and m10 leave with alice")
  }

  @Test func operatorsAreExemptUnlessConfiguredNot() {
    let (h, alice, bob) = Self.pair()
    h.client(alice).isOperator = true
    for n in 1...20 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    #expect(Self.texts(h, bob).count == 20)

    let (strict, oper, peer) = Self.pair { $0.commandFlood?.exemptOperators = false }
    strict.client(oper).isOperator = true
    for n in 1...5 { strict.send("PRIVMSG bob :m\(n)", from: oper) }
    #expect(Self.texts(strict, peer).count == 3)
  }

  @Test func operQueuedBehindTheBurstReleasesTheRest() {
    let (h, alice, bob) = Self.pair {
      $0.operators = [OperatorCredential(name: "op", password: "pw")]
    }
    for n in 1...3 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    h.send("OPER op pw", from: alice)
    for n in 4...6 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    #expect(Self.texts(h, bob) == ["m1", "m2", "m3"])
    Self.tickAfter(h, .seconds(1))
    #expect(Self.texts(h, bob) == ["m4", "m5", "m6"])
  }

  @Test func botAccountsAreExemptUnlessConfiguredNot() {
    let bot = AccountSummary(name: "herald", foldedName: "herald", role: .bot)
    let (h, alice, bob) = Self.pair()
    h.client(alice).account = bot
    for n in 1...20 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    #expect(Self.texts(h, bob).count == 20)

    let (strict, sender, peer) = Self.pair { $0.commandFlood?.exemptBots = false }
    strict.client(sender).account = bot
    for n in 1...5 { strict.send("PRIVMSG bob :m\(n)", from: sender) }
    #expect(Self.texts(strict, peer).count == 3)

    let (people, person, other) = Self.pair()
    people.client(person).account = AccountSummary(name: "ann", foldedName: "ann", role: .faculty)
    for n in 1...5 { people.send("PRIVMSG bob :m\(n)", from: person) }
    #expect(Self.texts(people, other).count == 3)
  }

  @Test func historyCommandsHaveTheirOwnBucket() {
    let (h, alice, bob) = Self.pair()
    for n in 1...3 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    _ = h.lines(for: bob)
    // CHATHISTORY and MARKREAD do not exist yet (421), but they are not held back.
    #expect(h.exchange("CHATHISTORY LATEST bob * 10", from: alice).commands == ["421"])
    #expect(h.exchange("MARKREAD bob", from: alice).commands == ["421"])
    #expect(h.exchange("CHATHISTORY LATEST bob * 10", from: alice).isEmpty)
    Self.tickAfter(h, .seconds(1))
    #expect(h.messages(for: alice).commands == ["421"])
  }

  @Test func registrationCommandsCount() {
    let h = CoreHarness { Self.tight(&$0) }
    let id = h.connect()
    h.send("CAP LS 302", from: id)
    h.send("NICK carol", from: id)
    h.send("USER carol 0 * :Carol", from: id)
    h.send("CAP END", from: id)
    #expect(!h.messages(for: id).commands.contains("001"))
    Self.tickAfter(h, .seconds(1))
    #expect(h.messages(for: id).commands.contains("001"))
  }

  @Test func disablingFloodControlByReloadRunsTheQueue() {
    let (h, alice, bob) = Self.pair()
    for n in 1...5 { h.send("PRIVMSG bob :m\(n)", from: alice) }
    _ = h.lines(for: bob)
    var configuration = h.core.configuration
    configuration.commandFlood = nil
    h.core.reconfigure(configuration)
    #expect(h.core.nextFloodDeadline == .zero)
    h.send("PRIVMSG bob :m6", from: alice)
    #expect(Self.texts(h, bob) == ["m4", "m5", "m6"])
    #expect(h.core.nextFloodDeadline == nil)
  }
}

@Suite("Registration throttle")
struct RegistrationThrottleTests {
  static func throttled(exempt: Set<String> = []) -> CoreHarness {
    CoreHarness {
      $0.registrationThrottle = RateLimit(count: 2, window: .seconds(60))
      $0.throttleExemptIPs = exempt
    }
  }

  @Test func thirdRegistrationFromOneIPWithinTheWindowIsRefused() {
    let h = Self.throttled()
    h.register(nick: "one")
    h.clock.advance(by: .seconds(15))
    h.register(nick: "two")
    h.register(nick: "other", ip: "203.0.113.5")
    let third = h.register(nick: "three", keepOutput: true)
    #expect(!h.lines(for: third).contains { $0.contains(" 001 ") })
    #expect(h.closed == [third])
    #expect(h.core.sessions[third] == nil)
    h.clock.advance(by: .seconds(45))
    let fourth = h.register(nick: "four", keepOutput: true)
    #expect(h.messages(for: fourth).commands.contains("001"))
  }

  @Test func ipv6AddressesOfOnePrefixShareTheThrottle() {
    let h = Self.throttled()
    h.register(nick: "one", ip: "2001:db8:0:7::1")
    h.register(nick: "two", ip: "2001:db8:0:7::2")
    let third = h.register(nick: "three", ip: "2001:db8:0:7::3", keepOutput: true)
    #expect(h.closed == [third])
    let elsewhere = h.register(nick: "four", ip: "2001:db8:0:8::1", keepOutput: true)
    #expect(h.messages(for: elsewhere).commands.contains("001"))
  }

  @Test func refusalSaysWhenToComeBack() {
    let h = Self.throttled()
    h.register(nick: "one")
    h.register(nick: "two")
    h.clock.advance(by: .milliseconds(10_500))
    let third = h.register(nick: "three", keepOutput: true)
    #expect(
      h.lines(for: third).last
        == "ERROR :Closing Link: 198.51.100.7 (Registering too fast; try again in 50 seconds)")
  }

  @Test func exemptIPsAreNotThrottled() {
    let h = Self.throttled(exempt: ["198.51.100.7"])
    for n in 1...5 {
      let id = h.register(nick: "u\(n)", keepOutput: true)
      #expect(h.messages(for: id).commands.contains("001"))
    }
    #expect(h.closed.isEmpty)
  }
}

@Suite("Token bucket and sliding window")
struct RateLimiterTests {
  @Test func bucketRefillsFractionallyUpToItsBurst() {
    let limits = BucketLimits(burst: 2, ratePerSecond: 4)
    var bucket = TokenBucket(limits: limits, now: .zero)
    func take(_ now: Duration) -> Bool { bucket.take(limits, now: now) }
    #expect(take(.zero))
    #expect(take(.zero))
    #expect(!take(.milliseconds(200)))
    #expect(bucket.nextTokenAt(limits) == .milliseconds(250))
    #expect(take(.milliseconds(250)))
    #expect(take(.seconds(10)))
    #expect(take(.seconds(10)))
    #expect(!take(.seconds(10)))
  }

  @Test func windowAdmitsCountPerWindowAndForgetsIdleKeys() {
    var limiter = SlidingWindowLimiter()
    let limit = RateLimit(count: 2, window: .seconds(10))
    func admit(_ key: String, _ seconds: Int) -> Duration? {
      limiter.admit(key, limit: limit, now: .seconds(seconds))
    }
    #expect(admit("a", 0) == nil)
    #expect(admit("a", 4) == nil)
    #expect(admit("a", 5) == .seconds(5))
    #expect(admit("b", 5) == nil)
    #expect(admit("a", 10) == nil)
    #expect(admit("a", 11) == .seconds(3))
    #expect(admit("c", 30) == nil)
    #expect(limiter.keyCount == 1)
    #expect(RateLimit.wholeSeconds(.milliseconds(1500)) == 2)
    #expect(RateLimit.wholeSeconds(.zero) == 1)
  }
}
