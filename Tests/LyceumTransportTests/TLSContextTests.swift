import Foundation
import LyceumClient
import LyceumTransport
import Testing

@Suite struct TLSContextTests {
  init() {
    signal(SIGPIPE, SIG_IGN)
  }

  @Test func fingerprintMatchesOpenSSLCommandLine() throws {
    let certificates = Certificates.shared
    let result = try Subprocess.run(
      "/usr/bin/openssl",
      ["x509", "-noout", "-fingerprint", "-sha256", "-in", certificates.serverCertificate])
    #expect(result.termination == .exited(0))
    let text = result.standardOutput
    // "sha256 Fingerprint=AB:CD:…"
    let hex = try #require(text.split(separator: "=").last)
      .trimmingCharacters(in: .whitespacesAndNewlines)
      .replacingOccurrences(of: ":", with: "").lowercased()
    #expect(hex.count == 64)
    #expect(hex == certificates.serverFingerprint)
    let context = try certificates.serverContext()
    #expect(context.certificateFingerprintSHA256 == hex)
  }

  @Test func generatedKeyIsPrivateAndCertificateHasNames() throws {
    let certificates = Certificates.shared
    let attributes = try FileManager.default.attributesOfItem(atPath: certificates.serverKey)
    let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
    #expect(mode & 0o777 == 0o600)

    let text = try Subprocess.run(
      "/usr/bin/openssl", ["x509", "-noout", "-text", "-in", certificates.serverCertificate]
    ).standardOutput
    #expect(text.contains("CN = irc.test"))
    #expect(text.contains("DNS:irc.test"))
    #expect(text.contains("DNS:localhost"))
    #expect(text.contains("IP Address:127.0.0.1"))
    #expect(text.contains("IP Address:0:0:0:0:0:0:0:1"))
  }

  @Test func mismatchedKeyIsRejected() throws {
    let certificates = Certificates.shared
    #expect(throws: TransportError.self) {
      try TLSContext(
        certificatePath: certificates.serverCertificate, keyPath: certificates.clientKey)
    }
  }

  @Test func missingFileNamesTheCall() throws {
    let error = #expect(throws: TransportError.self) {
      try TLSContext(certificatePath: "/nonexistent/cert.pem", keyPath: "/nonexistent/key.pem")
    }
    #expect(error?.operation.hasPrefix("SSL_CTX_use_certificate_chain_file") == true)
  }
}
