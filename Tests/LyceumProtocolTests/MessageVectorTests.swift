import LyceumProtocol
import Testing

/// The ircdocs msg-split and msg-join vectors, every case.
@Suite struct MessageVectorTests {
  @Test func vectorFilesAreLoaded() throws {
    #expect(try Vectors.msgSplit().count == 35)
    #expect(try Vectors.msgJoin().count == 18)
  }

  @Test(arguments: try Vectors.msgSplit())
  func split(_ vector: Vectors.SplitCase) throws {
    let message = try IRCMessage(parsing: vector.input)
    expectAtoms(message, vector.atoms)
  }

  /// The same input framed from a byte stream (CRLF added) parses to the same atoms, whether
  /// the bytes come all at once or one at a time.
  @Test(arguments: try Vectors.msgSplit())
  func splitThroughFramer(_ vector: Vectors.SplitCase) throws {
    let wire = Array((vector.input + "\r\n").utf8)
    var whole = LineFramer()
    whole.append(contentsOf: wire)
    var single = LineFramer()
    var singleEvents: [LineFramerEvent] = []
    for byte in wire {
      single.append(contentsOf: [byte])
      while let event = single.next() { singleEvents.append(event) }
    }
    let wholeEvents = drain(&whole)
    #expect(wholeEvents == [.line(Array(vector.input.utf8))])
    #expect(singleEvents == wholeEvents)
    guard case .line(let bytes) = wholeEvents.first else { return }
    expectAtoms(try IRCMessage(parsing: bytes), vector.atoms)
  }

  @Test(arguments: try Vectors.msgJoin())
  func join(_ vector: Vectors.JoinCase) {
    let atoms = vector.atoms
    let message = IRCMessage(
      tags: (atoms.tags ?? [:]).map { IRCTag($0.key, $0.value.isEmpty ? nil : $0.value) },
      source: atoms.source,
      command: atoms.verb,
      params: atoms.params ?? [])
    let wire = message.serialized()
    #expect(wire.suffix(2) == [0x0D, 0x0A])
    #expect(vector.matches.contains(message.serializedString), "\(message.serializedString)")
  }

  private func expectAtoms(
    _ message: IRCMessage, _ atoms: Vectors.MessageAtoms,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var tags: [String: String] = [:]
    for tag in message.tags { tags[tag.key] = tag.value ?? "" }
    #expect(tags.count == message.tags.count, "duplicate keys kept", sourceLocation: sourceLocation)
    #expect(tags == (atoms.tags ?? [:]), sourceLocation: sourceLocation)
    #expect(message.source == atoms.source, sourceLocation: sourceLocation)
    #expect(message.command == atoms.verb, sourceLocation: sourceLocation)
    #expect(message.params == (atoms.params ?? []), sourceLocation: sourceLocation)
  }
}

/// All events currently queued in `framer`.
func drain(_ framer: inout LineFramer) -> [LineFramerEvent] {
  var events: [LineFramerEvent] = []
  while let event = framer.next() { events.append(event) }
  return events
}
