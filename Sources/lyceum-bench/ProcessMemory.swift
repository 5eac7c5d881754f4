import Foundation

/// Resident memory of a process from `/proc/<pid>/status` (Linux), in KiB.
struct ProcessMemory {
  var residentKiB: Int
  var peakResidentKiB: Int

  /// The sum over `pids` (the nodes of a network); nil when there are none or one is gone.
  static func ofProcesses(_ pids: [Int32]) -> ProcessMemory? {
    guard !pids.isEmpty else { return nil }
    var sum = ProcessMemory(residentKiB: 0, peakResidentKiB: 0)
    for pid in pids {
      guard let memory = of(pid) else { return nil }
      sum.residentKiB += memory.residentKiB
      sum.peakResidentKiB += memory.peakResidentKiB
    }
    return sum
  }

  static func of(_ pid: Int32) -> ProcessMemory? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
      return nil
    }
    guard let rss = statusField("VmRSS", in: text), let hwm = statusField("VmHWM", in: text)
    else { return nil }
    return ProcessMemory(residentKiB: rss, peakResidentKiB: hwm)
  }
}

/// CPU seconds (user + system) of each thread of this process by thread id, from
/// `/proc/self/task/<tid>/stat` (Linux; empty elsewhere): shows whether one load-generator
/// thread is saturated.
func threadCPUTimes() -> [Int: Double] {
  guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else {
    return [:]
  }
  var times: [Int: Double] = [:]
  for task in tasks {
    guard let tid = Int(task), let time = CPUTime.ofStatFile("/proc/self/task/\(task)/stat") else {
      continue
    }
    times[tid] = time.total
  }
  return times
}

/// The largest CPU time any thread used between two `threadCPUTimes()` readings.
func busiestThread(before: [Int: Double], after: [Int: Double]) -> Double {
  after.map { tid, total in total - (before[tid] ?? 0) }.max() ?? 0
}

/// Samples the anonymous and file-backed resident memory of server processes every 10 ms on a
/// thread of its own, and keeps the largest sums seen.
///
/// Why beside `VmHWM`: a server's peak resident set counts the pages of its program and
/// libraries mapped from files (clean, shared with other processes, dropped by the kernel
/// under pressure) together with the memory it allocates. For a Swift server the first is
/// most of the floor (the Swift runtime, Foundation, OpenSSL: about 35 MiB here), for a C
/// server a few MiB, so the peak alone hides how much each one's own data took.
final class MemorySampler: @unchecked Sendable {
  private let pids: [Int32]
  private let lock = NSLock()
  /// Guarded by `lock`.
  private var peakAnonymousKiB = 0
  private var peakFileKiB = 0
  private var running = true
  private let done = DispatchSemaphore(value: 0)

  /// Starts sampling `pids` (nothing is sampled when there are none).
  init(pids: [Int32]) {
    self.pids = pids
    guard !pids.isEmpty else {
      running = false
      done.signal()
      return
    }
    let thread = Thread { [self] in
      while lock.withLock({ running }) {
        sample()
        usleep(10_000)
      }
      sample()
      done.signal()
    }
    thread.start()
  }

  /// Stops sampling; the peaks of anonymous and file-backed resident memory (KiB), or nil when
  /// nothing was sampled.
  func stop() -> (anonymousKiB: Int, fileKiB: Int)? {
    lock.withLock { running = false }
    done.wait()
    return lock.withLock { peakAnonymousKiB == 0 ? nil : (peakAnonymousKiB, peakFileKiB) }
  }

  private func sample() {
    var anonymous = 0
    var file = 0
    for pid in pids {
      guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
        return
      }
      anonymous += statusField("RssAnon", in: text) ?? 0
      file += statusField("RssFile", in: text) ?? 0
    }
    lock.withLock {
      peakAnonymousKiB = max(peakAnonymousKiB, anonymous)
      peakFileKiB = max(peakFileKiB, file)
    }
  }
}

/// A `/proc/<pid>/status` field's first number (`VmHWM:   1234 kB` gives 1234).
private func statusField(_ name: String, in text: String) -> Int? {
  for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
    let words = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
    return words.first.flatMap { Int($0) }
  }
  return nil
}
