import ArgumentParser
import LyceumServer

/// Where the account and token commands find the database: the same `--data-dir` and
/// `--config` as the server, so that they act on the store the server uses (the data
/// directory's SQLite file, or the PostgreSQL database of `store:`).
struct DatabaseOptions: ParsableArguments {
  @Option(
    name: .customLong("config"),
    help: ArgumentHelp("YAML configuration file (for its data-dir and store).", valueName: "file"))
  var configFile: String?

  @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data directory.", valueName: "dir"))
  var dataDirectory: String?

  /// Opens the database and runs `body` on it, printing a failure as `lyceumd: <reason>` with
  /// exit status 64 (bad input), 78 (bad configuration) or 1 (anything else).
  func run(creating: Bool = false, _ body: (AccountAdministration) throws -> Void) throws {
    let configuration: ServerConfiguration
    do {
      configuration = try AccountAdministration.configuration(
        configFile: configFile, dataDirectory: dataDirectory)
    } catch {
      writeToStandardError("lyceumd: \(error)")
      throw ExitCode(78)  // EX_CONFIG
    }
    do {
      try body(try AccountAdministration.open(configuration, creating: creating))
    } catch let error as AccountAdministrationError {
      writeToStandardError("lyceumd: \(error)")
      throw error.isUsageError ? ExitCode(64) : ExitCode.failure
    } catch let error as ExitCode {
      throw error
    } catch {
      writeToStandardError("lyceumd: \(error)")
      throw ExitCode.failure
    }
  }
}

/// A new password: from standard input (one line, safe from `ps`) or, for scripts that accept
/// the risk, on the command line.
struct PasswordOptions: ParsableArguments {
  @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input.")
  var passwordFromStandardInput = false

  @Option(
    name: .customLong("password"),
    help: ArgumentHelp(
      "The password (visible to other users in the process list).", valueName: "password"))
  var password: String?

  func validate() throws {
    if passwordFromStandardInput && password != nil {
      throw ValidationError("give --password or --password-stdin, not both")
    }
  }

  /// The password given, if any; reads the first line of standard input for `--password-stdin`.
  func readPassword() throws -> String? {
    guard passwordFromStandardInput else { return password }
    guard let line = readLine(strippingNewline: true) else {
      throw ValidationError("--password-stdin: standard input is empty")
    }
    return line
  }
}

/// The account fields shared by `account create` and `account set`.
struct AccountFieldOptions: ParsableArguments {
  @OptionGroup var passwordOptions: PasswordOptions

  @Option(help: ArgumentHelp("Institution, e.g. a university.", valueName: "name"))
  var institution: String?

  @Option(
    help: ArgumentHelp("faculty, researcher, student, staff, bot or admin.", valueName: "role"))
  var role: String?

  @Option(help: ArgumentHelp("Name shown to other users.", valueName: "text"))
  var displayName: String?

  @Option(help: ArgumentHelp("E-mail address, for the operators only.", valueName: "address"))
  var email: String?

  /// The settings to apply, reading the password if it comes from standard input.
  func settings() throws -> AccountSettings {
    AccountSettings(
      password: try passwordOptions.readPassword(), institution: institution, role: role,
      displayName: displayName, email: email)
  }
}
