extension PostgresDatabase {
  /// The database's size on disk in bytes (`pg_database_size`), for the benchmarks' reports.
  public func databaseBytes() throws -> Int {
    try read { connection in
      let rows = try connection.query("SELECT pg_database_size(current_database())")
      guard let row = rows.first else { return 0 }
      return Int(try row.int(0))
    }
  }
}
