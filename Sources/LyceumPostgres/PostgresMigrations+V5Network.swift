extension PostgresMigrations {
  /// Several nodes on one database (`network:` in the configuration):
  /// - `network_nodes`: each running node, for this run, with the lease it renews; a node
  ///   whose lease ran out is deleted by another, and its nick claims go with it (cascade).
  /// - `network_nicks`: who holds each folded nick on the network; the primary key is what
  ///   makes a nick unique across nodes.
  /// - `network_events`: the log every node reads in `id` order; rows are written under one
  ///   advisory lock (`PostgresNetwork.publishLockKey`), so ids are committed in order and a
  ///   reader that reads past an id never misses a row committed later with a smaller one.
  static let v5Network = [
    """
    CREATE TABLE network_nodes (
      node text COLLATE "C" PRIMARY KEY,
      name text NOT NULL,
      lease_until timestamptz NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now())
    """,
    """
    CREATE TABLE network_nicks (
      folded text COLLATE "C" PRIMARY KEY,
      node text COLLATE "C" NOT NULL REFERENCES network_nodes ON DELETE CASCADE,
      client bigint NOT NULL)
    """,
    "CREATE INDEX network_nicks_by_client ON network_nicks (node, client)",
    """
    CREATE TABLE network_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      node text COLLATE "C" NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      payload text NOT NULL)
    """,
    "CREATE INDEX network_events_by_time ON network_events (at)",
  ]
}
