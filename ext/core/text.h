/*
** text.h: reading text in plain C, for every core and binding of growthops.
**
** - gops_alloc: the caller's allocator (the bindings pass SQLite's).
** - White space: SQLite's (what its CAST skips around a number).
** - Words: whole-word, ASCII case-insensitive matches against a list
**   (grains, methods, directions, modes).
** - Numbers: one scanner with two grammars, JSON's (strict) and SQL's (a
**   numeric literal with an optional sign), no hex, no inf or nan, at most
**   GOPS_NUMBER_MAX characters, and only values within a double's range.
** - SQL words: SQLite's tokenizer, enough to find names in a CREATE
**   statement, and the module of a CREATE VIRTUAL TABLE.
** - Terminal text: control characters shown as visible escapes.
** - JSON arrays: of numbers, of [number, number] pairs and of strings or
**   [string, number] pairs.  Strict JSON (RFC 8259) for those shapes.  A
**   reader returns a kind (gops_json_rc) and the element at fault; the
**   message is the caller's to write, in its own words.
**
** Texts come with their length and need no terminator; nothing here stops
** at a NUL byte (a NUL is a character like any other, and is refused where
** a character is not allowed).
*/
#ifndef GROWTHOPS_TEXT_H
#define GROWTHOPS_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Memory from the caller: realloc(0, n) allocates, free(0) does nothing. */
typedef struct gops_alloc {
  void *(*realloc)(void *p, uint64_t n);
  void (*free)(void *p);
} gops_alloc;

/* ---- white space and words ------------------------------------------ */

/* SQLite's white space: space, \t, \n, \v, \f and \r. */
int gops_is_space(int c);
/* The first character at or after p that is not white space (or end). */
const char *gops_skip_space(const char *p, const char *end);

/* 1 if text[0..n-1] is word, ignoring ASCII letter case (word is given in
** lower case). */
int gops_word_equal(const char *text, size_t n, const char *word);
/* The index of the word in words[0..n_words-1] that the whole of text
** (NUL-terminated) is, ignoring case; -1 for none (text NULL included). */
int gops_word_find(const char *text, const char *const *words, int n_words);

/* ---- SQL words ---------------------------------------------------------- */

/* One word of SQL text: a name (bare, or quoted with "", [] or ``: quote
** '"', '"' or '`'), a string ('...': quote '\''), a number, or one other
** character (quote 0).  A quoted word's text is what is inside the quotes,
** doubled quotes left doubled. */
typedef struct gops_sql_word {
  const char *text;
  size_t len;
  char quote;
} gops_sql_word;

/* The next word from *cursor (before end), as SQLite's tokenizer splits
** the text: white space, "--" line comments and slash-star comments come
** between words; a bare name is made of letters, digits, '_', '$' and
** bytes >= 0x80 (so "1--'" is the number 1 and a comment).  Returns 0 at
** the end. */
int gops_sql_next_word(const char **cursor, const char *end, gops_sql_word *w);
/* 1 if w is the bare word (a keyword) given in lower case. */
int gops_sql_word_is(const gops_sql_word *w, const char *word);

/* The module of text[0..n-1] as SQLite's grammar reads a CREATE VIRTUAL
** TABLE statement: CREATE VIRTUAL TABLE [IF NOT EXISTS] name [. name]
** USING module.  GOPS_SQL_VIRTUAL with *module set; GOPS_SQL_NOT_VIRTUAL
** when the text does not begin CREATE VIRTUAL; GOPS_SQL_UNREADABLE when it
** does but what follows is not that grammar (SQLite would not load it, or
** reads it otherwise: refuse it). */
typedef enum gops_sql_vtab_rc {
  GOPS_SQL_VIRTUAL = 0,
  GOPS_SQL_NOT_VIRTUAL,
  GOPS_SQL_UNREADABLE
} gops_sql_vtab_rc;
gops_sql_vtab_rc gops_sql_virtual_module(const char *text, size_t n, gops_sql_word *module);

/* ---- terminal text -------------------------------------------------------- */

/* Writes text[0..n-1] for a terminal into out, which holds at least
** gops_term_text_size(n) bytes: C0 controls (tab and newline included),
** DEL, the C1 controls (U+0080..U+009F, and bytes that are not UTF-8) and
** the bidirectional controls (U+061C, U+200E, U+200F, U+202A..U+202E,
** U+2066..U+2069) become visible escapes (\x1b, \u202e); everything
** else (UTF-8) is unchanged.  A terminal so shows such text as written:
** it cannot set the title or the clipboard, hide text, reorder it or
** start a line of its own.  Returns the length written (no terminator). */
size_t gops_term_text(const char *text, size_t n, char *out);
#define gops_term_text_size(n) (4 * (size_t)(n))

/* ---- numbers ---------------------------------------------------------- */

/* The longest number read, in characters: longer ones are out of range. */
#define GOPS_NUMBER_MAX 64

typedef enum gops_number_grammar {
  GOPS_NUMBER_JSON, /* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  GOPS_NUMBER_SQL   /* [+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)? */
} gops_number_grammar;

typedef enum gops_number_rc {
  GOPS_NUMBER_OK = 0,
  GOPS_NUMBER_NONE,  /* not a number in that grammar */
  GOPS_NUMBER_RANGE  /* a number, but beyond a double's range: it overflows
                     ** (a number that underflows reads as the nearest
                     ** double, a subnormal or 0, as SQLite reads it), or it
                     ** is too long */
} gops_number_rc;

/* Reads the number at *pp (no white space skipped).  On GOPS_NUMBER_OK,
** *out is the value and *pp points past it; the caller checks what follows.
** On an error *pp is unchanged. */
gops_number_rc gops_scan_number(const char **pp, const char *end,
                                gops_number_grammar grammar, double *out);
/* text[0..n-1] wholly one number of the SQL grammar, with white space
** around it allowed. */
gops_number_rc gops_text_number(const char *text, size_t n, double *out);

/* ---- JSON arrays -------------------------------------------------------- */

typedef enum gops_json_rc {
  GOPS_JSON_OK = 0,
  GOPS_JSON_NOMEM,
  GOPS_JSON_NOT_ARRAY,    /* the text does not open with '[' */
  GOPS_JSON_BAD_ELEMENT,  /* element fault.index is not what was asked */
  GOPS_JSON_RANGE,        /* element fault.index has a number out of range */
  GOPS_JSON_NO_SEPARATOR, /* element fault.index is not followed by ',' or ']' */
  GOPS_JSON_TRAILING,     /* there is text after the closing ']' */
  GOPS_JSON_TOO_MANY      /* more than the max elements */
} gops_json_rc;

/* Where a reader stopped: the element (0-based) and the offset in the text
** of what is wrong there (the element, or what follows it). */
typedef struct gops_json_fault {
  int64_t index;
  size_t at;
} gops_json_fault;

/* An array of numbers: the first max are stored in out[], every element is
** counted in *count (so that a caller can say "13 weights for 12
** periods"); never GOPS_JSON_TOO_MANY. */
gops_json_rc gops_json_numbers(const char *text, size_t n, double *out,
                               int64_t max, int64_t *count,
                               gops_json_fault *fault);
/* An array of [x, y] pairs of numbers, at most max of them. */
gops_json_rc gops_json_pairs(const char *text, size_t n, double *x, double *y,
                             int64_t max, int64_t *count,
                             gops_json_fault *fault);

/* One element of an array of strings, of [string, number] pairs or of
** [string, number, number] triples. */
typedef struct gops_json_name {
  char *name;     /* allocated, NUL-terminated UTF-8 (no NUL inside) */
  double number;  /* with_number 1 or 2 */
  double number2; /* with_number 2 */
} gops_json_name;
/* An array of strings (with_number 0), of [string, number] pairs
** (with_number 1) or of [string, number, number] triples (with_number 2),
** at most max of them, into *items (allocated, *count of them; NULL on an
** error).  Free with gops_json_names_free(). */
gops_json_rc gops_json_names(const char *text, size_t n, int with_number,
                             int max, const gops_alloc *alloc,
                             gops_json_name **items, int *count,
                             gops_json_fault *fault);
void gops_json_names_free(gops_json_name *items, int count,
                          const gops_alloc *alloc);

/* Writes text[0..n-1] as a JSON string, quotes included, into out, which
** holds at least gops_json_string_size(n) bytes: '"' and '\\' escaped,
** control characters as \\u00XX, everything else (UTF-8) as it is.
** Returns the length written (no terminator). */
size_t gops_json_string(const char *text, size_t n, char *out);
#define gops_json_string_size(n) (6 * (size_t)(n) + 2)

/* Room for gops_json_snippet()'s text. */
#define GOPS_JSON_SNIPPET_SIZE 112
/* What a message shows of the text at offset at: up to 24 bytes, quoted,
** cut where the element ends (pair: after its ']'; else before ',' or ']')
** and on a UTF-8 boundary, "..." when cut short, a NUL byte shown as SQL
** writes it (' || char(0) || '); "the end" past the end. */
void gops_json_snippet(const char *text, size_t n, size_t at, int pair,
                       char *out);

#endif
