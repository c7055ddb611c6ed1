#!/usr/bin/env python3
"""Check a report page the way a reader sees it.

usage: check_report.py REPORT.html PLOT_ID [PLOT_ID ...]

Renders the page in headless Chromium and checks, for every PLOT_ID named:
- in the DOM Chromium built: the <svg data-plot=ID> exists, says it drew data
  (data-points > 0) and holds that many marks of class "data";
- on screen: the plot, rendered alone at its own size, has pixels of the data
  colours inside its frame (a plot whose marks are missing, empty or drawn
  outside the frame fails).
Also that the page is self-contained: no <script>, no external URL.
Exit 0 when every check passes; prints one line per plot.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib
from html.parser import HTMLParser

CHROME = os.environ.get("CHROMIUM", "chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-dev-shm-usage"]
DATA_COLOURS = [(0x1f, 0x5f, 0xa8), (0xd1, 0x49, 0x5b), (0x2a, 0x9d, 0x62), (0xe6, 0x9b, 0x00),
                (0x7b, 0x4e, 0xa3), (0x00, 0x83, 0x8f), (0x6d, 0x4c, 0x41), (0x5c, 0x6b, 0x73)]


def chromium(args, timeout=90):
    r = subprocess.run([CHROME] + FLAGS + args, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout


def png_pixels(path):
    """Decode an 8-bit RGB/RGBA non-interlaced PNG: (width, height, rows of (r,g,b))."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, lace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and lace == 0, "unsupported PNG"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


class Plots(HTMLParser):
    def __init__(self):
        super().__init__()
        self.plots, self.cur, self.depth, self.scripts, self.external = {}, None, 0, 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for k in ("src", "href"):
            if a.get(k, "").startswith(("http:", "https:", "//")):
                self.external.append(a[k])
        if tag == "svg" and "data-plot" in a:
            self.cur = a["data-plot"]
            self.plots[self.cur] = {"points": int(a.get("data-points", "0")), "marks": 0,
                                    "text": []}
        elif self.cur and "data" in a.get("class", "").split():
            self.plots[self.cur]["marks"] += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.cur = None


def main():
    page, want = sys.argv[1], sys.argv[2:]
    html = open(page, encoding="utf-8").read()
    rc, dom = chromium(["--dump-dom", "file://" + os.path.abspath(page)])
    if rc != 0 or "<svg" not in dom:
        print(f"FAIL: chromium could not render {page} (exit {rc})")
        return 1
    p = Plots()
    p.feed(dom)
    bad = 0
    if p.scripts or p.external:
        print(f"FAIL: page not self-contained: {p.scripts} scripts, external {p.external[:3]}")
        bad += 1
    svgs = {m.group(2): m.group(1)
            for m in re.finditer(r'(<svg[^>]*data-plot="([^"]+)".*?</svg>)', html, re.S)}
    with tempfile.TemporaryDirectory() as tmp:
        for pid in want:
            info = p.plots.get(pid)
            if not info:
                print(f"FAIL {pid}: no such plot in the rendered DOM")
                bad += 1
                continue
            if info["points"] <= 0 or info["marks"] != info["points"]:
                print(f"FAIL {pid}: data-points {info['points']}, data marks {info['marks']}")
                bad += 1
                continue
            one = os.path.join(tmp, pid + ".html")
            with open(one, "w", encoding="utf-8") as f:
                f.write("<!DOCTYPE html><html><body style='margin:0'>" + svgs[pid] + "</body></html>")
            shot = os.path.join(tmp, pid + ".png")
            rc, _ = chromium(["--window-size=760,300", "--screenshot=" + shot, "file://" + one])
            if rc != 0 or not os.path.exists(shot):
                print(f"FAIL {pid}: no screenshot")
                bad += 1
                continue
            w, h, rows = png_pixels(shot)
            # inside the frame: x 78..744, y 34..236 (svg.c's margins)
            coloured = sum(1 for y in range(36, min(h, 235)) for x in range(80, min(w, 742))
                           if any(abs(rows[y][x][0] - c[0]) + abs(rows[y][x][1] - c[1]) +
                                  abs(rows[y][x][2] - c[2]) < 40 for c in DATA_COLOURS))
            ok = coloured >= 20
            bad += 0 if ok else 1
            print(f"{'ok  ' if ok else 'FAIL'} {pid}: {info['marks']} data marks in the DOM, "
                  f"{coloured} data-coloured pixels inside the frame")
    print(f"report check: {len(want)} plots asked for, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
