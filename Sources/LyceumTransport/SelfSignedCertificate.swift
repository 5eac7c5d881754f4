import COpenSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension TLSContext {
  /// Generates an EC P-256 key and a self-signed X.509 v3 certificate for `commonName`
  /// (SAN: DNS:commonName, DNS:localhost, IP:127.0.0.1, IP:::1; valid 365 days; random serial)
  /// and writes both as PEM, the key with mode 0600. Returns the certificate's SHA-256
  /// fingerprint (lowercase hex, no colons). For first start-up and tests, so that TLS works
  /// with no set-up.
  public static func generateSelfSigned(
    commonName: String, certificatePath: String, keyPath: String
  ) throws(TransportError) -> String {
    ERR_clear_error()
    guard let key = lyc_keygen_ec_p256() else { throw .openSSL("EVP_PKEY_Q_keygen") }
    defer { EVP_PKEY_free(key) }
    guard let certificate = X509_new() else { throw .openSSL("X509_new") }
    defer { X509_free(certificate) }

    guard X509_set_version(certificate, 2) == 1 else { throw .openSSL("X509_set_version") }
    try setRandomSerial(certificate)
    guard X509_gmtime_adj(X509_getm_notBefore(certificate), 0) != nil,
      X509_gmtime_adj(X509_getm_notAfter(certificate), 365 * 24 * 3600) != nil
    else { throw .openSSL("X509_gmtime_adj") }
    guard X509_set_pubkey(certificate, key) == 1 else { throw .openSSL("X509_set_pubkey") }

    guard let name = X509_get_subject_name(certificate),
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1
    else { throw .openSSL("X509_NAME_add_entry_by_txt") }
    guard X509_set_issuer_name(certificate, name) == 1 else {
      throw .openSSL("X509_set_issuer_name")
    }

    let extensions: [(Int32, String)] = [
      (NID_basic_constraints, "critical,CA:FALSE"),
      (NID_key_usage, "critical,digitalSignature,keyEncipherment"),
      (NID_ext_key_usage, "serverAuth,clientAuth"),
      (NID_subject_key_identifier, "hash"),
      (NID_subject_alt_name, "DNS:\(commonName),DNS:localhost,IP:127.0.0.1,IP:::1"),
    ]
    var v3 = X509V3_CTX()
    X509V3_set_ctx(&v3, certificate, certificate, nil, nil, 0)
    for (nid, value) in extensions {
      guard let ext = X509V3_EXT_nconf_nid(nil, &v3, nid, value) else {
        throw .openSSL("X509V3_EXT_nconf_nid(\(value))")
      }
      defer { X509_EXTENSION_free(ext) }
      guard X509_add_ext(certificate, ext, -1) == 1 else { throw .openSSL("X509_add_ext") }
    }
    guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw .openSSL("X509_sign") }

    let keyPEM = try pem("PEM_write_bio_PrivateKey") {
      PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil)
    }
    let certificatePEM = try pem("PEM_write_bio_X509") { PEM_write_bio_X509($0, certificate) }
    try writeFile(keyPath, keyPEM, mode: 0o600)
    try writeFile(certificatePath, certificatePEM, mode: 0o644)
    guard let fingerprint = sha256Fingerprint(of: certificate) else {
      throw .openSSL("X509_digest")
    }
    return fingerprint
  }
}

/// Sets a random positive 128-bit serial number, as RFC 5280 recommends.
private func setRandomSerial(_ certificate: OpaquePointer) throws(TransportError) {
  var bytes = [UInt8](repeating: 0, count: 16)
  guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw .openSSL("RAND_bytes") }
  bytes[0] &= 0x7f
  bytes[0] |= 0x01
  guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw .openSSL("BN_bin2bn") }
  defer { BN_free(number) }
  guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil else {
    throw .openSSL("BN_to_ASN1_INTEGER")
  }
}

/// Runs a PEM writer against a memory BIO and returns what it wrote.
private func pem(_ operation: String, _ write: (OpaquePointer) -> Int32) throws(TransportError)
  -> [UInt8]
{
  guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL("BIO_new") }
  defer { BIO_free(bio) }
  guard write(bio) == 1 else { throw .openSSL(operation) }
  var data: UnsafeMutablePointer<CChar>?
  let length = lyc_BIO_get_mem_data(bio, &data)
  guard let data, length > 0 else { throw .openSSL(operation, fallback: "empty PEM output") }
  return Array(UnsafeRawBufferPointer(start: data, count: length))
}

/// Writes a whole file, creating it with `mode` (and forcing `mode` if it existed).
private func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(TransportError) {
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
  if fd < 0 { throw .posix("open(\(path))", errno) }
  defer { Syscall.close(fd) }
  if fchmod(fd, mode) != 0 { throw .posix("fchmod(\(path))", errno) }
  var offset = 0
  while offset < bytes.count {
    let n = bytes.withUnsafeBytes {
      Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset)
    }
    if n < 0 {
      if errno == EINTR { continue }
      throw .posix("write(\(path))", errno)
    }
    offset += n
  }
}
