/// What `LineFramer.next()` reports.
public enum LineFramerEvent: Equatable, Sendable {
  /// One line, without its CR/LF. Empty lines are skipped and never reported.
  case line([UInt8])
  /// A line over the limits (tag section over 8191 bytes or body over 510 bytes) was dropped
  /// whole; reported once per line. The caller answers with an error and reads on.
  case lineTooLong
  /// A single line ran past `readQueueLimit` bytes without a line feed. The framer stops
  /// reading; the caller disconnects the client.
  case readQueueExceeded
}
