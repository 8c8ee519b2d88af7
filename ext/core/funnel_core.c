/*
** funnel_core.c: window_funnel's state machine, its replay of rows that
** came out of order, strict_once's chains, retention and the stages
** report.  See funnel_core.h.
*/
#include "funnel_core.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- bits ---- */

static int lowest_bit(uint64_t x) {
  int i = 0;
  while (!(x & 1)) x >>= 1, i++;
  return i;
}

/* The deepest level reached: 1 + the highest bit set, or 0. */
static int highest_level(uint64_t filled) {
  int level = 0;
  while (filled) filled >>= 1, level++;
  return level;
}

/* The first level not reached (ClickHouse's strict_order answer). */
static int first_empty(uint64_t filled, int n) {
  int e = 0;
  while (e < n && (filled & (1ULL << e))) e++;
  return e;
}

/* ---- modes ---- */

/* "exclude F-T" in text[0..len-1]: 1 with *x set, else 0. */
static int parse_exclusion(const char *text, size_t len, gops_funnel_exclusion *x) {
  static const char word[] = "exclude";
  const size_t w = sizeof(word) - 1;
  if (len <= w || !gops_word_equal(text, w, word) || !gops_is_space((unsigned char)text[w])) {
    return 0;
  }
  const char *p = text + w, *end = text + len;
  int steps[2];
  for (int i = 0; i < 2; i++) {
    while (p < end && gops_is_space((unsigned char)*p)) p++;
    if (i == 1) {
      if (p == end || *p != '-') return 0;
      p++;
      while (p < end && gops_is_space((unsigned char)*p)) p++;
    }
    int digits = 0, v = 0;
    while (p < end && *p >= '0' && *p <= '9' && digits < 4) v = v * 10 + (*p++ - '0'), digits++;
    if (digits == 0 || (p < end && *p >= '0' && *p <= '9')) return 0;
    steps[i] = v;
  }
  while (p < end && gops_is_space((unsigned char)*p)) p++;
  if (p != end) return 0;
  x->from = steps[0];
  x->to = steps[1];
  return 1;
}

int gops_funnel_parse_modes(const char *text, unsigned *modes,
                            gops_funnel_exclusion *exclusions, int *n_exclusions) {
  static const struct {
    const char *name;
    unsigned bit;
  } names[] = {
      {"strict_deduplication", GOPS_FUNNEL_STRICT_DEDUPLICATION},
      {"strict_order", GOPS_FUNNEL_STRICT_ORDER},
      {"strict_increase", GOPS_FUNNEL_STRICT_INCREASE},
      {"strict_once", GOPS_FUNNEL_STRICT_ONCE},
      {"allow_reentry", GOPS_FUNNEL_ALLOW_REENTRY},
  };
  unsigned out = 0;
  int n_excl = 0;
  const char *p = text;
  for (;;) {
    while (gops_is_space((unsigned char)*p)) p++;
    const char *start = p;
    while (*p && *p != ',') p++;
    const char *end = p;
    while (end > start && gops_is_space((unsigned char)end[-1])) end--;
    size_t len = (size_t)(end - start);
    unsigned bit = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
      if (gops_word_equal(start, len, names[i].name)) bit = names[i].bit;
    }
    if (bit == 0) {
      if (n_excl == GOPS_FUNNEL_MAX_STEPS || !parse_exclusion(start, len, &exclusions[n_excl])) {
        return -1;
      }
      n_excl++;
    }
    out |= bit;
    if (*p == 0) break;
    p++; /* the comma */
  }
  if ((out & GOPS_FUNNEL_ALLOW_REENTRY) && !(out & GOPS_FUNNEL_STRICT_ORDER)) {
    return -2;
  }
  if (n_excl && out) return -3;
  *modes = out;
  *n_exclusions = n_excl;
  return 0;
}

/* ---- state ---- */

size_t gops_funnel_size(int n_steps, int with_times) {
  size_t doubles = 2 * (size_t)n_steps;
  if (with_times) doubles += (size_t)n_steps * (size_t)n_steps;
  return sizeof(gops_funnel) + doubles * sizeof(double);
}

static void machine_reset(gops_funnel *f) {
  f->filled = 0;
  f->first_event = 0;
  f->done = 0;
  f->result = 0;
  f->has_pending = 0;
}

void gops_funnel_setup(gops_funnel *f, int n_steps, unsigned modes,
                      double window, int with_times,
                      const gops_alloc *alloc) {
  memset(f, 0, sizeof(*f));
  f->n_steps = n_steps;
  f->modes = modes;
  f->window = window;
  f->with_times = with_times;
  f->alloc = alloc;
  f->first = f->slots;
  f->last = f->slots + n_steps;
  f->path = with_times ? f->slots + 2 * n_steps : 0;
  f->in_order = 1;
  f->rows = f->inline_rows;
  f->cap = GOPS_FUNNEL_INLINE_ROWS;
  machine_reset(f);
}

static void free_rows(gops_funnel *f) {
  if (f->rows != f->inline_rows) f->alloc->free(f->rows);
  f->rows = f->inline_rows;
  f->cap = GOPS_FUNNEL_INLINE_ROWS;
  f->n_rows = 0;
}

void gops_funnel_exclude(gops_funnel *f, const gops_funnel_exclusion *exclusions, int n) {
  assert(n >= 0 && (n == 0 || f->modes == 0) && f->n_steps + n <= GOPS_FUNNEL_MAX_STEPS);
  memcpy(f->exclusions, exclusions, (size_t)n * sizeof(*exclusions));
  f->n_exclusions = n;
}

void gops_funnel_release(gops_funnel *f) {
  /* A state never set up (zeroed memory) holds nothing. */
  if (f->alloc) free_rows(f);
}

static gops_funnel_rc append_row(gops_funnel *f, double ts, uint64_t mask) {
  if (f->n_rows == f->cap) {
    if (f->n_rows >= GOPS_FUNNEL_MAX_ROWS) return GOPS_FUNNEL_TOO_MANY_ROWS;
    size_t cap = f->cap * 2;
    if (cap > GOPS_FUNNEL_MAX_ROWS) cap = GOPS_FUNNEL_MAX_ROWS;
    gops_funnel_row *rows;
    if (f->rows == f->inline_rows) {
      rows = f->alloc->realloc(0, cap * sizeof(*rows));
      if (rows) memcpy(rows, f->rows, f->n_rows * sizeof(*rows));
    } else {
      rows = f->alloc->realloc(f->rows, cap * sizeof(*rows));
    }
    if (rows == 0) return GOPS_FUNNEL_NOMEM;
    f->rows = rows;
    f->cap = cap;
  }
  f->rows[f->n_rows].ts = ts;
  f->rows[f->n_rows].mask = mask;
  f->n_rows++;
  return GOPS_FUNNEL_OK;
}

/* ---- the machine (every mode but strict_once) ---- */

/* One event: condition e+1 at ts (e = -1: a row meeting no condition,
** strict_order only).  The branches follow ClickHouse's in their order. */
static void machine_event(gops_funnel *f, double ts, int e) {
  const unsigned m = f->modes;
  const int n = f->n_steps;
  assert(e >= -1 && e < n);
  if (e == -1) {
    if (f->first_event) {
      f->done = 1;
      f->result = highest_level(f->filled);
    }
    return;
  }
  if (e == 0) {
    f->first[0] = f->last[0] = ts;
    f->filled |= 1;
    f->first_event = 1;
    if (f->path) f->path[0] = ts;
    if (n == 1 && !(m & GOPS_FUNNEL_STRICT_ORDER)) {
      f->done = 1;
      f->result = 1;
    }
  } else if ((m & GOPS_FUNNEL_STRICT_DEDUPLICATION) && (f->filled & (1ULL << e))) {
    f->done = 1;
    f->result = highest_level(f->filled);
  } else if ((m & GOPS_FUNNEL_STRICT_ORDER) && f->first_event &&
             !(f->filled & (1ULL << (e - 1)))) {
    if (m & GOPS_FUNNEL_ALLOW_REENTRY) return;
    f->done = 1;
    f->result = first_empty(f->filled, n);
  } else if (f->filled & (1ULL << (e - 1))) {
    double first = f->first[e - 1];
    int matched = ts <= first + f->window;
    if (m & GOPS_FUNNEL_STRICT_INCREASE) matched = matched && f->last[e - 1] < ts;
    if (matched) {
      f->first[e] = first;
      f->last[e] = ts;
      f->filled |= 1ULL << e;
      if (f->path) {
        memcpy(f->path + (size_t)e * n, f->path + (size_t)(e - 1) * n,
               (size_t)e * sizeof(double));
        f->path[(size_t)e * n + e] = ts;
      }
      if (e + 1 == n) {
        f->done = 1;
        f->result = n;
      }
    }
  }
}

/* Runs the events of the pending time, in condition order; a condition
** that came twice at that time runs twice (strict_deduplication sees the
** second; for every other branch the second changes nothing). */
static void flush_pending(gops_funnel *f) {
  if (!f->has_pending) return;
  f->has_pending = 0;
  double ts = f->pending_ts;
  for (int k = 0; k < f->pending_zero && k < 2 && !f->done; k++) {
    machine_event(f, ts, -1);
  }
  uint64_t mask = f->pending_mask;
  while (mask && !f->done) {
    int b = lowest_bit(mask);
    machine_event(f, ts, b);
    if (!f->done && (f->pending_dup & (1ULL << b))) machine_event(f, ts, b);
    mask &= mask - 1;
  }
}

/* A row in time order into the machine. */
static void machine_row(gops_funnel *f, double ts, uint64_t mask) {
  if (f->done) return;
  if (f->has_pending && ts == f->pending_ts) {
    f->pending_dup |= f->pending_mask & mask;
    f->pending_mask |= mask;
    if (mask == 0) f->pending_zero++;
    return;
  }
  flush_pending(f);
  if (f->done) return;
  f->has_pending = 1;
  f->pending_ts = ts;
  f->pending_mask = mask;
  f->pending_dup = 0;
  f->pending_zero = mask == 0;
}

gops_funnel_rc gops_funnel_add(gops_funnel *f, double ts, uint64_t mask) {
  if (mask == 0 && !(f->modes & GOPS_FUNNEL_STRICT_ORDER)) return GOPS_FUNNEL_OK;
  if (f->final) return GOPS_FUNNEL_OK;
  if ((f->modes & GOPS_FUNNEL_STRICT_ONCE) || f->n_exclusions) return append_row(f, ts, mask);
  if (!f->in_order) return append_row(f, ts, mask);
  if (f->n_rows > 0 || f->committed) {
    if (ts < f->max_ts) {
      if (f->committed) return GOPS_FUNNEL_LATE_ROW;
      f->in_order = 0;
      return append_row(f, ts, mask);
    }
  }
  f->max_ts = ts;
  if (!f->committed && f->n_rows == GOPS_FUNNEL_REPLAY_ROWS) {
    /* One row more than a replay keeps: from here on, streaming only. */
    free_rows(f);
    f->committed = 1;
  }
  if (!f->committed) {
    gops_funnel_rc rc = append_row(f, ts, mask);
    if (rc != GOPS_FUNNEL_OK) return rc;
  }
  assert(f->n_rows <= GOPS_FUNNEL_REPLAY_ROWS);
  machine_row(f, ts, mask);
  if (f->done && f->modes == 0) {
    /* Default mode only reaches done at the last step, and more rows,
    ** wherever they fall, cannot take it back. */
    f->final = 1;
    free_rows(f);
  }
  return GOPS_FUNNEL_OK;
}

/* ---- sorting (stable: strict_once orders equal times by arrival) ---- */

void *gops_stable_sort(void *base, void *tmp, size_t n, size_t size,
                       int (*before)(const void *a, const void *b, void *ctx), void *ctx) {
  unsigned char *a = base, *b = tmp;
  int sorted = 1;
  for (size_t i = 1; i < n && sorted; i++) sorted = !before(a + i * size, a + (i - 1) * size, ctx);
  if (sorted) return base;
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        const unsigned char *next = before(a + j * size, a + i * size, ctx) ? a + j++ * size
                                                                            : a + i++ * size;
        memcpy(b + k++ * size, next, size);
      }
      memcpy(b + k * size, a + i * size, (mid - i) * size);
      k += mid - i;
      memcpy(b + k * size, a + j * size, (hi - j) * size);
    }
    unsigned char *t = a;
    a = b;
    b = t;
  }
  return a;
}

static int earlier_row(const void *a, const void *b, void *ctx) {
  (void)ctx;
  return ((const gops_funnel_row *)a)->ts < ((const gops_funnel_row *)b)->ts;
}

static gops_funnel_rc sort_rows(gops_funnel *f) {
  size_t n = f->n_rows;
  int sorted = 1;
  for (size_t i = 1; i < n && sorted; i++) sorted = f->rows[i - 1].ts <= f->rows[i].ts;
  if (sorted) return GOPS_FUNNEL_OK;
  gops_funnel_row *tmp = f->alloc->realloc(0, n * sizeof(*tmp));
  if (tmp == 0) return GOPS_FUNNEL_NOMEM;
  void *out = gops_stable_sort(f->rows, tmp, n, sizeof(*tmp), earlier_row, 0);
  if (out != f->rows) memcpy(f->rows, out, n * sizeof(*tmp));
  f->alloc->free(tmp);
  return GOPS_FUNNEL_OK;
}

/* ---- strict_once: every partial chain, as ClickHouse keeps them ---- */

typedef struct chain_list {
  unsigned char *data;
  size_t count, cap;
} chain_list;

/* A chain: first, last, then n row ids, then n times. */
typedef struct chain_view {
  double *first, *last;
  uint64_t *ids;
  double *times;
} chain_view;

static chain_view chain_at(chain_list *l, size_t i, size_t stride, int n) {
  unsigned char *p = l->data + i * stride;
  chain_view v;
  v.first = (double *)p;
  v.last = (double *)(p + sizeof(double));
  v.ids = (uint64_t *)(p + 2 * sizeof(double));
  v.times = (double *)(p + 2 * sizeof(double) + (size_t)n * sizeof(uint64_t));
  return v;
}

static unsigned char *chain_push(chain_list *l, size_t stride,
                                 const gops_alloc *alloc) {
  if (l->count == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 4;
    unsigned char *data = alloc->realloc(l->data, cap * stride);
    if (data == 0) return 0;
    l->data = data;
    l->cap = cap;
  }
  return l->data + stride * l->count++;
}

/* A new chain at the end of list l, counted against the bound. */
static unsigned char *chain_new(chain_list *l, size_t stride, const gops_alloc *alloc,
                                size_t *chains, gops_funnel_rc *rc) {
  if (++*chains > GOPS_FUNNEL_MAX_CHAINS) {
    *rc = GOPS_FUNNEL_TOO_MANY_CHAINS;
    return 0;
  }
  unsigned char *p = chain_push(l, stride, alloc);
  if (p == 0) *rc = GOPS_FUNNEL_NOMEM;
  return p;
}

/* The deepest level some chain reached. */
static int deepest_chain(const chain_list *levels, int n) {
  int l = n;
  while (l > 0 && levels[l - 1].count == 0) l--;
  return l;
}

static gops_funnel_rc strict_once_run(gops_funnel *f, int *level, double *times) {
  const int n = f->n_steps;
  const unsigned m = f->modes;
  const size_t stride = 2 * sizeof(double) + (size_t)n * (sizeof(uint64_t) + sizeof(double));
  chain_list *levels = f->alloc->realloc(0, (size_t)n * sizeof(chain_list));
  if (levels == 0) return GOPS_FUNNEL_NOMEM;
  memset(levels, 0, (size_t)n * sizeof(chain_list));
  gops_funnel_rc rc = GOPS_FUNNEL_OK;
  size_t chains = 0;
  int has_first = 0, result = -1;

  size_t a = 0;
  while (a < f->n_rows && result < 0 && rc == GOPS_FUNNEL_OK) {
    size_t b = a;
    double ts = f->rows[a].ts;
    uint64_t any = 0;
    int zero = 0;
    while (b < f->n_rows && f->rows[b].ts == ts) {
      any |= f->rows[b].mask;
      zero |= f->rows[b].mask == 0;
      b++;
    }
    /* Events at ts ordered by condition, then by row (the row id). */
    for (int e = zero ? -1 : lowest_bit(any); e < n && result < 0 && rc == GOPS_FUNNEL_OK; e++) {
      if (e >= 0 && !(any & (1ULL << e))) continue;
      for (size_t r = a; r < b && result < 0 && rc == GOPS_FUNNEL_OK; r++) {
        uint64_t mask = f->rows[r].mask;
        if (e == -1 ? mask != 0 : !(mask & (1ULL << e))) continue;
        uint64_t id = r + 1;
        if (e == -1) {
          /* strict_order: a row meeting no condition ends the search. */
          if (has_first) result = deepest_chain(levels, n);
          continue;
        }
        if (e == 0) {
          if (chain_new(&levels[0], stride, f->alloc, &chains, &rc) == 0) break;
          chain_view v = chain_at(&levels[0], levels[0].count - 1, stride, n);
          *v.first = *v.last = ts;
          v.ids[0] = id;
          v.times[0] = ts;
          has_first = 1;
        } else if ((m & GOPS_FUNNEL_STRICT_DEDUPLICATION) && levels[e].count) {
          result = deepest_chain(levels, n);
        } else if ((m & GOPS_FUNNEL_STRICT_ORDER) && has_first && levels[e - 1].count == 0) {
          if (m & GOPS_FUNNEL_ALLOW_REENTRY) continue;
          int l = 0;
          while (l < n && levels[l].count) l++;
          result = l;
        } else if (levels[e - 1].count) {
          chain_list *prev = &levels[e - 1];
          size_t i = 0;
          while (i < prev->count) {
            chain_view c = chain_at(prev, i, stride, n);
            int matched = ts <= *c.first + f->window;
            if (!matched && prev->count > 1) {
              /* Out of the window: dropped, keeping at least one. */
              memmove(prev->data + i * stride, prev->data + (i + 1) * stride,
                      (prev->count - i - 1) * stride);
              prev->count--;
              continue;
            }
            for (int j = 0; j < e && matched; j++) matched = c.ids[j] != id;
            if (matched && (m & GOPS_FUNNEL_STRICT_INCREASE)) matched = *c.last < ts;
            if (matched) {
              unsigned char *p = chain_new(&levels[e], stride, f->alloc, &chains, &rc);
              if (p == 0) break;
              c = chain_at(prev, i, stride, n);
              memcpy(p, prev->data + i * stride, stride);
              chain_view v = chain_at(&levels[e], levels[e].count - 1, stride, n);
              *v.last = ts;
              v.ids[e] = id;
              v.times[e] = ts;
              if (e + 1 == n) {
                result = n;
                break;
              }
            }
            i++;
          }
        }
      }
    }
    a = b;
  }
  if (rc == GOPS_FUNNEL_OK) {
    if (result < 0) result = deepest_chain(levels, n);
    *level = result;
    if (times && result > 0) {
      chain_list *l = &levels[result - 1];
      chain_view v = chain_at(l, l->count - 1, stride, n);
      memcpy(times, v.times, (size_t)result * sizeof(double));
    }
  }
  for (int e = 0; e < n; e++) f->alloc->free(levels[e].data);
  f->alloc->free(levels);
  return rc;
}

/* ---- chains ---- */

#define CHAIN_ROW(i) ((const gops_funnel_row *)((const char *)rows + (i) * stride))

int gops_funnel_chains(const gops_funnel_row *rows, size_t n, size_t stride,
                       const gops_funnel_spec *spec, gops_funnel_chain_fn fn, void *ctx) {
  const int n_steps = spec->n_steps;
  assert(n_steps >= 1 && n_steps + spec->n_exclusions <= GOPS_FUNNEL_MAX_STEPS);
  /* For each step, and each exclusion, the first row a later chain may
  ** still take: chains start later and later, and so does each of their
  ** steps (each is the first one after a later time), so these only move
  ** forward, and all the chains of n rows cost O(n) per step. */
  size_t next[GOPS_FUNNEL_MAX_STEPS], next_exclusion[GOPS_FUNNEL_MAX_STEPS];
  memset(next, 0, (size_t)n_steps * sizeof(next[0]));
  memset(next_exclusion, 0, (size_t)spec->n_exclusions * sizeof(next_exclusion[0]));
  int started = 0;
  double last_start = 0;
  gops_funnel_chain c;
  for (size_t s = 0; s < n; s++) {
    const gops_funnel_row *first = CHAIN_ROW(s);
    if (!(first->mask & 1) || (started && first->ts == last_start)) continue;
    started = 1;
    last_start = first->ts;
    const double end = first->ts + spec->window;
    double t = first->ts;
    c.level = 1;
    c.row[0] = s;
    for (int k = 1; k < n_steps; k++) {
      const uint64_t bit = 1ULL << k;
      size_t p = next[k];
      while (p < n && (CHAIN_ROW(p)->ts < t || !(CHAIN_ROW(p)->mask & bit))) p++;
      next[k] = p;
      if (p == n || CHAIN_ROW(p)->ts > end) break;
      c.row[k] = p;
      c.level = k + 1;
      t = CHAIN_ROW(p)->ts;
    }
    int excluded = 0;
    for (int j = 0; j < spec->n_exclusions && !excluded; j++) {
      const gops_funnel_exclusion *x = &spec->exclusions[j];
      assert(x->from >= 1 && x->from < x->to && x->to <= n_steps);
      if (x->from > c.level) continue;
      const double after = CHAIN_ROW(c.row[x->from - 1])->ts;
      const double before = x->to <= c.level ? CHAIN_ROW(c.row[x->to - 1])->ts : end;
      const uint64_t bit = 1ULL << (n_steps + j);
      size_t p = next_exclusion[j];
      while (p < n && (CHAIN_ROW(p)->ts <= after || !(CHAIN_ROW(p)->mask & bit))) p++;
      next_exclusion[j] = p;
      excluded = p < n && CHAIN_ROW(p)->ts < before;
    }
    if (!excluded) {
      int rc = fn(ctx, &c);
      if (rc) return rc;
    }
  }
  return 0;
}

void gops_funnel_walk_start(gops_funnel_walk *w, const gops_funnel_row *rows, size_t n,
                            size_t stride, const gops_funnel_spec *spec, uint64_t present) {
  assert(spec->n_exclusions == 0);
  assert(spec->n_steps >= 1 && spec->n_steps <= GOPS_FUNNEL_MAX_STEPS);
  w->rows = rows;
  w->n = n;
  w->stride = stride;
  w->n_steps = spec->n_steps;
  w->window = spec->window;
  int reach = 0;
  while (reach < spec->n_steps && ((present >> reach) & 1)) reach++;
  w->reach = reach;
  w->to = n;
  for (int k = 1; k < spec->n_steps; k++) {
    w->seen[k] = n;
    w->first[k] = n;
  }
}

#define WALK_ROW(w, i) ((const gops_funnel_row *)((const char *)(w)->rows + (i) * (w)->stride))

/* The first row at or after time t meeting step k (w->n: none), t no
** later than it was at the call before for k. */
static size_t walk_first(gops_funnel_walk *w, int k, double t) {
  const uint64_t bit = 1ULL << k;
  size_t seen = w->seen[k], first = w->first[k];
  while (seen > 0 && WALK_ROW(w, seen - 1)->ts >= t) {
    seen--;
    if (WALK_ROW(w, seen)->mask & bit) first = seen;
  }
  w->seen[k] = seen;
  w->first[k] = first;
  assert(first == w->n || WALK_ROW(w, first)->ts >= t);
  return first;
}

int gops_funnel_walk_deepest(gops_funnel_walk *w, size_t from, gops_funnel_chain *best) {
  assert(from <= w->to);
  assert(from == 0 || from >= w->n || WALK_ROW(w, from - 1)->ts < WALK_ROW(w, from)->ts);
  size_t s = w->to;
  w->to = from;
  /* Each chain is written into one of two, the deeper one kept: one copy
  ** at the end at most. */
  gops_funnel_chain spare;
  gops_funnel_chain *kept = best, *c = &spare;
  kept->level = 0;
  while (s > from && kept->level < w->reach) {
    s--;
    if (!(WALK_ROW(w, s)->mask & 1)) continue;
    /* The chain of a time starts at its first row meeting step 1. */
    const double t0 = WALK_ROW(w, s)->ts;
    size_t start = s;
    while (s > from && WALK_ROW(w, s - 1)->ts == t0) {
      s--;
      if (WALK_ROW(w, s)->mask & 1) start = s;
    }
    const double end = t0 + w->window;
    double t = t0;
    c->level = 1;
    c->row[0] = start;
    for (int k = 1; k < w->reach; k++) {
      size_t p = walk_first(w, k, t);
      if (p == w->n || WALK_ROW(w, p)->ts > end) break;
      c->row[k] = p;
      c->level = k + 1;
      t = WALK_ROW(w, p)->ts;
    }
    /* Going back, a chain as deep as the one kept starts earlier. */
    if (c->level > kept->level) {
      gops_funnel_chain *swap = kept;
      kept = c;
      c = swap;
    }
  }
  if (kept != best) {
    best->level = kept->level;
    memcpy(best->row, kept->row, (size_t)kept->level * sizeof(kept->row[0]));
  }
  return best->level;
}

int gops_funnel_bucket(const double *edges, int n, double value) {
  int i = 0;
  while (i < n && value >= edges[i]) i++;
  return i;
}

/* The deepest chain; of several, the one that starts last. */
typedef struct best_chain {
  int level;
  gops_funnel_chain chain;
} best_chain;

static int keep_deepest(void *ctx, const gops_funnel_chain *chain) {
  best_chain *b = ctx;
  if (chain->level >= b->level) {
    b->level = chain->level;
    b->chain = *chain;
  }
  return 0;
}

gops_funnel_rc gops_funnel_finish(gops_funnel *f, int *level, double *times) {
  gops_funnel_rc rc;
  if (f->n_exclusions) {
    rc = sort_rows(f);
    best_chain best = {0};
    if (rc == GOPS_FUNNEL_OK) {
      gops_funnel_spec spec = {f->n_steps, f->window, f->n_exclusions, f->exclusions};
      gops_funnel_chains(f->rows, f->n_rows, sizeof(gops_funnel_row), &spec, keep_deepest, &best);
      *level = best.level;
      for (int k = 0; times && k < best.level; k++) times[k] = f->rows[best.chain.row[k]].ts;
    }
    free_rows(f);
    return rc;
  }
  if (f->modes & GOPS_FUNNEL_STRICT_ONCE) {
    rc = sort_rows(f);
    if (rc == GOPS_FUNNEL_OK) rc = strict_once_run(f, level, times);
    free_rows(f);
    return rc;
  }
  if (!f->in_order) {
    rc = sort_rows(f);
    if (rc != GOPS_FUNNEL_OK) return rc;
    machine_reset(f);
    for (size_t i = 0; i < f->n_rows && !f->done; i++) {
      machine_row(f, f->rows[i].ts, f->rows[i].mask);
    }
  }
  flush_pending(f);
  free_rows(f);
  int l = f->done ? f->result : highest_level(f->filled);
  *level = l;
  if (times && l > 0 && f->path) {
    memcpy(times, f->path + (size_t)(l - 1) * f->n_steps, (size_t)l * sizeof(double));
  }
  return GOPS_FUNNEL_OK;
}

/* ---- retention ---- */

size_t gops_retention_format(uint64_t seen, int n, char *out) {
  assert(n >= 1 && n <= GOPS_FUNNEL_MAX_STEPS);
  size_t k = 0;
  int first = (int)(seen & 1);
  out[k++] = '[';
  for (int i = 0; i < n; i++) {
    if (i) out[k++] = ',';
    int v = i == 0 ? first : first && ((seen >> i) & 1);
    out[k++] = v ? '1' : '0';
  }
  out[k++] = ']';
  out[k] = 0;
  return k;
}

/* ---- stages ---- */

int gops_funnel_stages(const double *counts, int n, gops_stage *out) {
  for (int i = 1; i < n; i++) {
    if (counts[i] > counts[i - 1]) return i + 1;
  }
  gops_funnel_rates(counts, n, out);
  return 0;
}

void gops_funnel_rates(const double *counts, int n, gops_stage *out) {
  for (int i = 0; i < n; i++) {
    out[i].users = counts[i];
    out[i].overall_rate = counts[0] > 0 ? counts[i] / counts[0] : NAN;
    if (i == 0) {
      out[i].step_rate = NAN;
      out[i].drop_off = NAN;
    } else {
      out[i].step_rate = counts[i - 1] > 0 ? counts[i] / counts[i - 1] : NAN;
      out[i].drop_off = counts[i - 1] - counts[i];
    }
  }
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void swap_doubles(double *a, double *b) {
  double t = *a;
  *a = *b;
  *b = t;
}

/* Puts the k-th smallest of v[0..n-1] at v[k], none larger before it and
** none smaller after it (k < n): quickselect on the median of three,
** which is linear on the whole; after 2 log2(n) rounds that have not
** narrowed it down, the part left is sorted instead, so that no order of
** the values costs more than a sort. */
static void select_kth(double *v, size_t n, size_t k) {
  assert(k < n);
  size_t lo = 0, hi = n; /* v[k] lies in [lo, hi) */
  int rounds = 0;
  for (size_t m = n; m > 1; m /= 2) rounds += 2;
  while (hi - lo > 2) {
    if (rounds-- == 0) {
      qsort(v + lo, hi - lo, sizeof(double), compare_doubles);
      return;
    }
    size_t mid = lo + (hi - lo) / 2;
    if (v[mid] < v[lo]) swap_doubles(&v[mid], &v[lo]);
    if (v[hi - 1] < v[lo]) swap_doubles(&v[hi - 1], &v[lo]);
    if (v[hi - 1] < v[mid]) swap_doubles(&v[hi - 1], &v[mid]);
    const double pivot = v[mid];
    /* Hoare's partition: v[lo..j] <= pivot <= v[j+1..hi-1]. */
    size_t i = lo, j = hi - 1;
    for (;;) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i >= j) break;
      swap_doubles(&v[i], &v[j]);
      i++;
      j--;
    }
    if (k <= j) hi = j + 1;
    else lo = j + 1;
  }
  if (hi - lo == 2 && v[lo + 1] < v[lo]) swap_doubles(&v[lo], &v[lo + 1]);
}

double gops_median(double *values, size_t n) {
  if (n == 0) return NAN;
  select_kth(values, n, n / 2);
  if (n % 2) return values[n / 2];
  double below = values[0]; /* the largest of the lower half */
  for (size_t i = 1; i < n / 2; i++) {
    if (values[i] > below) below = values[i];
  }
  return (below + values[n / 2]) / 2;
}
