import LyceumServer
import Testing

/// `bots-listener:` in the configuration file: off by default, loopback only, bounds positive.
@Suite struct BotsListenerConfigurationTests {
  @Test func offByDefaultAndReadFromTheFile() throws {
    #expect(try ServerConfiguration.load(fromYAML: "server-name: a.b\n").botsListener == nil)
    let yaml = """
      bots-listener:
        listen: 127.0.0.1:6680
        max-connections: 4
        lines-per-second: 3
        idle-timeout: 10s
      """
    let listener = try #require(try ServerConfiguration.load(fromYAML: yaml).botsListener)
    #expect(listener.listen == HostPort(host: "127.0.0.1", port: 6680))
    #expect(listener.maxConnections == 4)
    #expect(listener.linesPerSecond == 3)
    #expect(listener.idleTimeout == .seconds(10))
    let v6 = try ServerConfiguration.load(fromYAML: "bots-listener: {listen: '[::1]:6680'}")
    #expect(v6.botsListener?.listen.host == "::1")
  }

  @Test func aNonLoopbackAddressOrBadBoundIsRefused() {
    for yaml in [
      "bots-listener: {listen: '0.0.0.0:6680'}",
      "bots-listener: {listen: '*:6680'}",
      "bots-listener: {listen: '192.0.2.4:6680'}",
      "bots-listener: {listen: '127.0.0.1:6680', lines-per-second: 0}",
      "bots-listener: {listen: '127.0.0.1:6680', typo: 1}",
      "bots-listener: {max-connections: 2}",
    ] {
      #expect(throws: (any Error).self, "\(yaml)") {
        try ServerConfiguration.load(fromYAML: yaml)
      }
    }
  }
}
