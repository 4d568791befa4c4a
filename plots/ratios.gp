# ratios.gp - forest plot of time ratios (variant / baseline, for example
# slots / dict) with their intervals: one row per scenario x op, a line at
# 1.0 (no difference) and the band of the equivalence margin (+-2% by
# default): an interval inside it is "equivalent".
#
# usage: gnuplot -c ratios.gp DATA OUT TITLE
#   DATA   chart data written by `slotbench plot` (charts/ratios.tsv): rows
#          of "row <tab> ratio <tab> ci low <tab> ci high <tab> colour <tab>
#          row label <tab> interval text with its coverage <tab> faster or
#          slower (1 or 0) <tab> margin (0.02)"; row 1 is drawn at the top.
#          A filled point is faster or slower (the whole interval beyond
#          the margin), a hollow one equivalent or inconclusive; the key
#          below the plot says so.  The text ends with the interval's real
#          coverage, "*" when it is within one process (indicative).
#   OUT    output path without extension (.png and .svg are written)
_dn(s, i) = i < 1 ? "" : (s[i:i] eq "/" ? s[1:i] : _dn(s, i - 1))
load _dn(ARG0, strlen(ARG0)) . "palette.gp"

DATA = ARG1
OUT = ARG2
stats DATA using 3 nooutput
NROWS = STATS_records
lo = STATS_min
stats DATA using 4 nooutput
hi = STATS_max
stats DATA using 9 nooutput
M = STATS_max
lo = lo < 1 - 1.5 * M ? lo : 1 - 1.5 * M
hi = hi > 1 + 1.5 * M ? hi : 1 + 1.5 * M
# One ratio of 10 next to many of 0.9 would squash those into a line at
# 1: past a span of 4x the axis is logarithmic, so a ratio and its
# inverse lie as far from 1.
LOG = lo > 0 && hi / lo > 4

H = 210 + 28 * NROWS
set title ARG3
if (LOG) {
    set logscale x 2
    set xtics (0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32)
    set xlabel "time ratio, variant / baseline (log scale)" offset 0,0.3
    f = (hi / lo) ** 0.06
    TX = hi * f
    set xrange [lo / f:hi * (hi / lo) ** 0.75]
} else {
    set xlabel "time ratio, variant / baseline" offset 0,0.3
    pad = (hi - lo) * 0.06
    TX = hi + pad
    set xrange [lo - pad:hi + (hi - lo) * 0.75]
}
set yrange [NROWS + 0.7:0.3]
set ytics scale 0 noenhanced
set grid xtics noytics
# The key explains the points only (the rows are labelled on the axis).
set key at screen 0.02, screen 0.01 left bottom vertical Left reverse \
    samplen 1 noautotitle font ",10"
set bmargin 8
set object 1 rect from 1 - M, graph 0 to 1 + M, graph 1 behind \
    fc rgb "#E8E8E8" fs solid 1.0 noborder
set arrow 1 from 1, graph 0 to 1, graph 1 nohead lc rgb "#444444" lw 1.5 dt 2
eval png_begin
plot DATA using 2:1:3:4:(rgb($5)):ytic(6) with xerrorbars lc rgb variable \
         pt 1 ps 0 lw 2, \
     DATA using 2:1:($8 > 0 ? 7 : 6):(rgb($5)) with points pt variable \
         lc rgb variable ps 1.4 lw 2, \
     DATA using (TX):1:7 with labels left font ",9", \
     NaN with points pt 7 ps 1.4 lc rgb "#444444" \
         title "filled: faster or slower (the whole interval beyond the grey margin band)", \
     NaN with points pt 6 ps 1.4 lw 2 lc rgb "#444444" \
         title sprintf("hollow: equivalent (interval inside the ±%g%% band) or inconclusive (it straddles an edge)", 100 * M), \
     NaN with points pt 0 ps 0 \
         title "at the right: the interval and the coverage it really has (*: within one process, indicative)"
eval svg_again
