/*
** test_eventlog.c: cmocka tests of the event log's packing core
** (eventlog_core.h): varints of every width, users and their keys in
** SQLite's order, the time units, blocks written and read back (random
** ones, every delta width, blocks at their bounds), properties, pending
** records (the smallest each kind can be) and a block merged with them
** (walked with places and by times alone, against a plain merge), where
** blocks are cut, corrupt input found (every byte changed, every length
** cut short, random changes behind a valid checksum: never a crash, never
** a block that breaks its own rules), and out of memory at every
** allocation.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eventlog_core.h"

/* ---- an allocator that counts, and fails on request ---------------------- */

static long live_allocs;
static long alloc_calls;
static long fail_at; /* 0: never */

static void *counting_realloc(void *p, uint64_t n) {
  alloc_calls++;
  if (fail_at && alloc_calls == fail_at) return 0;
  void *q = realloc(p, (size_t)n);
  if (q && !p) live_allocs++;
  return q;
}

static void counting_free(void *p) {
  if (p) live_allocs--;
  free(p);
}

static const gops_alloc alloc = {counting_realloc, counting_free};

/* splitmix64, the same numbers every run */
static uint64_t rng = 0x5eed;
static uint64_t next_rand(void) {
  uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
static uint64_t below(uint64_t n) { return next_rand() % n; }

#define T2025 1735689600.0

/* ---- varints ----------------------------------------------------------------- */

/* A buffer never allocated (zeroed, as a struct memset before use) frees
** without touching its allocator. */
static void test_buf_free_zeroed(void **state) {
  (void)state;
  gops_log_buf b;
  memset(&b, 0, sizeof(b));
  gops_log_buf_free(&b);
  gops_log_buf_free(&b);
  assert_null(b.p);
}

/* The checksums are part of the layout: their values on fixed bytes, so
** that blobs written by earlier builds still check (layout 1's recorded
** from the build that wrote only layout 1). */
static void test_checksums_known(void **state) {
  (void)state;
  unsigned char b[45];
  for (int i = 0; i < 45; i++) b[i] = (unsigned char)(i * 37 + 1);
  assert_true(gops_log_checksum(b, 45) == 0x36f2eedc72de84b6ULL);
  assert_true(gops_log_checksum(b, 3) == 0xec277f153901d9d0ULL);
  b[0] = 1; /* a blob of layout 1 checks as it always did */
  assert_true(gops_log_blob_checksum(b, 45) == gops_log_checksum(b, 45));
  b[0] = 2; /* layout 2: four lanes, another value */
  const uint64_t lanes = gops_log_blob_checksum(b, 45);
  assert_true(lanes != gops_log_checksum(b, 45));
  /* Every byte counts, in every lane and in the tail. */
  for (int i = 0; i < 45; i++) {
    b[i] ^= 0x10;
    assert_true(gops_log_blob_checksum(b, 45) != lanes);
    b[i] ^= 0x10;
  }
  assert_true(gops_log_blob_checksum(b, 45) == lanes);
}

static void test_varint_widths(void **state) {
  (void)state;
  unsigned char buf[16];
  for (int width = 1; width <= 10; width++) {
    /* The smallest and largest value of each width. */
    uint64_t lo = width == 1 ? 0 : 1ULL << (7 * (width - 1));
    uint64_t hi = width == 10 ? UINT64_MAX : (1ULL << (7 * width)) - 1;
    uint64_t values[] = {lo, hi};
    for (int k = 0; k < 2; k++) {
      size_t n = gops_log_varint_put(buf, values[k]);
      assert_int_equal(n, width);
      uint64_t back = 0;
      assert_int_equal(gops_log_varint_get(buf, buf + n, &back), width);
      assert_true(back == values[k]);
      /* Cut short: nothing read. */
      assert_int_equal(gops_log_varint_get(buf, buf + n - 1, &back), 0);
    }
  }
  /* Eleven bytes, or a 10th byte beyond 64 bits: not a varint. */
  memset(buf, 0xff, sizeof(buf));
  uint64_t v;
  assert_int_equal(gops_log_varint_get(buf, buf + 16, &v), 0);
  buf[9] = 0x02;
  assert_int_equal(gops_log_varint_get(buf, buf + 16, &v), 0);
}

/* Every length 1..11, random low bits, read whole (with bytes after it),
** cut at every byte, and with a 10th byte of 0, 1, 2, 0x7f and 0x80: a
** 10th byte holds the top bit alone (0 or 1), and nothing is longer. */
static void test_varint_every_length(void **state) {
  (void)state;
  const unsigned last_bytes[] = {0, 1, 2, 0x7f, 0x80};
  for (int round = 0; round < 200; round++) {
    for (size_t len = 1; len <= 11; len++) {
      for (size_t t = 0; t < (len == 10 ? 5u : 1u); t++) {
        unsigned char buf[16];
        uint64_t want = 0;
        for (size_t i = 0; i < len; i++) {
          buf[i] = (unsigned char)(i + 1 < len ? 0x80 | below(0x80) : below(0x80));
          if (len == 10 && i == 9) buf[i] = (unsigned char)last_bytes[t];
          if (i < 10) want |= (uint64_t)(buf[i] & 0x7f) << (7 * i);
        }
        for (size_t i = len; i < sizeof(buf); i++) buf[i] = (unsigned char)next_rand();
        const int good = len <= 9 || (len == 10 && buf[9] <= 1);
        uint64_t v = 0x5a5a;
        assert_int_equal(gops_log_varint_get(buf, buf + sizeof(buf), &v), good ? len : 0);
        if (good) assert_true(v == want);
        for (size_t cut = 0; cut < len; cut++) {
          v = 0x5a5a;
          assert_int_equal(gops_log_varint_get(buf, buf + cut, &v), 0);
          assert_true(v == 0x5a5a);
        }
        /* An end before the start reads nothing. */
        assert_int_equal(gops_log_varint_get(buf + 1, buf, &v), 0);
      }
    }
  }
}

/* ---- users -------------------------------------------------------------------- */

static gops_log_user int_user(int64_t v) {
  gops_log_user u = {GOPS_LOG_INTEGER, v, 0, 0};
  return u;
}

static gops_log_user bytes_user(int kind, const char *s, uint32_t n) {
  gops_log_user u = {kind, 0, (const unsigned char *)s, n};
  return u;
}

static int key_compare(const gops_log_user *a, const gops_log_user *b) {
  unsigned char ka[GOPS_LOG_KEY_SIZE], kb[GOPS_LOG_KEY_SIZE];
  size_t na = gops_log_user_key(a, ka), nb = gops_log_user_key(b, kb);
  size_t n = na < nb ? na : nb;
  int c = memcmp(ka, kb, n);
  if (c) return c < 0 ? -1 : 1;
  return (na > nb) - (na < nb);
}

static void test_user_order(void **state) {
  (void)state;
  /* In SQLite's order: integers, text, blobs; a prefix first. */
  gops_log_user users[] = {
      int_user(INT64_MIN), int_user(-1), int_user(0), int_user(1), int_user(INT64_MAX),
      bytes_user(GOPS_LOG_TEXT, "", 0), bytes_user(GOPS_LOG_TEXT, "a", 1),
      bytes_user(GOPS_LOG_TEXT, "a\0", 2), bytes_user(GOPS_LOG_TEXT, "ab", 2),
      bytes_user(GOPS_LOG_TEXT, "\xe6\x96\xb0", 3), bytes_user(GOPS_LOG_BLOB, "", 0),
      bytes_user(GOPS_LOG_BLOB, "\x00", 1), bytes_user(GOPS_LOG_BLOB, "\xff", 1),
  };
  int n = (int)(sizeof(users) / sizeof(users[0]));
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      int want = (i > j) - (i < j);
      assert_int_equal(gops_log_user_compare(&users[i], &users[j]), want);
      assert_int_equal(key_compare(&users[i], &users[j]), want);
    }
    unsigned char key[GOPS_LOG_KEY_SIZE];
    size_t len = gops_log_user_key(&users[i], key);
    gops_log_user back;
    assert_int_equal(gops_log_user_from_key(key, len, &back), 0);
    assert_int_equal(gops_log_user_compare(&back, &users[i]), 0);
  }
  gops_log_user back;
  assert_int_equal(gops_log_user_from_key((const unsigned char *)"", 0, &back), -1);
  assert_int_equal(gops_log_user_from_key((const unsigned char *)"\x01\x00", 2, &back), -1);
  assert_int_equal(gops_log_user_from_key((const unsigned char *)"\x07", 1, &back), -1);
  /* Random integers: the keys sort as the numbers. */
  for (int k = 0; k < 10000; k++) {
    gops_log_user a = int_user((int64_t)next_rand()), b = int_user((int64_t)next_rand());
    assert_int_equal(key_compare(&a, &b), gops_log_user_compare(&a, &b));
  }
}

/* ---- times ------------------------------------------------------------------------ */

static void test_time_units(void **state) {
  (void)state;
  assert_int_equal(gops_log_time_unit(T2025), GOPS_LOG_SECONDS);
  assert_int_equal(gops_log_time_unit(-62167219200.0), GOPS_LOG_SECONDS);
  assert_int_equal(gops_log_time_unit(T2025 + 0.5), GOPS_LOG_MILLIS);
  assert_int_equal(gops_log_time_unit(T2025 + 0.123), GOPS_LOG_MILLIS);
  assert_int_equal(gops_log_time_unit(T2025 + 0.0001), GOPS_LOG_BITS);
  assert_int_equal(gops_log_time_unit(-0.25), GOPS_LOG_MILLIS);
  assert_int_equal(gops_log_time_valid(-62167219200.0), 1);
  assert_int_equal(gops_log_time_valid(-62167219200.5), 0);
  assert_int_equal(gops_log_time_valid(253402300799.999), 1);
  assert_int_equal(gops_log_time_valid(253402300800.0), 0);
  assert_int_equal(gops_log_time_valid(0.0 / 0.0), 0);
  /* Every unit gives the time back exactly, and keys sort as the times. */
  double times[] = {-62167219200.0, -1.5, -0.001, 0.0, 0.001, 1.0, T2025, T2025 + 1e-4, T2025 + 0.123,
                    253402300799.999};
  int n = (int)(sizeof(times) / sizeof(times[0]));
  for (int i = 0; i < n; i++) {
    for (int unit = gops_log_time_unit(times[i]); unit <= GOPS_LOG_BITS; unit++) {
      int64_t key = gops_log_time_key(times[i], unit);
      assert_true(gops_log_time_value(key, unit) == times[i]);
      if (i > 0 && gops_log_time_unit(times[i - 1]) <= unit) {
        assert_true(gops_log_time_key(times[i - 1], unit) < key);
      }
    }
  }
  assert_true(gops_log_time_key(-0.0, GOPS_LOG_BITS) == gops_log_time_key(0.0, GOPS_LOG_BITS));
}

/* ---- blocks ------------------------------------------------------------------------- */

/* A run of events built for a test, owning its arrays. */
typedef struct built {
  gops_log_events ev;
  char *texts; /* user bytes */
} built;

static void built_free(built *b) {
  free(b->ev.users);
  free(b->ev.first);
  free(b->ev.ts);
  free(b->ev.codes);
  free((void *)b->ev.props);
  free(b->ev.props_len);
  free(b->texts);
  memset(b, 0, sizeof(*b));
}

static int double_less(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* n_users users (integers from start, then texts), each with 1..max_each
** events, times drawn by how(), codes below n_names + 1. */
static void build(built *b, uint32_t n_users, uint32_t max_each, uint32_t n_names,
                  double (*how)(uint32_t user, uint32_t k), int with_props) {
  memset(b, 0, sizeof(*b));
  uint32_t n_int = n_users - n_users / 4;
  b->ev.users = calloc(n_users + 1, sizeof(gops_log_user));
  b->ev.first = calloc(n_users + 1, sizeof(uint32_t));
  b->texts = calloc(n_users + 1, 16);
  uint32_t total = 0;
  uint32_t *counts = calloc(n_users + 1, sizeof(uint32_t));
  for (uint32_t u = 0; u < n_users; u++) {
    counts[u] = 1 + (uint32_t)below(max_each);
    total += counts[u];
  }
  b->ev.ts = calloc(total + 1, sizeof(double));
  b->ev.codes = calloc(total + 1, sizeof(uint16_t));
  if (with_props) {
    b->ev.props = calloc(total + 1, sizeof(unsigned char *));
    b->ev.props_len = calloc(total + 1, sizeof(int32_t));
  }
  uint32_t e = 0;
  int64_t v = -1000;
  for (uint32_t u = 0; u < n_users; u++) {
    if (u < n_int) {
      v += 1 + (int64_t)below(u % 7 == 0 ? 1000000 : 3);
      b->ev.users[u] = int_user(v);
    } else {
      char *t = b->texts + 16 * u;
      int len = snprintf(t, 16, "u%08u", u);
      b->ev.users[u] = bytes_user(GOPS_LOG_TEXT, t, (uint32_t)len);
    }
    b->ev.first[u] = e;
    for (uint32_t k = 0; k < counts[u]; k++) b->ev.ts[e + k] = how(u, k);
    qsort(b->ev.ts + e, counts[u], sizeof(double), double_less);
    for (uint32_t k = 0; k < counts[u]; k++) {
      b->ev.codes[e + k] = (uint16_t)below(n_names + 1);
      if (with_props) {
        static const char *const pool[] = {"{\"a\":1}", "", "{\"utm\":\"wechat\"}"};
        int pick = (int)below(4);
        b->ev.props[e + k] = pick < 3 ? (const unsigned char *)pool[pick] : 0;
        b->ev.props_len[e + k] = pick < 3 ? (int32_t)strlen(pool[pick]) : -1;
      }
    }
    /* Ties: by code, as a block keeps them. */
    for (uint32_t k = 1; k < counts[u]; k++) {
      for (uint32_t j = k; j > 0 && b->ev.ts[e + j] == b->ev.ts[e + j - 1] &&
                           b->ev.codes[e + j] < b->ev.codes[e + j - 1];
           j--) {
        uint16_t c = b->ev.codes[e + j];
        b->ev.codes[e + j] = b->ev.codes[e + j - 1];
        b->ev.codes[e + j - 1] = c;
      }
    }
    e += counts[u];
  }
  b->ev.first[n_users] = e;
  b->ev.n_users = n_users;
  b->ev.n_events = e;
  free(counts);
}

static double times_seconds(uint32_t u, uint32_t k) {
  (void)u;
  (void)k;
  return T2025 + (double)below(90 * 86400);
}
static double times_mixed(uint32_t u, uint32_t k) {
  (void)k;
  double t = T2025 + (double)below(90 * 86400);
  if (u % 3 == 1) t += (double)below(1000) / 1000.0;
  if (u % 3 == 2 && k == 0) t += 1e-4;
  return t;
}

static void assert_same_events(const gops_log_events *a, uint32_t from, uint32_t to,
                               const gops_log_events *b) {
  assert_int_equal(b->n_users, to - from);
  assert_int_equal(b->n_events, a->first[to] - a->first[from]);
  for (uint32_t i = 0; i < b->n_users; i++) {
    assert_int_equal(gops_log_user_compare(&a->users[from + i], &b->users[i]), 0);
    assert_int_equal(b->first[i], a->first[from + i] - a->first[from]);
  }
  for (uint32_t e = 0; e < b->n_events; e++) {
    uint32_t ae = a->first[from] + e;
    assert_true(a->ts[ae] == b->ts[e]);
    assert_int_equal(a->codes[ae], b->codes[e]);
    if (a->props && b->props) {
      assert_int_equal(a->props_len[ae], b->props_len[e]);
      if (a->props_len[ae] > 0) {
        assert_memory_equal(a->props[ae], b->props[e], (size_t)a->props_len[ae]);
      }
    }
  }
}

/* Encodes ev whole in the layout of a version, with its properties, and
** decodes it; returns the blob's size. */
static size_t round_trip_as(const gops_log_events *ev, uint32_t n_names, int version) {
  gops_log_buf blob, props;
  gops_log_buf_init(&blob, &alloc);
  gops_log_buf_init(&props, &alloc);
  assert_int_equal(gops_log_encode_as(ev, 0, ev->n_users, version, &blob), GOPS_LOG_OK);
  assert_int_equal(blob.p[0], version);
  assert_int_equal(gops_log_encode_props(ev, 0, ev->n_users, &props), GOPS_LOG_OK);
  gops_log_block block;
  const char *why = 0;
  assert_int_equal(gops_log_decode(blob.p, blob.n, n_names, &alloc, &block, &why), GOPS_LOG_OK);
  assert_int_equal(gops_log_decode_props(props.p, props.n, &block, &why), GOPS_LOG_OK);
  assert_same_events(ev, 0, ev->n_users, &block.ev);
  gops_log_block_free(&block);
  size_t n = blob.n;
  gops_log_buf_free(&blob);
  gops_log_buf_free(&props);
  return n;
}

/* The same in the layout written (its size returned) and in version 1,
** which blocks of earlier builds have and which is still read. */
static size_t round_trip(const gops_log_events *ev, uint32_t n_names) {
  round_trip_as(ev, n_names, 1);
  return round_trip_as(ev, n_names, GOPS_LOG_FORMAT);
}

static void test_block_round_trip(void **state) {
  (void)state;
  for (int round = 0; round < 20; round++) {
    built b;
    build(&b, 1 + (uint32_t)below(300), 1 + (uint32_t)below(40), 1 + (uint32_t)below(300),
          round % 2 ? times_mixed : times_seconds, 1);
    round_trip(&b.ev, 300);
    built_free(&b);
  }
  assert_int_equal(live_allocs, 0);
}

/* The bench's shape: about 10 events a user over 90 days, 4 names, packs
** in under 4 bytes an event. */
static void test_block_compact(void **state) {
  (void)state;
  built b;
  build(&b, 800, 19, 4, times_seconds, 0);
  size_t n = round_trip(&b.ev, 4);
  assert_true(n < 4 * (size_t)b.ev.n_events);
  built_free(&b);
}

/* Times whose differences take every varint width, in every unit, and
** users' first times far apart both ways. */
static double times_deltas(uint32_t u, uint32_t k) {
  (void)u;
  (void)k;
  return T2025;
}

static void test_every_delta_width(void **state) {
  (void)state;
  const double lo = -62167219200.0, hi = 253402300799.0;
  for (int unit = GOPS_LOG_SECONDS; unit <= GOPS_LOG_BITS; unit++) {
    double scale = unit == GOPS_LOG_MILLIS ? 1000.0 : 1.0;
    double frac = unit == GOPS_LOG_MILLIS ? 0.001 : unit == GOPS_LOG_BITS ? 1e-4 : 0;
    for (int width = 1; width <= 10; width++) {
      built b;
      build(&b, 3, 1, 3, times_deltas, 0);
      /* User 0 starts at lo, the next far above, the last below it again. */
      double ts[3][2];
      uint64_t step = width == 1 ? 0 : 1ULL << (7 * (width - 1));
      double d = (double)step / scale;
      if (lo + d + frac > hi) d = hi - lo - 1; /* the largest a time allows */
      ts[0][0] = lo;
      ts[0][1] = lo + d + frac;
      ts[1][0] = hi - 1 + frac;
      ts[1][1] = hi;
      ts[2][0] = lo + 1;
      ts[2][1] = lo + 1 + frac;
      free(b.ev.ts);
      free(b.ev.codes);
      b.ev.ts = calloc(6, sizeof(double));
      b.ev.codes = calloc(6, sizeof(uint16_t));
      for (int u = 0; u < 3; u++) {
        b.ev.first[u] = 2 * (uint32_t)u;
        b.ev.ts[2 * u] = ts[u][0];
        b.ev.ts[2 * u + 1] = ts[u][1];
        b.ev.codes[2 * u] = (uint16_t)u;
      }
      b.ev.first[3] = 6;
      b.ev.n_events = 6;
      round_trip(&b.ev, 3);
      built_free(&b);
    }
  }
  /* Differences packed at every width a unit's times allow (seconds to 39
  ** bits, milliseconds to 49, a double's bits to 64), at every place in a
  ** byte, the widest first in one user and last in the next. */
  for (int unit = GOPS_LOG_SECONDS; unit <= GOPS_LOG_BITS; unit++) {
    int widest = 0;
    const double start = lo;
    for (int width = 0; width <= 64; width++) {
      const uint64_t big = width ? 1ULL << (width - 1) : 0;
      const uint64_t small = width > 8 ? 256 : (big ? 2 * big : 1);
      uint64_t keys[24];
      uint64_t key = (uint64_t)gops_log_time_key(start, unit);
      for (int k = 0; k < 24; k++) {
        /* The second user starts again from the start, below the first. */
        if (k == 12) key = (uint64_t)gops_log_time_key(start, unit);
        uint64_t step = k == 0 || k == 12 ? 0 : (k == 11 || k == 13) ? big : below(small);
        if (k == 1 && width > 0) step = 1; /* a time of the unit's own (not whole) */
        key += step;
        keys[k] = key;
      }
      double ts[24];
      int valid = 1;
      for (int k = 0; k < 24; k++) {
        ts[k] = gops_log_time_value((int64_t)keys[k], unit);
        if (!gops_log_time_valid(ts[k]) || (k && k != 12 && !(ts[k] >= ts[k - 1]))) valid = 0;
      }
      if (!valid) continue;
      built b;
      build(&b, 2, 1, 2, times_deltas, 0);
      free(b.ev.ts);
      free(b.ev.codes);
      b.ev.ts = calloc(24, sizeof(double));
      b.ev.codes = calloc(24, sizeof(uint16_t));
      memcpy(b.ev.ts, ts, sizeof(ts));
      b.ev.first[0] = 0;
      b.ev.first[1] = 12; /* the first user's last difference is the widest */
      b.ev.first[2] = 24;
      b.ev.n_events = 24;
      for (int k = 0; k < 24; k++) b.ev.codes[k] = (uint16_t)(k % 3);
      round_trip(&b.ev, 2);
      gops_log_buf blob;
      gops_log_buf_init(&blob, &alloc);
      assert_int_equal(gops_log_encode(&b.ev, 0, 2, &blob), GOPS_LOG_OK);
      assert_int_equal(blob.p[1], width ? unit : GOPS_LOG_SECONDS);
      gops_log_buf_free(&blob);
      built_free(&b);
      widest = width;
    }
    assert_int_equal(widest, unit == GOPS_LOG_SECONDS ? 39 : unit == GOPS_LOG_MILLIS ? 49 : 64);
  }
  /* Event codes at every width up to 16 bits. */
  for (uint32_t top = 1; top <= GOPS_LOG_NAMES_MAX; top = top * 2 + 1) {
    built b;
    build(&b, 20, 20, top, times_seconds, 0);
    b.ev.codes[0] = (uint16_t)top;
    round_trip(&b.ev, top);
    built_free(&b);
  }
  assert_int_equal(live_allocs, 0);
}

static void test_block_bounds(void **state) {
  (void)state;
  /* No users at all (a block emptied by removals). */
  built b;
  build(&b, 1, 1, 1, times_seconds, 0);
  b.ev.n_users = 0;
  b.ev.n_events = 0;
  b.ev.first[0] = 0;
  round_trip(&b.ev, 1);
  built_free(&b);
  /* One user with one event. */
  build(&b, 1, 1, 1, times_seconds, 0);
  round_trip(&b.ev, 1);
  built_free(&b);
  /* One user with GOPS_LOG_EVENTS_MAX events, the most a block holds. */
  build(&b, 1, 1, 1, times_seconds, 0);
  free(b.ev.ts);
  free(b.ev.codes);
  uint32_t n = GOPS_LOG_EVENTS_MAX;
  b.ev.ts = malloc(n * sizeof(double));
  b.ev.codes = calloc(n, sizeof(uint16_t));
  for (uint32_t e = 0; e < n; e++) b.ev.ts[e] = T2025 + e / 64;
  b.ev.first[1] = n;
  b.ev.n_events = n;
  round_trip(&b.ev, 1);
  built_free(&b);
  /* A block that says it holds one more is corrupt. */
  unsigned char blob[64];
  size_t k = 0;
  blob[k++] = GOPS_LOG_FORMAT;
  blob[k++] = GOPS_LOG_SECONDS;
  k += gops_log_varint_put(blob + k, 1);
  k += gops_log_varint_put(blob + k, (uint64_t)GOPS_LOG_EVENTS_MAX + 1);
  blob[k++] = 0;
  blob[k++] = 0;
  blob[k++] = 0;
  uint64_t sum = gops_log_blob_checksum(blob, k);
  for (int i = 0; i < 8; i++) blob[k++] = (unsigned char)(sum >> (8 * i));
  gops_log_block block;
  const char *why = 0;
  assert_int_equal(gops_log_decode(blob, k, 1, &alloc, &block, &why), GOPS_LOG_CORRUPT);
  assert_string_equal(why, "its counts are out of range");
  gops_log_block_free(&block);
  /* A code beyond the dictionary is corrupt. */
  build(&b, 5, 5, 9, times_seconds, 0);
  b.ev.codes[0] = 9;
  gops_log_buf buf;
  gops_log_buf_init(&buf, &alloc);
  assert_int_equal(gops_log_encode(&b.ev, 0, b.ev.n_users, &buf), GOPS_LOG_OK);
  assert_int_equal(gops_log_decode(buf.p, buf.n, 8, &alloc, &block, &why), GOPS_LOG_CORRUPT);
  assert_string_equal(why, "an event's code is not in the dictionary");
  gops_log_block_free(&block);
  assert_int_equal(gops_log_decode(buf.p, buf.n, 9, &alloc, &block, &why), GOPS_LOG_OK);
  gops_log_block_free(&block);
  gops_log_buf_free(&buf);
  built_free(&b);
  assert_int_equal(live_allocs, 0);
}

/* Where blocks are cut: one block up to twice the target, else pieces of
** about the target, at users' boundaries. */
static void test_cuts(void **state) {
  (void)state;
  built b;
  build(&b, 1000, 10, 3, times_seconds, 0);
  uint32_t *cuts = malloc((b.ev.n_users + 1) * sizeof(uint32_t)), n = 0;
  gops_log_cuts(&b.ev, cuts, &n);
  assert_int_equal(n, 2);
  assert_int_equal(cuts[0], 0);
  assert_int_equal(cuts[1], 1000);
  free(cuts);
  built_free(&b);
  build(&b, 10000, 10, 3, times_seconds, 0);
  cuts = malloc((b.ev.n_users + 1) * sizeof(uint32_t));
  gops_log_cuts(&b.ev, cuts, &n);
  uint32_t pieces = b.ev.n_events / GOPS_LOG_BLOCK_EVENTS;
  assert_int_equal(n, pieces + 1);
  for (uint32_t i = 1; i < n; i++) {
    uint32_t events = b.ev.first[cuts[i]] - b.ev.first[cuts[i - 1]];
    assert_true(events >= GOPS_LOG_BLOCK_EVENTS - 20 && events <= 2 * GOPS_LOG_BLOCK_EVENTS);
  }
  assert_int_equal(cuts[n - 1], b.ev.n_users);
  /* Each piece encodes and reads back as that run of users. */
  for (uint32_t i = 1; i < n; i++) {
    gops_log_buf blob;
    gops_log_buf_init(&blob, &alloc);
    assert_int_equal(gops_log_encode(&b.ev, cuts[i - 1], cuts[i], &blob), GOPS_LOG_OK);
    gops_log_block block;
    const char *why;
    assert_int_equal(gops_log_decode(blob.p, blob.n, 3, &alloc, &block, &why), GOPS_LOG_OK);
    assert_same_events(&b.ev, cuts[i - 1], cuts[i], &block.ev);
    gops_log_block_free(&block);
    gops_log_buf_free(&blob);
  }
  free(cuts);
  built_free(&b);
  assert_int_equal(live_allocs, 0);
}

/* ---- corrupt input ------------------------------------------------------------------- */

static void reseal(unsigned char *p, size_t n) {
  uint64_t sum = gops_log_blob_checksum(p, n - 8);
  for (int i = 0; i < 8; i++) p[n - 8 + i] = (unsigned char)(sum >> (8 * i));
}

/* A block read back from changed bytes keeps the rules every reader relies
** on. */
static void assert_block_sane(const gops_log_block *block, uint32_t n_names) {
  const gops_log_events *ev = &block->ev;
  assert_true(ev->n_events <= GOPS_LOG_EVENTS_MAX);
  assert_int_equal(ev->first[0], 0);
  assert_int_equal(ev->first[ev->n_users], ev->n_events);
  for (uint32_t i = 0; i < ev->n_users; i++) {
    assert_true(ev->first[i + 1] > ev->first[i]);
    if (i) assert_true(gops_log_user_compare(&ev->users[i - 1], &ev->users[i]) < 0);
    for (uint32_t e = ev->first[i]; e < ev->first[i + 1]; e++) {
      assert_true(gops_log_time_valid(ev->ts[e]));
      if (e > ev->first[i]) assert_true(ev->ts[e] >= ev->ts[e - 1]);
      assert_true(ev->codes[e] <= n_names);
    }
  }
}

/* Every byte of a block's blob changed, every length cut short, and random
** changes behind a checksum made anew (a forged block): read as corrupt, or
** as a block that still keeps the rules; never past its bytes (ASan and
** valgrind watch that). */
#define FIRST_BYTE "first byte names no layout this build reads (a newer build's, or damage)"
#define NO_LAYOUT "its " FIRST_BYTE

static void attack_block(const gops_log_buf *blob) {
  unsigned char *copy = malloc(blob->n);
  gops_log_block block;
  const char *why;
  for (size_t i = 0; i < blob->n; i++) {
    memcpy(copy, blob->p, blob->n);
    copy[i] ^= (unsigned char)(1 + below(255));
    assert_int_equal(gops_log_decode(copy, blob->n, 5, &alloc, &block, &why), GOPS_LOG_CORRUPT);
    gops_log_block_free(&block);
  }
  for (size_t n = 0; n < blob->n; n++) {
    assert_int_equal(gops_log_decode(blob->p, n, 5, &alloc, &block, &why), GOPS_LOG_CORRUPT);
    gops_log_block_free(&block);
  }
  /* A first byte that names no layout, resealed: said so, checksum or not. */
  for (int first = 0; first < 256; first++) {
    if (first >= 1 && first <= GOPS_LOG_FORMAT) continue;
    memcpy(copy, blob->p, blob->n);
    copy[0] = (unsigned char)first;
    reseal(copy, blob->n);
    assert_int_equal(gops_log_decode(copy, blob->n, 5, &alloc, &block, &why), GOPS_LOG_CORRUPT);
    assert_string_equal(why, NO_LAYOUT);
    gops_log_block_free(&block);
  }
  int corrupt = 0, sane = 0;
  for (int round = 0; round < 20000; round++) {
    size_t n = blob->n;
    memcpy(copy, blob->p, n);
    int changes = 1 + (int)below(3);
    for (int c = 0; c < changes; c++) copy[below(n - 8)] = (unsigned char)next_rand();
    if (round % 5 == 0) n = 9 + below(blob->n - 8); /* and cut */
    reseal(copy, n);
    gops_log_rc rc = gops_log_decode(copy, n, 5, &alloc, &block, &why);
    if (rc == GOPS_LOG_OK) {
      assert_block_sane(&block, 5);
      sane++;
    } else {
      assert_int_equal(rc, GOPS_LOG_CORRUPT);
      assert_non_null(why);
      corrupt++;
    }
    gops_log_block_free(&block);
  }
  /* Packed numbers have no spare bits: about half of the forged blocks of
  ** version 2 still read, as other times. */
  assert_true(corrupt > 5000 && sane > 0);
  free(copy);
}

static void test_corrupt_blocks(void **state) {
  (void)state;
  built b;
  build(&b, 12, 6, 5, times_mixed, 1);
  gops_log_buf blob, props;
  gops_log_buf_init(&blob, &alloc);
  gops_log_buf_init(&props, &alloc);
  /* Both layouts read: version 1 first. */
  assert_int_equal(gops_log_encode_as(&b.ev, 0, b.ev.n_users, 1, &blob), GOPS_LOG_OK);
  attack_block(&blob);
  gops_log_buf_free(&blob);
  gops_log_buf_init(&blob, &alloc);
  assert_int_equal(gops_log_encode(&b.ev, 0, b.ev.n_users, &blob), GOPS_LOG_OK);
  attack_block(&blob);
  assert_int_equal(gops_log_encode_props(&b.ev, 0, b.ev.n_users, &props), GOPS_LOG_OK);
  gops_log_block block;
  const char *why;
  /* Properties: a changed byte, a block of another size. */
  assert_int_equal(gops_log_decode(blob.p, blob.n, 5, &alloc, &block, &why), GOPS_LOG_OK);
  unsigned char *pcopy = malloc(props.n);
  /* A first byte that names no layout: the message names the properties. */
  const unsigned char no_layouts[] = {0, GOPS_LOG_FORMAT + 1, 255};
  for (size_t k = 0; k < sizeof(no_layouts); k++) {
    memcpy(pcopy, props.p, props.n);
    pcopy[0] = no_layouts[k];
    reseal(pcopy, props.n);
    assert_int_equal(gops_log_decode_props(pcopy, props.n, &block, &why), GOPS_LOG_CORRUPT);
    assert_string_equal(why, "its properties' " FIRST_BYTE);
  }
  for (size_t i = 0; i < props.n; i++) {
    memcpy(pcopy, props.p, props.n);
    pcopy[i] ^= 0x40;
    assert_int_equal(gops_log_decode_props(pcopy, props.n, &block, &why), GOPS_LOG_CORRUPT);
  }
  for (int round = 0; round < 5000; round++) {
    memcpy(pcopy, props.p, props.n);
    pcopy[1 + below(props.n - 9)] = (unsigned char)next_rand();
    reseal(pcopy, props.n);
    gops_log_block again;
    assert_int_equal(gops_log_decode(blob.p, blob.n, 5, &alloc, &again, &why), GOPS_LOG_OK);
    gops_log_rc rc = gops_log_decode_props(pcopy, props.n, &again, &why);
    if (rc == GOPS_LOG_OK) {
      for (uint32_t e = 0; e < again.ev.n_events; e++) {
        assert_true(again.ev.props_len[e] >= -1);
      }
    }
    gops_log_block_free(&again);
  }
  free(pcopy);
  gops_log_block_free(&block);
  gops_log_buf_free(&blob);
  gops_log_buf_free(&props);
  built_free(&b);
  assert_int_equal(live_allocs, 0);
}

/* ---- pending records and merging ------------------------------------------------ */

typedef struct model_event {
  gops_log_user user;
  double ts;
  uint16_t code;
  int removed;
} model_event;

static void test_pending(void **state) {
  (void)state;
  built b;
  build(&b, 40, 5, 6, times_seconds, 1);
  gops_log_buf blob;
  gops_log_buf_init(&blob, &alloc);
  assert_int_equal(gops_log_encode(&b.ev, 0, b.ev.n_users, &blob), GOPS_LOG_OK);
  gops_log_block main_block;
  const char *why;
  assert_int_equal(gops_log_decode(blob.p, blob.n, 6, &alloc, &main_block, &why), GOPS_LOG_OK);
  gops_log_buf props;
  gops_log_buf_init(&props, &alloc);
  assert_int_equal(gops_log_encode_props(&b.ev, 0, b.ev.n_users, &props), GOPS_LOG_OK);
  assert_int_equal(gops_log_decode_props(props.p, props.n, &main_block, &why), GOPS_LOG_OK);

  /* Pending: events of existing users, of new users, then removals of
  ** block events and of pending ones. */
  gops_log_buf pend;
  gops_log_buf_init(&pend, &alloc);
  gops_log_user extra[3] = {int_user(-5000), bytes_user(GOPS_LOG_TEXT, "zz", 2),
                            bytes_user(GOPS_LOG_BLOB, "\x01", 1)};
  uint32_t n_add = 0;
  int adds_first = 0, adds_last = 0; /* to the users whose events are removed */
  for (int k = 0; k < 60; k++) {
    const uint32_t to = (uint32_t)below(b.ev.n_users);
    gops_log_user u = k % 4 == 3 ? extra[k % 3] : b.ev.users[to];
    if (k % 4 != 3) {
      adds_first |= to == 0;
      adds_last |= to == b.ev.n_users - 1;
    }
    double ts = T2025 + (double)below(90 * 86400) + (k % 5 == 0 ? 0.25 : 0);
    assert_int_equal(gops_log_pending_add(&pend, &u, ts, (uint16_t)below(7),
                                          (const unsigned char *)"{}", k % 2 ? 2 : -1, &why),
                     GOPS_LOG_OK);
    n_add++;
  }
  assert_int_equal(gops_log_pending_remove(&pend, 0, &why), GOPS_LOG_OK);
  assert_int_equal(gops_log_pending_remove(&pend, b.ev.n_events - 1, &why), GOPS_LOG_OK);
  assert_int_equal(gops_log_pending_remove(&pend, GOPS_LOG_PENDING_BASE + 3, &why), GOPS_LOG_OK);
  gops_log_block pending;
  assert_int_equal(gops_log_pending_decode(pend.p, pend.n, 6, b.ev.n_events, n_add + 3, n_add,
                                           1, &alloc, &pending, &why),
                   GOPS_LOG_OK);
  assert_int_equal(pending.n_records, n_add + 3);
  assert_int_equal(pending.n_added, n_add);
  assert_int_equal(pending.ev.n_events, n_add - 1);
  assert_int_equal(pending.n_removed, 2);
  assert_int_equal(pending.removed[0], 0);
  assert_int_equal(pending.removed[1], b.ev.n_events - 1);
  for (uint32_t e = 0; e < pending.ev.n_events; e++) {
    assert_true(pending.ev.place[e] != GOPS_LOG_PENDING_BASE + 3);
  }

  /* Merged: every event of both, in order, without the removed ones. */
  gops_log_block merged;
  const gops_log_user *too_big = 0;
  assert_int_equal(gops_log_merge_all(&main_block, &pending, &alloc, &merged, &too_big),
                   GOPS_LOG_OK);
  assert_int_equal(merged.ev.n_events, b.ev.n_events + n_add - 3);
  assert_int_equal(merged.ev.n_users,
                   b.ev.n_users + 3 - (b.ev.first[1] == 1 && !adds_first) -
                       (b.ev.first[b.ev.n_users] - b.ev.first[b.ev.n_users - 1] == 1 && !adds_last));
  for (uint32_t i = 0; i < merged.ev.n_users; i++) {
    if (i) assert_true(gops_log_user_compare(&merged.ev.users[i - 1], &merged.ev.users[i]) < 0);
    for (uint32_t e = merged.ev.first[i] + 1; e < merged.ev.first[i + 1]; e++) {
      assert_true(merged.ev.ts[e - 1] < merged.ev.ts[e] ||
                  (merged.ev.ts[e - 1] == merged.ev.ts[e] &&
                   merged.ev.codes[e - 1] <= merged.ev.codes[e]));
    }
  }
  /* Written again and read back as it is. */
  gops_log_buf again;
  gops_log_buf_init(&again, &alloc);
  assert_int_equal(gops_log_encode(&merged.ev, 0, merged.ev.n_users, &again), GOPS_LOG_OK);
  gops_log_buf again_props;
  gops_log_buf_init(&again_props, &alloc);
  assert_int_equal(gops_log_encode_props(&merged.ev, 0, merged.ev.n_users, &again_props),
                   GOPS_LOG_OK);
  gops_log_block back;
  assert_int_equal(gops_log_decode(again.p, again.n, 6, &alloc, &back, &why), GOPS_LOG_OK);
  assert_int_equal(gops_log_decode_props(again_props.p, again_props.n, &back, &why), GOPS_LOG_OK);
  assert_same_events(&merged.ev, 0, merged.ev.n_users, &back.ev);

  /* The walk over both gives the same events, with their places. */
  gops_log_merge m;
  gops_log_merge_start(&m, &main_block.ev, &pending, &alloc);
  gops_log_run run;
  uint32_t e = 0, users = 0;
  while (gops_log_merge_next(&m, &run) > 0) {
    assert_int_equal(gops_log_user_compare(run.user, &merged.ev.users[users]), 0);
    for (uint32_t k = 0; k < run.n; k++, e++) {
      assert_true(run.ts[k] == merged.ev.ts[e]);
      uint32_t place = run.place ? run.place[k] : run.first_place + k;
      if (place < GOPS_LOG_PENDING_BASE) {
        assert_true(main_block.ev.ts[place] == run.ts[k]);
        assert_true(place != 0 && place != b.ev.n_events - 1);
      }
    }
    users++;
  }
  gops_log_merge_end(&m);
  assert_int_equal(e, merged.ev.n_events);

  gops_log_block_free(&back);
  gops_log_buf_free(&again);
  gops_log_buf_free(&again_props);
  gops_log_block_free(&merged);

  /* Removing what is not there is corrupt. */
  gops_log_buf bad;
  gops_log_buf_init(&bad, &alloc);
  assert_int_equal(gops_log_pending_remove(&bad, GOPS_LOG_PENDING_BASE, &why), GOPS_LOG_OK);
  gops_log_block_free(&pending);
  assert_int_equal(gops_log_pending_decode(bad.p, bad.n, 6, 10, 1, 0, 0, &alloc, &pending, &why),
                   GOPS_LOG_CORRUPT);
  assert_string_equal(why, "a pending record removes an event that is not there");
  gops_log_block_free(&pending);
  bad.n = 0;
  assert_int_equal(gops_log_pending_remove(&bad, 10, &why), GOPS_LOG_OK);
  assert_int_equal(gops_log_pending_decode(bad.p, bad.n, 6, 10, 1, 0, 0, &alloc, &pending, &why),
                   GOPS_LOG_CORRUPT);
  gops_log_block_free(&pending);
  /* Counts that are not the blob's are corrupt, found before anything is
  ** allocated by them; counts no block could hold are out of range. */
  const int64_t lies[][2] = {{n_add + 4, n_add},
                             {n_add + 2, n_add},
                             {n_add + 3, n_add - 1},
                             {n_add + 3, n_add + 1},
                             {GOPS_LOG_PENDING_MAX, GOPS_LOG_PENDING_MAX},
                             {2 * (int64_t)GOPS_LOG_PENDING_MAX, 0}};
  for (size_t k = 0; k < sizeof(lies) / sizeof(lies[0]); k++) {
    const long calls = alloc_calls;
    assert_int_equal(gops_log_pending_decode(pend.p, pend.n, 6, b.ev.n_events, lies[k][0],
                                             lies[k][1], 1, &alloc, &pending, &why),
                     GOPS_LOG_CORRUPT);
    assert_string_equal(why, "its count of pending records is not theirs");
    assert_true(k < 4 || alloc_calls == calls);
    gops_log_block_free(&pending);
  }
  const int64_t impossible[][2] = {
      {-1, 0}, {5, -1}, {5, 6}, {2 * (int64_t)GOPS_LOG_PENDING_MAX + 1, 0},
      {GOPS_LOG_PENDING_MAX + 1, GOPS_LOG_PENDING_MAX + 1}};
  for (size_t k = 0; k < sizeof(impossible) / sizeof(impossible[0]); k++) {
    assert_false(gops_log_pending_counts_valid(impossible[k][0], impossible[k][1]));
    assert_int_equal(gops_log_pending_decode(pend.p, pend.n, 6, b.ev.n_events, impossible[k][0],
                                             impossible[k][1], 1, &alloc, &pending, &why),
                     GOPS_LOG_CORRUPT);
    assert_string_equal(why, "its count of pending records is out of range");
    gops_log_block_free(&pending);
  }
  assert_true(gops_log_pending_counts_valid(0, 0));
  assert_true(gops_log_pending_counts_valid(2 * (int64_t)GOPS_LOG_PENDING_MAX,
                                            GOPS_LOG_PENDING_MAX));
  /* A pending blob of a layout this build does not know (a newer one's). */
  pend.p[0] = GOPS_LOG_FORMAT + 1;
  assert_int_equal(gops_log_pending_decode(pend.p, pend.n, 6, 10, n_add + 3, n_add, 0, &alloc, &pending,
                                           &why),
                   GOPS_LOG_CORRUPT);
  assert_string_equal(why, "its pending records' " FIRST_BYTE);
  gops_log_block_free(&pending);
  assert_int_equal(gops_log_pending_remove(&pend, 1, &why), GOPS_LOG_CORRUPT);
  assert_string_equal(why, "its pending records' " FIRST_BYTE);
  pend.p[0] = GOPS_LOG_FORMAT;
  /* A changed byte in a pending blob: found before a record is added. */
  pend.p[pend.n / 2] ^= 1;
  assert_int_equal(gops_log_pending_remove(&pend, 1, &why), GOPS_LOG_CORRUPT);
  assert_string_equal(why, "its pending records' checksum does not match");
  for (int round = 0; round < 5000; round++) {
    unsigned char *copy = malloc(pend.n);
    memcpy(copy, pend.p, pend.n);
    copy[1 + below(pend.n - 9)] = (unsigned char)next_rand();
    reseal(copy, pend.n);
    gops_log_rc rc = gops_log_pending_decode(copy, pend.n, 6, b.ev.n_events, n_add + 3, n_add, 1,
                                             &alloc, &pending, &why);
    assert_true(rc == GOPS_LOG_OK || rc == GOPS_LOG_CORRUPT);
    if (rc == GOPS_LOG_OK) {
      gops_log_block whole;
      rc = gops_log_merge_all(&main_block, &pending, &alloc, &whole, &too_big);
      assert_int_equal(rc, GOPS_LOG_OK);
      gops_log_block_free(&whole);
    }
    gops_log_block_free(&pending);
    free(copy);
  }
  gops_log_buf_free(&bad);
  gops_log_buf_free(&pend);
  gops_log_block_free(&main_block);
  gops_log_buf_free(&blob);
  gops_log_buf_free(&props);
  built_free(&b);
  assert_int_equal(live_allocs, 0);
}

/* The fewest bytes of a pending record, as the decoder's count check
** assumes them: an added event of an integer 0, an empty text or blob
** user, in every unit (1 s, 1 ms, the smallest double), code 0, NULL
** properties, takes 7; a removal of place 0 takes 2.  Blobs of nothing
** but such records read back under their exact counts. */
static void test_pending_smallest_records(void **state) {
  (void)state;
  const gops_log_user users[] = {int_user(0), bytes_user(GOPS_LOG_TEXT, "", 0),
                                 bytes_user(GOPS_LOG_BLOB, "", 0)};
  const double times[] = {1.0, 0.001, 5e-324};
  const char *why = 0;
  gops_log_buf pend;
  gops_log_buf_init(&pend, &alloc);
  assert_int_equal(gops_log_pending_open(&pend, &why), GOPS_LOG_OK);
  uint32_t n_add = 0;
  for (int u = 0; u < 3; u++) {
    for (int t = 0; t < 3; t++) {
      assert_int_equal(gops_log_time_unit(times[t]), t);
      const size_t before = pend.n;
      gops_log_pending_put_add(&pend, &users[u], times[t], 0, 0, -1);
      assert_int_equal(pend.n - before, 7);
      n_add++;
    }
  }
  const size_t before = pend.n;
  gops_log_pending_put_remove(&pend, 0);
  assert_int_equal(pend.n - before, 2);
  assert_int_equal(gops_log_pending_seal(&pend), GOPS_LOG_OK);
  gops_log_block pending;
  assert_int_equal(gops_log_pending_decode(pend.p, pend.n, 0, 1, n_add + 1, n_add, 0, &alloc,
                                           &pending, &why),
                   GOPS_LOG_OK);
  assert_int_equal(pending.ev.n_events, n_add);
  assert_int_equal(pending.ev.n_users, 3);
  assert_int_equal(pending.n_removed, 1);
  gops_log_block_free(&pending);
  /* One record more than the bytes hold, of either kind: not theirs. */
  assert_int_equal(gops_log_pending_decode(pend.p, pend.n, 0, 1, n_add + 2, n_add + 1, 0, &alloc,
                                           &pending, &why),
                   GOPS_LOG_CORRUPT);
  assert_string_equal(why, "its count of pending records is not theirs");
  gops_log_block_free(&pending);
  gops_log_buf_free(&pend);
  assert_int_equal(live_allocs, 0);
}

/* Pending records cut short anywhere, in a user's bytes too, resealed and
** read under the counts of the records whole: the pending records end too
** soon (not "it", the block, whose own bytes are whole). */
static void test_pending_cut_short(void **state) {
  (void)state;
  const gops_log_user users[] = {bytes_user(GOPS_LOG_TEXT, "a user of twenty-two", 20),
                                 int_user(-123456789012LL)};
  const char *why = 0;
  gops_log_buf pend;
  gops_log_buf_init(&pend, &alloc);
  assert_int_equal(gops_log_pending_open(&pend, &why), GOPS_LOG_OK);
  for (int k = 0; k < 4; k++) {
    gops_log_pending_put_add(&pend, &users[k % 2], T2025 + k * 0.5, 1,
                             (const unsigned char *)"{\"k\":1}", k % 2 ? 7 : -1);
  }
  gops_log_pending_put_remove(&pend, GOPS_LOG_PENDING_BASE + 1);
  const size_t body = pend.n;
  assert_int_equal(gops_log_pending_seal(&pend), GOPS_LOG_OK);
  gops_log_block pending;
  assert_int_equal(gops_log_pending_decode(pend.p, pend.n, 1, 0, 5, 4, 1, &alloc, &pending, &why),
                   GOPS_LOG_OK);
  gops_log_block_free(&pending);
  unsigned char *cut = malloc(body + 8);
  for (size_t n = 1; n < body; n++) {
    memcpy(cut, pend.p, n);
    reseal(cut, n + 8);
    assert_int_equal(gops_log_pending_decode(cut, n + 8, 1, 0, 5, 4, 1, &alloc, &pending, &why),
                     GOPS_LOG_CORRUPT);
    if (strcmp(why, "its count of pending records is not theirs") != 0) {
      assert_string_equal(why, "its pending records end too soon");
    }
    gops_log_block_free(&pending);
  }
  /* Cut in the first user's bytes, with bytes enough for the counts. */
  memcpy(cut, pend.p, 14);
  reseal(cut, 14 + 8);
  assert_int_equal(gops_log_pending_decode(cut, 14 + 8, 1, 0, 1, 1, 1, &alloc, &pending, &why),
                   GOPS_LOG_CORRUPT);
  assert_string_equal(why, "its pending records end too soon");
  gops_log_block_free(&pending);
  free(cut);
  gops_log_buf_free(&pend);
  assert_int_equal(live_allocs, 0);
}

/* A block and pending records drawn so that times and codes tie often,
** users on one side only as well as on both.  The merge walked with
** places (the general loop) and without them and without properties
** (an analysis's: the times and codes alone) gives, run by run, the events
** of a plain merge: by time, then code, main's first when both tie. */
static double times_few(uint32_t u, uint32_t k) {
  (void)u;
  (void)k;
  return T2025 + 60.0 * (double)below(4);
}

static void test_merge_times_agree(void **state) {
  (void)state;
  for (int round = 0; round < 300; round++) {
    built b;
    build(&b, 1 + (uint32_t)below(12), 1 + (uint32_t)below(6), 2, times_few, 0);
    gops_log_buf blob;
    gops_log_buf_init(&blob, &alloc);
    assert_int_equal(gops_log_encode(&b.ev, 0, b.ev.n_users, &blob), GOPS_LOG_OK);
    gops_log_block main_block;
    const char *why;
    assert_int_equal(gops_log_decode(blob.p, blob.n, 2, &alloc, &main_block, &why), GOPS_LOG_OK);
    /* Pending: events of the block's users (some), of users before,
    ** between and after them; in some rounds none, in some removals. */
    gops_log_buf pend;
    gops_log_buf_init(&pend, &alloc);
    assert_int_equal(gops_log_pending_open(&pend, &why), GOPS_LOG_OK);
    const int n_new = (int)below(15);
    uint32_t n_add = 0, n_records = 0;
    for (int k = 0; k < n_new; k++) {
      gops_log_user u;
      if (below(3)) {
        u = b.ev.users[below(b.ev.n_users)];
      } else {
        u = int_user((int64_t)below(2) ? -2000 - (int64_t)below(5) : 5000000 + (int64_t)below(5));
      }
      gops_log_pending_put_add(&pend, &u, times_few(0, 0), (uint16_t)below(3), 0, -1);
      n_add++;
      n_records++;
    }
    const int removals = round % 5 == 4;
    if (removals) {
      gops_log_pending_put_remove(&pend, (uint32_t)below(b.ev.n_events));
      n_records++;
    }
    assert_int_equal(gops_log_pending_seal(&pend), GOPS_LOG_OK);
    gops_log_block pending;
    assert_int_equal(gops_log_pending_decode(pend.p, pend.n, 2, b.ev.n_events, n_records, n_add, 0,
                                             &alloc, &pending, &why),
                     GOPS_LOG_OK);
    gops_log_merge with_places, times_alone;
    gops_log_merge_start(&with_places, &main_block.ev, &pending, &alloc);
    gops_log_merge_start(&times_alone, &main_block.ev, &pending, &alloc);
    times_alone.places = 0;
    gops_log_run r1, r2;
    uint32_t i = 0, j = 0, users = 0, k_removed = 0;
    const gops_log_events *a = &main_block.ev, *p = &pending.ev;
    for (;;) {
      /* The plain merge of the next user's events on both sides (a user
      ** whose events are all removed has none: the walks skip it). */
      double ts[64];
      uint16_t codes[64];
      uint32_t places[64], n = 0;
      const gops_log_user *user = 0;
      while (n == 0 && (i < a->n_users || j < p->n_users)) {
        const int c = i == a->n_users   ? 1
                      : j == p->n_users ? -1
                                        : gops_log_user_compare(&a->users[i], &p->users[j]);
        uint32_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
        if (c <= 0) {
          user = &a->users[i];
          a0 = a->first[i];
          a1 = a->first[i + 1];
          i++;
        }
        if (c >= 0) {
          user = &p->users[j];
          b0 = p->first[j];
          b1 = p->first[j + 1];
          j++;
        }
        while (a0 < a1 || b0 < b1) {
          if (a0 < a1 && k_removed < pending.n_removed && pending.removed[k_removed] == a0) {
            k_removed++;
            a0++;
            continue;
          }
          const int take_main =
              a0 < a1 && (b0 == b1 || a->ts[a0] < p->ts[b0] ||
                          (a->ts[a0] == p->ts[b0] && a->codes[a0] <= p->codes[b0]));
          assert_true(n < 64);
          ts[n] = take_main ? a->ts[a0] : p->ts[b0];
          codes[n] = take_main ? a->codes[a0] : p->codes[b0];
          places[n++] = take_main ? a0++ : p->place[b0++];
        }
      }
      const int got1 = gops_log_merge_next(&with_places, &r1);
      const int got2 = gops_log_merge_next(&times_alone, &r2);
      assert_int_equal(got1, got2);
      assert_int_equal(got1, n > 0);
      if (n == 0) break;
      assert_int_equal(gops_log_user_compare(r1.user, user), 0);
      assert_int_equal(gops_log_user_compare(r2.user, user), 0);
      assert_int_equal(r1.n, n);
      assert_int_equal(r2.n, n);
      assert_null(r2.props);
      for (uint32_t k = 0; k < n; k++) {
        assert_true(r1.ts[k] == ts[k] && r2.ts[k] == ts[k]);
        assert_int_equal(r1.codes[k], codes[k]);
        assert_int_equal(r2.codes[k], codes[k]);
        assert_int_equal(r1.place ? r1.place[k] : r1.first_place + k, places[k]);
      }
      users++;
    }
    assert_int_equal(i, a->n_users);
    assert_int_equal(j, p->n_users);
    assert_true(users > 0);
    gops_log_merge_end(&with_places);
    gops_log_merge_end(&times_alone);
    gops_log_block_free(&pending);
    gops_log_buf_free(&pend);
    gops_log_block_free(&main_block);
    gops_log_buf_free(&blob);
    built_free(&b);
  }
  assert_int_equal(live_allocs, 0);
}

/* ---- out of memory ------------------------------------------------------------------- */

static void test_out_of_memory(void **state) {
  (void)state;
  built b;
  build(&b, 30, 8, 4, times_mixed, 1);
  int failures = 0;
  for (long at = 1;; at++) {
    alloc_calls = 0;
    fail_at = at;
    const char *why;
    gops_log_buf blob, props, pend;
    gops_log_buf_init(&blob, &alloc);
    gops_log_buf_init(&props, &alloc);
    gops_log_buf_init(&pend, &alloc);
    gops_log_block main_block, pending, merged;
    memset(&main_block, 0, sizeof(main_block));
    memset(&pending, 0, sizeof(pending));
    memset(&merged, 0, sizeof(merged));
    main_block.alloc = pending.alloc = merged.alloc = &alloc;
    gops_log_rc rc = gops_log_encode(&b.ev, 0, b.ev.n_users, &blob);
    if (rc == GOPS_LOG_OK) rc = gops_log_encode_props(&b.ev, 0, b.ev.n_users, &props);
    if (rc == GOPS_LOG_OK) rc = gops_log_decode(blob.p, blob.n, 4, &alloc, &main_block, &why);
    if (rc == GOPS_LOG_OK) rc = gops_log_decode_props(props.p, props.n, &main_block, &why);
    for (int k = 0; rc == GOPS_LOG_OK && k < 20; k++) {
      rc = gops_log_pending_add(&pend, &b.ev.users[k], T2025 + k * 0.5, 1,
                                (const unsigned char *)"x", 1, &why);
    }
    if (rc == GOPS_LOG_OK) rc = gops_log_pending_remove(&pend, 2, &why);
    if (rc == GOPS_LOG_OK) {
      rc = gops_log_pending_decode(pend.p, pend.n, 4, main_block.ev.n_events, 21, 20, 1, &alloc,
                                   &pending, &why);
    }
    const gops_log_user *too_big;
    if (rc == GOPS_LOG_OK) rc = gops_log_merge_all(&main_block, &pending, &alloc, &merged, &too_big);
    if (rc == GOPS_LOG_OK) {
      gops_log_merge m;
      gops_log_run run;
      gops_log_merge_start(&m, &main_block.ev, &pending, &alloc);
      int got;
      while ((got = gops_log_merge_next(&m, &run)) > 0) {
      }
      if (got < 0) rc = GOPS_LOG_NOMEM;
      gops_log_merge_end(&m);
    }
    int reached = fail_at <= alloc_calls;
    fail_at = 0;
    gops_log_block_free(&merged);
    gops_log_block_free(&pending);
    gops_log_block_free(&main_block);
    gops_log_buf_free(&blob);
    gops_log_buf_free(&props);
    gops_log_buf_free(&pend);
    assert_int_equal(live_allocs, 0);
    if (!reached) {
      assert_int_equal(rc, GOPS_LOG_OK);
      break;
    }
    assert_int_equal(rc, GOPS_LOG_NOMEM);
    failures++;
  }
  assert_true(failures > 10);
  built_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buf_free_zeroed),  cmocka_unit_test(test_checksums_known),
      cmocka_unit_test(test_varint_widths), cmocka_unit_test(test_varint_every_length),    cmocka_unit_test(test_user_order),
      cmocka_unit_test(test_time_units),       cmocka_unit_test(test_block_round_trip),
      cmocka_unit_test(test_block_compact),    cmocka_unit_test(test_every_delta_width),
      cmocka_unit_test(test_block_bounds),     cmocka_unit_test(test_cuts),
      cmocka_unit_test(test_corrupt_blocks),   cmocka_unit_test(test_pending),
      cmocka_unit_test(test_pending_smallest_records), cmocka_unit_test(test_pending_cut_short), cmocka_unit_test(test_merge_times_agree),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, 0, 0);
}
