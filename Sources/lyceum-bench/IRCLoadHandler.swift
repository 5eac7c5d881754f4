#if canImport(Glibc)
  import Glibc
#endif

/// What the clients of one load run do.
struct LoadConfig: Sendable {
  enum Mode: Sendable {
    case connect
    case idle
    case fanout
  }

  var mode: Mode
  var clients: Int
  var nickPrefix: String
  var password: String?
  var channel: String = "#bench"
  /// fanout: clients 0 ..< senders send.
  var senders: Int = 0
  /// fanout: messages per second over all senders; 0 = as fast as the window allows.
  var rate: Double = 0
  /// fanout: unacknowledged messages per sender at most.
  var window: Int = 64
  /// Clients connecting (connected, not yet registered) at once per loop at most; 0 = no limit.
  var connectingPerLoop = 0

  /// The nickname of client `index`: short enough for servers limited to 9 characters.
  func nick(_ index: Int) -> String {
    nickPrefix + String(index, radix: 36)
  }

  /// The client whose receipt of sender `sender`'s message acknowledges it: the last client
  /// when it is not a sender, else the next sender.
  @inline(__always)
  func ackReceiver(of sender: Int) -> Int {
    clients > senders ? clients - 1 : (sender + 1) % clients
  }
}

/// The IRC side of one event loop's clients: registration, JOIN, PING/PONG, and for fanout the
/// sending and the checking of sequence numbers and latencies. Used by the loop's thread only
/// (`@unchecked Sendable` to hand it to that thread; the main thread reads it after the join).
final class IRCLoadHandler: @unchecked Sendable {
  let config: LoadConfig
  let shared: LoadShared
  let stats = LoopStats()
  let loop: EventLoop
  private var phaseSeen = LoadPhase.registering
  private var senderConnections: [LoadConnection] = []
  private var sendStartNs: UInt64 = 0
  private let perSenderRate: Double
  private let messagePrefix: [UInt8]
  private let messageSuffix = Array(" lorem ipsum dolor sit amet, consectetur adipiscing\r\n".utf8)

  /// fanout: delivery latency (µs) of every message received.
  private(set) var latency = LatencyHistogram()
  /// Connect to 001 (µs) of every client.
  private(set) var registration = LatencyHistogram()
  private(set) var lastRegisteredNs: UInt64 = 0
  private(set) var delivered = 0
  private(set) var lost = 0
  private(set) var reordered = 0
  private(set) var malformed = 0
  private(set) var lastDeliveryNs: UInt64 = 0
  /// Clients of this loop not opened yet (the last one first) and clients connecting now.
  private var waiting: [Int] = []
  private var connecting = 0

  init(config: LoadConfig, shared: LoadShared, loop: EventLoop) {
    self.config = config
    self.shared = shared
    self.loop = loop
    perSenderRate = config.senders > 0 ? config.rate / Double(config.senders) : 0
    messagePrefix = Array("PRIVMSG \(config.channel) :".utf8)
  }

  /// Gives this loop its clients and opens as many as `connectingPerLoop` allows.
  func assign(_ indices: [Int]) {
    waiting = indices.reversed()
    openWaiting(now: monotonicNanoseconds())
  }

  private func openWaiting(now: UInt64) {
    while let index = waiting.last,
      config.connectingPerLoop == 0 || connecting < config.connectingPerLoop
    {
      waiting.removeLast()
      connecting += 1
      loop.open(index: index, handler: self, now: now)
    }
  }

  // MARK: Events from the loop

  func opened(_ connection: LoadConnection) {
    let nick = config.nick(connection.index)
    if let password = config.password { connection.queueLine("PASS \(password)") }
    connection.queueLine("NICK \(nick)")
    connection.queueLine("USER \(nick) 0 * :lyceum-bench")
    if config.mode == .fanout {
      connection.expected = [Int32](repeating: 1, count: config.senders)
      if connection.index < config.senders { senderConnections.append(connection) }
    }
  }

  func failedToOpen(index: Int, _ why: String) {
    connecting -= 1
    shared.failed.add(1, ordering: .relaxed)
    shared.record("client \(index): \(why)")
  }

  func failed(_ connection: LoadConnection, _ why: String) {
    if connection.isRegistered {
      shared.dropped.add(1, ordering: .relaxed)
    } else {
      connecting -= 1
      shared.failed.add(1, ordering: .relaxed)
    }
    shared.record("client \(connection.index) (\(config.nick(connection.index))): \(why)")
  }

  /// One line from the server, without CR LF; only the command is looked at, and for a
  /// `PRIVMSG` the three numbers at the start of its text.
  func line(_ connection: LoadConnection, _ line: UnsafeRawBufferPointer) {
    let end = line.count
    var i = 0
    if line[0] == UInt8(ascii: "@") { i = skipWord(line, 0) }
    if i < end && line[i] == UInt8(ascii: ":") { i = skipWord(line, i) }
    let commandStart = i
    let commandEnd = wordEnd(line, i)
    let length = commandEnd - commandStart
    if length == 7 && line[commandStart] == UInt8(ascii: "P")
      && line[commandStart + 1] == UInt8(ascii: "R")
    {
      if config.mode == .fanout { privmsg(connection, line, from: commandEnd + 1) }
    } else if length == 3, let code = numericCode(line, commandStart) {
      numeric(connection, code, line)
    } else if length == 4 && matches(line, commandStart, "PING") {
      var reply = Array("PONG".utf8)
      reply.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[commandEnd..<end]))
      reply.append(contentsOf: [13, 10])
      connection.queue(reply)
      loop.markDirty(connection)
    } else if length == 5 && matches(line, commandStart, "ERROR") {
      loop.fail(connection, "server: " + String(decoding: line, as: UTF8.self), handler: self)
    }
  }

  /// Called once per loop iteration; false when the loop should stop.
  func tick(now: UInt64) -> Bool {
    let phase = shared.currentPhase
    if phase != phaseSeen {
      enter(phase)
      phaseSeen = phase
    }
    if !waiting.isEmpty && connecting < config.connectingPerLoop { openWaiting(now: now) }
    switch phase {
    case .sending: sendDue(now: now)
    case .quitting: return false
    default: break
    }
    stats.delivered.store(delivered, ordering: .relaxed)
    return true
  }

  // MARK: Phases

  private func enter(_ phase: LoadPhase) {
    switch phase {
    case .joining:
      for connection in loop.connections where connection.state == .open {
        connection.queueLine("JOIN \(config.channel)")
        loop.markDirty(connection)
      }
    case .sending:
      sendStartNs = shared.sendStartNs.load(ordering: .acquiring)
      loop.timeoutMs = 1
    case .draining:
      loop.timeoutMs = 5
    case .quitting:
      for connection in loop.connections where connection.state == .open {
        connection.queueLine("QUIT :lyceum-bench done")
        loop.markDirty(connection)
      }
    case .registering:
      break
    }
  }

  private func sendDue(now: UInt64) {
    var total = 0
    for connection in senderConnections {
      defer { total += connection.sent }
      guard connection.state == .open else { continue }
      let sender = connection.index
      let acked = shared.acks[sender].sequence.load(ordering: .relaxed)
      var allowed = config.window - (connection.sent - acked)
      if perSenderRate > 0 {
        let elapsed = Double(now &- sendStartNs) / 1e9
        allowed = min(allowed, Int(elapsed * perSenderRate) + 1 - connection.sent)
      }
      guard allowed > 0 else { continue }
      let stamp = monotonicNanoseconds()
      for _ in 0..<allowed {
        connection.sent += 1
        connection.outbound.append(contentsOf: messagePrefix)
        appendDecimal(UInt64(sender), to: &connection.outbound)
        connection.outbound.append(32)
        appendDecimal(UInt64(connection.sent), to: &connection.outbound)
        connection.outbound.append(32)
        appendDecimal(stamp, to: &connection.outbound)
        connection.outbound.append(contentsOf: messageSuffix)
      }
      loop.markDirty(connection)
    }
    stats.sent.store(total, ordering: .relaxed)
  }

  // MARK: Lines

  private func numeric(_ connection: LoadConnection, _ code: Int, _ line: UnsafeRawBufferPointer) {
    switch code {
    case 1:
      guard !connection.isRegistered else { return }
      connection.isRegistered = true
      connecting -= 1
      let now = monotonicNanoseconds()
      registration.record(Int((now &- connection.startedNs) / 1000))
      lastRegisteredNs = max(lastRegisteredNs, now)
      shared.registered.add(1, ordering: .relaxed)
    case 366:
      guard !connection.hasJoined, phaseSeen.rawValue >= LoadPhase.joining.rawValue else { return }
      connection.hasJoined = true
      shared.joined.add(1, ordering: .relaxed)
    case 432, 433, 436, 464, 465, 403, 405, 471, 473, 474, 475, 477, 489:
      loop.fail(connection, "refused: " + String(decoding: line, as: UTF8.self), handler: self)
    default:
      break
    }
  }

  /// `PRIVMSG <target> :<sender> <sequence> <ns> …`.
  private func privmsg(
    _ connection: LoadConnection, _ line: UnsafeRawBufferPointer, from start: Int
  ) {
    var i = wordEnd(line, start) + 1
    guard i < line.count, line[i] == UInt8(ascii: ":") else {
      malformed += 1
      return
    }
    i += 1
    guard let sender = parseDecimal(line, &i), let sequence = parseDecimal(line, &i),
      let stamp = parseDecimal(line, &i), sender < connection.expected.count
    else {
      malformed += 1
      return
    }
    let now = monotonicNanoseconds()
    latency.record(now > UInt64(stamp) ? Int((now - UInt64(stamp)) / 1000) : 0)
    delivered += 1
    lastDeliveryNs = now
    let expected = Int(connection.expected[sender])
    if sequence == expected {
      connection.expected[sender] = Int32(truncatingIfNeeded: sequence + 1)
    } else if sequence > expected {
      lost += sequence - expected
      connection.expected[sender] = Int32(truncatingIfNeeded: sequence + 1)
    } else {
      reordered += 1
    }
    if connection.index == config.ackReceiver(of: sender) {
      let slot = shared.acks[sender]
      if sequence > slot.sequence.load(ordering: .relaxed) {
        slot.sequence.store(sequence, ordering: .relaxed)
      }
    }
  }
}

// MARK: Byte helpers (no String on the hot path)

/// The index after the word at `start` and the spaces following it.
@inline(__always)
private func skipWord(_ line: UnsafeRawBufferPointer, _ start: Int) -> Int {
  var i = wordEnd(line, start)
  while i < line.count && line[i] == 32 { i += 1 }
  return i
}

/// The index of the first space at or after `start` (or the end).
@inline(__always)
private func wordEnd(_ line: UnsafeRawBufferPointer, _ start: Int) -> Int {
  var i = start
  while i < line.count && line[i] != 32 { i += 1 }
  return i
}

@inline(__always)
private func matches(_ line: UnsafeRawBufferPointer, _ at: Int, _ word: StaticString) -> Bool {
  let count = word.utf8CodeUnitCount
  guard at + count <= line.count else { return false }
  return memcmp(line.baseAddress! + at, word.utf8Start, count) == 0
}

@inline(__always)
private func numericCode(_ line: UnsafeRawBufferPointer, _ at: Int) -> Int? {
  var value = 0
  for k in at..<(at + 3) {
    let digit = Int(line[k]) - 48
    guard digit >= 0 && digit <= 9 else { return nil }
    value = value * 10 + digit
  }
  return value
}

/// A decimal number at `i` followed by a space or the end; `i` moves past the space.
@inline(__always)
private func parseDecimal(_ line: UnsafeRawBufferPointer, _ i: inout Int) -> Int? {
  var value = 0
  let start = i
  while i < line.count {
    let digit = Int(line[i]) &- 48
    guard digit >= 0 && digit <= 9 else { break }
    value = value &* 10 &+ digit
    i += 1
  }
  guard i > start, i == line.count || line[i] == 32 else { return nil }
  i += 1
  return value
}

@inline(__always)
func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
  withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
    var v = value
    var i = 20
    repeat {
      i -= 1
      digits[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
      v /= 10
    } while v > 0
    out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
  }
}
