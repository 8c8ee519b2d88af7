/*
** eventlog_core.c: the event log's blobs written and read back (see
** eventlog_core.h): users, times and codes of a block, its properties,
** its pending records, and a block merged with its pending records.
*/
#include "eventlog_core.h"

#include "funnel_core.h" /* gops_stable_sort */

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_core.h"

/* ---- varints, the checksum, the buffer -------------------------------- */

size_t gops_log_varint_put(unsigned char *out, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    out[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  out[n++] = (unsigned char)v;
  return n;
}

size_t gops_log_varint_get(const unsigned char *p, const unsigned char *end, uint64_t *v) {
  size_t room = end > p ? (size_t)(end - p) : 0;
  if (room > 10) room = 10;
  uint64_t x = 0;
  for (size_t i = 0; i < room; i++) {
    uint64_t byte = p[i];
    x |= (byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      /* The 10th byte holds the top bit only. */
      if (i == 9 && byte > 1) return 0;
      *v = x;
      return i + 1;
    }
  }
  return 0;
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzigzag(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

/* Eight bytes, the first the lowest: one load where the machine is little
** endian (the byte loop is not always made one by the compiler). */
static inline uint64_t load64(const unsigned char *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t w;
  memcpy(&w, p, 8);
  return w;
#else
  uint64_t w = 0;
  for (int i = 7; i >= 0; i--) w = (w << 8) | p[i];
  return w;
#endif
}

static inline void store64(unsigned char *p, uint64_t w) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(p, &w, 8);
#else
  for (int i = 0; i < 8; i++) p[i] = (unsigned char)(w >> (8 * i));
#endif
}

/* Bit-packed numbers, from the lowest bit of each byte.  Both read or write
** the eight bytes from the one holding `bit` (nine when width + its place
** in the byte passes 64), so the caller keeps that many bytes there. */
static inline uint64_t get_bits(const unsigned char *c, uint64_t bit, int width, uint64_t mask) {
  const uint64_t byte = bit >> 3;
  const unsigned shift = (unsigned)(bit & 7);
  uint64_t v = load64(c + byte) >> shift;
  if (width > 57 && shift) v |= (uint64_t)c[byte + 8] << (64 - shift);
  return v & mask;
}

static inline void put_bits(unsigned char *c, uint64_t bit, int width, uint64_t v) {
  const uint64_t byte = bit >> 3;
  const unsigned shift = (unsigned)(bit & 7);
  assert(width == 64 || v >> width == 0);
  store64(c + byte, load64(c + byte) | v << shift);
  if (width > 57 && shift) c[byte + 8] |= (unsigned char)(v >> (64 - shift));
}

static uint64_t low_bits(int width) { return width >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << width) - 1; }

/* One step of a hash: a word mixed in (the multiplier odd, the shift
** invertible, so that a changed word always changes the state). */
static inline uint64_t hash_mix(uint64_t h, uint64_t w) {
  h = (h ^ w) * 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

/* The bytes from i to n (fewer than 8) mixed in, and the state finished. */
static uint64_t hash_end(uint64_t h, const unsigned char *p, size_t i, size_t n) {
  assert(n - i < 8);
  uint64_t tail = 0;
  for (size_t k = 0; i + k < n; k++) tail |= (uint64_t)p[i + k] << (8 * k);
  h = (h ^ tail) * 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t gops_log_checksum(const unsigned char *p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n;
  size_t i = 0;
  /* Words read little-endian, as layout 2's: the same sum on any machine. */
  for (; i + 8 <= n; i += 8) h = hash_mix(h, load64(p + i));
  return hash_end(h, p, i, n);
}

uint64_t gops_log_blob_checksum(const unsigned char *p, size_t n) {
  if (n == 0 || p[0] < 2) return gops_log_checksum(p, n);
  /* Four lanes, so that the words of a stride are mixed side by side. */
  uint64_t h0 = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n, h1 = 0xc2b2ae3d27d4eb4fULL,
           h2 = 0x165667b19e3779f9ULL, h3 = 0x27d4eb2f165667c5ULL;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    h0 = hash_mix(h0, load64(p + i));
    h1 = hash_mix(h1, load64(p + i + 8));
    h2 = hash_mix(h2, load64(p + i + 16));
    h3 = hash_mix(h3, load64(p + i + 24));
  }
  uint64_t h = hash_mix(hash_mix(hash_mix(h0, h1), h2), h3);
  for (; i + 8 <= n; i += 8) h = hash_mix(h, load64(p + i));
  return hash_end(h, p, i, n);
}

void gops_log_buf_init(gops_log_buf *b, const gops_alloc *alloc) {
  memset(b, 0, sizeof(*b));
  b->alloc = alloc;
}

void gops_log_buf_free(gops_log_buf *b) {
  if (b->p) b->alloc->free(b->p);
  b->p = 0;
  b->n = b->cap = 0;
}

int gops_log_buf_reserve(gops_log_buf *b, size_t n) {
  if (b->failed) return 0;
  if (b->n + n <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->n + n) cap *= 2;
  unsigned char *p = b->alloc->realloc(b->p, cap);
  if (p == 0) {
    b->failed = 1;
    return 0;
  }
  b->p = p;
  b->cap = cap;
  return 1;
}

void gops_log_buf_bytes(gops_log_buf *b, const void *p, size_t n) {
  if (n == 0 || !gops_log_buf_reserve(b, n)) return;
  memcpy(b->p + b->n, p, n);
  b->n += n;
}

void gops_log_buf_varint(gops_log_buf *b, uint64_t v) {
  if (!gops_log_buf_reserve(b, 10)) return;
  b->n += gops_log_varint_put(b->p + b->n, v);
}

static void buf_byte(gops_log_buf *b, unsigned char c) { gops_log_buf_bytes(b, &c, 1); }

/* Ends a blob with the checksum of all before it. */
static void buf_seal(gops_log_buf *b) {
  unsigned char sum[8];
  store64(sum, gops_log_blob_checksum(b->p, b->n));
  gops_log_buf_bytes(b, sum, 8);
}

/* The kinds of blob, by what their messages call them: a block's own, its
** properties, its pending records. */
typedef struct blob_kind {
  const char *bad_sum, *bad_layout;
} blob_kind;

#define NO_LAYOUT "first byte names no layout this build reads (a newer build's, or damage)"
static const blob_kind block_blob = {"its checksum does not match", "its " NO_LAYOUT};
static const blob_kind props_blob = {"its properties' checksum does not match",
                                     "its properties' " NO_LAYOUT};
static const blob_kind pending_blob = {"its pending records' checksum does not match",
                                       "its pending records' " NO_LAYOUT};

/* Why the blob cannot be read, in the words of its kind, or NULL and its
** body (without the checksum).  A first byte past the layouts this build
** knows may be a newer build's: the message says so. */
static const char *blob_problem(const unsigned char *p, size_t n, const blob_kind *kind,
                                size_t *body) {
  if (n >= 9 && (p[0] < 1 || p[0] > GOPS_LOG_FORMAT)) return kind->bad_layout;
  if (n < 9) return kind->bad_sum;
  *body = n - 8;
  return load64(p + n - 8) == gops_log_blob_checksum(p, n - 8) ? 0 : kind->bad_sum;
}

/* ---- users -------------------------------------------------------------- */

size_t gops_log_user_key(const gops_log_user *u, unsigned char *out) {
  out[0] = (unsigned char)(1 + u->kind);
  if (u->kind == GOPS_LOG_INTEGER) {
    uint64_t v = (uint64_t)u->number ^ (1ULL << 63);
    for (int i = 0; i < 8; i++) out[1 + i] = (unsigned char)(v >> (56 - 8 * i));
    return 9;
  }
  assert(u->n <= GOPS_LOG_USER_BYTES_MAX);
  if (u->n) memcpy(out + 1, u->bytes, u->n);
  return 1 + (size_t)u->n;
}

int gops_log_user_from_key(const unsigned char *key, size_t n, gops_log_user *u) {
  memset(u, 0, sizeof(*u));
  if (n == 0) return -1;
  int kind = key[0] - 1;
  if (kind == GOPS_LOG_INTEGER) {
    if (n != 9) return -1;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | key[1 + i];
    u->number = (int64_t)(v ^ (1ULL << 63));
  } else if (kind == GOPS_LOG_TEXT || kind == GOPS_LOG_BLOB) {
    if (n - 1 > GOPS_LOG_USER_BYTES_MAX) return -1;
    u->bytes = key + 1;
    u->n = (uint32_t)(n - 1);
  } else {
    return -1;
  }
  u->kind = kind;
  return 0;
}

/* A user in a block or a record: kind, then the integer's zigzag (or, after
** an integer in a block, its difference from that one) or the length and
** the bytes. */
static void put_user(gops_log_buf *b, const gops_log_user *u, const gops_log_user *prev) {
  buf_byte(b, (unsigned char)u->kind);
  if (u->kind == GOPS_LOG_INTEGER) {
    if (prev && prev->kind == GOPS_LOG_INTEGER) {
      gops_log_buf_varint(b, (uint64_t)u->number - (uint64_t)prev->number);
    } else {
      gops_log_buf_varint(b, zigzag(u->number));
    }
  } else {
    gops_log_buf_varint(b, u->n);
    gops_log_buf_bytes(b, u->bytes, u->n);
  }
}

/* The next varint at *pp (3, 1 and 2 bytes, the most common, inline);
** 0 when there is none. */
static inline int next_varint(const unsigned char **pp, const unsigned char *end, uint64_t *v) {
  const unsigned char *p = *pp;
  if (end - p >= 3 && (p[0] & p[1] & 0x80) && p[2] < 0x80) {
    /* 3 bytes first: most differences of times in seconds, hours to days. */
    *v = (uint64_t)(p[0] & 0x7f) | ((uint64_t)(p[1] & 0x7f) << 7) | ((uint64_t)p[2] << 14);
    *pp = p + 3;
    return 1;
  }
  if (p < end && p[0] < 0x80) {
    *v = p[0];
    *pp = p + 1;
    return 1;
  }
  if (p + 1 < end && p[1] < 0x80) {
    *v = (uint64_t)(p[0] & 0x7f) | ((uint64_t)p[1] << 7);
    *pp = p + 2;
    return 1;
  }
  if (p + 2 < end && p[2] < 0x80) {
    *v = (uint64_t)(p[0] & 0x7f) | ((uint64_t)(p[1] & 0x7f) << 7) | ((uint64_t)p[2] << 14);
    *pp = p + 3;
    return 1;
  }
  size_t k = gops_log_varint_get(p, end, v);
  *pp = p + k;
  return k != 0;
}

/* What get_user says of bytes that end inside a user (a pending record's
** reader says it of its records instead). */
static const char user_cut_short[] = "it ends too soon";

/* Reads what put_user wrote; the bytes point into the input.  0 on an
** error (*why set). */
static int get_any_user(const unsigned char **pp, const unsigned char *end,
                        const gops_log_user *prev, gops_log_user *u, const char **why) {
  const unsigned char *p = *pp;
  if (p >= end) goto truncated;
  memset(u, 0, sizeof(*u));
  u->kind = *p++;
  uint64_t v;
  if (!next_varint(&p, end, &v)) goto truncated;
  if (u->kind == GOPS_LOG_INTEGER) {
    if (prev && prev->kind == GOPS_LOG_INTEGER) {
      uint64_t room = (uint64_t)INT64_MAX - (uint64_t)prev->number;
      if (v == 0 || v > room) {
        *why = "its users are out of order";
        return 0;
      }
      u->number = (int64_t)((uint64_t)prev->number + v);
      *pp = p; /* above the one before: in order */
      return 1;
    } else {
      u->number = unzigzag(v);
    }
  } else if (u->kind == GOPS_LOG_TEXT || u->kind == GOPS_LOG_BLOB) {
    if (v > GOPS_LOG_USER_BYTES_MAX) {
      *why = "a user is longer than a user can be";
      return 0;
    }
    if ((uint64_t)(end - p) < v) goto truncated;
    u->bytes = p;
    u->n = (uint32_t)v;
    p += v;
  } else {
    *why = "a user is of no kind the log holds";
    return 0;
  }
  if (prev && gops_log_user_compare(prev, u) >= 0) {
    *why = "its users are out of order";
    return 0;
  }
  *pp = p;
  return 1;
truncated:
  *why = user_cut_short;
  return 0;
}

/* get_any_user(), with an integer after an integer (a block's users, most
** often) read inline. */
static inline int get_user(const unsigned char **pp, const unsigned char *end,
                           const gops_log_user *prev, gops_log_user *u, const char **why) {
  const unsigned char *p = *pp;
  if (prev && prev->kind == GOPS_LOG_INTEGER && p < end && *p == GOPS_LOG_INTEGER) {
    const unsigned char *q = p + 1;
    uint64_t v;
    if (next_varint(&q, end, &v) && v != 0 && v <= (uint64_t)INT64_MAX - (uint64_t)prev->number) {
      memset(u, 0, sizeof(*u));
      u->kind = GOPS_LOG_INTEGER;
      u->number = (int64_t)((uint64_t)prev->number + v);
      *pp = q;
      return 1;
    }
  }
  return get_any_user(pp, end, prev, u, why);
}

/* ---- times ----------------------------------------------------------------- */

#define TIME_MIN ((double)GOPS_DAY_MIN * 86400.0)
#define TIME_END (((double)GOPS_DAY_MAX + 1.0) * 86400.0)

int gops_log_time_valid(double t) { return t >= TIME_MIN && t < TIME_END; }

int gops_log_time_unit(double t) {
  assert(gops_log_time_valid(t));
  if (t == floor(t)) return GOPS_LOG_SECONDS;
  double ms = round(t * 1000.0);
  if ((double)(int64_t)ms / 1000.0 == t) return GOPS_LOG_MILLIS;
  return GOPS_LOG_BITS;
}

int64_t gops_log_time_key(double t, int unit) {
  switch (unit) {
    case GOPS_LOG_SECONDS:
      return (int64_t)t;
    case GOPS_LOG_MILLIS:
      return (int64_t)round(t * 1000.0);
    default: {
      if (t == 0) t = 0.0; /* -0.0 sorts as 0.0 */
      int64_t bits;
      memcpy(&bits, &t, 8);
      return bits >= 0 ? bits : bits ^ INT64_MAX;
    }
  }
}

double gops_log_time_value(int64_t key, int unit) {
  switch (unit) {
    case GOPS_LOG_SECONDS:
      return (double)key;
    case GOPS_LOG_MILLIS:
      return (double)key / 1000.0;
    default: {
      int64_t bits = key >= 0 ? key : key ^ INT64_MAX;
      double t;
      memcpy(&t, &bits, 8);
      return t;
    }
  }
}

/* ---- memory of a decoded block ------------------------------------------------ */

void gops_log_block_free(gops_log_block *b) {
  for (int i = 0; i < b->n_mem; i++) b->alloc->free(b->mem[i]);
  const gops_alloc *alloc = b->alloc;
  memset(b, 0, sizeof(*b));
  b->alloc = alloc;
}

/* One allocation for several arrays: sizes[i] bytes each, 8-aligned. */
static int block_arrays(gops_log_block *b, void **out[], const uint64_t *sizes, int n) {
  uint64_t total = 0;
  for (int i = 0; i < n; i++) total += (sizes[i] + 7) & ~(uint64_t)7;
  assert(b->n_mem < (int)(sizeof(b->mem) / sizeof(b->mem[0])));
  unsigned char *p = b->alloc->realloc(0, total ? total : 1);
  if (p == 0) return 0;
  b->mem[b->n_mem++] = p;
  for (int i = 0; i < n; i++) {
    *out[i] = sizes[i] ? p : 0;
    p += (sizes[i] + 7) & ~(uint64_t)7;
  }
  return 1;
}

/* ---- a block ----------------------------------------------------------------- */

static int bits_for(uint64_t max) {
  int w = 0;
  while (w < 64 && max >> w) w++;
  return w;
}

/* A buffer for count numbers of width bits (n: their bytes), zeroed with
** the nine bytes past them that put_bits may touch. */
static void packed_start(gops_log_buf *b, const gops_alloc *alloc, uint64_t count, int width) {
  gops_log_buf_init(b, alloc);
  const uint64_t bytes = (count * (uint64_t)width + 7) / 8;
  if (gops_log_buf_reserve(b, bytes + 9)) {
    memset(b->p, 0, bytes + 9);
    b->n = bytes;
  }
}

/* Version 1 keeps a user's first time and the differences between its
** times as varints; version 2 packs the first times at the width the
** block's widest needs, and the differences likewise, so that they are read
** without a branch on their length.  Both are read; version 2 is written. */
gops_log_rc gops_log_encode_as(const gops_log_events *ev, uint32_t from, uint32_t to,
                               int version, gops_log_buf *out) {
  assert(from <= to && to <= ev->n_users);
  assert(version == 1 || version == GOPS_LOG_FORMAT);
  uint32_t e0 = ev->first[from], e1 = ev->first[to];
  assert(e1 - e0 <= GOPS_LOG_EVENTS_MAX);
  int unit = GOPS_LOG_SECONDS;
  uint32_t max_code = 0;
  for (uint32_t e = e0; e < e1; e++) {
    int u = gops_log_time_unit(ev->ts[e]);
    if (u > unit) unit = u;
    if (ev->codes[e] > max_code) max_code = ev->codes[e];
  }
  int width = bits_for(max_code);
  uint64_t max_first = 0, max_step = 0;
  int64_t prev_first = 0;
  for (uint32_t i = from; i < to; i++) {
    const int64_t first = gops_log_time_key(ev->ts[ev->first[i]], unit);
    const uint64_t z = zigzag((int64_t)((uint64_t)first - (uint64_t)prev_first));
    if (z > max_first) max_first = z;
    prev_first = first;
    for (uint32_t e = ev->first[i] + 1; e < ev->first[i + 1]; e++) {
      uint64_t step = (uint64_t)gops_log_time_key(ev->ts[e], unit) -
                      (uint64_t)gops_log_time_key(ev->ts[e - 1], unit);
      if (step > max_step) max_step = step;
    }
  }
  gops_log_buf users, times, firsts, steps;
  gops_log_buf_init(&users, out->alloc);
  gops_log_buf_init(&times, out->alloc);
  const int first_width = bits_for(max_first), step_width = bits_for(max_step);
  packed_start(&firsts, out->alloc, version > 1 ? to - from : 0, first_width);
  packed_start(&steps, out->alloc, version > 1 ? (e1 - e0) - (to - from) : 0, step_width);
  uint64_t first_bit = 0, step_bit = 0;
  prev_first = 0;
  for (uint32_t i = from; i < to; i++) {
    uint32_t a = ev->first[i], z = ev->first[i + 1];
    assert(z > a);
    assert(i == from || gops_log_user_compare(&ev->users[i - 1], &ev->users[i]) < 0);
    put_user(&users, &ev->users[i], i > from ? &ev->users[i - 1] : 0);
    gops_log_buf_varint(&users, z - a);
    int64_t key = gops_log_time_key(ev->ts[a], unit);
    const uint64_t first = zigzag((int64_t)((uint64_t)key - (uint64_t)prev_first));
    if (version == 1) {
      gops_log_buf_varint(&times, first);
    } else if (!firsts.failed) {
      put_bits(firsts.p, first_bit, first_width, first);
      first_bit += (uint64_t)first_width;
    }
    prev_first = key;
    for (uint32_t e = a + 1; e < z; e++) {
      int64_t next = gops_log_time_key(ev->ts[e], unit);
      assert(next >= key);
      if (version == 1) {
        gops_log_buf_varint(&times, (uint64_t)next - (uint64_t)key);
      } else if (!steps.failed) {
        put_bits(steps.p, step_bit, step_width, (uint64_t)next - (uint64_t)key);
        step_bit += (uint64_t)step_width;
      }
      key = next;
    }
  }
  buf_byte(out, (unsigned char)version);
  buf_byte(out, (unsigned char)unit);
  gops_log_buf_varint(out, to - from);
  gops_log_buf_varint(out, e1 - e0);
  buf_byte(out, (unsigned char)width);
  gops_log_buf_varint(out, users.n);
  gops_log_buf_bytes(out, users.p, users.n);
  if (version == 1) {
    gops_log_buf_varint(out, times.n);
    gops_log_buf_bytes(out, times.p, times.n);
  } else {
    buf_byte(out, (unsigned char)first_width);
    gops_log_buf_bytes(out, firsts.p, firsts.n);
    buf_byte(out, (unsigned char)step_width);
    gops_log_buf_bytes(out, steps.p, steps.n);
  }
  /* The codes, bit-packed from the lowest bit of each byte. */
  uint64_t code_bytes = ((uint64_t)(e1 - e0) * (uint64_t)width + 7) / 8;
  if (code_bytes && gops_log_buf_reserve(out, code_bytes + 9)) {
    unsigned char *c = out->p + out->n;
    memset(c, 0, code_bytes + 9);
    uint64_t bit = 0;
    for (uint32_t e = e0; e < e1; e++, bit += (uint64_t)width) put_bits(c, bit, width, ev->codes[e]);
    out->n += code_bytes;
  }
  int failed = users.failed || times.failed || firsts.failed || steps.failed;
  gops_log_buf_free(&users);
  gops_log_buf_free(&times);
  gops_log_buf_free(&firsts);
  gops_log_buf_free(&steps);
  buf_seal(out);
  return failed || out->failed ? GOPS_LOG_NOMEM : GOPS_LOG_OK;
}

gops_log_rc gops_log_encode(const gops_log_events *ev, uint32_t from, uint32_t to,
                            gops_log_buf *out) {
  return gops_log_encode_as(ev, from, to, GOPS_LOG_FORMAT, out);
}

/* A section: its length, then its bytes, within [*pp, end). */
static int get_section(const unsigned char **pp, const unsigned char *end,
                       const unsigned char **start, const unsigned char **stop) {
  uint64_t n;
  size_t k = gops_log_varint_get(*pp, end, &n);
  if (k == 0 || n > (uint64_t)(end - *pp - k)) return 0;
  *start = *pp + k;
  *stop = *start + n;
  *pp = *stop;
  return 1;
}

/* Numbers bit-packed (version 2): their width, a byte of at most 64, then
** the bytes count of them take, within [*pp, end). */
static int get_packed(const unsigned char **pp, const unsigned char *end, uint64_t count,
                      int *width, const unsigned char **start, const char **why) {
  *why = "it ends too soon";
  if (*pp >= end) return 0;
  *width = **pp;
  if (*width > 64) {
    *why = "its counts are out of range";
    return 0;
  }
  const uint64_t bytes = (count * (uint64_t)*width + 7) / 8;
  if ((uint64_t)(end - *pp - 1) < bytes) return 0;
  *start = *pp + 1;
  *pp = *start + bytes;
  return 1;
}

/* The next varint of a section, or corrupt. */
#define NEXT(p, end, v)                              \
  do {                                               \
    if (!next_varint(&(p), (end), &(v))) goto truncated; \
  } while (0)

gops_log_rc gops_log_decode(const unsigned char *p, size_t n, uint32_t n_names,
                            const gops_alloc *alloc, gops_log_block *out, const char **why) {
  memset(out, 0, sizeof(*out));
  out->alloc = alloc;
  size_t body;
  const char *problem = blob_problem(p, n, &block_blob, &body);
  if (problem) {
    *why = problem;
    return GOPS_LOG_CORRUPT;
  }
  const unsigned char *end = p + body;
  const int version = p[0];
  const unsigned char *q = p + 1;
  uint64_t n_users, n_events;
  if (q + 1 > end) goto truncated;
  int unit = *q++;
  if (unit > GOPS_LOG_BITS) {
    *why = "its times are in no unit the log knows";
    return GOPS_LOG_CORRUPT;
  }
  NEXT(q, end, n_users);
  NEXT(q, end, n_events);
  if (q >= end) goto truncated;
  int width = *q++;
  if (n_events > GOPS_LOG_EVENTS_MAX || n_users > n_events || width > 16) {
    *why = "its counts are out of range";
    return GOPS_LOG_CORRUPT;
  }
  const unsigned char *us, *ue, *ts = 0, *te = 0;
  if (!get_section(&q, end, &us, &ue)) goto truncated;
  /* Version 1: the times as varints; 2: the first times, then the
  ** differences, bit-packed. */
  int first_width = 0, step_width = 0;
  const unsigned char *firsts = 0, *steps = 0;
  if (version == 1) {
    if (!get_section(&q, end, &ts, &te)) goto truncated;
  } else if (!get_packed(&q, end, n_users, &first_width, &firsts, why) ||
             !get_packed(&q, end, n_events - n_users, &step_width, &steps, why)) {
    return GOPS_LOG_CORRUPT;
  }
  const uint64_t first_mask = low_bits(first_width);
  const uint64_t step_mask = low_bits(step_width);
  uint64_t bit = 0;
  uint64_t code_bytes = (n_events * (uint64_t)width + 7) / 8;
  if ((uint64_t)(end - q) != code_bytes) goto truncated;
  const unsigned char *codes = q;

  gops_log_events *ev = &out->ev;
  uint64_t user_bytes = (uint64_t)(ue - us);
  unsigned char *arena;
  void **arrays[] = {(void **)&ev->users, (void **)&ev->first, (void **)&ev->ts,
                     (void **)&ev->codes, (void **)&arena};
  uint64_t sizes[] = {n_users * sizeof(gops_log_user), (n_users + 1) * sizeof(uint32_t),
                      n_events * sizeof(double), n_events * sizeof(uint16_t), user_bytes};
  if (!block_arrays(out, arrays, sizes, 5)) return GOPS_LOG_NOMEM;
  /* The user bytes are copied, so that the block outlives its blob. */
  if (user_bytes) memcpy(arena, us, user_bytes);
  /* An empty block has no arena (NULL): no offset applied to it. */
  const unsigned char *u = arena, *u_end = user_bytes ? arena + user_bytes : arena;
  ev->n_users = (uint32_t)n_users;
  ev->n_events = (uint32_t)n_events;
  uint64_t at = 0;
  int64_t prev_first = 0;
  const int64_t lo = unit == GOPS_LOG_MILLIS ? (int64_t)TIME_MIN * 1000 : (int64_t)TIME_MIN;
  const int64_t hi = unit == GOPS_LOG_MILLIS ? (int64_t)TIME_END * 1000 : (int64_t)TIME_END;
  /* The users and their counts first, then the times: a loop each, so
  ** that the times' loops keep their numbers in registers. */
  for (uint64_t i = 0; i < n_users; i++) {
    if (!get_user(&u, u_end, i ? &ev->users[i - 1] : 0, &ev->users[i], why)) {
      return GOPS_LOG_CORRUPT;
    }
    uint64_t count;
    NEXT(u, u_end, count);
    if (count == 0 || count > n_events - at) {
      *why = "its counts do not add up";
      return GOPS_LOG_CORRUPT;
    }
    ev->first[i] = (uint32_t)at;
    at += count;
  }
  ev->first[n_users] = (uint32_t)at;
  if (at != n_events || u != u_end) {
    *why = "its counts do not add up";
    return GOPS_LOG_CORRUPT;
  }
  /* Whole seconds or milliseconds: the keys of a user only grow, each
  ** step less than the calendar's span (version 1), or below
  ** 2^step_width, at most twice the span (version 2, else corrupt), so
  ** none can overflow before it is seen past the end. */
  const uint64_t span = (uint64_t)(hi - lo);
  if (version > 1 && unit != GOPS_LOG_BITS && step_width > 1 &&
      ((uint64_t)1 << (step_width - 1)) >= span) {
    goto out_of_range;
  }
  double *t = ev->ts;
  for (uint64_t i = 0; i < n_users; i++) {
    const uint64_t from = ev->first[i], to = ev->first[i + 1];
    uint64_t d;
    if (version == 1) {
      NEXT(ts, te, d);
    } else {
      d = get_bits(firsts, i * (uint64_t)first_width, first_width, first_mask);
    }
    int64_t key = (int64_t)((uint64_t)prev_first + (uint64_t)unzigzag(d));
    prev_first = key;
    if (unit == GOPS_LOG_BITS) {
      for (uint64_t e = from; e < to; e++) {
        if (e > from) {
          if (version == 1) {
            NEXT(ts, te, d);
          } else {
            d = get_bits(steps, bit, step_width, step_mask);
            bit += (uint64_t)step_width;
          }
          if (d > (uint64_t)INT64_MAX - (uint64_t)key) goto out_of_range;
          key = (int64_t)((uint64_t)key + d);
        }
        double v = gops_log_time_value(key, unit);
        if (!gops_log_time_valid(v)) goto out_of_range;
        t[e] = v;
      }
      continue;
    }
    if (key < lo || key >= hi) goto out_of_range;
    /* One loop per unit and version: a test per event costs as much as
    ** the rest. */
    if (unit == GOPS_LOG_MILLIS) {
      t[from] = (double)key / 1000.0;
      if (version > 1) {
        for (uint64_t e = from + 1; e < to; e++, bit += (uint64_t)step_width) {
          key += (int64_t)get_bits(steps, bit, step_width, step_mask);
          if (key >= hi) goto out_of_range;
          t[e] = (double)key / 1000.0;
        }
      } else {
        for (uint64_t e = from + 1; e < to; e++) {
          NEXT(ts, te, d);
          if (d >= span) goto out_of_range;
          key += (int64_t)d;
          if (key >= hi) goto out_of_range;
          t[e] = (double)key / 1000.0;
        }
      }
    } else {
      t[from] = (double)key;
      if (version > 1) {
        for (uint64_t e = from + 1; e < to; e++, bit += (uint64_t)step_width) {
          key += (int64_t)get_bits(steps, bit, step_width, step_mask);
          if (key >= hi) goto out_of_range;
          t[e] = (double)key;
        }
      } else {
        for (uint64_t e = from + 1; e < to; e++) {
          NEXT(ts, te, d);
          if (d >= span) goto out_of_range;
          key += (int64_t)d;
          if (key >= hi) goto out_of_range;
          t[e] = (double)key;
        }
      }
    }
  }
  if (ts != te) {
    *why = "its counts do not add up";
    return GOPS_LOG_CORRUPT;
  }
  assert(bit == (version > 1 ? (n_events - n_users) * (uint64_t)step_width : 0));
  /* The codes, each checked against the dictionary once all are read. */
  bit = 0;
  const uint32_t mask = (1u << width) - 1;
  uint32_t highest = 0;
  uint64_t e = 0;
  /* The blob's checksum follows the codes: eight bytes can be loaded from
  ** any byte of them (get_bits). */
  assert(codes + code_bytes + 8 == p + n);
  if (width >= 1 && width <= 8) {
    /* Eight codes take `width` whole bytes: eight at a time from one load. */
    for (; e + 8 <= n_events; e += 8) {
      const uint64_t word = load64(codes + (e / 8) * (uint64_t)width);
      for (int j = 0; j < 8; j++) {
        const uint32_t v = (uint32_t)(word >> (j * width)) & mask;
        highest = v > highest ? v : highest;
        ev->codes[e + (uint64_t)j] = (uint16_t)v;
      }
    }
    bit = e * (uint64_t)width;
  }
  for (; e < n_events; e++, bit += (uint64_t)width) {
    const uint32_t v = (uint32_t)get_bits(codes, bit, width, mask);
    highest = v > highest ? v : highest;
    ev->codes[e] = (uint16_t)v;
  }
  if (highest > n_names) {
    *why = "an event's code is not in the dictionary";
    return GOPS_LOG_CORRUPT;
  }
  return GOPS_LOG_OK;
truncated:
  *why = "it ends too soon";
  return GOPS_LOG_CORRUPT;
out_of_range:
  *why = "its times are out of range";
  return GOPS_LOG_CORRUPT;
}

gops_log_rc gops_log_encode_props(const gops_log_events *ev, uint32_t from, uint32_t to,
                                  gops_log_buf *out) {
  uint32_t e0 = ev->first[from], e1 = ev->first[to];
  buf_byte(out, GOPS_LOG_FORMAT);
  gops_log_buf_varint(out, e1 - e0);
  for (uint32_t e = e0; e < e1; e++) {
    int32_t len = ev->props ? ev->props_len[e] : -1;
    gops_log_buf_varint(out, (uint64_t)(len + 1));
    if (len > 0) gops_log_buf_bytes(out, ev->props[e], (size_t)len);
  }
  buf_seal(out);
  return out->failed ? GOPS_LOG_NOMEM : GOPS_LOG_OK;
}

gops_log_rc gops_log_decode_props(const unsigned char *p, size_t n, gops_log_block *block,
                                  const char **why) {
  size_t body;
  const char *problem = blob_problem(p, n, &props_blob, &body);
  if (problem) {
    *why = problem;
    return GOPS_LOG_CORRUPT;
  }
  const unsigned char *q = p + 1, *end = p + body;
  uint64_t count;
  NEXT(q, end, count);
  gops_log_events *ev = &block->ev;
  if (count != ev->n_events) {
    *why = "its properties are not its events'";
    return GOPS_LOG_CORRUPT;
  }
  unsigned char *copy;
  void **arrays[] = {(void **)&ev->props, (void **)&ev->props_len, (void **)&copy};
  uint64_t sizes[] = {count * sizeof(unsigned char *), count * sizeof(int32_t),
                      (uint64_t)(end - q)};
  if (!block_arrays(block, arrays, sizes, 3)) return GOPS_LOG_NOMEM;
  if (end > q) memcpy(copy, q, (size_t)(end - q));
  /* No property bytes leave copy NULL: read the (empty) rest of the blob
  ** instead, so that no offset is applied to NULL. */
  const unsigned char *c = copy ? copy : q, *c_end = c + (end - q);
  for (uint64_t e = 0; e < count; e++) {
    uint64_t len;
    NEXT(c, c_end, len);
    if (len > (uint64_t)(c_end - c) + 1) goto truncated;
    ev->props_len[e] = (int32_t)len - 1;
    ev->props[e] = len ? c : 0;
    if (len) c += len - 1;
  }
  if (c != c_end) goto truncated;
  return GOPS_LOG_OK;
truncated:
  *why = "its properties end too soon";
  return GOPS_LOG_CORRUPT;
}

/* ---- pending records ------------------------------------------------------- */

enum { RECORD_ADD = 1, RECORD_REMOVE = 2 };


gops_log_rc gops_log_pending_open(gops_log_buf *blob, const char **why) {
  if (blob->n == 0) {
    buf_byte(blob, GOPS_LOG_FORMAT);
    return blob->failed ? GOPS_LOG_NOMEM : GOPS_LOG_OK;
  }
  size_t body;
  const char *problem = blob_problem(blob->p, blob->n, &pending_blob, &body);
  if (problem) {
    *why = problem;
    return GOPS_LOG_CORRUPT;
  }
  blob->n = body;
  return GOPS_LOG_OK;
}

void gops_log_pending_put_add(gops_log_buf *blob, const gops_log_user *user, double ts,
                              uint16_t code, const unsigned char *props, int32_t props_len) {
  int unit = gops_log_time_unit(ts);
  buf_byte(blob, RECORD_ADD);
  put_user(blob, user, 0);
  buf_byte(blob, (unsigned char)unit);
  gops_log_buf_varint(blob, zigzag(gops_log_time_key(ts, unit)));
  gops_log_buf_varint(blob, code);
  gops_log_buf_varint(blob, (uint64_t)(props_len + 1));
  if (props_len > 0) gops_log_buf_bytes(blob, props, (size_t)props_len);
}

void gops_log_pending_put_remove(gops_log_buf *blob, uint32_t place) {
  buf_byte(blob, RECORD_REMOVE);
  gops_log_buf_varint(blob, place);
}

gops_log_rc gops_log_pending_seal(gops_log_buf *blob) {
  buf_seal(blob);
  return blob->failed ? GOPS_LOG_NOMEM : GOPS_LOG_OK;
}

gops_log_rc gops_log_pending_add(gops_log_buf *blob, const gops_log_user *user, double ts,
                                 uint16_t code, const unsigned char *props, int32_t props_len,
                                 const char **why) {
  gops_log_rc rc = gops_log_pending_open(blob, why);
  if (rc != GOPS_LOG_OK) return rc;
  gops_log_pending_put_add(blob, user, ts, code, props, props_len);
  return gops_log_pending_seal(blob);
}

gops_log_rc gops_log_pending_remove(gops_log_buf *blob, uint32_t place, const char **why) {
  gops_log_rc rc = gops_log_pending_open(blob, why);
  if (rc != GOPS_LOG_OK) return rc;
  gops_log_pending_put_remove(blob, place);
  return gops_log_pending_seal(blob);
}

/* A pending event as first read, before sorting. */
typedef struct added {
  gops_log_user user;
  double ts;
  uint32_t code;
  uint32_t place;
  const unsigned char *props;
  int32_t props_len;
  int removed;
} added_event;

static int added_less(const added_event *a, const added_event *b) {
  int c = gops_log_user_compare(&a->user, &b->user);
  if (c) return c < 0;
  if (a->ts != b->ts) return a->ts < b->ts;
  if (a->code != b->code) return a->code < b->code;
  return a->place < b->place;
}

/* gops_stable_sort()'s order of indexes of the added events (ctx). */
static int added_before(const void *x, const void *y, void *ctx) {
  const added_event *a = ctx;
  return added_less(&a[*(const uint32_t *)x], &a[*(const uint32_t *)y]);
}

static int compare_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* The fewest bytes of an added event's record (its kind, a user of one
** byte and its length or number, the unit, the time, the code, the
** properties' length) and of a removal's (its kind and place). */
enum { ADD_BYTES_MIN = 7, REMOVE_BYTES_MIN = 2 };

int gops_log_pending_counts_valid(int64_t records, int64_t added) {
  return added >= 0 && added <= GOPS_LOG_PENDING_MAX && records >= added &&
         records <= 2 * (int64_t)GOPS_LOG_PENDING_MAX;
}

gops_log_rc gops_log_pending_decode(const unsigned char *p, size_t n, uint32_t n_names,
                                    uint32_t n_main, int64_t records, int64_t added,
                                    int with_props, const gops_alloc *alloc, gops_log_block *out,
                                    const char **why) {
  memset(out, 0, sizeof(*out));
  out->alloc = alloc;
  size_t body;
  const char *problem = blob_problem(p, n, &pending_blob, &body);
  if (problem) {
    *why = problem;
    return GOPS_LOG_CORRUPT;
  }
  if (!gops_log_pending_counts_valid(records, added)) {
    *why = "its count of pending records is out of range";
    return GOPS_LOG_CORRUPT;
  }
  /* The counts size the arrays: bytes too few for them are a lie, found
  ** before anything is allocated for it. */
  const uint64_t n_add = (uint64_t)added, n_remove = (uint64_t)(records - added);
  if (n_add * ADD_BYTES_MIN + n_remove * REMOVE_BYTES_MIN > body - 1 ||
      n_remove > (uint64_t)n_main + n_add) {
    *why = "its count of pending records is not theirs";
    return GOPS_LOG_CORRUPT;
  }
  /* The arrays: what was added, in order, then the events sorted. */
  added_event *adds;
  uint32_t *idx, *tmp, *removed;
  unsigned char *copy;
  void **arrays[] = {(void **)&adds, (void **)&idx, (void **)&tmp, (void **)&removed,
                     (void **)&copy};
  uint64_t sizes[] = {n_add * sizeof(added_event), n_add * sizeof(uint32_t),
                      n_add * sizeof(uint32_t), n_remove * sizeof(uint32_t), body};
  if (!block_arrays(out, arrays, sizes, 5)) return GOPS_LOG_NOMEM;
  memcpy(copy, p, body);
  const unsigned char *end = copy + body;
  uint32_t a = 0, r = 0;    /* added events read, removals of block events */
  uint64_t removals = 0;    /* removal records read */
  for (const unsigned char *q = copy + 1; q < end;) {
    unsigned char kind = *q++;
    uint64_t v;
    if (kind == RECORD_ADD) {
      if (a == n_add) goto not_theirs;
      added_event *x = &adds[a];
      memset(x, 0, sizeof(*x));
      if (!get_user(&q, end, 0, &x->user, why)) {
        if (*why == user_cut_short) goto truncated;
        return GOPS_LOG_CORRUPT;
      }
      if (q >= end) goto truncated;
      int unit = *q++;
      NEXT(q, end, v);
      if (unit > GOPS_LOG_BITS) {
        *why = "a pending time is in no unit the log knows";
        return GOPS_LOG_CORRUPT;
      }
      x->ts = gops_log_time_value(unzigzag(v), unit);
      if (!gops_log_time_valid(x->ts) || gops_log_time_key(x->ts, unit) != unzigzag(v)) {
        *why = "a pending time is out of range";
        return GOPS_LOG_CORRUPT;
      }
      NEXT(q, end, v);
      if (v > n_names) {
        *why = "an event's code is not in the dictionary";
        return GOPS_LOG_CORRUPT;
      }
      x->code = (uint32_t)v;
      NEXT(q, end, v);
      if (v > (uint64_t)(end - q) + 1) goto truncated;
      x->props_len = (int32_t)v - 1;
      x->props = v ? q : 0;
      if (v) q += v - 1;
      x->place = GOPS_LOG_PENDING_BASE + a;
      a++;
    } else if (kind == RECORD_REMOVE) {
      if (removals == n_remove) goto not_theirs;
      removals++;
      NEXT(q, end, v);
      if (v >= GOPS_LOG_PENDING_BASE) {
        /* A pending event, added before this record. */
        uint64_t k = v - GOPS_LOG_PENDING_BASE;
        if (k >= a || adds[k].removed) {
          *why = "a pending record removes an event that is not there";
          return GOPS_LOG_CORRUPT;
        }
        adds[k].removed = 1;
      } else {
        if (v >= n_main) {
          *why = "a pending record removes an event that is not there";
          return GOPS_LOG_CORRUPT;
        }
        removed[r++] = (uint32_t)v;
      }
    } else {
      *why = "a pending record is of no kind the log writes";
      return GOPS_LOG_CORRUPT;
    }
  }
  if (a != n_add || removals != n_remove) goto not_theirs;
  if (r > 1) qsort(removed, r, sizeof(uint32_t), compare_u32); /* removed: NULL when none */
  for (uint32_t i = 1; i < r; i++) {
    if (removed[i] == removed[i - 1]) {
      *why = "a pending record removes an event that is not there";
      return GOPS_LOG_CORRUPT;
    }
  }
  out->removed = removed;
  out->n_removed = r;
  out->n_records = (uint32_t)(n_add + n_remove);
  out->n_added = (uint32_t)n_add;
  /* The events that stay, sorted as a block's. */
  uint32_t kept = 0;
  for (uint32_t i = 0; i < a; i++) {
    if (!adds[i].removed) idx[kept++] = i;
  }
  idx = gops_stable_sort(idx, tmp, kept, sizeof(uint32_t), added_before, adds);
  uint32_t n_users = 0;
  for (uint32_t i = 0; i < kept; i++) {
    if (i == 0 || gops_log_user_compare(&adds[idx[i - 1]].user, &adds[idx[i]].user) != 0) {
      n_users++;
    }
  }
  gops_log_events *ev = &out->ev;
  void **arrays2[] = {(void **)&ev->users, (void **)&ev->first, (void **)&ev->ts,
                      (void **)&ev->codes, (void **)&ev->place, (void **)&ev->props,
                      (void **)&ev->props_len};
  uint64_t sizes2[] = {(uint64_t)n_users * sizeof(gops_log_user),
                       ((uint64_t)n_users + 1) * sizeof(uint32_t), (uint64_t)kept * sizeof(double),
                       (uint64_t)kept * sizeof(uint16_t), (uint64_t)kept * sizeof(uint32_t),
                       with_props ? (uint64_t)kept * sizeof(unsigned char *) : 0,
                       with_props ? (uint64_t)kept * sizeof(int32_t) : 0};
  if (!block_arrays(out, arrays2, sizes2, 7)) return GOPS_LOG_NOMEM;
  ev->n_users = n_users;
  ev->n_events = kept;
  uint32_t u = 0;
  for (uint32_t i = 0; i < kept; i++) {
    const added_event *x = &adds[idx[i]];
    if (i == 0 || gops_log_user_compare(&ev->users[u - 1], &x->user) != 0) {
      ev->users[u] = x->user;
      ev->first[u] = i;
      u++;
    }
    ev->ts[i] = x->ts;
    ev->codes[i] = (uint16_t)x->code;
    ev->place[i] = x->place;
    if (with_props) {
      ev->props[i] = x->props;
      ev->props_len[i] = x->props_len;
    }
  }
  if (ev->first) ev->first[n_users] = kept;
  if (!with_props) ev->props = 0;
  return GOPS_LOG_OK;
truncated:
  *why = "its pending records end too soon";
  return GOPS_LOG_CORRUPT;
not_theirs:
  *why = "its count of pending records is not theirs";
  return GOPS_LOG_CORRUPT;
}

/* ---- a block merged with its pending records ----------------------------------- */

void gops_log_merge_start(gops_log_merge *m, const gops_log_events *main,
                          const gops_log_block *pending, const gops_alloc *alloc) {
  memset(m, 0, sizeof(*m));
  m->main = main;
  m->pending = pending ? &pending->ev : 0;
  m->removed = pending ? pending->removed : 0;
  m->n_removed = pending ? pending->n_removed : 0;
  m->alloc = alloc;
  m->places = 1;
}

void gops_log_merge_end(gops_log_merge *m) {
  if (m->alloc == 0) return; /* never started (zeroed) */
  m->alloc->free(m->ts);
  m->alloc->free(m->codes);
  m->alloc->free(m->place);
  m->alloc->free(m->props);
  m->alloc->free(m->props_len);
  m->ts = 0;
  m->codes = 0;
  m->place = 0;
  m->props = 0;
  m->props_len = 0;
  m->cap = 0;
}

static int merge_room(gops_log_merge *m, uint32_t n) {
  if (n <= m->cap) return 1;
  uint32_t cap = m->cap ? m->cap : 64;
  while (cap < n) cap = cap > UINT32_MAX / 2 ? n : cap * 2;
  double *ts = m->alloc->realloc(m->ts, (uint64_t)cap * sizeof(double));
  if (ts) m->ts = ts;
  uint16_t *codes = m->alloc->realloc(m->codes, (uint64_t)cap * sizeof(uint16_t));
  if (codes) m->codes = codes;
  uint32_t *place = m->alloc->realloc(m->place, (uint64_t)cap * sizeof(uint32_t));
  if (place) m->place = place;
  const unsigned char **props = m->alloc->realloc((void *)m->props, (uint64_t)cap * sizeof(*props));
  if (props) m->props = props;
  int32_t *props_len = m->alloc->realloc(m->props_len, (uint64_t)cap * sizeof(int32_t));
  if (props_len) m->props_len = props_len;
  if (!ts || !codes || !place || !props || !props_len) return 0;
  m->cap = cap;
  return 1;
}

/* Appends event e of from (main or pending) to the merged run: its place
** when the reader wants places, its properties when either side has some. */
static inline void merge_take(gops_log_merge *m, gops_log_run *run, const gops_log_events *from,
                              uint32_t e, uint32_t place, int with_props) {
  uint32_t k = run->n++;
  m->ts[k] = from->ts[e];
  m->codes[k] = from->codes[e];
  if (m->places) m->place[k] = place;
  if (with_props) {
    m->props[k] = from->props ? from->props[e] : 0;
    m->props_len[k] = from->props ? from->props_len[e] : -1;
  }
}

/* Main's events a0..a1 and pending's b0..b1 merged into ts and codes, in
** the order merge_next gives (by time, then by code, main's first when
** both are the same); returns how many. */
static uint32_t merge_times(const gops_log_events *a, uint32_t a0, uint32_t a1,
                            const gops_log_events *b, uint32_t b0, uint32_t b1, double *ts,
                            uint16_t *codes) {
  uint32_t i = a0, j = b0, k = 0;
  while (i < a1 && j < b1) {
    const int main_first = a->ts[i] < b->ts[j] ||
                           (a->ts[i] == b->ts[j] && a->codes[i] <= b->codes[j]);
    ts[k] = main_first ? a->ts[i] : b->ts[j];
    codes[k++] = main_first ? a->codes[i++] : b->codes[j++];
  }
  for (; i < a1; i++, k++) {
    ts[k] = a->ts[i];
    codes[k] = a->codes[i];
  }
  for (; j < b1; j++, k++) {
    ts[k] = b->ts[j];
    codes[k] = b->codes[j];
  }
  return k;
}

int gops_log_merge_next(gops_log_merge *m, gops_log_run *run) {
  const gops_log_events *a = m->main, *b = m->pending;
  for (;;) {
    int have_a = a && m->i < a->n_users, have_b = b && m->j < b->n_users;
    if (!have_a && !have_b) return 0;
    int c = !have_a ? 1 : !have_b ? -1 : gops_log_user_compare(&a->users[m->i], &b->users[m->j]);
    memset(run, 0, sizeof(*run));
    uint32_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    if (c <= 0) {
      run->user = &a->users[m->i];
      a0 = a->first[m->i];
      a1 = a->first[m->i + 1];
      m->i++;
    }
    if (c >= 0) {
      run->user = &b->users[m->j];
      b0 = b->first[m->j];
      b1 = b->first[m->j + 1];
      m->j++;
    }
    int any_removed = m->k < m->n_removed && m->removed[m->k] < a1;
    if (b0 == b1 && !any_removed) {
      /* Main's events as they are. */
      run->n = a1 - a0;
      run->ts = a->ts + a0;
      run->codes = a->codes + a0;
      run->first_place = a0;
      if (a->props) {
        run->props = a->props + a0;
        run->props_len = a->props_len + a0;
      }
      return 1;
    }
    if (a0 == a1) {
      /* Pending's events as they are. */
      run->n = b1 - b0;
      run->ts = b->ts + b0;
      run->codes = b->codes + b0;
      run->place = b->place + b0;
      if (b->props) {
        run->props = b->props + b0;
        run->props_len = b->props_len + b0;
      }
      return 1;
    }
    if (!merge_room(m, (a1 - a0) + (b1 - b0))) return -1;
    uint32_t i = a0, j = b0;
    const int with_props = a->props || b->props;
    if (!with_props && !m->places && !any_removed) {
      /* An analysis's read: the times and codes alone. */
      run->n = merge_times(a, a0, a1, b, b0, b1, m->ts, m->codes);
      run->ts = m->ts;
      run->codes = m->codes;
      return 1;
    }
    /* Main's next removed event (removed[] is in order), or none. */
    uint32_t gone = m->k < m->n_removed ? m->removed[m->k] : UINT32_MAX;
    while (i < a1 || j < b1) {
      if (i < a1 && i == gone) {
        m->k++;
        gone = m->k < m->n_removed ? m->removed[m->k] : UINT32_MAX;
        i++;
        continue;
      }
      if (i < a1 && (j == b1 || a->ts[i] < b->ts[j] ||
                     (a->ts[i] == b->ts[j] && a->codes[i] <= b->codes[j]))) {
        merge_take(m, run, a, i, i, with_props);
        i++;
      } else {
        merge_take(m, run, b, j, b->place[j], with_props);
        j++;
      }
    }
    if (run->n == 0) continue; /* every event of the user removed */
    run->ts = m->ts;
    run->codes = m->codes;
    run->place = m->places ? m->place : 0;
    if (with_props) {
      run->props = m->props;
      run->props_len = m->props_len;
    }
    return 1;
  }
}

gops_log_rc gops_log_merge_all(const gops_log_block *main, const gops_log_block *pending,
                               const gops_alloc *alloc, gops_log_block *out,
                               const gops_log_user **too_big) {
  memset(out, 0, sizeof(*out));
  out->alloc = alloc;
  uint64_t n_users = (uint64_t)main->ev.n_users + (pending ? pending->ev.n_users : 0);
  uint64_t n_events = (uint64_t)main->ev.n_events + (pending ? pending->ev.n_events : 0);
  int with_props = main->ev.props || (pending && pending->ev.props);
  gops_log_events *ev = &out->ev;
  void **arrays[] = {(void **)&ev->users, (void **)&ev->first, (void **)&ev->ts,
                     (void **)&ev->codes, (void **)&ev->place, (void **)&ev->props,
                     (void **)&ev->props_len};
  uint64_t sizes[] = {n_users * sizeof(gops_log_user), (n_users + 1) * sizeof(uint32_t),
                      n_events * sizeof(double), n_events * sizeof(uint16_t),
                      n_events * sizeof(uint32_t),
                      with_props ? n_events * sizeof(unsigned char *) : 0,
                      with_props ? n_events * sizeof(int32_t) : 0};
  if (!block_arrays(out, arrays, sizes, 7)) return GOPS_LOG_NOMEM;
  gops_log_merge m;
  gops_log_merge_start(&m, &main->ev, pending, alloc);
  gops_log_run run;
  uint32_t u = 0, e = 0;
  int got;
  gops_log_rc rc = GOPS_LOG_OK;
  while ((got = gops_log_merge_next(&m, &run)) > 0) {
    if (run.n > GOPS_LOG_EVENTS_MAX) {
      *too_big = run.user;
      rc = GOPS_LOG_TOO_BIG;
      break;
    }
    ev->users[u] = *run.user;
    ev->first[u++] = e;
    memcpy(ev->ts + e, run.ts, run.n * sizeof(double));
    memcpy(ev->codes + e, run.codes, run.n * sizeof(uint16_t));
    for (uint32_t k = 0; k < run.n; k++) {
      ev->place[e + k] = run.place ? run.place[k] : run.first_place + k;
    }
    if (with_props) {
      for (uint32_t k = 0; k < run.n; k++) {
        ev->props[e + k] = run.props ? run.props[k] : 0;
        ev->props_len[e + k] = run.props ? run.props_len[k] : -1;
      }
    }
    e += run.n;
  }
  gops_log_merge_end(&m);
  if (got < 0) rc = GOPS_LOG_NOMEM;
  ev->n_users = u;
  ev->n_events = e;
  if (ev->first) ev->first[u] = e;
  if (rc != GOPS_LOG_OK) gops_log_block_free(out);
  return rc;
}

void gops_log_cuts(const gops_log_events *ev, uint32_t *cuts, uint32_t *n_cuts) {
  uint32_t n = 0;
  cuts[n++] = 0;
  uint64_t total = ev->n_events;
  if (total > 2 * (uint64_t)GOPS_LOG_BLOCK_EVENTS) {
    uint64_t pieces = total / GOPS_LOG_BLOCK_EVENTS;
    uint64_t next = 1;
    for (uint32_t i = 1; i < ev->n_users && next < pieces; i++) {
      if ((uint64_t)ev->first[i] * pieces >= next * total) {
        cuts[n++] = i;
        next++;
      }
    }
  }
  if (ev->n_users > 0) cuts[n++] = ev->n_users;
  *n_cuts = n;
}
