/// SQLite storage (through GRDB) for accounts now and history later: one database file in the
/// data directory, WAL mode, schema migrations from the first version.
///
/// Why GRDB rather than the raw SQLite C API: it is actively maintained, gives versioned schema
/// migrations (`DatabaseMigrator`), a WAL `DatabasePool` with concurrent readers and one writer,
/// a prepared-statement cache, and maps SQLite errors to typed Swift errors — all things a raw
/// `sqlite3_*` wrapper would have to re-implement and get right.
public enum LyceumStore {}
