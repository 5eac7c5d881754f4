import GRDB
import LyceumCore

/// `SEARCH` over the FTS5 index `history_search` (see `migrateV7Search`).
///
/// Candidates come newest first from one incremental cursor: the index's matches in descending
/// `rowid` (= history id) order for a search with text, the history itself in descending id
/// order for one without. Each candidate is read by its id and checked against the query's
/// scopes, floors and filters in Swift (`SearchQuery.admits`), so what is returned follows the
/// same visibility rules as `CHATHISTORY`, whatever the index says. The walk stops at the
/// limit, after `scanBudget` candidates, or at `timeBudget`; the answer then names the
/// position to continue from.
extension SQLiteHistoryStore {
  /// A search in more targets than this does not name them in the match expression (the
  /// candidates are then filtered by target after the index only).
  static let scopesInMatch = 64

  public func search(_ query: SearchQuery) throws -> SearchResult {
    guard query.limit > 0, !query.scopes.isEmpty else {
      return SearchResult(entries: [], next: nil, budgetExhausted: false)
    }
    indexBeforeSearch()
    return try database.pool.read { db in try SearchWalk(db: db, query: query).run() }
  }

  /// The FTS5 match expression of `terms`, within `scopes` (target keys) when given: every
  /// term a quoted phrase in `body` (so no user text is ever read as FTS5 syntax), excluded
  /// terms after `NOT`.
  static func matchExpression(_ terms: [SearchTerm], scopes: [String]?) -> String {
    func phrase(_ term: SearchTerm) -> String {
      "body : \"" + term.tokens.joined(separator: " ") + "\"" + (term.isPrefix ? "*" : "")
    }
    var parts = terms.filter { !$0.isExcluded }.map(phrase)
    if let scopes, !scopes.isEmpty {
      parts.append(
        "(" + scopes.map { "scope : \"\(scopeToken($0))\"" }.joined(separator: " OR ") + ")")
    }
    var expression = "(" + parts.joined(separator: " AND ") + ")"
    for term in terms where term.isExcluded {
      expression += " NOT " + phrase(term)
    }
    return expression
  }

  /// One search inside one read transaction.
  struct SearchWalk {
    let db: Database
    let query: SearchQuery

    func run() throws -> SearchResult {
      let floors = query.floors
      let clock = ContinuousClock()
      let deadline = clock.now.advanced(by: query.timeBudget)
      let below = query.cursor ?? Int64.max
      let candidates = try candidateCursor(below: below)
      let read = try db.cachedStatement(
        sql: "SELECT \(SQLiteHistoryStore.columns), target, thread_root FROM history WHERE id = ?")
      var found: [HistoryEntry] = []
      var scanned = 0
      while let id = try candidates.next() {
        if found.count == query.limit {
          return SearchResult(entries: found, next: id + 1, budgetExhausted: false)
        }
        if scanned >= query.scanBudget || clock.now >= deadline {
          return SearchResult(entries: found, next: id + 1, budgetExhausted: true)
        }
        scanned += 1
        guard let row = try Row.fetchOne(read, arguments: [id]),
          let target = HistoryTarget(key: row[10])
        else { continue }
        guard floors[target] != nil else { continue }
        let entry = try SQLiteHistoryStore.entry(from: row, target: target)
        if query.admits(entry, threadOf: row[11], floors: floors) { found.append(entry) }
      }
      return SearchResult(entries: found, next: nil, budgetExhausted: false)
    }

    /// The ids of the candidates below `below`, newest first.
    private func candidateCursor(below: Int64) throws -> DatabaseValueCursor<Int64> {
      let keys = query.scopes.map(\.target.key)
      if let terms = query.terms {
        let scopes = keys.count <= SQLiteHistoryStore.scopesInMatch ? keys : nil
        return try Int64.fetchCursor(
          db.cachedStatement(
            sql: """
              SELECT rowid FROM history_search WHERE history_search MATCH ? AND rowid < ?
              ORDER BY rowid DESC
              """),
          arguments: [SQLiteHistoryStore.matchExpression(terms, scopes: scopes), below])
      }
      if keys.count == 1 {
        return try Int64.fetchCursor(
          db.cachedStatement(
            sql: """
              SELECT id FROM history WHERE target = ? AND is_event = 0 AND id < ?
              ORDER BY id DESC
              """),
          arguments: [keys[0], below])
      }
      return try Int64.fetchCursor(
        db.cachedStatement(
          sql: "SELECT id FROM history WHERE is_event = 0 AND id < ? ORDER BY id DESC"),
        arguments: [below])
    }
  }
}
