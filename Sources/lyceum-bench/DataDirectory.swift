import ArgumentParser
import Foundation

/// Where a scenario keeps its database: the directory given, or a fresh temporary one that is
/// removed afterwards (unless kept).
struct DataDirectory {
  let path: String
  let isTemporary: Bool

  init(given: String?, scenario: String) throws {
    if let given {
      path = given
      isTemporary = false
    } else {
      let base = FileManager.default.temporaryDirectory.path
      path = "\(base)/lyceum-bench-\(scenario)-\(UUID().uuidString.prefix(8))"
      isTemporary = true
    }
  }

  /// Size in bytes of the database and its WAL.
  func databaseBytes() -> Int {
    ["lyceum.sqlite", "lyceum.sqlite-wal"].reduce(0) { total, name in
      let attributes = try? FileManager.default.attributesOfItem(atPath: "\(path)/\(name)")
      return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
    }
  }

  /// Removes the directory if it is a temporary one and `keep` is false.
  func cleanUp(keep: Bool) {
    guard isTemporary else { return }
    if keep {
      print("data kept in \(path)")
    } else {
      try? FileManager.default.removeItem(atPath: path)
    }
  }
}

/// `--data-dir` and `--keep`, the same for every scenario that fills a store of its own.
struct DataDirectoryOptions: ParsableArguments {
  @Option(
    name: .customLong("data-dir"),
    help: ArgumentHelp(
      "Directory for lyceum.sqlite (default: a fresh temporary directory, removed afterwards).",
      valueName: "dir"))
  var path: String?

  @Flag(help: "Keep the temporary data directory.")
  var keep = false

  /// The directory for `scenario`: the one given, or a fresh temporary one.
  func directory(for scenario: String) throws -> DataDirectory {
    try DataDirectory(given: path, scenario: scenario)
  }
}
