import LyceumProtocol

extension IRCServerCore {
  /// `MODE <target> [<modestring> [<args>…]]`: channel modes when the target is a channel,
  /// user modes otherwise.
  func handleMode(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    if message.params[0].hasPrefix("#") {
      handleChannelMode(client, message, &replies)
    } else {
      handleUserMode(client, message, &replies)
    }
  }

  /// User modes: `+i` invisible, `+B` bot; `-o` drops operator status (`+o` only via OPER).
  func handleUserMode(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let nick = message.params[0]
    guard let target = self.client(named: nick) else {
      replies.numeric(.errNoSuchNick, nick, "No such nick/channel")
      return
    }
    guard target.id == client.id else {
      replies.numeric(.errUsersDontMatch, "Can't change mode for other users")
      return
    }
    guard message.params.count > 1 else {
      replies.numeric(.umodeIs, client.modeString)
      return
    }
    var adding = true
    var applied = ModeChangeText()
    var unknown = false
    for letter in message.params[1] {
      switch letter {
      case "+": adding = true
      case "-": adding = false
      case "i" where client.isInvisible != adding:
        client.isInvisible = adding
        applied.add(adding, letter)
      case "B" where client.isBot != adding:
        client.isBot = adding
        applied.add(adding, letter)
      case "o" where !adding && client.isOperator:
        client.isOperator = false
        applied.add(false, letter)
      case "i", "B", "o": break
      default: unknown = true
      }
    }
    if unknown { replies.numeric(.errUModeUnknownFlag, "Unknown MODE flag") }
    if !applied.isEmpty {
      let change = IRCMessage(
        source: client.prefix, command: "MODE", params: [client.displayNick, applied.flags])
      replies.send(change)
      deliver(change, to: client, except: replies.session)
      publish(.introduce(networkUser(client)))
    }
  }
}

/// Builds a compact mode string such as `+ov-b` with its parameters, as changes are applied.
struct ModeChangeText {
  private(set) var flags = ""
  private(set) var parameters: [String] = []
  private var lastSign: Bool?
  /// Every change in order, for `split(fitting:)`.
  private var changes: [(adding: Bool, letter: Character, parameter: String?)] = []

  var isEmpty: Bool { flags.isEmpty }

  mutating func add(_ adding: Bool, _ letter: Character, _ parameter: String? = nil) {
    changes.append((adding, letter, parameter))
    if lastSign != adding {
      flags.append(adding ? "+" : "-")
      lastSign = adding
    }
    flags.append(letter)
    if let parameter { parameters.append(parameter) }
  }

  /// The changes as one or more mode strings with their parameters, each at most `budget`
  /// bytes once written out (`flags param param…`, with the spaces between), in order: a MODE
  /// line whose masks would make it longer than 512 bytes goes out as several, as ergo does.
  /// A single change longer than the budget still makes a piece of its own.
  func split(fitting budget: Int) -> [ModeChangeText] {
    var pieces: [ModeChangeText] = []
    var current = ModeChangeText()
    var size = 0
    for change in changes {
      let extra = 2 + (change.parameter.map { $0.utf8.count + 1 } ?? 0)
      if !current.isEmpty, size + extra > budget {
        pieces.append(current)
        current = ModeChangeText()
        size = 0
      }
      current.add(change.adding, change.letter, change.parameter)
      size += extra
    }
    if !current.isEmpty { pieces.append(current) }
    return pieces
  }
}
