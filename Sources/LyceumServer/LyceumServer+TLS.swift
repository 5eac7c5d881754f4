import Foundation
import LyceumTransport

/// TLS contexts for the listeners, and the development certificate generated when none is
/// configured.
extension LyceumServer {
  /// One TLS context per listener (nil for plaintext ones); generates the development
  /// certificate in the data directory when a TLS listener has none configured.
  func makeTLSContexts(for configuration: ServerConfiguration) throws -> [TLSContext?] {
    var defaultContext: TLSContext?
    var contexts: [TLSContext?] = []
    for spec in configuration.listeners {
      guard spec.tls else {
        contexts.append(nil)
        continue
      }
      if let cert = spec.certificatePath, let key = spec.keyPath {
        contexts.append(try TLSContext(certificatePath: cert, keyPath: key))
        continue
      }
      if defaultContext == nil { defaultContext = try makeDefaultTLSContext(configuration) }
      contexts.append(defaultContext)
    }
    return contexts
  }

  func makeDefaultTLSContext(_ configuration: ServerConfiguration) throws -> TLSContext {
    if let cert = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
      let context = try TLSContext(certificatePath: cert, keyPath: key)
      logger.info("tls certificate \(cert) sha256 \(context.certificateFingerprintSHA256)")
      return context
    }
    let directory = configuration.dataDirectory + "/tls"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let cert = directory + "/dev-cert.pem"
    let key = directory + "/dev-key.pem"
    if !FileManager.default.fileExists(atPath: cert) || !FileManager.default.fileExists(atPath: key)
    {
      _ = try TLSContext.generateSelfSigned(
        commonName: configuration.serverName, certificatePath: cert, keyPath: key)
      logger.info("generated a self-signed development certificate in \(directory)")
    }
    let context = try TLSContext(certificatePath: cert, keyPath: key)
    logger.info(
      "tls development certificate sha256 fingerprint \(context.certificateFingerprintSHA256)")
    return context
  }
}
