import Foundation
import LyceumProtocol
import LyceumServer
import Testing

/// `KNOCK` over real TLS: a student outside an invite-only partner room asks, its operator is
/// told and invites, and the student joins.
@Suite struct KnockE2ETests {
  @Test func aKnockIsDeliveredAndAnsweredWithAnInvitation() throws {
    let server = try TestServer()
    defer { server.stop() }
    let ada = try server.registered("ada")
    _ = try ada.join("#partners")
    try ada.send("MODE #partners +i")
    try ada.expect("MODE")
    let maria = try server.registered("maria")
    try maria.send("JOIN #partners")
    _ = try maria.expect("473")
    try maria.send("KNOCK #partners :Erasmus student from Salamanca")
    let delivered = try maria.expect("711")
    #expect(delivered.params.dropFirst().first == "#partners")
    let knock = try ada.expect("710")
    #expect(knock.params.prefix(2) == ["#partners", "#partners"])
    #expect(knock.params[2].hasPrefix("maria!"))
    #expect(knock.params.last == "has asked for an invite (Erasmus student from Salamanca).")
    try maria.send("KNOCK #partners")
    _ = try maria.expect("712")
    try ada.send("INVITE maria #partners")
    _ = try maria.expect("INVITE")
    let joined = try maria.join("#partners")
    #expect(joined.with("JOIN").first?.params.first == "#partners")
  }
}
