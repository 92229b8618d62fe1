/*
 * redact_scan.c - what in a report string points at a person or a
 * machine, for --redact: home directories (/home/NAME, /Users/NAME,
 * C:\Users\NAME), host names (of URLs, UNC paths, "hostname:" values,
 * LAN names such as NAME.local, IPv4 addresses), user names, serial
 * numbers and device descriptions given as "key: value" metadata, and
 * serial-like tokens. rpp_redact_text (redact.c) asks at each position of a
 * string and replaces what is found with a stable placeholder.
 */
#include "internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Characters that end a name inside a path or a URL. */
static bool ends_name(char c)
{
    return c == '\0' || c == '/' || c == '\\' || c == ' ' || c == '\t' ||
           c == '\n' || c == '\r' || c == ';' || c == ',' || c == '"' ||
           c == '\'' || c == ')' || c == '>' || c == '<' || c == '?' ||
           c == '#' || c == ']';
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/* p starts a word: nothing of a name or a path right before it. */
static bool at_word(const char *s, const char *p)
{
    return p == s || !(word_char(p[-1]) || p[-1] == '/' || p[-1] == '\\' ||
                       p[-1] == '@');
}

static size_t name_len(const char *p)
{
    size_t n = 0;

    while (!ends_name(p[n]))
        n++;
    return n;
}

static bool hit(rpp__redact_hit *h, size_t keep, size_t len,
                const char *kind)
{
    if (!len)
        return false;
    h->keep = keep;
    h->len = len;
    h->kind = kind;
    return true;
}

/* /home/NAME, /Users/NAME, C:\Users\NAME (and C:/Users/NAME): NAME. */
static bool home_dir(const char *s, const char *p, rpp__redact_hit *h)
{
    size_t k;

    (void)s;
    if (strncmp(p, "/home/", 6) == 0)
        return hit(h, 6, name_len(p + 6), "user");
    if (strncasecmp(p, "/Users/", 7) == 0)
        return hit(h, 7, name_len(p + 7), "user");
    if (isalpha((unsigned char)p[0]) && p[1] == ':' &&
        (p[2] == '\\' || p[2] == '/') && strncasecmp(p + 3, "Users", 5) == 0 &&
        (p[8] == '\\' || p[8] == '/')) {
        k = name_len(p + 9);
        return hit(h, 9, k, "user");
    }
    return false;
}

/* Hosts that say nothing about the user: the Imager's own services and the
 * machine itself. */
static bool public_host(const char *host, size_t n)
{
    static const char *const suffixes[] = { "raspberrypi.com",
                                            "raspberrypi.org" };
    static const char *const exact[] = { "localhost", "127.0.0.1",
                                         "0.0.0.0" };
    size_t i, l;

    for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        if (strlen(exact[i]) == n && strncasecmp(host, exact[i], n) == 0)
            return true;
    for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        l = strlen(suffixes[i]);
        if (n >= l && strncasecmp(host + n - l, suffixes[i], l) == 0 &&
            (n == l || host[n - l - 1] == '.'))
            return true;
    }
    return false;
}

/* scheme://[user[:password]@]host[:port]: the user and host part. */
static bool url_host(const char *s, const char *p, rpp__redact_hit *h)
{
    size_t n = 0, host = 0, end;

    if (p - s < 1 || strncmp(p, "://", 3) != 0 ||
        !isalpha((unsigned char)p[-1]))
        return false;
    p += 3;
    while (!ends_name(p[n]))
        n++;
    /* the user part, when there is one, goes with the host */
    for (end = 0; end < n; end++)
        if (p[end] == '@')
            host = end + 1;
    end = host;
    while (end < n && p[end] != ':')
        end++;
    if (host == 0 && public_host(p, end))
        return false;
    return hit(h, 3, end, "host");
}

/* \\HOST\share (a Windows network path; \\.\ and \\?\ are devices). */
static bool unc_host(const char *s, const char *p, rpp__redact_hit *h)
{
    if (!at_word(s, p) || p[0] != '\\' || p[1] != '\\' || p[2] == '.' ||
        p[2] == '?' || p[2] == '\\')
        return false;
    return hit(h, 2, name_len(p + 2), "host");
}

/* Names on a local network: NAME.local, NAME.lan, NAME.home,
 * NAME.internal, NAME.localdomain, NAME.home.arpa. */
static bool lan_name(const char *s, const char *p, rpp__redact_hit *h)
{
    static const char *const suffixes[] = { ".local", ".lan", ".home",
                                            ".internal", ".localdomain",
                                            ".home.arpa" };
    size_t n = 0, i, l;

    if (!at_word(s, p) || !isalnum((unsigned char)*p))
        return false;
    while (word_char(p[n]))
        n++;
    while (n && p[n - 1] == '.')
        n--;                    /* a full stop after the name */
    for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        l = strlen(suffixes[i]);
        if (n > l && strncasecmp(p + n - l, suffixes[i], l) == 0)
            return hit(h, 0, n, "host");
    }
    return false;
}

/* An IPv4 address other than the machine's own. */
static bool ipv4(const char *s, const char *p, rpp__redact_hit *h)
{
    size_t n = 0;
    int part, digits, parts = 0;

    if (!at_word(s, p) || !isdigit((unsigned char)*p))
        return false;
    for (;;) {
        part = 0;
        digits = 0;
        while (isdigit((unsigned char)p[n]) && digits < 4) {
            part = part * 10 + (p[n] - '0');
            digits++;
            n++;
        }
        if (!digits || digits > 3 || part > 255)
            return false;
        if (++parts == 4)
            break;
        if (p[n] != '.')
            return false;
        n++;
    }
    if (word_char(p[n]) && !(p[n] == '.' && !isalnum((unsigned char)p[n + 1])))
        return false;
    if (public_host(p, n))
        return false;
    return hit(h, 0, n, "host");
}

/* "key: value" metadata whose value names a machine, a person or a
 * device; values such as "set" (the Imager's word for "configured") stay. */
static bool identifying_value(const char *s, const char *p,
                              rpp__redact_hit *h)
{
    static const struct {
        const char *key;
        const char *kind;
    } keys[] = {
        { "hostname", "host" }, { "host", "host" }, { "computer", "host" },
        { "machine", "host" }, { "username", "user" }, { "user", "user" },
        { "serial", "serial" }, { "serialnumber", "serial" },
        { "serial_number", "serial" }, { "sn", "serial" },
        { "uuid", "serial" }, { "guid", "serial" },
        { "description", "description" }, { "model", "description" },
        { "vendor", "description" }, { "product", "description" },
    };
    static const char *const plain[] = { "set", "unset", "not set", "none",
                                         "yes", "no", "configured",
                                         "default", "n/a", "unknown" };
    size_t i, kl, n;
    const char *v;

    if (!at_word(s, p))
        return false;
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        kl = strlen(keys[i].key);
        if (strncasecmp(p, keys[i].key, kl) != 0 || p[kl] != ':' ||
            p[kl + 1] != ' ')
            continue;
        v = p + kl + 2;
        n = strcspn(v, ";\n");
        while (n && v[n - 1] == ' ')
            n--;
        for (kl = 0; kl < sizeof(plain) / sizeof(plain[0]); kl++)
            if (strlen(plain[kl]) == n && strncasecmp(v, plain[kl], n) == 0)
                return false;
        return hit(h, (size_t)(v - p), n, keys[i].kind);
    }
    return false;
}

/* A serial-like token: 10 or more capital letters and digits with at
 * least four digits and two letters (runs of 16 or more hex digits are
 * left to the hash rule). */
static bool serial_token(const char *s, const char *p, rpp__redact_hit *h)
{
    size_t n = 0, digits = 0, letters = 0, hex = 0;

    if (!at_word(s, p))
        return false;
    while (isdigit((unsigned char)p[n]) || isupper((unsigned char)p[n])) {
        if (isdigit((unsigned char)p[n]))
            digits++;
        else
            letters++;
        if (isxdigit((unsigned char)p[n]))
            hex++;
        n++;
    }
    if (n < 10 || digits < 4 || letters < 2 || word_char(p[n]))
        return false;
    if (hex == n && n >= 16)
        return false;
    return hit(h, 0, n, "serial");
}

bool rpp__redact_match(const char *s, const char *p, rpp__redact_hit *h)
{
    return home_dir(s, p, h) || url_host(s, p, h) || unc_host(s, p, h) ||
           identifying_value(s, p, h) || ipv4(s, p, h) ||
           lan_name(s, p, h) || serial_token(s, p, h);
}
