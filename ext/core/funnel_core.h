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
**
** Chains (gops_funnel_chains): the same funnel told as PostHog tells it,
** one chain from each row meeting step 1, each next step the first one at
** or after the step before and within the window of the first; the
** deepest chain is windowFunnel's level in the default mode.  Chains carry
** what the state machine cannot: exclusions (an event strictly between
** two steps of a chain removes that chain), the rows that serve each step
** (a breakdown's value at a step), and one funnel per period of the first
** step (conversion over time).  An exclusion of window_funnel() is written
** in its mode, "exclude 1-2", and takes a condition after the steps.
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
  "'strict_once', 'allow_reentry' or 'exclude F-T'"

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

/* An exclusion: a row meeting its condition strictly after step `from`
** and strictly before step `to` of a chain (1-based, from < to), or, when
** the chain does not reach `to`, before its window ends, removes the
** chain.  Its condition is the mask's bit n_steps + (its place). */
typedef struct gops_funnel_exclusion {
  int from, to;
} gops_funnel_exclusion;

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

  /* Exclusions (the default mode only): every row is kept, and the
  ** result comes from the chains. */
  int n_exclusions;
  gops_funnel_exclusion exclusions[GOPS_FUNNEL_MAX_STEPS];

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
** commas allowed) into GOPS_FUNNEL_* bits, and "exclude 1-3" (an
** exclusion between steps 1 and 3: the first not checked against the
** steps, the caller knows them) into exclusions[*n_exclusions++], room for
** GOPS_FUNNEL_MAX_STEPS.  Returns 0, -1 for a name that is not a mode
** (ClickHouse's old 'strict' included) or an exclusion not written as
** 'exclude F-T', -2 for allow_reentry without strict_order, -3 for
** exclusions with a mode (they are for the default mode only). */
int gops_funnel_parse_modes(const char *text, unsigned *modes,
                            gops_funnel_exclusion *exclusions, int *n_exclusions);

/* Bytes a state for n_steps takes. */
size_t gops_funnel_size(int n_steps, int with_times);
/* Sets up a state in memory of gops_funnel_size() bytes. */
void gops_funnel_setup(gops_funnel *f, int n_steps, unsigned modes,
                      double window, int with_times,
                      const gops_alloc *alloc);
/* After setup: exclusions[0..n-1], whose conditions are the mask's bits
** after the steps (the default mode only; n_steps + n at most 64). */
void gops_funnel_exclude(gops_funnel *f, const gops_funnel_exclusion *exclusions, int n);
/* One row: its time and the conditions it meets. */
gops_funnel_rc gops_funnel_add(gops_funnel *f, double ts, uint64_t mask);
/* The deepest step reached (0..n_steps) and, when times is not NULL, the
** times of its chain's steps in times[0..level-1].  Call once. */
gops_funnel_rc gops_funnel_finish(gops_funnel *f, int *level, double *times);
/* Frees what the state allocated (not the state itself); safe on zeroed
** memory and twice. */
void gops_funnel_release(gops_funnel *f);

/* ---- chains ---- */

typedef struct gops_funnel_spec {
  int n_steps;
  double window;
  int n_exclusions;
  const gops_funnel_exclusion *exclusions;
} gops_funnel_spec;

/* A chain that was not excluded: the steps it reached and the row (an
** index into the caller's rows) that serves each. */
typedef struct gops_funnel_chain {
  int level; /* 1 .. n_steps */
  size_t row[GOPS_FUNNEL_MAX_STEPS];
} gops_funnel_chain;

/* Returns 0 to go on, anything else to stop (gops_funnel_chains returns it). */
typedef int (*gops_funnel_chain_fn)(void *ctx, const gops_funnel_chain *chain);

/* The chains of one user's rows[0..n-1], each stride bytes after the one
** before (a caller's struct may begin with a gops_funnel_row), in time
** order (at equal times, the caller's order says which row serves a
** step: the first).  One chain starts at each time that has a row meeting
** step 1 (its first such row); step k is the first row at or after step
** k-1's time (the same time too: a row may serve several steps, as in
** windowFunnel) meeting step k, at most window after the start.  A chain
** an exclusion removes is not passed to fn; the others are, in the order
** of their start, with the time they begin at rows[chain->row[0]].ts.  No
** memory is allocated.  Returns 0, or what fn returned to stop. */
int gops_funnel_chains(const gops_funnel_row *rows, size_t n, size_t stride,
                       const gops_funnel_spec *spec, gops_funnel_chain_fn fn, void *ctx);

/* The deepest of the chains gops_funnel_chains() gives (without
** exclusions), of several the one that starts last, looked for from the
** last start backwards: a walk stops as soon as a chain reaches every step
** the rows meet at all (`present`, the OR of their masks), so a user who
** never met step 2 costs one look at the last start.  Each step keeps a
** pointer that only moves back (a chain's steps are the first rows at or
** after the times of the one before, and those times only fall as the
** starts do), so all the chains of n rows cost O(n) per step. */
typedef struct gops_funnel_walk {
  const gops_funnel_row *rows;
  size_t n, stride;
  int n_steps;
  double window;
  int reach;  /* the deepest level the rows' masks allow */
  size_t to;  /* starts below this row are still to be looked at */
  /* Step k: rows from seen[k] on have been looked at; first[k] is the
  ** first of them meeting step k (n when none does). */
  size_t seen[GOPS_FUNNEL_MAX_STEPS], first[GOPS_FUNNEL_MAX_STEPS];
} gops_funnel_walk;

void gops_funnel_walk_start(gops_funnel_walk *w, const gops_funnel_row *rows, size_t n,
                            size_t stride, const gops_funnel_spec *spec, uint64_t present);
/* The deepest chain that starts at a row in [from, w->to), into *best;
** its level (0: no chain starts there).  Then w->to is from: the calls
** go back over the rows, and from never splits the rows of one time. */
int gops_funnel_walk_deepest(gops_funnel_walk *w, size_t from, gops_funnel_chain *best);

/* The bucket of value among edges[0..n-1] (increasing): 0 below edges[0],
** i when edges[i-1] <= value < edges[i], n from edges[n-1] on. */
int gops_funnel_bucket(const double *edges, int n, double value);

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
/* The same for counts that may rise (a breakdown by the value at each
** step): a step rate above 1 and a negative drop-off where they do. */
void gops_funnel_rates(const double *counts, int n, gops_stage *out);

/* A stable merge sort of n elements of size bytes at base, the order
** before(a, b, ctx) says (a first); tmp holds n elements too.  Returns where
** the sorted elements are, base or tmp (base at once when they already are
** in order).  For the rows of a group or a user, which come nearly sorted. */
void *gops_stable_sort(void *base, void *tmp, size_t n, size_t size,
                       int (*before)(const void *a, const void *b, void *ctx), void *ctx);

/* The median of values[0..n-1] (of an even count, the mean of the two in
** the middle), found in linear time on the whole; the values are
** reordered.  NaN when n is 0; values must not be NaN. */
double gops_median(double *values, size_t n);

#endif
