import Dispatch
import Foundation
import LyceumClient
import LyceumTerminalScreen

/// The full-screen client's event loop: everything happens on the main queue — keys from
/// stdin, lines from the server, signals and timers are Dispatch sources there — so the
/// session, the view and ncurses are only ever touched from one thread.
///
/// `@unchecked Sendable`: every property is used on the main queue only (the one closure that
/// runs elsewhere, the connect, touches nothing of `self` until it hops back).
final class ChatApp: @unchecked Sendable {
  var controller: ChatController
  let terminal = Terminal()
  let configuration: ClientConfiguration
  var connection: BlockingLineClient?
  var readSource: DispatchSourceRead?
  var inputSource: DispatchSourceRead?
  var signalSources: [DispatchSourceSignal] = []
  var keepAlive: DispatchSourceTimer?
  var reconnectAttempt = 0
  var lastHeard = ContinuousClock.now
  var markReadPending = false
  var connecting = false

  init(configuration: ClientConfiguration, session: SessionConfiguration, debug: Bool) {
    self.configuration = configuration
    var ircSession = IRCSession(configuration: session)
    ircSession.debug = debug
    controller = ChatController(session: ircSession)
    controller.view.utcOffset = TimeZone.current.secondsFromGMT()
  }

  /// Starts the screen and the loop with an open connection (the first run's, already
  /// trusted); never returns.
  func run(with firstConnection: BlockingLineClient) -> Never {
    terminal.start()
    watchInput()
    watchSignals()
    startKeepAlive()
    attach(firstConnection)
    redraw()
    dispatchMain()
  }

  /// Redraws from the model; called after anything changed.
  func redraw() {
    guard terminal.isActive else { return }
    controller.screenWidth = terminal.width
    controller.screenHeight = terminal.height
    terminal.draw(controller.render(width: terminal.width, height: terminal.height))
  }

  /// Sends the session's lines; notes the other events in the status line where useful.
  func perform(_ events: [SessionEvent]) {
    for event in events {
      switch event {
      case .send(let line):
        guard let connection else { continue }
        do {
          try connection.send(line)
        } catch {
          disconnected("\(error)")
          return
        }
      default:
        break
      }
    }
    scheduleMarkRead()
    if controller.wantsToQuit { quit() }
  }

  /// Marks the buffer on screen read a moment after it changed, when the user is at its end,
  /// so the other devices follow without a `MARKREAD` per line.
  func scheduleMarkRead() {
    guard !markReadPending else { return }
    markReadPending = true
    DispatchQueue.main.asyncAfter(deadline: .now() + 1) { [self] in
      markReadPending = false
      guard controller.view.anchors[controller.session.buffers.activeKey] == nil else {
        return
      }
      let events = controller.session.markActiveRead()
      if !events.isEmpty {
        perform(events)
        redraw()
      }
    }
  }

  func watchInput() {
    let source = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: .main)
    source.setEventHandler { [self] in
      let keys = terminal.readKeys()
      guard !keys.isEmpty else { return }
      perform(controller.handle(keys: keys, now: wallClockMilliseconds()))
      redraw()
    }
    source.resume()
    inputSource = source
  }

  func watchSignals() {
    for number in [SIGWINCH, SIGINT, SIGTERM, SIGHUP] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
      source.setEventHandler { [self] in
        if number == SIGWINCH {
          terminal.resize()
          redraw()
        } else {
          quit()
        }
      }
      source.resume()
      signalSources.append(source)
    }
  }

  /// Leaves cleanly: QUIT to the server, the terminal restored, exit 0.
  func quit() -> Never {
    if let connection {
      try? connection.send("QUIT :lyceum")
      connection.close()
    }
    terminal.stop()
    exit(0)
  }
}
