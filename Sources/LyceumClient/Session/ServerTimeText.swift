import LyceumCore

/// Milliseconds since the epoch from an IRCv3 `server-time` value; nil if it is not one.
public func parseServerTime(_ text: String) -> Int64? { ServerTime.parse(text) }

/// The IRCv3 `server-time` text (`YYYY-MM-DDThh:mm:ss.sssZ`) of a time in milliseconds.
public func formatServerTime(_ milliseconds: Int64) -> String {
  ServerTime.format(milliseconds: milliseconds)
}
