import Foundation

/// A plain text table: left-aligned first column, right-aligned others.
struct Table {
  var header: [String]
  var rows: [[String]] = []

  init(_ header: String...) {
    self.header = header
  }

  mutating func add(_ cells: String...) {
    rows.append(cells)
  }

  mutating func add(_ cells: [String]) {
    rows.append(cells)
  }

  func render() -> String {
    let all = [header] + rows
    let columns = all.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in all {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ row: [String]) -> String {
      row.enumerated().map { index, cell in
        let pad = String(repeating: " ", count: widths[index] - cell.count)
        return index == 0 ? cell + pad : pad + cell
      }.joined(separator: "  ")
    }
    let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * max(0, columns - 1))
    return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
  }
}

/// The last line of a scenario, for scripts: `RESULT <scenario> key=value …`.
struct ResultLine {
  var scenario: String
  private var pairs: [(String, String)] = []

  init(_ scenario: String) {
    self.scenario = scenario
  }

  mutating func add(_ key: String, _ value: String) {
    pairs.append((key, value))
  }

  mutating func add(_ key: String, _ value: Int) {
    pairs.append((key, String(value)))
  }

  mutating func add(_ key: String, _ value: Double, decimals: Int = 1) {
    pairs.append((key, fixed(value, decimals)))
  }

  /// `<prefix>_p50_us`, `_p99_us`, `_max_us`.
  mutating func add(_ prefix: String, _ summary: LatencySummary, max includeMax: Bool = true) {
    add("\(prefix)_p50_us", summary.p50)
    add("\(prefix)_p99_us", summary.p99)
    if includeMax { add("\(prefix)_max_us", summary.max) }
  }

  var text: String {
    (["RESULT", scenario] + pairs.map { "\($0.0)=\($0.1)" }).joined(separator: " ")
  }
}

/// `value` with `decimals` digits after the point (no locale, no exponent).
func fixed(_ value: Double, _ decimals: Int = 1) -> String {
  guard value.isFinite else { return "nan" }
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let scaled = (abs(value) * scale).rounded()
  let whole = Int(scaled / scale)
  var text = (value < 0 && scaled > 0 ? "-" : "") + String(whole)
  if decimals > 0 {
    let fraction = Int(scaled - Double(whole) * scale)
    let digits = String(fraction)
    text += "." + String(repeating: "0", count: decimals - digits.count) + digits
  }
  return text
}

/// An integer with thin thousands separators for tables: 1 234 567.
func grouped(_ value: Int) -> String {
  let digits = Array(String(abs(value)))
  var out: [Character] = []
  for (index, digit) in digits.enumerated() {
    if index > 0 && (digits.count - index) % 3 == 0 { out.append(" ") }
    out.append(digit)
  }
  return (value < 0 ? "-" : "") + String(out)
}

/// The latency columns of a table row: p50, p99, max in µs.
func latencyCells(_ summary: LatencySummary) -> [String] {
  [fixed(summary.p50), fixed(summary.p99), fixed(summary.max)]
}

/// Warns on standard error when this is not an optimised build: the figures would mean little.
func warnIfDebugBuild() {
  #if DEBUG
    printError(
      "lyceum-bench: WARNING: this is a debug build; figures are meaningless. "
        + "Build with: swift build -c release --product lyceum-bench")
  #endif
}

var isDebugBuild: Bool {
  #if DEBUG
    return true
  #else
    return false
  #endif
}

func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
