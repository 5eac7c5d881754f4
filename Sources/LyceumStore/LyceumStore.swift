/// SQLite storage (through GRDB) for accounts now and history later: one database file in the
/// data directory, WAL mode, schema migrations from the first version.
public enum LyceumStore {}
