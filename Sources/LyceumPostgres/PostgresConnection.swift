import CLibPQ
import Glibc

/// One libpq connection (`PGconn`), used by one caller at a time (the pool lends it out), with
/// blocking, parameterized statements only.
///
/// Each distinct statement text is prepared once per connection (`PQprepare`) and then only
/// executed: the texts come from a fixed set in the stores (values are always parameters), so
/// the cache stays small, and PostgreSQL parses and plans a statement once rather than at every
/// message.
///
/// Every `PGresult` is cleared on every path before a call returns or throws: results are
/// copied into `PostgresRows` first. Error texts are PostgreSQL's own, scrubbed of the password.
final class PostgresConnection {
  private let handle: OpaquePointer
  private let url: PostgresURL
  /// The name of the prepared statement of each statement text run so far.
  private var prepared: [String: String] = [:]

  /// Settings used unless the URL sets them: a connection attempt gives up after 10 s, and a
  /// TCP connection whose data goes unacknowledged for 30 s (a server or network gone without
  /// a word) fails instead of holding a store call, and with it the history writer, for the
  /// kernel's many minutes of retransmissions.
  static let defaults = [("connect_timeout", "10"), ("tcp_user_timeout", "30000")]

  /// Connects; `client_encoding` is UTF-8 whatever the server's default, and the application
  /// name shows `lyceumd` in `pg_stat_activity` unless the URL names another.
  init(url: PostgresURL) throws {
    let added = Self.defaults.filter { !url.keywords.contains($0.0) }
    let keywords = ["dbname", "client_encoding", "fallback_application_name"] + added.map(\.0)
    let values = [url.text, "UTF8", "lyceumd"] + added.map(\.1)
    let connection = Self.withCStrings(keywords) { keywordPointers in
      Self.withCStrings(values) { valuePointers in
        PQconnectdbParams(keywordPointers, valuePointers, 1)
      }
    }
    guard let connection else {
      throw PostgresError(.connection, "libpq could not allocate a connection")
    }
    guard PQstatus(connection) == CONNECTION_OK else {
      let message = url.scrub(String(cString: PQerrorMessage(connection)).trimmingSuffixNewlines)
      PQfinish(connection)
      throw PostgresError(.connection, "cannot connect to \(url.redacted): \(message)")
    }
    self.handle = connection
    self.url = url
  }

  deinit {
    PQfinish(handle)
  }

  /// Whether the connection is gone (the server closed it, the network failed): it is then
  /// dropped rather than lent out again.
  var isBroken: Bool { PQstatus(handle) != CONNECTION_OK }

  /// Whether the connection is idle outside any transaction (not in a failed or open one).
  var isIdle: Bool { PQtransactionStatus(handle) == PQTRANS_IDLE }

  /// Runs one statement with `parameters` bound to `$1`, `$2`, … (nil is NULL).
  @discardableResult
  func query(_ sql: String, _ parameters: [(any PostgresBindable)?] = []) throws -> PostgresRows {
    let values = parameters.map { $0?.postgresValue }
    let types: [UInt32] = values.map { $0?.typeOID ?? 0 }
    let texts: [String?] = values.map { $0?.textForm }
    // PostgreSQL's text cannot hold NUL, and a C string would silently end at it.
    if texts.contains(where: { $0?.utf8.contains(0) == true }) {
      throw PostgresError(.statement, "a parameter holds a NUL byte, which PostgreSQL refuses")
    }
    let name = try statementName(sql, types: types)
    let result = Self.withOptionalCStrings(texts) { pointers in
      PQexecPrepared(handle, name, Int32(values.count), pointers, nil, nil, 0)
    }
    guard let result else {
      throw PostgresError(.connection, url.scrub(lastError))
    }
    defer { PQclear(result) }
    switch PQresultStatus(result) {
    case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
      return Self.rows(of: result)
    default:
      throw error(of: result)
    }
  }

  /// The prepared statement of `sql`, prepared now (with the parameter types of this first
  /// use; a NULL's type is inferred from the statement) if it is new on this connection.
  private func statementName(_ sql: String, types: [UInt32]) throws -> String {
    if let name = prepared[sql] { return name }
    let name = "lyceum_\(prepared.count + 1)"
    guard let result = PQprepare(handle, name, sql, Int32(types.count), types) else {
      throw PostgresError(.connection, url.scrub(lastError))
    }
    defer { PQclear(result) }
    guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw error(of: result) }
    prepared[sql] = name
    return name
  }

  private var lastError: String {
    String(cString: PQerrorMessage(handle)).trimmingSuffixNewlines
  }

  /// The error a failed result carries: SQLSTATE, primary message and detail.
  private func error(of result: OpaquePointer) -> PostgresError {
    func field(_ code: Character) -> String? {
      guard let ascii = code.asciiValue, let text = PQresultErrorField(result, Int32(ascii))
      else { return nil }
      return String(cString: text)
    }
    var message = field("M") ?? String(cString: PQresultErrorMessage(result))
    if let detail = field("D") { message += " (\(detail))" }
    let kind: PostgresError.Kind = isBroken ? .connection : .statement
    return PostgresError(kind, sqlState: field("C"), url.scrub(message.trimmingSuffixNewlines))
  }

  private static func rows(of result: OpaquePointer) -> PostgresRows {
    let count = Int(PQntuples(result))
    let columns = Int(PQnfields(result))
    var rows: [PostgresRow] = []
    rows.reserveCapacity(count)
    for row in 0..<count {
      var values: [String?] = []
      values.reserveCapacity(columns)
      for column in 0..<columns {
        if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
          values.append(nil)
        } else {
          values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
        }
      }
      rows.append(PostgresRow(values: values))
    }
    let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
    return PostgresRows(rows: rows, affected: affected)
  }

  /// Calls `body` with C copies of `strings`, freed afterwards.
  private static func withCStrings<T>(
    _ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> T
  ) -> T {
    let copies = strings.map { strdup($0) }
    defer { for copy in copies { free(copy) } }
    return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
  }

  /// As `withCStrings`, with nil kept as a NULL pointer (a NULL parameter) and no terminator.
  private static func withOptionalCStrings<T>(
    _ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> T
  ) -> T {
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { for copy in copies { free(copy) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
  }
}

/// `LISTEN`/`NOTIFY`: waiting on the connection's socket for notifications.
extension PostgresConnection {
  /// Runs a statement that cannot be prepared (`LISTEN`), with no parameters.
  func execute(_ sql: String) throws {
    guard let result = PQexec(handle, sql) else {
      throw PostgresError(.connection, url.scrub(lastError))
    }
    defer { PQclear(result) }
    guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw error(of: result) }
  }

  /// Waits until a notification arrives or `milliseconds` pass; true when at least one came
  /// (all waiting ones are consumed: they only say that there is something to read).
  func awaitNotification(milliseconds: Int32) throws -> Bool {
    if drainNotifications() { return true }
    var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
    guard descriptor.fd >= 0 else {
      throw PostgresError(.connection, "the connection has no socket")
    }
    let ready = poll(&descriptor, 1, milliseconds)
    if ready < 0 && errno != EINTR {
      throw PostgresError(.connection, "poll failed: errno \(errno)")
    }
    guard ready > 0 else { return false }
    guard PQconsumeInput(handle) == 1 else {
      throw PostgresError(.connection, url.scrub(lastError))
    }
    return drainNotifications()
  }

  /// Frees every notification libpq holds; true when there was one.
  private func drainNotifications() -> Bool {
    var any = false
    while let notification = PQnotifies(handle) {
      PQfreemem(notification)
      any = true
    }
    return any
  }
}
