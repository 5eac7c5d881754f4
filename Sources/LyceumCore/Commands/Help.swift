import LyceumProtocol

extension IRCServerCore {
  /// `HELP [<subject>]` (Modern IRC "HELP message"): `704` with a title, `705` lines, then
  /// `706`, all carrying the subject; an unknown subject gets `524`.
  ///
  /// `HELP` alone lists every command in the command table; `HELP <command>` shows its syntax
  /// and what it does (`HelpTexts`). The subject is echoed upper-cased, or as `*` when it could
  /// not be sent back as a middle parameter.
  func handleHelp(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let requested = message.params.first ?? ""
    let subject = requested.uppercased()
    let echoed = subject.isEmpty || subject.contains(" ") || subject.hasPrefix(":") ? "*" : subject
    let lines: [String]
    let title: String
    if subject.isEmpty {
      title = "** Help System **"
      lines = HelpTexts.index(commands: Array(Self.commandTable.keys))
    } else if let entry = HelpTexts.commands[subject] {
      title = "** \(subject) **"
      lines = ["Syntax: \(entry.syntax)", entry.summary]
    } else {
      replies.numeric(.errHelpNotFound, echoed, "No help available on this topic")
      return
    }
    replies.numeric(.helpStart, echoed, title)
    replies.numeric(.helpText, echoed, "")
    for line in lines { replies.numeric(.helpText, echoed, line) }
    replies.numeric(.endOfHelp, echoed, "End of /HELP")
  }
}
