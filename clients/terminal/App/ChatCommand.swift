import ArgumentParser
import Foundation
import LyceumClient

/// `lyceum` (or `lyceum chat`): the full-screen client.
struct ChatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chat", abstract: "The full-screen client (the default).")

  @OptionGroup var connection: ConnectionOptions

  func run() throws {
    print("the full-screen client is not built yet")
  }
}
