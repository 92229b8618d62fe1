/*
 * simulate - writes the bundled sample reports (samples/vN-NAME.json) by
 * simulating Raspberry Pi Imager runs in virtual time and recording them
 * with the writer library, as the Imager would record them.
 *
 *   simulate DIR        writes every sample into DIR
 *
 * The pipeline model: download into an input ring buffer, decompress into
 * a write ring buffer, write to the card, then read back to verify. Each
 * stage has a capacity in MiB/s with per-interval noise; full or empty
 * buffers hold the stages back. Progress is reported every 100-250 ms and
 * only when the value changed, in the Imager's order (download,
 * decompress, write). Everything is deterministic: fixed seeds, a fixed
 * epoch (2025-12-01T09:00:00Z) and exportTime printed in UTC, and only
 * exactly rounded arithmetic (no libm), so every run writes the same bytes.
 * Exit status: 0 done, 1 a report could not be written, 2 usage.
 */
#include <rpiperf/report.h>
#include <rpiperf/writer.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPOCH_MS INT64_C(1764579600000)
#define MIB 1048576.0
#define TICK_MS 10
#define MAX_STALLS 512

/* ---- Deterministic random numbers (splitmix64) -------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnd(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double unif(rng *r)
{
    return (double)(rnd(r) >> 11) / 9007199254740992.0;
}

/* Uniform integer in [lo, hi]. */
static int irange(rng *r, int lo, int hi)
{
    return lo + (int)(rnd(r) % (uint64_t)(hi - lo + 1));
}

/* ---- Hosts and scenarios ------------------------------------------------ */

typedef struct host {
    const char *os, *os_version, *arch, *tier, *platform;
    int cores;
    uint64_t total_mem, avail_mem;
    int64_t input_buffer, write_buffer, sync_bytes, sync_ms;
    int input_slots;
    bool authorise;          /* macOS asks for authorisation first */
} host;

static const host linux_desktop = {
    "Linux", "24.04", "x86_64", "High memory (15876MB)", "Linux", 8,
    UINT64_C(16647192576), UINT64_C(10203693056),
    2097152, 8388608, 260046848, 7000, 16, false
};

static const host pi4 = {
    "Linux", "12", "arm64", "Medium memory (3796MB)", "Linux", 4,
    UINT64_C(3980394496), UINT64_C(2527068160),
    524288, 2097152, 49283072, 5000, 16, false
};

static const host mac = {
    "macOS", "15.1", "arm64", "High memory (16384MB)", "macOS", 10,
    UINT64_C(17179869184), UINT64_C(7656701952),
    4194304, 8388608, 268435456, 7000, 16, true
};

static const host windows_pc = {
    "Windows", "11", "x86_64", "High memory (32509MB)", "Windows", 12,
    UINT64_C(34088157184), UINT64_C(22939697152),
    4194304, 8388608, 268435456, 7000, 16, false
};

/* ringBufferStarvation events of one kind, spread over the write. */
typedef struct stall_spec {
    const char *buffer;      /* "write" or "input"; NULL = unused */
    const char *type;        /* "producer_stall" or "consumer_stall" */
    int count;
    int min_ms, max_ms;
} stall_spec;

typedef struct scenario {
    const char *name;
    bool v2;                 /* the version 2 writer can express it */
    uint64_t seed;
    const host *host;
    const char *image;
    uint64_t size, xz;
    const char *device;
    uint64_t device_size;
    double net, dec, card, verify;   /* capacities in MiB/s */
    double noise;                    /* relative, per 100 ms interval */
    stall_spec stalls[3];
    bool never_started;
    bool direct_io_fails;
    bool no_periodic_sync;
    bool windows_prepare;
    int open_ms;                     /* 0: an ordinary 300-500 ms */
    int final_sync_ms;               /* 0: an ordinary 1-2 s */
    bool long_customisation;
    double cancel_at, fail_at;       /* fraction of the write; 0 = no */
    double freeze_at;                /* the card stops for freeze_ms */
    int freeze_ms;
    int drop_period_ms, drop_ms;     /* periodic slowdowns of the card */
    double drop_factor;
    double slow_at[2];               /* short slow episodes of the card */
    int slow_ms;
    double slow_factor;
    double retry_at;                 /* fraction of the download */
    bool second_cycle;
    const char *device2;
    uint64_t device2_size;
    double card2;
} scenario;

#define OS64 "Raspberry Pi OS (64-bit)"
#define LITE "Raspberry Pi OS Lite (64-bit)"
#define UBUNTU_DESKTOP "Ubuntu Desktop 24.04.3 LTS (64-bit)"
#define UBUNTU_SERVER "Ubuntu Server 24.04.3 LTS (64-bit)"
#define OS64_SIZE UINT64_C(5905580032)
#define OS64_XZ UINT64_C(1277165568)
#define LITE_SIZE UINT64_C(2852126720)
#define LITE_XZ UINT64_C(463044608)
#define CARD32 UINT64_C(31914983424)
#define CARD16 UINT64_C(15931539456)
#define CARD64 UINT64_C(63864569856)

static const scenario scenarios[] = {
    { .name = "healthy", .v2 = true, .seed = 101, .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 34, .dec = 110, .card = 45, .verify = 88, .noise = 0.06,
      .stalls = { { "write", "producer_stall", 11, 50, 150 } } },
    { .name = "io-bound", .v2 = true, .seed = 202, .host = &linux_desktop,
      .image = UBUNTU_SERVER, .size = UINT64_C(3909091328),
      .xz = UINT64_C(1178599424),
      .device = "/dev/sdc", .device_size = CARD16,
      .net = 12, .dec = 150, .card = 11, .verify = 80, .noise = 0.06,
      .stalls = { { "write", "producer_stall", 60, 420, 950 },
                  { "write", "producer_stall", 8, 1400, 2600 },
                  { "write", "consumer_stall", 6, 40, 120 } },
      .final_sync_ms = 2400 },
    { .name = "cpu-bound", .seed = 303, .host = &pi4,
      .image = UBUNTU_DESKTOP, .size = UINT64_C(4563402752),
      .xz = UINT64_C(1128267776),
      .device = "/dev/sda", .device_size = CARD64,
      .net = 35, .dec = 15, .card = 70, .verify = 62, .noise = 0.05,
      .stalls = { { "write", "consumer_stall", 40, 80, 260 },
                  { "write", "producer_stall", 5, 30, 90 } } },
    { .name = "network-bound", .v2 = true, .seed = 404,
      .host = &linux_desktop,
      .image = LITE, .size = UINT64_C(2785017856), .xz = UINT64_C(493879296),
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 6.2, .dec = 120, .card = 45, .verify = 85, .noise = 0.04,
      .stalls = { { "input", "consumer_stall", 36, 60, 700 },
                  { "write", "consumer_stall", 6, 60, 350 } },
      .retry_at = 0.31 },
    { .name = "producer-stalls", .seed = 505, .host = &mac,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/rdisk4", .device_size = CARD32,
      .net = 28, .dec = 130, .card = 35, .verify = 80, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 28, 150, 420 },
                  { "input", "producer_stall", 22, 200, 600 } },
      .slow_at = { 0.27, 0.68 }, .slow_ms = 1700, .slow_factor = 0.16 },
    { .name = "periodic-drops", .v2 = true, .seed = 606,
      .host = &linux_desktop,
      .image = OS64, .size = UINT64_C(3959422976), .xz = UINT64_C(880803840),
      .device = "/dev/sdd", .device_size = CARD32,
      .net = 27, .dec = 120, .card = 38, .verify = 80, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 14, 80, 450 } },
      .drop_period_ms = 10000, .drop_ms = 1600, .drop_factor = 0.3 },
    { .name = "stall-gap", .v2 = true, .seed = 707, .host = &mac,
      .image = OS64, .size = UINT64_C(3959422976), .xz = UINT64_C(880803840),
      .device = "/dev/rdisk4", .device_size = CARD32,
      .net = 27, .dec = 120, .card = 34, .verify = 78, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 12, 60, 300 } },
      .freeze_at = 0.45, .freeze_ms = 6000 },
    { .name = "windows-slow-prepare", .v2 = true, .seed = 808,
      .host = &windows_pc,
      .image = UBUNTU_DESKTOP, .size = UINT64_C(5368709120),
      .xz = UINT64_C(1181116006),
      .device = "\\\\.\\PhysicalDrive2", .device_size = CARD64,
      .net = 30, .dec = 140, .card = 38, .verify = 92, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 9, 50, 160 } },
      .windows_prepare = true },
    { .name = "slow-drive-open", .v2 = true, .seed = 909,
      .host = &linux_desktop,
      .image = LITE, .size = LITE_SIZE, .xz = LITE_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 24, .dec = 130, .card = 40, .verify = 85, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 8, 50, 150 } },
      .open_ms = 9400 },
    { .name = "long-customisation", .v2 = true, .seed = 1010,
      .host = &linux_desktop,
      .image = LITE, .size = LITE_SIZE, .xz = LITE_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 22, .dec = 130, .card = 35, .verify = 82, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 8, 50, 150 } },
      .long_customisation = true },
    { .name = "long-final-sync", .v2 = true, .seed = 1111,
      .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD64,
      .net = 26, .dec = 110, .card = 34, .verify = 84, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 10, 50, 160 } },
      .direct_io_fails = true, .no_periodic_sync = true,
      .final_sync_ms = 23400 },
    { .name = "failed", .v2 = true, .seed = 1212, .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 27, .dec = 110, .card = 34, .verify = 85, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 4, 50, 150 } },
      .fail_at = 0.38 },
    { .name = "cancelled", .v2 = true, .seed = 1313,
      .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD64,
      .net = 36, .dec = 120, .card = 45, .verify = 90, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 5, 50, 150 } },
      .cancel_at = 0.45 },
    { .name = "never-started", .v2 = true, .seed = 1414,
      .host = &linux_desktop, .never_started = true },
    { .name = "multi-cycle", .seed = 1515, .host = &linux_desktop,
      .image = LITE, .size = LITE_SIZE, .xz = LITE_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 24, .dec = 130, .card = 42, .verify = 85, .noise = 0.05,
      .stalls = { { "write", "producer_stall", 8, 50, 150 } },
      .second_cycle = true, .device2 = "/dev/sdc", .device2_size = CARD16,
      .card2 = 38 },
};

/* ---- One simulated run -------------------------------------------------- */

typedef struct sim {
    rpp_writer *w;
    int version;
    int64_t t;               /* virtual ms since EPOCH_MS */
    int64_t session_t0;
    rng r;
    const scenario *sc;
    int status;              /* first failure of a library call */
} sim;

static int64_t clock_monotonic(void *ctx)
{
    return ((const sim *)ctx)->t;
}

static int64_t clock_wall(void *ctx)
{
    return EPOCH_MS + ((const sim *)ctx)->t;
}

static void check(sim *s, int rc)
{
    if (rc < 0 && s->status == RPP_OK)
        s->status = rc;
}

static uint32_t session_ms(const sim *s)
{
    return (uint32_t)(s->t - s->session_t0);
}

/* The event types the first writer revision (version 2) knows. */
static const rpp_event_type v2_types[] = {
    RPP_EV_OS_LIST_FETCH, RPP_EV_OS_LIST_PARSE, RPP_EV_SUBLIST_FETCH,
    RPP_EV_NETWORK_LATENCY, RPP_EV_DRIVE_LIST_POLL, RPP_EV_DRIVE_OPEN,
    RPP_EV_DRIVE_UNMOUNT, RPP_EV_DRIVE_FORMAT, RPP_EV_CACHE_LOOKUP,
    RPP_EV_CACHE_VERIFICATION, RPP_EV_CACHE_WRITE, RPP_EV_CACHE_FLUSH,
    RPP_EV_MEMORY_ALLOCATION, RPP_EV_BUFFER_RESIZE, RPP_EV_PAGE_CACHE_FLUSH,
    RPP_EV_IMAGE_DECOMPRESS_INIT, RPP_EV_IMAGE_EXTRACTION,
    RPP_EV_HASH_COMPUTATION, RPP_EV_CUSTOMISATION,
    RPP_EV_CLOUD_INIT_GENERATION, RPP_EV_FIRST_RUN_GENERATION,
    RPP_EV_SECURE_BOOT_SETUP, RPP_EV_PARTITION_TABLE_WRITE,
    RPP_EV_FAT_PARTITION_SETUP, RPP_EV_FINAL_SYNC, RPP_EV_DEVICE_CLOSE,
    RPP_EV_FILE_DIALOG_OPEN
};

static bool known_to_v2(rpp_event_type t)
{
    size_t i;

    for (i = 0; i < sizeof(v2_types) / sizeof(v2_types[0]); i++)
        if (v2_types[i] == t)
            return true;
    return false;
}

static bool expressible(const sim *s, rpp_event_type t)
{
    return s->version >= 3 || known_to_v2(t);
}

/* An event of dur ms that ends now. */
static void rec(sim *s, rpp_event_type t, int dur, const char *meta)
{
    if (expressible(s, t))
        check(s, rpp_writer_event_record(s->w, t, (uint32_t)dur, true,
                                         meta));
}

/* An operation of dur ms that starts now. */
static void op(sim *s, rpp_event_type t, int dur, const char *meta)
{
    s->t += dur;
    rec(s, t, dur, meta);
}

static void op_transfer(sim *s, rpp_event_type t, int dur, uint64_t bytes,
                        const char *meta)
{
    s->t += dur;
    if (expressible(s, t))
        check(s, rpp_writer_event_transfer(s->w, t, (uint32_t)dur, bytes,
                                           true, meta));
}

static void random_hash(rng *r, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    int i;

    for (i = 0; i < 64; i++)
        out[i] = hex[rnd(r) & 15];
    out[64] = '\0';
}

static void background(sim *s, int polls)
{
    static const char base[] = "https://downloads.raspberrypi.com/";
    char url[160];
    int i;

    s->t += irange(&s->r, 1800, 2600);
    snprintf(url, sizeof(url), "%sos_list_imagingutility_v4.json", base);
    op_transfer(s, RPP_EV_OS_LIST_FETCH, irange(&s->r, 400, 900),
                (uint64_t)irange(&s->r, 119000, 127000), url);
    op(s, RPP_EV_OS_LIST_PARSE, irange(&s->r, 25, 60), "");
    snprintf(url, sizeof(url), "%sos_list_imagingutility_v4_community.json",
             base);
    s->t += irange(&s->r, 20, 90);
    op_transfer(s, RPP_EV_SUBLIST_FETCH, irange(&s->r, 250, 650),
                (uint64_t)irange(&s->r, 20000, 30000), url);
    snprintf(url, sizeof(url), "%sos_list_imagingutility_v4_media.json",
             base);
    op_transfer(s, RPP_EV_SUBLIST_FETCH, irange(&s->r, 250, 650),
                (uint64_t)irange(&s->r, 9000, 13000), url);
    for (i = 0; i < polls; i++) {
        s->t += irange(&s->r, 6000, 12000);
        op(s, RPP_EV_DRIVE_LIST_POLL, irange(&s->r, 200, 600), "");
    }
}

static void set_system(sim *s, const char *device, uint64_t device_size)
{
    const host *h = s->sc->host;
    rpp_writer_system y;

    if (s->version < 3)
        return;
    memset(&y, 0, sizeof(y));
    y.total_memory_bytes = h->total_mem;
    y.available_memory_bytes = h->avail_mem;
    y.device_path = device;
    y.device_size_bytes = device_size;
    y.device_description = "";
    y.device_is_usb = true;
    y.device_is_removable = true;
    y.os_name = h->os;
    y.os_version = h->os_version;
    y.cpu_architecture = h->arch;
    y.cpu_core_count = h->cores;
    y.imager_version = "2.0.11";
    y.imager_build_type = "Release";
    y.qt_version = "6.9.3";
    y.qt_build_version = "6.9.3";
    y.direct_io_enabled = false;     /* updated once the drive is open */
    y.periodic_sync_enabled = !s->sc->no_periodic_sync;
    y.sync_interval_bytes = h->sync_bytes;
    y.sync_interval_ms = h->sync_ms;
    y.memory_tier = h->tier;
    y.write_buffer_size = h->write_buffer;
    y.input_buffer_size = h->input_buffer;
    y.input_ring_buffer_slots = h->input_slots;
    y.write_ring_buffer_slots = 516;
    check(s, rpp_writer_set_system(s->w, &y));
}

static void start_session(sim *s, const char *device, uint64_t device_size)
{
    check(s, rpp_writer_session_start(s->w, s->sc->image, s->sc->size,
                                      device));
    s->session_t0 = s->t;
    set_system(s, device, device_size);
}

/* Cache lookup, unmount, open (with the MBR zeroing inside) and the
 * direct I/O attempt. */
static void prepare(sim *s, uint64_t device_size)
{
    const scenario *sc = s->sc;
    const host *h = sc->host;
    bool dio = !sc->direct_io_fails;
    char meta[200];
    int64_t open_start;
    int zero, first, last;

    s->t += 1;
    rec(s, RPP_EV_CACHE_LOOKUP, 1, "miss");
    if (sc->windows_prepare && s->version >= 3) {
        op(s, RPP_EV_DRIVE_UNMOUNT_VOLUMES, irange(&s->r, 20300, 20900), "");
        op(s, RPP_EV_DRIVE_DISK_CLEAN, irange(&s->r, 40100, 40700), "");
        op(s, RPP_EV_DRIVE_RESCAN, irange(&s->r, 1200, 1450), "");
    } else if (sc->windows_prepare) {
        /* The first revision has no Windows prepare events: the unmount
         * is driveUnmount and the disk clean is inside driveOpen. */
        op(s, RPP_EV_DRIVE_UNMOUNT, irange(&s->r, 20300, 20700), "");
    } else {
        op(s, RPP_EV_DRIVE_UNMOUNT, irange(&s->r, 300, 800), "");
    }
    if (h->authorise)
        op(s, RPP_EV_DRIVE_AUTHORIZATION, irange(&s->r, 2500, 4200), "");
    open_start = s->t;
    s->t += irange(&s->r, 15, 30);
    zero = irange(&s->r, 290, 450);
    first = irange(&s->r, 30, 65);
    last = zero - irange(&s->r, 40, 70);
    snprintf(meta, sizeof(meta),
             "first_mb_ms: %d; last_mb_ms: %d; device_size_mb: %" PRIu64,
             first, last, device_size / ((uint64_t)1024 * 1024));
    op(s, RPP_EV_DRIVE_MBR_ZEROING, zero, meta);
    if (sc->windows_prepare && s->version < 3)
        s->t = open_start + irange(&s->r, 41800, 42400);
    else if (sc->open_ms)
        s->t = open_start + sc->open_ms + irange(&s->r, -150, 150);
    else
        s->t += irange(&s->r, 20, 60);
    snprintf(meta, sizeof(meta), "direct_io: %s; platform: %s",
             dio ? "yes" : "no", h->platform);
    rec(s, RPP_EV_DRIVE_OPEN, (int)(s->t - open_start), meta);
    if (s->version >= 3) {
        check(s, rpp_writer_event_record(
                     s->w, RPP_EV_DIRECT_IO_ATTEMPT, 0, dio,
                     dio ? "attempted: yes; succeeded: yes; currently_enabled:"
                           " yes; error_code: 0; error: none"
                         : "attempted: yes; succeeded: no; currently_enabled:"
                           " no; error_code: 22; error: Invalid argument"));
        check(s, rpp_writer_update_direct_io(s->w, dio));
    }
}

/* ---- The pipeline ------------------------------------------------------- */

typedef struct stall {
    int64_t end;             /* virtual time the wait ended */
    int ms;
    const char *buffer, *type;
} stall;

typedef struct flow {
    double card;             /* card capacity of this cycle */
    /* state, in bytes */
    double dl, inbuf, dec, wbuf, wr;
    double icap, wcap, ratio;
    /* accounting, in ms */
    double busy, input_wait, prod_wait, cons_wait;
    int64_t start, dl_done, write_done;
    stall stalls[MAX_STALLS];
    int n_stalls, next_stall;
    int prod_events, cons_events;
    double prod_event_ms, cons_event_ms;
} flow;

enum { RUN_DONE, RUN_CANCELLED, RUN_FAILED };

static int cmp_stall(const void *a, const void *b)
{
    const stall *x = a, *y = b;

    return x->end < y->end ? -1 : x->end > y->end;
}

/* Spreads the scenario's short stalls over the expected write time. */
static void plan_stalls(sim *s, flow *p, double expected_ms)
{
    int k, i;

    p->n_stalls = p->next_stall = 0;
    for (k = 0; k < 3; k++) {
        const stall_spec *sp = &s->sc->stalls[k];

        for (i = 0; sp->buffer && i < sp->count &&
                    p->n_stalls < MAX_STALLS; i++) {
            stall *st = &p->stalls[p->n_stalls++];

            st->end = p->start + 2000 +
                      (int64_t)(unif(&s->r) * (expected_ms - 4000));
            st->ms = irange(&s->r, sp->min_ms, sp->max_ms);
            st->buffer = sp->buffer;
            st->type = sp->type;
        }
    }
    qsort(p->stalls, (size_t)p->n_stalls, sizeof(stall), cmp_stall);
}

static void emit_stall(sim *s, flow *p, int ms, const char *buffer,
                       const char *type)
{
    char meta[120];

    if (strcmp(buffer, "write") == 0) {
        if (strcmp(type, "producer_stall") == 0) {
            p->prod_events++;
            p->prod_event_ms += ms;
        } else {
            p->cons_events++;
            p->cons_event_ms += ms;
        }
    }
    if (s->version < 3)
        return;
    snprintf(meta, sizeof(meta), "buffer: %s; type: %s; duration_ms: %d",
             buffer, type, ms);
    check(s, rpp_writer_event_add(s->w, RPP_EV_RING_BUFFER_STARVATION,
                                  session_ms(s), (uint32_t)ms, true, meta,
                                  0));
}

/* Capacity factor of the card at this moment (slowdowns and freezes). */
static double card_factor(const scenario *sc, const flow *p, int64_t t,
                          double frac, int64_t *freeze_end,
                          int64_t *slow_end, int *slow_idx)
{
    int64_t since = t - p->start;

    if (sc->freeze_at > 0 && *freeze_end == 0 && frac >= sc->freeze_at)
        *freeze_end = t + sc->freeze_ms;
    if (*freeze_end > 0 && t < *freeze_end)
        return 0;
    if (*slow_idx < 2 && sc->slow_at[*slow_idx] > 0 && *slow_end == 0 &&
        frac >= sc->slow_at[*slow_idx])
        *slow_end = t + sc->slow_ms;
    if (*slow_end > 0) {
        if (t < *slow_end)
            return sc->slow_factor;
        *slow_end = 0;
        (*slow_idx)++;
    }
    if (sc->drop_period_ms > 0) {
        int64_t phase = since % sc->drop_period_ms;

        if (since > sc->drop_period_ms / 2 &&
            phase >= sc->drop_period_ms - sc->drop_ms)
            return sc->drop_factor;
    }
    return 1;
}

static void report(sim *s, const flow *p, uint64_t last[3], uint64_t size,
                   uint64_t xz)
{
    uint64_t v[3];
    int k;

    v[0] = (uint64_t)p->dl;
    v[1] = (uint64_t)p->dec;
    v[2] = (uint64_t)p->wr;
    for (k = 0; k < 3; k++) {
        rpp_phase ph = k == 0 ? RPP_PHASE_DOWNLOAD
                     : k == 1 ? RPP_PHASE_DECOMPRESS : RPP_PHASE_WRITE;

        if (k == 1 && s->version < 3)
            continue;
        if (v[k] == last[k])
            continue;
        last[k] = v[k];
        check(s, rpp_writer_progress(s->w, ph, v[k], k == 0 ? xz : size));
    }
}

static void net_event(sim *s, const char *error, double offset, int sleep_ms)
{
    char meta[160];

    snprintf(meta, sizeof(meta),
             "error: %s; offset: %d MB; http2_failures: 0", error,
             (int)(offset / MIB));
    rec(s, RPP_EV_NETWORK_RETRY, sleep_ms, meta);
}

/*
 * Runs download, decompression and write until the image is written, the
 * scenario cancels, or the card fails. Returns RUN_*.
 */
static int run_pipeline(sim *s, flow *p, double card)
{
    const scenario *sc = s->sc;
    const double size = (double)sc->size, xz = (double)sc->xz;
    uint64_t last[3] = { 0, 0, 0 };
    double lvl[3] = { 1, 1, 1 };
    int64_t next_call, next_noise, freeze_end = 0, slow_end = 0;
    int64_t fail_time = 0, pause_end = 0, input_wait_start = 0;
    int64_t write_wait_start = 0;
    int slow_idx = 0, retry_stage = 0;
    const double dt = TICK_MS / 1000.0;

    memset(p, 0, sizeof(*p));
    p->card = card;
    p->ratio = size / xz;
    p->icap = (double)sc->host->input_buffer * sc->host->input_slots;
    p->wcap = 64 * MIB;
    p->start = s->t;
    {
        /* the slowest stage sets the pace of the write */
        double pace = card < sc->dec ? card : sc->dec;

        if (sc->net * p->ratio < pace)
            pace = sc->net * p->ratio;
        plan_stalls(s, p, size / (pace * MIB) * 1000);
    }
    next_call = s->t + irange(&s->r, 120, 250);
    next_noise = s->t;

    for (;;) {
        double cw, cd, cn, w, d, n, ramp, space, frac;
        int k;

        s->t += TICK_MS;
        if (s->t >= next_noise) {
            for (k = 0; k < 3; k++)
                lvl[k] = 1 + sc->noise * (2 * unif(&s->r) - 1);
            next_noise = s->t + 100;
        }
        frac = p->wr / size;

        /* the card */
        cw = card * MIB * dt * lvl[2] *
             card_factor(sc, p, s->t, frac, &freeze_end, &slow_end,
                         &slow_idx);
        if (sc->fail_at > 0 && frac >= sc->fail_at) {
            if (!fail_time)
                fail_time = s->t;
            cw = 0;
        }
        w = cw < p->wbuf ? cw : p->wbuf;
        if (p->dec >= size && p->wbuf - w < 1)
            w = p->wbuf;     /* the last partial buffer */
        p->wr += w;
        p->wbuf -= w;
        if (cw > 0 && w < cw && p->dec < size)
            p->cons_wait += TICK_MS * (1 - w / cw);

        /* the decompressor */
        cd = sc->dec * MIB * dt * lvl[1];
        space = p->wcap - p->wbuf;
        d = cd;
        if (d > p->inbuf * p->ratio)
            d = p->inbuf * p->ratio;
        if (d > size - p->dec)
            d = size - p->dec;
        if (p->dec < size) {
            if (cd > space && space < d) {
                p->prod_wait += TICK_MS * (1 - space / cd);
                d = space;
            } else if (d < cd && p->dl < xz) {
                p->input_wait += TICK_MS * (1 - d / cd);
            }
        }
        if (d < 0)
            d = 0;
        p->dec += d;
        p->wbuf += d;
        p->inbuf -= d / p->ratio;
        if (p->inbuf < 0)
            p->inbuf = 0;
        p->busy += TICK_MS * d / cd;

        /* the network, with TCP's ramp-up over the first two seconds */
        ramp = (double)(s->t - p->start) / 2000;
        ramp = ramp > 1 ? 1 : ramp < 0.15 ? 0.15 : ramp;
        cn = sc->net * MIB * dt * lvl[0] * ramp;
        if (sc->retry_at > 0 && retry_stage == 0 && p->dl >= sc->retry_at * xz)
            pause_end = s->t + 1200, retry_stage = 1;
        if (pause_end) {
            if (s->t < pause_end) {
                cn = 0;
            } else if (retry_stage == 1) {
                net_event(s, "Timeout was reached", p->dl, 0);
                pause_end = s->t + 300 + 5000;
                retry_stage = 2;
                cn = 0;
            } else {
                if (retry_stage == 2) {
                    net_event(s, "Failure when receiving data from the peer",
                              p->dl, 5000);
                    retry_stage = 3;
                }
                pause_end = 0;
            }
        }
        n = cn;
        if (n > p->icap - p->inbuf)
            n = p->icap - p->inbuf;
        if (n > xz - p->dl)
            n = xz - p->dl;
        if (n < 0)
            n = 0;
        p->dl += n;
        p->inbuf += n;
        if (p->dl >= xz - 0.5 && !p->dl_done) {
            p->dl = xz;
            p->dl_done = s->t;
        }
        if (p->dec >= size - 0.5)
            p->dec = size;

        /* the long waits the scenario causes are recorded as they end */
        if (d < cd * 0.05 && p->dec < size && p->dl < xz &&
            p->inbuf * p->ratio < cd) {
            if (!input_wait_start)
                input_wait_start = s->t - TICK_MS;
        } else if (input_wait_start) {
            if (s->t - input_wait_start >= 1000)
                emit_stall(s, p, (int)(s->t - input_wait_start), "input",
                           "consumer_stall");
            input_wait_start = 0;
        }
        if (cw > 0 && w < cw * 0.05 && p->wr < size && p->dec < size) {
            if (!write_wait_start)
                write_wait_start = s->t - TICK_MS;
        } else if (write_wait_start) {
            if (s->t - write_wait_start >= 1000)
                emit_stall(s, p, (int)(s->t - write_wait_start), "write",
                           "consumer_stall");
            write_wait_start = 0;
        }
        if (freeze_end > 0 && s->t == freeze_end) {
            emit_stall(s, p, sc->freeze_ms - irange(&s->r, 60, 140),
                       "write", "producer_stall");
        }
        if (slow_end > 0 && s->t + TICK_MS == slow_end) {
            emit_stall(s, p, sc->slow_ms - irange(&s->r, 80, 200), "write",
                       "producer_stall");
            emit_stall(s, p, sc->slow_ms - irange(&s->r, 20, 60), "input",
                       "producer_stall");
        }
        while (p->next_stall < p->n_stalls &&
               p->stalls[p->next_stall].end <= s->t) {
            const stall *st = &p->stalls[p->next_stall++];

            if (st->end > p->start && p->wr < size)
                emit_stall(s, p, st->ms, st->buffer, st->type);
        }

        if (p->wr >= size - 0.5)
            p->wr = size;
        if (s->t >= next_call || p->wr >= size) {
            if (p->wr >= size && s->t < next_call)
                s->t = next_call;
            report(s, p, last, sc->size, sc->xz);
            next_call = s->t + irange(&s->r, 100, 250);
        }
        if (p->wr >= size) {
            p->write_done = s->t;
            return RUN_DONE;
        }
        if (sc->cancel_at > 0 && frac >= sc->cancel_at)
            return RUN_CANCELLED;
        if (fail_time && s->t - fail_time >= 3200)
            return RUN_FAILED;
    }
}

/* The summaries the Imager records when the extraction ends. */
static void pipeline_summary(sim *s, const flow *p)
{
    const scenario *sc = s->sc;
    const host *h = sc->host;
    char meta[300];
    int64_t total = p->dl_done - p->start, write_ms;
    int64_t ops = (int64_t)((sc->size + (uint64_t)h->write_buffer - 1) /
                            (uint64_t)h->write_buffer);
    double prod_ms = p->prod_wait > p->prod_event_ms ? p->prod_wait
                                                     : p->prod_event_ms;
    double cons_ms = p->cons_wait > p->cons_event_ms ? p->cons_wait
                                                     : p->cons_event_ms;
    int prod_n = p->prod_events + (int)((prod_ms - p->prod_event_ms) / 650);
    int cons_n = p->cons_events + (int)((cons_ms - p->cons_event_ms) / 160);
    int64_t syscall;

    if (s->version < 3)
        return;
    snprintf(meta, sizeof(meta),
             "dns_ms: %d; connect_ms: %d; tls_ms: %d; ttfb_ms: %d; "
             "total_ms: %" PRId64 "; speed_kbps: %" PRIu64
             "; size_bytes: %" PRIu64 "; http: %s",
             irange(&s->r, 12, 45), irange(&s->r, 30, 95),
             irange(&s->r, 95, 195), irange(&s->r, 250, 450), total,
             sc->xz * 1000 / ((uint64_t)total * 1024), sc->xz,
             h == &windows_pc ? "HTTP/1.1" : "HTTP/2");
    {
        /* recorded when the download ended */
        int64_t now = s->t;

        s->t = p->dl_done;
        rec(s, RPP_EV_NETWORK_CONNECTION_STATS, 0, meta);
        s->t = now;
    }
    snprintf(meta, sizeof(meta), "bytes: %" PRIu64 " MB",
             sc->size / ((uint64_t)1024 * 1024));
    check(s, rpp_writer_event_transfer(s->w,
                                       RPP_EV_PIPELINE_DECOMPRESSION_TIME,
                                       (uint32_t)p->busy, sc->size, true,
                                       meta));
    snprintf(meta, sizeof(meta), "bytes: %" PRIu64 " MB",
             sc->xz / ((uint64_t)1024 * 1024));
    check(s, rpp_writer_event_transfer(s->w,
                                       RPP_EV_PIPELINE_RING_BUFFER_WAIT_TIME,
                                       (uint32_t)p->input_wait, sc->xz, true,
                                       meta));
    write_ms = (p->write_done - p->start) * irange(&s->r, 820, 860) / 1000;
    syscall = write_ms * 983 / 1000;
    snprintf(meta, sizeof(meta),
             "writeOps: %" PRId64 "; syscallMs: %" PRId64
             "; preHashWaitMs: %" PRId64 "; postHashWaitMs: %" PRId64
             "; syncMs: 0; syncCount: 0",
             ops, syscall, write_ms * 12 / 1000, write_ms * 48 / 10000);
    rec(s, RPP_EV_WRITE_TIMING_BREAKDOWN, (int)write_ms, meta);
    snprintf(meta, sizeof(meta),
             "minKB: 4; maxKB: %" PRId64 "; avgKB: %" PRId64
             "; totalBytes: %" PRIu64 "; count: %" PRId64,
             h->write_buffer / 1024, h->write_buffer / 1024, sc->size, ops);
    rec(s, RPP_EV_WRITE_SIZE_DISTRIBUTION, 0, meta);
    if (h == &windows_pc) {
        snprintf(meta, sizeof(meta),
                 "wallClockMs: %" PRId64 "; bytesWritten: %" PRIu64
                 " MB; writeCount: %" PRId64,
                 p->write_done - p->start, sc->size / ((uint64_t)1024 * 1024), ops);
        check(s, rpp_writer_event_transfer(s->w, RPP_EV_ASYNC_IO_TIMING,
                                           (uint32_t)(p->write_done -
                                                      p->start),
                                           sc->size, true, meta));
        rec(s, RPP_EV_ASYNC_IO_CONFIG, 0,
            "enabled: 1; supported: 1; queueDepth: 16; pendingAtEnd: 0");
    }
    snprintf(meta, sizeof(meta),
             "producer_stalls: %d (%d ms); consumer_stalls: %d (%d ms)",
             prod_n, (int)prod_ms, cons_n, (int)cons_ms);
    rec(s, RPP_EV_WRITE_RING_BUFFER_STATS, (int)(prod_ms + cons_ms), meta);
}

static void verify(sim *s, double rate, uint64_t size)
{
    double done = 0, lvl = 1;
    uint64_t last = 0;
    int64_t next_call = s->t + irange(&s->r, 120, 250), next_noise = s->t;
    char meta[200], hash[65];
    int64_t start = s->t;

    while (done < (double)size) {
        s->t += TICK_MS;
        if (s->t >= next_noise) {
            lvl = 1 + s->sc->noise * (2 * unif(&s->r) - 1);
            next_noise = s->t + 100;
        }
        done += rate * MIB * (TICK_MS / 1000.0) * lvl;
        if (done >= (double)size - 0.5) {
            done = (double)size;
            if (s->t < next_call)
                s->t = next_call;
        }
        if (s->t >= next_call) {
            if ((uint64_t)done != last) {
                last = (uint64_t)done;
                check(s, rpp_writer_progress(s->w, RPP_PHASE_VERIFY, last,
                                             size));
            }
            next_call = s->t + irange(&s->r, 100, 250);
        }
    }
    random_hash(&s->r, hash);
    snprintf(meta, sizeof(meta),
             "Post-write verification; writeHash: %s; verifyHash: %s", hash,
             hash);
    s->t += irange(&s->r, 5, 40);
    rec(s, RPP_EV_HASH_COMPUTATION, (int)(s->t - start), meta);
}

static void customise(sim *s)
{
    int64_t start = s->t;
    bool lng = s->sc->long_customisation;

    check(s, rpp_writer_finalising(s->w));
    op(s, RPP_EV_FAT_PARTITION_SETUP,
       lng ? irange(&s->r, 1750, 1850) : irange(&s->r, 320, 380), "");
    if (lng) {
        s->t += irange(&s->r, 1800, 2400);
        op(s, RPP_EV_CLOUD_INIT_GENERATION, irange(&s->r, 1800, 1900), "");
        s->t += irange(&s->r, 1500, 2200);
    } else {
        s->t += irange(&s->r, 40, 70);
    }
    op(s, RPP_EV_FIRST_RUN_GENERATION,
       lng ? irange(&s->r, 900, 1000) : irange(&s->r, 40, 60), "");
    if (lng)
        s->t = start + irange(&s->r, 39800, 40400);
    else
        s->t += irange(&s->r, 800, 950);
    op(s, RPP_EV_PARTITION_TABLE_WRITE,
       lng ? irange(&s->r, 2800, 3000) : irange(&s->r, 95, 125), "");
    if (lng)
        s->t = start + irange(&s->r, 45100, 45500);
    rec(s, RPP_EV_CUSTOMISATION, (int)(s->t - start),
        lng ? "config: set; cmdline: set; firstrun: set; cloudinit: set; "
              "network: set"
            : "config: set; cmdline: set; firstrun: set");
    op(s, RPP_EV_CUSTOMISATION_VERIFY,
       lng ? irange(&s->r, 2600, 2800) : irange(&s->r, 240, 280),
       "4 files; content-checked: 4; cache-bypassed: yes");
}

/* One imaging cycle from startSession to endSession. pending_id, when
 * not 0, is an event begun before the cycle that ends once the drive is
 * open. */
static void cycle(sim *s, const char *device, uint64_t device_size,
                  double card, int pending_id)
{
    const scenario *sc = s->sc;
    flow *p = calloc(1, sizeof(*p));
    int end;

    if (!p) {
        check(s, RPP_ERR_NOMEM);
        return;
    }
    start_session(s, device, device_size);
    prepare(s, device_size);
    if (pending_id) {
        s->t += irange(&s->r, 100, 300);
        check(s, rpp_writer_event_end(s->w, pending_id, true, NULL));
    }
    s->t += irange(&s->r, 5, 30);
    end = run_pipeline(s, p, card);
    if (end == RUN_CANCELLED) {
        s->t += irange(&s->r, 150, 400);
        check(s, rpp_writer_session_end(s->w, false, "Cancelled by user"));
        op(s, RPP_EV_DEVICE_CLOSE, irange(&s->r, 60, 120), "");
        free(p);
        return;
    }
    if (end == RUN_FAILED) {
        check(s, rpp_writer_session_end(
                     s->w, false,
                     "Write error: Error writing to storage device. Please "
                     "check if the device is writable, has sufficient space,"
                     " and is not write-protected."));
        op(s, RPP_EV_DEVICE_CLOSE, irange(&s->r, 200, 300), "");
        free(p);
        return;
    }
    pipeline_summary(s, p);
    op(s, RPP_EV_FINAL_SYNC,
       sc->final_sync_ms ? sc->final_sync_ms + irange(&s->r, -200, 200)
                         : irange(&s->r, 1100, 2100), "");
    verify(s, sc->verify, sc->size);
    customise(s);
    op(s, RPP_EV_DEVICE_CLOSE, irange(&s->r, 50, 130), "");
    check(s, rpp_writer_session_end(s->w, true, NULL));
    free(p);
}

static void run(sim *s)
{
    const scenario *sc = s->sc;

    background(s, sc->never_started ? 4 : irange(&s->r, 1, 2));
    if (sc->never_started) {
        int id;

        /* one sublist fetch timed with begin/end and no session */
        check(s, rpp_writer_event_begin(
                     s->w, RPP_EV_SUBLIST_FETCH,
                     "https://downloads.raspberrypi.com/"
                     "os_list_imagingutility_v4_emulation.json", &id));
        s->t += irange(&s->r, 300, 500);
        check(s, rpp_writer_event_end(s->w, id, true, "bytes: 8731"));
        s->t += irange(&s->r, 20000, 30000);
        return;
    }
    s->t += irange(&s->r, 4000, 9000);
    cycle(s, sc->device, sc->device_size, sc->card, 0);
    if (sc->second_cycle) {
        int id;

        s->t += irange(&s->r, 6000, 9000);
        op(s, RPP_EV_DRIVE_LIST_POLL, irange(&s->r, 250, 350), "");
        s->t += irange(&s->r, 8000, 10000);
        op(s, RPP_EV_DRIVE_LIST_POLL, irange(&s->r, 250, 350), "");
        s->t += irange(&s->r, 10000, 12000);
        /* a poll still running when the next cycle starts */
        check(s, rpp_writer_event_begin(s->w, RPP_EV_DRIVE_LIST_POLL, "",
                                        &id));
        s->t += irange(&s->r, 60, 120);
        cycle(s, sc->device2, sc->device2_size, sc->card2, id);
    }
    s->t += irange(&s->r, 2500, 6000);
}

static int write_sample(const char *dir, const scenario *sc, int version)
{
    sim s;
    rpp_writer_clock clk = { clock_monotonic, clock_wall, NULL };
    char path[4096];
    int rc;

    memset(&s, 0, sizeof(s));
    s.version = version;
    s.sc = sc;
    s.r.s = sc->seed * 1000 + (uint64_t)version;
    clk.ctx = &s;
    if ((rc = rpp_writer_new(&s.w, version, &clk)) < 0)
        return rc;
    rpp_writer_set_utc(s.w, true);
    run(&s);
    rc = s.status;
    snprintf(path, sizeof(path), "%s/v%d-%s.json", dir, version, sc->name);
    if (rc == RPP_OK)
        rc = rpp_writer_export_file(s.w, path);
    rpp_writer_free(s.w);
    if (rc < 0)
        fprintf(stderr, "simulate: %s: %s\n", path, rpp_status_str(rc));
    return rc;
}

int main(int argc, char **argv)
{
    size_t i;
    int status = 0;

    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: simulate DIR\n");
        return 2;
    }
    for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
        if (write_sample(argv[1], &scenarios[i], 3) < 0)
            status = 1;
        if (scenarios[i].v2 && write_sample(argv[1], &scenarios[i], 2) < 0)
            status = 1;
    }
    return status;
}
