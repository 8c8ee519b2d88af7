/*
** text.c: white space, words, SQL words, terminal text, numbers and JSON
** arrays.  See text.h.
*/
#include "text.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- white space and words ------------------------------------------ */

int gops_is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

const char *gops_skip_space(const char *p, const char *end) {
  while (p < end && gops_is_space((unsigned char)*p)) p++;
  return p;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

int gops_word_equal(const char *text, size_t n, const char *word) {
  size_t i = 0;
  for (; i < n && word[i]; i++) {
    if (lower(text[i]) != word[i]) return 0;
  }
  return i == n && word[i] == 0;
}

int gops_word_find(const char *text, const char *const *words, int n_words) {
  if (text == 0) return -1;
  size_t n = strlen(text);
  for (int i = 0; i < n_words; i++) {
    if (gops_word_equal(text, n, words[i])) return i;
  }
  return -1;
}

/* ---- SQL words ---------------------------------------------------------- */

/* SQLite's white space between words (its tokenizer refuses \v). */
static int is_sql_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

static int is_name_char(char c) {
  unsigned char u = (unsigned char)c;
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
         u == '$' || u >= 0x80;
}

int gops_sql_next_word(const char **cursor, const char *end, gops_sql_word *w) {
  const char *p = *cursor;
  for (;;) {
    while (p < end && is_sql_space(*p)) p++;
    if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
      while (p < end && *p != '\n') p++;
    } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
      p += 2;
      while (p < end && !(p[0] == '*' && end - p >= 2 && p[1] == '/')) p++;
      p = p < end ? p + 2 : end;
    } else {
      break;
    }
  }
  if (p >= end) {
    *cursor = end;
    return 0;
  }
  char close = *p == '"' ? '"' : *p == '[' ? ']' : *p == '`' ? '`' : *p == '\'' ? '\'' : 0;
  if (close) {
    /* a doubled quote is the quote itself, inside the word ([] has none) */
    w->quote = *p == '[' ? '"' : *p;
    w->text = ++p;
    while (p < end && !(*p == close && (close == ']' || end - p < 2 || p[1] != close))) {
      p += (*p == close) ? 2 : 1;
    }
    w->len = (size_t)(p - w->text);
    if (p < end) p++;
  } else {
    w->quote = 0;
    w->text = p;
    while (p < end && is_name_char(*p)) p++;
    if (p == w->text) p++; /* one other character */
    w->len = (size_t)(p - w->text);
  }
  *cursor = p;
  return 1;
}

int gops_sql_word_is(const gops_sql_word *w, const char *word) {
  return w->quote == 0 && gops_word_equal(w->text, w->len, word);
}

gops_sql_vtab_rc gops_sql_virtual_module(const char *text, size_t n, gops_sql_word *module) {
  const char *p = text, *end = text + n;
  gops_sql_word w;
  if (!gops_sql_next_word(&p, end, &w) || !gops_sql_word_is(&w, "create")) return GOPS_SQL_NOT_VIRTUAL;
  if (!gops_sql_next_word(&p, end, &w) || !gops_sql_word_is(&w, "virtual")) return GOPS_SQL_NOT_VIRTUAL;
  if (!gops_sql_next_word(&p, end, &w) || !gops_sql_word_is(&w, "table")) return GOPS_SQL_UNREADABLE;
  if (!gops_sql_next_word(&p, end, &w)) return GOPS_SQL_UNREADABLE;
  if (gops_sql_word_is(&w, "if")) {
    if (!gops_sql_next_word(&p, end, &w) || !gops_sql_word_is(&w, "not")) return GOPS_SQL_UNREADABLE;
    if (!gops_sql_next_word(&p, end, &w) || !gops_sql_word_is(&w, "exists")) return GOPS_SQL_UNREADABLE;
    if (!gops_sql_next_word(&p, end, &w)) return GOPS_SQL_UNREADABLE;
  }
  /* the name, or the schema then "." and the name */
  if (w.len == 0 && w.quote == 0) return GOPS_SQL_UNREADABLE;
  if (!gops_sql_next_word(&p, end, &w)) return GOPS_SQL_UNREADABLE;
  if (w.quote == 0 && w.len == 1 && w.text[0] == '.') {
    if (!gops_sql_next_word(&p, end, &w) || !gops_sql_next_word(&p, end, &w)) return GOPS_SQL_UNREADABLE;
  }
  if (!gops_sql_word_is(&w, "using") || !gops_sql_next_word(&p, end, module)) return GOPS_SQL_UNREADABLE;
  if (module->quote == 0 && !(module->len > 0 && is_name_char(module->text[0]))) return GOPS_SQL_UNREADABLE;
  return GOPS_SQL_VIRTUAL;
}

/* ---- terminal text -------------------------------------------------------- */

/* The length of the UTF-8 character at p (before end), 0 if the bytes
** there are not one (overlong forms and surrogates included); *cp is it. */
static size_t utf8_char(const unsigned char *p, const unsigned char *end, uint32_t *cp) {
  size_t len;
  uint32_t c = p[0], min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xc2 && c <= 0xdf) {
    len = 2, c &= 0x1f, min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3, c &= 0x0f, min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4, c &= 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if ((size_t)(end - p) < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    c = (c << 6) | (p[i] & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
  *cp = c;
  return len;
}

static int is_bidi_control(uint32_t c) {
  return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

size_t gops_term_text(const char *text, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)text, *end = p + n;
  char *o = out;
  while (p < end) {
    uint32_t c = 0;
    size_t len = utf8_char(p, end, &c);
    if (len == 0 || c < 0x20 || c == 0x7f) {
      /* a control byte, or a byte that is not UTF-8 (a terminal may read
      ** 0x9b as CSI): \xHH */
      *o++ = '\\', *o++ = 'x', *o++ = hex[*p >> 4], *o++ = hex[*p & 15];
      p++;
    } else if ((c >= 0x80 && c <= 0x9f) || is_bidi_control(c)) {
      *o++ = '\\', *o++ = 'u';
      for (int shift = 12; shift >= 0; shift -= 4) *o++ = hex[(c >> shift) & 15];
      p += len;
    } else {
      memcpy(o, p, len);
      o += len;
      p += len;
    }
  }
  assert((size_t)(o - out) <= gops_term_text_size(n));
  return (size_t)(o - out);
}

/* ---- numbers ---------------------------------------------------------- */

static int is_digit(const char *p, const char *end) {
  return p < end && *p >= '0' && *p <= '9';
}

static const char *skip_digits(const char *p, const char *end) {
  while (is_digit(p, end)) p++;
  return p;
}

gops_number_rc gops_scan_number(const char **pp, const char *end,
                                gops_number_grammar grammar, double *out) {
  const char *start = *pp, *p = start;
  if (p < end && (*p == '-' || (grammar == GOPS_NUMBER_SQL && *p == '+'))) p++;
  if (grammar == GOPS_NUMBER_JSON) {
    if (!is_digit(p, end)) return GOPS_NUMBER_NONE;
    if (*p == '0') {
      p++;
      if (is_digit(p, end)) return GOPS_NUMBER_NONE; /* no leading zeros */
    } else {
      p = skip_digits(p, end);
    }
    if (p < end && *p == '.') {
      p++;
      if (!is_digit(p, end)) return GOPS_NUMBER_NONE;
      p = skip_digits(p, end);
    }
  } else {
    const char *digits = p;
    p = skip_digits(p, end);
    int whole = p > digits;
    if (p < end && *p == '.') {
      const char *fraction = ++p;
      p = skip_digits(p, end);
      if (!whole && p == fraction) return GOPS_NUMBER_NONE; /* "." alone */
    } else if (!whole) {
      return GOPS_NUMBER_NONE;
    }
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) p++;
    if (!is_digit(p, end)) return GOPS_NUMBER_NONE;
    p = skip_digits(p, end);
  }
  size_t len = (size_t)(p - start);
  if (len > GOPS_NUMBER_MAX) return GOPS_NUMBER_RANGE;
  /* strtod on a copy: the text need not end after the number. */
  char buf[GOPS_NUMBER_MAX + 1];
  memcpy(buf, start, len);
  buf[len] = 0;
  errno = 0;
  double d = strtod(buf, 0);
  /* Overflow is refused; underflow gives the nearest double (a subnormal,
  ** or 0), as SQLite reads the same text. */
  if (!isfinite(d) || (errno == ERANGE && fabs(d) > 1.0)) return GOPS_NUMBER_RANGE;
  *out = d;
  *pp = p;
  return GOPS_NUMBER_OK;
}

gops_number_rc gops_text_number(const char *text, size_t n, double *out) {
  const char *end = text + n;
  const char *p = gops_skip_space(text, end);
  gops_number_rc rc = gops_scan_number(&p, end, GOPS_NUMBER_SQL, out);
  if (rc != GOPS_NUMBER_OK) return rc;
  return gops_skip_space(p, end) == end ? GOPS_NUMBER_OK : GOPS_NUMBER_NONE;
}

/* ---- JSON arrays -------------------------------------------------------- */

/* JSON's white space (RFC 8259), narrower than SQLite's. */
static const char *json_space(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

/* The text being read, the element at hand and where a fault is. */
typedef struct json_reader {
  const char *text, *p, *end;
  int64_t index;
  gops_json_fault *fault;
} json_reader;

static gops_json_rc json_fail(json_reader *r, gops_json_rc rc, const char *at) {
  r->fault->index = r->index;
  r->fault->at = (size_t)(at - r->text);
  return rc;
}

/* '[' and white space; *empty is 1 for "[]". */
static gops_json_rc json_open(json_reader *r, const char *text, size_t n,
                              gops_json_fault *fault, int *empty) {
  r->text = text;
  r->end = text + n;
  r->index = 0;
  r->fault = fault;
  fault->index = 0;
  fault->at = 0;
  r->p = json_space(text, r->end);
  if (r->p >= r->end || *r->p != '[') return json_fail(r, GOPS_JSON_NOT_ARRAY, r->p);
  r->p = json_space(r->p + 1, r->end);
  *empty = r->p < r->end && *r->p == ']';
  if (*empty) r->p++;
  return GOPS_JSON_OK;
}

/* After an element: ',' (*more = 1) or the closing ']' (*more = 0). */
static gops_json_rc json_after(json_reader *r, int *more) {
  r->p = json_space(r->p, r->end);
  if (r->p >= r->end || (*r->p != ',' && *r->p != ']')) {
    return json_fail(r, GOPS_JSON_NO_SEPARATOR, r->p);
  }
  *more = *r->p++ == ',';
  if (*more) {
    r->index++;
    r->p = json_space(r->p, r->end);
  }
  return GOPS_JSON_OK;
}

/* Nothing but white space after the closing ']'. */
static gops_json_rc json_close(json_reader *r) {
  const char *rest = json_space(r->p, r->end);
  return rest < r->end ? json_fail(r, GOPS_JSON_TRAILING, rest) : GOPS_JSON_OK;
}

/* A number element: it runs into the next token only through white space,
** ',' or ']'.  at is where the element begins, for the fault. */
static gops_json_rc json_number(json_reader *r, const char *at, double *out) {
  gops_number_rc rc = gops_scan_number(&r->p, r->end, GOPS_NUMBER_JSON, out);
  if (rc == GOPS_NUMBER_RANGE) return json_fail(r, GOPS_JSON_RANGE, at);
  char next = r->p < r->end ? *r->p : ',';
  if (rc != GOPS_NUMBER_OK || !(next == ',' || next == ']' || json_space(r->p, r->end) > r->p)) {
    return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
  }
  return GOPS_JSON_OK;
}

/* "[x, y]" at r->p. */
static gops_json_rc json_pair(json_reader *r, double *x, double *y) {
  const char *at = r->p;
  if (r->p >= r->end || *r->p != '[') return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
  double *v[2] = {x, y};
  for (int k = 0; k < 2; k++) {
    r->p = json_space(r->p + 1, r->end);
    gops_json_rc rc = json_number(r, at, v[k]);
    if (rc != GOPS_JSON_OK) return rc;
    r->p = json_space(r->p, r->end);
    if (r->p >= r->end || *r->p != (k == 0 ? ',' : ']')) {
      return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
    }
  }
  r->p++;
  return GOPS_JSON_OK;
}

/* Reads a JSON array: element() reads each element at r->p (r->index is
** its number) and returns GOPS_JSON_OK or what is wrong. */
typedef gops_json_rc (*json_element)(json_reader *r, void *ctx);

static gops_json_rc json_array(const char *text, size_t n, gops_json_fault *fault,
                               json_element element, void *ctx) {
  json_reader r;
  int empty = 0, more;
  gops_json_rc rc = json_open(&r, text, n, fault, &empty);
  for (more = !empty; rc == GOPS_JSON_OK && more;) {
    rc = element(&r, ctx);
    if (rc == GOPS_JSON_OK) rc = json_after(&r, &more);
  }
  return rc == GOPS_JSON_OK ? json_close(&r) : rc;
}

typedef struct numbers_ctx {
  double *x, *y; /* y: pairs only */
  int64_t max, *count;
} numbers_ctx;

static gops_json_rc number_element(json_reader *r, void *ctx) {
  numbers_ctx *c = ctx;
  double d;
  gops_json_rc rc = json_number(r, r->p, &d);
  if (rc != GOPS_JSON_OK) return rc;
  if (*c->count < c->max) c->x[*c->count] = d;
  (*c->count)++;
  return GOPS_JSON_OK;
}

static gops_json_rc pair_element(json_reader *r, void *ctx) {
  numbers_ctx *c = ctx;
  if (*c->count >= c->max) return json_fail(r, GOPS_JSON_TOO_MANY, r->p);
  gops_json_rc rc = json_pair(r, &c->x[*c->count], &c->y[*c->count]);
  if (rc == GOPS_JSON_OK) (*c->count)++;
  return rc;
}

gops_json_rc gops_json_numbers(const char *text, size_t n, double *out,
                               int64_t max, int64_t *count,
                               gops_json_fault *fault) {
  numbers_ctx c = {out, 0, max, count};
  *count = 0;
  return json_array(text, n, fault, number_element, &c);
}

gops_json_rc gops_json_pairs(const char *text, size_t n, double *x, double *y,
                             int64_t max, int64_t *count,
                             gops_json_fault *fault) {
  numbers_ctx c = {x, y, max, count};
  *count = 0;
  return json_array(text, n, fault, pair_element, &c);
}

/* Four hex digits of a \u escape. */
static int json_hex4(json_reader *r, unsigned *out) {
  if (r->end - r->p < 4) return -1;
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = r->p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  r->p += 4;
  *out = v;
  return 0;
}

/* The code point of a \u escape (a surrogate pair for one beyond U+FFFF);
** 0 for a bad escape (U+0000 included: names are C strings). */
static unsigned json_code_point(json_reader *r) {
  unsigned cp, lo;
  if (json_hex4(r, &cp) != 0) return 0;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return 0;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u') return 0;
    r->p += 2;
    if (json_hex4(r, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) return 0;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  }
  return cp;
}

/* UTF-8 of a code point into s; returns the bytes written (1 to 4). */
static size_t utf8_put(char *s, unsigned cp) {
  if (cp < 0x80) {
    s[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    s[0] = (char)(0xC0 | (cp >> 6));
    s[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    s[0] = (char)(0xE0 | (cp >> 12));
    s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  s[0] = (char)(0xF0 | (cp >> 18));
  s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  s[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* A JSON string at r->p into a new NUL-terminated text.  at is where the
** element begins, for the fault. */
static gops_json_rc json_string(json_reader *r, const char *at,
                                const gops_alloc *alloc, char **out) {
  if (r->p >= r->end || *r->p != '"') return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
  const char *q = ++r->p;
  while (q < r->end && *q != '"') q += (*q == '\\' && q + 1 < r->end) ? 2 : 1;
  if (q >= r->end) return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
  /* The decoded text is never longer than the encoded one: an escape of 6
  ** or 12 bytes gives at most 4. */
  char *s = alloc->realloc(0, (uint64_t)(q - r->p) + 1);
  if (s == 0) return GOPS_JSON_NOMEM;
  size_t k = 0;
  while (r->p < q) {
    unsigned char c = (unsigned char)*r->p++;
    if (c < 0x20) goto bad; /* control characters (and NUL) must be escaped */
    if (c != '\\') {
      s[k++] = (char)c;
      continue;
    }
    c = (unsigned char)*r->p++;
    switch (c) {
      case '"': case '\\': case '/': s[k++] = (char)c; break;
      case 'b': s[k++] = '\b'; break;
      case 'f': s[k++] = '\f'; break;
      case 'n': s[k++] = '\n'; break;
      case 'r': s[k++] = '\r'; break;
      case 't': s[k++] = '\t'; break;
      case 'u': {
        unsigned cp = json_code_point(r);
        if (cp == 0 || r->p > q) goto bad;
        k += utf8_put(s + k, cp);
        break;
      }
      default:
        goto bad;
    }
  }
  assert(r->p == q && k <= (size_t)(q - at));
  r->p++; /* the closing quote */
  s[k] = 0;
  *out = s;
  return GOPS_JSON_OK;
bad:
  alloc->free(s);
  return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
}

/* The numbers of a [string, number] pair or [string, number, number]
** triple after its string. */
static gops_json_rc json_name_number(json_reader *r, const char *at, int n, double *out) {
  for (int i = 0; i < n; i++) {
    r->p = json_space(r->p, r->end);
    if (r->p >= r->end || *r->p != ',') return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
    r->p = json_space(r->p + 1, r->end);
    gops_json_rc rc = json_number(r, at, &out[i]);
    if (rc != GOPS_JSON_OK) return rc;
  }
  r->p = json_space(r->p, r->end);
  if (r->p >= r->end || *r->p != ']') return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
  r->p++;
  return GOPS_JSON_OK;
}

/* One element of gops_json_names(): a string, or [string, number].  On an
** error item->name is NULL (nothing left to free). */
static gops_json_rc json_name(json_reader *r, int with_number,
                              const gops_alloc *alloc, gops_json_name *item) {
  const char *at = r->p;
  if (!with_number) return json_string(r, at, alloc, &item->name);
  if (r->p >= r->end || *r->p != '[') return json_fail(r, GOPS_JSON_BAD_ELEMENT, at);
  r->p = json_space(r->p + 1, r->end);
  gops_json_rc rc = json_string(r, at, alloc, &item->name);
  double numbers[2];
  if (rc == GOPS_JSON_OK) rc = json_name_number(r, at, with_number, numbers);
  if (rc == GOPS_JSON_OK) {
    item->number = numbers[0];
    if (with_number == 2) item->number2 = numbers[1];
  }
  if (rc != GOPS_JSON_OK) {
    alloc->free(item->name);
    item->name = 0;
  }
  return rc;
}

void gops_json_names_free(gops_json_name *items, int count,
                          const gops_alloc *alloc) {
  if (items == 0) return;
  for (int i = 0; i < count; i++) alloc->free(items[i].name);
  alloc->free(items);
}

typedef struct names_ctx {
  int with_number, max, count;
  const gops_alloc *alloc;
  gops_json_name *items;
} names_ctx;

static gops_json_rc name_element(json_reader *r, void *ctx) {
  names_ctx *c = ctx;
  if (c->count == c->max) return json_fail(r, GOPS_JSON_TOO_MANY, r->p);
  if (c->items == 0) {
    c->items = c->alloc->realloc(0, (uint64_t)c->max * sizeof(*c->items));
    if (c->items == 0) return GOPS_JSON_NOMEM;
  }
  gops_json_name *item = &c->items[c->count];
  item->name = 0;
  item->number = 0;
  item->number2 = 0;
  gops_json_rc rc = json_name(r, c->with_number, c->alloc, item);
  if (rc == GOPS_JSON_OK) c->count++;
  return rc;
}

gops_json_rc gops_json_names(const char *text, size_t n, int with_number,
                             int max, const gops_alloc *alloc,
                             gops_json_name **items, int *count,
                             gops_json_fault *fault) {
  names_ctx c = {with_number, max, 0, alloc, 0};
  gops_json_rc rc = json_array(text, n, fault, name_element, &c);
  if (rc != GOPS_JSON_OK) {
    gops_json_names_free(c.items, c.count, alloc);
    c.items = 0;
    c.count = 0;
  }
  *items = c.items;
  *count = c.count;
  return rc;
}

size_t gops_json_string(const char *text, size_t n, char *out) {
  static const char hex[] = "0123456789abcdef";
  size_t k = 0;
  out[k++] = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"' || c == '\\') {
      out[k++] = '\\';
      out[k++] = (char)c;
    } else if (c < 0x20) {
      memcpy(out + k, "\\u00", 4);
      out[k + 4] = hex[c >> 4];
      out[k + 5] = hex[c & 15];
      k += 6;
    } else {
      out[k++] = (char)c;
    }
  }
  out[k++] = '"';
  assert(k <= gops_json_string_size(n));
  return k;
}

void gops_json_snippet(const char *text, size_t n, size_t at, int pair,
                       char *out) {
  const char *p = text + (at < n ? at : n), *end = text + n;
  if (p >= end) {
    snprintf(out, GOPS_JSON_SNIPPET_SIZE, "the end");
    return;
  }
  size_t len = 0, limit = 24;
  pair = pair && *p == '[';
  while (p + len < end && len < limit) {
    char c = p[len];
    if (!pair && (c == ',' || c == ']')) break;
    len++;
    if (pair && c == ']') break;
  }
  if (len == 0) len = 1; /* show the character that is wrong */
  int cut = p + len < end && len == limit;
  while (cut && len > 0 && (p[len] & 0xC0) == 0x80) len--;
  while (len > 0 && strchr(" \t\r\n", p[len - 1]) && p[len - 1] != 0) len--;
  /* As it is, but a NUL byte shown as SQL writes it ('1' || char(0)), so
  ** that nothing after one is hidden; at most 4 of them. */
  size_t k = 0, nuls = 0;
  int quoted = 0;
  for (size_t i = 0; i < len; i++) {
    const char *piece = 0;
    if (p[i] == 0) {
      if (nuls++ == 4) {
        cut = 1;
        break;
      }
      piece = quoted ? "' || char(0)" : k ? " || char(0)" : "char(0)";
      quoted = 0;
    } else if (!quoted) {
      piece = k ? " || '" : "'";
      quoted = 1;
    }
    if (piece) {
      memcpy(out + k, piece, strlen(piece));
      k += strlen(piece);
    }
    if (p[i] != 0) out[k++] = p[i];
  }
  if (cut) {
    const char *more = quoted ? "...'" : " || '...'";
    memcpy(out + k, more, strlen(more));
    k += strlen(more);
  } else if (quoted) {
    out[k++] = '\'';
  }
  out[k] = 0;
  assert(k < GOPS_JSON_SNIPPET_SIZE);
}
