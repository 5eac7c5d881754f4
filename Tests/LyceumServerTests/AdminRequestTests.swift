import Foundation
import LyceumAccounts
import LyceumCore
import LyceumServer
import Testing

/// `ACCOUNTS` and `TOKEN` over IRC reach `AccountAdministration.handle(_:)`; these check its
/// answers against a real SQLite file.
@Suite struct AdminRequestTests {
  private func withAdministration(_ body: (AccountAdministration) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("lyceum-adminreq-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let opened = try AccountAdministration.open(dataDirectory: directory, creating: true)
    // A cheap credential keeps the test fast; the real hasher is tested in LyceumAccountsTests.
    try body(
      AccountAdministration(
        store: opened.store, now: { 1_714_564_800_000 },
        hasher: PasswordHasher(scryptN: 2, scryptR: 1, scryptP: 1, scramIterations: 1)))
  }

  @Test func createUpdateAndDeleteKeepTheDirectoryInformed() throws {
    try withAdministration { admin in
      let created = admin.handle(
        .createAccount(name: "prof", role: "faculty", password: "x", institution: "Uppsala"))
      guard case .adminSucceeded(let outcome) = created else {
        Issue.record("expected success, got \(created)")
        return
      }
      #expect(outcome.updated?.institution == "Uppsala")
      #expect(outcome.updated?.role == .faculty)
      #expect(outcome.notes.first?.first == "CREATED")
      let changed = admin.handle(.setAccount(name: "PROF", field: "role", value: "staff"))
      guard case .adminSucceeded(let update) = changed else {
        Issue.record("expected success, got \(changed)")
        return
      }
      #expect(update.updated?.role == .staff)
      #expect(
        admin.handle(.setAccount(name: "prof", field: "shoe-size", value: "9"))
          == .adminFailed(
            code: "INVALID_PARAMS",
            description:
              "no field 'shoe-size': use role, institution, display-name, email or password"))
      guard case .adminSucceeded(let deleted) = admin.handle(.deleteAccount(name: "prof")) else {
        Issue.record("delete failed")
        return
      }
      #expect(deleted.deleted == "prof")
      guard case .adminFailed(let code, _) = admin.handle(.deleteAccount(name: "prof")) else {
        Issue.record("second delete succeeded")
        return
      }
      #expect(code == "NO_SUCH_ACCOUNT")
    }
  }

  @Test func tokensAreShownOnceListedAndRevoked() throws {
    try withAdministration { admin in
      _ = admin.handle(.createAccount(name: "bot", role: "bot", password: "x", institution: nil))
      guard
        case .adminSucceeded(let created) = admin.handle(.createToken(account: "bot", name: "cron")),
        let secret = created.notes.first?.last
      else {
        Issue.record("token not created")
        return
      }
      #expect(secret.hasPrefix("lyc_"))
      guard case .adminSucceeded(let listed) = admin.handle(.listTokens(account: "bot")) else {
        Issue.record("list failed")
        return
      }
      #expect(listed.notes.map(\.first) == ["ENTRY", "END"])
      #expect(!listed.notes.joined().contains { $0.contains(secret) })
      #expect(admin.handle(.createToken(account: "bot", name: "cron")) != .adminSucceeded(created))
      guard case .adminSucceeded = admin.handle(.revokeToken(account: "bot", name: "cron")) else {
        Issue.record("revoke failed")
        return
      }
      guard
        case .adminFailed(let code, _) = admin.handle(.revokeToken(account: "bot", name: "cron"))
      else {
        Issue.record("second revoke succeeded")
        return
      }
      #expect(code == "NO_SUCH_TOKEN")
    }
  }
}
