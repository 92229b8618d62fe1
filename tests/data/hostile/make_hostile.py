#!/usr/bin/python3
"""Hostile reports for rpiperf: what a stranger's bug report could contain.

    make_hostile.py small DIR   the small cases (committed in tests/data/hostile)
    make_hostile.py big DIR     the large ones (written at test time only)
    make_hostile.py scale FILE N [SLICES]
                                one valid report with N events of mixed types
                                and SLICES slices per phase (default N / 2)
    make_hostile.py gaps FILE N a version 2 report of N slices, each after a
                                quiet gap that starts an imaging cycle (2N
                                events)
    make_hostile.py cycles FILE N
                                a version 3 report of N slices in one run of
                                time, split over N / 4 imaging cycles

Every report is written deterministically, so a run can be repeated. The
small cases are each one valid version 3 report with one hostile part; the
.expect file next to each says what rpiperf must do with it (see README.md).
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Characters that must never reach a terminal or a page raw.
ESC = "\x1b"
CSI_C1 = "\u009b"       # the one-character CSI of 8-bit terminals
RLO = "\u202e"          # right-to-left override
LRI = "\u2066"          # left-to-right isolate
PDI = "\u2069"
HOSTILE = (ESC + "[2J" + ESC + "]0;pwned" + "\x07" + ESC + "[31mred" + ESC +
           "[0m " + CSI_C1 + "6n " + RLO + "gpj.exe" + " " + LRI + "x" + PDI +
           " \u200f\u061c\u2028\ufeff\r\b\x7f end")
INJECT = ("<img src=x onerror=alert(1)> [click](http://evil.example) "
          "@everyone | cell | `code` **bold** <!-- # heading\n"
          "::error::fake annotation %0A ]]> &amp; <script>alert(2)</script>")


def base():
    """A small, valid version 3 report."""
    slices = lambda t0, avg, b: [[t0 + 1000 * i, avg - 900, avg + 900, avg] +
                                 [5 if k == b else 0 for k in range(12)]
                                 for i in range(12)]
    return {
        "version": 3,
        "exportTime": "2025-12-01T09:03:55",
        "summary": {
            "imageName": "Raspberry Pi OS (64-bit)",
            "deviceName": "/dev/sdb",
            "imageSize": 5905580032,
            "sessionStartTime": 1764579600000,
            "sessionEndTime": 1764579620000,
            "durationMs": 20000,
            "success": True,
            "sessionState": "succeeded",
            "events": {
                "cycleStart": {"count": 1, "totalMs": 0, "avgMs": 0,
                               "minMs": 0, "maxMs": 0},
                "driveOpen": {"count": 1, "totalMs": 461, "avgMs": 461,
                              "minMs": 461, "maxMs": 461},
                "finalSync": {"count": 1, "totalMs": 1840, "avgMs": 1840,
                              "minMs": 1840, "maxMs": 1840},
                "cycleEnd": {"count": 1, "totalMs": 0, "avgMs": 0,
                             "minMs": 0, "maxMs": 0},
            },
            "phases": {
                p: {"sampleCount": 60, "bytesTotal": 5905580032,
                    "durationMs": 12000, "minThroughputKBps": 9000,
                    "maxThroughputKBps": 95000, "avgThroughputKBps": 46000}
                for p in ("download", "decompress", "write", "verify")
            },
        },
        "system": {
            "imager": {"buildType": "Release", "qtBuild": "6.9.3",
                       "qtRuntime": "6.9.3", "version": "2.0.11",
                       "binarySha256": "ab" * 32},
            "memory": {"availableBytes": 10203693056, "availableMB": 9731,
                       "totalBytes": 16647192576, "totalMB": 15876},
            "platform": {"cpuArchitecture": "x86_64", "cpuCores": 8,
                         "os": "Linux", "osVersion": "24.04"},
            "targetDevice": {"description": "SD card reader",
                             "isRemovable": True, "isUsb": True,
                             "path": "/dev/sdb", "sizeBytes": 31914983424,
                             "sizeMB": 30436},
            "writeConfig": {
                "buffers": {"inputBufferBytes": 2097152,
                            "inputBufferKB": 2048, "inputRingBufferSlots": 16,
                            "writeBufferBytes": 8388608,
                            "writeBufferKB": 8192,
                            "writeRingBufferSlots": 516},
                "directIOEnabled": True, "memoryTier": "High memory",
                "periodicSyncEnabled": True, "syncIntervalBytes": 260046848,
                "syncIntervalMB": 248, "syncIntervalMs": 7000},
        },
        "events": [
            {"type": "cycleStart", "startMs": 0, "durationMs": 0,
             "success": True,
             "metadata": "image: Raspberry Pi OS (64-bit); device: /dev/sdb"},
            {"type": "driveOpen", "startMs": 343, "durationMs": 461,
             "success": True, "metadata": "direct_io: yes; platform: Linux"},
            {"type": "finalSync", "startMs": 15000, "durationMs": 1840,
             "success": True},
            {"type": "cycleEnd", "startMs": 20000, "durationMs": 0,
             "success": True, "metadata": "succeeded"},
        ],
        "histograms": {
            "download": slices(1000, 10400, 8),
            "decompress": slices(1000, 46000, 10),
            "write": slices(1000, 46000, 10),
            "verify": slices(1000, 90000, 11),
        },
        "schema": {
            "histogramSliceFormat": [
                "timestampMs", "minKBps", "maxKBps", "avgKBps",
                "bucket_0-1MB", "bucket_1-2MB", "bucket_2-4MB", "bucket_4-8MB",
                "bucket_8-16MB", "bucket_16-32MB", "bucket_32-64MB",
                "bucket_64-128MB", "bucket_128-256MB", "bucket_256-512MB",
                "bucket_512-1024MB", "bucket_1024+MB"],
            "histogramWindowMs": 1000,
            "throughputUnit": "KB/s",
        },
    }


def dump(r):
    return json.dumps(r, indent=1, ensure_ascii=False).encode("utf-8")


def with_strings(text):
    """Every string a report carries that an output shows, set to text."""
    r = base()
    s = r["summary"]
    s["imageName"] = "image " + text
    s["deviceName"] = "/dev/" + text
    s["success"] = False
    s["sessionState"] = "failed"
    s["errorMessage"] = "error " + text
    sy = r["system"]
    sy["platform"]["os"] = "os " + text
    sy["platform"]["osVersion"] = text
    sy["imager"]["version"] = "v" + text
    sy["targetDevice"]["description"] = "reader " + text
    sy["targetDevice"]["path"] = "/dev/" + text
    sy["writeConfig"]["memoryTier"] = text
    r["exportTime"] = text
    ev = r["events"]
    ev[0]["metadata"] = "image: " + text + "; device: /dev/" + text
    ev[1]["metadata"] = "error: " + text
    ev[1]["success"] = False
    ev[-1]["success"] = False
    ev[-1]["metadata"] = "failed: " + text
    ev.insert(3, {"type": "deviceIOTimeout", "startMs": 16000,
                  "durationMs": 30000, "success": False,
                  "metadata": "pending: 3; " + text})
    ev.insert(3, {"type": "hashComputation", "startMs": 16000,
                  "durationMs": 10, "success": True,
                  "metadata": "writeHash: " + text + "; verifyHash: 00"})
    ev.insert(3, {"type": "evil" + text, "startMs": 16500, "durationMs": 99,
                  "success": False, "metadata": text})
    ev.insert(3, {"type": "writeRingBufferStats", "startMs": 16600,
                  "durationMs": 0, "success": True,
                  "metadata": text + ": " + text + "; producer_stalls: 1 ("
                  + text + " ms)"})
    r["summary"]["events"]["key " + text] = {"count": 1, "totalMs": 1,
                                             "avgMs": 1, "minMs": 1,
                                             "maxMs": 1}
    r["unknown " + text] = text
    return r


def small_cases():
    """name -> bytes"""
    out = {}

    r = base()
    out["terminal-escapes"] = dump(with_strings(HOSTILE))
    out["markup-injection"] = dump(with_strings(INJECT))

    # numbers at the edges
    raw = dump(base()).decode()
    out["negative-zero"] = raw.replace('"startMs": 343', '"startMs": -0', 1) \
        .replace('"durationMs": 461', '"durationMs": -0.0e5', 1).encode()
    out["number-2p64"] = raw.replace('"imageSize": 5905580032',
                                     '"imageSize": 18446744073709551616',
                                     1).encode()
    out["number-minus-1e400"] = raw.replace('"durationMs": 1840',
                                            '"durationMs": -1e400', 1).encode()
    out["number-1e-400"] = raw.replace('"durationMs": 1840',
                                       '"durationMs": 1e-400', 1).encode()
    out["number-2p53"] = raw.replace('"durationMs": 1840',
                                     '"durationMs": 9007199254740992',
                                     1).encode()
    out["number-2p53-plus-1"] = raw.replace('"durationMs": 1840',
                                            '"durationMs": 9007199254740993',
                                            1).encode()
    out["number-long-mantissa"] = raw.replace(
        '"durationMs": 1840', '"durationMs": 1' + '0' * 400, 1).encode()

    # far future: every time at 2^53 ms or close to it
    r = base()
    top = 2 ** 53
    r["summary"]["sessionStartTime"] = top - 1
    r["summary"]["sessionEndTime"] = top
    r["summary"]["durationMs"] = top
    for e in r["events"]:
        e["startMs"] = top - e["durationMs"]
    r["events"][1]["durationMs"] = top
    r["events"][1]["startMs"] = top
    for p, sl in r["histograms"].items():
        for i, s in enumerate(sl):
            s[0] = top - 1000 * (len(sl) - i)
    sl = r["histograms"]["write"]
    sl[-1][0] = top
    r["system"]["targetDevice"]["sizeBytes"] = top
    r["system"]["writeConfig"]["syncIntervalMs"] = top
    r["schema"]["histogramWindowMs"] = 86400000
    out["far-future"] = dump(r)

    # 32-bit wrap-around starts and durations that sum past 2^32 and 2^64
    r = base()
    r["events"][2:2] = [
        {"type": "periodicSync", "startMs": 2 ** 32 - 5, "durationMs": 10,
         "success": True},
        {"type": "periodicSync", "startMs": 1000, "durationMs": top,
         "success": True},
        {"type": "periodicSync", "startMs": 2000, "durationMs": top,
         "success": True},
        {"type": "pipelineDecompressionTime", "startMs": 0,
         "durationMs": top, "success": True},
        {"type": "pipelineRingBufferWaitTime", "startMs": 0,
         "durationMs": top, "success": True},
        {"type": "pipelineWriteWaitTime", "startMs": 0, "durationMs": top,
         "success": True},
        {"type": "writeTimingBreakdown", "startMs": 0, "durationMs": top,
         "success": True,
         "metadata": "syscallMs: 1e308; preHashWaitMs: 9007199254740992; "
                     "postHashWaitMs: -5; syncMs: nan"},
        {"type": "networkLatency", "startMs": 3000, "durationMs": 1,
         "success": True, "bytesTransferred": top,
         "throughputKBps": top},
        {"type": "ringBufferStarvation", "startMs": 4000,
         "durationMs": top, "success": True,
         "metadata": "producer_stall: 9007199254740992 ms; buffer: input; "
                     "consumer_stall"},
        {"type": "writeRingBufferStats", "startMs": 4000, "durationMs": 0,
         "success": True,
         "metadata": "producer_stalls: 18446744073709551616 (1e308 ms); "
                     "consumer_stalls: 1 (inf ms)"},
    ]
    r["summary"]["events"]["periodicSync"] = {
        "count": top, "totalMs": top, "avgMs": top, "minMs": top,
        "maxMs": top}
    out["duration-sums-overflow"] = dump(r)

    # bucket counts that overflow int, int64 and uint64 when summed
    r = base()
    for p, sl in r["histograms"].items():
        for s in sl:
            s[4:16] = [top] * 12
            s[1], s[2], s[3] = 0, top, top // 2
    r["summary"]["phases"]["write"]["sampleCount"] = top
    r["summary"]["phases"]["write"]["bytesTotal"] = top
    out["bucket-sums-overflow"] = dump(r)

    r = base()
    for p, sl in r["histograms"].items():
        for s in sl:
            s[4:16] = [2 ** 31 - 1] * 12
    out["bucket-sums-int"] = dump(r)

    # duplicate keys where a fast path could miss them
    dup = raw.replace('"histograms": {', '"histograms": {\n  "write": [],', 1)
    out["duplicate-histogram-phase"] = dup.encode()
    dup = raw.replace('\n "schema":',
                      '\n "histograms": {},\n "schema":', 1)
    out["duplicate-histograms"] = dup.encode()
    dup = raw.replace('"cpuCores": 8', '"cpuCores": 8, "cpuCores": 9', 1)
    out["duplicate-nested-key"] = dup.encode()

    # \u0000 where it would cut a string short
    esc = raw.replace('"imageName": "Raspberry Pi OS (64-bit)"',
                      '"imageName": "Raspberry\\u0000' +
                      '\\u001b[2J hidden"', 1)
    esc = esc.replace('"type": "finalSync"', '"type": "finalSync\\u0000x"', 1)
    out["nul-escape-cuts"] = esc.encode()

    # escapes written as JSON escapes rather than raw characters
    r = base()
    r["summary"]["imageName"] = "\x1b[31m\u202eevil\u0000"
    out["escaped-controls"] = json.dumps(r, ensure_ascii=True).encode()

    # invalid UTF-8 inside a metadata string, and in a key
    out["utf8-invalid-metadata"] = raw.encode().replace(
        b"platform: Linux", b"platform: Lin\xc0\xafux", 1)
    out["utf8-overlong-nul"] = raw.encode().replace(
        b'"imageName": "Raspberry', b'"imageName": "Rasp\xc0\x80berry', 1)
    out["utf8-cesu-surrogates"] = raw.encode().replace(
        b'"imageName": "Raspberry', b'"imageName": "\xed\xa0\xbd\xed\xb8\x80',
        1)
    out["utf8-5-byte"] = raw.encode().replace(
        b'"deviceName": "/dev/sdb"', b'"deviceName": "/dev/\xf8\x88\x80\x80\x80"',
        1)
    out["utf8-in-key"] = raw.encode().replace(
        b'"cpuCores"', b'"cpu\xe2\x80Cores"', 1)

    # deep nesting: beyond cJSON's 1000 levels, inside a valid report
    out["deep-nesting-in-unknown-key"] = raw.replace(
        '"version": 3', '"version": 3, "x": ' + "[" * 5000 + "]" * 5000,
        1).encode()
    out["deep-nesting-objects"] = ('{"a":' * 3000 + '1' + '}' * 3000).encode()

    # many cycles of zero length, starts in disorder, slices across cycles
    r = base()
    ev = r["events"]
    extra = []
    for k in range(200):
        extra.append({"type": "cycleStart", "startMs": 0, "durationMs": 0,
                      "success": True, "metadata": "image: c%d" % k})
        extra.append({"type": "cycleEnd", "startMs": (k * 7919) % 5,
                      "durationMs": 0, "success": k % 3 == 0,
                      "metadata": "failed: cancelled by user"})
    r["events"] = extra + ev
    out["many-empty-cycles"] = dump(r)

    # a session with nothing in it at all
    r = base()
    r["events"] = []
    r["histograms"] = {}
    r["summary"]["events"] = {}
    r["summary"]["phases"] = {}
    out["empty-session"] = dump(r)

    # slices with every field at 0, and backwards in time
    r = base()
    for p, sl in r["histograms"].items():
        for i, s in enumerate(sl):
            s[:] = [0] * 16 if i % 2 else [10 ** 9 - i] + [0] * 15
    out["zero-and-backwards-slices"] = dump(r)

    # rules given through the command line are not part of a report, but
    # metadata that looks like "key: value" pairs by the thousand is
    r = base()
    r["events"][1]["metadata"] = "; ".join("k%d: v%d" % (i, i)
                                          for i in range(3000))
    r["events"].append({"type": "writeTimingBreakdown", "startMs": 100,
                        "durationMs": 10, "success": True,
                        "metadata": ":" * 3000 + ";" * 3000})
    r["events"].append({"type": "asyncIOConfig", "startMs": 100,
                        "durationMs": 0, "success": True,
                        "metadata": "; ; :: : ;;" * 500})
    out["metadata-many-pairs"] = dump(r)
    return out


def big_cases(d):
    """Large inputs, written into d. Returns the names."""
    names = []

    def write(name, data):
        with open(os.path.join(d, name + ".json"), "wb") as f:
            f.write(data)
        names.append(name)

    raw = dump(base()).decode()
    # a million elements in arrays the loader walks
    write("million-events-not-objects",
          raw.replace('"events": [', '"events": [' + "0," * 1000000, 1)
          .encode())
    write("million-unknown-array",
          raw.replace('"version": 3',
                      '"version": 3, "extra": [' + "1," * 999999 + "1]",
                      1).encode())
    write("million-short-slices",
          raw.replace('"write": [', '"write": [' + "[1]," * 1000000, 1)
          .encode())
    write("million-format-names",
          raw.replace('"histogramSliceFormat": [',
                      '"histogramSliceFormat": [' + '"x",' * 1000000, 1)
          .encode())
    keys = ",".join('"t%d": {"count": 1, "totalMs": 1, "avgMs": 1, '
                    '"minMs": 1, "maxMs": 1}' % i for i in range(200000))
    write("many-summary-types",
          raw.replace('"events": {', '"events": {' + keys + ",", 1).encode())
    # strings at and past the 64 KiB limit
    r = base()
    r["summary"]["imageName"] = "x" * 65536
    write("string-at-limit", dump(r))
    r["summary"]["imageName"] = "x" * 65537
    write("string-above-limit", dump(r))
    r = base()
    r["events"][1]["metadata"] = "\u00e9" * 32769   # 65538 bytes
    write("string-above-limit-utf8", dump(r))
    # 2100 imaging cycles of 2^53 ms each: a timeline past 2^64 ms, with
    # bucket counts of 2^53 in every slice
    r = base()
    top = 2 ** 53
    ev = []
    for k in range(2100):
        ev.append({"type": "cycleStart", "startMs": 0, "durationMs": 0,
                   "success": True})
        ev.append({"type": "cycleEnd", "startMs": top, "durationMs": 0,
                   "success": k % 2 == 0, "metadata": "failed: card gone"})
    ev.append({"type": "cycleStart", "startMs": 0, "durationMs": 0,
               "success": True})
    ev.append({"type": "driveOpen", "startMs": 5, "durationMs": top,
               "success": False})
    ev.append({"type": "ringBufferStarvation", "startMs": 5,
               "durationMs": top, "success": True,
               "metadata": "producer_stall; buffer: write"})
    r["events"] = ev
    r["summary"]["events"] = {}
    for p in r["histograms"]:
        for s in r["histograms"][p]:
            s[4:16] = [top] * 12
        r["histograms"][p] = r["histograms"][p] * 200
    write("timeline-past-2p64", json.dumps(r, separators=(",", ":")).encode())
    # 3000 events whose durations of 2^53 ms each sum past 2^64
    r = base()
    for k in range(3000):
        r["events"].append({"type": "unknownType%d" % (k % 7),
                            "startMs": k, "durationMs": 2 ** 53,
                            "success": k % 2 == 0})
    write("durations-past-2p64", json.dumps(r).encode())
    return names


def scale_report(n_events, n_slices):
    """A valid report with n_events events of mixed types (known, many
    distinct unknown names, failed, long, stalls, recovery) and n_slices
    slices per phase, with gaps, stalls and drops."""
    r = base()
    types = ["driveOpen", "periodicSync", "cacheWrite", "networkLatency",
             "ringBufferStarvation", "deviceIOTimeout", "progressStall",
             "hashComputation", "writeRingBufferStats", "finalSync"]
    ev = [r["events"][0]]
    t = 0
    for i in range(n_events):
        k = i % 10
        e = {"startMs": t, "durationMs": (i * 37) % 5000, "success": True}
        if k < 4:
            e["type"] = "vendorEvent%d" % i          # distinct unknown names
        else:
            e["type"] = types[i % len(types)]
        if i % 7 == 0:
            e["success"] = False
            e["metadata"] = "error: failure %d" % i
        if i % 11 == 0:
            e["durationMs"] = 600000 + i               # long
        if e["type"] == "ringBufferStarvation":
            e["metadata"] = ("producer_stall: %d ms; buffer: %s" %
                             (1000 + i, "input" if i % 2 else "write"))
        if e["type"] == "hashComputation":
            e["metadata"] = "writeHash: %040x; verifyHash: %040x" % (i, i + 1)
        if e["type"] == "networkLatency":
            e["bytesTransferred"] = 1000 + i
        ev.append(e)
        t += 3
    ev.append({"type": "cycleEnd", "startMs": t + 10, "durationMs": 0,
               "success": True})
    r["events"] = ev
    for p in r["histograms"]:
        sl = []
        ts = 1000
        for i in range(n_slices):
            avg = 40000 if i % 50 else 300
            if i % 97 == 0:
                avg = 15000
            b = [0] * 12
            b[i % 12] = 5
            sl.append([ts, avg // 2, avg * 2, avg] + b)
            ts += 1000 if i % 500 else 9000                  # gaps
        r["histograms"][p] = sl
    r["summary"]["durationMs"] = max(t + 10, ts)
    return json.dumps(r, separators=(",", ":")).encode()


def gaps_report(n):
    """Version 2: n slices 40 s apart, a cacheLookup and a driveOpen in each
    gap, so that every gap starts a new inferred cycle."""
    r = base()
    r["version"] = 2
    del r["system"]
    del r["summary"]["sessionState"]
    ev, sl = [], []
    for i in range(n):
        t = i * 40000
        ev.append({"type": "cacheLookup", "startMs": t + 500,
                   "durationMs": 5, "success": True})
        ev.append({"type": "driveOpen", "startMs": t + 600, "durationMs": 5,
                   "success": True})
        sl.append([t + 1000, 100, 300, 200, 1] + [0] * 11)
    r["events"] = ev
    r["summary"]["events"] = {}
    r["histograms"] = {"write": sl}
    return json.dumps(r, separators=(",", ":")).encode()


def cycles_report(n):
    """Version 3: n slices in one run of time (no restart of the timer),
    over n / 4 cycles each a little longer than the one before, so that
    the run is split at every cycle."""
    r = base()
    ev = []
    for i in range(n // 4):
        ev.append({"type": "cycleStart", "startMs": 0, "durationMs": 0,
                   "success": True})
        ev.append({"type": "cycleEnd", "startMs": 4000 * i + 3000,
                   "durationMs": 0, "success": True})
    r["events"] = ev
    r["summary"]["events"] = {}
    r["histograms"] = {"write": [[i * 1000, 100, 300, 200, 1] + [0] * 11
                                 for i in range(n)]}
    return json.dumps(r, separators=(",", ":")).encode()


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "small":
        for name, data in small_cases().items():
            with open(os.path.join(sys.argv[2], name + ".json"), "wb") as f:
                f.write(data)
    elif len(sys.argv) >= 3 and sys.argv[1] == "big":
        print("\n".join(big_cases(sys.argv[2])))
    elif len(sys.argv) >= 4 and sys.argv[1] == "scale":
        n = int(sys.argv[3])
        m = int(sys.argv[4]) if len(sys.argv) > 4 else n // 2
        with open(sys.argv[2], "wb") as f:
            f.write(scale_report(n, m))
    elif len(sys.argv) >= 4 and sys.argv[1] in ("gaps", "cycles"):
        make = gaps_report if sys.argv[1] == "gaps" else cycles_report
        with open(sys.argv[2], "wb") as f:
            f.write(make(int(sys.argv[3])))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
