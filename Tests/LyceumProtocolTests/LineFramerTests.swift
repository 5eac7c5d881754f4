import LyceumProtocol
import Testing

@Suite struct LineFramerTests {
  private func frame(_ chunks: [[UInt8]], limit: Int = 16384) -> ([LineFramerEvent], LineFramer) {
    var framer = LineFramer(readQueueLimit: limit)
    var events: [LineFramerEvent] = []
    for chunk in chunks {
      framer.append(contentsOf: chunk)
      events += drain(&framer)
    }
    return (events, framer)
  }

  private func frame(_ text: String) -> [LineFramerEvent] { frame([Array(text.utf8)]).0 }

  private func line(_ text: String) -> LineFramerEvent { .line(Array(text.utf8)) }

  /// A tagged line whose tag section (with its space) and body have exactly these sizes.
  private func tagged(tagSection: Int, body: Int) -> [UInt8] {
    [0x40] + [UInt8](repeating: 0x61, count: tagSection - 2) + [0x20]
      + [UInt8](repeating: 0x62, count: body)
  }

  @Test func crlfAndLF() {
    #expect(
      frame("PING a\r\nPING b\nPING c\r\n") == [line("PING a"), line("PING b"), line("PING c")])
  }

  @Test func loneCRIsKeptAndOnlyOneTrailingCRStripped() {
    #expect(frame("A :x\ry\r\nB\r\r\n") == [line("A :x\ry"), line("B\r")])
  }

  @Test func emptyLinesAreSkipped() {
    #expect(frame("\r\n\n\r\n\nX\n\r\n") == [line("X")])
  }

  @Test func unterminatedLineWaits() {
    var framer = LineFramer()
    framer.append(contentsOf: Array("PING a".utf8))
    #expect(framer.next() == nil)
    #expect(framer.bufferedByteCount == 6)
    framer.append(contentsOf: Array("\r".utf8))
    #expect(framer.next() == nil)
    framer.append(contentsOf: Array("\n".utf8))
    #expect(framer.next() == line("PING a"))
    #expect(framer.bufferedByteCount == 0)
  }

  /// Every split point of a stream gives the same lines as one append.
  @Test func linesSplitAcrossAppends() {
    let wire = Array("@t=1 :s PRIVMSG #c :hi there\r\nPING x\nPONG\r\n".utf8)
    let expected = frame([wire]).0
    #expect(expected.count == 3)
    for cut in 0...wire.count {
      for second in cut...wire.count {
        let chunks = [Array(wire[..<cut]), Array(wire[cut..<second]), Array(wire[second...])]
        #expect(frame(chunks).0 == expected, "cuts \(cut) \(second)")
      }
    }
  }

  @Test func unsafeRawBufferAppend() {
    var framer = LineFramer()
    Array("PING a\r\n".utf8).withUnsafeBytes { framer.append($0) }
    #expect(framer.next() == line("PING a"))
  }

  @Test func bodyAtLimitAndOneOver() {
    let atLimit = [UInt8](repeating: 0x61, count: 510)
    let over = [UInt8](repeating: 0x61, count: 511)
    let crlf: [UInt8] = [0x0D, 0x0A]
    #expect(frame([atLimit + crlf]).0 == [.line(atLimit)])
    #expect(frame([atLimit + [0x0A]]).0 == [.line(atLimit)])
    #expect(frame([over + crlf + Array("OK\r\n".utf8)]).0 == [.lineTooLong, line("OK")])
  }

  @Test func tagSectionAtLimitAndOneOver() {
    let crlf: [UInt8] = [0x0D, 0x0A]
    let atLimit = tagged(tagSection: 8191, body: 510)
    #expect(atLimit.count == 8701)
    #expect(frame([atLimit + crlf]).0 == [.line(atLimit)])
    let tagsOver = tagged(tagSection: 8192, body: 10)
    #expect(frame([tagsOver + crlf, Array("OK\n".utf8)]).0 == [.lineTooLong, line("OK")])
    let bodyOver = tagged(tagSection: 8191, body: 511)
    #expect(frame([bodyOver + crlf, Array("OK\n".utf8)]).0 == [.lineTooLong, line("OK")])
    let bodyOverSmallTags = tagged(tagSection: 10, body: 511)
    #expect(frame([bodyOverSmallTags + crlf]).0 == [.lineTooLong])
  }

  /// The longest valid line, one byte at a time: never more than `maxLineBytes` buffered.
  @Test func atLimitOneByteAtATime() {
    let wire = tagged(tagSection: 8191, body: 510) + [0x0D, 0x0A]
    var framer = LineFramer()
    var events: [LineFramerEvent] = []
    for byte in wire {
      framer.append(contentsOf: CollectionOfOne(byte))
      #expect(framer.bufferedByteCount <= LineFramer.maxLineBytes)
      events += drain(&framer)
    }
    #expect(events == [.line(Array(wire.dropLast(2)))])
  }

  /// 100 KB without a newline: reported at once, never buffered, and past the read queue.
  @Test func hugeLineWithoutNewlineAllAtOnce() {
    var framer = LineFramer()
    framer.append(contentsOf: [UInt8](repeating: 0x61, count: 100_000))
    #expect(framer.bufferedByteCount <= LineFramer.maxLineBytes)
    #expect(drain(&framer) == [.lineTooLong, .readQueueExceeded])
    #expect(framer.hasFailed)
    framer.append(contentsOf: Array("\nPING\n".utf8))
    #expect(framer.next() == nil)
    #expect(framer.bufferedByteCount == 0)
  }

  @Test func hugeLineInChunksStaysBounded() {
    var framer = LineFramer()
    var events: [LineFramerEvent] = []
    let chunk = [UInt8](repeating: 0x61, count: 1000)
    for _ in 0..<100 {
      framer.append(contentsOf: chunk)
      #expect(framer.bufferedByteCount <= LineFramer.maxLineBytes)
      events += drain(&framer)
    }
    #expect(events == [.lineTooLong, .readQueueExceeded])
  }

  /// A line longer than the limits but within the read queue is only `lineTooLong`.
  @Test func longLineWithinReadQueue() {
    let long = [UInt8](repeating: 0x61, count: 12_000)
    let (events, framer) = frame([long, Array("\r\nPING\r\n".utf8)])
    #expect(events == [.lineTooLong, line("PING")])
    #expect(!framer.hasFailed)
    let (events2, _) = frame([long + Array("\nPING\n".utf8)], limit: 200_000)
    #expect(events2 == [.lineTooLong, line("PING")])
  }

  /// The read-queue limit counts one line: exactly at it is fine, one more byte is a flood.
  @Test func readQueueLimitBoundary() {
    let limit = 9000
    let atLimit = [UInt8](repeating: 0x61, count: limit) + [0x0A]
    #expect(frame([atLimit, Array("A\n".utf8)], limit: limit).0 == [.lineTooLong, line("A")])
    let over = [UInt8](repeating: 0x61, count: limit + 1) + [0x0A]
    #expect(frame([over], limit: limit).0 == [.lineTooLong, .readQueueExceeded])
  }
}
