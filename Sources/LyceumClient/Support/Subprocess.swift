import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with `posix_spawn`, its standard streams on pipes, reaped with a
/// blocking `waitpid` on a thread of its own.
///
/// Not Foundation's `Process`: on Linux that learns of an exit through a manager thread's
/// SIGCHLD handling and the run loop of the thread that started it, and a wait from a thread
/// that does not run that loop (any Swift concurrency thread) can miss the exit for ever. That
/// hung the test suite in CI with a `tmux` already exited (a zombie nobody reaped). Here every
/// wait has a deadline, and the exit is known the moment `waitpid` returns.
///
/// The pipes are made close-on-exec before any other `Subprocess` can start a child (one lock
/// covers making them and spawning), so two processes started at once never hold each other's
/// pipes open, which would keep an end of file from ever arriving. (`pipe2` and
/// `posix_spawn_file_actions_addclosefrom_np` would do it without the lock, but Glibc's Swift
/// module does not show GNU extensions.)
public final class Subprocess: @unchecked Sendable {
  // `@unchecked Sendable`: every mutable field is guarded by `condition`.

  /// How a process ended.
  public enum Termination: Equatable, Sendable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)

    public var description: String {
      switch self {
      case .exited(let status): "exit status \(status)"
      case .signaled(let signal): "signal \(signal)"
      }
    }
  }

  /// Why a process could not be started.
  public struct SpawnFailed: Error, CustomStringConvertible {
    public let description: String
  }

  public let pid: pid_t
  public let executable: String
  private let condition = NSCondition()
  private var output: [UInt8] = []
  private var errorOutput: [UInt8] = []
  private var openStreams = 2
  private var ending: Termination?
  private var inputDescriptor: Int32

  /// Starts `executable` with `arguments`. `environment` entries are added to (or replace) this
  /// process's own. The child's signal dispositions and mask are the defaults, whatever this
  /// process ignores (a test ignoring SIGPIPE must not make `lyceumd` ignore it). With
  /// `inheritingInput` the child reads this process's standard input (a `password-cmd` that
  /// asks on the terminal), and `write` has nowhere to go.
  public init(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    inheritingInput: Bool = false
  ) throws {
    self.executable = executable
    var merged = ProcessInfo.processInfo.environment
    merged.merge(environment) { $1 }
    Self.spawnLock.lock()
    defer { Self.spawnLock.unlock() }
    let (inputRead, inputWrite) = try Self.pipe()
    let (outputRead, outputWrite) = try Self.pipe()
    let (errorRead, errorWrite) = try Self.pipe()
    defer { for fd in [inputRead, outputWrite, errorWrite] { close(fd) } }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if !inheritingInput { posix_spawn_file_actions_adddup2(&actions, inputRead, 0) }
    posix_spawn_file_actions_adddup2(&actions, outputWrite, 1)
    posix_spawn_file_actions_adddup2(&actions, errorWrite, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    sigfillset(&all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let argv = ([executable] + arguments).map { strdup($0) }
    let envp = merged.map { strdup("\($0.key)=\($0.value)") }
    defer { for pointer in argv + envp { free(pointer) } }
    var child: pid_t = 0
    let rc = posix_spawn(&child, executable, &actions, &attributes, argv + [nil], envp + [nil])
    guard rc == 0 else {
      for fd in [inputWrite, outputRead, errorRead] { close(fd) }
      throw SpawnFailed(description: "\(executable): \(String(cString: strerror(rc)))")
    }
    pid = child
    inputDescriptor = inputWrite
    startReading(outputRead, isError: false)
    startReading(errorRead, isError: true)
    startReaping()
  }

  deinit {
    if inputDescriptor >= 0 { close(inputDescriptor) }
  }

  /// Held while pipes are made and a child is spawned.
  private static let spawnLock = NSLock()

  /// A pipe whose two ends are closed on exec (called with `spawnLock` held).
  private static func pipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    guard Glibc.pipe(&fds) == 0 else {
      throw SpawnFailed(description: "pipe: \(String(cString: strerror(errno)))")
    }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return (fds[0], fds[1])
  }

  /// Reads `fd` to its end on a thread of its own into stdout's or stderr's buffer.
  private func startReading(_ fd: Int32, isError: Bool) {
    Thread.detachNewThread { [self] in
      var chunk = [UInt8](repeating: 0, count: 16384)
      while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        condition.lock()
        if count > 0 {
          if isError { errorOutput += chunk[0..<count] } else { output += chunk[0..<count] }
        } else {
          openStreams -= 1
        }
        condition.broadcast()
        condition.unlock()
        if count <= 0 { break }
      }
      close(fd)
    }
  }

  private func startReaping() {
    let pid = self.pid
    Thread.detachNewThread { [self] in
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0, errno == EINTR {}
      let termination: Termination =
        status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
      condition.lock()
      ending = termination
      condition.broadcast()
      condition.unlock()
    }
  }

  /// Standard output so far (decoded as UTF-8, invalid bytes replaced).
  public var standardOutput: String {
    condition.withLock { String(decoding: output, as: UTF8.self) }
  }

  /// Standard error so far.
  public var standardError: String {
    condition.withLock { String(decoding: errorOutput, as: UTF8.self) }
  }

  /// How the process ended, or nil while it runs.
  public var termination: Termination? { condition.withLock { ending } }

  /// Writes to the child's standard input.
  public func write(_ text: String) throws {
    let fd = condition.withLock { inputDescriptor }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        throw SpawnFailed(
          description: "write to \(executable): \(String(cString: strerror(errno)))")
      }
      bytes = bytes.dropFirst(written)
    }
  }

  /// Closes the child's standard input (it reads end of file).
  public func closeInput() {
    condition.withLock {
      if inputDescriptor >= 0 { close(inputDescriptor) }
      inputDescriptor = -1
    }
  }

  /// Sends `signal` to the process (nothing once it has been reaped).
  public func signal(_ number: Int32) {
    condition.withLock {
      if ending == nil { _ = kill(pid, number) }
    }
  }

  /// Waits until `predicate` holds for (stdout, stderr, termination) or the deadline passes;
  /// returns whether it held. Woken by every chunk of output and by the exit, never polled.
  public func wait(
    until deadline: ContinuousClock.Instant,
    _ predicate: (_ stdout: [UInt8], _ stderr: [UInt8], _ ending: Termination?) -> Bool
  ) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while !predicate(output, errorOutput, ending) {
      let left = deadline - ContinuousClock.now
      guard left > .zero else { return false }
      let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
      _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
    }
    return true
  }

  /// Waits for the exit; nil at the deadline. Once it has exited, waits up to a second more
  /// for its output streams to end, so what it wrote before exiting has been read (the reader
  /// threads may still be behind when `waitpid` returns); a grandchild holding them open does
  /// not delay it longer.
  public func waitForExit(timeout: Duration) -> Termination? {
    _ = wait(until: .now + timeout) { _, _, ending in ending != nil }
    guard let ending = termination else { return nil }
    _ = wait(until: .now + .seconds(1)) { _, _, _ in openStreams == 0 }
    return ending
  }

  /// Waits for the exit and for both output streams to end (a grandchild still holding them is
  /// given the rest of the time, then what arrived is what there is).
  public func waitForCompletion(timeout: Duration) -> Termination? {
    _ = wait(until: .now + timeout) { _, _, ending in
      ending != nil && openStreams == 0
    }
    return termination
  }

  /// Runs `executable` to its end (standard input empty unless inherited) and returns how it
  /// ended with its output; the process is killed if it outlives `timeout`.
  public static func run(
    _ executable: String, _ arguments: [String], inheritingInput: Bool = false,
    timeout: Duration = .seconds(30)
  ) throws -> (termination: Termination, standardOutput: String, standardError: String) {
    let process = try Subprocess(executable, arguments, inheritingInput: inheritingInput)
    process.closeInput()
    guard let termination = process.waitForCompletion(timeout: timeout) else {
      process.signal(SIGKILL)
      _ = process.waitForExit(timeout: .seconds(5))
      throw SpawnFailed(
        description:
          "\(executable) \(arguments.joined(separator: " ")) did not end within \(timeout)")
    }
    return (termination, process.standardOutput, process.standardError)
  }
}
