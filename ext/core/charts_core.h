/*
** charts_core.h: terminal charts in plain C (no SQLite): the text of a
** sparkline and of a horizontal bar, in Unicode block characters.
**
** A sparkline is one character per value, ▁▂▃▄▅▆▇█ scaled between the
** smallest and the largest value of the line; a gap (a missing value) is
** GOPS_SPARK_GAP.  A bar is `width` cells wide at `max`; whole cells are █
** and the last cell shows the remaining eighths with ▏▎▍▌▋▊▉.
**
** The caller owns every buffer; nothing here allocates.  Every block
** character is 3 bytes of UTF-8.
*/
#ifndef GROWTHOPS_CHARTS_CORE_H
#define GROWTHOPS_CHARTS_CORE_H

#include <stddef.h>
#include <stdint.h>

/* The most values one sparkline draws. */
#define GOPS_SPARK_MAX 10000
/* What a missing value leaves in a sparkline: one space. */
#define GOPS_SPARK_GAP ' '
/* The level (0 = ▁ ... 7 = █) of every value when all are equal. */
#define GOPS_SPARK_FLAT_LEVEL 3

/* bar(): the width when none is given, and the widest bar. */
#define GOPS_BAR_WIDTH_DEFAULT 20
#define GOPS_BAR_WIDTH_MAX 1000

/* Bytes a line of n characters may take, with its terminator. */
#define GOPS_CHART_SIZE(n) ((size_t)(n) * 3 + 1)

/* The level 0..7 of value in [lo, hi]: round((value - lo) / (hi - lo) * 7),
** GOPS_SPARK_FLAT_LEVEL when lo == hi.  Values outside [lo, hi] are
** clamped. */
int gops_spark_level(double value, double lo, double hi);

/* Writes the sparkline of values[0..n-1] into out (GOPS_CHART_SIZE(n)
** bytes), NUL-terminated; a NaN is a gap.  Scales between the smallest and
** largest non-NaN value.  Returns the bytes written, without the NUL. */
size_t gops_sparkline(const double *values, size_t n, char *out);

/* Eighths of a cell a bar of value against max fills, 0 .. width * 8:
** round(value / max * width * 8), 0 for value <= 0, width * 8 for value >=
** max.  max must be > 0 and width >= 1. */
int64_t gops_bar_eighths(double value, double max, int width);

/* Writes the bar into out (GOPS_CHART_SIZE(width) bytes), NUL-terminated:
** whole cells as █, then one partial cell for the remaining eighths, no
** padding.  Returns the bytes written, without the NUL. */
size_t gops_bar(double value, double max, int width, char *out);

#endif
