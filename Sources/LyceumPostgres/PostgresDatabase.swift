import Foundation

/// The server's PostgreSQL database: a small pool of libpq connections shared by the stores,
/// migrated to the current schema when opened.
///
/// Each store call borrows one connection for its transaction (`read` or `write`) and gives it
/// back; at most `maxConnections` are open, and a caller waits when all are lent out. A
/// connection that broke (server restart, fail-over, network) is dropped and a new one opened
/// on demand, so the server recovers without a restart: a transaction that finds its idle
/// connection dead at `BEGIN` runs on another, and only a break in the middle of a transaction
/// fails the call.
///
/// Every connection sets `synchronous_commit = on`: a `COMMIT` returns only once PostgreSQL has
/// flushed it to its write-ahead log (and to synchronous standbys, where configured), so a
/// message the group-commit writer reports kept is committed for good, whatever the role or
/// database default says.
///
/// `@unchecked Sendable`: `idle` and `open` are only touched while `condition` is locked; a
/// lent connection belongs to its borrower alone.
public final class PostgresDatabase: @unchecked Sendable {
  /// Where the data is (its `description` hides the password).
  public let url: PostgresURL
  /// The schema the stores work in (tests use one of their own); nil for the URL's default.
  public let schema: String?
  private let maxConnections: Int
  private let condition = NSCondition()
  private var idle: [PostgresConnection] = []
  private var open = 0

  /// Connects to `url` and applies every pending migration. `schema`, when given, must be a
  /// plain lower-case identifier; it is created if needed and becomes each connection's
  /// `search_path` (tests give each store a schema of its own).
  public init(url: PostgresURL, schema: String? = nil, maxConnections: Int = 8) throws {
    if let schema {
      guard !schema.isEmpty, schema.utf8.allSatisfy(Self.isIdentifierByte) else {
        throw PostgresError(.configuration, "'\(schema)' is not a plain schema name")
      }
    }
    self.url = url
    self.schema = schema
    self.maxConnections = max(1, maxConnections)
    try createSchemaIfNeeded()
    try PostgresMigrations.migrate(self)
  }

  /// Opens the database at the URL `text` (see `PostgresURL`).
  public convenience init(url text: String, schema: String? = nil, maxConnections: Int = 8)
    throws
  {
    try self.init(url: try PostgresURL(text), schema: schema, maxConnections: maxConnections)
  }

  /// Runs `body` in a read-only transaction that sees one snapshot of the database.
  func read<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
  }

  /// Runs `body` in a read-write transaction, committed if it returns, rolled back if it
  /// throws.
  @discardableResult
  func write<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    try transaction("BEGIN", body)
  }

  /// Runs `body` between `begin` and `COMMIT` on one connection. An idle connection may have
  /// died since it was last used (a server restart, a dropped link): when `begin` meets a dead
  /// connection, nothing has been sent for this transaction yet, so it runs again on another
  /// (after a restart every idle one is dead: at most `maxConnections` retries, then a new
  /// connection, whose failure to connect is the call's error). A connection lost later fails the call (a `COMMIT`'s
  /// outcome is then unknown, and the group-commit writer reports the group not kept).
  private func transaction<T>(_ begin: String, _ body: (PostgresConnection) throws -> T) throws
    -> T
  {
    var attempt = 0
    while true {
      attempt += 1
      let outcome: T? = try withConnection { connection in
        do {
          try connection.query(begin)
        } catch  where connection.isBroken && attempt <= maxConnections {
          return nil
        }
        do {
          let value = try body(connection)
          try connection.query("COMMIT")
          return value
        } catch {
          if !connection.isBroken { _ = try? connection.query("ROLLBACK") }
          throw error
        }
      }
      if let outcome { return outcome }
    }
  }

  /// Lends a connection to `body` (opening one if none is idle and fewer than the maximum are
  /// open; else waiting for one) and takes it back, unless it broke or was left inside a
  /// transaction.
  @discardableResult
  func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
    let connection = try borrow()
    defer { giveBack(connection) }
    return try body(connection)
  }

  private func borrow() throws -> PostgresConnection {
    condition.lock()
    while idle.isEmpty && open >= maxConnections { condition.wait() }
    if let connection = idle.popLast() {
      condition.unlock()
      return connection
    }
    open += 1
    condition.unlock()
    do {
      return try connect()
    } catch {
      condition.lock()
      open -= 1
      condition.signal()
      condition.unlock()
      throw error
    }
  }

  private func giveBack(_ connection: PostgresConnection) {
    let reusable = !connection.isBroken && connection.isIdle
    condition.lock()
    if reusable {
      idle.append(connection)
    } else {
      open -= 1
    }
    condition.signal()
    condition.unlock()
  }

  /// A connection of its own, outside the pool, with the same settings: for the network
  /// link's `LISTEN`, which must stay on one connection.
  func dedicatedConnection() throws -> PostgresConnection { try connect() }

  /// The `LISTEN`/`NOTIFY` channel of this database and schema (schemas share channels).
  var notificationChannel: String { "lyceum_network" + (schema.map { "_" + $0 } ?? "") }

  /// A new connection with the session settings every store relies on.
  private func connect() throws -> PostgresConnection {
    let connection = try PostgresConnection(url: url)
    try connection.query("SELECT set_config('synchronous_commit', 'on', false)")
    // libpq prints NOTICEs (`DROP … CASCADE`, `IF NOT EXISTS`) to standard error; only
    // warnings and errors matter here, and errors come back with their statement.
    try connection.query("SELECT set_config('client_min_messages', 'warning', false)")
    if let schema {
      try connection.query("SELECT set_config('search_path', $1, false)", [schema])
    }
    return connection
  }

  private static func isIdentifierByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
      || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
  }
}
