/// The text `HELP` shows: for each command, its syntax and one sentence, written for someone
/// typing commands by hand in `ncat --ssl` or `openssl s_client`.
///
/// Keys are upper-case command names; every command in `IRCServerCore.commandTable` has an entry
/// (a test checks this).
enum HelpTexts {
  struct Entry {
    var syntax: String
    var summary: String
  }

  static let commands: [String: Entry] = [
    "ACCOUNTS": .init(
      syntax:
        "ACCOUNTS CREATE <name> <role> <password> [:<institution>] | ACCOUNTS SET <name> <field> :<value> | ACCOUNTS DELETE <name>",
      summary:
        "Operators create, change and delete accounts (roles: faculty researcher student staff bot admin)."
    ),
    "ADMIN": .init(
      syntax: "ADMIN [<server>]",
      summary: "Shows who runs this server and how to reach them."),
    "AUTHENTICATE": .init(
      syntax:
        "AUTHENTICATE <PLAIN|EXTERNAL|SCRAM-SHA-256> | AUTHENTICATE <base64> | AUTHENTICATE *",
      summary: "Logs in to your account with SASL; your client usually does this for you."),
    "AWAY": .init(
      syntax: "AWAY [:<message>]",
      summary: "Marks you away with a message others see; AWAY alone marks you back."),
    "BATCH": .init(
      syntax: "BATCH +<id> draft/multiline <target> ... BATCH -<id>",
      summary: "Sends the PRIVMSG lines between the two as one multiline message."),
    "REDACT": .init(
      syntax: "REDACT <target> <msgid> [:<reason>]",
      summary: "Deletes a message you sent (or, as a channel operator, anyone's)."),
    "CAP": .init(
      syntax: "CAP LS 302 | CAP REQ :<caps> | CAP LIST | CAP END",
      summary: "Lists and turns on IRCv3 capabilities; send CAP END to finish connecting."),
    "HELP": .init(
      syntax: "HELP [<command>]",
      summary: "Shows the list of commands, or how to use one of them."),
    "INFO": .init(
      syntax: "INFO",
      summary: "Shows information about this server."),
    "KNOCK": .init(
      syntax: "KNOCK <#channel> [:<reason>]",
      summary: "Asks the operators of an invite-only channel to invite you."),
    "INVITE": .init(
      syntax: "INVITE <nick> <#channel>",
      summary: "Invites someone into a channel; INVITE alone lists your invitations."),
    "CHATHISTORY": .init(
      syntax:
        "CHATHISTORY LATEST|BEFORE|AFTER|AROUND <target> <msgid=… | timestamp=…> <limit>"
        + " | CHATHISTORY BETWEEN <target> <ref> <ref> <limit>"
        + " | CHATHISTORY TARGETS <timestamp=…> <timestamp=…> <limit>",
      summary:
        "Fetches kept history of a channel you are in or of your conversation with an account"
        + " (LATEST takes * for the newest); TARGETS lists where there was activity."),
    "ISON": .init(
      syntax: "ISON <nick> [<nick> ...]",
      summary: "Tells which of the given nicks are online now."),
    "JOIN": .init(
      syntax: "JOIN <#channel>[,<#channel>] [<key>[,<key>]]",
      summary: "Joins channels, creating them if needed; JOIN 0 leaves all your channels."),
    "MARKREAD": .init(
      syntax: "MARKREAD <target> [timestamp=YYYY-MM-DDThh:mm:ss.sssZ]",
      summary:
        "Shows or moves forward your read marker for a channel or nick, shared by all your"
        + " connections to your account."),
    "KICK": .init(
      syntax: "KICK <#channel> <nick> [:<reason>]",
      summary: "Removes someone from a channel; needs channel operator status (@)."),
    "KILL": .init(
      syntax: "KILL <nick> :<reason>",
      summary: "Disconnects a user from the server; for IRC operators only."),
    "LIST": .init(
      syntax: "LIST [<#channel>[,<#channel>]] | LIST >n | LIST <n",
      summary: "Lists channels with their user count and topic, optionally by size."),
    "LUSERS": .init(
      syntax: "LUSERS",
      summary: "Shows how many users and channels the server has."),
    "MODE": .init(
      syntax: "MODE <#channel> [+|-<modes> [<args>]] | MODE <yournick> [+|-<modes>]",
      summary: "Shows or changes channel modes (such as +o nick, +t, +k key) or your own (+i, +B)."),
    "MONITOR": .init(
      syntax: "MONITOR + <nick>[,<nick>] | - <nick>[,<nick>] | C | L | S",
      summary:
        "Watches nicks: you are told when they come online or go offline (+ add, - remove, "
        + "C clear, L list, S status)."),
    "MOTD": .init(
      syntax: "MOTD",
      summary: "Shows the server's message of the day."),
    "NAMES": .init(
      syntax: "NAMES <#channel>[,<#channel>]",
      summary: "Lists who is in a channel; @ marks operators and + voiced users."),
    "NICK": .init(
      syntax: "NICK <nick>",
      summary: "Sets your nickname when connecting, or changes it later."),
    "NOTICE": .init(
      syntax: "NOTICE <nick|#channel> :<text>",
      summary: "Sends a message that must never be answered automatically, as bots do."),
    "OPER": .init(
      syntax: "OPER <name> <password>",
      summary: "Makes you an IRC operator with the credentials from the server's configuration."),
    "PART": .init(
      syntax: "PART <#channel>[,<#channel>] [:<reason>]",
      summary: "Leaves channels."),
    "PASS": .init(
      syntax: "PASS <password>",
      summary: "Gives the server password; send it before NICK and USER when one is required."),
    "PING": .init(
      syntax: "PING <token>",
      summary: "Asks the server to answer PONG <token>, to check that the connection is alive."),
    "PONG": .init(
      syntax: "PONG <token>",
      summary: "Answers the server's PING; without it the server closes idle connections."),
    "PRIVMSG": .init(
      syntax: "PRIVMSG <nick|#channel> :<text>",
      summary:
        "Sends a message to a person or a channel; the colon keeps spaces in the text. "
        + "A person with an account who is offline gets it when they next connect."),
    "QUIT": .init(
      syntax: "QUIT [:<reason>]",
      summary: "Disconnects you, telling your channels the reason."),
    "REHASH": .init(
      syntax: "REHASH",
      summary: "Reloads the server's configuration and certificates; for IRC operators only."),
    "REGISTER": .init(
      syntax: "REGISTER <account|*> <email|*> <password>",
      summary: "Creates an account (named after your nick with *) and logs you in to it."),
    "ROOM": .init(
      syntax:
        "ROOM REGISTER <#channel> | ROOM UNREGISTER <#channel> | ROOM INFO <#channel>"
        + " | ROOM SET <#channel> DESCRIPTION|KIND [<value>]",
      summary:
        "Registers a room to your account so that it keeps its topic, modes, bans and operators."
    ),
    "SETNAME": .init(
      syntax: "SETNAME :<real name>",
      summary: "Changes the real name others see in WHO and WHOIS."),
    "TAGMSG": .init(
      syntax: "@<tags> TAGMSG <nick|#channel>",
      summary: "Sends only message tags, such as typing notifications; needs message-tags."),
    "SEARCH": .init(
      syntax: "SEARCH :text=<words>[;in=<target>][;from=<nick>][;after=<time>][;before=<time>]"
        + "[;limit=<n>]",
      summary:
        "Finds kept messages you may read, newest first (soju.im/search); \"phrases\","
        + " prefix*, -excluded; lyceum.chat/cursor pages on."),
    "THREADS": .init(
      syntax: "THREADS <#channel> [<msgid=… | timestamp=… | *>] [<limit>]",
      summary:
        "Lists the research threads of a channel you are in, newest activity first: root,"
        + " replies, participants, last activity (lyceum.chat/threads)."),
    "THREAD": .init(
      syntax:
        "THREAD <#channel> <root-msgid> LATEST|BEFORE|AFTER|AROUND <ref> <limit>"
        + " | THREAD <#channel> <root-msgid> BETWEEN <ref> <ref> <limit>",
      summary:
        "Fetches one thread: its root, then the replies (+reply), paged as CHATHISTORY pages."),
    "TOKEN": .init(
      syntax:
        "TOKEN CREATE <account> <name> | TOKEN LIST <account> | TOKEN REVOKE <account> <name>",
      summary: "Manages API tokens (bot passwords) of your own account; operators, of any account."),
    "TIME": .init(
      syntax: "TIME",
      summary: "Shows the server's current time."),
    "TOPIC": .init(
      syntax: "TOPIC <#channel> [:<new topic>]",
      summary: "Shows a channel's topic, or sets it (TOPIC #channel : clears it)."),
    "USER": .init(
      syntax: "USER <username> 0 * :<real name>",
      summary: "Gives your username and real name when connecting, right after NICK."),
    "USERHOST": .init(
      syntax: "USERHOST <nick> [<nick> ...]",
      summary: "Shows the user@host of up to five nicks; - means away, * an IRC operator."),
    "VERSION": .init(
      syntax: "VERSION",
      summary: "Shows the server's software version and its supported features (005)."),
    "VERIFY": .init(
      syntax: "VERIFY <account> <code>",
      summary: "Completes an account registration that needs a code (none do here)."),
    "WHO": .init(
      syntax: "WHO <#channel|mask> [%<fields>[,<token>]]",
      summary: "Lists the users of a channel, or those matching a mask like *@host; H here, G away."
    ),
    "WHOIS": .init(
      syntax: "WHOIS <nick>",
      summary: "Shows who someone is: user@host, real name, channels, idle time."),
    "WHOWAS": .init(
      syntax: "WHOWAS <nick> [<count>]",
      summary: "Shows who recently used a nick that is no longer online."),
  ]

  /// The lines of `HELP` alone: how to use it, then every command, a few per line.
  static func index(commands names: [String]) -> [String] {
    var lines = [
      "Type HELP <command> for how to use one, for example: HELP JOIN",
      "Commands:",
    ]
    var line = ""
    for name in names.sorted() {
      if line.utf8.count + name.utf8.count + 1 > 60 {
        lines.append(line)
        line = ""
      }
      line += line.isEmpty ? name : " " + name
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}
