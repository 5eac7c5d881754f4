import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Latencies in microseconds; percentiles by nearest rank over the sorted samples.
struct LatencySamples {
  private(set) var values: [Double] = []

  init() {}

  init(merging parts: [LatencySamples]) {
    values = parts.flatMap(\.values)
  }

  var count: Int { values.count }

  mutating func append(_ microseconds: Double) {
    values.append(microseconds)
  }

  mutating func append(since start: ContinuousClock.Instant) {
    values.append((ContinuousClock.now - start).microseconds)
  }

  /// The summary: nearest-rank percentiles of the sorted values (zeros when empty).
  func summary() -> LatencySummary {
    let sorted = values.sorted()
    func percentile(_ p: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
      return sorted[min(max(rank, 1), sorted.count) - 1]
    }
    let mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
    return LatencySummary(
      count: sorted.count, mean: mean, p50: percentile(50), p99: percentile(99),
      max: sorted.last ?? 0)
  }
}

struct LatencySummary {
  var count: Int
  var mean: Double
  var p50: Double
  var p99: Double
  var max: Double
}

extension Duration {
  var seconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }

  var microseconds: Double {
    Double(components.seconds) * 1e6 + Double(components.attoseconds) / 1e12
  }
}

/// CPU time of a process (user and system), from `getrusage` for this process or from
/// `/proc/<pid>/stat` for another one (Linux only).
struct CPUTime {
  var user: Double
  var system: Double

  var total: Double { user + system }

  /// The sum over `pids` (the nodes of a network); nil when there are none or one is gone.
  static func ofProcesses(_ pids: [Int32]) -> CPUTime? {
    guard !pids.isEmpty else { return nil }
    var sum = CPUTime(user: 0, system: 0)
    for pid in pids {
      guard let time = ofProcess(pid) else { return nil }
      sum.user += time.user
      sum.system += time.system
    }
    return sum
  }

  /// This process, all threads.
  static func ofThisProcess() -> CPUTime {
    let usage = selfUsage()
    func seconds(_ time: timeval) -> Double {
      Double(time.tv_sec) + Double(time.tv_usec) / 1e6
    }
    return CPUTime(user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
  }

  /// The peak resident set size of this process, in MiB.
  static func peakResidentMiB() -> Double {
    let usage = selfUsage()
    #if canImport(Darwin)
      return Double(usage.ru_maxrss) / 1_048_576  // bytes
    #else
      return Double(usage.ru_maxrss) / 1024  // KiB
    #endif
  }

  /// Another process by pid, from `/proc/<pid>/stat` (fields 14 and 15, in clock ticks); nil
  /// where there is no `/proc` or no such process.
  static func ofProcess(_ pid: Int32) -> CPUTime? {
    ofStatFile("/proc/\(pid)/stat")
  }

  /// A `stat` file of `/proc` (a process's or a thread's).
  static func ofStatFile(_ path: String) -> CPUTime? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var buffer = [CChar](repeating: 0, count: 4096)
    guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
    let line = String(
      decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    guard let close = line.lastIndex(of: ")") else { return nil }
    let fields = line[line.index(after: close)...].split(separator: " ")
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12])
    else { return nil }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    return CPUTime(user: user / ticks, system: system / ticks)
  }

  private static func selfUsage() -> rusage {
    var usage = rusage()
    #if canImport(Glibc)
      _ = getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
      _ = getrusage(RUSAGE_SELF, &usage)
    #endif
    return usage
  }

  static func - (a: CPUTime, b: CPUTime) -> CPUTime {
    CPUTime(user: a.user - b.user, system: a.system - b.system)
  }
}

/// A shared counter for callbacks on other threads.
final class Counter: Sendable {
  private let storage = Atomic<Int>(0)

  func increment() {
    storage.add(1, ordering: .relaxed)
  }

  var value: Int { storage.load(ordering: .relaxed) }
}
