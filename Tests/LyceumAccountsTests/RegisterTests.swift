import LyceumCore
import Testing

@testable import LyceumAccounts

@Suite struct RegisterTests {
  func register(
    _ f: Fixture, _ account: String, email: String? = nil, password: String = "long-enough-pw"
  ) -> AccountResponse? {
    f.service.handle(
      .register(connection: 3, ip: "192.0.2.5", account: account, email: email, password: password))
  }

  func code(_ response: AccountResponse?) -> String? {
    if case .registrationFailed(let code, _) = response { return code }
    return nil
  }

  @Test func successStoresAResearcherAccountThatCanLogIn() throws {
    let f = Fixture()
    let response = register(f, "Ada[Lab]", email: "ada@example.org", password: "analytical-engine")
    #expect(response == f.registered("ada{lab}"))
    let record = try #require(try f.store.account(foldedName: "ada{lab}"))
    #expect(record.role == .researcher)
    #expect(record.email == "ada@example.org")
    #expect(record.createdAtMilliseconds == f.clock.wallClockMilliseconds())
    #expect(f.plain("ADA{LAB}", "analytical-engine") == loggedIn(record))
    #expect(register(f, "grace", email: "*") == f.registered("grace"))
    #expect(try f.store.account(foldedName: "grace")?.email == nil)
  }

  @Test func existingAccountUnderTheCaseMappingIsRefused() throws {
    let f = Fixture()
    try f.addAccount("Kim", password: "tulip-garden")
    #expect(code(register(f, "KIM")) == "ACCOUNT_EXISTS")
    try f.addAccount("a[b]", password: "tulip-garden")
    #expect(code(register(f, "A{B}")) == "ACCOUNT_EXISTS")
  }

  @Test func badNamesAreRefused() {
    let f = Fixture()
    for name in ["", "1abc", "#room", "has space", "ümlaut", String(repeating: "a", count: 31)] {
      #expect(code(register(f, name)) == "BAD_ACCOUNT_NAME", "\(name)")
    }
    #expect(register(f, String(repeating: "a", count: 30)) != nil)
    #expect(code(register(f, String(repeating: "b", count: 30))) == nil)
  }

  @Test func weakAndUnacceptablePasswordsAreRefused() throws {
    let f = Fixture()
    #expect(code(register(f, "kim", password: "short")) == "WEAK_PASSWORD")
    #expect(code(register(f, "kim", password: "1234567")) == "WEAK_PASSWORD")
    #expect(code(register(f, "kimberley", password: "KIMBERLEY")) == "WEAK_PASSWORD")
    #expect(code(register(f, "kim", password: "tab\there-x")) == "UNACCEPTABLE_PASSWORD")
    #expect(
      code(register(f, "kim", password: String(repeating: "x", count: 301)))
        == "UNACCEPTABLE_PASSWORD")
    #expect(try f.store.allAccounts().isEmpty)
    #expect(code(register(f, "kim", password: "12345678")) == nil)
  }

  @Test func badEmailsAreRefused() {
    let f = Fixture()
    for email in ["nobody", "a@b", "@b.c", "a@.c", "a@b.", "a b@c.d", "a@b@c.d"] {
      #expect(code(register(f, "kim", email: email)) == "INVALID_EMAIL", "\(email)")
    }
  }

  @Test func closedRegistrationIsTemporarilyUnavailable() {
    let f = Fixture(registrationOpen: false)
    #expect(code(register(f, "kim")) == "TEMPORARILY_UNAVAILABLE")
    f.service.registrationOpen = true
    #expect(code(register(f, "kim")) == nil)
  }

  @Test func registrationsFromOneAddressAreThrottled() {
    let f = Fixture()
    for name in ["one", "two", "three"] {
      #expect(register(f, name) == f.registered(name))
    }
    guard case .throttled = register(f, "four") else {
      Issue.record("the fourth registration in a window was not throttled")
      return
    }
    f.clock.advance(by: .seconds(61))
    #expect(register(f, "four") == f.registered("four"))
  }
}
