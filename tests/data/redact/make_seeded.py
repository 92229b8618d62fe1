#!/usr/bin/python3
"""Writes seeded.json: a real version 3 report (the Imager's own writer,
tests/data/reference/upstream-writer/v3-failed.json) with an identifying
string of each kind planted in its summary, system block and event
metadata, for tests/cli/test_redact.sh. secrets.txt lists the strings that
no output made with --redact may contain.

    make_seeded.py DIR
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "reference", "upstream-writer",
                      "v3-failed.json")

# (kind, the string planted, where)
SECRETS = [
    ("home directory", "alicerpp", "error message, cacheLookup metadata"),
    ("home directory", "bobrpp", "imageDecompressInit metadata (macOS)"),
    ("home directory", "CarolRpp", "networkRetry metadata (Windows)"),
    ("host name", "nas-dave", "a URL in sublistFetch metadata"),
    ("host name", "erin-example", "a URL in osListFetch metadata"),
    ("host name", "FILESRV-FRANK", "a UNC path in imageExtraction metadata"),
    ("host name", "192.168.77.31", "an address in networkRetry metadata"),
    ("host name", "grace-pi", "hostname: in customisation metadata"),
    ("host name", "laptop-mallory", "a .lan name in the OS version"),
    ("user name", "heidirpp", "username: in customisation metadata"),
    ("serial", "AA1234ZZ9876QQ", "serial: in driveOpen metadata"),
    ("serial", "XK12CD34EF56", "inside the target's description"),
    ("description", "IvanSeed", "the target's description"),
    ("description", "Kingston", "the target's description"),
    ("device path", "JudyStick", "device name and target path"),
    ("device path", "J4K9Q2W8E1", "device name and target path"),
    ("image name", "KarlsCustomImage", "image name"),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    with open(SOURCE) as f:
        r = json.load(f)
    dev = "/dev/disk/by-id/usb-JudyStick_J4K9Q2W8E1-0:0"
    s = r["summary"]
    s["imageName"] = "KarlsCustomImage 2024 (64-bit)"
    s["deviceName"] = dev
    s["errorMessage"] = ("Write stalled - no progress for 180 seconds.\n\n"
                         "Could not write /home/alicerpp/.cache/"
                         "Raspberry Pi/Imager/lastdownload.cache")
    sysb = r["system"]
    sysb["targetDevice"]["path"] = dev
    sysb["targetDevice"]["description"] = ("Kingston DataTraveler IvanSeed "
                                           "SN XK12CD34EF56")
    sysb["platform"]["osVersion"] = "24.04 (laptop-mallory.lan)"
    meta = {
        "cacheLookup": "miss; file: /home/alicerpp/.cache/Raspberry Pi/"
                       "Imager/lastdownload.cache",
        "osListFetch": "https://mirror.erin-example.net/os_list.json",
        "sublistFetch": "http://nas-dave.local:8080/images/sublist.json",
        "driveOpen": "direct_io: yes; platform: Linux; serial: "
                     "AA1234ZZ9876QQ",
    }
    for e in r["events"]:
        if e["type"] in meta:
            e["metadata"] = meta[e["type"]]
        if e["type"] == "cycleStart":
            e["metadata"] = ("image: KarlsCustomImage 2024 (64-bit); "
                             "device: " + dev + "; size: 5905580032")
        if e["type"] == "cycleEnd":
            e["metadata"] = "failed: " + s["errorMessage"]
    t = r["events"][-1]["startMs"]
    added = [
        ("imageDecompressInit", "source: /Users/bobrpp/Downloads/custom.img.xz"),
        ("imageExtraction", "\\\\FILESRV-FRANK\\images\\custom.zip"),
        ("networkRetry", "error: Failed to connect to 192.168.77.31 port "
                         "8080; temp: C:\\Users\\CarolRpp\\AppData\\Local\\"
                         "Temp\\rpi.tmp; offset: 146 MB"),
        ("customisation", "hostname: grace-pi; username: heidirpp; "
                          "ssh: key-auth; wifi: set"),
    ]
    for typ, m in added:
        r["events"].append({"type": typ, "startMs": t, "durationMs": 12,
                            "success": typ != "networkRetry",
                            "metadata": m})
        ev = s["events"].setdefault(typ, {"count": 0, "totalMs": 0,
                                          "avgMs": 0, "minMs": 12,
                                          "maxMs": 12})
        ev["count"] += 1
        ev["totalMs"] += 12
        ev["avgMs"] = ev["totalMs"] // ev["count"]
    with open(os.path.join(out, "seeded.json"), "w") as f:
        json.dump(r, f, indent=4, sort_keys=True)
        f.write("\n")
    with open(os.path.join(out, "secrets.txt"), "w") as f:
        for kind, secret, where in SECRETS:
            f.write(secret + "\n")


if __name__ == "__main__":
    main()
