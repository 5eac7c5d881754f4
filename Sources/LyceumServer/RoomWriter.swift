import Dispatch
import Logging
import LyceumCore

/// Writes registered rooms' changes to the room store, in order, on a serial queue of its own.
///
/// Room state is not held back like history: a change is shown at once and written soon after.
/// A failed write is logged and the running server keeps the state in memory; the next change
/// to the same room writes all of it again.
final class RoomWriter: Sendable {
  private let store: any RoomStore
  private let logger: Logger
  private let queue = DispatchQueue(label: "lyceum.rooms")

  init(store: any RoomStore, logger: Logger) {
    self.store = store
    self.logger = logger
  }

  /// Queues the write for a `roomChanged` or `roomDeleted` event; ignores other events.
  func write(_ event: CoreEvent) {
    queue.async { [store, logger] in
      do {
        switch event {
        case .roomChanged(let record): try store.save(record)
        case .roomDeleted(let foldedName): try store.delete(foldedName: foldedName)
        default: break
        }
      } catch {
        logger.error("could not store a room change: \(error)")
      }
    }
  }

  /// Waits until every queued write is done (at shutdown).
  func waitUntilWritten() {
    queue.sync {}
  }
}
