import LyceumCore
import LyceumStore

/// The check after the copy: counts per table and per target equal on both sides, then every
/// record and every history row compared, and every target walked through `HistoryStore` as
/// `CHATHISTORY` reads it. The first difference ends the check as `.mismatch`.
extension StoreMigration {
  /// Compares the two stores; returns what they hold. `run()` calls it after the copy; on its
  /// own it checks a migration made earlier (the target is then expected to be full).
  public func check() throws -> StoreMigrationCounts {
    let counts = try checkAccounts()
    var summary = counts
    summary.rooms = try checkRecords(
      "room", try storing { try sourceRooms.allRooms() },
      try storing { try targetRooms.allRooms() }, key: \.foldedName)
    summary.readMarkers = try checkRecords(
      "read marker", try storing { try sourceMarkers.allMarkers() },
      try storing { try targetMarkers.allMarkers() }, key: { "\($0.account) \($0.target)" })
    let targets = try checkTargetCounts()
    summary.historyEntries = targets.values.reduce(0, +)
    summary.directTargets = targets.keys.count(where: { HistoryTarget(key: $0)?.isDirect ?? false })
    summary.channelTargets = targets.count - summary.directTargets
    try checkRows()
    try walkTargets(targets.keys.sorted())
    return summary
  }

  /// Accounts (every field, certificates included) and each account's tokens, in order.
  private func checkAccounts() throws -> StoreMigrationCounts {
    let source = try storing { try sourceAccounts.allAccounts() }
    var counts = StoreMigrationCounts()
    counts.accounts = try checkRecords(
      "account", source, try storing { try targetAccounts.allAccounts() }, key: \.foldedName)
    for account in source {
      let name = account.foldedName
      counts.certificates += account.certificateFingerprints.count
      let tokens = try storing { try sourceAccounts.tokens(accountFoldedName: name) }
      let copied = try storing { try targetAccounts.tokens(accountFoldedName: name) }
      guard tokens == copied else {
        throw StoreMigrationError.mismatch(
          "the API tokens of account '\(name)': \(tokens.count) in SQLite, "
            + "\(copied.count) in PostgreSQL, or a token's fields differ")
      }
      counts.tokens += tokens.count
    }
    return counts
  }

  /// Equal counts, then each record equal to the one with the same key; returns the count.
  private func checkRecords<Record: Equatable>(
    _ what: String, _ source: [Record], _ target: [Record], key: (Record) -> String
  ) throws -> Int {
    guard source.count == target.count else {
      throw StoreMigrationError.mismatch(
        "\(source.count) \(what)s in SQLite, \(target.count) in PostgreSQL")
    }
    let copied = Dictionary(target.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
    for record in source where copied[key(record)] != record {
      let name = key(record)
      throw StoreMigrationError.mismatch(
        copied[name] == nil
          ? "\(what) '\(name)' is missing in PostgreSQL"
          : "\(what) '\(name)' differs in PostgreSQL")
    }
    return source.count
  }

  /// The number of entries of every target, equal on both sides.
  private func checkTargetCounts() throws -> [String: Int] {
    let source = try storing { try sourceHistory.entryCounts() }
    let target = try storing { try targetHistory.entryCounts() }
    for key in Set(source.keys).union(target.keys).sorted() where source[key] != target[key] {
      throw StoreMigrationError.mismatch(
        "history of \(key): \(source[key] ?? 0) entries in SQLite, \(target[key] ?? 0) in "
          + "PostgreSQL")
    }
    return source
  }

  /// Both histories row by row in history order: the same rows, in the same order, with the
  /// same time keys and threads (ids may differ; only their order is kept).
  private func checkRows() throws {
    var sourceAfter = Int64.min
    var targetAfter = Int64.min
    var position = 0
    while true {
      let source = try storing {
        try sourceHistory.storedRows(afterID: sourceAfter, limit: batchSize)
      }
      let target = try storing {
        try targetHistory.storedRows(afterID: targetAfter, limit: batchSize)
      }
      for (original, copy) in zip(source, target) {
        position += 1
        if let difference = StoredRowDifference.between(original, copy) {
          throw StoreMigrationError.mismatch("history row \(position): \(difference)")
        }
      }
      guard source.count == target.count else {
        throw StoreMigrationError.mismatch(
          "history: the copy ends at a different row after row \(position)")
      }
      guard let lastSource = source.last, let lastTarget = target.last else { return }
      sourceAfter = lastSource.id
      targetAfter = lastTarget.id
    }
  }

  /// Every target read page by page through `HistoryStore.entries`, as a client's
  /// `CHATHISTORY` would read it, on both sides: the same entries in the same order.
  private func walkTargets(_ keys: [String]) throws {
    for (index, key) in keys.enumerated() {
      guard let target = HistoryTarget(key: key) else { continue }
      var after = HistoryReference.timestamp(Int64.min)
      var position = 0
      while true {
        let query = HistoryQuery(
          target: target, selector: .after(after), limit: batchSize, messagesOnly: false)
        let source = try storing { try sourceHistory.entries(query) }
        let copied = try storing { try targetHistory.entries(query) }
        for (original, copy) in zip(source, copied) {
          position += 1
          if let difference = StoredRowDifference.entry(original, copy) {
            throw StoreMigrationError.mismatch("\(key), entry \(position): \(difference)")
          }
        }
        guard source.count == copied.count else {
          throw StoreMigrationError.mismatch(
            "\(key): the copy ends at a different entry after entry \(position)")
        }
        guard source.count == batchSize, let last = source.last else { break }
        after = .msgid(last.msgid)
      }
      if (index + 1) % 100 == 0 { progress("checked \(index + 1) of \(keys.count) targets") }
    }
  }
}

extension HistoryTarget {
  var isDirect: Bool {
    if case .direct = self { true } else { false }
  }
}
