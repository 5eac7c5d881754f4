import LyceumCore
import LyceumStore

/// The copy: small tables through the store protocols, history as stored rows in batches.
extension StoreMigration {
  /// Copies every table; returns how many history rows were written.
  func copy() throws -> Int {
    try copyAccounts()
    try copyRooms()
    try copyReadMarkers()
    return try copyHistory()
  }

  /// Every account (credentials, certificates, institution, role …) and then its tokens, in
  /// the order they were made, with their SCRAM keys and last-used times.
  private func copyAccounts() throws {
    let accounts = try storing { try sourceAccounts.allAccounts() }
    var tokenCount = 0
    for account in accounts {
      try storing {
        try targetAccounts.create(account)
        for token in try sourceAccounts.tokens(accountFoldedName: account.foldedName) {
          try targetAccounts.addToken(token)
          tokenCount += 1
        }
      }
    }
    progress("accounts: \(accounts.count) copied, with \(tokenCount) API tokens")
  }

  /// Every registered room with its modes, topic, lists, operators, kind and description.
  private func copyRooms() throws {
    let rooms = try storing { try sourceRooms.allRooms() }
    try storing {
      for room in rooms { try targetRooms.save(room) }
    }
    progress("rooms: \(rooms.count) copied")
  }

  private func copyReadMarkers() throws {
    let markers = try storing { try sourceMarkers.allMarkers() }
    try storing {
      for marker in markers { try targetMarkers.save(marker) }
    }
    progress("read markers: \(markers.count) copied")
  }

  /// The whole history, `batchSize` rows per transaction on each side, in history order; a
  /// progress line about every 5 % (and at the end).
  private func copyHistory() throws -> Int {
    let total = try storing { try sourceHistory.entryCounts().values.reduce(0, +) }
    let started = ContinuousClock.now
    var copied = 0
    var after = Int64.min
    var reported = 0
    while true {
      let rows = try storing { try sourceHistory.storedRows(afterID: after, limit: batchSize) }
      guard let last = rows.last else { break }
      try storing { try targetHistory.importRows(rows) }
      copied += rows.count
      after = last.id
      if copied - reported >= max(batchSize, total / 20) {
        reported = copied
        progress(historyProgress(copied, of: total, since: started))
      }
    }
    progress(historyProgress(copied, of: total, since: started))
    return copied
  }

  private func historyProgress(_ copied: Int, of total: Int, since start: ContinuousClock.Instant)
    -> String
  {
    let seconds = max((ContinuousClock.now - start).seconds, 0.001)
    let percent = total == 0 ? 100 : copied * 100 / total
    return "history: \(copied) of \(total) entries (\(percent) %, "
      + "\(Int(Double(copied) / seconds)) entries/s)"
  }
}
