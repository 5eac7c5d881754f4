import COpenSSL
import Dispatch
import Logging

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Start, close and the Dispatch sources. Every method here runs on `queue`.
extension Connection {
  func startOnQueue() {
    guard state == .created else { return }
    if isTLS {
      // The handshake's time runs from accept, waiting for a slot included: a socket that
      // says nothing costs at most this long, however busy the handshake slots are.
      startTimer(after: limits.handshakeTimeout) { connection in
        if connection.state == .handshaking || connection.state == .awaitingHandshake {
          connection.finalize(.handshakeTimeout)
        }
      }
      if !loop.acquireHandshakeSlot(for: self) {
        state = .awaitingHandshake
        return
      }
    }
    begin()
  }

  /// On `queue`, when a waiting connection gets a handshake slot (see `IOLoop`).
  func beginHandshake() {
    guard state == .awaitingHandshake else {
      // Closed while it waited: the slot goes to the next one.
      loop.releaseHandshakeSlot(address: remoteAddress)
      return
    }
    begin()
  }

  private func begin() {
    // No write source yet: most connections never fill their socket buffer, so the write
    // source (and the descriptor it needs, see `makeWriteSource`) is made the first time a
    // write would block. An idle connection costs one descriptor.
    let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
    read.setEventHandler { self.handleReadable() }
    read.setCancelHandler { self.sourceCancelled() }
    readSource = read

    if isTLS {
      state = .handshaking
      holdsHandshakeSlot = true
      read.activate()
    } else {
      state = .ready
      read.activate()
      updateReadInterest()
      handler?.connectionDidBecomeReady(self)
      if state == .ready { flush() }
    }
  }

  func closeOnQueue(flushingFirst: Bool) {
    switch state {
    case .ready where flushingFirst:
      state = .flushing
      outbox.withLock { $0.closed = true }
      startTimer(after: Connection.flushTimeout) { connection in
        if connection.state == .flushing { connection.finalize(.local) }
      }
      updateReadInterest()
      flush()
    case .closed, .flushing:
      return
    default:
      finalize(.local)
    }
  }

  /// Ends the connection: cancels timers and sources, tells the handler once, and releases the
  /// `SSL` and the descriptor after both sources' cancel handlers ran.
  func finalize(_ reason: CloseReason) {
    if state == .closed { return }
    let handshakeDone = state == .ready || state == .flushing
    state = .closed
    releaseHandshakeSlotIfHeld()
    outbox.withLock {
      $0.closed = true
      $0.incoming = []
      $0.queuedOnQueue = 0
    }
    timer?.cancel()
    timer = nil
    pending = []
    pendingOffset = 0
    queuedChunks = []
    queuedChunkBytes = 0
    if let ssl, handshakeDone, reason == .local || reason == .remoteClosed {
      // Best effort close_notify; never waits.
      ERR_clear_error()
      _ = SSL_shutdown(ssl)
      ERR_clear_error()
    }
    logger.debug(
      "connection closed", metadata: ["connection": "\(id.raw)", "reason": "\(reason)"])
    if let readSource {
      if readSourceSuspended { readSource.resume() }
      readSourceSuspended = false
      readSource.cancel()
      if let writeSource {
        if writeSourceSuspended { writeSource.resume() }
        writeSourceSuspended = false
        writeSource.cancel()
      }
    } else {
      releaseResources()
    }
    let handler = self.handler
    self.handler = nil
    handler?.connectionDidClose(self, reason: reason)
  }

  private func sourceCancelled() {
    cancelledSources += 1
    if cancelledSources == (writeSource == nil ? 1 : 2) {
      // Break the source -> handler -> connection cycles.
      readSource = nil
      writeSource = nil
      releaseResources()
    }
  }

  /// Frees the `SSL` and closes the descriptor, once.
  func releaseResources() {
    if resourcesReleased { return }
    resourcesReleased = true
    if let ssl {
      SSL_free(ssl)
      self.ssl = nil
    }
    Syscall.close(fd)
    if writeWatchFD >= 0 {
      Syscall.close(writeWatchFD)
      writeWatchFD = -1
    }
  }

  private func startTimer(after delay: Duration, _ fire: @escaping (Connection) -> Void) {
    timer?.cancel()
    let timer = DispatchSource.makeTimerSource(queue: queue)
    timer.schedule(deadline: .now() + .nanoseconds(delay.nanosecondsClamped))
    timer.setEventHandler { fire(self) }
    timer.activate()
    self.timer = timer
  }

  func cancelTimer() {
    timer?.cancel()
    timer = nil
  }

  /// Makes the read source's suspension match what the connection needs now.
  func updateReadInterest() {
    guard let readSource else { return }
    let wanted: Bool
    switch state {
    case .handshaking: wanted = true
    case .flushing: wanted = !inputEnded
    case .ready:
      wanted = !inputEnded && (writeWantsRead || !pauseRequested.load(ordering: .relaxed))
    case .created, .awaitingHandshake, .closed: return
    }
    if wanted && readSourceSuspended {
      readSourceSuspended = false
      readSource.resume()
    } else if !wanted && !readSourceSuspended {
      readSourceSuspended = true
      readSource.suspend()
    }
  }

  /// Makes the write source's suspension match what the connection needs now: it runs only
  /// while output is pending or OpenSSL wants to write.
  func updateWriteInterest() {
    let wanted: Bool
    switch state {
    case .handshaking: wanted = handshakeWantsWrite
    case .ready, .flushing:
      wanted =
        readWantsWrite
        || (!writeWantsRead && (pendingOffset < pending.count || !queuedChunks.isEmpty))
    case .created, .awaitingHandshake, .closed: return
    }
    guard let writeSource = writeSource ?? (wanted ? makeWriteSource() : nil) else { return }
    if wanted && writeSourceSuspended {
      writeSourceSuspended = false
      writeSource.resume()
    } else if !wanted && !writeSourceSuspended {
      writeSourceSuspended = true
      writeSource.suspend()
    }
  }

  /// Makes the write source, suspended, the first time a write would block; nil (after
  /// closing the connection) when no descriptor is left for it.
  ///
  /// It watches a dup() of the socket. libdispatch's epoll backend (checked on this platform)
  /// keeps one registration per descriptor number for read and write sources; registering one
  /// direction while the other is disarmed mid-event drops the other direction for good, and
  /// the connection then stalls (seen as rare handshake timeouts). Separate descriptors give
  /// separate registrations.
  private func makeWriteSource() -> DispatchSourceWrite? {
    writeWatchFD = fcntl(fd, F_DUPFD_CLOEXEC, 0)
    if writeWatchFD < 0 {
      finalize(.error(TransportError.posix("fcntl(F_DUPFD_CLOEXEC)", errno).description))
      return nil
    }
    let write = DispatchSource.makeWriteSource(fileDescriptor: writeWatchFD, queue: queue)
    write.setEventHandler { self.handleWritable() }
    write.setCancelHandler { self.sourceCancelled() }
    writeSource = write
    // Activated, then suspended until wanted; a stale event after a suspension is ignored by
    // `handleWritable`.
    write.activate()
    write.suspend()
    writeSourceSuspended = true
    return write
  }

  /// Hands the handshake slot back once the handshake has ended, one way or the other.
  func releaseHandshakeSlotIfHeld() {
    guard holdsHandshakeSlot else { return }
    holdsHandshakeSlot = false
    loop.releaseHandshakeSlot(address: remoteAddress)
  }
}
