/*
** lifecycle_core.c: lifecycle stages and retention cohorts.  See
** lifecycle_core.h.
*/
#include "lifecycle_core.h"
#include "text.h"

#include <assert.h>

static int valid_periods(const int64_t *periods, size_t n, int64_t n_periods) {
  for (size_t i = 0; i < n; i++) {
    if (periods[i] < 0 || periods[i] >= n_periods) return 0;
    if (i > 0 && periods[i] <= periods[i - 1]) return 0;
  }
  return 1;
}

int gops_lifecycle_add(gops_lifecycle_row *rows, int64_t n_periods,
                       const int64_t *periods, size_t n) {
  if (!valid_periods(periods, n, n_periods)) return -1;
  for (size_t i = 0; i < n; i++) {
    int64_t p = periods[i];
    if (i == 0) {
      rows[p].new_users++;
    } else if (periods[i - 1] == p - 1) {
      rows[p].returning++;
    } else {
      rows[p].resurrecting++;
    }
    /* Not active in the next period: dormant there, if the run has it. */
    int gap_after = (i + 1 == n) || periods[i + 1] > p + 1;
    if (gap_after && p + 1 < n_periods) rows[p + 1].dormant++;
  }
  return 0;
}

int gops_retention_parse(const char *name, gops_retention *type) {
  /* In the order of gops_retention. */
  static const char *const names[] = {"first_time", "recurring"};
  int i = gops_word_find(name, names, 2);
  if (i < 0) return -1;
  *type = (gops_retention)i;
  return 0;
}

uint64_t gops_cohort_cells(int64_t n_periods) {
  uint64_t n = (uint64_t)n_periods;
  return n * (n + 1) / 2;
}

uint64_t gops_cohort_cell(int64_t n_periods, int64_t cohort, int64_t k) {
  /* Cohorts before c take n + (n-1) + ... + (n-c+1) cells. */
  assert(cohort >= 0 && k >= 0 && cohort + k < n_periods);
  uint64_t n = (uint64_t)n_periods, c = (uint64_t)cohort;
  return c * n - c * (c - 1) / 2 + (uint64_t)k;
}

/* Adds the user to the cohort of period s. */
static void add_to_cohort(gops_cohort_table *t, int64_t s,
                          const int64_t *returns, size_t n_returns) {
  int64_t n = t->n_periods;
  uint64_t base = gops_cohort_cell(n, s, 0);
  int64_t last = 0;
  t->size[s]++;
  t->users[base]++;
  for (size_t i = 0; i < n_returns; i++) {
    int64_t k = returns[i] - s;
    if (k < 1) continue; /* period 0 is the cohort itself */
    t->users[base + (uint64_t)k]++;
    last = k;
  }
  /* Kept as "last return in period k" until gops_cohort_finish(). */
  if (last > 0) t->on_or_after[base + (uint64_t)last]++;
}

int gops_cohort_add(gops_cohort_table *t, const int64_t *starts,
                    size_t n_starts, const int64_t *returns, size_t n_returns) {
  if (!valid_periods(starts, n_starts, t->n_periods) ||
      !valid_periods(returns, n_returns, t->n_periods)) {
    return -1;
  }
  if (n_starts == 0) return 0;
  if (t->type == GOPS_RETENTION_FIRST_TIME) n_starts = 1;
  for (size_t i = 0; i < n_starts; i++) {
    add_to_cohort(t, starts[i], returns, n_returns);
  }
  return 0;
}

void gops_cohort_finish(gops_cohort_table *t) {
  int64_t n = t->n_periods;
  for (int64_t c = 0; c < n; c++) {
    uint64_t base = gops_cohort_cell(n, c, 0);
    int64_t running = 0;
    for (int64_t k = n - 1 - c; k >= 1; k--) {
      running += t->on_or_after[base + (uint64_t)k];
      t->on_or_after[base + (uint64_t)k] = running;
    }
    t->on_or_after[base] = t->size[c];
  }
}

/* ---- stickiness ---- */

int gops_stickiness_add(gops_stickiness_day *days_out, int64_t n_days, const int64_t *days,
                        size_t n, int64_t mau_days) {
  if (mau_days < 1 || !valid_periods(days, n, n_days)) return -1;
  const int64_t windows[2] = {7, mau_days};
  for (size_t i = 0; i < n; i++) {
    const int64_t d = days[i];
    days_out[d].dau++;
    for (int w = 0; w < 2; w++) {
      /* Covers d .. end - 1: up to the window's end, or the next active
      ** day, which covers from there. */
      int64_t end = d + windows[w];
      if (i + 1 < n && days[i + 1] < end) end = days[i + 1];
      if (end > n_days) end = n_days;
      int64_t *begin_at = w ? &days_out[d].mau : &days_out[d].wau;
      int64_t *end_at = w ? &days_out[end].mau : &days_out[end].wau;
      ++*begin_at;
      --*end_at;
    }
  }
  return 0;
}

void gops_stickiness_finish(gops_stickiness_day *days_out, int64_t n_days) {
  for (int64_t d = 1; d < n_days; d++) {
    days_out[d].wau += days_out[d - 1].wau;
    days_out[d].mau += days_out[d - 1].mau;
  }
}

int gops_active_days_add(int64_t *counts, int64_t first, int64_t n_periods, gops_grain g,
                         const int64_t *days, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int64_t p = gops_period_ordinal(days[i], g);
    if ((i > 0 && days[i] <= days[i - 1]) || p < first || p >= first + n_periods) return -1;
  }
  size_t i = 0;
  while (i < n) {
    int64_t p = gops_period_ordinal(days[i], g);
    size_t j = i;
    while (j < n && gops_period_ordinal(days[j], g) == p) j++;
    assert(j - i <= GOPS_ACTIVE_DAYS_MAX);
    counts[(p - first) * (GOPS_ACTIVE_DAYS_MAX + 1) + (int64_t)(j - i)]++;
    i = j;
  }
  return 0;
}
