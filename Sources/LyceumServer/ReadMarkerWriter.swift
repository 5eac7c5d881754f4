import Dispatch
import Logging
import LyceumCore

/// Writes moved read markers to the read-marker store, in order, on a serial queue of its own.
///
/// Like rooms, a marker is shown at once and written soon after; a failed write is logged and
/// the running server keeps the marker in memory (the store keeps the newer time, so a later
/// write of the same marker repairs it).
final class ReadMarkerWriter: Sendable {
  private let store: any ReadMarkerStore
  private let logger: Logger
  private let queue = DispatchQueue(label: "lyceum.read-markers")

  init(store: any ReadMarkerStore, logger: Logger) {
    self.store = store
    self.logger = logger
  }

  /// Queues the write for a `readMarkerChanged` event; ignores other events.
  func write(_ event: CoreEvent) {
    guard case .readMarkerChanged(let account, let target, let milliseconds) = event else {
      return
    }
    queue.async { [store, logger] in
      do {
        try store.save(ReadMarker(account: account, target: target, milliseconds: milliseconds))
      } catch {
        logger.error("could not store a read marker: \(error)")
      }
    }
  }

  /// Waits until every queued write is done (at shutdown).
  func waitUntilWritten() {
    queue.sync {}
  }
}
