# timeline.gp - resident memory (RSS) while a scenario creates its
# instances: one line per variant.
#
# usage: gnuplot -c timeline.gp DATA OUT TITLE
#   DATA   chart data written by `slotbench plot` (charts/timeline-*.tsv):
#          one block per variant (blocks separated by two blank lines),
#          rows of "instances <tab> RSS in MiB <tab> colour <tab> dash
#          <tab> series label"
#   OUT    output path without extension (.png and .svg are written)
_dn(s, i) = i < 1 ? "" : (s[i:i] eq "/" ? s[1:i] : _dn(s, i - 1))
load _dn(ARG0, strlen(ARG0)) . "palette.gp"

DATA = ARG1
OUT = ARG2
stats DATA using 1 nooutput
NBLOCKS = STATS_blocks
array NAME[NBLOCKS]
array COL[NBLOCKS]
array DASH[NBLOCKS]
do for [b = 0:NBLOCKS - 1] {
    stats DATA index b using (NAME[b + 1] = strcol(5), COL[b + 1] = $3, DASH[b + 1] = $4, $1) nooutput
}

# unique args draw dashed (2) whatever the variant's own dash
linedash(d, c) = d > 1 ? d : dash(c)

H = 480
set title ARG3
set xlabel "instances created"
set ylabel "resident memory, RSS (MiB)"
set format x "%.0s%c"
set grid xtics ytics
set key top left
set yrange [0:*]
eval png_begin
plot for [b = 1:NBLOCKS] DATA index b - 1 using 1:2 with lines lw 2.5 \
         dt linedash(DASH[b], COL[b]) lc rgb colour(COL[b]) title NAME[b]
eval svg_again
