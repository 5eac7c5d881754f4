import Foundation
import LyceumClient
import LyceumTransport
import Testing

/// Each loop runs a bounded number of TLS handshakes at once; the others wait their turn.
@Suite struct HandshakeLimitTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test func connectionsBeyondTheLimitWaitForASlotAndThenShakeHands() async throws {
    // A handshake timeout longer than any test run: only closing A may free its slot.
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(),
      limits: ConnectionLimits(handshakeTimeout: .seconds(600)),
      loops: IOLoopGroup(count: 1, handshakeLimit: 1))
    // A says nothing: it holds the only slot.
    var silent: BlockingLineClient? = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: false)
    let silentHandler = try #require(await server.handler(0))
    // B connects and leaves while it waits: its turn must pass the slot on.
    var leaving: BlockingLineClient? = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: false)
    let leavingHandler = try #require(await server.handler(1))
    leaving = nil
    // C waits for a slot.
    let shookHands = Signal<Bool>()
    let port = server.port
    let waiting = Thread {
      let client = try? BlockingLineClient(
        host: "127.0.0.1", port: port, tls: true, verification: .none, timeout: .seconds(120))
      shookHands.fulfill(client != nil)
    }
    waiting.start()
    // No event says "did not happen": give C a moment in which it must not get through.
    #expect(await shookHands.wait(timeout: .milliseconds(300)) == nil)
    silent = nil
    #expect(await silentHandler.closed.wait() != nil)
    #expect(await leavingHandler.closed.wait() != nil)
    // Generous: under a loaded test run, the steps above may take seconds.
    #expect(await shookHands.wait(timeout: .seconds(120)) == true)
    #expect(silent == nil && leaving == nil)
    // The slot is free again: a new client shakes hands at once.
    let later = try BlockingLineClient(
      host: "127.0.0.1", port: server.port, tls: true, verification: .none)
    try later.send("later")
    #expect(try later.readLine() == "later")
  }
}
