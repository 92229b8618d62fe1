/*
 * util.h - small building blocks shared by the rpiperf libraries:
 * a growable byte buffer, an arena for strings, UTF-8 checks and the
 * escaping every output format needs. Internal: not installed.
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
typedef struct rpp_buf {
    char *ptr;
    size_t len;
    size_t cap;
    bool oom;
} rpp_buf;

#define RPP_BUF_INIT { NULL, 0, 0, false }

int rpp_buf_grow(rpp_buf *b, size_t extra);
void rpp_buf_put(rpp_buf *b, const char *s, size_t n);
void rpp_buf_puts(rpp_buf *b, const char *s);
void rpp_buf_putc(rpp_buf *b, char c);
void rpp_buf_printf(rpp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void rpp_buf_vprintf(rpp_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void rpp_buf_put_u64(rpp_buf *b, uint64_t v);
void rpp_buf_put_i64(rpp_buf *b, int64_t v);
void rpp_buf_indent(rpp_buf *b, int n);
/* Takes the contents (caller frees); the buffer is left empty. */
char *rpp_buf_detach(rpp_buf *b);
void rpp_buf_clear(rpp_buf *b);
void rpp_buf_free(rpp_buf *b);

/* ---- Arena ------------------------------------------------------------- */

typedef struct rpp_arena rpp_arena;

rpp_arena *rpp_arena_new(void);
void rpp_arena_free(rpp_arena *a);
void *rpp_arena_alloc(rpp_arena *a, size_t n);
char *rpp_arena_strndup(rpp_arena *a, const char *s, size_t n);
char *rpp_arena_strdup(rpp_arena *a, const char *s);

/* ---- UTF-8 ------------------------------------------------------------- */

/*
 * Returns the length (1-4) of the valid UTF-8 sequence starting at s (n bytes
 * available), or 0 when the bytes there are not valid UTF-8 (overlong forms,
 * surrogates and code points above U+10FFFF are invalid). *cp receives the
 * code point.
 */
size_t rpp_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);
/* Offset of the first invalid byte, or (size_t)-1 when all of s is valid. */
size_t rpp_utf8_check(const char *s, size_t n);

/* ---- Escaping ---------------------------------------------------------- */

/* Appends s as a JSON string literal (with quotes). Control characters are
 * escaped; invalid UTF-8 becomes U+FFFD. ascii_only escapes all non-ASCII
 * as \uXXXX (used where a consumer may not be UTF-8 clean). */
void rpp_json_str(rpp_buf *b, const char *s, bool ascii_only);

/*
 * Appends s for a terminal: C0/C1 controls, DEL, escape sequences and
 * bidirectional overrides/isolates are replaced by visible forms (\x1b,
 * \u202e), invalid UTF-8 by U+FFFD; at most max_cols characters are kept
 * (0 = no limit), the cut marked with "...".
 */
void rpp_text_safe(rpp_buf *b, const char *s, size_t max_cols);

/* HTML/XML text or attribute value: & < > " ' escaped, controls made
 * visible as in rpp_text_safe. */
void rpp_html_safe(rpp_buf *b, const char *s);

/* Markdown table cell / inline text: markdown and HTML metacharacters
 * escaped with backslashes or entities, newlines as spaces, controls
 * made visible. */
void rpp_md_safe(rpp_buf *b, const char *s);

/* Number of characters (code points) rpp_text_safe would print. */
size_t rpp_text_width(const char *s);


/* ---- Name map ----------------------------------------------------------- */

/* Strings (borrowed, not copied) to size_t values, with open addressing:
 * linear whatever a report holds. Start zeroed: rpp_namemap m = {0}. */
typedef struct rpp_namemap {
    const char **keys;
    size_t *vals;
    size_t cap, n;
} rpp_namemap;

/* Adds key with val. Returns 1 when added, 0 when key was already there
 * (*existing, if not NULL, gets its value), -1 when out of memory. */
int rpp_namemap_put(rpp_namemap *m, const char *key, size_t val,
                    size_t *existing);
/* Looks key up: true with *val set, or false. */
bool rpp_namemap_get(const rpp_namemap *m, const char *key, size_t *val);
void rpp_namemap_free(rpp_namemap *m);

/* ---- JSON writer -------------------------------------------------------- */

/* Writes indented JSON into a buffer: commas and indentation handled here.
 * Nesting beyond RPP_JW_DEPTH is flattened (never overflows). */
#define RPP_JW_DEPTH 32
typedef struct rpp_jw {
    rpp_buf *b;
    int depth;
    bool first[RPP_JW_DEPTH];
    bool after_key;
    int indent;          /* spaces per level; 0 = compact */
} rpp_jw;

void rpp_jw_init(rpp_jw *w, rpp_buf *b, int indent);
void rpp_jw_obj(rpp_jw *w);
void rpp_jw_obj_end(rpp_jw *w);
void rpp_jw_arr(rpp_jw *w);
void rpp_jw_arr_end(rpp_jw *w);
void rpp_jw_key(rpp_jw *w, const char *key);
void rpp_jw_str(rpp_jw *w, const char *s);      /* NULL writes null */
void rpp_jw_int(rpp_jw *w, int64_t v);
void rpp_jw_uint(rpp_jw *w, uint64_t v);
void rpp_jw_num(rpp_jw *w, double v);           /* non-finite writes null */
void rpp_jw_bool(rpp_jw *w, bool v);
void rpp_jw_null(rpp_jw *w);

#endif
