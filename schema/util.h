/*
 * util.h - small building blocks shared by the rpiperf libraries:
 * a growable byte buffer, an arena for strings, UTF-8 checks, the
 * escaping every output format needs, the hash and the map, and a JSON
 * writer. Internal: not installed.
 */
#ifndef RPIPERF_UTIL_H
#define RPIPERF_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Growable buffer -------------------------------------------------- */

/*
 * A byte buffer that is always NUL-terminated once anything was added.
 * After an allocation failure it stops growing and remembers the failure
 * (oom), so a sequence of appends needs one check at the end.
 */
typedef struct rpp__buf {
    char *ptr;
    size_t len;
    size_t cap;
    bool oom;
} rpp__buf;

#define RPP__BUF_INIT { NULL, 0, 0, false }

int rpp__buf_grow(rpp__buf *b, size_t extra);
void rpp__buf_put(rpp__buf *b, const char *s, size_t n);
void rpp__buf_puts(rpp__buf *b, const char *s);
void rpp__buf_putc(rpp__buf *b, char c);
void rpp__buf_printf(rpp__buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void rpp__buf_vprintf(rpp__buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void rpp__buf_put_u64(rpp__buf *b, uint64_t v);
void rpp__buf_put_i64(rpp__buf *b, int64_t v);
void rpp__buf_indent(rpp__buf *b, int n);
/* Takes the contents (caller frees); the buffer is left empty. */
char *rpp__buf_detach(rpp__buf *b);
void rpp__buf_clear(rpp__buf *b);
void rpp__buf_free(rpp__buf *b);

/* ---- Arena ------------------------------------------------------------- */

typedef struct rpp__arena rpp__arena;

rpp__arena *rpp__arena_new(void);
void rpp__arena_free(rpp__arena *a);
void *rpp__arena_alloc(rpp__arena *a, size_t n);
char *rpp__arena_strndup(rpp__arena *a, const char *s, size_t n);
char *rpp__arena_strdup(rpp__arena *a, const char *s);

/* ---- UTF-8 ------------------------------------------------------------- */

/*
 * Returns the length (1-4) of the valid UTF-8 sequence starting at s (n bytes
 * available), or 0 when the bytes there are not valid UTF-8 (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). *cp receives the
 * code point.
 */
size_t rpp__utf8_next(const unsigned char *s, size_t n, uint32_t *cp);
/* Offset of the first invalid byte, or (size_t)-1 when all of s is valid. */
size_t rpp__utf8_check(const char *s, size_t n);

/* ---- Escaping ---------------------------------------------------------- */

/* Appends s as a JSON string literal (with quotes). Control characters are
 * escaped; invalid UTF-8 becomes U+FFFD. ascii_only escapes all non-ASCII
 * as \uXXXX (used where a consumer may not be UTF-8 clean). */
void rpp__json_str(rpp__buf *b, const char *s, bool ascii_only);

/*
 * Appends s for a terminal: C0/C1 controls, DEL, escape sequences and
 * bidirectional overrides/isolates are replaced by visible forms (\x1b,
 * \u202e), invalid UTF-8 by U+FFFD; at most max_cols characters are kept
 * (0 = no limit), the cut marked with "...".
 */
void rpp__text_safe(rpp__buf *b, const char *s, size_t max_cols);

/* As rpp__text_safe, for a single line: each run of line breaks (LF or
 * CR LF) reads as one space instead of \x0a. */
void rpp__text_flat(rpp__buf *b, const char *s, size_t max_cols);

/* HTML/XML text or attribute value: & < > " ' escaped, line breaks (LF
 * or CR LF) as "&#10;" (a break that survives in attribute values), other controls made
 * visible as in rpp__text_safe. */
void rpp__html_safe(rpp__buf *b, const char *s);
/* The same for XML, keeping line breaks and tabs as &#10; and &#9;. */
void rpp__xml_safe(rpp__buf *b, const char *s);

/* The same for text that flows in a page: line breaks as "<br>". */
void rpp__html_lines(rpp__buf *b, const char *s);

/* Markdown table cell / inline text: markdown and HTML metacharacters
 * escaped with backslashes or entities, line breaks as "<br>" (which
 * works in table cells and list items), controls made visible; "@" in a
 * code span and "://" and "www." broken by an entity, so that no mention,
 * mail link or web link comes out of report text on GitHub. */
void rpp__md_safe(rpp__buf *b, const char *s);

/* Number of characters (code points) rpp__text_safe would print. */
size_t rpp__text_width(const char *s);


/* ---- Hashing ------------------------------------------------------------ */

/* FNV-1a, 64 bits: the one hash of the libraries. rpp__hash_bytes goes on
 * from h (RPP__HASH_INIT to start), so pieces can be hashed as one. */
#define RPP__HASH_INIT 1469598103934665603ULL
uint64_t rpp__hash_bytes(uint64_t h, const void *data, size_t n);
uint64_t rpp__hash_str(const char *s);

/* ---- Name map ----------------------------------------------------------- */

/* Strings (borrowed, not copied) to size_t values, with open addressing:
 * linear whatever a report holds. The one map of the libraries: where
 * something else is looked up by a string, it is kept in an array and the
 * map holds its index. Start zeroed: rpp__namemap m = {0}. */
typedef struct rpp__namemap {
    const char **keys;
    size_t *vals;
    size_t cap, n;
} rpp__namemap;

/* Adds key with val. Returns 1 when added, 0 when key was already there
 * (*existing, if not NULL, gets its value), -1 when out of memory. */
int rpp__namemap_put(rpp__namemap *m, const char *key, size_t val,
                    size_t *existing);
/* Looks key up: true with *val set, or false. */
bool rpp__namemap_get(const rpp__namemap *m, const char *key, size_t *val);
void rpp__namemap_free(rpp__namemap *m);

/* ---- JSON writer -------------------------------------------------------- */

/* Writes indented JSON into a buffer: commas and indentation handled here.
 * Nesting beyond RPP_JW_DEPTH is flattened (never overflows). */
#define RPP_JW_DEPTH 32
typedef struct rpp__jw {
    rpp__buf *b;
    int depth;
    bool first[RPP_JW_DEPTH];
    bool after_key;
    int indent;          /* spaces per level; 0 = compact */
} rpp__jw;

void rpp__jw_init(rpp__jw *w, rpp__buf *b, int indent);
void rpp__jw_obj(rpp__jw *w);
void rpp__jw_obj_end(rpp__jw *w);
void rpp__jw_arr(rpp__jw *w);
void rpp__jw_arr_end(rpp__jw *w);
void rpp__jw_key(rpp__jw *w, const char *key);
void rpp__jw_str(rpp__jw *w, const char *s);      /* NULL writes null */
void rpp__jw_int(rpp__jw *w, int64_t v);
void rpp__jw_uint(rpp__jw *w, uint64_t v);
void rpp__jw_num(rpp__jw *w, double v);           /* non-finite writes null */
void rpp__jw_bool(rpp__jw *w, bool v);
void rpp__jw_null(rpp__jw *w);

#endif
