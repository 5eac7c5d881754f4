import Foundation

/// Resident memory of a process from `/proc/<pid>/status` (Linux), in KiB.
struct ProcessMemory {
  var residentKiB: Int
  var peakResidentKiB: Int

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
