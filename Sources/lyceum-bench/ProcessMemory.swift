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
    func field(_ name: String) -> Int? {
      for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
        let words = line.dropFirst(name.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }
        )
        return words.first.flatMap { Int($0) }
      }
      return nil
    }
    guard let rss = field("VmRSS"), let hwm = field("VmHWM") else { return nil }
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
