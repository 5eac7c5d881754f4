import ArgumentParser
import LyceumServer

/// `lyceumd account create | list | set | delete`: the logic is `AccountAdministration`'s.
struct AccountCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "account", abstract: "Create, list, change and delete accounts.",
    subcommands: [CreateAccount.self, ListAccounts.self, SetAccount.self, DeleteAccount.self])
}

struct CreateAccount: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Create an account.")

  @Argument(help: "Account name (a nickname, at most 30 bytes).") var name: String
  @OptionGroup var fields: AccountFieldOptions
  @OptionGroup var database: DatabaseOptions

  @Flag(help: "Create the database if the data directory has none (a fresh installation).")
  var createDatabase = false

  func run() throws {
    let settings = try fields.settings()
    try database.run(creating: createDatabase) { admin in
      let account = try admin.createAccount(name: name, settings: settings)
      print("created account \(account.name)")
    }
  }
}

struct ListAccounts: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List accounts: name, role, institution, creation time.")

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    try database.run { admin in
      for line in AccountAdministration.accountTable(try admin.listAccounts()) { print(line) }
    }
  }
}

struct SetAccount: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Change an account's fields; an empty value clears a field.")

  @Argument(help: "Account name.") var name: String
  @OptionGroup var fields: AccountFieldOptions

  @Option(
    name: .customLong("add-cert"),
    help: ArgumentHelp(
      "Accept this TLS client certificate (SHA-256 fingerprint) for SASL EXTERNAL.",
      valueName: "fingerprint"))
  var addCertificates: [String] = []

  @Option(
    name: .customLong("remove-cert"),
    help: ArgumentHelp("Stop accepting this certificate.", valueName: "fingerprint"))
  var removeCertificates: [String] = []

  @OptionGroup var database: DatabaseOptions

  func run() throws {
    var settings = try fields.settings()
    settings.addCertificates = addCertificates
    settings.removeCertificates = removeCertificates
    try database.run { admin in
      let account = try admin.updateAccount(name: name, settings: settings)
      print("updated account \(account.name)")
    }
  }
}

struct DeleteAccount: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "delete", abstract: "Delete an account with its tokens and certificates.")

  @Argument(help: "Account name.") var name: String
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    try database.run { admin in
      try admin.deleteAccount(name: name)
      print("deleted account \(name)")
    }
  }
}
