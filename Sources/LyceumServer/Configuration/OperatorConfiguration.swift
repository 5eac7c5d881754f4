import LyceumCore

/// One IRC operator account, checked by `OPER name password`: the core's own credential type,
/// read from the file's `operators` list (keys `name`, `password`, `host-mask`).
///
/// The password is kept in plaintext in the file, so the file should be readable by the server's
/// user only (`chmod 600`).
public typealias OperatorConfiguration = OperatorCredential
