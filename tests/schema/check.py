#!/usr/bin/python3
"""Checks schema/perf-report.schema.json against the reports rpiperf knows.

* Every report that must be valid (samples/*.json, the reference
  reports of tests/data/reference, tests/data/warn/*.json) must pass the schema.
* Every file of tests/data/invalid/ whose .expect says "schema: reject" must
  fail it, and, when the .expect names a JSON path, fail it at that path (so
  the schema rejects the file for the reason rpiperf does). A file Python's
  json module cannot read (syntax errors, invalid UTF-8, NaN) counts as
  rejected. "schema: n/a" marks problems JSON Schema cannot express
  (duplicate keys, raw control characters, nesting depth...).

Prints one "ok - ..." or "not ok - ..." line per file and exits 1 if any
check failed. Run from anywhere; paths are relative to the repository.
"""
import glob
import json
import os
import sys

import jsonschema

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA = os.path.join(TOP, "schema", "perf-report.schema.json")
REFERENCE = os.path.join(TOP, "tests", "data", "reference")

failures = 0


def ok(msg):
    print("ok - " + msg)


def not_ok(msg):
    global failures
    failures += 1
    print("not ok - " + msg)


def rel(path):
    return os.path.relpath(path, TOP)


def no_constant(name):
    raise ValueError("%s is not JSON" % name)


def read_json(path):
    """The parsed document, or raises ValueError when it is not JSON."""
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")      # strict: no surrogates, no overlongs
        return json.loads(text, parse_constant=no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise ValueError(str(e).splitlines()[0]) from None


def read_expect(path):
    exp = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            key, sep, value = line.partition(": ")
            if not sep:
                raise ValueError("bad line %r" % line)
            exp[key.strip()] = value
    return exp


def describe(err):
    return "%s: %s" % (err.json_path, err.message[:120])


def must_pass(validator, path):
    name = rel(path)
    try:
        doc = read_json(path)
    except ValueError as e:
        not_ok("%s is not JSON: %s" % (name, e))
        return
    errors = list(validator.iter_errors(doc))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        not_ok("schema rejects valid %s (%s)" % (name, describe(best)))
    else:
        ok("schema accepts " + name)


def at_path(err, want_path):
    """Whether err is about the place rpiperf names. A "const" (the slice
    format) fails as a whole, so it may sit above the element rpiperf
    names."""
    if not want_path or err.json_path == want_path:
        return True
    return err.validator == "const" and want_path.startswith(err.json_path + "[")


def must_fail(validator, path, want_path):
    name = rel(path)
    try:
        doc = read_json(path)
    except ValueError as e:
        ok("%s rejected: not JSON for Python either (%s)" % (name, e))
        return
    errors = list(validator.iter_errors(doc))
    if not errors:
        not_ok("schema accepts %s, which rpiperf rejects" % name)
        return
    if want_path and not any(at_path(e, want_path) for e in errors):
        not_ok("schema rejects %s, but not at %s (%s)" %
               (name, want_path, "; ".join(describe(e) for e in errors[:3])))
        return
    ok("schema rejects %s (%s)" % (name, describe(
        next((e for e in errors if at_path(e, want_path)), errors[0]))))


def corpus(validator, directory, default):
    files = sorted(glob.glob(os.path.join(TOP, "tests", "data", directory, "*.json")))
    if not files:
        not_ok("no files in tests/data/%s" % directory)
    for path in files:
        try:
            exp = read_expect(path[:-5] + ".expect")
        except (OSError, ValueError) as e:
            not_ok("%s: no usable .expect (%s)" % (rel(path), e))
            continue
        mode = exp.get("schema", default)
        if mode == "reject":
            must_fail(validator, path, exp.get("path"))
        elif mode == "accept":
            must_pass(validator, path)
        elif mode == "n/a":
            print("# skip %s: JSON Schema cannot express this" % rel(path))
        else:
            not_ok("%s: schema: %r is not reject, accept or n/a" % (rel(path), mode))


def main():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        not_ok("the schema itself is not valid draft 2020-12: %s" % e.message)
        return 1
    ok("the schema is valid draft 2020-12")
    validator = jsonschema.Draft202012Validator(schema)

    for path in sorted(glob.glob(os.path.join(TOP, "samples", "*.json"))):
        must_pass(validator, path)
    reference = sorted(glob.glob(os.path.join(REFERENCE, "upstream-writer", "*.json")) +
                       glob.glob(os.path.join(REFERENCE, "examples", "*.json")))
    if len(reference) < 26:
        not_ok("expected the 26 reference reports, found %d" % len(reference))
    for path in reference:
        must_pass(validator, path)
    corpus(validator, "warn", "accept")
    corpus(validator, "invalid", "reject")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
