import ArgumentParser
import LyceumCore

/// The `lyceumd` command: the server (`serve`, the default, so that `lyceumd --listen …` works
/// as it always has) and the operator's account and token administration.
@main
struct Lyceumd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lyceumd",
    abstract: "Lyceum: an IRC + IRCv3 chat server for academic collaboration.",
    discussion: """
      With no subcommand, lyceumd runs the server: `lyceumd --listen 127.0.0.1:6667` is \
      `lyceumd serve --listen 127.0.0.1:6667`. See `lyceumd serve --help` for its flags.

      The account, token and export subcommands work on the database in the data directory, \
      also while the server runs. migrate-store moves a stopped server's SQLite store to \
      PostgreSQL.
      """,
    version: CoreConfiguration.defaultVersion,
    subcommands: [
      ServeCommand.self, AccountCommand.self, TokenCommand.self, ExportCommand.self,
      MigrateStoreCommand.self,
    ],
    defaultSubcommand: ServeCommand.self)
}
