import ArgumentParser

/// `lyceum-bench`: load generator and measurements for Lyceum (release builds only).
@main
struct LyceumBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lyceum-bench",
    abstract: "Measures Lyceum: history store latency and kept-message rates.")

  func run() throws {
    print("lyceum-bench: no scenario yet")
  }
}
