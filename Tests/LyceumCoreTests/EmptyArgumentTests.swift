import LyceumProtocol
import Testing

@testable import LyceumCore

/// Every command in the command table, fed an empty argument (`:` as the last parameter) in
/// each position: an empty argument counts as a missing one, so both get the same answer, and
/// no line the server sends has an empty middle parameter.
@Suite("Empty and missing arguments, every command")
struct EmptyArgumentTests {
  /// Arguments that make each command well-formed, for the positions before the one tested.
  static let wellFormed: [String: [String]] = [
    "ACCOUNTS": ["DELETE", "bob"],
    "ADMIN": ["irc.test"],
    "AUTHENTICATE": ["PLAIN"],
    "AWAY": ["gone"],
    "BATCH": ["+x", "draft/multiline", "#c"],
    "CAP": ["LS", "302"],
    "CHATHISTORY": ["LATEST", "#c", "*", "10"],
    "HELP": ["JOIN"],
    "INFO": [],
    "INVITE": ["carol", "#c"],
    "ISON": ["bob"],
    "JOIN": ["#new", "key"],
    "KICK": ["#c", "bob", "bye"],
    "KILL": ["bob", "bye"],
    "KNOCK": ["#c", "let me in"],
    "LIST": ["#c"],
    "LUSERS": [],
    "MARKREAD": ["#c", "timestamp=2026-01-01T00:00:00.000Z"],
    "MODE": ["#c", "+l", "5"],
    "MONITOR": ["+", "bob"],
    "MOTD": ["irc.test"],
    "NAMES": ["#c"],
    "NICK": ["alice2"],
    "NOTICE": ["#c", "hi"],
    "OPER": ["root", "secret"],
    "PART": ["#c", "bye"],
    "PASS": ["secret"],
    "PING": ["token"],
    "PONG": ["token"],
    "PRIVMSG": ["#c", "hi"],
    "REDACT": ["#c", "msgid", "spam"],
    "QUIT": ["bye"],
    "REGISTER": ["alice", "*", "password123"],
    "REHASH": [],
    "ROOM": ["INFO", "#c"],
    "SEARCH": ["text=hello"],
    "SETNAME": ["Alice A"],
    "TAGMSG": ["#c"],
    "THREAD": ["#c", "msgid", "LATEST", "*", "10"],
    "THREADS": ["#c", "*", "10"],
    "TIME": ["irc.test"],
    "TOKEN": ["LIST", "alice"],
    "TOPIC": ["#c", "news"],
    "USER": ["al", "0", "*", "Alice A"],
    "USERHOST": ["bob"],
    "VERIFY": ["alice", "code"],
    "VERSION": ["irc.test"],
    "WHO": ["#c", "%n"],
    "WHOIS": ["irc.test", "bob"],
    "WHOWAS": ["bob", "1"],
  ]

  /// `command position` pairs where an empty argument means something a missing one does not,
  /// as the specs say: `TOPIC #c :` clears the topic (and `TOPIC #c` shows it), `AWAY :` is
  /// `AWAY`, an empty reason is a reason given.
  static let emptyIsMeaningful: Set<String> = ["TOPIC 1"]

  /// Commands that answer nothing by design: `PONG` (any line resets the idle timer) and
  /// `NOTICE` (RFC 2812: never an automatic reply).
  static let silent: Set<String> = ["PONG", "NOTICE"]

  /// The table's commands, in order.
  static let commands = IRCServerCore.commandTable.keys.sorted()

  @Test func everyCommandHasWellFormedArguments() {
    #expect(Set(Self.wellFormed.keys) == Set(IRCServerCore.commandTable.keys))
  }

  @Test(arguments: commands)
  func emptyArgumentIsAnsweredAsMissing(_ command: String) {
    let arguments = Self.wellFormed[command] ?? []
    let states =
      IRCServerCore.commandTable[command]?.allowedBeforeRegistration == true
      ? [true, false] : [true]
    for registered in states {
      for position in 0...arguments.count {
        let given = arguments.prefix(position).joined(separator: " ")
        let missingLine = given.isEmpty ? command : "\(command) \(given)"
        let missing = Self.outcome(of: missingLine, registered: registered)
        let emptyLine = "\(missingLine) :"
        let empty = Self.outcome(of: emptyLine, registered: registered)
        let state = registered ? "registered" : "unregistered"
        for line in missing.lines + empty.lines {
          #expect(!Self.hasEmptyMiddleParameter(line), "\(state) \(emptyLine): \(line)")
        }
        guard position < arguments.count else { continue }
        if !Self.silent.contains(command) {
          #expect(!missing.answer.isEmpty, "\(state) \(missingLine) got no answer")
          #expect(!empty.answer.isEmpty, "\(state) \(emptyLine) got no answer")
        }
        if !Self.emptyIsMeaningful.contains("\(command) \(position)") {
          #expect(
            empty.answer == missing.answer,
            "\(state) \(emptyLine) \(empty.answer) vs \(missingLine) \(missing.answer)")
        }
      }
    }
  }

  /// The wire lines `alice` got for `line`, and their shape: commands (with a standard reply's
  /// code), requests to the account or history service, and whether the connection was closed.
  static func outcome(of line: String, registered: Bool) -> (lines: [String], answer: [String]) {
    let h = CoreHarness { $0.historyEnabled = true }
    let alice: ClientID
    if registered {
      alice = h.connectRegistered("alice")
      let bob = h.connectRegistered("bob")
      h.connectRegistered("carol")
      h.place(alice, in: "#c", as: Membership(isOperator: true))
      h.place(bob, in: "#c")
      h.client(alice).isOperator = true
    } else {
      alice = h.connect()
    }
    _ = h.lines(for: alice)
    h.send(line, from: alice)
    let lines = h.lines(for: alice)
    var answer = lines.compactMap { try? IRCMessage(parsing: $0) }.map { message in
      ["FAIL", "WARN", "NOTE"].contains(message.command)
        ? "\(message.command) \(message.params.dropFirst().first ?? "")" : message.command
    }
    if !h.accountRequests().isEmpty { answer.append("account request") }
    if !h.historyRequests().isEmpty { answer.append("history request") }
    if h.closed.contains(alice) { answer.append("closed") }
    return (lines, answer)
  }

  /// Whether a wire line has an empty parameter before its last one: two spaces in a row, or
  /// a space right before the trailing parameter's colon that follows another space.
  static func hasEmptyMiddleParameter(_ line: String) -> Bool {
    var rest = Substring(line)
    if rest.hasPrefix("@"), let space = rest.firstIndex(of: " ") {
      rest = rest[rest.index(after: space)...]
    }
    let middle = rest.firstRange(of: " :").map { rest[..<$0.lowerBound] } ?? rest
    return middle.contains("  ") || middle.hasSuffix(" ")
  }
}
