/*
** eventlog_core.h: the event log's packing, in plain C: how the events of a
** block of users, a block's pending changes and its properties are laid out
** in bytes, written, checked and read back.  The table layer
** (ext/table/log.c) keeps these blobs in the log's shadow tables; nothing
** here knows SQLite.
**
** A block holds every event of a run of users, in user order, each user's
** events in time order:
**   - users: integers (numerically), then text, then blobs (byte by byte,
**     a prefix first), as SQLite's ORDER BY ... COLLATE BINARY sorts them;
**     an integer as the difference from the previous one, text and blobs
**     with their length;
**   - times: the instant as an integer in the block's unit (seconds,
**     milliseconds, or a double's bits in an order that sorts as the
**     doubles do), each user's first time as the difference from the
**     previous user's (zigzag), then the differences between a user's times
**     (never negative), each kind bit-packed at the width the block's
**     largest needs (version 1: all varints, each user's differences after
**     its first time);
**   - event names: codes of the log's dictionary (1.., 0 for NULL),
**     bit-packed at the width the block's highest code needs;
**   - a checksum of all of it, so that a changed byte is found before any
**     number is trusted.
** Numbers are LEB128 varints (7 bits a byte, 1 to 10 bytes).  A block's
** properties, when the log keeps them, are a blob of their own (analyses
** never read it).  A block's pending changes are a third blob: records
** appended as they come (an event added, or one removed by its place),
** merged into the block once there are enough of them.
**
** An event's place in its block (what the log's rowid is made of): the
** block's events are 0 .. n-1, in the block's order; pending events are
** GOPS_LOG_PENDING_BASE + their number among the pending records.
**
** Decoding checks everything it reads (the checksum first, then every
** count, length, order and range) and says GOPS_LOG_CORRUPT with the
** reason; it never reads past its input.  Memory comes from the caller's
** allocator; a failed allocation is GOPS_LOG_NOMEM and leaves nothing
** behind.
*/
#ifndef GROWTHOPS_EVENTLOG_CORE_H
#define GROWTHOPS_EVENTLOG_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "text.h"

/* The layout's version, the first byte of every blob: 2 is written, 1 and
** 2 are read (they differ in a block's times only). */
#define GOPS_LOG_FORMAT 2
/* Event names a log's dictionary holds: codes 1 .. GOPS_LOG_NAMES_MAX
** (0 stands for a NULL event), so a code fits 16 bits. */
#define GOPS_LOG_NAMES_MAX 65535
/* A block is cut into blocks of about this many events when it is
** written (never inside a user's events). */
#define GOPS_LOG_BLOCK_EVENTS 8192
/* The events of one block, and so of one user: places 0 .. 2^23 - 2. */
#define GOPS_LOG_EVENTS_MAX 8388607
/* Pending events are placed from here on (2^23); a rowid is the block's
** id times 2^24 plus the place. */
#define GOPS_LOG_PENDING_BASE 8388608u
#define GOPS_LOG_PLACE_BITS 24
/* Pending records of one block (added or removed events). */
#define GOPS_LOG_PENDING_MAX 8388607
/* A write that leaves more pending records than this in a block merges
** them into it. */
#define GOPS_LOG_PENDING_MERGE 512
/* The longest text or blob user, in bytes. */
#define GOPS_LOG_USER_BYTES_MAX 4096
/* Bytes of the order-preserving key of a user (gops_log_user_key). */
#define GOPS_LOG_KEY_SIZE (1 + GOPS_LOG_USER_BYTES_MAX)

typedef enum gops_log_rc {
  GOPS_LOG_OK = 0,
  GOPS_LOG_NOMEM,
  GOPS_LOG_CORRUPT, /* the reason is in the reader's *why */
  GOPS_LOG_TOO_BIG  /* a user with more than GOPS_LOG_EVENTS_MAX events */
} gops_log_rc;

/* ---- users ------------------------------------------------------------ */

/* The kinds of user (the numbers of source.h's gops_user: a real is not
** a user of the log). */
enum { GOPS_LOG_INTEGER = 0, GOPS_LOG_TEXT = 2, GOPS_LOG_BLOB = 3 };

typedef struct gops_log_user {
  int kind;
  int64_t number;             /* an integer user */
  const unsigned char *bytes; /* text or blob: not owned */
  uint32_t n;
} gops_log_user;

/* <0, 0, >0 as SQLite's ORDER BY (COLLATE BINARY) puts a before b
** (inline: a merge compares users at every step). */
static inline int gops_log_user_compare(const gops_log_user *a, const gops_log_user *b) {
  if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
  if (a->kind == GOPS_LOG_INTEGER) return (a->number > b->number) - (a->number < b->number);
  uint32_t n = a->n < b->n ? a->n : b->n;
  int c = n ? memcmp(a->bytes, b->bytes, n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return (a->n > b->n) - (a->n < b->n);
}
/* The user as a key whose bytes (memcmp, then length) sort as the users
** do: into out (GOPS_LOG_KEY_SIZE bytes); returns its length. */
size_t gops_log_user_key(const gops_log_user *u, unsigned char *out);
/* A key read back (bytes pointing into key); -1 if it is none. */
int gops_log_user_from_key(const unsigned char *key, size_t n, gops_log_user *u);

/* ---- times ------------------------------------------------------------- */

enum { GOPS_LOG_SECONDS = 0, GOPS_LOG_MILLIS = 1, GOPS_LOG_BITS = 2 };

/* The coarsest unit that holds t exactly (t within the years 0000-9999,
** which the caller has checked). */
int gops_log_time_unit(double t);
/* t in a unit at least as fine as gops_log_time_unit(t), and back. */
int64_t gops_log_time_key(double t, int unit);
double gops_log_time_value(int64_t key, int unit);
/* 1 if t is an instant the log holds: finite, within the years 0000-9999. */
int gops_log_time_valid(double t);

/* ---- a growable byte buffer ---------------------------------------------- */

typedef struct gops_log_buf {
  unsigned char *p;
  size_t n, cap;
  const gops_alloc *alloc;
  int failed; /* an allocation failed: every append after it does nothing */
} gops_log_buf;

void gops_log_buf_init(gops_log_buf *b, const gops_alloc *alloc);
/* Frees the bytes; safe on zeroed memory (nothing allocated yet). */
void gops_log_buf_free(gops_log_buf *b);
/* Room for n more bytes; 0 after a failure. */
int gops_log_buf_reserve(gops_log_buf *b, size_t n);
void gops_log_buf_bytes(gops_log_buf *b, const void *p, size_t n);
void gops_log_buf_varint(gops_log_buf *b, uint64_t v);

/* Varints: the bytes written (1 to 10) into out (10 bytes), and read
** (0 when the input ends first or is longer than 10 bytes). */
size_t gops_log_varint_put(unsigned char *out, uint64_t v);
size_t gops_log_varint_get(const unsigned char *p, const unsigned char *end, uint64_t *v);

/* A hash of n bytes (also the checksum of the blobs of version 1). */
uint64_t gops_log_checksum(const unsigned char *p, size_t n);
/* The checksum a blob ends with (8 bytes, little-endian), of its bytes
** before it, as the blob's version (its first byte) computes it: version 2
** mixes four words side by side. */
uint64_t gops_log_blob_checksum(const unsigned char *p, size_t n);

/* ---- events ------------------------------------------------------------- */

/* A run of users' events, in the block's order: what a block is written
** from and read into.  users[i]'s events are first[i] .. first[i+1] - 1;
** within a user, by time and then by code. */
typedef struct gops_log_events {
  uint32_t n_users, n_events;
  gops_log_user *users;
  uint32_t *first;  /* n_users + 1 */
  double *ts;
  uint16_t *codes;
  /* Properties (NULL when there are none): event i's are props_len[i]
  ** bytes at props[i], or NULL for a length of -1. */
  const unsigned char **props;
  int32_t *props_len;
  /* The events' places (read from pending records), or NULL: event i is
  ** then at place i. */
  uint32_t *place;
} gops_log_events;

/* Events decoded from blobs, and the memory that holds them. */
typedef struct gops_log_block {
  gops_log_events ev;
  const gops_alloc *alloc;
  void *mem[8];       /* what the arrays and copies of bytes live in */
  int n_mem;
  uint32_t *removed;  /* pending: places of the block's events removed, ascending */
  uint32_t n_removed;
  uint32_t n_records; /* pending: records read */
  uint32_t n_added;   /* pending: events added (before removals) */
} gops_log_block;

/* Frees what b holds (keeping its allocator); safe on zeroed memory. */
void gops_log_block_free(gops_log_block *b);

/* Encodes users [from, to) of ev (with their events) as a block into out.
** The users must be in order and distinct, each with at least one event,
** and hold at most GOPS_LOG_EVENTS_MAX events together.  Properties are
** not part of it: gops_log_encode_props writes them. */
gops_log_rc gops_log_encode(const gops_log_events *ev, uint32_t from, uint32_t to,
                            gops_log_buf *out);
/* The same in the layout of a given version (1 or GOPS_LOG_FORMAT), so
** that the tests can write a block as an earlier build wrote it. */
gops_log_rc gops_log_encode_as(const gops_log_events *ev, uint32_t from, uint32_t to,
                               int version, gops_log_buf *out);
/* The properties of users [from, to)'s events, as a blob. */
gops_log_rc gops_log_encode_props(const gops_log_events *ev, uint32_t from, uint32_t to,
                                  gops_log_buf *out);

/* Decodes a block (n_names: the dictionary's size, the highest code
** allowed).  On GOPS_LOG_CORRUPT, *why says what is wrong. */
gops_log_rc gops_log_decode(const unsigned char *p, size_t n, uint32_t n_names,
                            const gops_alloc *alloc, gops_log_block *out, const char **why);
/* Decodes a block's properties into its events (which must be that
** block's). */
gops_log_rc gops_log_decode_props(const unsigned char *p, size_t n, gops_log_block *block,
                                  const char **why);

/* ---- pending changes -------------------------------------------------- */

/* Appends records to a pending blob (empty, or one these wrote): open it
** (its checksum is checked: GOPS_LOG_CORRUPT), put records (an event
** added, or the event at a place removed), seal it (its checksum written
** anew).  _add and _remove do all three for one record. */
gops_log_rc gops_log_pending_open(gops_log_buf *blob, const char **why);
void gops_log_pending_put_add(gops_log_buf *blob, const gops_log_user *user, double ts,
                              uint16_t code, const unsigned char *props, int32_t props_len);
void gops_log_pending_put_remove(gops_log_buf *blob, uint32_t place);
gops_log_rc gops_log_pending_seal(gops_log_buf *blob);
gops_log_rc gops_log_pending_add(gops_log_buf *blob, const gops_log_user *user, double ts,
                                 uint16_t code, const unsigned char *props, int32_t props_len,
                                 const char **why);
gops_log_rc gops_log_pending_remove(gops_log_buf *blob, uint32_t place, const char **why);
/* Whether a block could hold these counts of pending records (all of
** them, and the events added among them). */
int gops_log_pending_counts_valid(int64_t records, int64_t added);
/* The records of a pending blob: the events added (sorted as a block's,
** with their places; removed ones left out) and the places of the block's
** own events removed.  n_main: the block's events (a place removed must
** be one of them or of the pending events).  records and added: how many
** records the blob holds, and how many of them add an event, as its row
** says (the arrays are sized by them, and a blob that holds other counts
** is corrupt). */
gops_log_rc gops_log_pending_decode(const unsigned char *p, size_t n, uint32_t n_names,
                                    uint32_t n_main, int64_t records, int64_t added,
                                    int with_props, const gops_alloc *alloc, gops_log_block *out,
                                    const char **why);

/* ---- a block and its pending changes, together --------------------------- */

/* Walks the users of a block and of its pending changes in order, each
** user's events merged in time order, the removed ones left out. */
typedef struct gops_log_merge {
  const gops_log_events *main, *pending;
  const uint32_t *removed;
  uint32_t n_removed;
  uint32_t i, j, k;   /* next user of main, of pending; next removed */
  int places;         /* 0: a merged run carries no places (place NULL) */
  const gops_alloc *alloc;
  /* The current user's events, when they had to be merged (else the run
  ** points into main or pending). */
  double *ts;
  uint16_t *codes;
  uint32_t *place;
  const unsigned char **props;
  int32_t *props_len;
  uint32_t cap;
} gops_log_merge;

/* One user's events, merged: ts[0..n-1] and codes[], their places
** (place[k], or first_place + k when place is NULL) and their properties
** (props NULL: none). */
typedef struct gops_log_run {
  const gops_log_user *user;
  uint32_t n;
  const double *ts;
  const uint16_t *codes;
  const uint32_t *place;
  uint32_t first_place;
  const unsigned char *const *props;
  const int32_t *props_len;
} gops_log_run;

void gops_log_merge_start(gops_log_merge *m, const gops_log_events *main,
                          const gops_log_block *pending, const gops_alloc *alloc);
/* The next user (1), or none left (0); GOPS_LOG_NOMEM as -1. */
int gops_log_merge_next(gops_log_merge *m, gops_log_run *run);
/* Safe on zeroed memory and twice. */
void gops_log_merge_end(gops_log_merge *m);

/* A block and its pending changes as one run of events, to be written
** again (properties included when the block has them; ev.place says
** where each event was).  A user with more
** than GOPS_LOG_EVENTS_MAX events is GOPS_LOG_TOO_BIG (*too_big: that
** user). */
gops_log_rc gops_log_merge_all(const gops_log_block *main, const gops_log_block *pending,
                               const gops_alloc *alloc, gops_log_block *out,
                               const gops_log_user **too_big);
/* Where to cut ev into blocks of about GOPS_LOG_BLOCK_EVENTS events, at
** user boundaries: cuts[0] = 0 < cuts[1] < ... < cuts[*n_cuts - 1] =
** n_users (cuts holds n_users + 1). */
void gops_log_cuts(const gops_log_events *ev, uint32_t *cuts, uint32_t *n_cuts);

#endif
