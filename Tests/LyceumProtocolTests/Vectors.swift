import Foundation
import Yams

/// Loads the ircdocs parser-test vectors from `protocol/vectors` (see its README.md).
enum Vectors {
  /// `<package root>/protocol/vectors`, found from this file's path.
  static let directory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // LyceumProtocolTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .appendingPathComponent("protocol/vectors")

  static func load<T: Decodable>(_ name: String, as: T.Type) throws -> T {
    let url = directory.appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    return try YAMLDecoder().decode(T.self, from: text)
  }

  struct File<Case: Decodable & Sendable>: Decodable, Sendable {
    var tests: [Case]
  }

  /// The `atoms` of msg-split and msg-join: a missing key is nil, tag value "" means no value.
  struct MessageAtoms: Decodable, Sendable, Equatable {
    var tags: [String: String]?
    var source: String?
    var verb: String
    var params: [String]?
  }

  struct SplitCase: Decodable, Sendable, CustomStringConvertible {
    var input: String
    var atoms: MessageAtoms
    var description: String { input.debugDescription }
  }

  struct JoinCase: Decodable, Sendable, CustomStringConvertible {
    var desc: String
    var atoms: MessageAtoms
    var matches: [String]
    var description: String { desc }
  }

  struct UserHostCase: Decodable, Sendable, CustomStringConvertible {
    struct Atoms: Decodable, Sendable {
      var nick: String?
      var user: String?
      var host: String?
    }
    var source: String
    var atoms: Atoms
    var description: String { source.debugDescription }
  }

  struct HostnameCase: Decodable, Sendable, CustomStringConvertible {
    var host: String
    var valid: Bool
    var description: String { host.debugDescription }
  }

  struct MaskCase: Decodable, Sendable, CustomStringConvertible {
    var mask: String
    var matches: [String]
    var fails: [String]
    var description: String { mask.debugDescription }
  }

  static func msgSplit() throws -> [SplitCase] {
    try load("msg-split.yaml", as: File<SplitCase>.self).tests
  }
  static func msgJoin() throws -> [JoinCase] {
    try load("msg-join.yaml", as: File<JoinCase>.self).tests
  }
  static func userHostSplit() throws -> [UserHostCase] {
    try load("userhost-split.yaml", as: File<UserHostCase>.self).tests
  }
  static func validateHostname() throws -> [HostnameCase] {
    try load("validate-hostname.yaml", as: File<HostnameCase>.self).tests
  }
  static func maskMatch() throws -> [MaskCase] {
    try load("mask-match.yaml", as: File<MaskCase>.self).tests
  }
}
