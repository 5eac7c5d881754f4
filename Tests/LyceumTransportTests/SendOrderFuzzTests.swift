import Dispatch
import Foundation
import LyceumClient
import LyceumTransport
import Synchronization
import Testing

/// The transport's two send paths — `send` on one connection and `Connection.send` of a batch
/// to many — keep one caller's order for every connection, whatever their interleaving, sizes
/// (small lines and writes that fill the socket), and loops. Random sequences, seeded; a
/// failure prints the seed (`LYCEUM_SEND_ORDER_SEED` replays it).
@Suite struct SendOrderFuzzTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test func randomInterleavingsOfSendsAndBatchesKeepCallOrder() async throws {
    let seed =
      ProcessInfo.processInfo.environment["LYCEUM_SEND_ORDER_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 1...UInt64(UInt32.max))
    var random = SeededGenerator(seed: seed)
    let loops = IOLoopGroup(count: 2)
    let server = try EchoServer(
      host: "127.0.0.1", tls: try Certificates.shared.serverContext(), loops: loops)
    let count = 4
    var clients: [BlockingLineClient] = []
    var connections: [Connection] = []
    for index in 0..<count {
      let client = try BlockingLineClient(
        host: "127.0.0.1", port: server.port, tls: true, verification: .none,
        timeout: .seconds(30))
      try client.send("hello")
      #expect(try client.readLine() == "hello")
      let handler = try #require(await server.handler(index))
      connections.append(try #require(await handler.connection.wait()))
      clients.append(client)
    }
    // Each client reads on its own thread while the sends go on, so no send queue overflows.
    let steps = 1_500
    var expected = [Int](repeating: 0, count: count)
    var plan: [[(Int, [UInt8])]] = []
    for _ in 0..<steps {
      let batch = Int.random(in: 0..<3, using: &random) == 0
      var targets = batch ? (0..<count).filter { _ in Bool.random(using: &random) } : []
      if targets.isEmpty { targets = [Int.random(in: 0..<count, using: &random)] }
      let size = Int.random(in: 0..<10, using: &random) == 0 ? 12_000 : 20
      var writes: [(Int, [UInt8])] = []
      for target in targets {
        let line = "\(expected[target]) " + String(repeating: "x", count: size) + "\r\n"
        expected[target] += 1
        writes.append((target, Array(line.utf8)))
      }
      plan.append(batch ? writes : [writes[0]])
    }
    let totals = expected
    let problems = Mutex<[String]>([])
    let done = DispatchGroup()
    for (index, client) in clients.enumerated() {
      let reader = ClientBox(client: client)
      done.enter()
      DispatchQueue.global().async {
        defer { done.leave() }
        do {
          for number in 0..<totals[index] {
            guard let line = try reader.client.readLine(timeout: .seconds(30)) else {
              problems.withLock { $0.append("client \(index): the stream ended at \(number)") }
              return
            }
            let got = Int(line.prefix { $0 != " " })
            if got != number {
              problems.withLock {
                $0.append("client \(index): expected \(number), got \(got ?? -1)")
              }
              return
            }
          }
        } catch {
          problems.withLock { $0.append("client \(index): \(error)") }
        }
      }
    }
    for step in plan {
      if step.count == 1, Bool.random(using: &random) {
        connections[step[0].0].send(step[0].1)
      } else {
        Connection.send(step.map { (connections[$0.0], $0.1) })
      }
    }
    #expect(done.wait(timeout: .now() + 120) == .success)
    #expect(
      problems.withLock { $0 }.isEmpty,
      "seed \(seed) (rerun with LYCEUM_SEND_ORDER_SEED=\(seed)): \(problems.withLock { $0 })")
  }
}

/// Hands a client to the one thread that reads it (a `BlockingLineClient` has one owner at a
/// time; the test thread does not touch it while the reader runs).
private struct ClientBox: @unchecked Sendable {
  let client: BlockingLineClient
}

/// A seeded generator (xorshift64*), so that a failing sequence can be replayed.
private struct SeededGenerator: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

  mutating func next() -> UInt64 {
    state ^= state >> 12
    state ^= state << 25
    state ^= state >> 27
    return state &* 0x2545_F491_4F6C_DD1D
  }
}
