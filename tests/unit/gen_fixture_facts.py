#!/usr/bin/python3
"""Prints the fixture_facts table of tests/unit/test_load.c for the reference
reports, read with Python's json module (independently of rpiperf's loader).

    python3 tests/unit/gen_fixture_facts.py > /tmp/facts.inc

Paste the output over the table when a reference report changes.
"""
import glob
import json
import os

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PHASES = ("download", "decompress", "write", "verify")


def cstr(s):
    if s is None:
        return "NULL"
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def facts(rel):
    with open(os.path.join(TOP, rel), encoding="utf-8") as f:
        r = json.load(f)
    ev = r["events"]
    s = r["summary"]
    lines = []
    lines.append('    { "%s", %d, %d, "%s", "%s", %dull, %dull, %d,' % (
        rel, r["version"], len(ev), ev[0]["type"], ev[-1]["type"],
        sum(e["startMs"] for e in ev), sum(e["durationMs"] for e in ev),
        sum(1 for e in ev if "metadata" in e)))
    lines.append('      %s, %s, %dull, %dull, %d, %s, %s, %d,' % (
        cstr(s["imageName"]), cstr(s["deviceName"]), s["imageSize"],
        s["durationMs"], 1 if s["success"] else 0,
        cstr(s.get("sessionState")), cstr(s.get("errorMessage")),
        len(s["events"])))
    hist = []
    for p in PHASES:
        h = r["histograms"].get(p)
        if h is None:
            hist.append("{ false, 0, 0, 0, 0, 0, 0 }")
        elif not h:
            hist.append("{ true, 0, 0, 0, 0, 0, 0ull }")
        else:
            hist.append("{ true, %d, %d, %d, %d, %d, %dull }" % (
                len(h), h[0][0], h[0][3], h[-1][0], h[-1][3],
                sum(sum(sl) for sl in h)))
    lines.append("      { " + ",\n        ".join(hist) + " },")
    ph = []
    for p in PHASES:
        x = s["phases"].get(p)
        if x is None:
            ph.append("{ false, 0, 0, 0 }")
        else:
            ph.append("{ true, %d, %d, %d }" % (
                len(x), x.get("sampleCount", 0), x.get("bytesTotal", 0)))
    lines.append("      { " + ",\n        ".join(ph) + " },")
    sysb = r.get("system")
    cores = sysb.get("platform", {}).get("cpuCores", 0) if sysb else 0
    lines.append("      %s, %d }," % ("true" if sysb else "false", cores))
    return "\n".join(lines)


def main():
    files = sorted(glob.glob(os.path.join(TOP, "tests/data/reference/upstream-writer/*.json")))
    files += sorted(glob.glob(os.path.join(TOP, "tests/data/reference/examples/*.json")))
    for path in files:
        print(facts(os.path.relpath(path, TOP)))


if __name__ == "__main__":
    main()
