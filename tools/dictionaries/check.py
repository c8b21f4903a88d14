#!/usr/bin/env python3
"""Check the built-in dictionaries (dictionaries/*.tsv) for consistency.

    python3 tools/dictionaries/check.py [DIR]      # DIR defaults to dictionaries/

Errors (exit status 1 when any):
  - a file not UTF-8, with CR line ends, without its header row or with a short row;
  - an id empty, not ASCII (a-z 0-9 -), or used twice across officials, organizations
    and places;
  - a reference that does not resolve: place parent, organization place, post official,
    post jurisdiction (a place or an organization);
  - a name or alias of one entity that is also a name or alias of another, except full
    names of places, which may be shared (朝阳区 of Beijing and of Changchun: the text
    decides); an alias equal to a place's full name counts as shared;
  - a one-character Han alias, an alias of fewer than 2 characters;
  - a parent cycle.
Then the row counts by file, kind and level.
"""

import os
import re
import sys
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.dirname(HERE)), "dictionaries")

errors = []


def err(msg):
    errors.append(msg)


def read(fn, cols):
    path = os.path.join(DIR, fn)
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(f"{fn}: not UTF-8 ({e})")
        return []
    if "\r" in text:
        err(f"{fn}: CR line ends")
    rows, header = [], None
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if header[: len(cols)] != cols:
                err(f"{fn}:{n}: header {header}, expected {cols}")
            continue
        if len(cells) < len(cols):
            err(f"{fn}:{n}: {len(cells)} cells, expected {len(cols)}")
            cells += [""] * (len(cols) - len(cells))
        r = dict(zip(header, cells))
        r["_at"] = f"{fn}:{n}"
        rows.append(r)
    return rows


officials = read("officials.tsv", ["id", "name", "aliases"])
orgs = read("organizations.tsv", ["id", "name", "aliases", "kind", "place"])
places = read("places.tsv", ["id", "name", "aliases", "level", "parent"])
posts = read("posts.tsv", ["official", "title", "jurisdiction", "from", "to"])

ids = {}
for kind, rows in (("official", officials), ("organization", orgs), ("place", places)):
    for r in rows:
        i = r["id"]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i):
            err(f"{r['_at']}: id `{i}` is not a lowercase ASCII slug")
        if i in ids:
            err(f"{r['_at']}: id `{i}` already used at {ids[i][1]}")
        else:
            ids[i] = (kind, r["_at"])
        if not r["name"].strip():
            err(f"{r['_at']}: empty name")

place_ids = {r["id"] for r in places}
org_ids = {r["id"] for r in orgs}
off_ids = {r["id"] for r in officials}
parent = {}
for r in places:
    p = r["parent"]
    if p:
        if p not in place_ids:
            err(f"{r['_at']}: parent `{p}` is not a place")
        parent[r["id"]] = p
    elif r["level"] != "country":
        err(f"{r['_at']}: no parent (only countries have none)")
for r in orgs:
    if r["place"] not in place_ids:
        err(f"{r['_at']}: place `{r['place']}` is not a place")
    if not r["kind"]:
        err(f"{r['_at']}: empty kind")
for r in posts:
    if r["official"] not in off_ids:
        err(f"{r['_at']}: official `{r['official']}` unknown")
    if r["jurisdiction"] not in place_ids | org_ids:
        err(f"{r['_at']}: jurisdiction `{r['jurisdiction']}` unknown")
for start in parent:
    seen, p = {start}, parent.get(start)
    while p:
        if p in seen:
            err(f"places.tsv: parent cycle through `{start}`")
            break
        seen.add(p)
        p = parent.get(p)

# Names and aliases.
HAN = re.compile(r"[\u3400-\u9fff]")
owners = defaultdict(set)  # surface -> {(id, is_place_name)}
for kind, rows in (("official", officials), ("organization", orgs), ("place", places)):
    for r in rows:
        owners[r["name"].strip()].add((r["id"], kind == "place"))
        for a in r["aliases"].split("|"):
            a = a.strip()
            if not a:
                continue
            if len(a) < 2:
                err(f"{r['_at']}: alias `{a}` shorter than 2 characters")
            owners[a].add((r["id"], False))
for s, o in sorted(owners.items()):
    ents = {i for i, _ in o}
    if len(ents) > 1 and not all(pn for _, pn in o):
        err(f"`{s}` names several entities: {', '.join(sorted(ents))}")

for e in errors:
    print("error:", e)
print(f"officials {len(officials)}, organizations {len(orgs)}, places {len(places)}, posts {len(posts)}")
print("organizations by kind:", dict(sorted(Counter(r["kind"] for r in orgs).items())))
print("places by level:", dict(sorted(Counter(r["level"] for r in places).items())))
shared = sum(1 for s, o in owners.items() if len({i for i, _ in o}) > 1)
print(f"full place names shared by several places: {shared}")
print(f"{len(errors)} errors")
sys.exit(1 if errors else 0)
