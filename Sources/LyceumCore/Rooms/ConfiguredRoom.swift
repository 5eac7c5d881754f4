/// A room the server's configuration asks for (`rooms:` in the YAML): created at start-up and
/// at each reload when it is not registered yet, owned by the server (`ServerOwnedRoom`), so
/// that the rooms the MOTD names exist before anyone joins and belong to no visitor.
public struct ConfiguredRoom: Sendable, Equatable {
  /// The channel name (`#lobby`).
  public var name: String
  public var topic: String?
  public var description: String?
  public var kind: RoomKind?
  /// The simple modes it starts with (`+nt` unless the configuration says otherwise).
  public var modes: ChannelModes
  /// Institution globs (`Uppsala*`): the room starts `+i` with `+I $i:<glob>` for each.
  public var openTo: [String]
  /// Account names made operators by account of the room, besides IRC operators.
  public var operators: [String]

  public init(
    name: String, topic: String? = nil, description: String? = nil, kind: RoomKind? = nil,
    modes: ChannelModes = ChannelModes(), openTo: [String] = [], operators: [String] = []
  ) {
    self.name = name
    self.topic = topic
    self.description = description
    self.kind = kind
    self.modes = modes
    self.openTo = openTo
    self.operators = operators
  }
}
