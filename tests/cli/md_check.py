#!/usr/bin/python3
"""Checks markdown from `rpiperf analyse -f markdown` the way GitHub reads it.

    md_check.py FILE.md...

Each file is rendered with cmark-gfm (the extensions GitHub turns on:
table, autolink, strikethrough, tagfilter, tasklist) and checked:

- at most 65,536 characters (GitHub's limit for a comment);
- every table: each row of the markdown has the header's number of cells,
  and each becomes a <tr> with that many cells in the HTML;
- every <details> closes, in order, and starts with a <summary>;
- a <details> block whose <summary> says "All N ..." holds N rows, one
  that says "K of N ..." holds K (fewer than N) and says how many it left
  out;
- the HTML holds no element but those rpiperf writes (no link, image or
  script can come out of report text).

Prints one line per problem and exits 1 when there is any.
"""
import re
import subprocess
import sys

LIMIT = 65536
ALLOWED = {"h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td",
           "details", "summary", "br", "sub", "ul", "li", "strong", "em",
           "code", "blockquote"}
DELIM = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


def cells(line):
    """Cells of a markdown table row: '|' not escaped by a backslash and
    outside code spans separates them."""
    n, i, code = 0, 0, False
    s = line.strip()
    while i < len(s):
        c = s[i]
        if c == "\\" and not code:
            i += 2
            continue
        if c == "`":
            code = not code
        elif c == "|" and not code:
            n += 1
        i += 1
    return n - 1


def md_tables(text):
    """Each table as (header cells, [cells of each body row])."""
    lines = text.split("\n")
    tables, i = [], 0
    while i + 1 < len(lines):
        if lines[i].startswith("|") and DELIM.match(lines[i + 1]):
            head = cells(lines[i])
            rows = []
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                rows.append(cells(lines[j]))
                j += 1
            tables.append((head, rows))
            i = j
        else:
            i += 1
    return tables


def html_tables(html):
    """Each table as a list of cell counts per <tr>."""
    out = []
    for t in re.findall(r"<table>(.*?)</table>", html, re.S):
        out.append([len(re.findall(r"<t[hd][ >]", tr))
                    for tr in re.findall(r"<tr>(.*?)</tr>", t, re.S)])
    return out


def check(path):
    problems = []
    text = open(path, encoding="utf-8").read()
    if len(text) > LIMIT:
        problems.append("%d characters, over %d" % (len(text), LIMIT))
    html = subprocess.run(
        ["cmark-gfm", "--unsafe", "-e", "table", "-e", "autolink",
         "-e", "strikethrough", "-e", "tagfilter", "-e", "tasklist"],
        input=text.encode(), stdout=subprocess.PIPE, check=True
    ).stdout.decode()

    mt, ht = md_tables(text), html_tables(html)
    if len(mt) != len(ht):
        problems.append("%d tables in the markdown, %d in the HTML"
                        % (len(mt), len(ht)))
    for k, ((head, rows), trs) in enumerate(zip(mt, ht)):
        for r, n in enumerate(rows):
            if n != head:
                problems.append("table %d row %d: %d cells, header has %d"
                                % (k + 1, r + 1, n, head))
        if len(trs) != len(rows) + 1:
            problems.append("table %d: %d rows in the markdown, %d <tr>"
                            % (k + 1, len(rows) + 1, len(trs)))
        for r, n in enumerate(trs):
            if n != head:
                problems.append("table %d <tr> %d: %d cells, header has %d"
                                % (k + 1, r + 1, n, head))

    depth = 0
    for m in re.finditer(r"<(/?)details>(\s*<summary>)?", html):
        if m.group(1):
            depth -= 1
            if depth < 0:
                problems.append("</details> without <details>")
                depth = 0
        else:
            depth += 1
            if not m.group(2):
                problems.append("<details> without a <summary>")
    if depth:
        problems.append("%d <details> not closed" % depth)
    if html.count("<summary>") != html.count("</summary>"):
        problems.append("<summary> not closed")

    for m in re.finditer(r"<details><summary>(.*?)</summary>(.*?)</details>",
                         text, re.S):
        label, body = m.group(1), m.group(2)
        lines = body.split("\n")
        rows = max(0, len([l for l in lines if l.startswith("|")]) - 2)
        if not rows:
            rows = len([l for l in lines if l.startswith("- ")])
        a = re.match(r"All (\d+) ", label)
        k = re.match(r"(\d+) of (\d+) ", label)
        if a and rows != int(a.group(1)):
            problems.append("<summary>%s</summary> holds %d rows"
                            % (label, rows))
        if k and (rows != int(k.group(1)) or
                  int(k.group(1)) >= int(k.group(2))):
            problems.append("<summary>%s</summary> holds %d rows"
                            % (label, rows))
        if k and "%d %s left out" % (int(k.group(2)) - int(k.group(1)),
                                     label.split(" ", 3)[3]) not in body:
            problems.append("<summary>%s</summary>: no note of what was "
                            "left out" % label)

    for tag in sorted(set(t.lower() for t in
                          re.findall(r"<([A-Za-z][A-Za-z0-9]*)", html))):
        if tag not in ALLOWED:
            problems.append("element <%s> in the HTML" % tag)
    return problems


def main():
    bad = 0
    for path in sys.argv[1:]:
        for p in check(path):
            print("%s: %s" % (path, p))
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
