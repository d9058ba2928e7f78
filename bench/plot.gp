# bench/plot.gp - throughput and peak memory of `syndic cluster` against corpus size.
# bench/run writes the data (bench/throughput.dat: documents, docs/s, MB/s, peak RSS MiB)
# and calls:  gnuplot -e "datafile='bench/throughput.dat'; outfile='bench/throughput.png'" bench/plot.gp
if (!exists("datafile")) datafile = 'bench/throughput.dat'
if (!exists("outfile")) outfile = 'bench/throughput.png'
set terminal pngcairo size 900,540 font ",11"
set output outfile
set title "syndic cluster: throughput and peak memory vs corpus size (medians, synthetic corpora)"
set logscale x 10
set logscale y2 10
set format x "%.0s%c"
set xlabel "documents"
set ylabel "documents per second"
set y2label "peak RSS (MiB)"
set yrange [0:*]
set y2range [10:*]
set ytics nomirror
set y2tics
set grid xtics ytics
set key bottom left opaque box
stats datafile using 1 nooutput
set xrange [5000:STATS_max * 2]
plot datafile using 1:2 axes x1y1 with linespoints lw 2 pt 7 title "documents/s (left)", \
     datafile using 1:2:(sprintf("%.0f MB/s", $3)) axes x1y1 with labels offset 0,-1.2 notitle, \
     datafile using 1:4 axes x1y2 with linespoints lw 2 pt 5 dt 2 title "peak RSS MiB (right, log)"
