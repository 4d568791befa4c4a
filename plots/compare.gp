# compare.gp - two runs side by side (`slotbench compare A B --plot`): a
# pair of bars per figure, A hollow and B filled, one group per scenario;
# a change beyond the margin is marked above its pair, in vermillion when
# it got worse and in blue when it got better.
#
# usage: gnuplot -c compare.gp DATA OUT TITLE XLABEL YLABEL ALABEL BLABEL LOG
#   DATA   written by slotbench compare (compare-*.tsv), two blocks
#          separated by two blank lines:
#          block 0: "x <tab> scenario", one row per group (at its centre);
#          block 1: "x <tab> label <tab> A <tab> B <tab> mark <tab> note
#          <tab> top": mark 1 worse beyond the margin, 2 better, 0 neither;
#          note the change as said above the pair (empty: none)
#   OUT    output path without extension (.png and .svg are written)
#   LOG    1 for a log y axis (times of very different sizes), else 0
_dn(s, i) = i < 1 ? "" : (s[i:i] eq "/" ? s[1:i] : _dn(s, i - 1))
load _dn(ARG0, strlen(ARG0)) . "palette.gp"

DATA = ARG1
OUT = ARG2
LOG = ARG8 eq "1"
stats DATA index 1 using 1:7 nooutput
XMIN = STATS_min_x
XMAX = STATS_max_x
YMAX = STATS_max_y
NBARS = STATS_records
stats DATA index 1 using (($3 < $4) ? $3 : $4) nooutput
YMIN = STATS_min

# Wider for many pairs: 72 px a pair, never under the usual 800.
W = NBARS * 72 + 160 > 800 ? NBARS * 72 + 160 : 800
H = 520
A_COL = "#555555"
B_COL = colour(5)
WORSE = colour(1)
BETTER = colour(2)
mark_colour(m) = m == 1 ? rgb(1) : m == 2 ? rgb(2) : 0x222222

set title ARG3 offset 0,1.6
set xlabel ARG4
set ylabel ARG5
set xrange [XMIN - 1:XMAX + 1]
if (LOG) {
    set logscale y
    set yrange [YMIN / 2:YMAX * 4]
    GROUP_Y = YMAX * 2.5
} else {
    set yrange [0:YMAX * 1.3]
    GROUP_Y = YMAX * 1.2
}
set boxwidth 0.4 absolute
set tmargin 5
set bmargin 5
set key at graph 0.5, graph 1.02 center bottom horizontal samplen 2 noautotitle
set xtics scale 0 noenhanced font ",9"
set grid noxtics
eval png_begin
plot DATA index 1 using ($1 - 0.2):3:xtic(2) with boxes fs transparent solid 0.15 border lc rgb A_COL lc rgb A_COL lw 1.5 title ARG6, \
     DATA index 1 using ($1 + 0.2):4 with boxes fs solid 0.85 border lc rgb "#333333" lc rgb B_COL title ARG7, \
     DATA index 1 using 1:($7 * (LOG ? 1.35 : 1.0) + (LOG ? 0 : YMAX * 0.04)):6:(mark_colour($5)) with labels tc rgb variable font ",10" notitle, \
     DATA index 1 using (NaN):(NaN) with points pt 7 lc rgb WORSE title "worse beyond the margin", \
     DATA index 1 using (NaN):(NaN) with points pt 7 lc rgb BETTER title "better beyond the margin", \
     DATA index 0 using 1:(GROUP_Y):2 with labels font ",11" tc rgb "#222222" notitle
eval svg_again
