// ncursesw for Swift. The wide-character API needs these defines before the header; they live
// here because SwiftPM refuses the flags `pkg-config ncursesw` would add.
#ifndef LYCEUM_CNCURSESW_SHIM_H
#define LYCEUM_CNCURSESW_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#define NCURSES_WIDECHAR 1

#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <sys/ioctl.h>
#include <unistd.h>

// Globals and function-like macros Swift cannot import.
static inline WINDOW *lyc_stdscr(void) { return stdscr; }
static inline int lyc_lines(void) { return LINES; }
static inline int lyc_cols(void) { return COLS; }
static inline int lyc_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int lyc_a_bold(void) { return (int)A_BOLD; }
static inline int lyc_a_reverse(void) { return (int)A_REVERSE; }
static inline int lyc_a_underline(void) { return (int)A_UNDERLINE; }
static inline int lyc_a_dim(void) { return (int)A_DIM; }
static inline int lyc_a_italic(void) { return (int)A_ITALIC; }
static inline int lyc_key_resize(void) { return KEY_RESIZE; }
static inline int lyc_colors(void) { return COLORS; }
static inline int lyc_color_pairs(void) { return COLOR_PAIRS; }
static inline int lyc_key_code_yes(void) { return KEY_CODE_YES; }

// The terminal's size from the kernel, for SIGWINCH (ncurses' own handler is not used).
static inline int lyc_terminal_size(int *rows, int *cols) {
  struct winsize size;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) return -1;
  *rows = size.ws_row;
  *cols = size.ws_col;
  return 0;
}

#endif
