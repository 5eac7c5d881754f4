import Dispatch
import Foundation
import LyceumClient

/// Hands a connected client from the connecting thread to the main queue, which owns it from
/// then on.
struct ConnectionHandoff: @unchecked Sendable {
  let client: BlockingLineClient?
  let error: String?
  /// The pinned certificate changed: never retried on its own.
  var pinMismatch = false
}

extension ChatApp {
  /// Starts using a connected client: the session's opening lines, a read source.
  func attach(_ client: BlockingLineClient) {
    readSource?.cancel()
    connection = client
    connecting = false
    lastHeard = .now
    controller.view.connectionNote = ""
    let source = DispatchSource.makeReadSource(fileDescriptor: client.fileDescriptor, queue: .main)
    source.setEventHandler { [self] in readAvailable() }
    // The descriptor is closed only once the source has let go of it.
    source.setCancelHandler { client.close() }
    source.resume()
    readSource = source
    perform(controller.session.connectionOpened(now: wallClockMilliseconds()))
  }

  /// Drains every complete line the connection holds (TLS may hold several in one record).
  func readAvailable() {
    guard let connection else { return }
    let mentionsBefore = controller.session.buffers.ordered.reduce(0) { $0 + $1.highlightCount }
    defer {
      // A new mention of your nick (or a direct message) rings the terminal's bell, as
      // WeeChat and irssi do; the terminal or tmux decides what a bell looks like.
      let mentions = controller.session.buffers.ordered.reduce(0) { $0 + $1.highlightCount }
      if mentions > mentionsBefore && terminal.isActive { terminal.bell() }
    }
    var events: [SessionEvent] = []
    do {
      while let line = try connection.readLine(timeout: .zero) {
        lastHeard = .now
        let output = controller.handle(line: line, now: wallClockMilliseconds())
        if output.contains(where: { if case .registered = $0 { true } else { false } }) {
          reconnectAttempt = 0
        }
        events += output
      }
    } catch {
      perform(events)
      disconnected("\(error)")
      return
    }
    perform(events)
    if connection.isClosed { disconnected("the server closed the connection") }
    redraw()
  }

  /// The connection is gone: note it, and try again after a growing pause (1 s … 60 s).
  func disconnected(_ reason: String) {
    // Once per connection: a failed send and a failed read of the same loss arrive together.
    guard connection != nil else { return }
    readSource?.cancel()  // its cancel handler closes the connection
    readSource = nil
    connection = nil
    controller.session.connectionLost(reason: reason, now: wallClockMilliseconds())
    scheduleReconnect()
    redraw()
  }

  func scheduleReconnect() {
    guard !connecting else { return }
    reconnectAttempt += 1
    let delay = min(60.0, pow(2.0, Double(min(reconnectAttempt - 1, 6))))
    controller.view.connectionNote = "disconnected; reconnecting in \(Int(delay)) s"
    connecting = true
    DispatchQueue.main.asyncAfter(deadline: .now() + delay) { [self] in
      connecting = false
      connect()
    }
  }

  /// Connects off the main queue (a slow or dead server never freezes the screen).
  func connect() {
    controller.view.connectionNote = "connecting…"
    redraw()
    let configuration = self.configuration
    DispatchQueue.global().async {
      let handoff: ConnectionHandoff
      do {
        handoff = ConnectionHandoff(client: try configuration.connect(), error: nil)
      } catch let rejection as CertificateRejected {
        handoff = ConnectionHandoff(
          client: nil, error: "\(rejection)", pinMismatch: rejection.pinMismatch)
      } catch {
        handoff = ConnectionHandoff(client: nil, error: "\(error)")
      }
      DispatchQueue.main.async { [self] in
        if let client = handoff.client {
          attach(client)
        } else if handoff.pinMismatch {
          controller.session.status(
            "THE SERVER'S CERTIFICATE HAS CHANGED; not reconnecting. \(handoff.error ?? "")",
            now: wallClockMilliseconds(), kind: .error)
          controller.view.connectionNote = "certificate changed: not connected"
        } else {
          controller.session.status(
            "Cannot connect: \(handoff.error ?? "?")", now: wallClockMilliseconds(), kind: .error)
          scheduleReconnect()
        }
        redraw()
      }
    }
  }

  /// A `PING` after 90 s of silence; a connection silent for 180 s is dropped and retried.
  func startKeepAlive() {
    let timer = DispatchSource.makeTimerSource(queue: .main)
    timer.schedule(deadline: .now() + 30, repeating: 30)
    timer.setEventHandler { [self] in
      guard let connection else { return }
      let silence = ContinuousClock.now - lastHeard
      if silence > .seconds(180) {
        disconnected("no answer from the server for 3 minutes")
      } else if silence > .seconds(90) {
        try? connection.send("PING :keepalive")
      }
    }
    timer.resume()
    keepAlive = timer
  }
}
