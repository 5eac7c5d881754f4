import Foundation
import Yams

/// Loading a configuration from YAML text or a file, with optional command-line overrides.
///
/// Relative paths in the file (data directory, certificates, motd-file) are relative to the
/// server's working directory, like relative paths given as flags.
extension ServerConfiguration {
  /// Parses and validates YAML text. An empty document (or only comments) gives the defaults.
  public static func load(fromYAML text: String) throws -> ServerConfiguration {
    let configuration = try decode(fromYAML: text)
    try configuration.validate()
    return configuration
  }

  /// Reads, parses and validates a YAML file.
  public static func load(fromYAMLFile path: String) throws -> ServerConfiguration {
    try load(fromYAML: readFile(path))
  }

  /// What `lyceumd` loads at start and on every reload: the file if one is given (else the
  /// defaults), then the command-line overrides, then validation of the result.
  public static func load(
    fromYAMLFile path: String?, applying overrides: ConfigurationOverrides
  ) throws -> ServerConfiguration {
    var configuration = try path.map { try decode(fromYAML: readFile($0)) } ?? ServerConfiguration()
    overrides.apply(to: &configuration)
    try configuration.validate()
    return configuration
  }

  /// Parses without validating, so that overrides can still fix a value before validation.
  static func decode(fromYAML text: String) throws -> ServerConfiguration {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      throw ConfigurationError.syntax(String(describing: error))
    }
    guard let root, root != Node("", Tag(.null)) else { return ServerConfiguration() }
    guard root.mapping != nil else {
      throw ConfigurationError.syntax("the top level must be a mapping of keys to values")
    }
    do {
      return try YAMLDecoder().decode(ServerConfiguration.self, from: root)
    } catch let error as DecodingError {
      throw ConfigurationError(error)
    }
  }

  private static func readFile(_ path: String) throws -> String {
    do {
      return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      let reason = FileManager.default.fileExists(atPath: path) ? "\(error)" : "no such file"
      throw ConfigurationError.unreadableFile(path: path, reason: reason)
    }
  }
}
