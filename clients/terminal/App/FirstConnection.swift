import ArgumentParser
import Foundation
import LyceumClient

/// The first connection, made before the screen starts so that a certificate question can be
/// asked on the plain terminal: trust on first use for a self-signed server (its fingerprint
/// shown in the form `lyceumd` logs it, then pinned in the config), and a loud refusal when a
/// pinned certificate has changed.
enum FirstConnection {
  static func open(_ configuration: inout ClientConfiguration, path: String) throws
    -> BlockingLineClient
  {
    do {
      return try configuration.connect()
    } catch let rejection as CertificateRejected {
      if rejection.pinMismatch {
        printError(
          """
          THE SERVER'S CERTIFICATE HAS CHANGED.
            pinned:    \(configuration.pin ?? "?")
            presented: \(rejection.fingerprint)
          Someone may be intercepting the connection, or the server got a new certificate.
          Ask its operator; if the change is expected, put the new fingerprint in \(path) (pin).
          """)
        throw ExitCode.failure
      }
      print(
        """
        The server's certificate is not trusted: \(rejection.reason).
        Its SHA-256 fingerprint is
          \(rejection.fingerprint)
        (\(colonSeparatedFingerprint(rejection.fingerprint)))
        Compare it with the one lyceumd logged ("tls development certificate sha256 fingerprint").
        """)
      print("Trust this certificate and remember it? [y/N] ", terminator: "")
      guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
        throw ExitCode.failure
      }
      configuration.pin = rejection.fingerprint
      try ConfigFile.setPin(rejection.fingerprint, path: path)
      return try configuration.connect()
    }
  }
}

/// Writes the configuration file with mode 600 (it may hold a password).
enum ConfigFile {
  static func write(_ text: String, path: String) throws {
    let directory = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    // Created with mode 600 (never readable by others, not even for a moment), then written.
    let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw ValidationError("cannot write \(path): errno \(errno)") }
    defer { close(fd) }
    _ = fchmod(fd, 0o600)
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      guard written > 0 else { throw ValidationError("cannot write \(path): errno \(errno)") }
      offset += written
    }
  }

  /// Adds (or replaces) the `pin` line of an existing file, keeping the rest.
  static func setPin(_ fingerprint: String, path: String) throws {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines.removeAll { $0.hasPrefix("pin ") }
    if lines.last == "" { lines.removeLast() }
    lines.append("pin \(fingerprint)")
    try write(lines.joined(separator: "\n") + "\n", path: path)
  }
}
