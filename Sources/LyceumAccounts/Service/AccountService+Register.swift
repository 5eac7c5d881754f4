import LyceumCore
import LyceumProtocol

/// `REGISTER` (IRCv3 draft/account-registration), with the spec's `FAIL REGISTER` codes.
extension AccountService {
  /// The `FAIL REGISTER` codes of draft/account-registration that this service can answer.
  enum RegistrationFailure: String {
    case accountExists = "ACCOUNT_EXISTS"
    case badAccountName = "BAD_ACCOUNT_NAME"
    case weakPassword = "WEAK_PASSWORD"
    case unacceptablePassword = "UNACCEPTABLE_PASSWORD"
    case invalidEmail = "INVALID_EMAIL"
    case temporarilyUnavailable = "TEMPORARILY_UNAVAILABLE"
  }

  static let maxAccountNameLength = 30
  static let minPasswordBytes = 8
  /// Passwords may have to travel in a `PASS` or `PRIVMSG` line; the spec suggests 300 bytes.
  static let maxPasswordBytes = 300

  /// Every well-formed `REGISTER` from an address counts against the same limit as failed
  /// logins (per window), successful or not: each costs an scrypt run and may create an account.
  func register(ip: String, account: String, email: String?, password: String) -> AccountResponse {
    guard registrationOpen else {
      return fail(.temporarilyUnavailable, "Registration is closed on this server")
    }
    guard IRCNames.isValidNick(account, maxLength: Self.maxAccountNameLength) else {
      return fail(
        .badAccountName,
        "Account names follow the nickname rules and have at most \(Self.maxAccountNameLength) characters"
      )
    }
    let folded = caseMapping.fold(account)
    do {
      if try store.account(foldedName: folded) != nil {
        return fail(.accountExists, "An account with that name already exists")
      }
    } catch {
      return fail(.temporarilyUnavailable, "Accounts are unavailable; try again later")
    }
    if let problem = passwordProblem(password, foldedName: folded) { return problem }
    let storedEmail: String?
    switch email {
    case nil, "*": storedEmail = nil
    case let email?:
      guard Self.looksLikeEmail(email) else {
        return fail(.invalidEmail, "That is not an email address")
      }
      storedEmail = email
    }
    let keys = ["register " + ip]
    if let wait = retryAfter(keys: keys) { return .throttled(retryAfterSeconds: wait) }
    recordFailure(keys: keys)
    let record: AccountRecord
    do {
      record = AccountRecord(
        name: account, foldedName: folded, createdAtMilliseconds: clock.wallClockMilliseconds(),
        role: .researcher, email: storedEmail,
        password: try hasher.makeCredential(password: password))
      try store.create(record)
    } catch AccountStoreError.alreadyExists {
      return fail(.accountExists, "An account with that name already exists")
    } catch {
      return fail(.temporarilyUnavailable, "Accounts are unavailable; try again later")
    }
    let stamp = record.password.map(LoginCredential.passwordStamp) ?? ""
    return .registered(AccountSummary(record), via: .password(stamp: stamp))
  }

  /// Too short, the account's own name, too long for an IRC line, or with control characters.
  private func passwordProblem(_ password: String, foldedName: String) -> AccountResponse? {
    let bytes = password.utf8
    if bytes.count < Self.minPasswordBytes {
      return fail(.weakPassword, "Passwords need at least \(Self.minPasswordBytes) bytes")
    }
    if caseMapping.fold(password) == foldedName {
      return fail(.weakPassword, "The password must not be the account name")
    }
    if bytes.count > Self.maxPasswordBytes || !SCRAMSyntax.isAcceptableName(password) {
      return fail(
        .unacceptablePassword,
        "Passwords have at most \(Self.maxPasswordBytes) bytes and no control characters")
    }
    return nil
  }

  /// A deliberately simple `local@domain.tld` shape; whether mail arrives is not checked here.
  static func looksLikeEmail(_ text: String) -> Bool {
    guard text.utf8.count <= 254,
      text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "," })
    else { return false }
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty else { return false }
    let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
    return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
  }

  private func fail(_ code: RegistrationFailure, _ description: String) -> AccountResponse {
    .registrationFailed(code: code.rawValue, description: description)
  }
}
