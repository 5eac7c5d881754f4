import Dispatch
import Logging
import LyceumCore

/// Writes the core's changes to a store in order, on a serial queue of its own: registered
/// rooms and read markers.
///
/// Unlike history, this state is not held back until it is durable: a change is shown at once
/// and written soon after. A failed write is logged and the running server keeps the state in
/// memory; the next change to the same room or marker writes it again (rooms are saved whole,
/// and the marker store keeps the newer time).
final class StoreWriter: Sendable {
  private let queue: DispatchQueue
  private let logger: Logger
  /// What is written, for the log ("a room change").
  private let what: String
  /// Stores one event; ignores the events that are not its kind.
  private let apply: @Sendable (CoreEvent) throws -> Void

  init(
    label: String, writing what: String, logger: Logger,
    apply: @escaping @Sendable (CoreEvent) throws -> Void
  ) {
    queue = DispatchQueue(label: label)
    self.what = what
    self.logger = logger
    self.apply = apply
  }

  /// Writes `roomChanged` and `roomDeleted` events to `store`.
  static func rooms(_ store: any RoomStore, logger: Logger) -> StoreWriter {
    StoreWriter(label: "lyceum.rooms", writing: "a room change", logger: logger) { event in
      switch event {
      case .roomChanged(let record): try store.save(record)
      case .roomDeleted(let foldedName): try store.delete(foldedName: foldedName)
      default: break
      }
    }
  }

  /// Writes `readMarkerChanged` events to `store`.
  static func readMarkers(_ store: any ReadMarkerStore, logger: Logger) -> StoreWriter {
    StoreWriter(label: "lyceum.read-markers", writing: "a read marker", logger: logger) { event in
      guard case .readMarkerChanged(let account, let target, let milliseconds) = event else {
        return
      }
      try store.save(ReadMarker(account: account, target: target, milliseconds: milliseconds))
    }
  }

  /// Queues the write of `event`.
  func write(_ event: CoreEvent) {
    queue.async { [apply, logger, what] in
      do {
        try apply(event)
      } catch {
        logger.error("could not store \(what): \(error)")
      }
    }
  }

  /// Waits until every queued write is done (at shutdown).
  func waitUntilWritten() {
    queue.sync {}
  }
}
