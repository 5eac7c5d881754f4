import LyceumServer
import Testing

/// The `flood:` and `connections:` sections: defaults, values, strict keys, validation.
@Suite struct FloodConfigurationTests {
  func error(_ text: String) -> ConfigurationError? {
    do {
      _ = try ServerConfiguration.load(fromYAML: text)
      return nil
    } catch {
      return error as? ConfigurationError
    }
  }

  @Test func defaults() {
    let configuration = ServerConfiguration()
    #expect(configuration.flood.commandBurst == 20)
    #expect(configuration.flood.commandRate == 4)
    #expect(configuration.flood.commandQueue == 100)
    #expect(configuration.flood.historyBurst == 50)
    #expect(configuration.flood.historyRate == 10)
    #expect(configuration.flood.exemptOperators && configuration.flood.exemptBots)
    #expect(configuration.connections.perIPLimit == 10)
    #expect(
      configuration.connections.perIPRate == RateConfiguration(count: 10, window: .seconds(60)))
    #expect(
      configuration.connections.registrationsPerIP
        == RateConfiguration(count: 5, window: .seconds(60)))
    #expect(configuration.connections.exemptIPs == ["127.0.0.1", "::1"])
  }

  @Test func valuesAreRead() throws {
    let text = """
      flood:
        command-burst: 8
        command-rate: 0.5
        command-queue: 0
        history-burst: 100
        history-rate: 25
        exempt-operators: false
        exempt-bots: false
      connections:
        per-ip-limit: 3
        per-ip-rate: {count: 4, window: 10s}
        registrations-per-ip: {count: 2, window: 2m}
        exempt-ips: [192.0.2.10, "2001:db8::1"]
      """
    let configuration = try ServerConfiguration.load(fromYAML: text)
    var flood = FloodConfiguration()
    flood.commandBurst = 8
    flood.commandRate = 0.5
    flood.commandQueue = 0
    flood.historyBurst = 100
    flood.historyRate = 25
    flood.exemptOperators = false
    flood.exemptBots = false
    #expect(configuration.flood == flood)
    #expect(configuration.connections.perIPLimit == 3)
    #expect(
      configuration.connections.perIPRate == RateConfiguration(count: 4, window: .seconds(10)))
    #expect(
      configuration.connections.registrationsPerIP
        == RateConfiguration(count: 2, window: .seconds(120)))
    #expect(configuration.connections.exemptIPs == ["192.0.2.10", "2001:db8::1"])
  }

  @Test func unknownKeysAndBadValuesNameTheirKey() {
    guard case .unknownKey(let key, _) = error("flood: {command-brust: 3}") else {
      Issue.record("typo not caught")
      return
    }
    #expect(key == "flood.command-brust")
    guard case .unknownKey(let rateKey, _) = error("connections: {per-ip-rate: {count: 1, per: 2}}")
    else {
      Issue.record("typo in a rate not caught")
      return
    }
    #expect(rateKey == "connections.per-ip-rate.per")
    let cases: [(String, String)] = [
      ("flood: {command-burst: 0}", "flood.command-burst"),
      ("flood: {command-rate: 0}", "flood.command-rate"),
      ("flood: {history-rate: fast}", "flood.history-rate"),
      ("flood: {command-queue: -1}", "flood.command-queue"),
      ("flood: {exempt-bots: maybe}", "flood.exempt-bots"),
      ("connections: {per-ip-limit: 0}", "connections.per-ip-limit"),
      ("connections: {per-ip-rate: {count: 0, window: 1s}}", "connections.per-ip-rate.count"),
      ("connections: {per-ip-rate: {count: 1, window: 0}}", "connections.per-ip-rate.window"),
      (
        "connections: {registrations-per-ip: {count: 1}}", "connections.registrations-per-ip.window"
      ),
      ("connections: {exempt-ips: [localhost]}", "connections.exempt-ips[0]"),
    ]
    for (text, expected) in cases {
      guard case .invalidValue(let key, _, _) = error(text) else {
        Issue.record("\(text): expected an invalid value, got \(String(describing: error(text)))")
        continue
      }
      #expect(key == expected, "\(text)")
    }
  }
}
