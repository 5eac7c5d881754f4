import COpenSSL

/// Thin wrappers over OpenSSL's EVP/HMAC/RAND; errors carry the OpenSSL error string.
///
/// Everything here works on `[UInt8]` so that secrets never pass through `String` (whose storage
/// cannot be wiped and may be logged by accident). Operations that cannot fail with valid
/// arguments (hashing, HMAC, PBKDF2, random bytes) trap with OpenSSL's reason if they ever do:
/// going on with a wrong digest or predictable bytes would be worse than stopping.
public enum Crypto {
  /// `count` bytes from OpenSSL's CSPRNG (`RAND_bytes`).
  public static func randomBytes(_ count: Int) -> [UInt8] {
    precondition(count >= 0, "negative byte count")
    var out = [UInt8](repeating: 0, count: count)
    guard count > 0 else { return out }
    ERR_clear_error()
    let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
    if ok != 1 { fatalError("RAND_bytes failed: \(CryptoError.lastOpenSSLError())") }
    return out
  }

  /// SHA-256 of `data` (32 bytes).
  public static func sha256(_ data: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    ERR_clear_error()
    let ok = withNonNullBytes(data) { pointer, count in
      out.withUnsafeMutableBufferPointer {
        EVP_Digest(pointer, count, $0.baseAddress, &length, EVP_sha256(), nil)
      }
    }
    if ok != 1 || length != 32 {
      fatalError("EVP_Digest failed: \(CryptoError.lastOpenSSLError())")
    }
    return out
  }

  /// HMAC-SHA-256 of `data` under `key` (32 bytes).
  public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    ERR_clear_error()
    let result = withNonNullBytes(key) { keyPointer, keyCount in
      withNonNullBytes(data) { dataPointer, dataCount in
        out.withUnsafeMutableBufferPointer {
          HMAC(
            EVP_sha256(), keyPointer, Int32(keyCount), dataPointer, dataCount, $0.baseAddress,
            &length)
        }
      }
    }
    if result == nil || length != 32 {
      fatalError("HMAC failed: \(CryptoError.lastOpenSSLError())")
    }
    return out
  }

  /// PBKDF2 with HMAC-SHA-256 (RFC 8018), as SCRAM-SHA-256's `Hi()`.
  public static func pbkdf2SHA256(
    password: [UInt8], salt: [UInt8], iterations: Int, length: Int
  ) -> [UInt8] {
    precondition(iterations >= 1 && iterations <= Int(Int32.max), "PBKDF2 iterations out of range")
    precondition(length >= 1 && length <= Int(Int32.max), "PBKDF2 length out of range")
    var out = [UInt8](repeating: 0, count: length)
    ERR_clear_error()
    let ok = withNonNullBytes(password) { passwordPointer, passwordCount in
      withNonNullBytes(salt) { saltPointer, saltCount in
        out.withUnsafeMutableBufferPointer {
          PKCS5_PBKDF2_HMAC(
            passwordPointer.assumingMemoryBound(to: CChar.self), Int32(passwordCount),
            saltPointer.assumingMemoryBound(to: UInt8.self), Int32(saltCount), Int32(iterations),
            EVP_sha256(), Int32(length), $0.baseAddress)
        }
      }
    }
    if ok != 1 { fatalError("PKCS5_PBKDF2_HMAC failed: \(CryptoError.lastOpenSSLError())") }
    return out
  }

  /// scrypt (RFC 7914) through `EVP_PBE_scrypt`, with `maxmem` raised to what these parameters
  /// need (OpenSSL's 32 MiB default refuses N = 2^15, r = 8). Throws for invalid parameters
  /// (N not a power of two above 1, sizes that overflow) or when OpenSSL refuses.
  public static func scrypt(
    password: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int
  ) throws -> [UInt8] {
    guard n > 1, n & (n - 1) == 0, r >= 1, p >= 1, length >= 1 else {
      throw CryptoError.invalidParameters("scrypt N=\(n) r=\(r) p=\(p) length=\(length)")
    }
    // V is 128·r·N bytes and B is 128·r·p bytes; allow a little more for OpenSSL's own work.
    let (rowBytes, o1) = r.multipliedReportingOverflow(by: 128)
    let (vBytes, o2) = rowBytes.multipliedReportingOverflow(by: n &+ 2)
    let (bBytes, o3) = rowBytes.multipliedReportingOverflow(by: p)
    let (sum, o4) = vBytes.addingReportingOverflow(bBytes)
    guard !(o1 || o2 || o3 || o4), sum < UInt64(Int.max) - (1 << 20) else {
      throw CryptoError.invalidParameters("scrypt memory for N=\(n) r=\(r) p=\(p) overflows")
    }
    let maxMemory = sum + (1 << 20)
    var out = [UInt8](repeating: 0, count: length)
    ERR_clear_error()
    let ok = withNonNullBytes(password) { passwordPointer, passwordCount in
      withNonNullBytes(salt) { saltPointer, saltCount in
        out.withUnsafeMutableBufferPointer {
          EVP_PBE_scrypt(
            passwordPointer.assumingMemoryBound(to: CChar.self), passwordCount,
            saltPointer.assumingMemoryBound(to: UInt8.self), saltCount, n, r, p, maxMemory,
            $0.baseAddress, length)
        }
      }
    }
    guard ok == 1 else {
      throw CryptoError.openSSL("EVP_PBE_scrypt", CryptoError.lastOpenSSLError())
    }
    return out
  }

  /// Whether `a` and `b` are equal, in time that depends only on their length (`CRYPTO_memcmp`).
  public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    guard !a.isEmpty else { return true }
    return a.withUnsafeBytes { x in
      b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 }
    }
  }

  /// Calls `body` with a pointer that is never null, even for an empty array: some OpenSSL entry
  /// points treat a null pointer as "no argument" rather than "zero bytes".
  private static func withNonNullBytes<T>(
    _ bytes: [UInt8], _ body: (UnsafeRawPointer, Int) -> T
  ) -> T {
    if bytes.isEmpty {
      var zero: UInt8 = 0
      return withUnsafePointer(to: &zero) { body(UnsafeRawPointer($0), 0) }
    }
    return bytes.withUnsafeBytes { body($0.baseAddress!, $0.count) }
  }
}
