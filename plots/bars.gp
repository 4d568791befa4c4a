# bars.gp - grouped bars: one group per scenario, op or Python version,
# one bar per variant in the variant's colour, each bar labelled with its
# value and (for bytes) its saving against the baseline variant; optional
# error bars.  Draws the bytes, timing and versions charts.
#
# usage: gnuplot -c bars.gp DATA OUT TITLE XLABEL YLABEL
#   DATA   chart data written by `slotbench plot` (charts/*.tsv), blocks
#          separated by two blank lines:
#          block 0: "x <tab> group label", one row per group (at its centre);
#          blocks 1..: one per variant, rows of "x <tab> value <tab> colour
#          <tab> error (NA: none) <tab> variant <tab> value label <tab> note
#          <tab> top (value + error: where the labels go)"
#   OUT    output path without extension (.png and .svg are written)
# The y axis is logarithmic when the largest bar is over LOG_SPAN times the
# smallest (3.5 ns reads next to 96 ns creations), so that every bar stays
# readable; the y label then says "log scale".
LOG_SPAN = 30
_dn(s, i) = i < 1 ? "" : (s[i:i] eq "/" ? s[1:i] : _dn(s, i - 1))
load _dn(ARG0, strlen(ARG0)) . "palette.gp"

DATA = ARG1
OUT = ARG2
stats DATA using 1 nooutput
NBLOCKS = STATS_blocks
XMIN = STATS_min
XMAX = STATS_max
array NAME[NBLOCKS]
array COL[NBLOCKS]
ymax = 0
ymin = 0
do for [b = 1:NBLOCKS - 1] {
    stats DATA index b using (NAME[b + 1] = strcol(5), COL[b + 1] = $3, $8) \
        nooutput
    ymax = STATS_max > ymax ? STATS_max : ymax
    stats DATA index b using 2 nooutput
    ymin = ymin == 0 || STATS_min < ymin ? STATS_min : ymin
}
LOG = ymin > 0 && ymax / ymin > LOG_SPAN
NVAR = NBLOCKS - 1
# Wider than the usual 800 px when the bars would crowd: each value label
# ("145.1") needs about 42 px, or neighbours overlap (person's 12 timing
# ops with their at-scale ones, 2 variants: 24 bars).
NBARS = 0
do for [b = 1:NVAR] {
    stats DATA index b using 1 nooutput
    NBARS = NBARS + STATS_records
}
W = NBARS * 42 + 140 > W ? NBARS * 42 + 140 : W

H = 500
set title ARG3 offset 0,1.4
set xlabel ARG4
set ylabel ARG5 . (LOG ? " (log scale)" : "")
set xrange [XMIN - 0.8:XMAX + 0.8]
if (LOG) {
    set logscale y
    set yrange [ymin / 2:ymax * 3]
} else {
    set yrange [0:ymax * 1.22]
}
set style fill solid 0.9 border lc rgb "#333333"
set boxwidth 0.85 absolute
set tmargin 5
set key at graph 0.5, graph 1.02 center bottom horizontal samplen 2 noautotitle
set xtics scale 0 noenhanced
set grid noxtics
set style arrow 1 heads size screen 0.006,90 lc rgb "#222222" lw 1.2
eval png_begin
plot DATA index 0 using 1:(NaN):xtic(2) notitle, \
     for [b = 1:NVAR] DATA index b using 1:2 with boxes fs pattern fill(COL[b + 1]) border lc rgb "#333333" lc rgb colour(COL[b + 1]) title NAME[b + 1], \
     for [b = 1:NVAR] DATA index b using 1:($2 - $4):(0):(2 * $4) with vectors arrowstyle 1 notitle, \
     for [b = 1:NVAR] DATA index b using 1:8:6 with labels offset 0,0.7 font ",10" notitle, \
     for [b = 1:NVAR] DATA index b using 1:8:7 with labels offset 0,1.7 font ",10" tc rgb "#222222" notitle
eval svg_again
