/// Helpers shared by the configuration types' `Decodable` conformances: strict keys, and type
/// errors turned into `ConfigurationError`s that name the key and the value.

/// A coding key for any name, used to list the keys a YAML mapping really has.
struct AnyCodingKey: CodingKey {
  var stringValue: String
  var intValue: Int?

  init(stringValue: String) {
    self.stringValue = stringValue
    self.intValue = nil
  }

  init?(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}

/// Writes a coding path the way the file spells it: `limits.nick-length`, `listeners[1].port`.
func configurationKeyPath(_ path: [any CodingKey]) -> String {
  var text = ""
  for key in path {
    if let index = key.intValue {
      text += "[\(index)]"
    } else {
      text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
    }
  }
  return text.isEmpty ? "(top level)" : text
}

extension Decoder {
  /// The mapping at this point, after checking that it holds no key outside `Keys`: a typo in the
  /// file must be an error, not a silently ignored setting.
  func strictContainer<Keys: CodingKey & CaseIterable>(
    keyedBy keys: Keys.Type
  ) throws -> KeyedDecodingContainer<Keys> {
    let present = try container(keyedBy: AnyCodingKey.self)
    let known = Keys.allCases.map(\.stringValue)
    for key in present.allKeys where !known.contains(key.stringValue) {
      throw ConfigurationError.unknownKey(
        key: configurationKeyPath(codingPath + [key]), known: known)
    }
    return try container(keyedBy: keys)
  }
}

extension KeyedDecodingContainer {
  /// The value at `key`, or `nil` when the key is absent or null. A value of the wrong kind
  /// becomes `ConfigurationError.invalidValue` that names the key, the text found and
  /// `expecting`; errors deeper inside the value pass through unchanged.
  func optional<T: Decodable>(_ type: T.Type, _ key: Key, expecting: String) throws -> T? {
    do {
      return try decodeIfPresent(type, forKey: key)
    } catch let error as DecodingError {
      guard let context = error.typeContext,
        context.codingPath.count == codingPath.count + 1
      else { throw error }
      throw ConfigurationError.invalidValue(
        key: configurationKeyPath(codingPath + [key]), value: rawText(key),
        reason: "expected \(expecting)")
    }
  }

  /// A duration at `key`: seconds as a number, or a string such as `500ms`, `10s`, `2m`.
  func duration(_ key: Key) throws -> Duration? {
    guard let text = try optional(String.self, key, expecting: "a duration") else { return nil }
    guard let duration = ConfigurationDuration.parse(text) else {
      throw ConfigurationError.invalidValue(
        key: configurationKeyPath(codingPath + [key]), value: text,
        reason: "expected seconds (e.g. 90 or 0.2) or a duration such as 500ms, 10s, 2m, 1h, 1d")
    }
    return duration
  }

  /// The text of the scalar at `key`, for error messages.
  func rawText(_ key: Key) -> String {
    if let text = try? decodeIfPresent(String.self, forKey: key) { return text }
    if (try? nestedUnkeyedContainer(forKey: key)) != nil { return "(a list)" }
    return "(a mapping)"
  }
}

extension DecodingError {
  /// The context of a type mismatch or corrupted value, the errors a wrong value causes.
  var typeContext: Context? {
    switch self {
    case .typeMismatch(_, let context), .dataCorrupted(let context): return context
    default: return nil
    }
  }
}

extension ConfigurationError {
  /// A decoding error no closer check caught, still naming the key.
  init(_ error: DecodingError) {
    switch error {
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      self = .invalidValue(
        key: configurationKeyPath(context.codingPath), value: "(see reason)",
        reason: context.debugDescription)
    case .keyNotFound(let key, let context):
      self = .invalidValue(
        key: configurationKeyPath(context.codingPath + [key]), value: "",
        reason: "required key is missing")
    @unknown default:
      self = .syntax(String(describing: error))
    }
  }
}
