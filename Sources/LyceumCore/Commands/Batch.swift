import LyceumProtocol

/// `BATCH +<id> draft/multiline <target>` … `BATCH -<id>`: a client's multiline message
/// (IRCv3 draft/multiline). The lines in between carry `batch=<id>` and are collected by
/// `receiveBatchedLine`; the closing `BATCH` checks and sends the whole message as one.
extension IRCServerCore {
  func handleBatch(_ client: Client, _ message: IRCMessage, _ replies: inout Replies) {
    let reference = message.params[0]
    if reference.hasPrefix("+") && reference.count > 1 {
      openMultiline(String(reference.dropFirst()), message, &replies)
    } else if reference.hasPrefix("-") && reference.count > 1 {
      closeMultiline(client, String(reference.dropFirst()), &replies)
    } else {
      failBatch("MULTILINE_INVALID", description: "Invalid batch reference", &replies)
    }
  }

  private func openMultiline(_ id: String, _ message: IRCMessage, _ replies: inout Replies) {
    let session = replies.session
    guard message.params.count >= 2, message.params[1] == "draft/multiline" else {
      replies.standardReply(
        .fail, command: "BATCH", code: "UNKNOWN_TYPE",
        context: message.params.count >= 2 ? [message.params[1]] : [],
        description: "Only draft/multiline batches may be sent")
      return
    }
    guard session.capabilities.contains(.multiline) else {
      failBatch("MULTILINE_INVALID", description: "draft/multiline is not enabled", &replies)
      return
    }
    guard message.params.count >= 3 else {
      failBatch("MULTILINE_INVALID", description: "A multiline batch needs a target", &replies)
      return
    }
    var batch = OpenMultilineBatch(
      id: id, target: message.params[2], clientTags: message.tags.filter(\.isClientOnly),
      label: labelIfApplicable(message, session: session), openedAt: clock.monotonicNow())
    if session.multiline != nil {
      // Neither batch is sent: the new one is dropped quietly, the old one is forgotten.
      failBatch(
        "MULTILINE_INVALID", description: "Another multiline batch is still open", &replies)
      batch.failed = true
    } else {
      // The batch's answer comes with its end, under this label.
      replies.labelDeferred = batch.label != nil
    }
    session.multiline = batch
  }

  /// A line with a `batch` tag: collected into the open multiline batch it names, or refused.
  func receiveBatchedLine(_ message: IRCMessage, batchID: String, _ replies: inout Replies) {
    let session = replies.session
    guard var batch = session.multiline, batch.id == batchID else {
      failBatch("MULTILINE_INVALID", description: "No such batch is open", &replies)
      return
    }
    guard !batch.failed else { return }
    defer { session.multiline = batch }
    guard message.uppercasedCommand == "PRIVMSG" else {
      refuse(
        &batch, "MULTILINE_INVALID", description: "Only PRIVMSG may be in a multiline batch",
        &replies)
      return
    }
    let target = message.params.first ?? ""
    guard fold(target) == fold(batch.target) else {
      refuse(
        &batch, "MULTILINE_INVALID_TARGET", context: [batch.target, target.isEmpty ? "*" : target],
        description: "Invalid multiline target", &replies)
      return
    }
    let text = message.params.count > 1 ? message.params[1] : ""
    let concatenates = message.tag("draft/multiline-concat") != nil
    guard !(concatenates && text.isEmpty) else {
      refuse(&batch, "MULTILINE_INVALID", description: "A blank line cannot concatenate", &replies)
      return
    }
    let bytes = text.utf8.count + (batch.lines.isEmpty || concatenates ? 0 : 1)
    guard batch.byteCount + bytes <= MultilineLimits.maxBytes else {
      refuse(
        &batch, "MULTILINE_MAX_BYTES", context: [String(MultilineLimits.maxBytes)],
        description: "Multiline batch max-bytes exceeded", &replies)
      return
    }
    guard batch.lines.count < MultilineLimits.maxLines else {
      refuse(
        &batch, "MULTILINE_MAX_LINES", context: [String(MultilineLimits.maxLines)],
        description: "Multiline batch max-lines exceeded", &replies)
      return
    }
    batch.byteCount += bytes
    batch.lines.append(
      MultilineLine(text, concatenates: concatenates && !batch.lines.isEmpty))
  }

  private func closeMultiline(_ client: Client, _ id: String, _ replies: inout Replies) {
    let session = replies.session
    guard let batch = session.multiline, batch.id == id else {
      failBatch("MULTILINE_INVALID", description: "No such batch is open", &replies)
      return
    }
    session.multiline = nil
    guard !batch.failed else { return }
    replies.labelOverride = batch.label
    guard batch.lines.contains(where: { !$0.isBlank }) else {
      failBatch("MULTILINE_INVALID", description: "A multiline message cannot be blank", &replies)
      return
    }
    sendMultiline(client, target: batch.target, clientTags: batch.clientTags, batch.lines, &replies)
  }

  /// Drops a batch after a `FAIL BATCH`: its lines are freed, its further lines ignored.
  private func refuse(
    _ batch: inout OpenMultilineBatch, _ code: String, context: [String] = [],
    description: String, _ replies: inout Replies
  ) {
    batch.failed = true
    batch.lines = []
    failBatch(code, context: context, description: description, &replies)
  }

  func failBatch(
    _ code: String, context: [String] = [], description: String, _ replies: inout Replies
  ) {
    replies.standardReply(
      .fail, command: "BATCH", code: code, context: context, description: description)
  }

  /// A multiline batch left open past `MultilineLimits.timeout` is dropped, with a `FAIL`.
  func expireMultiline(_ session: Session, now: Duration) {
    guard let batch = session.multiline, now - batch.openedAt >= MultilineLimits.timeout
    else { return }
    session.multiline = nil
    guard !batch.failed else { return }
    reply(to: session) { replies in
      replies.standardReply(
        .fail, command: "BATCH", code: "MULTILINE_INVALID",
        description: "Multiline batch timed out")
    }
  }
}
