#!/usr/bin/python3
"""Writes a large synthetic performance report for the load benchmark.

    gen_load_report.py SIZE_MB OUT

The report is version 3 in the Imager's own layout (Qt's indented JSON:
4-space indent, one array element per line, keys in alphabetical order,
a trailing newline), with many events and histogram slices, so that it is
about SIZE_MB megabytes (10^6 bytes). The output depends only on SIZE_MB:
the numbers come from a fixed linear congruential sequence.
"""
import sys

SLICE_FORMAT = [
    "timestampMs", "minKBps", "maxKBps", "avgKBps",
    "bucket_0-1MB", "bucket_1-2MB", "bucket_2-4MB", "bucket_4-8MB",
    "bucket_8-16MB", "bucket_16-32MB", "bucket_32-64MB", "bucket_64-128MB",
    "bucket_128-256MB", "bucket_256-512MB", "bucket_512-1024MB",
    "bucket_1024+MB",
]
EVENT_TYPES = ["ringBufferStarvation", "periodicSync", "driveListPoll",
               "networkLatency", "cacheWrite", "hashComputation"]
PHASES = ["decompress", "download", "verify", "write"]


class Lcg:
    """Deterministic numbers, the same on every machine and Python."""

    def __init__(self, seed):
        self.x = seed

    def next(self, n):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.x >> 33) % n


def slice_text(rng, t):
    lo = 20000 + rng.next(20000)
    hi = lo + rng.next(9000)
    avg = (lo + hi) // 2
    buckets = [0] * 12
    buckets[6 + rng.next(2)] = 3 + rng.next(6)
    values = [t, lo, hi, avg] + buckets
    return ("            [\n" +
            ",\n".join("                %d" % v for v in values) +
            "\n            ]")


def event_text(rng, i):
    kind = EVENT_TYPES[i % len(EVENT_TYPES)]
    start = i * 97 + rng.next(90)
    duration = 20 + rng.next(2000)
    lines = ["        {"]
    if i % 3 == 0:
        lines.append('            "bytesTransferred": %d,' % (1048576 + rng.next(1 << 30)))
    lines.append('            "durationMs": %d,' % duration)
    lines.append('            "metadata": "buffer: write; type: producer_stall; duration_ms: %d",' % duration)
    lines.append('            "startMs": %d,' % start)
    lines.append('            "success": true,')
    if i % 3 == 0:
        lines.append('            "throughputKBps": %d,' % (1000 + rng.next(50000)))
    lines.append('            "type": "%s"' % kind)
    lines.append("        }")
    return "\n".join(lines)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: gen_load_report.py SIZE_MB OUT\n")
        return 2
    target = int(float(sys.argv[1]) * 1000000)
    rng = Lcg(20251201)
    # about 4 % of the bytes in events, the rest in slices (~350 bytes each)
    n_events = max(10, target // 25 // 300)
    n_slices = max(4, (target - n_events * 300) // 348 // len(PHASES))
    out = []
    out.append("{\n")
    out.append('    "events": [\n')
    out.append(",\n".join(event_text(rng, i) for i in range(n_events)))
    out.append("\n    ],\n")
    out.append('    "exportTime": "2025-12-01T10:00:00",\n')
    out.append('    "histograms": {\n')
    phases = []
    for p in PHASES:
        slices = ",\n".join(slice_text(rng, 1000 * (k + 1)) for k in range(n_slices))
        phases.append('        "%s": [\n%s\n        ]' % (p, slices))
    out.append(",\n".join(phases))
    out.append("\n    },\n")
    out.append('    "schema": {\n        "histogramSliceFormat": [\n')
    out.append(",\n".join('            "%s"' % n for n in SLICE_FORMAT))
    out.append("\n        ],\n")
    out.append('        "histogramWindowMs": 1000,\n')
    out.append('        "throughputUnit": "KB/s"\n    },\n')
    out.append('    "summary": {\n')
    out.append('        "deviceName": "/dev/sdb",\n')
    out.append('        "durationMs": %d,\n' % (n_slices * 1000))
    out.append('        "events": {\n')
    per_type = []
    for k, kind in enumerate(sorted(EVENT_TYPES)):
        per_type.append(
            '            "%s": {\n'
            '                "avgMs": 1000,\n'
            '                "count": %d,\n'
            '                "maxMs": 2019,\n'
            '                "minMs": 20,\n'
            '                "totalMs": %d\n'
            '            }' % (kind, n_events // len(EVENT_TYPES), 1000 * (n_events // len(EVENT_TYPES))))
    out.append(",\n".join(per_type))
    out.append("\n        },\n")
    out.append('        "imageName": "Synthetic benchmark image",\n')
    out.append('        "imageSize": 68719476736,\n')
    out.append('        "phases": {\n')
    phase_sums = []
    for p in PHASES:
        phase_sums.append(
            '            "%s": {\n'
            '                "avgThroughputKBps": 30000,\n'
            '                "bytesTotal": 68719476736,\n'
            '                "durationMs": %d,\n'
            '                "maxThroughputKBps": 49000,\n'
            '                "minThroughputKBps": 20000,\n'
            '                "sampleCount": 6000\n'
            '            }' % (p, n_slices * 1000))
    out.append(",\n".join(phase_sums))
    out.append("\n        },\n")
    out.append('        "sessionEndTime": %d,\n' % (1764579600000 + n_slices * 1000))
    out.append('        "sessionStartTime": 1764579600000,\n')
    out.append('        "sessionState": "succeeded",\n')
    out.append('        "success": true\n')
    out.append("    },\n")
    out.append('    "version": 3\n')
    out.append("}\n")
    with open(sys.argv[2], "w", encoding="ascii", newline="\n") as f:
        f.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
