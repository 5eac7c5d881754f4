import ArgumentParser
import Foundation
import LyceumServer

/// `lyceumd export`: a room's or a thread's history for the records; the logic is
/// `HistoryExport`'s.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write a room's (or one thread's) kept history as JSON Lines or Markdown.",
    discussion: """
      Reads the server's store (the data directory's database, or PostgreSQL with store:; \
      also while the server runs) and writes to \
      standard output or, with --output, to a new file readable only by its owner. JSON Lines: \
      one object per entry (msgid, time, command, nick, account, text, params, reply_to, \
      thread_root, tags). Markdown: a transcript with times in UTC and replies quoted.
      """)

  @Option(help: ArgumentHelp("The room, e.g. '#lab'.", valueName: "#channel"))
  var channel: String

  @Option(
    help: ArgumentHelp(
      "Only the thread of this message (its root, then its replies).", valueName: "msgid"))
  var thread: String?

  @Option(help: ArgumentHelp("jsonl or markdown.", valueName: "format"))
  var format: HistoryExport.Format

  @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
  var output: String?

  @OptionGroup var database: ExportDatabaseOptions

  func run() throws {
    let configuration: ServerConfiguration
    do {
      configuration = try AccountAdministration.configuration(
        configFile: database.configFile, dataDirectory: database.dataDirectory)
    } catch {
      writeToStandardError("lyceumd: \(error)")
      throw ExitCode(78)  // EX_CONFIG
    }
    do {
      let export = try HistoryExport.open(configuration)
      let sink = try ExportOutput(path: output)
      let count = try export.export(
        channel: channel, thread: thread, format: format, to: sink.write)
      try sink.close()
      writeToStandardError("lyceumd: exported \(count) entries of \(channel)")
    } catch let error as HistoryExportError {
      writeToStandardError("lyceumd: \(error)")
      throw error.isUsageError ? ExitCode(64) : ExitCode.failure
    } catch {
      writeToStandardError("lyceumd: \(error)")
      throw ExitCode.failure
    }
  }
}

/// `--data-dir` and `--config`, as for the account commands.
struct ExportDatabaseOptions: ParsableArguments {
  @Option(
    name: .customLong("config"),
    help: ArgumentHelp("YAML configuration file (for its data-dir and store).", valueName: "file"))
  var configFile: String?

  @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory.", valueName: "dir"))
  var dataDirectory: String?
}

extension HistoryExport.Format: ExpressibleByArgument {}
