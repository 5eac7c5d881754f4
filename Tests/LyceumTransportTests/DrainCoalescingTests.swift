import Dispatch
import Foundation
import LyceumClient
import Synchronization
import Testing

@testable import LyceumTransport

/// A loop writes as soon as it has nothing else queued: at once when quiet, and with the
/// lines of every batch queued behind a drain joined into that drain's writes when busy.
@Suite struct DrainCoalescingTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test func answersGoOutAtOnceOneAfterAnother() async throws {
    // A client asking and waiting for each answer: were any write put off on a timer, twenty
    // round trips would add it up twenty times (the reads' timeouts bound the whole).
    let loops = IOLoopGroup(count: 1)
    let (server, client, connection) = try await connectedTLSPair(on: loops)
    for round in 0..<20 {
      Connection.send([(connection, Array("answer \(round)\r\n".utf8))])
      #expect(try client.readLine(timeout: .seconds(10)) == "answer \(round)")
    }
    withExtendedLifetime(server) {}
  }

  @Test func batchesQueuedBehindADrainJoinItsWrite() async throws {
    let loops = IOLoopGroup(count: 1)
    let loop = loops.loops[0]
    let (server, client, connection) = try await connectedTLSPair(on: loops)
    // Hold the loop so that the queue's order is set here: batch A, then a block that hands
    // batch B to the loop. A's run schedules a drain behind that block, and the block queues
    // B behind the drain: without stepping behind B, the drain would write A alone.
    let hold = DispatchSemaphore(value: 0)
    loop.queue.async { hold.wait() }
    Connection.send([(connection, Array("A\r\n".utf8))])
    loop.queue.async { Connection.send([(connection, Array("B\r\n".utf8))]) }
    let drainsBefore = loop.drains.load(ordering: .relaxed)
    hold.signal()
    #expect(try client.readLine(timeout: .seconds(10)) == "A")
    #expect(try client.readLine(timeout: .seconds(10)) == "B")
    // Every block queued so far has run once this one does.
    loop.queue.sync {}
    #expect(loop.drains.load(ordering: .relaxed) - drainsBefore == 1)
    withExtendedLifetime(server) {}
  }

  @Test func aLoopFedWithoutPauseStillWrites() async throws {
    // Batches arriving back to back for ever must not put the writes off for ever: a drain
    // steps behind them for `IOLoop.maximumDrainDelay` at most.
    let loops = IOLoopGroup(count: 1)
    let loop = loops.loops[0]
    let (server, client, connection) = try await connectedTLSPair(on: loops)
    let hold = DispatchSemaphore(value: 0)
    loop.queue.async { hold.wait() }
    // Each step hands one line to the loop as a batch and queues the next step behind it, so
    // a batch is always queued behind the drain, for four times the longest delay.
    let feeding = Duration.nanoseconds(Int64(IOLoop.maximumDrainDelay) * 4)
    let lines = Mutex(0)
    let start = ContinuousClock.now
    @Sendable func feed() {
      let index = lines.withLock { count -> Int? in
        guard ContinuousClock.now - start < feeding || count == 0 else { return nil }
        count += 1
        return count - 1
      }
      guard let index else { return }
      Connection.send([(connection, Array("line \(index)\r\n".utf8))])
      loop.queue.async { feed() }
    }
    loop.queue.async { feed() }
    let drainsBefore = loop.drains.load(ordering: .relaxed)
    hold.signal()
    // The feeding ends on its own; read until every line it sent has arrived.
    var received = 0
    while true {
      let line = try client.readLine(timeout: .seconds(10))
      #expect(line == "line \(received)")
      received += 1
      loop.queue.sync {}
      if received == lines.withLock({ $0 }) && ContinuousClock.now - start >= feeding { break }
    }
    loop.queue.sync {}
    // More than one drain (none put off for ever), fewer than one per line (they coalesced).
    let drains = loop.drains.load(ordering: .relaxed) - drainsBefore
    #expect(drains >= 2 && drains < received)
    withExtendedLifetime(server) {}
  }
}
