import LyceumClient

/// Where a scrolled-up buffer stands: the line at the bottom of the pane (found again by its
/// time and msgid, so history pages arriving above it do not move the view) and how many rows
/// of it are hidden below the bottom edge. A buffer without one follows its newest line.
public struct ScrollAnchor: Equatable, Sendable {
  public var time: Int64
  public var msgid: String?
  public var text: String
  public var hiddenRows: Int

  init(_ line: BufferLine, hiddenRows: Int) {
    time = line.time
    msgid = line.msgid
    text = line.text
    self.hiddenRows = hiddenRows
  }

  /// The line's index in `lines` (sorted by time): an exact match when it is still there, else
  /// the last line not newer than it. O(log n) plus the lines of the same millisecond.
  func index(in lines: [BufferLine]) -> Int? {
    guard !lines.isEmpty else { return nil }
    var low = 0
    var high = lines.count
    while low < high {
      let middle = (low + high) / 2
      if lines[middle].time < time { low = middle + 1 } else { high = middle }
    }
    var index = low
    while index < lines.count, lines[index].time == time {
      let line = lines[index]
      if let msgid, line.msgid == msgid { return index }
      if msgid == nil, line.msgid == nil, line.text == text { return index }
      index += 1
    }
    return max(0, low - 1)
  }
}
