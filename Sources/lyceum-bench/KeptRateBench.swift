import ArgumentParser
import Dispatch
import Foundation
import LyceumCore
import LyceumStore
import Synchronization

/// `lyceum-bench kept-rate`: the sustained rate of kept messages when every submitter waits for
/// its message to be committed before sending the next, as clients wait for their echo.
struct KeptRateBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kept-rate",
    abstract: "Sustained rate of kept messages through GroupCommitWriter with waiting submitters.",
    discussion: """
      --writers threads each submit one PRIVMSG entry to #kept, wait for its completion (the \
      moment the server would echo it) and submit the next, for --seconds. Reports entries/s, \
      the mean group (entries per transaction) and the acknowledgement latency. With \
      --durable-against-power-loss every group waits for fsync (synchronous=FULL). Release \
      builds only.
      """)

  @Option(help: "Concurrent submitters.")
  var writers = 64

  @Option(help: "Duration of the measurement.")
  var seconds = 10.0

  @Flag(help: "synchronous=FULL: each group commit waits for the disk.")
  var durableAgainstPowerLoss = false

  @OptionGroup var dataDirectory: DataDirectoryOptions

  @Option(help: "Seed of the random message texts.")
  var seed: UInt64 = 1

  func validate() throws {
    guard writers > 0, seconds > 0 else {
      throw ValidationError("--writers and --seconds must be positive")
    }
  }

  func run() throws {
    warnIfDebugBuild()
    let directory = try dataDirectory.directory(for: "kept")
    defer { directory.cleanUp(keep: dataDirectory.keep) }
    let database = try LyceumDatabase.inDataDirectory(
      directory.path, durableAgainstPowerLoss: durableAgainstPowerLoss)
    let store = CountingHistoryStore(SQLiteHistoryStore(database: database))
    let writer = GroupCommitWriter(store: store) { error in
      printError("lyceum-bench: commit failed: \(error)")
    }
    let run = KeptRun(writers: writers, duration: .seconds(seconds), seed: seed)
    let cpuStart = CPUTime.ofThisProcess()
    let outcome = run.measure(writer: writer)
    let cpu = CPUTime.ofThisProcess() - cpuStart
    let counts = store.counts
    let rate = Double(outcome.samples.count) / outcome.elapsed.seconds
    let meanGroup = Double(counts.entries) / Double(max(1, counts.groups))
    let latency = outcome.samples.summary()

    let mode = durableAgainstPowerLoss ? "FULL (durable against power loss)" : "NORMAL"
    print(
      "kept-rate: \(writers) writers, \(fixed(seconds)) s, synchronous=\(mode), \(directory.path)")
    var table = Table(
      "writers", "entries", "entries/s", "groups", "mean group", "max group", "ack p50 µs",
      "ack p99 µs", "ack max µs", "CPU s")
    table.add(
      [
        String(writers), grouped(outcome.samples.count), grouped(Int(rate)), grouped(counts.groups),
        fixed(meanGroup), String(counts.largestGroup),
      ] + latencyCells(latency) + [fixed(cpu.total, 2)])
    print(table.render())

    var result = ResultLine("kept-rate")
    result.add("writers", writers)
    result.add("durable", durableAgainstPowerLoss ? "full" : "normal")
    result.add("seconds", outcome.elapsed.seconds, decimals: 2)
    result.add("entries", outcome.samples.count)
    result.add("entries_per_s", Int(rate))
    result.add("groups", counts.groups)
    result.add("mean_group", meanGroup, decimals: 2)
    result.add("ack", latency)
    result.add("cpu_s", cpu.total, decimals: 2)
    if isDebugBuild { result.add("build", "debug") }
    print(result.text)
  }
}

/// One measurement of `kept-rate`: the threads, the start gate and the merged latencies.
struct KeptRun: Sendable {
  var writers: Int
  var duration: Duration
  var seed: UInt64

  struct Outcome {
    var samples: LatencySamples
    var elapsed: Duration
  }

  func measure(writer: GroupCommitWriter) -> Outcome {
    let ids = Mutex(MessageIDGenerator())
    let results = Mutex<[LatencySamples]>([])
    let deadline = Mutex(ContinuousClock.now)
    let gate = DispatchSemaphore(value: 0)
    let finished = DispatchGroup()
    for index in 0..<writers {
      finished.enter()
      let seed = seed &+ UInt64(index)
      Thread {
        gate.wait()
        let end = deadline.withLock { $0 }
        var factory = EntryFactory(seed: seed)
        var samples = LatencySamples()
        let acknowledged = DispatchSemaphore(value: 0)
        while ContinuousClock.now < end {
          let time = Int64(Date().timeIntervalSince1970 * 1000)
          var entry = factory.message(to: .channel("#kept"), at: time)
          entry.msgid = ids.withLock { $0.next(wallClockMilliseconds: time) }
          let start = ContinuousClock.now
          writer.submit([entry]) { acknowledged.signal() }
          acknowledged.wait()
          samples.append(since: start)
        }
        results.withLock { $0.append(samples) }
        finished.leave()
      }.start()
    }
    let start = ContinuousClock.now
    deadline.withLock { $0 = start + duration }
    for _ in 0..<writers { gate.signal() }
    finished.wait()
    let elapsed = ContinuousClock.now - start
    return Outcome(samples: LatencySamples(merging: results.withLock { $0 }), elapsed: elapsed)
  }
}
