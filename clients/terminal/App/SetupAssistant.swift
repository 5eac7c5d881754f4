import ArgumentParser
import Foundation
import LyceumClient

/// The first run with no configuration file: asks for the server, a nick, and whether to log
/// in, register an account or stay a guest; writes the file (mode 600).
struct SetupAssistant {
  let path: String

  /// An account to `REGISTER` on the first connection (the assistant's "register").
  nonisolated(unsafe) static var pendingRegistration: AccountRegistration?
  /// A password the user chose not to keep in the file: used for this run only.
  nonisolated(unsafe) static var sessionPassword: String?

  func run() throws {
    print("Welcome to Lyceum. No configuration yet; a few questions (Enter keeps the default).")
    var configuration = ClientConfiguration()
    let server = ask("Server (host:port)", default: "localhost:6697")
    guard let (host, port) = ClientConfiguration.hostPort(server) else {
      throw ValidationError("not a host:port: \(server)")
    }
    configuration.host = host
    configuration.port = port
    configuration.nick = ask(
      "Nick", default: ProcessInfo.processInfo.environment["USER"] ?? "guest")
    let mode = ask("[l]og in to an account, [r]egister a new one, or [g]uest?", default: "l")
    if mode.hasPrefix("l") || mode.hasPrefix("r") {
      configuration.account = ask("Account", default: configuration.nick)
      let password = askSecret("Password")
      let store = ask(
        "Keep the password in \(path)? (yes, no, or a command that prints it)", default: "yes")
      if store.lowercased().hasPrefix("y") {
        configuration.password = password
      } else if store.lowercased() != "no" && store.lowercased() != "n" {
        configuration.passwordCommand = store
      } else {
        // Not written anywhere: used for this run only (next time: --password-stdin).
        Self.sessionPassword = password
        print("Not kept: next time give it with --password-stdin, or set password-cmd.")
      }
      if mode.hasPrefix("r") {
        let email = ask("E-mail (optional)", default: "")
        Self.pendingRegistration = AccountRegistration(
          account: configuration.account ?? configuration.nick,
          email: email.isEmpty ? nil : email, password: password)
      }
    }
    let rooms = ask("Rooms to join (comma-separated)", default: "")
    configuration.channels = rooms.split(separator: ",").map {
      String($0.trimmingCharacters(in: .whitespaces))
    }.filter { !$0.isEmpty }
    try ConfigFile.write(configuration.fileText, path: path)
    print("Wrote \(path). Starting…")
  }

  func ask(_ question: String, default value: String) -> String {
    print(value.isEmpty ? "\(question): " : "\(question) [\(value)]: ", terminator: "")
    let answer = readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) ?? ""
    return answer.isEmpty ? value : answer
  }

  /// Reads a line with the terminal's echo off.
  func askSecret(_ question: String) -> String {
    print("\(question): ", terminator: "")
    var saved = termios()
    let isTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
    if isTerminal {
      var quiet = saved
      quiet.c_lflag &= ~tcflag_t(ECHO)
      tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
    }
    let answer = readLine(strippingNewline: true) ?? ""
    if isTerminal {
      tcsetattr(STDIN_FILENO, TCSANOW, &saved)
      print("")
    }
    return answer
  }
}
