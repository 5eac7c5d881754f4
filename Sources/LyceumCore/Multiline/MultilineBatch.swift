import LyceumProtocol

/// A `draft/multiline` batch a client has opened with `BATCH +<id> draft/multiline <target>`
/// and not yet closed: the lines collected so far. One per session at most.
struct OpenMultilineBatch {
  /// The client's reference tag.
  let id: String
  /// The target named on `BATCH +`; every line must name it too.
  let target: String
  /// Client-only tags of the `BATCH +` line, which belong to the whole message.
  let clientTags: [IRCTag]
  /// The label of the `BATCH +` line: the batch's answer carries it.
  let label: String?
  /// When it was opened (monotonic), for `MultilineLimits.timeout`.
  let openedAt: Duration
  var lines: [MultilineLine] = []
  /// Bytes counted against `max-bytes` so far.
  var byteCount = 0
  /// Set once the batch was refused (`FAIL BATCH …`): its further lines are dropped without a
  /// word until its `BATCH -`, which then ends it quietly.
  var failed = false
}

/// The bounds of a multiline message, advertised as the capability's value
/// (`draft/multiline=max-bytes=4096,max-lines=100`).
///
/// A batch holds at most `maxBytes` of text and `maxLines` lines, and one session has at most
/// one batch open, so what a client can make the server hold is bounded. Relayed, such a
/// message is at most about `maxLines` × 512 bytes per recipient, well within a send queue.
enum MultilineLimits {
  /// Total bytes of text, each joining line feed counting one.
  static let maxBytes = 4096
  /// Lines in one batch.
  static let maxLines = 100
  /// A batch not closed this long after it was opened is dropped with
  /// `FAIL BATCH MULTILINE_INVALID`.
  static let timeout = Duration.seconds(30)
  /// The capability's value.
  static let capabilityValue = "max-bytes=\(maxBytes),max-lines=\(maxLines)"
}
