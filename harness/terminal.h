/* terminal.h - the terminal on stderr, as the status line needs it: its
 * size, whether it can redraw a line, and its bottom row kept for one
 * line while everything else scrolls above it.  Used by progress.c. */
#ifndef SB_TERMINAL_H
#define SB_TERMINAL_H

/* The size of the terminal on stderr; 0 and 0 when it cannot say. */
void terminal_size(int *width, int *height);

/* A terminal that can move its cursor: not a file or a pipe, and not
 * TERM=dumb (an editor's shell buffer, for one). */
int terminal_redrawable(int fd);

/* Keep the bottom row of stderr's terminal for a status line: what else
 * is written there scrolls in the rows above it.  Returns the row kept
 * (the terminal's height), or 0 when the terminal is unknown or tiny
 * (then the caller redraws the current row instead). */
int terminal_keep_bottom_row(void);

/* Give row `row` (terminal_keep_bottom_row's; 0: nothing kept) back,
 * cleared, and the whole screen to scrolling. */
void terminal_give_back_row(int row);

#endif
