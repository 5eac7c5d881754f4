import Dispatch
import Foundation
import LyceumClient
import Testing

@testable import LyceumTransport

/// A loop due to write waits while upstream work (input queued for the core, commits) is under
/// way, so that a burst's lines go out in one write: until the work ends and its output is
/// handed over, or for `upstreamWait` at most.
@Suite struct UpstreamWaitTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test func aDrainWaitsForWorkUnderWayAndGoesWithItsOutput() async throws {
    let upstream = UpstreamWork()
    // A limit no test run reaches: only the end of the work may let the drain go.
    let loops = IOLoopGroup(waitingFor: upstream, atMost: .seconds(600))
    let loop = loops.loops[0]
    let (server, client, connection) = try await connectedTLSPair(on: loops)
    let drainsBefore = loop.drains.load(ordering: .relaxed)

    upstream.begin()  // the second line of a burst, queued for the core
    Connection.send([(connection, Array("first\r\n".utf8))])
    // The batch ran and queued its drain; then the drain ran, and waited.
    loop.queue.sync {}
    loop.queue.sync {}
    #expect(loop.drains.load(ordering: .relaxed) == drainsBefore)

    // The core is done with it: the count falls first, the output is handed over, then the
    // waiting loop is woken (the order `CoreHub` keeps).
    #expect(upstream.end())
    Connection.send([(connection, Array("second\r\n".utf8))])
    upstream.outputReleased()
    #expect(try client.readLine(timeout: .seconds(10)) == "first")
    #expect(try client.readLine(timeout: .seconds(10)) == "second")
    loop.queue.sync {}
    #expect(loop.drains.load(ordering: .relaxed) - drainsBefore == 1)
    withExtendedLifetime(server) {}
  }

  @Test func aReleaseWakesTheDrainThoughLaterWorkIsUnderWay() async throws {
    // A busy server always has work under way: its loops write at each release of output.
    let upstream = UpstreamWork()
    let loops = IOLoopGroup(waitingFor: upstream, atMost: .seconds(600))
    let (server, client, connection) = try await connectedTLSPair(on: loops)
    upstream.begin()
    Connection.send([(connection, Array("released\r\n".utf8))])
    loops.loops[0].queue.sync {}  // the batch ran
    loops.loops[0].queue.sync {}  // its drain ran, and waited
    upstream.begin()  // more work, begun after the drain started waiting
    #expect(!upstream.end())
    upstream.outputReleased()
    #expect(try client.readLine(timeout: .seconds(10)) == "released")
    withExtendedLifetime(server) {}
  }

  @Test func workThatNeverEndsHoldsWritesOnlyBriefly() async throws {
    // A stalled disk: its commit never ends, and the loop writes anyway once the wait is up.
    let upstream = UpstreamWork()
    let loops = IOLoopGroup(waitingFor: upstream, atMost: .milliseconds(20))
    let (server, client, connection) = try await connectedTLSPair(on: loops)
    upstream.begin()
    for round in 0..<3 {
      Connection.send([(connection, Array("line \(round)\r\n".utf8))])
      #expect(try client.readLine(timeout: .seconds(10)) == "line \(round)")
    }
    #expect(upstream.isUnderWay)
    withExtendedLifetime(server) {}
  }

  @Test func nothingUnderWayMeansNoWait() async throws {
    // With a limit no test reaches, a reply that waited at all would never arrive.
    let upstream = UpstreamWork()
    let loops = IOLoopGroup(waitingFor: upstream, atMost: .seconds(600))
    let (server, client, connection) = try await connectedTLSPair(on: loops)
    for round in 0..<5 {
      Connection.send([(connection, Array("answer \(round)\r\n".utf8))])
      #expect(try client.readLine(timeout: .seconds(10)) == "answer \(round)")
    }
    withExtendedLifetime(server) {}
  }
}
