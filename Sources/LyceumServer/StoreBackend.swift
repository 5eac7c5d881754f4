import Foundation
import LyceumCore
import LyceumPostgres
import LyceumStore

/// The four stores of one backend, opened and checked, behind the core's protocols: the rest of
/// the server never knows whether SQLite or PostgreSQL holds its data.
struct StoreBackend {
  let accounts: any AccountStore
  let rooms: any RoomStore
  let readMarkers: any ReadMarkerStore
  let history: any ServerHistoryStore
  /// Where the data is, for the log: the SQLite file, or the URL without its password.
  let location: String
  /// The link to the other nodes, when `network:` makes this server one of several.
  var network: PostgresNetwork?

  /// Opens the backend `configuration.store` names.
  static func open(_ configuration: ServerConfiguration) throws -> StoreBackend {
    switch configuration.store {
    case .sqlite: try sqlite(configuration)
    case .postgresql(let url):
      try postgresql(url, network: configuration.network)
    }
  }

  /// `<data directory>/lyceum.sqlite`, with one real write to prove it can be written.
  private static func sqlite(_ configuration: ServerConfiguration) throws -> StoreBackend {
    let database = try LyceumDatabase.inDataDirectory(
      configuration.dataDirectory,
      durableAgainstPowerLoss: configuration.history.durableAgainstPowerLoss)
    do {
      try database.requireWritable()
    } catch {
      throw DataDirectoryNotWritable(
        path: configuration.dataDirectory, reason: "the database \(database.path): \(error)")
    }
    return StoreBackend(
      accounts: SQLiteAccountStore(database: database),
      rooms: SQLiteRoomStore(database: database),
      readMarkers: SQLiteReadMarkerStore(database: database),
      history: SQLiteHistoryStore(database: database), location: database.path)
  }

  /// The PostgreSQL database at `url`, migrated. Its commits are durable (`synchronous_commit`
  /// on), so `history.durable-against-power-loss` has nothing to change there.
  private static func postgresql(_ url: PostgresURL, network: NetworkConfiguration?) throws
    -> StoreBackend
  {
    let database = try PostgresDatabase(url: url)
    return StoreBackend(
      accounts: PostgresAccountStore(database: database),
      rooms: PostgresRoomStore(database: database),
      readMarkers: PostgresReadMarkerStore(database: database),
      history: PostgresHistoryStore(database: database), location: url.redacted,
      network: network.map {
        PostgresNetwork(database: database, name: $0.node, lease: $0.lease)
      })
  }
}
