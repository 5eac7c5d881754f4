/// The fields an operator gives to `account create` or `account set`; `nil` means "not given".
///
/// For `set`, an empty string clears an optional field (institution, display name, e-mail).
/// The role is kept as text so that validating it is part of the tested logic.
public struct AccountSettings: Sendable, Equatable {
  /// A new password in clear, hashed before it reaches the store.
  public var password: String?
  public var institution: String?
  public var role: String?
  public var displayName: String?
  public var email: String?
  /// SHA-256 fingerprints of TLS client certificates to accept (SASL EXTERNAL).
  public var addCertificates: [String]
  public var removeCertificates: [String]

  public init(
    password: String? = nil, institution: String? = nil, role: String? = nil,
    displayName: String? = nil, email: String? = nil, addCertificates: [String] = [],
    removeCertificates: [String] = []
  ) {
    self.password = password
    self.institution = institution
    self.role = role
    self.displayName = displayName
    self.email = email
    self.addCertificates = addCertificates
    self.removeCertificates = removeCertificates
  }
}
