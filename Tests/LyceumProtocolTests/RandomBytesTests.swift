import LyceumProtocol
import Testing

/// Random byte streams through the framer and the parser: no crash, bounded memory, and every
/// line that parses survives a serialize/parse round trip.
@Suite struct RandomBytesTests {
  /// Bytes that matter to IRC, so random data hits the interesting paths often.
  private static let alphabet: [UInt8] =
    Array("@:;= \\\r\n\nabcPRIVMSG#!".utf8) + [0, 0xC3, 0xA9, 0xFF]

  private func randomChunk(_ rng: inout SplitMix64) -> [UInt8] {
    let count: Int
    switch rng.next() % 100 {
    case 0: count = Int(rng.next() % 40_000)  // sometimes a flood
    case 1..<20: count = Int(rng.next() % 2_000)
    default: count = Int(rng.next() % 200)
    }
    let newlines = rng.next() % 4 != 0
    return (0..<count).map { _ in
      let r = rng.next()
      let b =
        r % 3 == 0
        ? UInt8(truncatingIfNeeded: r >> 8)
        : Self.alphabet[Int((r >> 8) % UInt64(Self.alphabet.count))]
      return !newlines && b == 0x0A ? 0x61 : b
    }
  }

  @Test func randomChunks() throws {
    var rng = SplitMix64(seed: 0x1CE_C0FFEE)
    let limit = 16384
    var framer = LineFramer(readQueueLimit: limit)
    var lines = 0
    var parsed = 0
    var failures = 0
    for _ in 0..<10_000 {
      let chunk = randomChunk(&rng)
      if rng.next() % 2 == 0 {
        framer.append(contentsOf: chunk)
      } else {
        chunk.withUnsafeBytes { framer.append($0) }
      }
      #expect(framer.bufferedByteCount <= LineFramer.maxLineBytes)
      #expect(framer.bufferedByteCount <= limit)
      while let event = framer.next() {
        guard case .line(let bytes) = event else {
          if event == .readQueueExceeded {
            failures += 1
            framer = LineFramer(readQueueLimit: limit)
          }
          continue
        }
        lines += 1
        #expect(!bytes.isEmpty && !bytes.contains(0x0A))
        guard let message = try? IRCMessage(parsing: bytes) else { continue }
        parsed += 1
        try expectRoundTrip(message)
      }
    }
    // The test must have exercised every path.
    #expect(lines > 1000)
    #expect(parsed > 500)
    #expect(failures > 0)
  }

  private func expectRoundTrip(_ message: IRCMessage) throws {
    // CR and NUL are written as spaces on purpose; only clean messages must round-trip.
    let text = [message.source ?? "", message.command] + message.params
    guard !text.contains(where: { $0.utf8.contains(0x0D) || $0.utf8.contains(0) }) else { return }
    let wire = message.serialized()
    do {
      #expect(try IRCMessage(parsing: wire.dropLast(2)) == message)
    } catch {
      Issue.record("\(error) for \(message)")
    }
  }

  /// The parser must agree with the standard library on which byte strings are UTF-8.
  @Test func utf8ValidationAgreesWithStandardLibrary() {
    var rng = SplitMix64(seed: 42)
    var valid = 0
    for _ in 0..<20_000 {
      let count = Int(rng.next() % 12)
      let bytes = (0..<count).map { _ in
        let r = rng.next()
        // Bias towards lead and continuation bytes so multi-byte sequences are common.
        return r % 4 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : UInt8(0x80 | (r >> 8) % 0x75)
      }
      let expected = String(validating: bytes, as: UTF8.self) != nil
      if expected { valid += 1 }
      #expect(UTF8Validation.isValid(bytes) == expected, "\(bytes)")
    }
    #expect(valid > 100)
  }
}
