import Testing

@testable import LyceumTransport

/// The hub counts its work in progress for the loops (`UpstreamWork`): a commit under way is
/// counted until its output is released, and nothing stays counted once the clients have
/// their answers. A count left behind would make every drain wait its time limit.
@Suite struct UpstreamWorkE2ETests {
  @Test func aCommitIsCountedUntilItsOutputIsReleased() throws {
    let upstream = UpstreamWork()
    let (server, store) = try FaultyHistoryStore.server(upstream: upstream)
    defer { server.stop() }
    let alice = try server.registered("alice")
    let bob = try server.registered("bob")
    try alice.join("#lab")
    try bob.join("#lab")
    try alice.sync()
    try bob.sync()
    #expect(!upstream.isUnderWay)

    store.stall()
    try alice.send("PRIVMSG #lab :held for the disk")
    store.blocked.wait()  // the commit is under way, stalled
    #expect(upstream.isUnderWay)
    store.release()
    _ = try bob.readUntil("the kept line") { $0.trailing == "held for the disk" }
    // Bob saw the line, so its commit's count was dropped before the line was handed over;
    // a round trip then ends the last `receive` block before its answer.
    try alice.sync()
    #expect(!upstream.isUnderWay)
  }
}
