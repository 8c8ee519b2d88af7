/*
** keys_core.h: byte strings numbered in the order they are first seen
** (interning), for the tables that count by a value: a funnel's breakdown
** values, the events of a path and the paths themselves.
**
**   gops_keys k;
**   gops_keys_init(&k, &alloc);
**   uint32_t id;
**   gops_keys_add(&k, "wechat", 6, &id);      -- 0, and 0 again next time
**   size_t n; const unsigned char *b = gops_keys_bytes(&k, id, &n);
**   gops_keys_clear(&k);
**
** Keys compare by their bytes (length included: "a" and "a\0" differ).
** The bytes are copied into the set.  Memory comes from the caller's
** allocator; an id stays valid until the set is cleared.
*/
#ifndef GROWTHOPS_KEYS_CORE_H
#define GROWTHOPS_KEYS_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

/* The most keys a set holds, and the most bytes of all of them. */
#define GOPS_KEYS_MAX 0x7fffffffu
#define GOPS_KEYS_BYTES_MAX 0xffffffffu

typedef struct gops_key {
  uint32_t at;   /* offset of its bytes in the arena */
  uint32_t n;    /* its length */
  uint32_t hash;
} gops_key;

typedef struct gops_keys {
  const gops_alloc *alloc;
  gops_key *keys;
  uint32_t count, cap;
  uint32_t *slots;   /* id + 1, 0 = empty; a power of two of them */
  uint64_t n_slots;
  unsigned char *arena;
  uint64_t used, arena_cap;
} gops_keys;

typedef enum gops_keys_rc {
  GOPS_KEYS_OK = 0,
  GOPS_KEYS_NOMEM,
  GOPS_KEYS_FULL /* more than GOPS_KEYS_MAX keys or GOPS_KEYS_BYTES_MAX bytes */
} gops_keys_rc;

void gops_keys_init(gops_keys *k, const gops_alloc *alloc);
/* The id of bytes[0..n-1], adding it when new (ids 0, 1, 2, ...); *added
** (when not NULL) says which. */
gops_keys_rc gops_keys_add(gops_keys *k, const void *bytes, size_t n, uint32_t *id, int *added);
/* The bytes of key id (not terminated), *n of them. */
const unsigned char *gops_keys_bytes(const gops_keys *k, uint32_t id, size_t *n);
/* memcmp order, a shorter key first when one begins the other. */
int gops_keys_compare(const gops_keys *k, uint32_t a, uint32_t b);
void gops_keys_clear(gops_keys *k);

#endif
