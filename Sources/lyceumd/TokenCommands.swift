import ArgumentParser
import LyceumServer

/// `lyceumd token create | list | revoke`: API tokens that bots use instead of a password.
struct TokenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Create, list and revoke an account's API tokens.",
    subcommands: [CreateToken.self, ListTokens.self, RevokeToken.self])
}

struct CreateToken: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create",
    abstract: "Create a token and print its secret on standard output.",
    discussion: """
      The secret is printed once and cannot be shown again: only its SHA-256 digest is stored. \
      Clients log in with it as their password (SASL PLAIN or PASS account:secret).
      """)

  @Argument(help: "Account name.") var account: String
  @Argument(help: "Token name (letters, digits, '.', '_', '-').") var name: String
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    try database.run { admin in
      print(try admin.createToken(account: account, tokenName: name))
    }
  }
}

struct ListTokens: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List an account's tokens (never their secrets).")

  @Argument(help: "Account name.") var account: String
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    try database.run { admin in
      for line in AccountAdministration.tokenTable(try admin.listTokens(account: account)) {
        print(line)
      }
    }
  }
}

struct RevokeToken: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke a token: clients using it can no longer log in.")

  @Argument(help: "Account name.") var account: String
  @Argument(help: "Token name.") var name: String
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    try database.run { admin in
      try admin.revokeToken(account: account, tokenName: name)
      print("revoked token \(name) of account \(account)")
    }
  }
}
