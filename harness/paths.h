/* paths.h - where slotbench finds what it ships (scenarios/, plots/) and
 * where a run's results go.  A build in its checkout uses the checkout,
 * as it always has; an installed one (`make install`: the binary in
 * PREFIX/bin, its files in PREFIX/share/slotbench) its share directory,
 * with ./scenarios and ./results of the current directory first.
 * SLOTBENCH_ROOT, when set, stands for the checkout in both. */
#ifndef SB_PATHS_H
#define SB_PATHS_H

#include <stddef.h>

/* The share directory, relative to the binary's own directory: PREFIX/bin
 * and PREFIX/share/slotbench, so a tree installed under DESTDIR, or moved,
 * finds its files. */
#define PATHS_SHARE_FROM_BIN "../share/slotbench"

/* 1 when this binary is an installed one (a PATHS_SHARE_FROM_BIN with
 * plots/ next to it), 0 for a build in a checkout. */
int paths_installed(void);

/* The directory holding plots/ (the gnuplot scripts): SLOTBENCH_ROOT when it has plots/,
 * else the share directory of an installed binary, else the checkout. */
void paths_data(char *buf, size_t len);

/* The directory whose scenarios/ run and list use: SLOTBENCH_ROOT; else,
 * installed, the current directory when it has scenarios/, the share
 * directory otherwise; else the checkout.  Always an absolute path. */
void paths_scenarios(char *buf, size_t len);

/* Where run directories go when --out does not say: SLOTBENCH_ROOT/results;
 * installed, ./results (absolute); else the checkout's results/. */
void paths_results(char *buf, size_t len);

/* Where `slotbench new` writes a scenario: scenarios/ of paths_scenarios,
 * but for an installed binary always ./scenarios (absolute), never the
 * shipped directory. */
void paths_new_scenarios(char *buf, size_t len);

/* The scenario template: _template.py of paths_scenarios' scenarios/ when
 * it has one, else the shipped one (installed) or the checkout's. */
void paths_template(char *buf, size_t len);

#endif
