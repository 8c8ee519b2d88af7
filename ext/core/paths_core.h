/*
** paths_core.h: where a user's path lies among their events, by the rules
** of ClickHouse's sequenceNextNode(direction, base).
**
** A user's events are numbered (ids of the event names) and sorted by time
** (ties by name, as ClickHouse sorts them).  The anchor is a run of event
** names, anchor[0 .. m-1]; its first event is the base point, which is
**   head         the user's first event, if it is anchor[0]
**   tail         the user's last event, if it is anchor[0]
**   first_match  the first event that is anchor[0]
**   last_match   the last event that is anchor[0]
** and there is no retrying at another one.  Forward, the events from the
** base on must be the anchor, in order; the path is the depth events after
** it.  Backward, the events from the base back must be the anchor (anchor
** [1] just before the base, ...); the path is the depth events before it,
** in time order.  A path is cut short where the events end, down to none.
**
** Where sequenceNextNode(direction, base)(ts, event = anchor[0], event,
** event = anchor[0], ..., event = anchor[m-1]) gives a value, it is the
** path's event next to the anchor (the first one forward, the last one
** backward); where it gives NULL, the user has no path or an empty one.
*/
#ifndef GROWTHOPS_PATHS_CORE_H
#define GROWTHOPS_PATHS_CORE_H

#include <stddef.h>
#include <stdint.h>

/* The most events of a path (PostHog's paths go to 20 steps), of an
** anchor (as a funnel's steps), and a user's rows a table sorts. */
#define GOPS_PATHS_MAX_DEPTH 20
#define GOPS_PATHS_MAX_ANCHOR 64
#define GOPS_PATHS_MAX_ROWS 10000000

typedef enum gops_paths_direction { GOPS_PATHS_FORWARD, GOPS_PATHS_BACKWARD } gops_paths_direction;
typedef enum gops_paths_base {
  GOPS_PATHS_HEAD,
  GOPS_PATHS_TAIL,
  GOPS_PATHS_FIRST_MATCH,
  GOPS_PATHS_LAST_MATCH
} gops_paths_base;

/* 'forward' or 'backward', 'head', 'tail', 'first_match' or 'last_match'
** (any letter case): 0, or -1 for another word. */
int gops_paths_parse_direction(const char *word, gops_paths_direction *out);
int gops_paths_parse_base(const char *word, gops_paths_base *out);

/* The path of a user's events[0..n-1] (in order): 1 with it at events[*from
** .. *from + *len - 1] (*len from 0 to depth), or 0 when the anchor does
** not match where the base puts it. */
int gops_path_find(const uint32_t *events, size_t n, const uint32_t *anchor, int m,
                   gops_paths_direction direction, gops_paths_base base, int depth,
                   size_t *from, size_t *len);

#endif
