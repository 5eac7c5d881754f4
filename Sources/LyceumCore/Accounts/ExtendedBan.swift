import LyceumProtocol

/// Masks in `+b`, `+e` and `+I` lists that match accounts instead of `nick!user@host`, or that
/// mute (documented in `protocol/EXTENSIONS.md`, advertised as `EXTBAN=$,aim`):
///
/// - `$a` — any client logged in to an account; `$a:<glob>` — accounts whose name matches;
/// - `$i:<glob>` — clients whose account belongs to a matching institution;
/// - `$m:<mask>` (in `+b` only) — clients matching `<mask>` (a `nick!user@host` glob, or `$a`
///   or `$i`) may join and read but not speak.
///
/// So a room for two partner universities is `+i` with
/// `+I $i:Universidad de Salamanca` … except that spaces cannot appear in a mode parameter:
/// institutions are matched with `?` or `*` for their spaces (`$i:Universidad*Salamanca`).
struct ExtendedBan: Equatable {
  enum Kind: Equatable {
    case account
    case institution
    case mute
  }

  let kind: Kind
  /// The glob after `:`, or nil for `$a` alone.
  let pattern: String?

  /// Nil when `mask` is an ordinary `nick!user@host` mask.
  init?(_ mask: String) {
    guard mask.hasPrefix("$"), mask.count >= 2 else { return nil }
    let letter = mask[mask.index(after: mask.startIndex)]
    let rest = mask.dropFirst(2)
    let pattern: String?
    if rest.isEmpty {
      pattern = nil
    } else if rest.hasPrefix(":"), rest.count > 1 {
      pattern = String(rest.dropFirst())
    } else {
      return nil
    }
    switch letter {
    case "a": kind = .account
    case "i" where pattern != nil: kind = .institution
    case "m" where pattern.map { !$0.hasPrefix("$m") } ?? false: kind = .mute
    default: return nil
    }
    self.pattern = pattern
  }

  /// What a mute ban silences; nil for the other kinds.
  var mutedMask: String? { kind == .mute ? pattern : nil }

  /// Whether an account or institution mask matches `client` (a mute ban's inner mask is
  /// matched by `IRCServerCore.matches(_:mask:)`).
  func matches(_ client: Client, _ caseMapping: CaseMapping) -> Bool {
    guard let account = client.account else { return false }
    switch kind {
    case .mute:
      return false
    case .account:
      guard let pattern else { return true }
      return IRCMask(pattern, caseMapping: caseMapping).matches(account.name)
    case .institution:
      guard let pattern, let institution = account.institution else { return false }
      return IRCMask(pattern, caseMapping: caseMapping).matches(institution)
    }
  }
}
