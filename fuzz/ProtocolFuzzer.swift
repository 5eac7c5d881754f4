// libFuzzer entry point for the protocol module: every input is fed to the line framer in
// input-chosen chunk sizes, every framed line to the parser, and every parsed message is
// serialized and parsed again, which must give the same message back.
// Built by fuzz/run.sh together with Sources/LyceumProtocol (no package needed).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeBufferPointer(start: data, count: size)
  guard let first = bytes.first else { return 0 }
  let chunk = Int(first % 64) + 1
  var framer = LineFramer(readQueueLimit: 16384)
  var offset = 1
  while offset < bytes.count {
    let end = min(bytes.count, offset + chunk)
    framer.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset..<end])))
    offset = end
    while let event = framer.next() {
      precondition(framer.bufferedByteCount <= LineFramer.maxLineBytes)
      guard case .line(let line) = event else { continue }
      guard UTF8Validation.isValid(line), let message = try? IRCMessage(parsing: line) else {
        continue
      }
      let wire = message.serialized()
      let again = try? IRCMessage(parsing: wire.dropLast(2))
      precondition(again == message, "round trip changed \(message)")
    }
  }
  return 0
}
