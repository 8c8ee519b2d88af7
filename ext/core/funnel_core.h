/*
** funnel_core.h: funnels and retention in plain C.
**
** gops_funnel is the state of one group of window_funnel(): the rows of a
** user, each a time and the set of conditions it meets (a bit mask, bit i
** for condition i+1).  The result is ClickHouse's windowFunnel, as its
** source does it today:
**   - events are (time, condition) pairs, one per condition a row meets,
**     ordered by time and, at equal times, by condition; so one row may
**     serve several steps (strict_once says otherwise);
**   - a condition-1 event starts a chain; a condition-k event extends the
**     chain that reached step k-1 last, if it lies within `window` of that
**     chain's first event; the result is the deepest step reached;
**   - strict_deduplication: an event of a step already reached ends the
**     search; strict_order: a row meeting no condition, or a step whose
**     previous step was not reached, ends it (allow_reentry: such a step
**     is skipped instead); strict_increase: each step strictly later than
**     the one before; strict_once: one row serves one step of a chain.
**
** Streaming: while rows come in time order the state is a few numbers per
** step, whatever the number of rows; the first GOPS_FUNNEL_REPLAY_ROWS rows
** are also kept, so that a row out of order can still be placed: then
** every row is buffered (up to GOPS_FUNNEL_MAX_ROWS) and sorted at the
** end.  A row out of order after more than GOPS_FUNNEL_REPLAY_ROWS rows in
** order is an error (GOPS_FUNNEL_LATE_ROW); after exactly that many it is
** placed.  strict_once always buffers.  Memory comes from the caller's
** allocator.
*/
#ifndef GROWTHOPS_FUNNEL_CORE_H
#define GROWTHOPS_FUNNEL_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

#define GOPS_FUNNEL_MAX_STEPS 64
/* Rows in time order kept for a replay (16 bytes each: 1 MiB); one more
** in order and the state is streaming only. */
#define GOPS_FUNNEL_REPLAY_ROWS 65536
/* Rows buffered in one group when they do not come in time order. */
#define GOPS_FUNNEL_MAX_ROWS 10000000
/* Partial chains strict_once follows in one group. */
#define GOPS_FUNNEL_MAX_CHAINS 1000000
/* Rows held in the state itself before the first allocation. */
#define GOPS_FUNNEL_INLINE_ROWS 16

#define GOPS_FUNNEL_STRICT_DEDUPLICATION 1u
#define GOPS_FUNNEL_STRICT_ORDER 2u
#define GOPS_FUNNEL_STRICT_INCREASE 4u
#define GOPS_FUNNEL_STRICT_ONCE 8u
#define GOPS_FUNNEL_ALLOW_REENTRY 16u

#define GOPS_FUNNEL_MODE_NAMES                                             \
  "'strict_order', 'strict_deduplication', 'strict_increase', "            \
  "'strict_once' or 'allow_reentry'"

typedef enum {
  GOPS_FUNNEL_OK = 0,
  GOPS_FUNNEL_NOMEM,
  GOPS_FUNNEL_TOO_MANY_ROWS,   /* more than GOPS_FUNNEL_MAX_ROWS buffered */
  GOPS_FUNNEL_LATE_ROW,        /* out of order after the replay rows */
  GOPS_FUNNEL_TOO_MANY_CHAINS, /* strict_once: more than ..._MAX_CHAINS */
} gops_funnel_rc;

typedef struct gops_funnel_row {
  double ts;
  uint64_t mask; /* bit i: condition i+1 met; 0: none (strict_order) */
} gops_funnel_row;

typedef struct gops_funnel {
  int n_steps;
  unsigned modes;
  double window;
  int with_times; /* keep each step's chain (window_funnel_times) */
  const gops_alloc *alloc;

  /* The machine: level e (0-based) reached by a chain that started at
  ** first[e] and reached e at last[e]; path[e*n + j] its step-j time. */
  uint64_t filled;
  int first_event;
  int done;   /* result known: later events change nothing */
  int result; /* valid when done */
  double *first, *last, *path;

  /* Events of the latest time, not yet run through the machine. */
  int has_pending;
  double pending_ts;
  uint64_t pending_mask, pending_dup; /* dup: the condition came twice */
  int pending_zero;                   /* rows meeting no condition */

  /* Rows kept: for a replay (in order) or all of them (out of order). */
  int in_order;
  int committed; /* dropped the replay rows: streaming only */
  int final;     /* the result cannot change (default mode, last step) */
  double max_ts;
  gops_funnel_row *rows;
  size_t n_rows, cap;
  gops_funnel_row inline_rows[GOPS_FUNNEL_INLINE_ROWS];
  double slots[];
} gops_funnel;

/* Parses "strict_order, strict_increase" (any letter case, spaces around
** commas allowed) into GOPS_FUNNEL_* bits.  Returns 0, -1 for a name that
** is not a mode (ClickHouse's old 'strict' included), -2 for
** allow_reentry without strict_order. */
int gops_funnel_parse_modes(const char *text, unsigned *modes);

/* Bytes a state for n_steps takes. */
size_t gops_funnel_size(int n_steps, int with_times);
/* Sets up a state in memory of gops_funnel_size() bytes. */
void gops_funnel_setup(gops_funnel *f, int n_steps, unsigned modes,
                      double window, int with_times,
                      const gops_alloc *alloc);
/* The caller gives the rows in time order (and no strict_once): none is
** kept for a replay, and a row out of order is GOPS_FUNNEL_LATE_ROW.
** Call after setup, before the first row. */
void gops_funnel_in_order(gops_funnel *f);
/* One row: its time and the conditions it meets. */
gops_funnel_rc gops_funnel_add(gops_funnel *f, double ts, uint64_t mask);
/* Rows in time order, after gops_funnel_in_order(): gops_funnel_add()
** for each, in one call. */
gops_funnel_rc gops_funnel_add_ordered(gops_funnel *f, const double *ts, const uint64_t *masks,
                                      size_t n);
/* The deepest step reached (0..n_steps) and, when times is not NULL, the
** times of its chain's steps in times[0..level-1].  Call once. */
gops_funnel_rc gops_funnel_finish(gops_funnel *f, int *level, double *times);
/* Frees what the state allocated (not the state itself); safe on zeroed
** memory and twice. */
void gops_funnel_release(gops_funnel *f);

/* retention(): seen has bit i set when condition i+1 held in some row.
** Writes "[1,0,1]" (element 1: cond1; element i: cond1 and cond i) into
** out, which holds at least 2 * n + 2 bytes; returns the length. */
size_t gops_retention_format(uint64_t seen, int n, char *out);

/*
** funnel_stages(): a daily report's counts, in funnel order.
*/
typedef struct gops_stage {
  double users;
  double step_rate;    /* users / previous step; NaN for step 1 or 0/0 */
  double overall_rate; /* users / first step; NaN when that is 0 */
  double drop_off;     /* previous step - users; NaN for step 1 */
} gops_stage;
/* Fills out[0..n-1] from counts; returns 0, or the 1-based step whose
** count is above the previous one. */
int gops_funnel_stages(const double *counts, int n, gops_stage *out);

/* The median of values[0..n-1] (reordered in place); NaN when n is 0. */
double gops_median(double *values, size_t n);

#endif
