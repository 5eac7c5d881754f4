import CNcursesw
import Glibc

/// Puts the terminal back if the process dies of a signal: a crash must not leave the user's
/// shell in raw mode. (`endwin` is not async-signal-safe, but the process is ending anyway and
/// this is what ncurses programs do.)
enum TerminalRestorer {
  static func install() {
    for signal in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = { number in
        endwin()
        Glibc.signal(number, SIG_DFL)
        raise(number)
      }
      sigaction(signal, &action, nil)
    }
  }
}
