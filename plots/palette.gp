# palette.gp - shared look of every slotbench chart: the Okabe-Ito
# colour-blind-safe palette, fonts and sizes.  Loaded by each chart script.
#
# A variant keeps its look on every chart: the chart data files (written
# by `slotbench plot`) carry a style number per variant, chosen by a fixed
# rule from the variant's label: 1 for "dict" (vermillion), 2 for "slots"
# (blue), 3-20 for any other label (a hash of the label), so "namedtuple"
# looks the same in every chart of every run.  Styles 3-20 combine the six
# other colours with three fills (bars) or dash patterns (lines), so two
# variants rarely look alike even when their colours coincide.
array PAL[8] = [0xD55E00, 0x0072B2, 0x009E73, 0xCC79A7, 0xE69F00, \
                0x56B4E9, 0x000000, 0xF0E442]
# rgb(i): the colour number i as an integer (for `lc rgb variable`);
# colour(i): the same as a "#rrggbb" string (for `lc rgb colour(i)`).
rgb(i) = i <= 2 ? PAL[int(i)] : PAL[3 + (int(i) - 3) % 6]
colour(i) = sprintf("#%06x", rgb(i))
# fill(i): the fill pattern of style i for `fs pattern`: 3 solid, 4
# diagonal lines, 1 crossed lines.  dash(i): the matching dash type of a line.
fill(i) = i <= 2 ? 3 : (int(i) - 3) / 6 == 0 ? 3 : (int(i) - 3) / 6 == 1 ? 4 : 1
dash(i) = i <= 2 ? 1 : (int(i) - 3) / 6 == 0 ? 1 : (int(i) - 3) / 6 == 1 ? 4 : 5

# Charts are drawn at 800 px wide; fonts sized to stay legible there.
W = 800
FONT = "DejaVu Sans,11"
set encoding utf8
set datafile separator "\t"
set datafile missing "NA"
set border 3 lw 1.2 lc rgb "#444444"
set tics nomirror
set grid ytics lc rgb "#DDDDDD" lw 1 dt 1
set key noenhanced
set title noenhanced font "DejaVu Sans,13"

# Each chart goes to OUT.png and OUT.svg (OUT: the path without extension,
# given as an argument so no path is ever parsed as gnuplot code).  A script
# sets H (height in px), runs `eval png_begin`, plots, then `eval svg_again`.
png_begin = 'set terminal pngcairo size W,H font FONT noenhanced; set output OUT.".png"'
svg_again = 'set terminal svg size W,H font FONT noenhanced background "white"; set output OUT.".svg"; replot; unset output'
