# scaling.gp - how the cost per instance changes with the number of
# instances (from `slotbench run --sweep`): bytes per instance and creation
# time per instance against N, log x, one line per variant; when the sweep
# walked the instances (a scenario with the at-scale ops), a third panel:
# ns per instance of scan (solid) and scan_random (dashed) against N, with
# a dotted vertical line, in the variant's colour, where its instances fill
# each cache of the machine (L1d, L2, L3 from meta.json).
#
# usage: gnuplot -c scaling.gp DATA OUT TITLE
#   DATA   chart data written by `slotbench plot` (charts/scaling-*.tsv):
#          one block per variant, rows of "N <tab> allocated bytes per
#          instance <tab> ns per instance <tab> colour <tab> variant <tab>
#          resident bytes per instance <tab> scan ns per instance <tab>
#          scan_random ns per instance <tab> N filling L1d <tab> L2 <tab>
#          L3" (the at-scale columns NA when the sweep had no walks)
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
array FILL[NBLOCKS * 3]
do for [b = 0:NBLOCKS - 1] {
    stats DATA index b using (NAME[b + 1] = strcol(5), COL[b + 1] = $4, $1) nooutput
    do for [k = 0:2] {
        FILL[b * 3 + k + 1] = NaN
        stats DATA index b using (valid(9 + k) ? (FILL[b * 3 + k + 1] = column(9 + k)) : 0, $1) nooutput
    }
}
stats DATA using 1 nooutput
NMIN = STATS_min
NMAX = STATS_max
WALKS = 0
stats DATA using (valid(7) ? (WALKS = WALKS + 1) : 0, $1) nooutput
LEVEL(k) = k == 0 ? "L1d" : k == 1 ? "L2" : "L3"
# the cache lines: only those inside the range of N
marks = 'unset arrow; unset label; do for [b = 1:NBLOCKS] { do for [k = 0:2] { x = FILL[(b - 1) * 3 + k + 1]; \
  if (x == x && x >= NMIN && x <= NMAX) { set arrow from x, graph 0 to x, graph 1 nohead dt 3 lw 1.5 lc rgb colour(COL[b]); \
  set label LEVEL(k) at x, graph (0.04 + 0.05 * (b - 1)) offset 0.3, 0 font ",9" tc rgb colour(COL[b]) } } }' 

# Two panels side by side; gnuplot's multiplot cannot be replotted, so the
# drawing is a macro run once per terminal.
H = 440
draw = 'set multiplot layout 1,(WALKS > 0 ? 3 : 2) title TITLE font ",13"; \
  set logscale x 10; set format x "%.0s%c"; set autoscale xfix; set offsets graph 0.05, graph 0.05, 0, 0; set xlabel "instances (N, log scale)"; \
  set grid xtics ytics; set key bottom right; set yrange [0:*]; \
  set ylabel "bytes per instance (B)"; set title "memory: allocated (solid), resident (dashed)" font ",11"; \
  plot for [b = 1:NBLOCKS] DATA index b - 1 using 1:2 with linespoints lw 2.5 pt 7 dt dash(COL[b]) lc rgb colour(COL[b]) title NAME[b], \
       for [b = 1:NBLOCKS] DATA index b - 1 using 1:6 with lines lw 1.5 dt 2 lc rgb colour(COL[b]) notitle; \
  set ylabel "creation time per instance (ns)"; set title "time to create N instances, per instance" font ",11"; \
  plot for [b = 1:NBLOCKS] DATA index b - 1 using 1:3 with linespoints lw 2.5 pt 7 dt dash(COL[b]) lc rgb colour(COL[b]) title NAME[b]; \
  if (WALKS > 0) { set ylabel "ns per instance visited"; set title "walking N instances (scan_random dashed)" font ",11"; \
    eval marks; set key top left; \
    plot for [b = 1:NBLOCKS] DATA index b - 1 using 1:7 with linespoints lw 2.5 pt 7 lc rgb colour(COL[b]) title NAME[b]." scan", \
         for [b = 1:NBLOCKS] DATA index b - 1 using 1:8 with linespoints lw 2.5 pt 5 dt 2 lc rgb colour(COL[b]) title NAME[b]." scan_random"; \
    unset arrow; unset label }; \
  unset multiplot'
WW = WALKS > 0 ? W * 3 / 2 : W
set terminal pngcairo size WW,H font FONT noenhanced
set output OUT.".png"
eval draw
unset output
set terminal svg size WW,H font FONT noenhanced background "white"
set output OUT.".svg"
eval draw
unset output
