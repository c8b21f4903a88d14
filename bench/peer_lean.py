#!/usr/bin/env python3
"""The lean Python peer, for the corpus-shape benchmark (issue 19; bench/shapes.py runs it).

What it measures: the least a Python user would write to count who-visited-what candidates
in real corpus shapes, so that visitgraph's whole-process wall time is compared with a peer
that is as fast as plain Python + C extensions get, not a straw man. Per page:

  - read it: a folder of `*.txt` / `*.html` / `*.htm` pages (HTML tags stripped crudely with
    a regex, entities unescaped), or JSON Lines files (`{"id": …, "text": …}` per line),
    plain or gzip-compressed (`.jsonl.gz`, detected by the magic bytes like the binary);
  - OpenCC t2s over the whole page and pinyin annotations stripped with bench/peer.py's
    regex (visitgraph does both: the real pages of the seeds mix traditional script and
    `調(diào)研` annotations, which hide names and cue words). Unlike bench/peer.py it does not
    fold full-width ASCII (a `str.translate` at about 40 MB/s, a sixth of this peer's time,
    that changes no match on the seeds: Chinese names and cues have no ASCII, and the
    sentence split takes both widths);
  - ONE pyahocorasick pass (leftmost-longest, `iter_long`) per page over the simplified text,
    with the dictionary names bench/peer.py loads (the shipped dictionaries/, which the
    binary compiles in, plus any --dict layers);
  - cue words (the `visit` and `arrive` words of triggers.tsv) checked per sentence, and
    only in sentences holding both an official and an organization: each official is paired
    with each organization of such a sentence.

bench/peer.py, the older peer, runs the automaton once per sentence (about 9 MB/s); this one
runs it once per page. Prints one JSON line: documents, bytes (UTF-8 bytes of the page texts,
as visitgraph counts them), hits (names matched), cue_sentences, edges (distinct official ->
organization pairs), evidence (sentence-level pairs), and timings. The figure the benchmark
compares is the whole process's wall time, taken from outside (Python start-up, imports and
the automaton build included, as the binary's dictionary load is).

    python bench/peer_lean.py [--dict DIR] [--no-builtin] FOLDER | FILE.jsonl[.gz] ...
"""

import argparse
import collections
import gzip
import html
import json
import os
import re
import sys
import time

import opencc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import PINYIN, REPO, SENT, build  # noqa: E402  (the same names and cue words)

TAG = re.compile(r"<(script|style|head)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
BLOCK = re.compile(r"</?(p|div|br|li|h[1-6]|tr|title)\b", re.I)


def strip_html(page):
    """The text of an HTML page, crudely: block tags become line breaks, `<head>`, scripts,
    styles, comments and other tags go."""
    return html.unescape(TAG.sub("", BLOCK.sub(lambda m: "\n" + m.group(0), page)))


def open_maybe_gz(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def pages(inputs):
    """Page texts: every *.txt / *.html / *.htm of a folder (sorted, recursively), or the
    `text` of every JSON Lines record of a file."""
    for inp in inputs:
        if os.path.isdir(inp):
            files = []
            for root, _, names in os.walk(inp):
                files.extend(os.path.join(root, n) for n in names)
            for p in sorted(files):
                ext = p.rsplit(".", 1)[-1].lower()
                if ext not in ("txt", "html", "htm"):
                    continue
                with open(p, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                yield strip_html(text) if ext != "txt" else text
        else:
            with open_maybe_gz(inp) as f:
                for line in f:
                    if line.strip():
                        yield json.loads(line)["text"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dict", action="append", default=[], help="dictionary layer (repeatable)")
    ap.add_argument("--no-builtin", action="store_true", help="do not start from the shipped dictionaries/")
    ap.add_argument("--triggers", default=os.path.join(REPO, "dictionaries", "triggers.tsv"))
    ap.add_argument("inputs", nargs="+", help="folders of .txt/.html pages, or .jsonl / .jsonl.gz files")
    a = ap.parse_args()

    t0 = time.perf_counter()
    dirs = ([] if a.no_builtin else [os.path.join(REPO, "dictionaries")]) + a.dict
    auto, cue, n_ents = build(dirs, a.triggers)
    t2s = opencc.OpenCC("t2s.json")
    t1 = time.perf_counter()

    edges = collections.Counter()
    docs = nbytes = hits = cue_sentences = 0
    for text in pages(a.inputs):
        docs += 1
        nbytes += len(text.encode("utf-8"))
        s = PINYIN.sub("", t2s.convert(text))
        found = list(auto.iter_long(s))  # the one pass: (end index, (type, id))
        hits += len(found)
        if not found:
            continue
        i, n = 0, len(found)
        for m in SENT.finditer(s):
            end = m.end()
            offs, orgs = [], []
            while i < n and found[i][0] < end:
                typ, eid = found[i][1]
                if typ == "o":
                    offs.append(eid)
                elif typ == "g":
                    orgs.append(eid)
                i += 1
            if offs and orgs and cue.search(m.group(0)):
                cue_sentences += 1
                for o in offs:
                    for g in orgs:
                        edges[(o, g)] += 1
            if i == n:
                break
    t2 = time.perf_counter()
    print(json.dumps(dict(entities=n_ents, load_compile_secs=t1 - t0, scan_secs=t2 - t1, documents=docs,
                          bytes=nbytes, hits=hits, cue_sentences=cue_sentences, edges=len(edges),
                          evidence=sum(edges.values()), mb_per_s=nbytes / 1e6 / max(1e-9, t2 - t1))))


if __name__ == "__main__":
    main()
