/// Splits a byte stream into IRC lines, with hard limits and bounded memory.
///
/// A line ends at LF; one CR right before it is stripped, any other CR is kept as data. Empty
/// lines are skipped. Each byte is searched for LF once, when it is appended: bytes already
/// searched are never searched again, whatever the chunking.
///
/// Limits: the tag section (`@` up to and including the space after the tags) may be up to
/// `maxTagSectionBytes` and the body (source, command and parameters) up to
/// `maxBodyBytes - 2` bytes, CRLF excluded.
///
/// Overlong lines and the read queue — the design choice:
/// - Only the current unterminated line is buffered (`bufferedByteCount`), and never more than
///   `maxLineBytes` of it: once a line has grown past that without an LF it cannot be valid, so
///   `lineTooLong` is queued at once, the buffered part is dropped, and the rest of the line is
///   skipped as it streams in, counted but not stored. A line short enough to buffer but over a
///   section limit gets `lineTooLong` when its LF arrives. Either way `lineTooLong` comes once.
/// - `readQueueExceeded` is raised when one line (counted without its LF) grows past
///   `readQueueLimit` bytes: a client sending that much without a newline is flooding, not
///   chatting. After it the framer ignores all input; the caller should disconnect.
/// So memory stays bounded by `maxLineBytes` plus the lines of one `append` not yet taken by
/// `next()`; call `next()` until it returns nil after every append.
public struct LineFramer: Sendable {
  /// Most bytes of a tag section: `@`, the tags, and the space after them.
  public static let maxTagSectionBytes = 8191
  /// Most bytes of the body (source, command, parameters) INCLUDING the CRLF.
  public static let maxBodyBytes = 512
  /// Most content bytes of a body, without CRLF.
  public static let maxBodyContentBytes = maxBodyBytes - 2
  /// Most bytes of an unterminated line that can still turn out valid: both sections full,
  /// plus the CR that may precede the LF.
  public static let maxLineBytes = maxTagSectionBytes + maxBodyContentBytes + 1

  /// How many bytes one line may have before the client is considered to flood.
  public let readQueueLimit: Int

  private enum Mode: Sendable {
    case reading
    case discarding(count: Int)
    case failed
  }

  private var mode: Mode = .reading
  /// The start of the current line, when it began in an earlier append.
  private var partial: [UInt8] = []
  private var events: [LineFramerEvent] = []
  private var eventHead = 0

  /// - Parameter readQueueLimit: most bytes of a single line before `readQueueExceeded`; at
  ///   least `maxTagSectionBytes + maxBodyBytes`, so that every valid line fits.
  public init(readQueueLimit: Int = 16384) {
    precondition(
      readQueueLimit >= Self.maxTagSectionBytes + Self.maxBodyBytes,
      "readQueueLimit must hold the longest valid line")
    self.readQueueLimit = readQueueLimit
  }

  /// Bytes of the current unterminated line held in memory (never above `maxLineBytes`).
  public var bufferedByteCount: Int { partial.count }

  /// Whether `readQueueExceeded` was raised; the framer then ignores further input.
  public var hasFailed: Bool {
    if case .failed = mode { return true }
    return false
  }

  /// Feeds bytes read from the connection.
  public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
    let done: Void? = bytes.withContiguousStorageIfAvailable {
      append(UnsafeRawBufferPointer($0))
    }
    if done == nil {
      Array(bytes).withUnsafeBytes { append($0) }
    }
  }

  /// Feeds bytes read from the connection.
  public mutating func append(_ bytes: UnsafeRawBufferPointer) {
    let p = bytes.assumingMemoryBound(to: UInt8.self)
    var i = 0
    while i < p.count {
      switch mode {
      case .failed:
        return
      case .discarding(let count):
        i = skip(p, from: i, discarded: count)
      case .reading:
        i = read(p, from: i)
      }
    }
  }

  /// The next event, or nil when more bytes are needed.
  public mutating func next() -> LineFramerEvent? {
    guard eventHead < events.count else { return nil }
    let event = events[eventHead]
    eventHead += 1
    if eventHead == events.count {
      // Nothing kept: most connections sit idle between lines, and a buffer kept for each
      // would be memory every idle connection pays for.
      events = []
      eventHead = 0
    }
    return event
  }

  /// Reads the current line from `p[from...]`; returns where to go on.
  private mutating func read(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
    // Bytes this line may still take before it is too long, plus one to see that LF.
    let room = Self.maxLineBytes - partial.count
    let scanEnd = min(p.count, i + room + 1)
    if let lf = Self.firstLF(p, from: i, to: scanEnd) {
      if partial.isEmpty {
        complete(UnsafeBufferPointer(rebasing: p[i..<lf]))
      } else {
        partial.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<lf]))
        partial.withUnsafeBufferPointer { complete($0) }
        partial = []
      }
      return lf + 1
    }
    if scanEnd - i <= room {
      partial.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<scanEnd]))
      return scanEnd
    }
    // room + 1 bytes without LF: the line cannot be valid any more.
    let count = partial.count + (scanEnd - i)
    partial.removeAll(keepingCapacity: true)
    events.append(.lineTooLong)
    mode = .discarding(count: count)
    return checkReadQueue(discarded: count) ? scanEnd : p.count
  }

  /// Skips the rest of an overlong line; returns where to go on.
  private mutating func skip(_ p: UnsafeBufferPointer<UInt8>, from i: Int, discarded: Int) -> Int {
    let lf = Self.firstLF(p, from: i, to: p.count)
    let count = discarded + ((lf ?? p.count) - i)
    guard checkReadQueue(discarded: count) else { return p.count }
    guard let lf else {
      mode = .discarding(count: count)
      return p.count
    }
    mode = .reading
    return lf + 1
  }

  /// Raises `readQueueExceeded` when `discarded` is past the limit; false when it did.
  private mutating func checkReadQueue(discarded: Int) -> Bool {
    guard discarded > readQueueLimit else { return true }
    events.append(.readQueueExceeded)
    mode = .failed
    return false
  }

  /// Queues the event for a complete line (`line` has no LF, maybe a trailing CR).
  private mutating func complete(_ line: UnsafeBufferPointer<UInt8>) {
    var length = line.count
    if length > 0 && line[length - 1] == ASCII.cr { length -= 1 }
    guard length > 0 else { return }
    var tagSection = 0
    if line[0] == ASCII.at {
      tagSection = length
      for k in 1..<length where line[k] == ASCII.space {
        tagSection = k + 1
        break
      }
    }
    if tagSection > Self.maxTagSectionBytes || length - tagSection > Self.maxBodyContentBytes {
      events.append(.lineTooLong)
    } else {
      events.append(.line(Array(UnsafeBufferPointer(rebasing: line[0..<length]))))
    }
  }

  /// The index of the first LF in `p[from..<to]`, eight bytes at a time.
  static func firstLF(_ p: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> Int? {
    var i = from
    if let base = p.baseAddress {
      let raw = UnsafeRawPointer(base)
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      let lfs: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
      while i + 8 <= end {
        let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        let x = word ^ lfs
        let found = (x &- ones) & ~x & highs
        if found != 0 { return i + found.trailingZeroBitCount / 8 }
        i += 8
      }
    }
    while i < end {
      if p[i] == ASCII.lf { return i }
      i += 1
    }
    return nil
  }
}
