/// The slash commands the client knows, with a line of help each: `/help` shows them and tab
/// completion offers them. Kept in one table so the two never disagree.
public enum UserCommand {
  /// Name (without the slash), arguments, and what it does.
  public static let all: [(name: String, arguments: String, help: String)] = [
    ("join", "#room [key]", "join a room (its history is fetched)"),
    ("part", "[#room] [reason]", "leave a room"),
    ("msg", "nick text", "send a direct message"),
    ("query", "nick", "open a direct conversation"),
    ("me", "text", "send an action"),
    ("reply", "N|msgid text", "reply to a message; in a thread view plain text replies"),
    ("thread", "[N|msgid]", "open a thread (N from /threads; none: the latest thread)"),
    ("threads", "", "list the room's threads with reply counts and last activity"),
    ("redact", "[N|msgid] [reason]", "delete a message (none: your last one here)"),
    ("react", "[N|msgid] emoji", "react to a message (none: the last one here)"),
    ("list", "[kind | mask]", "the room directory: name, members, kind, description, topic"),
    ("knock", "#room [reason]", "ask the operators of a closed room for an invitation"),
    (
      "search", "words [in:#room] [from:nick] | more",
      "search the history (when the server offers it); more: the next page"
    ),
    ("goto", "N", "open the room of search result N, paging back to it"),
    ("topic", "[text]", "show or set the topic"),
    ("whois", "nick", "who someone is (institution and role)"),
    ("names", "", "who is in the room"),
    ("nick", "name", "change nick"),
    ("away", "[text]", "set or clear away"),
    ("invite", "nick [#room]", "invite someone"),
    ("kick", "nick [reason]", "remove someone from the room"),
    ("mode", "modes", "change the room's modes"),
    ("close", "", "close this buffer (leaves a room)"),
    ("clear", "", "clear this buffer"),
    ("quote", "line", "send a raw IRC line"),
    ("help", "", "this list"),
    ("quit", "[reason]", "disconnect and exit"),
  ]

  /// The names alone, for completion.
  public static var names: [String] { all.map(\.name) }
}
