import LyceumProtocol

extension IRCServerCore {
  /// `REHASH` (Modern IRC "REHASH message"); operators only, checked by the table.
  ///
  /// The core cannot read files, so it asks the server to reload through
  /// `CoreEvent.rehashRequested` and answers `382 <config file> :Rehashing` at once; the new
  /// configuration arrives later through `reconfigure(_:)`.
  func handleRehash(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    outbox.events.append(.rehashRequested(by: client.displayNick))
    replies.numeric(.rehashing, Self.configurationFileName, "Rehashing")
  }

  /// The name shown in `382`; the core does not know the real path.
  static let configurationFileName = "lyceum.yaml"
}
