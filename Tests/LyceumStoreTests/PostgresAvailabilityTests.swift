import Foundation
import Testing

/// The PostgreSQL cases of the store suites run only when `LYCEUM_TEST_POSTGRES_URL` names a
/// server. Without it they are left out of `StoreKind.allCases`, so this test fails: a run
/// without PostgreSQL must say so rather than pass as if the backend had been tested. A
/// developer without PostgreSQL sets `LYCEUM_SKIP_POSTGRES=1` to skip them knowingly (a warning
/// is printed instead).
@Suite struct PostgresAvailabilityTests {
  @Test func thePostgreSQLStoreTestsRan() {
    guard PostgresTestSchema.url == nil else { return }
    let message =
      "LYCEUM_TEST_POSTGRES_URL is not set: PostgreSQL store tests not run "
      + "(start a private server with `eval \"$(.ci/postgres.sh start)\"`, "
      + "or set LYCEUM_SKIP_POSTGRES=1 to skip them knowingly)"
    if ProcessInfo.processInfo.environment["LYCEUM_SKIP_POSTGRES"] == "1" {
      print("warning: \(message)")
    } else {
      Issue.record(Comment(rawValue: message))
    }
  }
}
