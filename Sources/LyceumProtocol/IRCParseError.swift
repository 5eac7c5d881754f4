/// Why a line could not be read as an IRC message.
///
/// The server answers each case differently (ignore an empty line, `FAIL * INVALID_UTF8`, an
/// error numeric), so the cases are kept apart instead of one opaque failure.
public enum IRCParseError: Error, Equatable, Sendable {
  /// The line is empty or only spaces.
  case empty
  /// Tags and/or a source were present but no command followed.
  case missingCommand
  /// The tag section is empty (`@ CMD`) or has a key that is empty (`@=v CMD`) or not of
  /// the form `[+][vendor/]name`.
  case invalidTags
  /// The line is not well-formed UTF-8.
  case invalidUTF8
  /// The line holds a NUL, or a CR that did not end it; no IRC message may contain them.
  case forbiddenCharacter
}
