import Foundation
import LyceumCore
import LyceumProtocol
import LyceumStore

/// What `lyceumd export` does: writes a room's history, or one thread of it, for the records,
/// as JSON Lines or as a Markdown transcript, over any `HistoryStore`, so that it is tested
/// without a process.
///
/// Entries are read in pages of `pageSize` and written as they come, so a large room is never
/// held in memory. Replies are threaded by the store's rule (`HistoryThread`): a reply to an
/// earlier message of the export joins that message's thread.
public struct HistoryExport: Sendable {
  /// The output formats.
  public enum Format: String, CaseIterable, Sendable {
    /// One JSON object per line and entry (see `jsonLine(_:threadRoot:)`).
    case jsonl
    /// A readable transcript: a header, one line per entry, times in UTC, replies quoted.
    case markdown
  }

  public let store: any HistoryStore
  /// Entries read per store call.
  public let pageSize: Int
  let caseMapping = CaseMapping.rfc1459
  let now: @Sendable () -> Int64

  public init(
    store: any HistoryStore, pageSize: Int = 1000,
    now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.store = store
    self.pageSize = max(1, pageSize)
    self.now = now
  }

  /// An export of the server's database in `dataDirectory`, which must exist.
  public static func open(dataDirectory: String) throws -> HistoryExport {
    let path = dataDirectory + "/" + LyceumDatabase.fileName
    guard FileManager.default.fileExists(atPath: path) else {
      throw HistoryExportError.noDatabase(path)
    }
    do {
      return HistoryExport(
        store: SQLiteHistoryStore(database: try LyceumDatabase(path: path)))
    } catch {
      throw HistoryExportError.storage("\(error)")
    }
  }

  /// Writes the history of `channel` (or of the thread of `thread` in it) in `format`, in
  /// pieces handed to `write`; returns how many entries were written.
  @discardableResult
  public func export(
    channel: String, thread: String? = nil, format: Format, to write: (String) throws -> Void
  ) throws -> Int {
    guard let first = channel.first, first == "#" || first == "&", channel.count > 1,
      !channel.contains(" "), !channel.contains(",")
    else { throw HistoryExportError.invalidChannel(channel) }
    let target = HistoryTarget.channel(caseMapping.fold(channel))
    var writer = Writer(format: format, channel: channel, thread: thread)
    var count = 0
    var after: HistoryReference = .timestamp(Int64.min)
    while true {
      let query = HistoryQuery(
        target: target, selector: .after(after), limit: pageSize, messagesOnly: false)
      let page: [HistoryEntry]
      do {
        page =
          if let thread {
            try store.threadEntries(root: thread, query: query)
          } else {
            try store.entries(query)
          }
      } catch {
        throw HistoryExportError.storage("\(error)")
      }
      if count == 0 {
        if let thread, page.isEmpty { throw HistoryExportError.unknownThread(thread, channel) }
        try write(writer.header(exportedAt: now(), first: page.first))
      }
      for entry in page { try write(writer.line(entry)) }
      count += page.count
      guard page.count == pageSize, let last = page.last else { break }
      after = .msgid(last.msgid)
    }
    if let footer = writer.footer(count: count) { try write(footer) }
    return count
  }
}

/// Why an export failed; `description` is the message `lyceumd` prints.
public enum HistoryExportError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidChannel(String)
  case unknownThread(String, String)
  case noDatabase(String)
  case storage(String)
  /// The output could not be written.
  case output(String)

  /// True when the command line was wrong (exit status 64) rather than the data.
  public var isUsageError: Bool {
    switch self {
    case .invalidChannel, .unknownThread: true
    default: false
    }
  }

  public var description: String {
    switch self {
    case .invalidChannel(let name): "invalid channel '\(name)': a name starting with # or &"
    case .unknownThread(let root, let channel): "no thread '\(root)' in \(channel)"
    case .noDatabase(let path): "no database at \(path)"
    case .storage(let text): "storage: \(text)"
    case .output(let text): "output: \(text)"
    }
  }
}

/// Where an export goes: standard output, or a new file created owner-only (history is
/// private).
public final class ExportOutput {
  private let handle: FileHandle
  private let ownsHandle: Bool

  /// Standard output when `path` is nil; otherwise creates (or truncates) the file.
  public init(path: String?) throws {
    guard let path else {
      handle = FileHandle.standardOutput
      ownsHandle = false
      return
    }
    guard
      FileManager.default.createFile(
        atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
      let handle = FileHandle(forWritingAtPath: path)
    else { throw HistoryExportError.output("cannot create \(path)") }
    self.handle = handle
    ownsHandle = true
  }

  public func write(_ text: String) throws {
    do {
      try handle.write(contentsOf: Data(text.utf8))
    } catch {
      throw HistoryExportError.output("\(error)")
    }
  }

  public func close() throws {
    guard ownsHandle else { return }
    do { try handle.close() } catch { throw HistoryExportError.output("\(error)") }
  }
}
