import COpenSSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one read or write attempt did, for plaintext and TLS alike.
package enum TransferResult {
  case transferred(Int)
  /// Try again when the socket is readable (`EAGAIN` on read, or OpenSSL's WANT_READ).
  case wantRead
  /// Try again when the socket is writable (`EAGAIN` on write, or OpenSSL's WANT_WRITE).
  case wantWrite
  case endOfStream
  case failed(String)
}

/// The byte paths. Every method here runs on `queue`.
extension Connection {
  /// At most this many reads per read event, so that one busy peer cannot hold a thread.
  static let readsPerEvent = 32

  func handleReadable() {
    if readSourceSuspended { return }  // an event queued before the suspension
    switch state {
    case .handshaking:
      advanceHandshake()
    case .ready:
      if writeWantsRead {
        writeWantsRead = false
        flush()
      }
      readAvailable()
      updateReadInterest()
    case .flushing:
      if writeWantsRead {
        writeWantsRead = false
        flush()
      }
      discardInput()
    case .created, .awaitingHandshake, .closed:
      return
    }
  }

  func handleWritable() {
    if writeSourceSuspended { return }  // an event queued before the suspension
    switch state {
    case .handshaking:
      handshakeWantsWrite = false
      advanceHandshake()
    case .ready, .flushing:
      if readWantsWrite {
        readWantsWrite = false
        if state == .ready { readAvailable() } else { discardInput() }
      }
      flush()
    case .created, .awaitingHandshake, .closed:
      return
    }
  }

  /// Reads and delivers until the socket (and OpenSSL's buffer) is empty, reading is paused, or
  /// the per-event budget is spent.
  func readAvailable() {
    let chunk = limits.readChunkSize
    withUnsafeTemporaryAllocation(byteCount: chunk, alignment: 16) { buffer in
      var rounds = 0
      while state == .ready && !inputEnded && !pauseRequested.load(ordering: .relaxed) {
        switch readOnce(buffer) {
        case .transferred(let count):
          handler?.connection(self, didReceive: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
          // A short plaintext read means the socket is drained; the level-triggered source
          // fires again if more arrives, so skip the extra read() that would say EAGAIN.
          if !isTLS && count < chunk { return }
        case .wantRead:
          return
        case .wantWrite:
          readWantsWrite = true
          updateWriteInterest()
          return
        case .endOfStream:
          endOfInput()
          return
        case .failed(let text):
          finalize(.error(text))
          return
        }
        rounds += 1
        if rounds >= Connection.readsPerEvent {
          // Decrypted bytes left inside OpenSSL do not fire the source again: come back.
          if let ssl, SSL_has_pending(ssl) == 1 {
            queue.async { if self.state == .ready { self.readAvailable() } }
          }
          return
        }
      }
    }
  }

  /// The peer closed its sending side: stop reading, and let the handler decide whether the
  /// connection stays open for what it still has to send.
  private func endOfInput() {
    inputEnded = true
    if handler?.connectionShouldStayOpenAfterEndOfInput(self) == true {
      updateReadInterest()
    } else {
      finalize(.remoteClosed)
    }
  }

  /// While closing after a flush: reads and drops input so that the peer's EOF is seen and the
  /// level-triggered read source does not spin. Not once the peer's EOF was seen: the queued
  /// bytes are then written out before the close.
  func discardInput() {
    if inputEnded { return }
    withUnsafeTemporaryAllocation(byteCount: limits.readChunkSize, alignment: 16) { buffer in
      for _ in 0..<Connection.readsPerEvent where state == .flushing {
        switch readOnce(buffer) {
        case .transferred: continue
        case .wantRead: return
        case .wantWrite:
          readWantsWrite = true
          updateWriteInterest()
          return
        case .endOfStream, .failed:
          finalize(.local)
          return
        }
      }
    }
  }

  /// Writes the send queue until it is empty or the socket is full. Takes what `send` put in
  /// the outbox first, so that many sends become few writes.
  func flush() {
    flushMarked = false
    guard state == .ready || state == .flushing else { return }
    takeIncoming()
    if writeWantsRead { return }  // OpenSSL must read first; the read source calls back
    while true {
      if pendingOffset == pending.count {
        if queuedChunks.isEmpty { break }
        mergeQueuedChunks()
      }
      let remaining = pending.count - pendingOffset
      let count = isTLS ? min(remaining, Connection.tlsWriteChunk) : remaining
      let result = pending.withUnsafeBytes { bytes in
        writeOnce(UnsafeRawBufferPointer(rebasing: bytes[pendingOffset..<pendingOffset + count]))
      }
      switch result {
      case .transferred(let written):
        pendingOffset += written
        if pendingOffset == pending.count { takeIncoming() }
        continue
      case .wantWrite:
        break
      case .wantRead:
        writeWantsRead = true
        updateReadInterest()
      case .endOfStream:
        finalize(state == .flushing ? .local : .remoteClosed)
        return
      case .failed(let text):
        finalize(state == .flushing ? .local : .error(text))
        return
      }
      break
    }
    let left = pending.count - pendingOffset + queuedChunkBytes
    if pendingOffset == pending.count {
      // Nothing is kept for reuse: an idle connection then holds no buffer, and the next
      // batch brings its own (see `Connection.send(_:)`).
      pendingOffset = 0
      pending = []
    }
    let drained = outbox.withLock { box -> Bool in
      box.queuedOnQueue = left
      return box.incoming.isEmpty
    }
    if state == .flushing && left == 0 && drained {
      finalize(.local)
      return
    }
    updateWriteInterest()
  }

  /// Moves bytes from the shared outbox to the queue's send queue, behind the queued chunks
  /// (which came first); without copying when nothing else is queued.
  ///
  /// Without the lock when `incomingWaiting` is clear: a `send` that happened before the
  /// caller's block was handed to the queue set it before that hand-off (the order
  /// `Connection.send(_:)` promises); one racing with the block marks the connection dirty,
  /// and its flush takes the bytes.
  func takeIncoming() {
    guard incomingWaiting.load(ordering: .acquiring) else { return }
    let incoming = outbox.withLock { box -> [UInt8] in
      incomingWaiting.store(false, ordering: .relaxed)
      box.flushScheduled = false
      let incoming = box.incoming
      box.incoming = []
      return incoming
    }
    if incoming.isEmpty { return }
    if pendingOffset == pending.count && queuedChunks.isEmpty {
      pending = incoming
      pendingOffset = 0
    } else {
      queuedChunks.append(incoming)
      queuedChunkBytes += incoming.count
    }
    let queued = pending.count - pendingOffset + queuedChunkBytes
    outbox.withLock { $0.queuedOnQueue = queued }
  }

  private func readOnce(_ buffer: UnsafeMutableRawBufferPointer) -> TransferResult {
    if ssl != nil { return tlsRead(buffer) }
    do {
      switch try Syscall.read(fd, buffer.baseAddress!, buffer.count) {
      case .processed(0): return .endOfStream
      case .processed(let count): return .transferred(count)
      case .wouldBlock: return .wantRead
      }
    } catch {
      return .failed(error.description)
    }
  }

  private func writeOnce(_ bytes: UnsafeRawBufferPointer) -> TransferResult {
    if ssl != nil { return tlsWrite(bytes) }
    do {
      switch try Syscall.write(fd, bytes.baseAddress!, bytes.count) {
      case .processed(let count): return .transferred(count)
      case .wouldBlock: return .wantWrite
      }
    } catch {
      return .failed(error.description)
    }
  }
}
