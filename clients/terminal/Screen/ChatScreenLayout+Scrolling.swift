import LyceumClient
import LyceumTerminalView

/// Scrolling by rows from an anchor line: a page up or down walks only the rows it moves over,
/// so paging through 10 000 lines costs the same per key at the top as at the bottom.
extension ChatScreenLayout {
  /// The message pane's width on a terminal `width` columns wide.
  static func paneWidth(forScreenWidth width: Int) -> Int {
    width >= LayoutMetrics.minimumWidthForList ? width - LayoutMetrics.bufferListWidth : width
  }

  /// The rows line `index` takes: its wrapped text, with a day separator above it when it
  /// starts a day.
  func block(
    at index: Int, previous: Int?, in buffer: ChatBuffer, session: IRCSession, view: ViewState,
    width: Int
  ) -> [StyledText] {
    let lines = buffer.lines
    let line = lines[index]
    let before = previous.map { lines[$0] }
    var rows = render(
      line, previous: before, buffer: buffer, session: session, view: view, width: width)
    if before.map({
      TimestampFormat.dayNumber(ms: $0.time, offset: view.utcOffset)
        != TimestampFormat.dayNumber(ms: line.time, offset: view.utcOffset)
    }) ?? true {
      rows.insert(daySeparator(line.time, view: view, width: width), at: 0)
    }
    return rows
  }

  /// The shown line before `index` (folded replies skipped), nil at the start.
  static func previousShown(_ index: Int, in buffer: ChatBuffer) -> Int? {
    var candidate = index - 1
    while candidate >= 0 && !isShown(buffer.lines[candidate], in: buffer) { candidate -= 1 }
    return candidate >= 0 ? candidate : nil
  }

  /// The shown line after `index`, nil past the newest.
  static func nextShown(_ index: Int, in buffer: ChatBuffer) -> Int? {
    var candidate = index + 1
    while candidate < buffer.lines.count && !isShown(buffer.lines[candidate], in: buffer) {
      candidate += 1
    }
    return candidate < buffer.lines.count ? candidate : nil
  }

  /// The newest shown line, nil for an empty buffer.
  static func lastShown(in buffer: ChatBuffer) -> Int? {
    var index = buffer.lines.count - 1
    while index >= 0 && !isShown(buffer.lines[index], in: buffer) { index -= 1 }
    return index >= 0 ? index : nil
  }

  /// The anchor after moving the pane's bottom edge `rows` up (positive) or down (negative)
  /// from `anchor` (nil: the newest line); nil when that is the bottom again. `atTop` tells
  /// that the move stopped at the oldest line held.
  static func moved(
    _ anchor: ScrollAnchor?, by rows: Int, session: IRCSession, view: ViewState, width: Int,
    paneHeight: Int
  ) -> (anchor: ScrollAnchor?, atTop: Bool) {
    let buffer = session.buffers.active
    guard let last = lastShown(in: buffer) else { return (nil, true) }
    var index = anchor?.index(in: buffer.lines) ?? last
    if !isShown(buffer.lines[index], in: buffer) {
      index = previousShown(index, in: buffer) ?? last
    }
    var hidden = anchor?.hiddenRows ?? 0
    let layout = ChatScreenLayout()
    func height(_ index: Int) -> Int {
      layout.block(
        at: index, previous: previousShown(index, in: buffer), in: buffer, session: session,
        view: view, width: width
      ).count
    }
    if rows > 0 {
      // Up: the bottom edge climbs through the blocks above; it may not climb past the point
      // where the oldest line sits at the top of the pane.
      var remaining = rows + hidden
      while true {
        let blockHeight = height(index)
        if remaining < blockHeight {
          hidden = remaining
          break
        }
        guard let previous = previousShown(index, in: buffer) else {
          hidden = max(0, blockHeight - 1)
          break
        }
        remaining -= blockHeight
        index = previous
      }
      // Keep a full pane above the bottom edge when the start is near.
      var above = height(index) - hidden
      var probe = index
      while above < paneHeight, let previous = previousShown(probe, in: buffer) {
        above += height(previous)
        probe = previous
      }
      if above < paneHeight {
        // The oldest line is on screen: pin the top, put the bottom edge a pane below it.
        return (topAnchor(buffer, paneHeight: paneHeight, height: height), true)
      }
      return (ScrollAnchor(buffer.lines[index], hiddenRows: hidden), false)
    }
    // Down.
    var remaining = -rows
    while true {
      if remaining <= hidden {
        hidden -= remaining
        break
      }
      remaining -= hidden
      guard let next = nextShown(index, in: buffer) else { return (nil, false) }
      index = next
      hidden = height(index)
    }
    if index == last && hidden == 0 { return (nil, false) }
    return (ScrollAnchor(buffer.lines[index], hiddenRows: hidden), false)
  }

  /// The anchor that shows the oldest lines held at the top of a full pane.
  static func topAnchor(_ buffer: ChatBuffer, paneHeight: Int, height: (Int) -> Int)
    -> ScrollAnchor?
  {
    guard var index = nextShown(-1, in: buffer) else { return nil }
    var filled = 0
    while true {
      let blockHeight = height(index)
      if filled + blockHeight >= paneHeight {
        return ScrollAnchor(buffer.lines[index], hiddenRows: filled + blockHeight - paneHeight)
      }
      filled += blockHeight
      guard let next = nextShown(index, in: buffer) else { return nil }
      index = next
    }
  }
}
