/// A statement parameter, sent to PostgreSQL in text form with its type, so that no value is
/// ever spliced into SQL text.
public enum PostgresValue: Sendable, Equatable {
  case text(String)
  case int(Int64)
  case bool(Bool)
  case bytes([UInt8])
  /// A `text[]`, for `= ANY($n)`.
  case textArray([String])
  /// An array literal of any element type, with NULL elements, sent untyped: the statement
  /// casts it (`$1::bigint[]`, `$2::tsvector[]`), for `unnest` of many rows in one statement.
  case array([String?])

  /// The type's OID (`pg_type`), so the server need not guess the parameter's type.
  var typeOID: UInt32 {
    switch self {
    case .bool: 16
    case .bytes: 17
    case .int: 20
    case .text: 25
    case .textArray: 1009
    case .array: 0
    }
  }

  /// The value in PostgreSQL's text input form (`bytea` as `\x` and hex digits).
  var textForm: String {
    switch self {
    case .text(let text): return text
    case .int(let value): return String(value)
    case .bool(let value): return value ? "t" : "f"
    case .bytes(let bytes):
      let digits = Array("0123456789abcdef".utf8)
      var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
      out.reserveCapacity(2 + bytes.count * 2)
      for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 15)])
      }
      return String(decoding: out, as: UTF8.self)
    case .textArray(let items):
      return Self.arrayLiteral(items)
    case .array(let items):
      return Self.arrayLiteral(items)
    }
  }
}

extension PostgresValue {
  /// `{"a","b",NULL}`: every element quoted, with `"` and `\` escaped, so any text is one
  /// element; nil is NULL.
  static func arrayLiteral(_ items: [String?]) -> String {
    var out = "{"
    for (index, item) in items.enumerated() {
      if index > 0 { out += "," }
      guard let item else {
        out += "NULL"
        continue
      }
      out += "\""
      for character in item.unicodeScalars {
        if character == "\"" || character == "\\" { out.unicodeScalars.append("\\") }
        out.unicodeScalars.append(character)
      }
      out += "\""
    }
    return out + "}"
  }
}

/// A Swift value that can be a statement parameter.
public protocol PostgresBindable {
  var postgresValue: PostgresValue { get }
}

extension String: PostgresBindable {
  public var postgresValue: PostgresValue { .text(self) }
}

extension Int64: PostgresBindable {
  public var postgresValue: PostgresValue { .int(self) }
}

extension Int: PostgresBindable {
  public var postgresValue: PostgresValue { .int(Int64(self)) }
}

extension Bool: PostgresBindable {
  public var postgresValue: PostgresValue { .bool(self) }
}

extension Array: PostgresBindable where Element == UInt8 {
  public var postgresValue: PostgresValue { .bytes(self) }
}

extension PostgresValue: PostgresBindable {
  public var postgresValue: PostgresValue { self }
}
