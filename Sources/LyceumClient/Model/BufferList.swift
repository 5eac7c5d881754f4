/// Every buffer the client has, in the order the buffer list shows them: the server buffer
/// first, then rooms and conversations in the order they were opened, each thread view right
/// after its room. One of them is active (on screen).
public struct BufferList: Equatable, Sendable {
  public private(set) var order: [BufferKey] = [.server]
  public private(set) var buffers: [BufferKey: ChatBuffer] = [
    .server: ChatBuffer(name: "*", kind: .server)
  ]
  /// The buffer on screen.
  public private(set) var activeKey: BufferKey = .server

  public init() {}

  /// The buffers in display order.
  public var ordered: [ChatBuffer] { order.compactMap { buffers[$0] } }

  public var active: ChatBuffer { buffers[activeKey]! }

  public subscript(key: BufferKey) -> ChatBuffer? {
    get { buffers[key] }
    set {
      guard let newValue else { return remove(key) }
      if buffers[key] == nil { add(key) }
      buffers[key] = newValue
    }
  }

  /// The buffer for `key`, made with `name` and `kind` if there is none.
  public mutating func open(_ key: BufferKey, name: String, kind: ChatBuffer.Kind) {
    if buffers[key] == nil {
      buffers[key] = ChatBuffer(name: name, kind: kind)
      add(key)
    }
  }

  /// Changes one buffer in place (creating nothing).
  public mutating func update(_ key: BufferKey, _ change: (inout ChatBuffer) -> Void) {
    guard var buffer = buffers[key] else { return }
    buffers[key] = nil
    change(&buffer)
    buffers[key] = buffer
  }

  /// Puts `key` on screen, if it exists.
  public mutating func activate(_ key: BufferKey) {
    if buffers[key] != nil { activeKey = key }
  }

  /// Closes a buffer (never the server buffer); the one before it becomes active.
  public mutating func remove(_ key: BufferKey) {
    guard key != .server, let index = order.firstIndex(of: key) else { return }
    order.remove(at: index)
    buffers[key] = nil
    // A room's thread views go with it.
    if key.root == nil {
      let threads = order.filter { $0.folded == key.folded && $0.root != nil }
      for thread in threads { remove(thread) }
    }
    if buffers[activeKey] == nil { activeKey = order[max(0, min(index, order.count) - 1)] }
  }

  /// The key `offset` places from the active one in display order, wrapping around.
  public func key(offsetFromActive offset: Int) -> BufferKey {
    guard let index = order.firstIndex(of: activeKey), !order.isEmpty else { return .server }
    let count = order.count
    return order[((index + offset) % count + count) % count]
  }

  /// The next buffer after the active one (wrapping) whose counts satisfy `predicate`.
  public func nextKey(where predicate: (ChatBuffer) -> Bool) -> BufferKey? {
    guard let index = order.firstIndex(of: activeKey) else { return nil }
    for step in 1..<max(order.count, 1) {
      let key = order[(index + step) % order.count]
      if let buffer = buffers[key], predicate(buffer) { return key }
    }
    return nil
  }

  private mutating func add(_ key: BufferKey) {
    guard !order.contains(key) else { return }
    if key.root != nil, let parent = order.lastIndex(where: { $0.folded == key.folded }) {
      order.insert(key, at: parent + 1)
    } else {
      order.append(key)
    }
  }
}
