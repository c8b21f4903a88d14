#!/usr/bin/env python3
"""The benchmark driver (bench/run.sh sets up the venv and the binary, then runs this).

For each dictionary size (shipped, 100k, 1M entries) it generates the dictionary and a
corpus that mentions its names (cached in the work folder, keyed by the parameters), then
runs, each under /usr/bin/time for wall time and peak RSS:

  scan        the bare entity automaton over the same pages (the floor)
  scan --normalized  the same over the pages normalized beforehand (untimed), for reference
  extract -j1 the whole pipeline on one core
  extract     the whole pipeline on every core (also on the 50 MB prefix: RSS growth)
  --discover  extract --discover on every core, beside plain extract: the discovery pass
              (names not in the dictionary) and the extraction over the same pages, its
              candidates laid on the dictionary (--no-discover to skip)
  peer.py     the Python peer (OpenCC + pyahocorasick + per-sentence cues)
  --format    extract writing GEXF and the events table, on both corpora, once (peak RSS
              of the output formats other than JSON; --formats to choose, "" for none)

in --repeat rounds, each running every measurement once (so a slow minute of the shared
machine hits all of them, not just the ratios' numerator), keeping each one's fastest run

and asserts the answers (so a fast wrong answer fails): scan hits >= the mentions the
generator put in plain simplified pages; -j1 and all-core graphs byte-identical; visited
edges > 0 and recall of the planted visits >= --min-recall for us and for the peer; the
--discover run reads every page, finds at least the plain run's edges and visited edges and
recalls the planted visits as well (>= --min-recall). Any
failed assertion exits 1. Figures go to bench/results.md and bench/results.json; the issue's
targets are reported as met or not (exit 1 on a miss only with --check-targets).
"""

import argparse
import datetime
import glob
import json
import shlex
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import FAILS, HERE, REPO, check, git, last_json, log  # noqa: E402,F401

benchlib.NAME[0] = "bench"


def timed(cmd, out_file=None):
    """Run cmd under /usr/bin/time; return (stdout, stderr, wall seconds, peak RSS MB)."""
    tf = os.path.join(WORK, ".time")
    full = ["/usr/bin/time", "-f", "%e %M", "-o", tf] + cmd
    log("$ " + " ".join(cmd))
    p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0,):
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(cmd)}")
    wall, rss = open(tf).read().split()[-2:]
    return p.stdout, p.stderr, float(wall), int(rss) / 1024


def ensure(stamp_dir, params, make):
    """Run make() unless stamp_dir/.params holds the same params."""
    stamp = os.path.join(stamp_dir, ".params")
    want = json.dumps(params, sort_keys=True)
    if os.path.exists(stamp) and open(stamp).read() == want:
        log(f"cached: {stamp_dir}")
        return
    make()
    with open(stamp, "w") as f:
        f.write(want)


def visited_recall(graph_path, pairs_path):
    with open(graph_path, encoding="utf-8") as f:
        g = json.load(f)
    got = set()
    for e in g["edges"]:
        if e["relation"] == "visited":
            got.add((e["source"], e["target"]))
            for alt in e.get("ambiguous", []):
                got.add((e["source"], alt))
    planted = set()
    with open(pairs_path, encoding="utf-8") as f:
        for line in f:
            o, t = line.rstrip("\n").split("\t")
            planted.add((o, t))
    visited = sum(1 for e in g["edges"] if e["relation"] == "visited")
    return visited, len(g["edges"]), len(planted & got) / max(1, len(planted))


def main():
    global WORK
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--quick", action="store_true", help="10 MB corpus, shipped dictionaries only")
    ap.add_argument("--sizes", default="shipped,100k,1m")
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--small-mb", type=float, default=50)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--min-recall", type=float, default=0.9)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-discover", action="store_true", help="skip the extract --discover measurement")
    ap.add_argument("--formats", default="gexf,events-csv",
                    help="output formats whose peak RSS is measured on both corpora (comma list; empty: none)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="run N interleaved rounds of every measurement and keep each one's fastest "
                         "(peak RSS: the largest); "
                         "2-core machines here are shared and one run can be 20%% off")
    ap.add_argument("--generate-only", action="store_true", help="make the dictionaries and corpora, measure nothing")
    ap.add_argument("--check-targets", action="store_true", help="exit 1 if an issue target is missed")
    ap.add_argument("--results", default=os.path.join(HERE, "results.md"))
    a = ap.parse_args()
    WORK = a.work
    os.makedirs(WORK, exist_ok=True)
    shard_mb = 6.25
    if a.quick:
        a.sizes, a.mb, a.small_mb, shard_mb = "shipped", 10, 2.5, 2.5
        a.results = os.path.join(WORK, "results-quick.md")
    sizes = {"shipped": 0, "100k": 100_000, "1m": 1_000_000}
    py = a.python
    rows = []
    load0 = os.getloadavg()
    for size in a.sizes.split(","):
        entries = sizes[size]
        if entries:
            ddir = os.path.join(WORK, f"dict-{size}")
            os.makedirs(ddir, exist_ok=True)
            ensure(ddir, dict(entries=entries, seed=a.seed, v=1),
                   lambda: subprocess.run([py, os.path.join(HERE, "gen_dict.py"), "--entries", str(entries),
                                           "--seed", str(a.seed), "--out", ddir], check=True))
            dargs = ["--no-builtin", "--dict", ddir]
            gen_dict_dir = ddir
        else:
            dargs = []
            gen_dict_dir = os.path.join(REPO, "dictionaries")
        cdir = os.path.join(WORK, f"corpus-{size}-{a.mb:g}mb")
        os.makedirs(cdir, exist_ok=True)
        ensure(cdir, dict(mb=a.mb, seed=a.seed, shard_mb=shard_mb, dict=entries, v=1),
               lambda: subprocess.run([py, os.path.join(HERE, "gen_corpus.py"), "--dict", gen_dict_dir, "--mb",
                                       str(a.mb), "--shard-mb", str(shard_mb), "--seed", str(a.seed),
                                       "--out", cdir], check=True))
        man = json.load(open(os.path.join(cdir, "manifest.json")))
        # The small corpus is the first shards of the big one (each shard has its own seed).
        sdir = os.path.join(WORK, f"corpus-{size}-{a.small_mb:g}mb")
        os.makedirs(sdir, exist_ok=True)
        n_small = max(1, round(a.small_mb / shard_mb))
        for s in man["shards"][:n_small]:
            link = os.path.join(sdir, s["file"])
            if not os.path.islink(link):
                os.symlink(os.path.join(cdir, s["file"]), link)
        if a.generate_only:
            continue
        log(f"== {size}: {man['pages']} pages, {man['bytes'] / 1e6:.0f} MB, {man['mentions']} mentions")

        r = dict(size=size, corpus_mb=man["bytes"] / 1e6, pages=man["pages"], mentions=man["mentions"])
        g1 = os.path.join(WORK, f"graph-{size}-j1.json")
        gn = os.path.join(WORK, f"graph-{size}-jall.json")
        gs = os.path.join(WORK, f"graph-{size}-small.json")
        gd = os.path.join(WORK, f"graph-{size}-discover.json")
        stats = lambda o, e: last_json(e)["mb_per_s"]
        meas = [("scan", [a.bin, "scan"] + dargs + [cdir], lambda o, e: last_json(o)["mb_per_s"]),
                ("scan_norm", [a.bin, "scan", "--normalized"] + dargs + [cdir], lambda o, e: last_json(o)["mb_per_s"])]
        for tag, jobs, corpus, gout in (("j1", ["--jobs", "1"], cdir, g1), ("jall", [], cdir, gn),
                                         ("small", [], sdir, gs)):
            meas.append((tag, [a.bin, "extract"] + dargs + jobs + ["--quiet", "--stats", "-o", gout, corpus], stats))
        if not a.no_discover:
            # --stats times the extraction pass only; --discover's own pass (reading every
            # page once more, on every job) is in its dictionary_secs. Score the whole:
            # load + discovery + compile + extraction.
            meas.append(("discover", [a.bin, "extract", "--discover"] + dargs + ["--quiet", "--stats", "-o", gd, cdir],
                         lambda o, e: pipeline_mbs(last_json(e))))
        if not a.no_peer:
            pargs = (["--no-builtin", "--dict", gen_dict_dir] if entries else [])
            shards = [os.path.join(cdir, s["file"]) for s in man["shards"]]
            meas.append(("peer", [py, os.path.join(HERE, "peer.py")] + pargs +
                         ["--pairs", os.path.join(cdir, "pairs.tsv")] + shards, lambda o, e: last_json(o)["mb_per_s"]))
        best = interleaved(a.repeat, meas)

        out, _, wall, rss = best["scan"]
        sc = last_json(out)
        r.update(patterns=sc["patterns"], load_s=sc["dictionary_secs"], compile_s=sc["compile_secs"],
                 scan_mbs=sc["mb_per_s"], scan_hits=sc["hits"], scan_rss=rss)
        sn = last_json(best["scan_norm"][0])
        r.update(scan_norm_mbs=sn["mb_per_s"], scan_norm_hits=sn["hits"])
        check(sc["documents"] == man["pages"], f"{size}: scan read {sc['documents']} pages of {man['pages']}")
        check(sn["hits"] >= man["mentions_plain"],
              f"{size}: scan of normalized pages hits {sn['hits']} >= mentions in plain pages {man['mentions_plain']}")
        check(sc["hits"] >= man["mentions_plain"],
              f"{size}: scan hits {sc['hits']} >= mentions in plain pages {man['mentions_plain']}")
        for tag, corpus in (("j1", cdir), ("jall", cdir), ("small", sdir)):
            _, err, wall, rss = best[tag]
            st = last_json(err)
            r[tag] = dict(stats=st, wall=wall, rss=rss, mbs=st["mb_per_s"], dps=st["documents_per_s"],
                          wall_mbs=st["bytes"] / 1e6 / wall, wall_dps=st["documents"] / wall)
            check(st["documents"] == (man["pages"] if corpus == cdir else sum(s["pages"] for s in man["shards"][:n_small])),
                  f"{size} {tag}: extract read {st['documents']} pages")
        same = subprocess.run(["cmp", "-s", g1, gn]).returncode == 0
        check(same, f"{size}: --jobs 1 and all-core graphs are byte-identical")
        visited, edges, recall = visited_recall(gn, os.path.join(cdir, "pairs.tsv"))
        r.update(edges=edges, visited=visited, recall=recall)
        check(visited > 0, f"{size}: {visited} visited edges > 0")
        check(recall >= a.min_recall, f"{size}: recall of planted visits {recall:.3f} >= {a.min_recall}")
        if not a.no_discover:
            _, err, wall, rss = best["discover"]
            st = last_json(err)
            dv, de, drec = visited_recall(gd, os.path.join(cdir, "pairs.tsv"))
            with open(gd, encoding="utf-8") as f:
                cands = sum(1 for n in json.load(f)["nodes"] if n.get("candidate") is True)
            jst = r["jall"]["stats"]
            r["discover"] = dict(stats=st, wall=wall, rss=rss, mbs=st["mb_per_s"], pipeline_mbs=pipeline_mbs(st),
                                 wall_mbs=st["bytes"] / 1e6 / wall, edges=de, visited=dv, recall=drec,
                                 candidates=cands, plain_pipeline_mbs=pipeline_mbs(jst))
            check(st["documents"] == man["pages"], f"{size} discover: extract --discover read {st['documents']} pages")
            check(de >= edges and dv >= visited,
                  f"{size}: --discover finds {de} edges ({dv} visited) >= the plain run's {edges} ({visited})")
            check(drec >= a.min_recall, f"{size}: --discover recall of planted visits {drec:.3f} >= {a.min_recall}")
            os.remove(gd)
        for g in (g1, gs):
            os.remove(g)

        if not a.no_peer:
            out, _, wall, rss = best["peer"]
            pe = last_json(out)
            r.update(peer=pe, peer_rss=rss, peer_wall=wall)
            check(pe["edges"] > 0, f"{size}: peer edges {pe['edges']} > 0")
            check(pe["documents"] == man["pages"], f"{size}: peer read {pe['documents']} pages")
            check(pe["recall"] >= a.min_recall, f"{size}: peer recall {pe['recall']:.3f} >= {a.min_recall}")
        # Peak RSS of other output formats, small and big corpus (one run each: memory only).
        r["formats"] = {}
        for fmt in filter(None, a.formats.split(",")):
            fout = os.path.join(WORK, f"out-{size}.{fmt}")
            pair = []
            for corpus in (sdir, cdir):
                _, err, wall, rss = timed([a.bin, "extract"] + dargs + ["--quiet", "--format", fmt, "-o", fout, corpus])
                check(os.path.getsize(fout) > 0, f"{size}: --format {fmt} wrote {fout}")
                pair.append(rss)
            os.remove(fout)
            r["formats"][fmt] = pair
        # The same pages as one JSON Lines stream on standard input (one run each: memory
        # only): the size of one input must not matter either. Same bytes as the sharded run.
        pair = []
        sout = os.path.join(WORK, f"out-{size}-stdin.json")
        for corpus in (sdir, cdir):
            files = sorted(glob.glob(os.path.join(corpus, "*.jsonl")))
            pipe = ('cat "$@" | ' + shlex.quote(a.bin) + " extract " + " ".join(map(shlex.quote, dargs))
                    + " --quiet --jsonl - -o " + shlex.quote(sout))
            _, err, wall, rss = timed(["sh", "-c", pipe, "sh"] + files)
            pair.append(rss)
        check(subprocess.run(["cmp", "-s", sout, gn]).returncode == 0,
              f"{size}: one JSON Lines stream on stdin gives the bytes of the sharded run")
        os.remove(sout)
        r["formats"]["json, one stream on stdin"] = pair
        rows.append(r)
        json.dump(dict(rows=rows), open(os.path.join(WORK, "results.json"), "w"), indent=1)

    if a.generate_only:
        return 0
    targets = report(a, rows, load0)
    if FAILS:
        log(f"{len(FAILS)} assertion(s) failed:\n  " + "\n  ".join(FAILS))
        return 1
    if a.check_targets and not all(ok for _, ok in targets):
        log("some targets missed")
        return 1
    return 0


def kept_sections(path):
    """The `## ` sections of the results file that this report does not write (issue 17's
    --discover notes, bench/shapes.py's corpus shapes…), to keep after it: from the first
    `## ` heading to the end, or nothing."""
    if not os.path.exists(path):
        return ""
    lines = open(path, encoding="utf-8").read().splitlines()
    i = next((k for k, ln in enumerate(lines) if ln.startswith("## ")), None)
    return "" if i is None else "\n" + "\n".join(lines[i:]).rstrip("\n") + "\n"


def pipeline_mbs(st):
    """MB/s of a run from its --stats line, dictionary load (and, with --discover, the
    discovery pass), compile and extraction together: the output is not counted."""
    return st["bytes"] / 1e6 / max(1e-9, st["dictionary_secs"] + st["compile_secs"] + st["extract_secs"])


def interleaved(n, meas):
    """Run every measurement of `meas` ((key, cmd, score(out, err))) once per round, for n
    rounds, so that a slow stretch of this shared machine weighs on all of them alike rather
    than on whichever ran then. For each key: the outputs and wall time of its run with the
    best score, and the largest peak RSS of all its runs."""
    best, rss_max = {}, {}
    for _ in range(max(1, n)):
        for key, cmd, score in meas:
            out, err, wall, rss = timed(cmd)
            rss_max[key] = max(rss_max.get(key, 0.0), rss)
            sc = score(out, err)
            if key not in best or sc > best[key][0]:
                best[key] = (sc, out, err, wall)
    return {k: (b[1], b[2], b[3], rss_max[k]) for k, b in best.items()}


def report(a, rows, load0):
    L = []
    L.append("# Benchmark results\n")
    built = os.environ.get("VG_BENCH_BUILT_FROM") or git("rev-parse", "--short", "HEAD")
    L.append(f"`bench/run.sh{' --quick' if a.quick else ''}` on {datetime.date.today()}, binary built from "
             f"`{built}`, {os.cpu_count()} cores, load average before the run "
             f"{load0[0]:.2f}; every figure is the fastest of {a.repeat} interleaved rounds (each round runs every "
             f"measurement of a dictionary once; peak RSS: the largest). Corpus: {rows[0]['corpus_mb']:.0f} MB of generated pages per dictionary (seed {a.seed}); "
             f"RSS also on its first {a.small_mb:g} MB.\n")
    L.append("| dictionary | patterns | load + compile s | bare scan MB/s (normalized) | extract MB/s -j1 | docs/s -j1 "
             "| extract MB/s all cores | docs/s all cores | -j1 / bare (normalized) | speed-up | wall MB/s -j1 / all "
             f"| peak RSS {a.small_mb:g} MB → {a.mb:g} MB | peer MB/s | ours / peer (-j1, all cores) |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        p = r.get("peer", {}).get("mb_per_s")
        L.append(
            f"| {r['size']} | {r['patterns']:,} | {r['load_s']:.2f} + {r['compile_s']:.2f} | {r['scan_mbs']:.1f} ({r['scan_norm_mbs']:.1f}) "
            f"| {r['j1']['mbs']:.1f} | {r['j1']['dps']:,.0f} | {r['jall']['mbs']:.1f} | {r['jall']['dps']:,.0f} "
            f"| {r['j1']['mbs'] / r['scan_mbs']:.2f} ({r['j1']['mbs'] / r['scan_norm_mbs']:.2f}) | {r['jall']['mbs'] / r['j1']['mbs']:.2f}× "
            f"| {r['j1']['wall_mbs']:.1f} / {r['jall']['wall_mbs']:.1f} "
            f"| {r['small']['rss']:.0f} → {r['jall']['rss']:.0f} MB ({(r['jall']['rss'] / r['small']['rss'] - 1) * 100:+.0f}%) "
            f"| {p:.1f} | {r['j1']['mbs'] / p:.1f}× / {r['jall']['mbs'] / p:.1f}× |" if p else
            f"| {r['size']} | {r['patterns']:,} | … | (peer skipped) |")
    L.append("")
    fmts = sorted({f for r in rows for f in r.get("formats", {})})
    if fmts:
        L.append(f"Peak RSS by output format, {a.small_mb:g} MB → {a.mb:g} MB (one run each; every format is "
                 "written one edge at a time from the spilled graph, the events table through an external sort; "
                 "*json, one stream on stdin*: the same pages piped into `--jsonl -` as one stream):\n")
        L.append("| dictionary | json (above) | " + " | ".join(fmts) + " |")
        L.append("| --- | ---: |" + " ---: |" * len(fmts))
        for r in rows:
            cells = [f"{r['small']['rss']:.0f} → {r['jall']['rss']:.0f} MB"]
            for f in fmts:
                x = r.get("formats", {}).get(f)
                cells.append(f"{x[0]:.0f} → {x[1]:.0f} MB ({(x[1] / x[0] - 1) * 100:+.0f}%)" if x else "…")
            L.append(f"| {r['size']} | " + " | ".join(cells) + " |")
        L.append("")
    disc = [r for r in rows if "discover" in r]
    if disc:
        L.append("`extract --discover` beside plain `extract` (all cores, same corpus, fastest of the rounds). "
                 "*load → extract* counts dictionary load, the discovery pass (on every job: it reads every page "
                 "once more), compile and extraction, not writing the output; *wall* is the whole process; "
                 "*extract pass* is `--stats`' `mb_per_s`, the extraction alone (with the candidates laid on the "
                 "dictionary):\n")
        L.append("| dictionary | plain: extract pass / load → extract / wall MB/s | --discover: extract pass / load → extract / wall MB/s "
                 "| discovery + load s | --discover ÷ plain (load → extract; wall) | candidate nodes | edges plain → --discover | recall |")
        L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in disc:
            d = r["discover"]
            L.append(f"| {r['size']} | {r['jall']['mbs']:.1f} / {d['plain_pipeline_mbs']:.1f} / {r['jall']['wall_mbs']:.1f} "
                     f"| {d['mbs']:.1f} / {d['pipeline_mbs']:.1f} / {d['wall_mbs']:.1f} | {d['stats']['dictionary_secs']:.2f} "
                     f"| {d['pipeline_mbs'] / d['plain_pipeline_mbs']:.2f}; {d['wall_mbs'] / r['jall']['wall_mbs']:.2f} "
                     f"| {d['candidates']:,} | {r['edges']:,} → {d['edges']:,} | {r['recall']:.3f} → {d['recall']:.3f} |")
        L.append("")
    L.append("Correctness (asserted): ")
    for r in rows:
        pe = r.get("peer", {})
        L.append(f"- {r['size']}: {r['pages']:,} pages, {r['mentions']:,} names inserted; scan hits {r['scan_hits']:,}; "
                 f"{r['edges']:,} edges ({r['visited']:,} visited), recall of planted visits {r['recall']:.3f}; "
                 f"-j1 and all-core graphs identical; peer {pe.get('edges', 0):,} edges, recall {pe.get('recall', 0):.3f}.")
    L.append("")
    L.append("Columns: *extract MB/s* is `--stats` (pages read, extracted and merged into the graph; not "
             "dictionary compile nor writing the output); *wall MB/s* is the whole process (load, compile, "
             "extract, write the JSON); *bare scan* is `visitgraph scan`, one pass of the same automaton (names and "
             "cue words; the leftmost-longest names are counted) over the same page texts already in memory (in brackets: `scan --normalized`, the same over the pages as `extract` matches them, simplified and without pinyin, normalized beforehand and untimed; per MB of the original pages); *peer MB/s* excludes its dictionary build (OpenCC t2s, "
             "pinyin regex, pyahocorasick `iter_long`, per-sentence cues, one Python process).\n")
    targets = []
    by = {r["size"]: r for r in rows}
    if "100k" in by:
        r = by["100k"]
        targets.append((f"100k: -j1 ≥ half the bare scan ({r['j1']['mbs']:.1f} vs {r['scan_mbs'] / 2:.1f} MB/s)",
                        r["j1"]["mbs"] >= r["scan_mbs"] / 2))
        targets.append((f"100k: all cores ≥ 1.7× -j1 ({r['jall']['mbs'] / r['j1']['mbs']:.2f}×)",
                        r["jall"]["mbs"] >= 1.7 * r["j1"]["mbs"]))
    for r in rows:
        if "peer" in r:
            m = r["jall"]["mbs"] / r["peer"]["mb_per_s"]
            targets.append((f"{r['size']}: ≥ 10× the Python peer ({m:.1f}× all cores, "
                            f"{r['j1']['mbs'] / r['peer']['mb_per_s']:.1f}× -j1)", m >= 10))
        g = r["jall"]["rss"] / r["small"]["rss"] - 1
        targets.append((f"{r['size']}: peak RSS grows < 10% from {a.small_mb:g} MB to {a.mb:g} MB ({g * 100:+.0f}%)",
                        g < 0.10))
    for r in disc:
        d = r["discover"]
        q = d["wall_mbs"] / r["jall"]["wall_mbs"]
        targets.append((f"{r['size']}: --discover ≥ half the speed of plain extract, whole process "
                        f"({d['wall_mbs']:.1f} vs {r['jall']['wall_mbs']:.1f} MB/s wall, {q:.2f}×; issue 17)", q >= 0.5))
    L.append("Targets of issues 5 and 17:\n")
    for t, ok in targets:
        L.append(f"- {'met' if ok else '**missed**'}: {t}")
    L.append("")
    text = "\n".join(L)
    with open(a.results, "w", encoding="utf-8") as f:
        f.write(text + kept_sections(a.results))
    print(text)
    return targets


if __name__ == "__main__":
    sys.exit(main())
