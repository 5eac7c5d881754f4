/// The rows of one statement's result, copied out of libpq's `PGresult` (which is cleared at
/// once), with every value in PostgreSQL's text output form or nil for NULL.
public struct PostgresRows: Sendable {
  /// The rows, each with one value per column.
  public var rows: [PostgresRow]
  /// How many rows an `INSERT`, `UPDATE` or `DELETE` touched (`PQcmdTuples`); 0 otherwise.
  public var affected: Int

  public var first: PostgresRow? { rows.first }
  public var isEmpty: Bool { rows.isEmpty }
}

/// One result row; the accessors throw `PostgresError.Kind.decoding` for a NULL where a value
/// is required or for text that is not of the expected type.
public struct PostgresRow: Sendable {
  public var values: [String?]

  public func optionalText(_ column: Int) -> String? { values[column] }

  public func text(_ column: Int) throws -> String {
    guard let value = values[column] else { throw Self.null(column) }
    return value
  }

  public func optionalInt(_ column: Int) throws -> Int64? {
    guard let value = values[column] else { return nil }
    guard let number = Int64(value) else {
      throw PostgresError(.decoding, "column \(column): '\(value)' is not an integer")
    }
    return number
  }

  public func int(_ column: Int) throws -> Int64 {
    guard let value = try optionalInt(column) else { throw Self.null(column) }
    return value
  }

  public func bool(_ column: Int) throws -> Bool {
    switch values[column] {
    case "t": return true
    case "f": return false
    case let other:
      throw PostgresError(.decoding, "column \(column): '\(other ?? "NULL")' is not a boolean")
    }
  }

  /// A `bytea` value (text output form `\x` followed by hex digits).
  public func optionalBytes(_ column: Int) throws -> [UInt8]? {
    guard let value = values[column] else { return nil }
    let hex = Array(value.utf8)
    guard hex.count >= 2, hex[0] == UInt8(ascii: "\\"), hex[1] == UInt8(ascii: "x"),
      hex.count % 2 == 0
    else { throw PostgresError(.decoding, "column \(column) is not bytea in hex form") }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(hex.count / 2 - 1)
    var index = 2
    while index < hex.count {
      guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else {
        throw PostgresError(.decoding, "column \(column) is not bytea in hex form")
      }
      bytes.append(high << 4 | low)
      index += 2
    }
    return bytes
  }

  private static func nibble(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  private static func null(_ column: Int) -> PostgresError {
    PostgresError(.decoding, "column \(column) is NULL")
  }
}
