import ArgumentParser

/// The `lyceum` command: the full-screen client (`chat`, the default) and the subcommands that
/// never open the screen, for scripts and bots (`post`, `tail`, `history`, `register`).
@main
struct Lyceum: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lyceum",
    abstract: "Lyceum's terminal client: rooms, history, threads and read markers.",
    discussion: """
      With no subcommand, lyceum opens the full-screen client with the configuration in \
      $XDG_CONFIG_HOME/lyceum/config (a short setup assistant writes it on first run). \
      Keys and commands: clients/terminal/README.md.
      """,
    version: "lyceum-client 0.1.0",
    subcommands: [
      ChatCommand.self, PostCommand.self, TailCommand.self, HistoryCommand.self,
      RegisterCommand.self,
    ],
    defaultSubcommand: ChatCommand.self)
}
