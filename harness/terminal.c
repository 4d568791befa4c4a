/* terminal.c - stderr's terminal for the status line (see terminal.h). */
#define _GNU_SOURCE 1 /* spelled as pyconfig.h 3.8-3.10 spells it */
#include "terminal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void
terminal_size(int *width, int *height)
{
    struct winsize ws;
    *width = *height = 0;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0) {
        *width = ws.ws_col;
        *height = ws.ws_row;
    }
}

int
terminal_redrawable(int fd)
{
    const char *term = getenv("TERM");
    return isatty(fd) && term && *term && strcmp(term, "dumb") != 0;
}

/* As apt does.  The newline and the move back up make room when the
 * cursor is on the last row; setting the region moves the cursor, hence
 * the save and restore. */
int
terminal_keep_bottom_row(void)
{
    int width, height;
    terminal_size(&width, &height);
    if (height < 3) {
        return 0;
    }
    fprintf(stderr, "\n\0337\033[1;%dr\0338\033[1A", height - 1);
    return height;
}

void
terminal_give_back_row(int row)
{
    if (row > 0) {
        fprintf(stderr, "\0337\033[%d;1H\033[K\033[r\0338", row);
    }
}
