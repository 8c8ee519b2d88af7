/*
** paths_core.c: a user's path after (or before) an anchor, by
** sequenceNextNode's rules.  See paths_core.h.
*/
#include "paths_core.h"

#include <assert.h>

#include "text.h"

int gops_paths_parse_direction(const char *word, gops_paths_direction *out) {
  static const char *const words[] = {"forward", "backward"};
  int i = gops_word_find(word, words, 2);
  if (i < 0) return -1;
  *out = (gops_paths_direction)i;
  return 0;
}

int gops_paths_parse_base(const char *word, gops_paths_base *out) {
  /* In the order of gops_paths_base. */
  static const char *const words[] = {"head", "tail", "first_match", "last_match"};
  int i = gops_word_find(word, words, 4);
  if (i < 0) return -1;
  *out = (gops_paths_base)i;
  return 0;
}

int gops_path_find(const uint32_t *events, size_t n, const uint32_t *anchor, int m,
                   gops_paths_direction direction, gops_paths_base base, int depth,
                   size_t *from, size_t *len) {
  assert(m >= 1 && depth >= 1 && depth <= GOPS_PATHS_MAX_DEPTH);
  if (n == 0) return 0;
  size_t b = 0;
  switch (base) {
    case GOPS_PATHS_HEAD:
      b = 0;
      break;
    case GOPS_PATHS_TAIL:
      b = n - 1;
      break;
    case GOPS_PATHS_FIRST_MATCH:
      while (b < n && events[b] != anchor[0]) b++;
      break;
    case GOPS_PATHS_LAST_MATCH:
      b = n;
      while (b > 0 && events[b - 1] != anchor[0]) b--;
      b = b ? b - 1 : n;
      break;
  }
  if (b >= n || events[b] != anchor[0]) return 0;
  const size_t run = (size_t)m;
  if (direction == GOPS_PATHS_FORWARD) {
    if (n - b < run) return 0;
    for (size_t i = 0; i < run; i++) {
      if (events[b + i] != anchor[i]) return 0;
    }
    *from = b + run;
    *len = n - *from < (size_t)depth ? n - *from : (size_t)depth;
    return 1;
  }
  if (b + 1 < run) return 0;
  for (size_t i = 0; i < run; i++) {
    if (events[b - i] != anchor[i]) return 0;
  }
  const size_t end = b + 1 - run; /* the path ends just before the anchor's last event */
  *len = end < (size_t)depth ? end : (size_t)depth;
  *from = end - *len;
  return 1;
}
