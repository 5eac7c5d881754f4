import LyceumPostgres

/// The operator's commands (`lyceumd account`, `token`, `export`) act on the store the server
/// uses: the data directory's SQLite file, or the PostgreSQL database of `store:`.
extension AccountAdministration {
  /// The configuration `lyceumd` would use with these flags (the file's, with `--data-dir`
  /// applied).
  public static func configuration(configFile: String?, dataDirectory: String?) throws
    -> ServerConfiguration
  {
    try ServerConfiguration.load(
      fromYAMLFile: configFile, applying: ConfigurationOverrides(dataDirectory: dataDirectory))
  }

  /// Administration of the store `configuration.store` names. SQLite: as
  /// `open(dataDirectory:creating:)`. PostgreSQL: the database (migrated if it is new; it
  /// must exist, so `creating` changes nothing there), over one connection.
  public static func open(_ configuration: ServerConfiguration, creating: Bool = false) throws
    -> AccountAdministration
  {
    switch configuration.store {
    case .sqlite:
      return try open(dataDirectory: configuration.dataDirectory, creating: creating)
    case .postgresql(let url):
      do {
        let database = try PostgresDatabase(url: url, maxConnections: 1)
        return AccountAdministration(store: PostgresAccountStore(database: database))
      } catch {
        throw AccountAdministrationError.storage("\(error)")
      }
    }
  }
}

extension HistoryExport {
  /// An export of the store `configuration.store` names (see `open(dataDirectory:)`).
  public static func open(_ configuration: ServerConfiguration) throws -> HistoryExport {
    switch configuration.store {
    case .sqlite:
      return try open(dataDirectory: configuration.dataDirectory)
    case .postgresql(let url):
      do {
        let database = try PostgresDatabase(url: url, maxConnections: 1)
        return HistoryExport(store: PostgresHistoryStore(database: database))
      } catch {
        throw HistoryExportError.storage("\(error)")
      }
    }
  }
}
