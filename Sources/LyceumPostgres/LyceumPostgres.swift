/// PostgreSQL implementations of the core's store protocols (accounts and tokens, rooms, read
/// markers, history with threads and search), for installations that keep their data in a
/// PostgreSQL they already operate. SQLite (`LyceumStore`) stays the default.
///
/// Why libpq (PostgreSQL's own C client, Debian's `libpq-dev`) rather than PostgresNIO: the
/// store protocols are synchronous and are called from Dispatch queues that may block (the
/// group-commit writer, the account service, the room and marker writers); libpq's blocking
/// calls fit that design as they are, while PostgresNIO would bring a SwiftNIO event loop group
/// beside the server's own Dispatch transport and an async bridge on every store call. libpq
/// also brings TLS (`sslmode` in the URL), SCRAM authentication, `.pgpass` and service files,
/// exactly as every other PostgreSQL client of the institution uses them.
public enum LyceumPostgres {}
