#ifndef KUBE9_CNCURSES_SHIM_H
#define KUBE9_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Globals and macros Swift 6 cannot import, behind accessor functions. */
static inline WINDOW *kube9_stdscr(void) { return stdscr; }
static inline int kube9_lines(void) { return LINES; }
static inline int kube9_cols(void) { return COLS; }
static inline attr_t kube9_attr_bold(void) { return A_BOLD; }
static inline attr_t kube9_attr_reverse(void) { return A_REVERSE; }
static inline attr_t kube9_attr_dim(void) { return A_DIM; }
static inline attr_t kube9_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t kube9_attr_normal(void) { return A_NORMAL; }
static inline int kube9_key_f(int n) { return KEY_F(n); }
static inline FILE *kube9_stdin(void) { return stdin; }
static inline FILE *kube9_stdout(void) { return stdout; }
int wcwidth(wchar_t c);
#endif
