/*
 * simulate - writes the bundled sample reports (samples/vN-NAME.json) by
 * simulating Raspberry Pi Imager runs in virtual time and recording them
 * with the writer library, as the Imager would record them.
 *
 *   simulate DIR        writes every sample into DIR
 *
 * The model follows the Imager's sources (raspberrypi/rpi-imager, the
 * revision whose writer produces format version 3); the comments below name
 * the file and function each fact comes from. Everything is deterministic:
 * fixed seeds, a fixed epoch (2025-12-01T09:00:00Z) and exportTime printed
 * in UTC, and only exactly rounded arithmetic (no libm), so every run
 * writes the same bytes.
 *
 * The pipeline runs in steps of 1 ms with one state machine per thread:
 *
 *  - the network fills the socket's receive buffer; the download thread
 *    (curl's write callback, DownloadExtractThread::_writeData and
 *    _pushQueue in src/downloadextractthread.cpp) copies each chunk curl
 *    hands it into one slot of the input ring buffer, waiting when no slot
 *    is free;
 *  - the extraction thread (DownloadExtractThread::extractImageRun) takes a
 *    slot of the write ring buffer, decompresses one write buffer's worth
 *    into it (reading the input ring buffer through _on_read, waiting when
 *    it is empty), then writes it (DownloadThread::_writeFile in
 *    src/downloadthread.cpp): queued as an asynchronous write, or written
 *    synchronously, then perhaps followed by a periodic sync;
 *  - the device completes the writes at its own speed; with direct I/O
 *    refused, writes land in the page cache and the device writes them back
 *    during syncs;
 *  - the GUI thread records what the other threads report and runs the
 *    progress watchdog (src/writeprogresswatchdog.cpp) once a second.
 *
 * What the Imager records, and therefore what the samples hold, comes out
 * of that model; nothing is planted by hand except the scenario's
 * capacities and incidents (a slow or frozen card, a network retry, ...).
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

/* ---- Facts from the Imager's sources ------------------------------------
 *
 * src/ringbuffer.cpp, RingBuffer::acquireWriteSlot / acquireReadSlot: every
 * caller passes a 100 ms timeout and calls again when it expires. A call
 * that finds the buffer full (producer) or empty (consumer) counts one
 * stall; a call that times out adds its 100 ms to the wait total and
 * returns without an event; the call that gets its slot adds the time it
 * waited and queues an event only when that time is at least
 * STALL_EVENT_THRESHOLD_MS (50, src/ringbuffer.h). A wait of D ms thus
 * counts one stall per poll, adds D to the total, and leaves an event only
 * for its last part, D mod 100, when that is 50-99 ms. The 30 s stall
 * timeout is measured within one call, so with 100 ms polls it never
 * fires.
 */
#define POLL_MS 100
#define STALL_EVENT_MS 50

/* src/config.h PROGRESS_UPDATE_INTERVAL: DownloadExtractThread::
 * _emitProgressUpdate emits at most every 100 ms on its own timer. */
#define PROGRESS_INTERVAL_MS 100

/* src/timeout_utils.h TimeoutDefaults: the watchdog checks once a second;
 * it halves the queue depth after 30 s without progress, drains after
 * 60 s, restarts after 120 s and gives up after 180 s;
 * kAsyncDrainStallTimeoutSeconds (30) bounds the wait between two
 * completions during a drain. */
#define WD_CHECK_MS 1000
#define WD_REDUCE_MS 30000
#define WD_DRAIN_MS 60000
#define WD_RESTART_MS 120000
#define WD_TIMEOUT_MS 180000
#define WD_DRAIN_STALL_MS 30000

/* Assumptions of the model, not taken from the Imager:
 *  - curl hands over HTTPS data one TLS record (16 KiB) per write callback,
 *    so each input slot holds 16 KiB, however large the slot;
 *  - the socket receive buffer holds 4 MiB;
 *  - the kernel's dirty-page limits are its defaults (background writeback
 *    above 10 % of available memory, writers throttled above 20 %). */
#define CURL_CHUNK 16384.0
#define SOCK_BYTES (4.0 * MIB)
#define MAX_QUEUE 512
#define MAX_DEFER 16384

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

/* ---- Hosts --------------------------------------------------------------
 *
 * A host is its memory (total and available, as the Imager reads them) and
 * what its card reader reports; the buffer sizes follow from the Imager's
 * own arithmetic (host_config below).
 */

enum { OS_LINUX, OS_MAC, OS_WINDOWS };

typedef struct host {
    const char *os, *os_version, *arch, *platform;
    int os_kind;
    int cores;
    uint64_t total_mem, avail_mem;
    int max_transfer_kb;     /* the reader's largest single request; 0 unknown */
    int device_queue;        /* the reader's request slots; 0 unknown */
    double hash_mbps;        /* SHA-256 speed of the CPU */
} host;

static const host linux_desktop = {
    "Linux", "24.04", "x86_64", "Linux", OS_LINUX, 8,
    UINT64_C(16647192576), UINT64_C(10203693056), 1024, 2, 1400
};

static const host pi4 = {
    "Linux", "12", "arm64", "Linux", OS_LINUX, 4,
    UINT64_C(3980394496), UINT64_C(2527068160), 1024, 2, 190
};

static const host mac = {
    "macOS", "15.1", "arm64", "macOS", OS_MAC, 10,
    UINT64_C(17179869184), UINT64_C(7656701952), 0, 0, 2200
};

static const host windows_pc = {
    "Windows", "11", "x86_64", "Windows", OS_WINDOWS, 12,
    UINT64_C(34088157184), UINT64_C(22939697152), 1024, 2, 1600
};

/* What the Imager derives from a host (src/systemmemorymanager.cpp). */
typedef struct host_config {
    /* reported in the system block */
    int64_t input_buffer, write_buffer, sync_bytes, sync_ms;
    int input_slots_reported;
    char tier[64];
    /* used by the pipeline */
    int in_slots, w_slots, depth;
    double wchunk;
} host_config;

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The baseline queue depth for the memory available. */
static int64_t depth_baseline(int64_t avail)
{
    return avail < 512 ? 8 : avail < 1024 ? 16 : avail < 2048 ? 32
         : avail < 4096 ? 64 : avail < 8192 ? 128 : 256;
}

static void configure(const host *h, host_config *c)
{
    int64_t total = (int64_t)(h->total_mem / 1048576);
    int64_t avail = (int64_t)(h->avail_mem / 1048576);
    int64_t budget, wsize, depth, sync_mb;

    memset(c, 0, sizeof(*c));
    /* getOptimalInputBufferSize / getOptimalWriteBufferSize: by total
     * memory */
    c->input_buffer = total < 1024 ? 131072 : total < 2048 ? 262144
                    : total < 4096 ? 524288 : total < 8192 ? 1048576
                    : total < 16384 ? 2097152 : 4194304;
    c->write_buffer = total < 1024 ? 524288 : total < 2048 ? 1048576
                    : total < 4096 ? 2097152 : total < 8192 ? 4194304
                    : 8388608;
    /* calculateSyncConfiguration: the tier, a byte interval (16-256 MB)
     * and a time interval */
    if (total < 2048) {
        sync_mb = total / 64 > 16 ? total / 64 : 16;
        c->sync_ms = 3000;
        snprintf(c->tier, sizeof(c->tier), "Low memory (%" PRId64 "MB)",
                 total);
    } else if (total < 8192) {
        sync_mb = total / 80 > 32 ? total / 80 : 32;
        c->sync_ms = 5000;
        snprintf(c->tier, sizeof(c->tier), "Medium memory (%" PRId64 "MB)",
                 total);
    } else {
        sync_mb = clamp64(total / 64, 64, 256);
        c->sync_ms = 7000;
        snprintf(c->tier, sizeof(c->tier), "High memory (%" PRId64 "MB)",
                 total);
    }
    c->sync_bytes = clamp64(sync_mb, 16, 256) * 1048576;
    /* getOptimalRingBufferSlots: what the system block reports as the
     * input ring buffer's slots (30 % of available memory in slots) */
    c->input_slots_reported = (int)clamp64(
        avail * 1048576 * 3 / 10 / c->input_buffer, 8, 8192);
    /* DownloadExtractThread's constructor caps the write buffer at the
     * device's largest request, then getCoordinatedRingBufferConfig
     * shares 30 % of available memory: a third for input slots (4-512),
     * two thirds for write slots (8-256) */
    wsize = c->write_buffer;
    if (h->max_transfer_kb > 0 && (int64_t)h->max_transfer_kb * 1024 < wsize)
        wsize = (int64_t)h->max_transfer_kb * 1024;
    budget = avail * 1048576 * 30 / 100;
    c->in_slots = (int)clamp64(budget / 3 / c->input_buffer, 4, 512);
    c->w_slots = (int)clamp64(budget * 2 / 3 / wsize, 8, 256);
    c->wchunk = (double)wsize;
    /* getOptimalAsyncQueueDepth (called with its default of 1 MiB
     * blocks): 15 % of available memory in blocks, at most a baseline by
     * available memory, 4-256; DownloadThread::_openAndPrepareDevice then
     * caps it at three times the device's request slots (at least 4): a
     * USB card reader reports 2, so 6 */
    depth = avail * 15 / 100;
    if (depth > depth_baseline(avail))
        depth = depth_baseline(avail);
    depth = clamp64(depth, 4, 256);
    if (h->device_queue > 0 && (int64_t)h->device_queue * 3 < depth)
        depth = clamp64((int64_t)h->device_queue * 3, 4, 256);
    c->depth = (int)depth;
}

/* ---- Scenarios ---------------------------------------------------------- */

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
    bool never_started;
    bool direct_io_fails;    /* O_DIRECT refused: writes go through the
                                page cache */
    bool no_periodic_sync;   /* periodic sync turned off (debug options) */
    bool sync_writes;        /* no asynchronous I/O (io_uring unavailable) */
    bool slow_prepare;       /* Windows: slow volume unmount and disk clean */
    int last_mb_ms;          /* 0: an ordinary 250-400 ms */
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
    double hang_at;                  /* the card stops answering */
    bool hang;
    int hang_ms;                     /* 0: for good */
    double cut_write, cut_verify;    /* exported at this fraction */
    bool cut_before_summaries;       /* exported right after the end */
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

/* Runs that several samples share: a cut sample is the same run exported
 * earlier, so it is exactly a prefix of the finished one. */
#define IO_BOUND_RUN                                                       \
    .seed = 202, .host = &linux_desktop, .image = UBUNTU_SERVER,           \
    .size = UINT64_C(3909091328), .xz = UINT64_C(1178599424),              \
    .device = "/dev/sdc", .device_size = CARD16, .net = 12, .dec = 150,    \
    .card = 11, .verify = 80, .noise = 0.06
#define CPU_BOUND_RUN                                                      \
    .seed = 303, .host = &pi4, .image = UBUNTU_DESKTOP,                    \
    .size = UINT64_C(4563402752), .xz = UINT64_C(1128267776),              \
    .device = "/dev/sda", .device_size = CARD64, .net = 35, .dec = 15,     \
    .card = 70, .verify = 62, .noise = 0.05

static const scenario scenarios[] = {
    { .name = "healthy", .v2 = true, .seed = 101, .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 34, .dec = 110, .card = 45, .verify = 88, .noise = 0.06 },
    { .name = "io-bound", .v2 = true, IO_BOUND_RUN },
    { .name = "io-bound-mid-write", .v2 = true, IO_BOUND_RUN,
      .cut_write = 0.40 },
    { .name = "io-bound-verifying", .v2 = true, IO_BOUND_RUN,
      .cut_verify = 0.50 },
    { .name = "cpu-bound", CPU_BOUND_RUN },
    { .name = "cpu-bound-mid-write", CPU_BOUND_RUN, .cut_write = 0.40 },
    { .name = "cpu-bound-no-summaries", CPU_BOUND_RUN,
      .cut_before_summaries = true },
    { .name = "network-bound", .v2 = true, .seed = 404,
      .host = &linux_desktop,
      .image = LITE, .size = UINT64_C(2785017856), .xz = UINT64_C(493879296),
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 6.2, .dec = 120, .card = 45, .verify = 85, .noise = 0.04,
      .retry_at = 0.31 },
    { .name = "producer-stalls", .seed = 505, .host = &mac,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/rdisk4", .device_size = CARD32,
      .net = 28, .dec = 130, .card = 35, .verify = 80, .noise = 0.05,
      .slow_at = { 0.27, 0.68 }, .slow_ms = 1700, .slow_factor = 0.16 },
    { .name = "periodic-drops", .v2 = true, .seed = 606,
      .host = &linux_desktop,
      .image = OS64, .size = UINT64_C(3959422976), .xz = UINT64_C(880803840),
      .device = "/dev/sdd", .device_size = CARD32,
      .net = 27, .dec = 120, .card = 38, .verify = 80, .noise = 0.05,
      .drop_period_ms = 10000, .drop_ms = 1600, .drop_factor = 0.3 },
    { .name = "periodic-sync", .v2 = true, .seed = 1616,
      .host = &linux_desktop,
      .image = LITE, .size = LITE_SIZE, .xz = LITE_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 3.2, .dec = 130, .card = 30, .verify = 82, .noise = 0.05,
      .direct_io_fails = true },
    { .name = "stall-gap", .v2 = true, .seed = 707, .host = &mac,
      .image = OS64, .size = UINT64_C(3959422976), .xz = UINT64_C(880803840),
      .device = "/dev/rdisk4", .device_size = CARD32,
      .net = 27, .dec = 120, .card = 34, .verify = 78, .noise = 0.05,
      .freeze_at = 0.45, .freeze_ms = 6000 },
    { .name = "windows-slow-prepare", .v2 = true, .seed = 808,
      .host = &windows_pc,
      .image = UBUNTU_DESKTOP, .size = UINT64_C(5368709120),
      .xz = UINT64_C(1181116006),
      .device = "\\\\.\\PhysicalDrive2", .device_size = CARD64,
      .net = 30, .dec = 140, .card = 38, .verify = 92, .noise = 0.05,
      .slow_prepare = true },
    { .name = "slow-drive-open", .v2 = true, .seed = 909,
      .host = &linux_desktop,
      .image = LITE, .size = LITE_SIZE, .xz = LITE_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 24, .dec = 130, .card = 40, .verify = 85, .noise = 0.05,
      .last_mb_ms = 8800 },
    { .name = "long-customisation", .v2 = true, .seed = 1010,
      .host = &linux_desktop,
      .image = LITE, .size = LITE_SIZE, .xz = LITE_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 22, .dec = 130, .card = 35, .verify = 82, .noise = 0.05,
      .long_customisation = true },
    { .name = "long-final-sync", .v2 = true, .seed = 1111,
      .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD64,
      .net = 26, .dec = 110, .card = 34, .verify = 84, .noise = 0.05,
      .direct_io_fails = true, .no_periodic_sync = true },
    { .name = "failed", .v2 = true, .seed = 1212, .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 27, .dec = 110, .card = 34, .verify = 85, .noise = 0.05,
      .fail_at = 0.38 },
    { .name = "cancelled", .v2 = true, .seed = 1313,
      .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD64,
      .net = 36, .dec = 120, .card = 45, .verify = 90, .noise = 0.05,
      .cancel_at = 0.45 },
    { .name = "hang-at-start", .seed = 1717, .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 30, .dec = 110, .card = 40, .verify = 85, .noise = 0.05,
      .sync_writes = true, .hang = true, .hang_at = 0 },
    { .name = "hang-mid-write", .seed = 1818, .host = &linux_desktop,
      .image = OS64, .size = OS64_SIZE, .xz = OS64_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 30, .dec = 110, .card = 40, .verify = 85, .noise = 0.05,
      .hang = true, .hang_at = 0.52 },
    { .name = "hot-swap", .seed = 1919, .host = &mac,
      .image = OS64, .size = UINT64_C(3959422976), .xz = UINT64_C(880803840),
      .device = "/dev/rdisk4", .device_size = CARD32,
      .net = 27, .dec = 120, .card = 35, .verify = 80, .noise = 0.05,
      .hang = true, .hang_at = 0.35, .hang_ms = 65000 },
    { .name = "never-started", .v2 = true, .seed = 1414,
      .host = &linux_desktop, .never_started = true },
    { .name = "multi-cycle", .seed = 1515, .host = &linux_desktop,
      .image = LITE, .size = LITE_SIZE, .xz = LITE_XZ,
      .device = "/dev/sdb", .device_size = CARD32,
      .net = 24, .dec = 130, .card = 42, .verify = 85, .noise = 0.05,
      .sync_writes = true, .second_cycle = true, .device2 = "/dev/sdc", .device2_size = CARD16,
      .card2 = 38 },
};

/* ---- One simulated run -------------------------------------------------- */

/* A writer call made while the GUI thread is blocked, replayed later. */
typedef struct deferred {
    int kind;                /* D_PROGRESS, D_RECORD, D_TRANSFER, D_ADD */
    rpp_phase phase;
    rpp_event_type type;
    uint64_t a, b;
    uint32_t start, dur;
    bool ok;
    char meta[320];
} deferred;

enum { D_PROGRESS, D_RECORD, D_TRANSFER, D_ADD };

typedef struct sim {
    rpp_writer *w;
    int version;
    int64_t t;               /* virtual ms since EPOCH_MS */
    int64_t session_t0;
    bool session;            /* a session is active */
    rng r;
    const scenario *sc;
    host_config hc;
    int status;              /* first failure of a library call */
    bool gui_blocked;        /* the watchdog's drain holds the GUI thread */
    deferred *defer;
    int n_defer;
    bool stop;               /* exported here (a cut sample) */
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

/* The writer of the run's format version records events of type t. */
static bool expressible(const sim *s, rpp_event_type t)
{
    return rpp_event_type_since(t) <= s->version;
}

/* Every recording goes through here: filtered to what the writer version
 * can express, and held back while the GUI thread is blocked (the Imager
 * records from the GUI thread, so what the other threads report meanwhile
 * waits in its event queue and is recorded when it is free again). */
static void emit_call(sim *s, const deferred *d)
{
    if (s->gui_blocked) {
        if (s->n_defer < MAX_DEFER)
            s->defer[s->n_defer++] = *d;
        else
            check(s, RPP_ERR_NOMEM);
        return;
    }
    switch (d->kind) {
    case D_PROGRESS:
        if (rpp_phase_since_version(d->phase) > s->version)
            return;
        check(s, rpp_writer_progress(s->w, d->phase, d->a, d->b));
        break;
    case D_RECORD:
        if (expressible(s, d->type))
            check(s, rpp_writer_event_record(s->w, d->type, d->dur, d->ok,
                                             d->meta));
        break;
    case D_TRANSFER:
        if (expressible(s, d->type))
            check(s, rpp_writer_event_transfer(s->w, d->type, d->dur, d->a,
                                               d->ok, d->meta));
        break;
    case D_ADD:
        if (s->version >= 3)
            check(s, rpp_writer_event_add(s->w, d->type, d->start, d->dur,
                                          d->ok, d->meta, 0));
        break;
    default:
        break;
    }
}

static void gui_unblock(sim *s)
{
    int i, n = s->n_defer;

    s->gui_blocked = false;
    s->n_defer = 0;
    for (i = 0; i < n; i++)
        emit_call(s, &s->defer[i]);
}

static void progress(sim *s, rpp_phase ph, uint64_t now, uint64_t total)
{
    deferred d;

    memset(&d, 0, sizeof(d));
    d.kind = D_PROGRESS;
    d.phase = ph;
    d.a = now;
    d.b = total;
    emit_call(s, &d);
}

/* An event of dur ms that ends now (recordEvent). */
static void rec_ok(sim *s, rpp_event_type t, int dur, bool ok,
                   const char *meta)
{
    deferred d;

    memset(&d, 0, sizeof(d));
    d.kind = D_RECORD;
    d.type = t;
    d.dur = (uint32_t)dur;
    d.ok = ok;
    snprintf(d.meta, sizeof(d.meta), "%s", meta);
    emit_call(s, &d);
}

static void rec(sim *s, rpp_event_type t, int dur, const char *meta)
{
    rec_ok(s, t, dur, true, meta);
}

/* recordTransferEvent. */
static void rec_transfer(sim *s, rpp_event_type t, int dur, uint64_t bytes,
                         const char *meta)
{
    deferred d;

    memset(&d, 0, sizeof(d));
    d.kind = D_TRANSFER;
    d.type = t;
    d.dur = (uint32_t)dur;
    d.a = bytes;
    d.ok = true;
    snprintf(d.meta, sizeof(d.meta), "%s", meta);
    emit_call(s, &d);
}

/* addEvent, with an explicit start. */
static void rec_add(sim *s, rpp_event_type t, uint32_t start, int dur,
                    const char *meta)
{
    deferred d;

    memset(&d, 0, sizeof(d));
    d.kind = D_ADD;
    d.type = t;
    d.start = start;
    d.dur = (uint32_t)dur;
    d.ok = true;
    snprintf(d.meta, sizeof(d.meta), "%s", meta);
    emit_call(s, &d);
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
    rec_transfer(s, t, dur, bytes, meta);
}

static void end_session(sim *s, bool ok, const char *message)
{
    if (!s->session)
        return;
    s->session = false;
    check(s, rpp_writer_session_end(s->w, ok, message));
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

/* ImageWriter::startWrite (src/imagewriter.cpp) fills SystemInfo right
 * after startSession: periodicSyncEnabled is always true there, and the
 * write ring buffer's slots are reported as 516 whatever is allocated. */
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
    y.periodic_sync_enabled = true;
    y.sync_interval_bytes = s->hc.sync_bytes;
    y.sync_interval_ms = s->hc.sync_ms;
    y.memory_tier = s->hc.tier;
    y.write_buffer_size = s->hc.write_buffer;
    y.input_buffer_size = s->hc.input_buffer;
    y.input_ring_buffer_slots = s->hc.input_slots_reported;
    y.write_ring_buffer_slots = 516;
    check(s, rpp_writer_set_system(s->w, &y));
}

static void start_session(sim *s, const char *device, uint64_t device_size)
{
    check(s, rpp_writer_session_start(s->w, s->sc->image, s->sc->size,
                                      device));
    s->session = true;
    s->session_t0 = s->t;
    set_system(s, device, device_size);
}

/* ---- The pipeline ------------------------------------------------------- */

/* One thread's wait on a ring buffer (since < 0: not waiting). */
typedef struct waiter {
    int64_t since;
} waiter;

/* A ring buffer side's totals (getStarvationStats). */
typedef struct ring_side {
    uint64_t stalls, wait_ms;
} ring_side;

/* A stall event queued in the ring buffer until the next progress
 * emission. */
typedef struct stall_ev {
    int64_t stamp;           /* the stall timer when the wait ended */
    int ms;
    bool write_buffer, producer;
} stall_ev;

/* A write handed to the device (or to the page cache). */
typedef struct wr_item {
    double rem, len;
    bool async, failed;
} wr_item;

/* The progress watchdog (src/writeprogresswatchdog.cpp). */
typedef struct watchdog {
    bool on;
    int64_t next, last_progress;
    uint64_t last_w, last_dl;
    int last_pending;
    bool reduced, drain_tried, restarted;
    /* a drain in progress (DownloadThread::drainAndSwitchToSync) */
    bool draining;
    int64_t drain_start, drain_progress, check_stall, drain_end;
    int drain_pending_before, drain_last_pending;
    bool drain_ok;
} watchdog;

/* Extraction thread states. */
enum {
    E_IDLE,                  /* not started */
    E_HEADER,                /* reading the archive header */
    E_ACQ,                   /* acquiring a write slot */
    E_DEC,                   /* decompressing into it */
    E_PREHASH,               /* waiting for the previous hash */
    E_WQ,                    /* async queue full: waiting for a completion */
    E_SYNCW,                 /* a synchronous write */
    E_POSTHASH,              /* waiting for this buffer's hash */
    E_PSYNC,                 /* a periodic sync */
    E_FAILING,               /* the write failed: draining, then the error */
    E_END                    /* the loop ended: _writeComplete follows */
};

enum { RUN_DONE, RUN_CANCELLED, RUN_FAILED, RUN_HUNG, RUN_CUT };

typedef struct flow {
    double size, xz, ratio, card;
    /* configuration */
    int in_slots, w_slots, depth;
    double wchunk;
    bool async, direct, sectors, thread_reaps, periodic;
    double dirty_bg, dirty_limit;
    /* the scenario's card incidents */
    int64_t freeze_end, slow_end, hang_start, fail_start;
    int slow_idx;
    double lvl[3];
    int64_t next_noise;
    /* the network and the download thread */
    double sock, received, dl;
    int64_t curl_start, perform_start, first_data, dl_done, dl_sleep_until;
    int64_t hiccup_end, next_hiccup, pause_end;
    double perform_offset;
    int retry_stage;
    waiter in_prod;
    int conn_dns, conn_connect, conn_tls, conn_ttfb;
    double hand;             /* a chunk curl handed over, not yet pushed */
    /* the input ring buffer */
    int in_full;             /* committed slots not yet read */
    double in_bytes;         /* bytes in them */
    bool holding;            /* the reader holds one slot */
    double cur_rem;          /* compressed bytes left in the held slot */
    double read_bytes;       /* _bytesReadFromRingBuffer */
    ring_side in_prod_st, in_cons_st;   /* counted, never recorded */
    /* the extraction thread */
    int est;
    int64_t e_start;
    waiter in_cons, w_prod;
    double need, slot_len, slot_base, dec_total;
    double dec_ms, tick_left;
    int64_t ring_wait_ms;
    bool first_block_done;
    int64_t op_start, pre_start;
    /* the write side */
    int w_used, pending;
    wr_item q[MAX_QUEUE];
    int qh, qn;
    wr_item done[MAX_QUEUE]; /* completed, not yet reaped */
    int dh, dn;
    bool sync_wait_done;
    double written, card_written, dirty;
    bool fallback, write_error, syncing, flushing;
    int64_t first_submit, last_completion, async_writes;
    ring_side w_prod_st;
    /* DownloadThread::_writeTimingStats */
    int64_t ops, syscall_ms, prehash_ms, posthash_ms, sync_ms, sync_count;
    double min_write, total_write;
    int64_t last_write_end, sync_start;
    double hash_end;
    int writes_until_sync;
    uint64_t tp_before, tp_after;
    int tp_before_n, tp_after_n;
    int64_t last_sync_t;
    double last_sync_bytes, sync_at;
    /* _emitProgressUpdate */
    bool emitted_any;
    int64_t last_emit;
    uint64_t e_dl, e_dec, e_w, e_v;
    stall_ev *ev;
    int n_ev, cap_ev;
    /* the end */
    int pending_at_end;
    bool cancelled;
    watchdog wd;
    int result;
} flow;

/* The stall timer: DownloadExtractThread::_emitProgressUpdate starts
 * _sessionTimer at its first call (the first data curl hands over, after
 * the drive was opened) and gives it to both ring buffers, so stall events
 * are stamped on it, not on the session's timer: they read early by the
 * preparation time. */
static int64_t stall_clock(const sim *s, const flow *p)
{
    return s->t - p->first_data;
}

/* A wait on a ring buffer has ended: count its polls, add its time and,
 * for a last poll of 50-99 ms, queue an event. */
static void wait_end(sim *s, flow *p, waiter *wt, ring_side *st,
                     bool write_buffer, bool producer)
{
    int64_t d = s->t - wt->since;
    int64_t last = d % POLL_MS;

    wt->since = -1;
    if (d <= 0)
        return;
    st->stalls += (uint64_t)(d / POLL_MS) + (last > 0 ? 1 : 0);
    st->wait_ms += (uint64_t)d;
    if (last >= STALL_EVENT_MS) {
        if (p->n_ev == p->cap_ev) {
            int cap = p->cap_ev ? p->cap_ev * 2 : 64;
            stall_ev *n = realloc(p->ev, (size_t)cap * sizeof(*n));

            if (!n) {
                check(s, RPP_ERR_NOMEM);
                return;
            }
            p->ev = n;
            p->cap_ev = cap;
        }
        p->ev[p->n_ev].stamp = stall_clock(s, p);
        p->ev[p->n_ev].ms = (int)last;
        p->ev[p->n_ev].write_buffer = write_buffer;
        p->ev[p->n_ev].producer = producer;
        p->n_ev++;
    }
}

/* DownloadThread::bytesWritten: on Linux the smaller of the sectors the
 * kernel counts as written since the drive was opened and the completed
 * writes; elsewhere the completed writes. The first block is held back
 * until the end, so it is not in either. */
static uint64_t bytes_written(const flow *p)
{
    double v = p->written;

    if (p->sectors && p->card_written < v)
        v = p->card_written;
    return (uint64_t)v;
}

/*
 * DownloadExtractThread::_emitProgressUpdate: called by the download thread
 * for every chunk and by the extraction thread for every slot; at most
 * every 100 ms it passes the queued stall events on (input buffer first)
 * and emits each phase whose value changed, in the order download,
 * decompress, write, verify.
 */
static void emit_progress(sim *s, flow *p, uint64_t verify_now,
                          uint64_t verify_total)
{
    char meta[120];
    uint64_t v;
    int64_t now = stall_clock(s, p);
    int pass, i;

    if (p->emitted_any && now - p->last_emit < PROGRESS_INTERVAL_MS)
        return;
    p->emitted_any = true;
    p->last_emit = now;
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < p->n_ev; i++) {
            const stall_ev *e = &p->ev[i];

            if (e->write_buffer != (pass == 1))
                continue;
            snprintf(meta, sizeof(meta),
                     "buffer: %s; type: %s; duration_ms: %d",
                     e->write_buffer ? "write" : "input",
                     e->producer ? "producer_stall" : "consumer_stall",
                     e->ms);
            rec_add(s, RPP_EV_RING_BUFFER_STARVATION, (uint32_t)e->stamp,
                    e->ms, meta);
        }
    }
    p->n_ev = 0;
    v = (uint64_t)p->dl;
    if (v != p->e_dl || p->e_dl == 0) {
        p->e_dl = v;
        progress(s, RPP_PHASE_DOWNLOAD, v, s->sc->xz);
    }
    v = (uint64_t)p->dec_total;
    if (v != p->e_dec) {
        p->e_dec = v;
        progress(s, RPP_PHASE_DECOMPRESS, v, s->sc->size);
    }
    v = bytes_written(p);
    if (v != p->e_w) {
        p->e_w = v;
        progress(s, RPP_PHASE_WRITE, v, s->sc->size);
    }
    if (verify_total > 0 && (verify_now != p->e_v || p->e_v == 0)) {
        p->e_v = verify_now;
        progress(s, RPP_PHASE_VERIFY, verify_now, verify_total);
    }
}

/* ---- The device --------------------------------------------------------- */

/* Capacity factor of the card at this moment (slowdowns and freezes). */
static double card_factor(const scenario *sc, flow *p, int64_t t)
{
    double frac = p->card_written / p->size;
    int64_t since = t - p->curl_start;

    if (sc->hang && p->hang_start == 0 && frac >= sc->hang_at &&
        p->first_block_done)
        p->hang_start = t;
    if (p->hang_start > 0 &&
        (sc->hang_ms == 0 || t < p->hang_start + sc->hang_ms))
        return 0;
    if (sc->fail_at > 0 && frac >= sc->fail_at) {
        if (p->fail_start == 0)
            p->fail_start = t;
        return 0;
    }
    if (sc->freeze_at > 0 && p->freeze_end == 0 && frac >= sc->freeze_at)
        p->freeze_end = t + sc->freeze_ms;
    if (p->freeze_end > 0 && t < p->freeze_end)
        return 0;
    if (p->slow_idx < 2 && sc->slow_at[p->slow_idx] > 0 &&
        p->slow_end == 0 && frac >= sc->slow_at[p->slow_idx])
        p->slow_end = t + sc->slow_ms;
    if (p->slow_end > 0) {
        if (t < p->slow_end)
            return sc->slow_factor;
        p->slow_end = 0;
        p->slow_idx++;
    }
    if (sc->drop_period_ms > 0) {
        int64_t phase = since % sc->drop_period_ms;

        if (since > sc->drop_period_ms / 2 &&
            phase >= sc->drop_period_ms - sc->drop_ms)
            return sc->drop_factor;
    }
    return 1;
}

/* A completed asynchronous write is handed to its callback: the slot goes
 * back to the write ring buffer and, when it succeeded, the bytes count as
 * written and DownloadThread::asyncWriteProgress reports them (recorded as
 * write progress, through a queued connection). A failed write leaves the
 * error for the next AsyncWriteSequential. */
static void reap(sim *s, flow *p)
{
    while (p->dn > 0) {
        wr_item it = p->done[p->dh];

        p->dh = (p->dh + 1) % MAX_QUEUE;
        p->dn--;
        p->pending--;
        p->w_used--;
        if (it.failed) {
            p->write_error = true;
            continue;
        }
        if (p->cancelled)
            continue;            /* cancelled with CancelAsyncIO */
        p->written += it.len;
        progress(s, RPP_PHASE_WRITE, (uint64_t)p->written, s->sc->size);
    }
}

static void queue_push(flow *p, double len, bool async)
{
    int i = (p->qh + p->qn) % MAX_QUEUE;

    p->q[i].rem = len;
    p->q[i].len = len;
    p->q[i].async = async;
    p->q[i].failed = false;
    p->qn++;
}

/* The write at the head of the queue is done (on the card, or copied into
 * the page cache). */
static void complete_head(sim *s, flow *p, bool failed)
{
    wr_item it = p->q[p->qh];

    p->qh = (p->qh + 1) % MAX_QUEUE;
    p->qn--;
    p->last_completion = s->t;
    if (!it.async) {
        p->sync_wait_done = true;
        if (failed)
            p->write_error = true;
        return;
    }
    it.failed = failed;
    p->done[(p->dh + p->dn) % MAX_QUEUE] = it;
    p->dn++;
    /* macOS runs the completion callbacks on its dispatch queue at once;
     * on Linux and Windows the extraction thread reaps them
     * (LinuxFileOperations::ProcessCompletions, called only from
     * AsyncWriteSequential and WaitForPendingWrites; PollAsyncCompletions
     * does nothing on Linux) */
    if (!p->thread_reaps)
        reap(s, p);
}

static void device_step(sim *s, flow *p)
{
    const scenario *sc = s->sc;
    double cap = p->card * MIB / 1000 * p->lvl[2] * card_factor(sc, p, s->t);

    /* a failing card: after 3.2 s every write returns an I/O error */
    if (p->fail_start > 0 && s->t - p->fail_start >= 3200) {
        while (p->qn > 0)
            complete_head(s, p, true);
        return;
    }
    if (p->direct) {
        while (p->qn > 0 && cap > 0) {
            wr_item *it = &p->q[p->qh];
            double x = it->rem < cap ? it->rem : cap;

            it->rem -= x;
            cap -= x;
            p->card_written += x;
            if (it->rem <= 0.5)
                complete_head(s, p, false);
        }
        return;
    }
    /* page cache: a write is done once copied, unless the dirty limit
     * throttles the writer; the card writes back during syncs and above
     * the background threshold */
    while (p->qn > 0 && p->dirty < p->dirty_limit) {
        p->dirty += p->q[p->qh].len;
        complete_head(s, p, false);
    }
    if (p->syncing || p->flushing || p->dirty > p->dirty_bg) {
        double x = p->dirty < cap ? p->dirty : cap;

        p->dirty -= x;
        p->card_written += x;
    }
}

/* ---- The network and the download thread ------------------------------- */

static void net_event(sim *s, const char *error, double offset, int sleep_ms,
                      int failures)
{
    char meta[160];

    snprintf(meta, sizeof(meta),
             "error: %s; offset: %d MB; http2_failures: %d", error,
             (int)(offset / MIB), failures);
    rec(s, RPP_EV_NETWORK_RETRY, sleep_ms, meta);
}

/* curl (re)connects: name lookup, TCP and TLS, the first byte, then TCP's
 * slow start. */
static void reconnect(sim *s, flow *p, int64_t at)
{
    p->conn_dns = irange(&s->r, 12, 45);
    p->conn_connect = p->conn_dns + irange(&s->r, 18, 60);
    p->conn_tls = p->conn_connect + irange(&s->r, 60, 140);
    p->conn_ttfb = p->conn_tls + irange(&s->r, 120, 280);
    p->perform_start = at;
    p->perform_offset = p->received;
    p->pause_end = at + p->conn_ttfb;
}

static void network_step(sim *s, flow *p)
{
    const scenario *sc = s->sc;
    double ramp, n;

    if (p->received >= p->xz - 0.5 || p->cancelled)
        return;
    /* DownloadThread::run: a transfer that fails is resumed from where it
     * stopped; when the previous failure was less than 5 s earlier, it
     * first sleeps 5 s. networkRetry is recorded after the sleep, with the
     * sleep as its duration. */
    if (sc->retry_at > 0 && p->retry_stage == 0 &&
        p->received >= sc->retry_at * p->xz) {
        p->retry_stage = 1;
        p->pause_end = s->t + irange(&s->r, 1100, 1300);
    }
    if (p->pause_end > s->t)
        return;
    if (p->retry_stage == 1) {
        /* the connection is reset: no earlier failure, no sleep */
        net_event(s, "Failure when receiving data from the peer",
                  p->received, 0, 0);
        p->retry_stage = 2;
        reconnect(s, p, s->t);
        return;
    }
    if (p->retry_stage == 2 && s->t - p->perform_start > 2400) {
        /* reset again 2.4 s later, after some progress: sleep 5 s */
        p->retry_stage = 3;
        p->pause_end = s->t + 5000;
        return;
    }
    if (p->retry_stage == 3) {
        net_event(s, "Failure when receiving data from the peer",
                  p->received, 5000, 0);
        p->retry_stage = 4;
        reconnect(s, p, s->t);
        return;
    }
    /* short pauses of the network (Wi-Fi, congestion) */
    if (s->t >= p->next_hiccup) {
        p->hiccup_end = s->t + irange(&s->r, 20, 420);
        p->next_hiccup = s->t + irange(&s->r, 2000, 9000);
    }
    if (s->t < p->hiccup_end)
        return;
    ramp = (double)(s->t - p->perform_start - p->conn_ttfb) / 2000;
    ramp = ramp > 1 ? 1 : ramp < 0.15 ? 0.15 : ramp;
    n = sc->net * MIB / 1000 * p->lvl[0] * ramp;
    if (n > SOCK_BYTES - p->sock)
        n = SOCK_BYTES - p->sock;
    if (n > p->xz - p->received)
        n = p->xz - p->received;
    if (n > 0) {
        p->sock += n;
        p->received += n;
    }
}

static void download_done(sim *s, flow *p)
{
    char meta[300];
    int64_t total = s->t - p->perform_start;
    double got = p->xz - p->perform_offset;

    p->dl_done = s->t;
    /* DownloadThread::run after CURLE_OK: curl's figures are those of the
     * last transfer (after a retry, only what it resumed) */
    snprintf(meta, sizeof(meta),
             "dns_ms: %d; connect_ms: %d; tls_ms: %d; ttfb_ms: %d; "
             "total_ms: %" PRId64 "; speed_kbps: %" PRId64
             "; size_bytes: %" PRId64 "; http: %s",
             p->conn_dns, p->conn_connect, p->conn_tls, p->conn_ttfb, total,
             (int64_t)(got * 1000 / ((double)total * 1024)), (int64_t)got,
             s->sc->host->os_kind == OS_WINDOWS ? "HTTP/1.1" : "HTTP/2");
    rec(s, RPP_EV_NETWORK_CONNECTION_STATS, 0, meta);
}

static int in_used(const flow *p)
{
    return p->in_full + (p->holding ? 1 : 0);
}

/*
 * The download thread: curl hands over a chunk (_writeData, which first
 * calls _emitProgressUpdate), and _pushQueue copies it into a free input
 * slot, polling while none is free (input producer stalls). With the very
 * first chunk the extraction thread is started and the download thread
 * sleeps 100 ms.
 */
static void download_step(sim *s, flow *p)
{
    int moved;

    if (p->dl_done || p->cancelled || s->t < p->dl_sleep_until)
        return;
    for (moved = 0; moved < 512; moved++) {
        if (p->hand > 0) {
            if (in_used(p) >= p->in_slots) {
                if (p->in_prod.since < 0)
                    p->in_prod.since = s->t;
                return;
            }
            if (p->in_prod.since >= 0)
                wait_end(s, p, &p->in_prod, &p->in_prod_st, false, true);
            p->in_full++;
            p->in_bytes += p->hand;
            p->hand = 0;
            continue;
        }
        if (p->dl >= p->xz - 0.5) {
            p->dl = p->xz;
            download_done(s, p);
            return;
        }
        {
            double c = p->xz - p->dl < CURL_CHUNK ? p->xz - p->dl
                                                  : CURL_CHUNK;

            if (p->sock < c - 0.5)
                return;
            p->sock -= c;
            p->dl += c;
            p->hand = c;
        }
        if (p->first_data < 0) {
            p->first_data = s->t;
            emit_progress(s, p, 0, 0);
            p->est = E_HEADER;
            p->e_start = s->t;
            p->dl_sleep_until = s->t + 100;
            return;
        }
        emit_progress(s, p, 0, 0);
    }
}

/* ---- The extraction thread ---------------------------------------------- */

/* _on_read: the reader gives back the slot it held and takes the next one;
 * while the buffer is empty it polls (input consumer stalls), and the
 * whole wait goes to _totalRingBufferWaitMs (pipelineRingBufferWaitTime).
 * Returns false while waiting or at the end of the input. */
static bool read_slot(sim *s, flow *p)
{
    if (p->holding && p->cur_rem > 0.5)
        return true;
    if (p->holding) {
        p->holding = false;
        p->cur_rem = 0;
    }
    if (p->in_full > 0 || (p->dl_done && p->in_cons.since >= 0)) {
        if (p->in_cons.since >= 0) {
            p->ring_wait_ms += s->t - p->in_cons.since;
            wait_end(s, p, &p->in_cons, &p->in_cons_st, false, false);
        }
    }
    if (p->in_full > 0) {
        double c = p->in_bytes < CURL_CHUNK * p->in_full
                   ? p->in_bytes - CURL_CHUNK * (p->in_full - 1)
                   : CURL_CHUNK;

        if (p->in_full > 1 || c > CURL_CHUNK)
            c = CURL_CHUNK;
        if (c > p->in_bytes)
            c = p->in_bytes;
        p->in_full--;
        p->in_bytes -= c;
        p->holding = true;
        p->cur_rem = c;
        p->read_bytes += c;
        return true;
    }
    if (p->dl_done)
        return false;            /* end of the input */
    if (p->in_cons.since < 0)
        p->in_cons.since = s->t;
    return false;
}

/* Decompresses with what is left of this millisecond's CPU. Returns true
 * when the slot is full (or the input has ended). */
static bool decompress_step(sim *s, flow *p)
{
    double rate = s->sc->dec * MIB / 1000 * p->lvl[1];
    double budget = rate * p->tick_left;

    while (budget > 0.01 && p->need > 0.5) {
        double x;

        if (!read_slot(s, p)) {
            if (p->dl_done && p->in_full == 0) {
                /* end of the input: what is left is rounding */
                p->slot_len = p->size - p->slot_base;
                p->need = 0;
                break;
            }
            /* decompressTimer keeps running while _on_read waits */
            p->dec_ms += budget / rate;
            p->tick_left = 0;
            return false;
        }
        x = p->cur_rem * p->ratio;
        if (x > budget)
            x = budget;
        if (x > p->need)
            x = p->need;
        p->cur_rem -= x / p->ratio;
        p->need -= x;
        p->dec_total += x;
        budget -= x;
    }
    p->dec_ms += p->tick_left - budget / rate;
    p->tick_left = budget / rate;
    if (p->need > 0.5)
        return false;
    p->dec_total = p->slot_base + p->slot_len;
    return true;
}

static void after_write(sim *s, flow *p);

/* DownloadThread::_writeFile for the filled slot. */
static void start_write(sim *s, flow *p)
{
    if (!p->first_block_done) {
        /* the first block is kept in memory and written at the very end;
         * the slot goes back at once */
        p->first_block_done = true;
        p->w_used--;
        p->est = E_ACQ;
        return;
    }
    p->ops++;
    p->total_write += p->slot_len;
    if (p->min_write == 0 || p->slot_len < p->min_write)
        p->min_write = p->slot_len;
    p->pre_start = s->t;
    p->est = E_PREHASH;
}

/* The write itself: queued with AsyncWriteSequential (which first reaps
 * what completed, then waits while the queue is full), or written
 * synchronously (no async I/O, or the sync fallback after a drain). An
 * earlier asynchronous error makes the call fail; _writeFile then falls
 * back to a synchronous write, which fails as well on a dead device. */
static void begin_write_call(sim *s, flow *p)
{
    p->op_start = s->t;
    p->hash_end = (double)s->t + p->slot_len /
                  (s->sc->host->hash_mbps * 1000000.0 / 1000);
    if (p->async && !p->fallback) {
        if (p->thread_reaps)
            reap(s, p);
        if (p->write_error) {
            p->est = E_FAILING;
            return;
        }
        p->est = E_WQ;
        return;
    }
    queue_push(p, p->slot_len, false);
    p->sync_wait_done = false;
    p->est = E_SYNCW;
}

static void after_write(sim *s, flow *p)
{
    int64_t since;

    p->syscall_ms += s->t - p->op_start;
    /* synchronous writes wait for this buffer's hash before returning */
    if (!(p->async && !p->fallback) && (double)s->t < p->hash_end) {
        p->pre_start = s->t;
        p->est = E_POSTHASH;
        return;
    }
    since = s->t - p->last_write_end;
    if (p->last_write_end > 0 && since > 0) {
        uint64_t kbps = (uint64_t)(p->slot_len * 1000 /
                                   ((double)since * 1024));

        if (p->writes_until_sync > 0) {
            p->tp_after += kbps;
            p->tp_after_n++;
            p->writes_until_sync--;
        } else {
            p->tp_before += kbps;
            p->tp_before_n++;
        }
    }
    p->last_write_end = s->t;
    /* _periodicSync: skipped with direct I/O; otherwise a sync when the
     * byte interval is reached, or the time interval with some bytes
     * written since the last one */
    if (!p->direct && p->periodic && !p->cancelled) {
        double bytes = p->written - p->last_sync_bytes;

        if (bytes >= (double)s->hc.sync_bytes ||
            (s->t - p->last_sync_t >= s->hc.sync_ms && bytes > 0)) {
            p->syncing = true;
            p->sync_start = s->t;
            p->sync_at = p->written;
            p->est = E_PSYNC;
            return;
        }
    }
    p->est = E_ACQ;
}

static void extraction_step(sim *s, flow *p)
{
    int guard;

    p->tick_left = 1;
    for (guard = 0; guard < 16; guard++) {
        switch (p->est) {
        case E_IDLE:
        case E_END:
        case E_FAILING:
            return;
        case E_HEADER:
            if (p->cancelled) {
                p->est = E_END;
                return;
            }
            if (!read_slot(s, p))
                return;
            /* extractImageRun: the archive is open, its header read */
            rec(s, RPP_EV_IMAGE_EXTRACTION, (int)(s->t - p->e_start), "");
            p->est = E_ACQ;
            break;
        case E_ACQ:
            if (p->cancelled) {
                p->est = E_END;
                return;
            }
            if (p->dec_total >= p->size - 0.5) {
                /* archive_read_data returns 0: the loop ends */
                p->est = E_END;
                return;
            }
            if (p->w_used >= p->w_slots) {
                if (p->w_prod.since < 0)
                    p->w_prod.since = s->t;
                /* on Windows PollAsyncCompletions runs between polls */
                if (p->thread_reaps && s->sc->host->os_kind == OS_WINDOWS)
                    reap(s, p);
                if (p->w_used >= p->w_slots)
                    return;
            }
            if (p->w_prod.since >= 0)
                wait_end(s, p, &p->w_prod, &p->w_prod_st, true, true);
            p->w_used++;
            p->slot_base = p->dec_total;
            p->slot_len = p->wchunk < p->size - p->dec_total
                          ? p->wchunk : p->size - p->dec_total;
            p->need = p->slot_len;
            p->est = E_DEC;
            break;
        case E_DEC:
            if (p->cancelled) {
                /* _on_read returns end of input: the loop ends */
                p->w_used--;
                p->est = E_END;
                return;
            }
            if (!decompress_step(s, p))
                return;
            /* the extraction thread emits progress for every slot */
            emit_progress(s, p, 0, 0);
            start_write(s, p);
            break;
        case E_PREHASH:
            /* _writeFile waits for the previous buffer's hash */
            if ((double)s->t < p->hash_end)
                return;
            p->prehash_ms += s->t - p->pre_start;
            begin_write_call(s, p);
            break;
        case E_WQ:
            if (p->thread_reaps)
                reap(s, p);
            if (p->cancelled) {
                /* the queue wait returns "cancelled": _writeFile falls
                 * back to a synchronous write */
                queue_push(p, p->slot_len, false);
                p->sync_wait_done = false;
                p->est = E_SYNCW;
                return;
            }
            if (p->pending >= p->depth)
                return;
            /* the slot is queued and released by the completion */
            if (p->first_submit == 0)
                p->first_submit = s->t;
            p->async_writes++;
            p->pending++;
            queue_push(p, p->slot_len, true);
            after_write(s, p);
            break;
        case E_SYNCW:
            if (!p->sync_wait_done)
                return;
            if (p->write_error) {
                p->est = E_FAILING;
                return;
            }
            p->written += p->slot_len;
            p->w_used--;
            if (p->async)
                progress(s, RPP_PHASE_WRITE, (uint64_t)p->written,
                         s->sc->size);
            if (p->first_submit == 0)
                p->first_submit = s->t;
            after_write(s, p);
            break;
        case E_POSTHASH:
            if ((double)s->t < p->hash_end)
                return;
            p->posthash_ms += s->t - p->pre_start;
            p->hash_end = 0;
            after_write(s, p);
            break;
        case E_PSYNC:
            if (p->dirty > 0.5 || p->qn > 0)
                return;
            p->syncing = false;
            {
                char meta[64];
                int64_t d = s->t - p->sync_start;

                p->sync_ms += d;
                p->sync_count++;
                p->writes_until_sync = 5;
                snprintf(meta, sizeof(meta), "at %d MB",
                         (int)(p->sync_at / MIB));
                rec(s, RPP_EV_PERIODIC_SYNC, (int)d, meta);
            }
            p->last_sync_bytes = p->sync_at;
            p->last_sync_t = s->t;
            p->est = E_ACQ;
            break;
        default:
            return;
        }
    }
}

/* ---- The watchdog ------------------------------------------------------- */

static int pending_writes(const flow *p)
{
    return p->async ? p->pending : 0;
}

static void restart_write(sim *s, flow *p)
{
    /* ImageWriter::restartWrite: the session ends and the write thread is
     * cancelled; the next attempt starts when it has finished, which a
     * device that does not answer never lets happen */
    end_session(s, false, "Async I/O stall - restarting in sync mode");
    p->cancelled = true;
    p->result = RUN_HUNG;
}

/* The end of WriteProgressWatchdog::check, with the stall and pending
 * count it read before any drain. */
static void check_tail(sim *s, flow *p, int64_t stall, int pending)
{
    char meta[96];
    watchdog *wd = &p->wd;

    if (stall >= WD_RESTART_MS && pending > 0 && !wd->restarted) {
        wd->restarted = true;
        wd->on = false;
        rec_ok(s, RPP_EV_WATCHDOG_RECOVERY, 0, false,
               "action=restart; Storage device not responding. "
               "Restarting in compatibility mode...");
        restart_write(s, p);
    }
    if (stall >= WD_TIMEOUT_MS / 2) {
        snprintf(meta, sizeof(meta), "pending=%d", pending);
        rec(s, RPP_EV_PROGRESS_STALL, (int)(stall / 1000) * 1000, meta);
    }
}

static void watchdog_check(sim *s, flow *p)
{
    watchdog *wd = &p->wd;
    uint64_t w = bytes_written(p), dl = (uint64_t)p->dl;
    int pending = pending_writes(p);
    int64_t stall;

    if (w > wd->last_w || dl > wd->last_dl || pending < wd->last_pending) {
        wd->last_w = w;
        wd->last_dl = dl;
        wd->last_pending = pending;
        wd->last_progress = s->t;
        return;
    }
    wd->last_pending = pending;
    stall = s->t - wd->last_progress;
    if (stall >= WD_TIMEOUT_MS) {
        wd->on = false;
        rec_ok(s, RPP_EV_WATCHDOG_RECOVERY, 0, false,
               "action=hardTimeout; Write stalled - no progress for 180 "
               "seconds.\n\nPlease check your storage device and try again.");
        /* ImageWriter::onError: the thread is cancelled, the session ends
         * with the message */
        end_session(s, false,
                    "Write stalled - no progress for 180 seconds.\n\n"
                    "Please check your storage device and try again.");
        p->cancelled = true;
        p->result = RUN_HUNG;
        return;
    }
    /* polling for completions (forcePollAsyncCompletions) finds nothing
     * new here: reaping is modelled where it happens */
    if (stall >= WD_REDUCE_MS && pending > 0 && !wd->reduced &&
        p->depth > 2) {
        char meta[96];
        int nd = p->depth / 2 > 2 ? p->depth / 2 : 2;

        wd->reduced = true;
        snprintf(meta, sizeof(meta), "depth=%d->%d; pending=%d", p->depth,
                 nd, pending);
        p->depth = nd;
        rec(s, RPP_EV_QUEUE_DEPTH_REDUCTION, 0, meta);
    }
    if (stall >= WD_DRAIN_MS && pending > 0 && !wd->drain_tried) {
        /* drainAndSwitchToSync blocks the GUI thread: no sync fallback
         * for new writes, then wait while completions keep coming */
        wd->drain_tried = true;
        wd->draining = true;
        wd->drain_start = s->t;
        wd->drain_progress = s->t;
        wd->drain_pending_before = pending;
        wd->drain_last_pending = pending;
        wd->check_stall = stall;
        p->fallback = true;
        s->gui_blocked = true;
        return;
    }
    check_tail(s, p, stall, pending);
}

static void drain_step(sim *s, flow *p)
{
    watchdog *wd = &p->wd;
    int pending = p->pending;
    char meta[64];

    if (wd->drain_end == 0) {
        /* LinuxFileOperations::DrainAndSwitchToSync (and its macOS and
         * Windows twins) look every 100 ms and give up after 30 s
         * without a completion */
        if ((s->t - wd->drain_start) % 100 != 0)
            return;
        if (pending < wd->drain_last_pending) {
            wd->drain_last_pending = pending;
            wd->drain_progress = s->t;
        }
        if (pending > 0 && s->t - wd->drain_progress < WD_DRAIN_STALL_MS)
            return;
        wd->drain_ok = pending == 0;
        wd->drain_end = s->t + irange(&s->r, 1, 40);
        return;
    }
    if (s->t < wd->drain_end)
        return;
    /* back in WriteProgressWatchdog::check: what it records goes in at
     * once; what the other threads reported meanwhile follows when the
     * GUI thread returns to its event loop */
    wd->draining = false;
    s->gui_blocked = false;
    snprintf(meta, sizeof(meta), "pending=%d", wd->drain_pending_before);
    rec_ok(s, RPP_EV_DRAIN_AND_HOT_SWAP, (int)(s->t - wd->drain_start),
           wd->drain_ok, meta);
    /* the check's timer was held up: it fires again at once */
    wd->next = s->t + 1;
    if (wd->drain_ok) {
        rec_ok(s, RPP_EV_WATCHDOG_RECOVERY, 0, true,
               "action=hotSwap; Switched to compatibility mode - write "
               "continuing...");
        wd->last_progress = s->t;
    } else {
        check_tail(s, p, wd->check_stall, wd->drain_pending_before);
    }
    gui_unblock(s);
}

/* ---- Running the pipeline ---------------------------------------------- */

static void noise_step(sim *s, flow *p)
{
    int k;

    if (s->t < p->next_noise)
        return;
    for (k = 0; k < 3; k++)
        p->lvl[k] = 1 + s->sc->noise * (2 * unif(&s->r) - 1);
    p->next_noise = s->t + 100;
}

/* One millisecond of every thread. */
static void step(sim *s, flow *p)
{
    s->t++;
    noise_step(s, p);
    network_step(s, p);
    device_step(s, p);
    extraction_step(s, p);
    download_step(s, p);
    if (p->wd.draining)
        drain_step(s, p);
    else if (p->wd.on && s->t >= p->wd.next) {
        p->wd.next = s->t + WD_CHECK_MS;
        watchdog_check(s, p);
    }
}

static void flow_init(sim *s, flow *p, double card)
{
    const scenario *sc = s->sc;
    const host_config *c = &s->hc;
    double avail = (double)sc->host->avail_mem;

    p->size = (double)sc->size;
    p->xz = (double)sc->xz;
    p->ratio = p->size / p->xz;
    p->card = card;
    p->in_slots = c->in_slots;
    p->w_slots = c->w_slots;
    p->wchunk = c->wchunk;
    p->async = !sc->sync_writes;
    p->depth = p->async ? c->depth : 1;
    p->direct = !sc->direct_io_fails;
    p->sectors = sc->host->os_kind == OS_LINUX;
    p->thread_reaps = sc->host->os_kind != OS_MAC;
    p->periodic = !sc->no_periodic_sync;
    p->dirty_bg = avail / 10;
    p->dirty_limit = avail / 5;
    p->first_data = -1;
    p->in_prod.since = -1;
    p->in_cons.since = -1;
    p->w_prod.since = -1;
    p->lvl[0] = p->lvl[1] = p->lvl[2] = 1;
    p->next_hiccup = s->t + irange(&s->r, 2000, 9000);
    p->est = E_IDLE;
    p->result = RUN_DONE;
}

/* Runs until the extraction loop has ended (or the run ends otherwise). */
static void run_write(sim *s, flow *p)
{
    const scenario *sc = s->sc;

    p->curl_start = s->t;
    reconnect(s, p, s->t);
    for (;;) {
        step(s, p);
        if (s->status != RPP_OK)
            return;
        if (p->result == RUN_HUNG)
            return;
        if (sc->cut_write > 0 && bytes_written(p) >= sc->cut_write * p->size) {
            p->result = RUN_CUT;
            return;
        }
        if (sc->cancel_at > 0 && !p->cancelled &&
            bytes_written(p) >= sc->cancel_at * p->size) {
            p->cancelled = true;
            p->result = RUN_CANCELLED;
        }
        if (p->cancelled && p->result == RUN_CANCELLED &&
            (p->est == E_END || p->est == E_ACQ))
            return;
        if (p->est == E_FAILING) {
            p->result = RUN_FAILED;
            return;
        }
        if (p->est == E_END)
            return;
    }
}

/* Steps the device and the threads until cond holds (for the waits that
 * follow the write loop). */
static void run_until_queue_empty(sim *s, flow *p)
{
    while (p->qn > 0 || p->dn > 0) {
        step(s, p);
        if (p->thread_reaps)
            reap(s, p);
    }
}

static void run_until_clean(sim *s, flow *p)
{
    p->flushing = true;
    while (p->dirty > 0.5)
        step(s, p);
    p->flushing = false;
}

/* ---- Drive preparation -------------------------------------------------- */

/* DownloadThread::_openAndPrepareDevice: unmount (paths under /dev/), then
 * the open timer runs over the Windows volume unmount, disk clean and
 * rescan, the open itself (driveAuthorization: the authorisation dialogs
 * on macOS), the first and last MB zeroed (not on Windows), and driveOpen
 * closes it; the direct I/O attempt follows. The progress watchdog starts
 * when driveAuthorization is recorded (src/imagewriter.cpp). */
static void prepare(sim *s, flow *p, uint64_t device_size)
{
    const scenario *sc = s->sc;
    const host *h = sc->host;
    bool dio = !sc->direct_io_fails;
    char meta[200];
    int64_t open_start;
    int first, last;

    s->t += 1;
    rec(s, RPP_EV_CACHE_LOOKUP, 1, "miss");
    if (h->os_kind != OS_WINDOWS)
        op(s, RPP_EV_DRIVE_UNMOUNT, irange(&s->r, 300, 800), "");
    open_start = s->t;
    if (h->os_kind == OS_WINDOWS) {
        op(s, RPP_EV_DRIVE_UNMOUNT_VOLUMES,
           sc->slow_prepare ? irange(&s->r, 20300, 20900)
                            : irange(&s->r, 180, 420), "");
        op(s, RPP_EV_DRIVE_DISK_CLEAN,
           sc->slow_prepare ? irange(&s->r, 40100, 40700)
                            : irange(&s->r, 300, 900), "");
        op(s, RPP_EV_DRIVE_RESCAN, irange(&s->r, 1200, 1450), "");
    }
    s->t += h->os_kind == OS_MAC ? irange(&s->r, 2500, 4200)
                                 : irange(&s->r, 12, 40);
    rec(s, RPP_EV_DRIVE_AUTHORIZATION, (int)(s->t - open_start), "");
    p->wd.on = true;
    p->wd.next = s->t + WD_CHECK_MS;
    p->wd.last_progress = s->t;
    p->wd.last_pending = 0;
    if (h->os_kind != OS_WINDOWS) {
        int64_t mbr_start = s->t;

        first = irange(&s->r, 30, 65);
        last = sc->last_mb_ms ? sc->last_mb_ms + irange(&s->r, -150, 150)
                              : irange(&s->r, 250, 400);
        s->t += first + last + irange(&s->r, 2, 8);
        snprintf(meta, sizeof(meta),
                 "first_mb_ms: %d; last_mb_ms: %d; device_size_mb: %" PRIu64,
                 first, last, device_size / ((uint64_t)1024 * 1024));
        rec(s, RPP_EV_DRIVE_MBR_ZEROING, (int)(s->t - mbr_start), meta);
    }
    s->t += irange(&s->r, 2, 12);
    snprintf(meta, sizeof(meta), "direct_io: %s; platform: %s",
             dio ? "yes" : "no", h->platform);
    rec(s, RPP_EV_DRIVE_OPEN, (int)(s->t - open_start), meta);
    if (s->version >= 3) {
        rec_ok(s, RPP_EV_DIRECT_IO_ATTEMPT, 0, dio,
               dio ? "attempted: yes; succeeded: yes; currently_enabled:"
                     " yes; error_code: 0; error: none"
                   : "attempted: yes; succeeded: no; currently_enabled:"
                     " no; error_code: 22; error: Invalid argument");
        check(s, rpp_writer_update_direct_io(s->w, dio));
    }
}

/* ---- After the write ---------------------------------------------------- */

static void verify(sim *s, flow *p)
{
    const double rate = s->sc->verify;
    double done = 0, lvl = 1;
    int64_t next_noise = s->t, start = s->t;
    char meta[200], hash[65];
    const double size = p->size;

    while (done < size) {
        s->t += 1;
        if (s->t >= next_noise) {
            lvl = 1 + s->sc->noise * (2 * unif(&s->r) - 1);
            next_noise = s->t + 100;
        }
        done += rate * MIB / 1000 * lvl;
        if (done > size)
            done = size;
        /* _onVerifyProgress goes through _emitProgressUpdate */
        emit_progress(s, p, (uint64_t)done, s->sc->size);
        if (s->sc->cut_verify > 0 && done >= s->sc->cut_verify * size) {
            s->stop = true;
            return;
        }
    }
    random_hash(&s->r, hash);
    snprintf(meta, sizeof(meta),
             "Post-write verification; writeHash: %s; verifyHash: %s", hash,
             hash);
    s->t += irange(&s->r, 5, 40);
    rec(s, RPP_EV_HASH_COMPUTATION, (int)(s->t - start), meta);
}

/* DownloadThread::_customizeImage: the FAT partition is parsed, the files
 * written, the partition table synced, then customisation closes the
 * timer. (No call site records firstRunGeneration or cloudInitGeneration.)
 */
static void customise(sim *s)
{
    int64_t start = s->t;
    bool lng = s->sc->long_customisation;

    check(s, rpp_writer_finalising(s->w));
    op(s, RPP_EV_FAT_PARTITION_SETUP,
       lng ? irange(&s->r, 1750, 1850) : irange(&s->r, 320, 380), "");
    if (lng)
        s->t = start + irange(&s->r, 39800, 40400);
    else
        s->t += irange(&s->r, 800, 1050);
    op(s, RPP_EV_PARTITION_TABLE_WRITE,
       lng ? irange(&s->r, 2800, 3000) : irange(&s->r, 95, 125), "");
    if (lng)
        s->t = start + irange(&s->r, 45100, 45500);
    rec(s, RPP_EV_CUSTOMISATION, (int)(s->t - start),
        lng ? "config: set; cmdline: set; firstrun: set; cloudinit: set; "
              "network: set"
            : "config: set; cmdline: set; firstrun: set");
}

static void write_timing(sim *s, const flow *p)
{
    char meta[300];
    int64_t total = p->syscall_ms + p->prehash_ms + p->posthash_ms;

    if (p->ops == 0)
        return;
    snprintf(meta, sizeof(meta),
             "writeOps: %" PRId64 "; syscallMs: %" PRId64
             "; preHashWaitMs: %" PRId64 "; postHashWaitMs: %" PRId64
             "; syncMs: %" PRId64 "; syncCount: %" PRId64,
             p->ops, p->syscall_ms, p->prehash_ms, p->posthash_ms,
             p->sync_ms, p->sync_count);
    rec(s, RPP_EV_WRITE_TIMING_BREAKDOWN, (int)total, meta);
    snprintf(meta, sizeof(meta),
             "minKB: %" PRId64 "; maxKB: %" PRId64 "; avgKB: %" PRId64
             "; totalBytes: %" PRId64 "; count: %" PRId64,
             (int64_t)(p->min_write / 1024), (int64_t)(p->wchunk / 1024),
             (int64_t)(p->total_write / (double)p->ops / 1024),
             (int64_t)p->total_write, p->ops);
    rec(s, RPP_EV_WRITE_SIZE_DISTRIBUTION, 0, meta);
    if (p->tp_before_n > 0 && p->tp_after_n > 0) {
        int64_t before = (int64_t)(p->tp_before / (uint64_t)p->tp_before_n);
        int64_t after = (int64_t)(p->tp_after / (uint64_t)p->tp_after_n);

        snprintf(meta, sizeof(meta),
                 "beforeSyncKBps: %" PRId64 "; afterSyncKBps: %" PRId64
                 "; samples: %d; impactPercent: %d",
                 before, after, p->tp_before_n + p->tp_after_n,
                 before > 0 ? (int)(100 * (before - after) / before) : 0);
        rec(s, RPP_EV_WRITE_AFTER_SYNC_IMPACT, 0, meta);
    }
}

/* DownloadThread::_writeComplete, up to the write-timing events: wait for
 * the asynchronous writes, then asyncIOConfig, asyncIOTiming and, after a
 * drain, deviceIOTimeout. */
static void write_complete_start(sim *s, flow *p)
{
    char meta[200];

    p->pending_at_end = p->pending;
    if (p->async) {
        run_until_queue_empty(s, p);
        snprintf(meta, sizeof(meta),
                 "enabled: 1; supported: 1; queueDepth: %d; pendingAtEnd: %d",
                 p->depth, p->pending_at_end);
        rec(s, RPP_EV_ASYNC_IO_CONFIG, 0, meta);
        {
            int64_t wall = p->last_completion - p->first_submit;

            snprintf(meta, sizeof(meta),
                     "wallClockMs: %" PRId64 "; bytesWritten: %d MB; "
                     "writeCount: %" PRId64,
                     wall, (int)(p->written / MIB), p->async_writes);
            rec_transfer(s, RPP_EV_ASYNC_IO_TIMING, (int)wall,
                         (uint64_t)p->written, meta);
        }
        if (p->fallback) {
            snprintf(meta, sizeof(meta),
                     "pending=%d; Async stall recovered: %d writes replayed "
                     "synchronously", p->pending_at_end, p->pending_at_end);
            rec_ok(s, RPP_EV_DEVICE_IO_TIMEOUT, 30000, false, meta);
        }
    } else {
        run_until_queue_empty(s, p);
    }
    write_timing(s, p);
}

/* The extraction thread's last words (extractImageRun after the loop):
 * recorded when the thread ends, after verify, customisation and the
 * session's end on a successful write. */
static void late_summaries(sim *s, const flow *p)
{
    char meta[200];

    snprintf(meta, sizeof(meta), "bytes: %" PRIu64 " MB",
             (uint64_t)p->dec_total / ((uint64_t)1024 * 1024));
    rec_transfer(s, RPP_EV_PIPELINE_DECOMPRESSION_TIME, (int)p->dec_ms,
                 (uint64_t)p->dec_total, meta);
    s->t += 1;
    snprintf(meta, sizeof(meta), "bytes: %" PRIu64 " MB",
             (uint64_t)p->read_bytes / ((uint64_t)1024 * 1024));
    rec_transfer(s, RPP_EV_PIPELINE_RING_BUFFER_WAIT_TIME,
                 (int)p->ring_wait_ms, (uint64_t)p->read_bytes, meta);
    s->t += 1;
    write_timing(s, p);
    s->t += 1;
    snprintf(meta, sizeof(meta),
             "producer_stalls: %" PRIu64 " (%" PRIu64
             " ms); consumer_stalls: 0 (0 ms)",
             p->w_prod_st.stalls, p->w_prod_st.wait_ms);
    rec(s, RPP_EV_WRITE_RING_BUFFER_STATS, (int)p->w_prod_st.wait_ms, meta);
}

static void device_close(sim *s, int lo, int hi)
{
    op(s, RPP_EV_DEVICE_CLOSE, irange(&s->r, lo, hi), "");
}

/* The end of a successful write (_writeComplete after the write-timing
 * events): the data is flushed (no event), verified, customised, the
 * first block written, then finalSync, customisation_verify and the
 * device closed; success ends the session, the card is ejected, and the
 * extraction thread's summaries follow. */
static void finish_write(sim *s, flow *p)
{
    int64_t sync_start;

    /* finalSyncStarting stops the watchdog before the flush */
    p->wd.on = false;
    if (!p->direct)
        run_until_clean(s, p);
    s->t += irange(&s->r, 300, 1500);
    verify(s, p);
    if (s->stop)
        return;
    customise(s);
    /* the first block is written with the customisation; finalSync is the
     * flush and sync after it */
    sync_start = s->t;
    s->t += irange(&s->r, 150, 1300);
    rec(s, RPP_EV_FINAL_SYNC, (int)(s->t - sync_start), "");
    op(s, RPP_EV_CUSTOMISATION_VERIFY,
       s->sc->long_customisation ? irange(&s->r, 2600, 2800)
                                 : irange(&s->r, 240, 280),
       "4 files; content-checked: 4; cache-bypassed: yes");
    device_close(s, 50, 130);
    if (s->sc->host->os_kind == OS_MAC)
        s->t += 1000;    /* macOS settles for a second after closing */
    s->t += irange(&s->r, 2, 15);
    end_session(s, true, NULL);
    /* the card is ejected before the extraction thread returns */
    s->t += irange(&s->r, 300, 1500);
    if (s->sc->cut_before_summaries) {
        s->stop = true;
        return;
    }
    late_summaries(s, p);
}

/* One imaging cycle from startSession to endSession. pending_id, when
 * not 0, is an event begun before the cycle that ends once the drive is
 * open. */
static void cycle(sim *s, const char *device, uint64_t device_size,
                  double card, int pending_id)
{
    flow *p = calloc(1, sizeof(*p));

    if (!p) {
        check(s, RPP_ERR_NOMEM);
        return;
    }
    start_session(s, device, device_size);
    flow_init(s, p, card);
    prepare(s, p, device_size);
    if (pending_id) {
        s->t += irange(&s->r, 100, 300);
        check(s, rpp_writer_event_end(s->w, pending_id, true, NULL));
    }
    s->t += irange(&s->r, 5, 30);
    p->last_sync_t = s->t - irange(&s->r, 900, 1600);
    run_write(s, p);
    switch (p->result) {
    case RUN_CUT:
        s->stop = true;
        break;
    case RUN_HUNG:
        /* the write thread stays blocked on the device: nothing more */
        break;
    case RUN_CANCELLED:
        /* ImageWriter::onCancelled ends the session when the download
         * thread has finished; the extraction thread then waits for its
         * writes, records the write-timing events, closes the device and
         * records its summaries, with no session active */
        s->t += irange(&s->r, 2, 8);
        end_session(s, false, "Cancelled by user");
        while (p->est != E_END)
            step(s, p);
        write_complete_start(s, p);
        device_close(s, 50, 120);
        late_summaries(s, p);
        break;
    case RUN_FAILED:
        /* _writeFile failed: wait for the pending writes, then
         * _onWriteError: the device is closed and the error ends the
         * session; no summaries */
        run_until_queue_empty(s, p);
        device_close(s, 200, 300);
        /* only the Windows build classifies write errors; elsewhere the
         * message is the generic one */
        end_session(s, false,
                    s->sc->host->os_kind == OS_WINDOWS
                    ? "I/O device error. The storage device may have been "
                      "disconnected or is malfunctioning."
                    : "Error writing to storage device. Please check if the "
                      "device is writable, has sufficient space, and is not "
                      "write-protected.");
        break;
    default:
        write_complete_start(s, p);
        finish_write(s, p);
        break;
    }
    free(p->ev);
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
    if (s->stop)
        return;
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
    configure(sc->host, &s.hc);
    s.defer = malloc(MAX_DEFER * sizeof(*s.defer));
    if (!s.defer)
        return RPP_ERR_NOMEM;
    clk.ctx = &s;
    if ((rc = rpp_writer_new(&s.w, version, &clk)) < 0) {
        free(s.defer);
        return rc;
    }
    rpp_writer_set_utc(s.w, true);
    run(&s);
    if (s.gui_blocked)
        gui_unblock(&s);
    rc = s.status;
    snprintf(path, sizeof(path), "%s/v%d-%s.json", dir, version, sc->name);
    if (rc == RPP_OK)
        rc = rpp_writer_export_file(s.w, path);
    rpp_writer_free(s.w);
    free(s.defer);
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
