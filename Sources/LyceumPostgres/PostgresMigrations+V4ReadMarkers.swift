extension PostgresMigrations {
  /// Read markers: one row per account and target (both folded) with the time of the last
  /// message read, in milliseconds since 1970.
  static let v4ReadMarkers = [
    """
    CREATE TABLE read_markers (
      account text COLLATE "C" NOT NULL,
      target text COLLATE "C" NOT NULL,
      time_ms bigint NOT NULL,
      PRIMARY KEY (account, target))
    """
  ]
}
