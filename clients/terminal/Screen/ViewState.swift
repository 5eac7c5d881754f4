import LyceumClient
import LyceumTerminalView

/// What the screen remembers that the session does not: the input line, how far each buffer
/// is scrolled up, and a question waiting for y/n (a long paste).
public struct ViewState: Sendable {
  public var editor = LineEditor()
  /// Where each scrolled-up buffer stands; a buffer without an anchor follows its newest line.
  public var anchors: [BufferKey: ScrollAnchor] = [:]
  /// A question shown on the input line instead of the text (answered with y or n).
  public var question: String?
  /// The UTC offset of the local time zone, in seconds, for timestamps and day separators.
  public var utcOffset = 0
  /// The connection state, shown in the status line ("connecting", "reconnecting in 4 s").
  public var connectionNote = ""

  public init() {}
}

/// Room for the buffer list: shown when the terminal is wide enough.
enum LayoutMetrics {
  static let bufferListWidth = 18
  static let minimumWidthForList = 60
  static let nickColumn = 12
  static let timeColumn = 6
}
