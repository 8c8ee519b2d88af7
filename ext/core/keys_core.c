/*
** keys_core.c: byte strings to dense ids, an open-addressing hash table
** over an arena of their bytes.  See keys_core.h.
*/
#include "keys_core.h"

#include <assert.h>
#include <string.h>

void gops_keys_init(gops_keys *k, const gops_alloc *alloc) {
  memset(k, 0, sizeof(*k));
  k->alloc = alloc;
}

void gops_keys_clear(gops_keys *k) {
  if (k->alloc) {
    k->alloc->free(k->keys);
    k->alloc->free(k->slots);
    k->alloc->free(k->arena);
  }
  const gops_alloc *alloc = k->alloc;
  gops_keys_init(k, alloc);
}

static uint32_t hash_bytes(const unsigned char *p, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
  return (uint32_t)(h ^ (h >> 32));
}

/* Twice the slots, every key placed again. */
static gops_keys_rc grow_slots(gops_keys *k) {
  uint64_t n_slots = k->n_slots ? k->n_slots * 2 : 256;
  uint32_t *slots = k->alloc->realloc(0, n_slots * sizeof(uint32_t));
  if (slots == 0) return GOPS_KEYS_NOMEM;
  memset(slots, 0, n_slots * sizeof(uint32_t));
  for (uint32_t i = 0; i < k->count; i++) {
    uint64_t at = k->keys[i].hash & (n_slots - 1);
    while (slots[at]) at = (at + 1) & (n_slots - 1);
    slots[at] = i + 1;
  }
  k->alloc->free(k->slots);
  k->slots = slots;
  k->n_slots = n_slots;
  return GOPS_KEYS_OK;
}

gops_keys_rc gops_keys_add(gops_keys *k, const void *bytes, size_t n, uint32_t *id, int *added) {
  const unsigned char *b = bytes;
  if (added) *added = 0;
  if (k->n_slots == 0 && grow_slots(k) != GOPS_KEYS_OK) return GOPS_KEYS_NOMEM;
  const uint32_t hash = hash_bytes(b, n);
  uint64_t mask = k->n_slots - 1, at = hash & mask;
  for (uint32_t slot; (slot = k->slots[at]) != 0; at = (at + 1) & mask) {
    const gops_key *key = &k->keys[slot - 1];
    if (key->hash == hash && key->n == n && (n == 0 || memcmp(k->arena + key->at, b, n) == 0)) {
      *id = slot - 1;
      return GOPS_KEYS_OK;
    }
  }
  if (k->count == GOPS_KEYS_MAX || k->used + n > GOPS_KEYS_BYTES_MAX) return GOPS_KEYS_FULL;
  if (k->count == k->cap) {
    uint64_t cap = k->cap ? (uint64_t)k->cap * 2 : 64;
    if (cap > GOPS_KEYS_MAX) cap = GOPS_KEYS_MAX;
    gops_key *keys = k->alloc->realloc(k->keys, cap * sizeof(gops_key));
    if (keys == 0) return GOPS_KEYS_NOMEM;
    k->keys = keys;
    k->cap = (uint32_t)cap;
  }
  if (k->used + n > k->arena_cap) {
    uint64_t cap = k->arena_cap ? k->arena_cap * 2 : 1024;
    while (cap < k->used + n) cap *= 2;
    unsigned char *arena = k->alloc->realloc(k->arena, cap);
    if (arena == 0) return GOPS_KEYS_NOMEM;
    k->arena = arena;
    k->arena_cap = cap;
  }
  if (n) memcpy(k->arena + k->used, b, n);
  gops_key *key = &k->keys[k->count];
  key->at = (uint32_t)k->used;
  key->n = (uint32_t)n;
  key->hash = hash;
  k->used += n;
  k->slots[at] = ++k->count;
  *id = k->count - 1;
  if (added) *added = 1;
  /* At most half full, so that a search ends soon. */
  if ((uint64_t)k->count * 2 > k->n_slots && grow_slots(k) != GOPS_KEYS_OK) {
    /* The key is in; the table is only fuller than it should be. */
    return GOPS_KEYS_NOMEM;
  }
  return GOPS_KEYS_OK;
}

const unsigned char *gops_keys_bytes(const gops_keys *k, uint32_t id, size_t *n) {
  assert(id < k->count);
  *n = k->keys[id].n;
  /* Empty keys alone leave the arena unallocated: no offset into NULL. */
  return *n ? k->arena + k->keys[id].at : (const unsigned char *)"";
}

int gops_keys_compare(const gops_keys *k, uint32_t a, uint32_t b) {
  size_t na, nb;
  const unsigned char *pa = gops_keys_bytes(k, a, &na), *pb = gops_keys_bytes(k, b, &nb);
  size_t n = na < nb ? na : nb;
  int c = n ? memcmp(pa, pb, n) : 0;
  if (c) return c;
  return (na > nb) - (na < nb);
}
