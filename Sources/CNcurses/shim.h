#ifndef KUBE9_CNCURSES_SHIM_H
#define KUBE9_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>
#include <sys/ioctl.h>
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
static inline int kube9_color_pairs(void) { return COLOR_PAIRS; }
int wcwidth(wchar_t c);

/* Sets attributes and colour pair of stdscr (wattr_set may be a macro). */
static inline int kube9_attr_set(attr_t attrs, short pair) { return wattr_set(stdscr, attrs, pair, NULL); }

/* The terminal's size from the kernel (after SIGWINCH), or -1. */
static inline int kube9_terminal_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

/* Mouse reports on (clicks, double clicks, wheel) or off. */
static inline void kube9_mouse(int on) {
    /* Clicks only (a press and its release made one), so a click is never handled twice. */
    mousemask(on ? (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON3_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
}

/* The pending mouse event: 1 click, 2 double click, 3 wheel up, 4 wheel down, 5 right click, 0 other; -1 none. */
static inline int kube9_read_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    *x = event.x;
    *y = event.y;
    mmask_t b = event.bstate;
    if (b & BUTTON1_DOUBLE_CLICKED) return 2;
    if (b & BUTTON1_CLICKED) return 1;
    if (b & BUTTON4_PRESSED) return 3;
    if (b & BUTTON5_PRESSED) return 4;
    if (b & BUTTON3_CLICKED) return 5;
    return 0;
}

/* 1 when the current locale's character set is UTF-8. */
static inline int kube9_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
#endif
