import ArgumentParser

/// `lyceum-bench`: load generator and measurements for Lyceum (release builds only).
@main
struct LyceumBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lyceum-bench",
    abstract: "Measures Lyceum: history store latency and kept-message rates.",
    discussion: """
      Release builds only: a debug build's figures mean nothing (it warns on standard error). \
      Build with `swift build -c release --product lyceum-bench` and run \
      `.build/release/lyceum-bench <scenario>`.

      Each scenario prints a table, then one line `RESULT <scenario> key=value …` for scripts. \
      Latencies are in microseconds (p50/p99 by nearest rank over all samples).
      """,
    subcommands: [
      HistoryStoreBench.self, SearchStoreBench.self, HistoryFillBench.self, HistoryQueryBench.self,
      KeptRateBench.self,
      ServerKeptBench.self, FanoutBench.self, ConnectBench.self, IdleBench.self,
    ])
}
