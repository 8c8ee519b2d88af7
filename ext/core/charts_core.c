/*
** charts_core.c: the text of sparklines and bars.  See charts_core.h.
*/
#include "charts_core.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* U+2581 .. U+2588, lower one eighth block .. full block. */
static const char *const spark_blocks[8] = {
    "\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
    "\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88"};

/* Index e (1..8) is e eighths wide: U+258F left one eighth .. U+2588. */
static const char *const bar_blocks[9] = {
    "",             "\xE2\x96\x8F", "\xE2\x96\x8E", "\xE2\x96\x8D", "\xE2\x96\x8C",
    "\xE2\x96\x8B", "\xE2\x96\x8A", "\xE2\x96\x89", "\xE2\x96\x88"};

int gops_spark_level(double value, double lo, double hi) {
  /* The whole span when it is finite; halves when hi - lo overflows to Inf.
     Halving always would lose the span of two subnormals (5e-324 / 2 is 0). */
  double span = hi - lo, x;
  if (isinf(span)) {
    span = hi * 0.5 - lo * 0.5;
    x = (value * 0.5 - lo * 0.5) / span * 7.0;
  } else {
    if (!(span > 0)) return GOPS_SPARK_FLAT_LEVEL;
    x = (value - lo) / span * 7.0;
  }
  if (!(x > 0)) return 0;
  if (x >= 7) return 7;
  int level = (int)floor(x + 0.5);
  assert(level >= 0 && level <= 7);
  return level;
}

size_t gops_sparkline(const double *values, size_t n, char *out) {
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    if (isnan(values[i])) continue;
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(values[i])) {
      out[at++] = GOPS_SPARK_GAP;
    } else {
      memcpy(out + at, spark_blocks[gops_spark_level(values[i], lo, hi)], 3);
      at += 3;
    }
  }
  out[at] = 0;
  return at;
}

int64_t gops_bar_eighths(double value, double max, int width) {
  int64_t full = (int64_t)width * 8;
  if (!(value > 0) || !(max > 0)) return 0;
  if (value >= max) return full;
  double e = floor(value / max * (double)full + 0.5);
  if (e >= (double)full) return full;
  return (int64_t)e;
}

size_t gops_bar(double value, double max, int width, char *out) {
  int64_t eighths = gops_bar_eighths(value, max, width);
  assert(eighths >= 0 && eighths <= (int64_t)width * 8);
  size_t at = 0;
  for (int64_t i = 0; i < eighths / 8; i++) {
    memcpy(out + at, bar_blocks[8], 3);
    at += 3;
  }
  int rest = (int)(eighths % 8);
  if (rest > 0) {
    memcpy(out + at, bar_blocks[rest], 3);
    at += 3;
  }
  out[at] = 0;
  return at;
}
