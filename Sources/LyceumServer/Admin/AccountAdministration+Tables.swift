import Foundation
import LyceumCore

/// The tables `account list` and `token list` print. They show names, roles and times only:
/// never a password hash, SCRAM key, e-mail address or token digest.
extension AccountAdministration {
  /// One line per account: name, role, institution, creation time (UTC), with a header.
  public static func accountTable(_ accounts: [AccountRecord]) -> [String] {
    table(
      header: ["NAME", "ROLE", "INSTITUTION", "CREATED"],
      rows: accounts.map {
        [$0.name, $0.role.rawValue, $0.institution ?? "-", timestamp($0.createdAtMilliseconds)]
      })
  }

  /// One line per token: name, creation time, last use (UTC), with a header.
  public static func tokenTable(_ tokens: [APITokenRecord]) -> [String] {
    table(
      header: ["NAME", "CREATED", "LAST USED"],
      rows: tokens.map {
        [
          $0.name, timestamp($0.createdAtMilliseconds),
          $0.lastUsedMilliseconds.map(timestamp) ?? "never",
        ]
      })
  }

  /// `2024-05-01T12:00:00Z`.
  static func timestamp(_ milliseconds: Int64) -> String {
    Date(timeIntervalSince1970: Double(milliseconds) / 1000).ISO8601Format()
  }

  /// Columns padded to their widest cell (in characters), two spaces apart, no trailing blanks.
  static func table(header: [String], rows: [[String]]) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
      row.indices.map { column in
        column == row.count - 1
          ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
  }
}
