#!/usr/bin/python3
"""Writes the reports users actually attach, made from the Imager's own
writer traces (tests/data/reference/upstream-writer/*.trace.jsonl):

* exported mid-write: each version 3 run that wrote to the end, cut at 15,
  50 and 85 % of its write (every call after that time dropped, an
  exportToFile put at the cut), and once in the middle of its verify; for
  several imaging cycles, the write of each cycle;
* the finished run without the late pipeline summaries (as after a write
  error, or an export before the extraction thread ended);
* writes that hung, as the Imager's progress watchdog records them
  (src/writeprogresswatchdog.cpp and src/imagewriter.cpp of
  raspberrypi/rpi-imager): the healthy run with its card stopping at the
  first write or at 40 % of it; the watchdog reduces the queue depth at
  30 s, drains and hot-swaps to synchronous writes at 60 s (and the write
  goes on, or the drain times out), records a progressStall every second
  from 90 s, and restarts at 120 s or gives up at 180 s.

Each trace is replayed through build/trace-replay, which writes exactly
the report the Imager writes for those calls.

    make_exports.py OUTDIR [BUILD]

tests/cli/test_exports.sh runs it into a temporary directory and compares
the result with the committed files byte for byte.
"""
import json
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
REF = os.path.join(TOP, "tests", "data", "reference", "upstream-writer")

# the runs that wrote to the end, and for several cycles which ones
FINISHED = ["healthy", "io-bound", "cpu-bound", "network-starved", "stalls",
            "cap", "long-customisation", "windows-slow-prepare", "multi-cycle"]
CUTS = [15, 50, 85]
LATE_SUMMARIES = {"pipelineDecompressionTime", "pipelineRingBufferWaitTime",
                  "writeRingBufferStats", "writeTimingBreakdown",
                  "writeSizeDistribution", "writeAfterSyncImpact"}
HARD_TIMEOUT_MSG = ("Write stalled - no progress for 180 seconds.\n\n"
                    "Please check your storage device and try again.")


def read_trace(name):
    with open(os.path.join(REF, "v3-%s.trace.jsonl" % name), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def dump(calls):
    return "".join(json.dumps(c, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False) + "\n" for c in calls)


def cycles(calls):
    """(start index, end index) of each session's calls, end exclusive."""
    starts = [i for i, c in enumerate(calls) if c["call"] == "startSession"]
    bounds = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(calls)
        bounds.append((s, e))
    return bounds


def phase_times(calls, lo, hi, call):
    ts = [c["t"] for c in calls[lo:hi] if c["call"] == call]
    return (ts[0], ts[-1]) if ts else None


def cut_at(calls, t):
    kept = [c for c in calls if c["call"] != "exportToFile" and c["t"] <= t]
    return kept + [{"call": "exportToFile", "t": t}]


def without_late_summaries(calls):
    ended = False
    out = []
    for c in calls:
        if c["call"] == "endSession":
            ended = True
        if ended and c.get("type") in LATE_SUMMARIES:
            continue
        out.append(c)
    return out


def event(t, kind, duration, success, metadata):
    return {"call": "recordEvent", "durationMs": duration, "metadata": metadata,
            "success": success, "t": t, "type": kind}


def freeze_index(calls, frac):
    """Index of the last write progress call at frac of the first write."""
    lo, hi = cycles(calls)[0]
    w = phase_times(calls, lo, hi, "recordWriteProgress")
    t = w[0] + int((w[1] - w[0]) * frac)
    return max(i for i, c in enumerate(calls)
               if c["call"] == "recordWriteProgress" and c["t"] <= t)


def hang(calls, frac, outcome):
    """The healthy run, its card stopping at frac of the write: the
    download and decompression fill their buffers and wait, and the
    progress watchdog (one check a second) takes over."""
    i = freeze_index(calls, frac)
    stop = calls[i]["t"]
    out = calls[:i + 1]
    # the buffers fill for a few seconds more: the download and the
    # decompressor still report some progress, the card none
    out += [c for c in calls[i + 1:]
            if c["call"] in ("recordDownloadProgress", "recordDecompressProgress")
            and c["t"] <= stop + 2500]

    def at(sec):
        return stop + sec * 1000

    out.append(event(at(30), "queueDepthReduction", 0, True,
                     "depth=16->8; pending=16"))
    if outcome == "hotswap":
        # the drain completes the pending writes and the write goes on in
        # synchronous mode: everything after the stop comes 62.5 s later
        out.append(event(at(60) + 2400, "drainAndHotSwap", 2400, True,
                         "pending=8"))
        out.append(event(at(60) + 2401, "watchdogRecovery", 0, True,
                         "action=hotSwap; Switched to compatibility mode - "
                         "write continuing..."))
        shift = at(60) + 2500 - stop
        for c in calls[i + 1:]:
            d = dict(c)
            d["t"] = c["t"] + shift
            if "startMs" in d:
                d["startMs"] = c["startMs"] + shift
            out.append(d)
        return out
    out.append(event(at(90), "drainAndHotSwap", 30000, False, "pending=8"))
    last = 180 if outcome == "hardtimeout" else 119
    for sec in range(90, last + 1):
        out.append(event(at(sec) + 5, "progressStall", sec * 1000, True,
                         "pending=8"))
    if outcome == "restart":
        msg = ("Storage device not responding. "
               "Restarting in compatibility mode...")
        out.append(event(at(120) + 5, "watchdogRecovery", 0, False,
                         "action=restart; " + msg))
        out.append({"call": "endSession", "success": False,
                    "errorMessage": msg, "t": at(120) + 60})
        out.append({"call": "exportToFile", "t": at(120) + 4000})
        return out
    out.append(event(at(180) + 6, "watchdogRecovery", 0, False,
                     "action=hardTimeout; " + HARD_TIMEOUT_MSG))
    out.append({"call": "endSession", "success": False,
                "errorMessage": HARD_TIMEOUT_MSG, "t": at(180) + 20})
    out.append(event(at(180) + 140, "deviceClose", 95, True, ""))
    out.append({"call": "exportToFile", "t": at(180) + 6000})
    return out


def exports():
    """(name, calls) of every report to write."""
    for name in FINISHED:
        calls = read_trace(name)
        meta = calls[0]
        bounds = cycles(calls)
        for k, (lo, hi) in enumerate(bounds):
            prefix = "v3-%s" % name
            if len(bounds) > 1:
                prefix += "-cycle%d" % (k + 1)
            w = phase_times(calls, lo, hi, "recordWriteProgress")
            v = phase_times(calls, lo, hi, "recordVerifyProgress")
            for pct in CUTS:
                t = w[0] + (w[1] - w[0]) * pct // 100
                yield "%s-write%d" % (prefix, pct), cut_at(calls, t)
            if v:
                yield "%s-verify" % prefix, cut_at(calls, (v[0] + v[1]) // 2)
        assert calls[0] is meta
        yield "v3-%s-no-summaries" % name, without_late_summaries(calls)
    healthy = read_trace("healthy")
    yield "v3-hang-at-0-hard-timeout", hang(healthy, 0.0, "hardtimeout")
    yield "v3-hang-hard-timeout", hang(healthy, 0.4, "hardtimeout")
    yield "v3-hang-restart", hang(healthy, 0.4, "restart")
    yield "v3-hang-hotswap", hang(healthy, 0.4, "hotswap")


def main():
    if len(sys.argv) not in (2, 3):
        sys.stderr.write("usage: make_exports.py OUTDIR [BUILD]\n")
        return 2
    out = sys.argv[1]
    build = sys.argv[2] if len(sys.argv) == 3 else os.path.join(TOP, "build")
    replay = os.path.join(build, "trace-replay")
    os.makedirs(out, exist_ok=True)
    for name, calls in exports():
        trace = os.path.join(out, name + ".trace.jsonl")
        with open(trace, "w", encoding="utf-8") as f:
            f.write(dump(calls))
        with open(os.path.join(out, name + ".json"), "wb") as f:
            subprocess.run([replay, trace], stdout=f, check=True)
        os.unlink(trace)
    return 0


if __name__ == "__main__":
    sys.exit(main())
