#!/usr/bin/env python3
"""The Python peer: the same job done the way a Python user would, for the benchmark.

For each page of the JSON Lines inputs: OpenCC t2s, pinyin annotations stripped with a
regex, one pyahocorasick automaton (leftmost-longest) over every official, organization and
place name and alias of the dictionary, sentences split on 。！？；and line breaks, and in
every sentence holding a visit cue (the `visit` and `arrive` words of triggers.tsv) each
official paired with each organization of that sentence. Prints one JSON line: edges
(distinct official -> organization pairs), evidence (sentence-level pairs), entity hits,
timings, MB/s and documents/s (over the page text bytes, as visitgraph counts them).

    python bench/peer.py --dict DIR [--no-builtin] [--triggers dictionaries/triggers.tsv] SHARD.jsonl...

With --pairs FILE (the corpus generator's pairs.tsv) it also reports recall of the planted
visits.
"""

import argparse
import collections
import json
import os
import re
import sys
import time

import ahocorasick
import opencc

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)")
SENT = re.compile(r"[^。！？!?；;\n]+")
FULL = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})


def read_tsv(path):
    rows, header = [], None
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            rows.append(cells)
    return rows


def build(dict_dirs, triggers):
    """The automaton: simplified name -> (type, id). The later layer wins for the same id."""
    ents = {}
    for d in dict_dirs:
        for fname, typ in (("officials.tsv", "o"), ("organizations.tsv", "g"), ("places.tsv", "p")):
            p = os.path.join(d, fname)
            if not os.path.exists(p):
                continue
            for row in read_tsv(p):
                if len(row) < 2:
                    continue
                names = [row[1]] + ([x for x in row[2].split("|") if x] if len(row) > 2 else [])
                ents[row[0]] = (typ, names)
    a = ahocorasick.Automaton()
    for eid, (typ, names) in ents.items():
        for n in names:
            if len(n) >= 2:
                a.add_word(n, (typ, eid))
    a.make_automaton()
    cues = [r[0] for r in read_tsv(triggers) if len(r) > 1 and r[1] in ("visit", "arrive")]
    cue = re.compile("|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)))
    return a, cue, len(ents)


def records(paths):
    for p in paths:
        with open(p, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dict", action="append", default=[], help="dictionary layer (repeatable)")
    ap.add_argument("--no-builtin", action="store_true", help="do not start from the shipped dictionaries/")
    ap.add_argument("--triggers", default=os.path.join(REPO, "dictionaries", "triggers.tsv"))
    ap.add_argument("--pairs", help="pairs.tsv of the corpus generator: report recall")
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()

    t0 = time.perf_counter()
    dirs = ([] if a.no_builtin else [os.path.join(REPO, "dictionaries")]) + a.dict
    auto, cue, n_ents = build(dirs, a.triggers)
    t2s = opencc.OpenCC("t2s.json")
    t1 = time.perf_counter()

    edges = collections.Counter()
    docs = nbytes = hits = 0
    for rec in records(a.inputs):
        text = rec["text"]
        docs += 1
        nbytes += len(text.encode("utf-8"))
        s = PINYIN.sub("", t2s.convert(text)).translate(FULL)
        for m in SENT.finditer(s):
            sent = m.group(0)
            found = list(auto.iter_long(sent))
            hits += len(found)
            if not found or not cue.search(sent):
                continue
            offs = [v[1] for _, v in found if v[0] == "o"]
            orgs = [v[1] for _, v in found if v[0] == "g"]
            for o in offs:
                for g in orgs:
                    edges[(o, g)] += 1
    t2 = time.perf_counter()
    secs = t2 - t1
    out = dict(entities=n_ents, load_compile_secs=t1 - t0, scan_secs=secs, documents=docs, bytes=nbytes,
               hits=hits, edges=len(edges), evidence=sum(edges.values()),
               mb_per_s=nbytes / 1e6 / secs, documents_per_s=docs / secs,
               mb_per_s_with_load=nbytes / 1e6 / (t2 - t0))
    if a.pairs:
        planted = set()
        with open(a.pairs, encoding="utf-8") as f:
            for line in f:
                o, g = line.rstrip("\n").split("\t")
                planted.add((o, g))
        out["recall"] = len(planted & set(edges)) / max(1, len(planted))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
