#ifndef DLBOARD_CNCURSESW_SHIM_H
#define DLBOARD_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <langinfo.h>
#include <ncursesw/curses.h>
/* Function-like and cast-using macros do not import into Swift: wrap them. */
static inline int dl_key_f(int n) { return KEY_F(n); }
static inline WINDOW *dl_stdscr(void) { return stdscr; }
static inline int dl_lines(void) { return LINES; }
static inline int dl_cols(void) { return COLS; }
static inline int dl_colors(void) { return COLORS; }
static inline int dl_color_pairs(void) { return COLOR_PAIRS; }
static inline unsigned int dl_a_bold(void) { return A_BOLD; }
static inline unsigned int dl_a_reverse(void) { return A_REVERSE; }
static inline unsigned int dl_a_dim(void) { return A_DIM; }
static inline unsigned int dl_a_underline(void) { return A_UNDERLINE; }
#endif
