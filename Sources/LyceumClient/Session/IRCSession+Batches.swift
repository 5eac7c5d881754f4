import LyceumProtocol

/// A `BATCH` the server opened and has not closed yet.
struct OpenBatch: Sendable {
  var type: String
  var params: [String]
  /// The batch this one is nested in.
  var parent: String?
  /// The label of a `labeled-response` batch.
  var label: String?
  /// The `BATCH +` line itself: its tags and source are a multiline message's own.
  var opening: IRCMessage
  var lines: [IRCMessage] = []
  /// Bytes of text held (bounded for `draft/multiline`, see `maximumMultilineBytes`).
  var textBytes = 0
  /// A multiline message past the bounds: later lines are dropped, the text is marked cut.
  var isCut = false
}

/// Why a label was sent: what to do with its answer.
enum LabelPurpose: Sendable, Equatable {
  /// A message whose acceptance (its echo) or refusal is reported (`lyceum post` waits for it).
  case message
}

/// A history request waiting for its batch, in the order sent (the server answers in order).
enum HistoryRequest: Sendable, Equatable {
  case latest(limit: Int)
  case before(limit: Int)
  case after(limit: Int)
}

extension IRCSession {
  /// The most lines one collected batch may hold (a history page is at most a few hundred).
  public static let maximumBatchLines = 10_000
  /// The most batches open at once, and labels waiting, before the oldest are forgotten.
  static let maximumOpenBatches = 64

  /// Batch types whose lines are held until the batch ends and then applied as a whole.
  static let collectedBatchTypes: Set<String> = [
    "chathistory", "draft/chathistory-targets", "lyceum.chat/threads", "lyceum.chat/thread",
    "soju.im/search", "draft/multiline",
  ]

  /// Whether lines tagged with batch `id` are held (it, or a batch it is nested in, collects).
  func collectsLines(batch id: String) -> Bool {
    var current: String? = id
    while let name = current, let batch = openBatches[name] {
      if Self.collectedBatchTypes.contains(batch.type) { return true }
      current = batch.parent
    }
    return false
  }

  mutating func handleBatch(_ message: IRCMessage, now: Int64, _ out: inout [SessionEvent]) {
    guard let reference = message.params.first, reference.count > 1 else { return }
    let id = String(reference.dropFirst())
    if reference.first == "+" {
      let parentTag = message.tag("batch") ?? nil
      var label = message.tag("label") ?? nil
      if label == nil, let parentTag { label = openBatches[parentTag]?.label }
      if openBatches.count >= Self.maximumOpenBatches { openBatches.removeAll() }
      openBatches[id] = OpenBatch(
        type: message.params.count > 1 ? message.params[1] : "",
        params: Array(message.params.dropFirst(2)), parent: parentTag, label: label,
        opening: message)
      return
    }
    guard reference.first == "-", let batch = openBatches.removeValue(forKey: id) else { return }
    switch batch.type {
    case "chathistory": applyHistory(batch, now: now, &out)
    case "draft/chathistory-targets": applyTargets(batch, now: now, &out)
    case "lyceum.chat/threads": applyThreadList(batch, now: now)
    case "lyceum.chat/thread": applyThread(batch, now: now, &out)
    case "soju.im/search": applySearch(batch, now: now)
    case "draft/multiline": finishMultiline(batch, now: now, &out)
    case "labeled-response":
      if let label = batch.label, pendingLabels[label] != nil {
        // Everything in it was handled line by line; a batch with no refusal is a success.
        pendingLabels[label] = nil
        out.append(.labelAnswered(label: label, accepted: true, reason: ""))
      }
    default: break
    }
  }

  /// Resolves a label on a single-line answer (`ACK`, the echo, or an error).
  mutating func noteLabel(_ message: IRCMessage, _ out: inout [SessionEvent]) {
    var label = message.tag("label") ?? nil
    if label == nil, let batchTag = message.tag("batch") ?? nil {
      label = openBatches[batchTag]?.label
    }
    guard let label, pendingLabels[label] != nil else { return }
    let command = message.uppercasedCommand
    let insideBatch = (message.tag("batch") ?? nil) != nil
    if command == "FAIL" || Self.isErrorNumeric(command) {
      pendingLabels[label] = nil
      let reason = message.params.last ?? command
      out.append(.labelAnswered(label: label, accepted: false, reason: reason))
    } else if !insideBatch {
      pendingLabels[label] = nil
      out.append(.labelAnswered(label: label, accepted: true, reason: ""))
    }
  }

  /// `4xx` and `5xx` numerics are errors.
  static func isErrorNumeric(_ command: String) -> Bool {
    guard command.count == 3, let code = Int(command) else { return false }
    return (400..<600).contains(code)
  }
}
