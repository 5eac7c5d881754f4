import LyceumServer
import Testing

/// `store:`: SQLite unless a PostgreSQL URL is given, read by libpq's parser, and never
/// repeated with its password in an error or a log line.
@Suite struct StoreConfigurationTests {
  @Test func sqliteIsTheDefaultAndCanBeNamed() throws {
    #expect(try ServerConfiguration.load(fromYAML: "").store == .sqlite)
    #expect(try ServerConfiguration.load(fromYAML: "store: sqlite").store == .sqlite)
  }

  @Test func aPostgreSQLURLIsShownWithoutItsPassword() throws {
    let text = "store: 'postgresql://lyceum:s3cret@db.example.edu:5433/chat?sslmode=verify-full'"
    let store = try ServerConfiguration.load(fromYAML: text).store
    guard case .postgresql = store else {
      Issue.record("\(store) is not PostgreSQL")
      return
    }
    #expect(store.description == "postgresql://lyceum@db.example.edu:5433/chat?sslmode=verify-full")
  }

  @Test func otherValuesAreRefusedWithoutRepeatingTheSecret() throws {
    for text in ["store: mysql://x", "store: 'postgresql://u:s3cret@h/db?sslmode=%zz'"] {
      do {
        _ = try ServerConfiguration.load(fromYAML: text)
        Issue.record("\(text) was accepted")
      } catch let error as ConfigurationError {
        guard case .invalidValue(let key, _, _) = error else {
          Issue.record("\(error)")
          continue
        }
        #expect(key == "store")
        #expect(!"\(error)".contains("s3cret"), "\(error)")
      }
    }
  }
}
