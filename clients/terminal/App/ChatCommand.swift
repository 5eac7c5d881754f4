import ArgumentParser
import Foundation
import LyceumClient

/// `lyceum` (or `lyceum chat`): the full-screen client.
struct ChatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chat", abstract: "The full-screen client (the default).")

  @OptionGroup var connection: ConnectionOptions

  func run() throws {
    signal(SIGPIPE, SIG_IGN)
    let path = connection.configPath
    if !FileManager.default.fileExists(atPath: path) && connection.nick == nil {
      try SetupAssistant(path: path).run()
    }
    var configuration = try connection.load()
    if configuration.password == nil, let password = SetupAssistant.sessionPassword {
      configuration.password = password
    }
    var session = try configuration.sessionConfiguration()
    if let registration = SetupAssistant.pendingRegistration {
      session.registration = registration
      session.login = .none
    }
    let client: BlockingLineClient
    do {
      client = try FirstConnection.open(&configuration, path: path)
    } catch let error as ExitCode {
      throw error
    } catch {
      printError("\(error)")
      throw ExitCode.failure
    }
    ChatApp(configuration: configuration, session: session, debug: connection.debug)
      .run(with: client)
  }
}
