# scaling.gp - how the cost per instance changes with the number of
# instances (from `slotbench run --sweep`): bytes per instance and creation
# time per instance against N, log x, one line per variant.
#
# usage: gnuplot -c scaling.gp DATA OUT TITLE
#   DATA   chart data written by `slotbench plot` (charts/scaling-*.tsv):
#          one block per variant, rows of "N <tab> allocated bytes per
#          instance <tab> ns per instance <tab> colour <tab> variant <tab>
#          resident bytes per instance"
#   OUT    output path without extension (.png and .svg are written)
_dn(s, i) = i < 1 ? "" : (s[i:i] eq "/" ? s[1:i] : _dn(s, i - 1))
load _dn(ARG0, strlen(ARG0)) . "palette.gp"

DATA = ARG1
OUT = ARG2
TITLE = ARG3
stats DATA using 1 nooutput
NBLOCKS = STATS_blocks
array NAME[NBLOCKS]
array COL[NBLOCKS]
do for [b = 0:NBLOCKS - 1] {
    stats DATA index b using (NAME[b + 1] = strcol(5), COL[b + 1] = $4, $1) nooutput
}

# Two panels side by side; gnuplot's multiplot cannot be replotted, so the
# drawing is a macro run once per terminal.
H = 440
draw = 'set multiplot layout 1,2 title TITLE font ",13"; \
  set logscale x 10; set format x "%.0s%c"; set autoscale xfix; set offsets graph 0.05, graph 0.05, 0, 0; set xlabel "instances (N, log scale)"; \
  set grid xtics ytics; set key bottom right; set yrange [0:*]; \
  set ylabel "bytes per instance (B)"; set title "memory: allocated (solid), resident (dashed)" font ",11"; \
  plot for [b = 1:NBLOCKS] DATA index b - 1 using 1:2 with linespoints lw 2.5 pt 7 dt dash(COL[b]) lc rgb colour(COL[b]) title NAME[b], \
       for [b = 1:NBLOCKS] DATA index b - 1 using 1:6 with lines lw 1.5 dt 2 lc rgb colour(COL[b]) notitle; \
  set ylabel "creation time per instance (ns)"; set title "time to create N instances, per instance" font ",11"; \
  plot for [b = 1:NBLOCKS] DATA index b - 1 using 1:3 with linespoints lw 2.5 pt 7 dt dash(COL[b]) lc rgb colour(COL[b]) title NAME[b]; \
  unset multiplot'
set terminal pngcairo size W,H font FONT noenhanced
set output OUT.".png"
eval draw
unset output
set terminal svg size W,H font FONT noenhanced background "white"
set output OUT.".svg"
eval draw
unset output
