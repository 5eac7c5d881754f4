import LyceumProtocol
import Testing

/// Channel modes, KICK and TOPIC end to end; the first joiner is the channel operator.
@Suite struct ChannelModeE2ETests {
  @Test func inviteOnlyKeyBanLimitModerated() throws {
    let server = try TestServer()
    defer { server.stop() }
    let op = try server.registered("chanop")
    let guest = try server.registered("guest")
    let third = try server.registered("third")
    try op.join("#modes")

    // +i: refused with 473 until invited.
    try op.send("MODE #modes +i")
    try op.expect("MODE") { $0.params == ["#modes", "+i"] }
    try guest.send("JOIN #modes")
    #expect(try guest.expect("473").params[1] == "#modes")
    try op.send("INVITE guest #modes")
    let inviting = try op.expect("341")
    #expect(Array(inviting.params.dropFirst()) == ["guest", "#modes"])
    let invite = try guest.expect("INVITE")
    #expect(invite.sourceNick == "chanop")
    #expect(invite.params == ["guest", "#modes"])
    try guest.send("JOIN #modes")
    try guest.expect("JOIN") { $0.sourceNick == "guest" }
    try op.expect("JOIN") { $0.sourceNick == "guest" }
    try op.send("MODE #modes -i")
    try op.expect("MODE")

    // +k: a wrong key gets 475, the right one joins.
    try op.send("MODE #modes +k sesame")
    try op.expect("MODE") { $0.params.prefix(2) == ["#modes", "+k"] }
    try third.send("JOIN #modes wrong")
    #expect(try third.expect("475").params[1] == "#modes")
    try third.send("JOIN #modes sesame")
    try third.expect("JOIN") { $0.sourceNick == "third" }
    try op.send("MODE #modes -k sesame")
    try op.expect("MODE") { $0.params.prefix(2) == ["#modes", "-k"] }

    // +m: an unvoiced member gets 404; a voiced one is heard.
    try op.send("MODE #modes +m")
    try op.expect("MODE") { $0.params.prefix(2) == ["#modes", "+m"] }
    try third.send("PRIVMSG #modes :muted?")
    #expect(try third.expect("404").params[1] == "#modes")
    try op.send("MODE #modes +v third")
    try third.expect("MODE") { $0.params == ["#modes", "+v", "third"] }
    try third.send("PRIVMSG #modes :voiced")
    let heard = try op.readUntil("voiced message") { $0.command == "PRIVMSG" }
    #expect(heard.last?.trailing == "voiced", "the muted message was relayed: \(heard)")
    try op.send("MODE #modes -m")
    try op.expect("MODE") { $0.params.prefix(2) == ["#modes", "-m"] }

    // KICK is seen by everyone, the target included.
    try op.send("KICK #modes guest :out you go")
    for client in [op, guest, third] {
      let kick = try client.expect("KICK")
      #expect(kick.sourceNick == "chanop")
      #expect(kick.params == ["#modes", "guest", "out you go"])
    }

    // +b: the ban list, then 474 for the banned guest.
    try op.send("MODE #modes +b guest!*@*")
    try op.expect("MODE") { $0.params.prefix(2) == ["#modes", "+b"] }
    try op.send("MODE #modes b")
    let bans = try op.readUntil("368") { $0.command == "368" }
    let entries = bans.with("367")
    #expect(entries.count == 1)
    #expect(entries.first?.params[1] == "#modes")
    #expect(entries.first?.params[2] == "guest!*@*")
    try guest.send("JOIN #modes")
    #expect(try guest.expect("474").params[1] == "#modes")
    try op.send("MODE #modes -b guest!*@*")
    try op.expect("MODE") { $0.params.prefix(2) == ["#modes", "-b"] }

    // +l: full at 2 members (chanop, third).
    try op.send("MODE #modes +l 2")
    try op.expect("MODE") { $0.params.prefix(2) == ["#modes", "+l"] }
    try guest.send("JOIN #modes")
    #expect(try guest.expect("471").params[1] == "#modes")
    try op.send("MODE #modes -l")
    try op.expect("MODE") { $0.params.prefix(2) == ["#modes", "-l"] }
    try guest.send("JOIN #modes")
    try guest.expect("JOIN") { $0.sourceNick == "guest" }
  }

  @Test func topicIsBroadcastAndShownOnJoin() throws {
    let server = try TestServer()
    defer { server.stop() }
    let op = try server.registered("topicop")
    let member = try server.registered("member")
    try op.join("#topics")
    try member.join("#topics")
    try op.send("TOPIC #topics :Joint research on pedagogy")
    for client in [op, member] {
      let topic = try client.expect("TOPIC")
      #expect(topic.sourceNick == "topicop")
      #expect(topic.params == ["#topics", "Joint research on pedagogy"])
    }
    let late = try server.registered("latecomer")
    let joined = try late.join("#topics")
    let rplTopic = try #require(joined.first { $0.command == "332" }, "no 332 on join: \(joined)")
    #expect(Array(rplTopic.params.dropFirst()) == ["#topics", "Joint research on pedagogy"])
    let whoTime = try #require(joined.first { $0.command == "333" }, "no 333 on join: \(joined)")
    #expect(whoTime.params[1] == "#topics")
    #expect(whoTime.params[2].hasPrefix("topicop"))
    #expect((Int(whoTime.params[3]) ?? 0) > 1_600_000_000)
    let order = joined.map(\.command).filter { ["JOIN", "332", "333"].contains($0) }
    #expect(order == ["JOIN", "332", "333"])
  }
}
