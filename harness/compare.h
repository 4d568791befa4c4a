/* compare.h - `slotbench compare A B`: what changed from run A to run B
 * (delta.h makes the rows), printed in the format asked for, drawn
 * with --plot (compare_plot.h), and judged for --fail-on-regression. */
#ifndef SB_COMPARE_H
#define SB_COMPARE_H

/* `slotbench compare [OPTIONS] A B`: argv[0] is "compare"; A and B are
 * results directories or names under `results`; root holds plots/.
 * Returns the exit status: 0; 1 when a directory cannot be read, a chart
 * not drawn, or (--fail-on-regression) a figure got worse beyond the
 * margin; 2 on a usage error. */
int compare_main(int argc, char **argv, const char *root,
                 const char *results);

#endif
