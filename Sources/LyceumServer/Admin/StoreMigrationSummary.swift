import Foundation

/// How much each table holds after a migration (both stores, once the check passed).
public struct StoreMigrationCounts: Sendable, Equatable {
  public var accounts = 0
  public var certificates = 0
  public var tokens = 0
  public var rooms = 0
  public var readMarkers = 0
  public var historyEntries = 0
  public var channelTargets = 0
  public var directTargets = 0

  public init() {}
}

/// What `StoreMigration.run()` did.
public struct StoreMigrationSummary: Sendable {
  public var counts: StoreMigrationCounts
  public var historyRowsCopied: Int
  /// The copy alone, and the copy with the check.
  public var copySeconds: Double
  public var totalSeconds: Double

  /// The lines `lyceumd` prints at the end.
  public var lines: [String] {
    let rate = copySeconds > 0 ? Int(Double(historyRowsCopied) / copySeconds) : 0
    return [
      "accounts \(counts.accounts) (certificates \(counts.certificates), API tokens "
        + "\(counts.tokens)), rooms \(counts.rooms), read markers \(counts.readMarkers)",
      "history \(counts.historyEntries) entries in \(counts.channelTargets) channels and "
        + "\(counts.directTargets) direct conversations",
      "checked: equal counts per table and per target; every row and every target's entries "
        + "equal, in order",
      String(
        format: "copied in %.1f s (%d history entries/s), checked in %.1f s", copySeconds, rate,
        totalSeconds - copySeconds),
    ]
  }
}
