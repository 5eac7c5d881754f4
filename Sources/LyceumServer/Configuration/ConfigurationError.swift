/// Why a configuration could not be loaded, worded for the person who wrote the file.
///
/// Keys are written as paths in the file's own spelling, such as `limits.nick-length` or
/// `listeners[1].port`, so the message points at the line to fix.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
  /// The file could not be read.
  case unreadableFile(path: String, reason: String)
  /// The text is not valid YAML.
  case syntax(String)
  /// A key the server does not know (often a typo); `known` lists the keys allowed there.
  case unknownKey(key: String, known: [String])
  /// A value of the wrong type or out of range.
  case invalidValue(key: String, value: String, reason: String)
  /// Settings that are fine alone but not together.
  case conflict(String)

  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason):
      return "cannot read configuration file \(path): \(reason)"
    case .syntax(let message):
      return "configuration is not valid YAML: \(message)"
    case .unknownKey(let key, let known):
      return "unknown configuration key '\(key)' (known here: \(known.joined(separator: ", ")))"
    case .invalidValue(let key, let value, let reason):
      return "invalid value '\(value)' for '\(key)': \(reason)"
    case .conflict(let message):
      return "invalid configuration: \(message)"
    }
  }
}
