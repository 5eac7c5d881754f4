import ArgumentParser

#if canImport(Glibc)
  import Glibc
#endif

/// The server to measure, shared by every scenario that talks to one: a loopback address only,
/// since load goes nowhere else from this machine.
struct ServerAddress: ParsableArguments {
  @Option(help: "Server address: loopback only (127.x.x.x).")
  var host = "127.0.0.1"

  @Option(help: "Server port (default 6697 with --tls, else 6667).")
  var port: Int?

  @Option(
    help: ArgumentHelp(
      "Another port of the same network (a second lyceumd node); repeatable.",
      discussion:
        "The load generator's event loops take the ports in turn, so clients (and senders) are split evenly over the nodes."
    ))
  var alsoPort: [Int] = []

  @Flag(help: "Connect with TLS (the certificate is not verified).")
  var tls = false

  @Option(help: "Server password (PASS), if the server has one.")
  var password: String?

  var resolvedPort: Int { port ?? (tls ? 6697 : 6667) }

  /// Every port clients connect to: `resolvedPort`, then each `alsoPort`.
  var ports: [Int] { [resolvedPort] + alsoPort }

  var label: String {
    "\(host):\(ports.map(String.init).joined(separator: ",")) \(tls ? "TLS" : "plaintext")"
  }

  func validate() throws {
    var address = in_addr()
    guard inet_pton(AF_INET, host, &address) == 1, UInt32(bigEndian: address.s_addr) >> 24 == 127
    else {
      throw ValidationError("--host must be an IPv4 loopback address (127.x.x.x)")
    }
  }
}
