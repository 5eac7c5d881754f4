import LyceumProtocol

/// How one command is checked before its handler runs.
struct CommandSpec: Sendable {
  typealias Handler = @Sendable (IRCServerCore, Client, IRCMessage, inout Replies) -> Void

  /// Parameters required, else `461 ERR_NEEDMOREPARAMS` (or `missingReply`). Counted after an
  /// empty last parameter is dropped, so `KICK #c :` is `KICK #c`.
  var minimumParameters = 0
  /// The answer when a required parameter is missing (or empty).
  var missingReply = MissingParameterReply.needMoreParams
  /// Whether an empty last optional parameter means something (`TOPIC #c :` clears the
  /// topic) and is passed to the handler; a required one is always dropped (`TOPIC :`). For every other command an empty last parameter is dropped
  /// before any check: an empty argument is a missing one, so no handler sees it, echoes it
  /// into a reply, or stays silent on it.
  var keepsEmptyLastParameter = false
  /// Whether it may be used before registration completes, else `451 ERR_NOTREGISTERED`.
  var allowedBeforeRegistration = false
  /// Whether the client must be an IRC operator, else `481 ERR_NOPRIVILEGES`.
  var requiresOperator = false
  /// Whether the command exists only while history is on, else `421 ERR_UNKNOWNCOMMAND`.
  var requiresHistory = false
  var handler: Handler
}

extension IRCServerCore {
  /// Every command the server understands, keyed by upper-case name. The checks for
  /// registration state, parameter count and privileges live here, in one place; each handler
  /// lives in its own file under `Commands/`.
  static let commandTable: [String: CommandSpec] = [
    "CAP": .init(minimumParameters: 1, allowedBeforeRegistration: true) {
      $0.handleCap($1, $2, &$3)
    },
    "NICK": .init(allowedBeforeRegistration: true) { $0.handleNick($1, $2, &$3) },
    "USER": .init(minimumParameters: 4, allowedBeforeRegistration: true) {
      $0.handleUser($1, $2, &$3)
    },
    "PASS": .init(minimumParameters: 1, allowedBeforeRegistration: true) {
      $0.handlePass($1, $2, &$3)
    },
    "AUTHENTICATE": .init(minimumParameters: 1, allowedBeforeRegistration: true) {
      $0.handleAuthenticate($1, $2, &$3)
    },
    "REGISTER": .init(minimumParameters: 3, allowedBeforeRegistration: true) {
      $0.handleRegister($1, $2, &$3)
    },
    "VERIFY": .init(minimumParameters: 2, allowedBeforeRegistration: true) {
      $0.handleVerify($1, $2, &$3)
    },
    "PING": .init(allowedBeforeRegistration: true) { $0.handlePing($1, $2, &$3) },
    "PONG": .init(allowedBeforeRegistration: true) { _, _, _, _ in },
    "QUIT": .init(allowedBeforeRegistration: true) { $0.handleQuit($1, $2, &$3) },
    "JOIN": .init(minimumParameters: 1) { $0.handleJoin($1, $2, &$3) },
    "PART": .init(minimumParameters: 1) { $0.handlePart($1, $2, &$3) },
    "PRIVMSG": .init { $0.handleMessage($1, $2, &$3, kind: .privmsg) },
    "NOTICE": .init { $0.handleMessage($1, $2, &$3, kind: .notice) },
    "TAGMSG": .init { $0.handleMessage($1, $2, &$3, kind: .tagmsg) },
    // draft/multiline; the lines between `BATCH +` and `BATCH -` never reach this table.
    "BATCH": .init(minimumParameters: 1) { $0.handleBatch($1, $2, &$3) },
    "REDACT": .init(minimumParameters: 2) { $0.handleRedact($1, $2, &$3) },
    "TOPIC": .init(minimumParameters: 1, keepsEmptyLastParameter: true) {
      $0.handleTopic($1, $2, &$3)
    },
    "NAMES": .init { $0.handleNames($1, $2, &$3) },
    "LIST": .init { $0.handleList($1, $2, &$3) },
    "WHO": .init { $0.handleWho($1, $2, &$3) },
    "WHOIS": .init(minimumParameters: 1, missingReply: .noNicknameGiven) {
      $0.handleWhois($1, $2, &$3)
    },
    "WHOWAS": .init(minimumParameters: 1, missingReply: .noNicknameGiven) {
      $0.handleWhowas($1, $2, &$3)
    },
    "MODE": .init(minimumParameters: 1) { $0.handleMode($1, $2, &$3) },
    "KICK": .init(minimumParameters: 2) { $0.handleKick($1, $2, &$3) },
    "ROOM": .init(minimumParameters: 2) { $0.handleRoom($1, $2, &$3) },
    "INVITE": .init { $0.handleInvite($1, $2, &$3) },
    "KNOCK": .init(minimumParameters: 1) { $0.handleKnock($1, $2, &$3) },
    "ACCOUNTS": .init(minimumParameters: 2, requiresOperator: true) {
      $0.handleAccounts($1, $2, &$3)
    },
    "TOKEN": .init(minimumParameters: 2) { $0.handleToken($1, $2, &$3) },
    "ADMIN": .init { $0.handleAdmin($1, $2, &$3) },
    "AWAY": .init { $0.handleAway($1, $2, &$3) },
    "SETNAME": .init(minimumParameters: 1) { $0.handleSetname($1, $2, &$3) },
    "OPER": .init(minimumParameters: 2) { $0.handleOper($1, $2, &$3) },
    "KILL": .init(minimumParameters: 2, requiresOperator: true) { $0.handleKill($1, $2, &$3) },
    "REHASH": .init(requiresOperator: true) { $0.handleRehash($1, $2, &$3) },
    "VERSION": .init { $0.handleVersion($1, $2, &$3) },
    "TIME": .init { $0.handleTime($1, $2, &$3) },
    "INFO": .init { $0.handleInfo($1, $2, &$3) },
    "HELP": .init { $0.handleHelp($1, $2, &$3) },
    "LUSERS": .init { $0.handleLusers($1, $2, &$3) },
    "MOTD": .init { $0.handleMotd($1, $2, &$3) },
    "USERHOST": .init(minimumParameters: 1) { $0.handleUserhost($1, $2, &$3) },
    "ISON": .init(minimumParameters: 1) { $0.handleIson($1, $2, &$3) },
    "MONITOR": .init(minimumParameters: 1) { $0.handleMonitor($1, $2, &$3) },
    // Missing parameters are the spec's `FAIL CHATHISTORY INVALID_PARAMS`, not 461.
    "CHATHISTORY": .init(requiresHistory: true) { $0.handleChatHistory($1, $2, &$3) },
    // Likewise `FAIL MARKREAD NEED_MORE_PARAMS` (IRCv3 read-marker).
    "MARKREAD": .init(requiresHistory: true) { $0.handleMarkRead($1, $2, &$3) },
    // `lyceum.chat/threads`; missing parameters are `FAIL … INVALID_PARAMS` as for CHATHISTORY.
    "THREADS": .init(requiresHistory: true) { $0.handleThreads($1, $2, &$3) },
    "THREAD": .init(requiresHistory: true) { $0.handleThread($1, $2, &$3) },
    // soju.im/search; missing attributes are `FAIL SEARCH INVALID_PARAMS`.
    "SEARCH": .init(requiresHistory: true) { $0.handleSearch($1, $2, &$3) },
  ]

  /// Applies the table's checks, then runs the handler.
  func dispatch(command: String, message: IRCMessage, client: Client, replies: inout Replies) {
    var message = message
    guard let spec = Self.commandTable[command],
      !spec.requiresHistory || configuration.historyEnabled
    else {
      replies.numeric(.errUnknownCommand, message.command, "Unknown command")
      return
    }
    if !client.isRegistered && !spec.allowedBeforeRegistration {
      replies.numeric(.errNotRegistered, "You have not registered")
      return
    }
    let optional = message.params.count > spec.minimumParameters
    if message.params.last?.isEmpty == true && !(spec.keepsEmptyLastParameter && optional) {
      message.params.removeLast()
    }
    if message.params.count < spec.minimumParameters {
      switch spec.missingReply {
      case .needMoreParams: replies.needMoreParams(command)
      case .noNicknameGiven: replies.numeric(.errNoNicknameGiven, "No nickname given")
      }
      return
    }
    if spec.requiresOperator && !client.isOperator {
      replies.numeric(.errNoPrivileges, "Permission Denied - You're not an IRC operator")
      return
    }
    spec.handler(self, client, message, &replies)
  }
}

/// What a command answers when a required parameter is missing or empty.
enum MissingParameterReply: Sendable {
  /// `461 ERR_NEEDMOREPARAMS`, the general answer.
  case needMoreParams
  /// `431 ERR_NONICKNAMEGIVEN`, which Modern IRC gives for `WHOIS` and `WHOWAS`.
  case noNicknameGiven
}
