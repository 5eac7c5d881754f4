import GRDB
import GRDBSQLite

/// Runs a prepared statement with its parameters bound straight through SQLite's C API, for
/// the statements the history writer runs for every kept entry (`INSERT INTO history`) and
/// every indexed message (`INSERT INTO history_search`).
///
/// Why not `Statement.execute(arguments:)`: GRDB builds a `StatementArguments` (an array of
/// `DatabaseValue`, each parameter boxed through `DatabaseValueConvertible`) and checks it
/// against the statement before binding. Measured (release, `lyceum-bench history-store
/// --rows 100000`): filling took 1.85 s of CPU that way and 1.50 s this way; pinned to one
/// core at `fanout --clients 200 --rate 0`, 2-7 % less CPU per delivery (the writer is about
/// a quarter of the server's CPU there). `GRDBSQLite` is GRDB's own module for the C API.
struct DirectBinding {
  /// One parameter's value.
  enum Value {
    case text(String)
    case integer(Int64)
    case null

    static func optional(_ text: String?) -> Value { text.map { .text($0) } ?? .null }
    static func optional(_ number: Int64?) -> Value { number.map { .integer($0) } ?? .null }
  }

  /// Resets `statement`, binds `values` to its parameters 1…n, and steps it to completion.
  static func run(_ statement: Statement, _ values: [Value], _ db: Database) throws {
    let handle = statement.sqliteStatement
    sqlite3_reset(handle)
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      let code: Int32
      switch value {
      case .text(let text):
        var text = text
        code = text.withUTF8 { bytes in
          // An empty buffer has no address, and a null pointer would bind NULL, not ''.
          guard !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, nil) }
          return bytes.withMemoryRebound(to: CChar.self) { chars in
            sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), transient)
          }
        }
      case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
      case .null: code = sqlite3_bind_null(handle, index)
      }
      if code != SQLITE_OK { throw error(code, db) }
    }
    let code = sqlite3_step(handle)
    sqlite3_reset(handle)
    if code != SQLITE_DONE { throw error(code, db) }
  }

  /// `SQLITE_TRANSIENT` (SQLite copies the bytes before the call returns): a C macro Swift
  /// cannot import.
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  private static func error(_ code: Int32, _ db: Database) -> DatabaseError {
    let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
    return DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
  }
}
