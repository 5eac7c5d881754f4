import LyceumClient
import LyceumTerminalScreen

/// A controller registered and in `#lab`, fed server lines with a fixed clock.
struct ScreenFixture {
  var controller: ChatController
  let now: Int64 = 1_764_000_000_000

  init(nick: String = "ada", extraCaps: String = "") {
    controller = ChatController(
      session: IRCSession(configuration: SessionConfiguration(nick: nick)))
    // The size `screen()` draws at, as the app keeps it in step with the terminal.
    controller.screenWidth = 80
    controller.screenHeight = 20
    _ = controller.session.connectionOpened(now: now)
    let caps =
      "batch draft/chathistory draft/read-marker echo-message labeled-response "
      + "lyceum.chat/threads message-tags server-time" + extraCaps
    // The ACK names the capabilities without their values, as servers do.
    let names = caps.split(separator: " ").map { $0.prefix { $0 != "=" } }.joined(separator: " ")
    server(":srv CAP * LS :\(caps)", ":srv CAP \(nick) ACK :\(names)", ":srv 001 \(nick) :Welcome")
    server(
      ":\(nick)!a@h JOIN #lab", ":srv 353 \(nick) = #lab :@\(nick) bob eve",
      ":srv 366 \(nick) #lab :End")
  }

  @discardableResult
  mutating func server(_ lines: String...) -> [SessionEvent] {
    lines.flatMap { controller.handle(line: $0, now: now) }
  }

  /// `@time=…;msgid=… :nick!u@h PRIVMSG #lab :text` at `seconds` after the base time.
  mutating func say(_ nick: String, _ text: String, at seconds: Int, id: String, tags: String = "")
  {
    let time = formatServerTime(now + Int64(seconds) * 1000)
    server("@time=\(time);msgid=\(id)\(tags) :\(nick)!u@h PRIVMSG #lab :\(text)")
  }

  func screen(width: Int = 80, height: Int = 20) -> [String] {
    controller.render(width: width, height: height).grid.lines
  }
}
