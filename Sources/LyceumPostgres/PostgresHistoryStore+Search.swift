import LyceumCore

/// `SEARCH` with PostgreSQL's full-text search: the `search` column (`tsvector`, GIN index)
/// matched with `@@` against a `tsquery` of the terms (see `PostgresSearchText`).
///
/// Candidates come newest first in batches (keyset pages on `id`), inside one read snapshot:
/// the rows whose vector matches, in the searcher's scopes, for a search with text; the scopes'
/// messages for one without. Each candidate is checked against the query's scopes, floors and
/// filters in Swift (`SearchQuery.admits`), as in SQLite, so what is returned follows the same
/// visibility rules as `CHATHISTORY`. The walk stops at the limit, after `scanBudget`
/// candidates, or at `timeBudget`, and names the position (`id + 1`) to continue from.
extension PostgresHistoryStore {
  /// The first batch of candidates; later batches double up to `maxBatch`.
  static let firstBatch = 64
  static let maxBatch = 1024

  public func search(_ query: SearchQuery) throws -> SearchResult {
    guard query.limit > 0, !query.scopes.isEmpty else {
      return SearchResult(entries: [], next: nil, budgetExhausted: false)
    }
    return try database.read { connection in
      try SearchWalk(connection: connection, query: query).run()
    }
  }

  /// One search inside one read transaction.
  struct SearchWalk {
    let connection: PostgresConnection
    let query: SearchQuery

    func run() throws -> SearchResult {
      let floors = query.floors
      let clock = ContinuousClock()
      let deadline = clock.now.advanced(by: query.timeBudget)
      var below = query.cursor ?? Int64.max
      var batch = PostgresHistoryStore.firstBatch
      var found: [HistoryEntry] = []
      var scanned = 0
      while true {
        let rows = try candidates(below: below, limit: batch)
        for row in rows {
          let id = try row.int(0)
          if found.count == query.limit {
            return SearchResult(entries: found, next: id + 1, budgetExhausted: false)
          }
          if scanned >= query.scanBudget || clock.now >= deadline {
            return SearchResult(entries: found, next: id + 1, budgetExhausted: true)
          }
          scanned += 1
          below = id
          guard let target = HistoryTarget(key: try row.text(10)), floors[target] != nil
          else { continue }
          let entry = try PostgresHistoryStore.entry(from: row, target: target)
          if query.admits(entry, threadOf: row.optionalText(11), floors: floors) {
            found.append(entry)
          }
        }
        if rows.count < batch {
          return SearchResult(entries: found, next: nil, budgetExhausted: false)
        }
        batch = min(batch * 2, PostgresHistoryStore.maxBatch)
      }
    }

    /// The next `limit` candidates below `below`, newest first, with the columns `entry`
    /// reads, then the target and the thread root.
    private func candidates(below: Int64, limit: Int) throws -> [PostgresRow] {
      let columns = "\(PostgresHistoryStore.columns), target, thread_root"
      let scopes = PostgresValue.textArray(query.scopes.map(\.target.key))
      if let terms = query.terms {
        return try connection.query(
          """
          SELECT \(columns) FROM history
          WHERE search @@ $1::tsquery AND target = ANY($2) AND id < $3
          ORDER BY id DESC LIMIT $4
          """,
          [PostgresSearchText.query(terms), scopes, below, limit]
        ).rows
      }
      return try connection.query(
        """
        SELECT \(columns) FROM history
        WHERE NOT is_event AND target = ANY($1) AND id < $2
        ORDER BY id DESC LIMIT $3
        """,
        [scopes, below, limit]
      ).rows
    }
  }
}
