/// Accounts: whether anyone may create one, and how failed logins are throttled.
public struct AccountsConfiguration: Sendable, Equatable {
  /// Whether `REGISTER` is open to everyone. When false, accounts are created by operators
  /// (`lyceumd account create`) and `draft/account-registration` is not advertised.
  public var registrationOpen = true
  /// Failed logins allowed per IP address and per account within `failedLoginWindow`; the
  /// next attempt, even with the right password, waits for the window to pass.
  public var failedLoginLimit = 3
  public var failedLoginWindow: Duration = .seconds(60)

  /// The defaults.
  public init() {}
}

extension AccountsConfiguration: Decodable {
  enum CodingKeys: String, CodingKey, CaseIterable {
    case registrationOpen = "registration-open"
    case failedLoginLimit = "failed-login-limit"
    case failedLoginWindow = "failed-login-window"
  }

  public init(from decoder: any Decoder) throws {
    self.init()
    let file = try decoder.strictContainer(keyedBy: CodingKeys.self)
    registrationOpen =
      try file.optional(Bool.self, .registrationOpen, expecting: "true or false")
      ?? registrationOpen
    failedLoginLimit =
      try file.optional(Int.self, .failedLoginLimit, expecting: "a number") ?? failedLoginLimit
    failedLoginWindow = try file.duration(.failedLoginWindow) ?? failedLoginWindow
  }
}
