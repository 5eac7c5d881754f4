import ArgumentParser
import Foundation
import LyceumClient

/// `lyceum history '#room'`: prints a room's (or a conversation's) history, oldest first.
struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "Print the history of a room or conversation, oldest first, then exit.")

  @OptionGroup var connection: ConnectionOptions
  @Argument(help: "Room or nick.") var target: String

  @Option(help: "At most this many messages (paged from the newest).") var limit = 100

  @Option(
    help: ArgumentHelp(
      "Only messages after this time (YYYY-MM-DDThh:mm:ss.sssZ, or a date YYYY-MM-DD).",
      valueName: "time"))
  var since: String?

  @Flag(help: "One JSON object per line (time, msgid, nick, account, kind, text, reply).")
  var json = false

  func run() throws {
    var sinceTime: Int64?
    if let since {
      let text = since.count == 10 ? since + "T00:00:00.000Z" : since
      guard let parsed = parseServerTime(text) else {
        throw ValidationError("--since: expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ss.sssZ")
      }
      sinceTime = parsed
    }
    try runOneShot(connection, historyPageSize: min(limit, 1000)) { runner in
      let key = BufferKey(target: target)
      if IRCSession.isChannel(target) {
        try runner.join(target, timeout: .seconds(15))
      } else {
        _ = runner.session.activate(BufferKey.server)
        try runner.perform(runner.session.input("/query \(target)", now: wallClockMilliseconds()))
      }
      // Page back until the limit, the start, or the --since time is reached.
      while true {
        let event = try runner.run(timeout: .seconds(15)) { event in
          if case .historyLoaded = event { return true }
          return false
        }
        guard event != nil else { throw ClientFailure.timeout("CHATHISTORY \(target)") }
        guard let buffer = runner.session.buffers[key] else { break }
        let messages = buffer.lines.filter { $0.msgid != nil }
        if buffer.history.reachedStart || messages.count >= limit { break }
        if let sinceTime, let oldest = messages.first?.time, oldest <= sinceTime { break }
        _ = runner.session.activate(key)
        try runner.perform(runner.session.requestOlderHistory())
      }
      let lines = (runner.session.buffers[key]?.lines ?? []).filter { line in
        line.msgid != nil && (sinceTime.map { line.time > $0 } ?? true)
      }.suffix(limit)
      for line in lines { emit(json ? Self.json(line) : PlainLine.format(line)) }
    }
  }

  static func json(_ line: BufferLine) -> String {
    var object: [String: String] = [
      "time": formatServerTime(line.time), "nick": line.sender, "text": line.text,
      "kind": "\(line.kind)",
    ]
    if let msgid = line.msgid { object["msgid"] = msgid }
    if let account = line.account { object["account"] = account }
    if let reply = line.replyTo { object["reply"] = reply }
    let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }
}

/// `lyceum register`: creates an account on the server (`REGISTER`) and writes nothing.
struct RegisterCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "register",
    abstract: "Create an account on the server (the password from stdin), then exit.")

  @OptionGroup var connection: ConnectionOptions
  @Option(help: "E-mail address (optional).") var email: String?

  func run() throws {
    signal(SIGPIPE, SIG_IGN)
    do {
      var configuration = try connection.load()
      guard let password = configuration.password ?? readLine(strippingNewline: true),
        !password.isEmpty
      else { throw ValidationError("no password (give it on standard input)") }
      let account = configuration.account ?? configuration.nick
      configuration.account = nil
      var settings = try configuration.sessionConfiguration()
      settings.login = .none
      settings.fetchDirectTargets = false
      settings.registration = AccountRegistration(
        account: account, email: email, password: password)
      let runner = try BlockingSessionRunner(
        session: IRCSession(configuration: settings), connection: try configuration.connect(),
        clock: wallClockMilliseconds)
      try runner.waitUntilRegistered(timeout: .seconds(30))
      guard runner.session.account != nil else {
        throw ClientFailure.login("the account was not created")
      }
      print("account \(account) created")
      runner.quit()
    } catch let error as ValidationError {
      throw error
    } catch {
      printError("\(error)")
      throw ExitCode.failure
    }
  }
}
