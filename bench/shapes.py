#!/usr/bin/env python3
"""The corpus-shape benchmark (issue 19): real pages in the shapes real corpora come in, against
the lean Python peer, on whole-process wall time. bench/run.sh runs it after bench.py
(`bench/run.sh shapes` runs it alone).

Why: bench.py measures the pipeline on large generated JSON Lines shards, where reading is
cheap. Real corpora are often folders of thousands of small pages, HTML, or compressed
JSON Lines, where opening files, extracting text, decompressing and starting up weigh too.
This measures those shapes as a user would run them: the whole process (start-up and the
built-in dictionary load of the binary; Python start-up, imports and the automaton build of
the peer), under /usr/bin/time.

Corpus: the seed pages (default ../shared/seeds/*, 5 real news pages of mixed traditional
and simplified script), each copied --copies times (default 1,500: 7,500 pages, ~47 MB)
under distinct names, in four shapes holding the same pages:

  txt        a folder of small `NNNN-SEED.txt` pages
  html       the same pages as a folder of `NNNN-SEED.html` (a minimal HTML page: the first
             line as <title>, one <p> per non-blank line)
  jsonl      one JSON Lines file, `{"id": "NNNN-SEED.txt", "text": …}` per page, in the order
             the binary reads the folder (so the graph is the txt folder's, byte for byte)
  jsonl.gz   the same file gzip-compressed

Generated once into the work folder (shapes-txt/, shapes-html/, shapes-jsonl/; with another
--copies the names carry the page count) and reused while the seeds and parameters are the
same. Dictionary: the built-in one (`visitgraph extract PAGES`), which is the seeds' size.

Measured for each shape, in --repeat interleaved rounds (each round runs every measurement
once, so a slow stretch of the shared machine weighs on all of them alike), keeping the
fastest wall time: `visitgraph extract --jobs 1`, `visitgraph extract` on every core, and
bench/peer_lean.py (OpenCC t2s, one pyahocorasick pass per page, cue words per sentence);
bench/peer.py (the per-sentence peer) once per round on the JSON Lines file, for reference.

Cross-check of the compressed shape: the seed pages repeat every 5 pages, so gzip squeezes
their JSON Lines 100-fold and inflating them costs next to nothing. When the work folder
holds bench.py's generated corpus (corpus-shipped-50mb, distinct pages), its shards are
also joined into one .jsonl and gzipped (about 5.6-fold) and both run on every core and at
--jobs 1 in the same rounds (--gz-corpus; "" to skip).

Asserted (exit 1 otherwise), so a fast wrong answer fails: every run reads every page; the
--jobs 1 and all-core graphs are the same bytes for every shape; the txt folder, the JSON
Lines file and the .jsonl.gz give the same bytes; the HTML folder gives as many edges; the
graph has edges; the peers match names (> 0) on every page of every shape, and the lean
peer's count is the same for the txt folder, JSON Lines and .jsonl.gz.

Targets of issue 19 (reported as met or missed; exit 1 on a miss only with --check-targets):
txt and html folders all cores >= 1.7x --jobs 1; all cores >= 4x the lean peer on the txt
folder and >= 5x on the JSON Lines file; .jsonl.gz within 15% of plain JSON Lines (all cores).
The figures go to a "## Corpus shapes (issue 19)" section of bench/results.md (the rest of
the file is kept) and to shapes.json in the work folder.
"""

import argparse
import datetime
import glob
import gzip
import hashlib
import html
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
from benchlib import FAILS, HERE, REPO, check, git, last_json, log  # noqa: E402,F401

benchlib.NAME[0] = "shapes"


SECTION = "## Corpus shapes (issue 19)"
SHAPES = ("txt", "html", "jsonl", "jsonl.gz")


def timed(cmd, work):
    """Run cmd under /usr/bin/time; return (stdout, stderr, wall seconds, peak RSS MB)."""
    tf = os.path.join(work, ".time-shapes")
    log("$ " + " ".join(cmd))
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tf] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(cmd)}")
    wall, rss = open(tf).read().split()[-2:]
    return p.stdout, p.stderr, float(wall), int(rss) / 1024


def html_page(text):
    """A minimal HTML page holding text: its first non-blank line as the title, one <p>
    per non-blank line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = html.escape(lines[0] if lines else "", quote=False)
    body = "".join(f"<p>{html.escape(ln, quote=False)}</p>\n" for ln in lines)
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head>\n<body>\n{body}'
            "</body></html>\n")


def generate(seeds, copies, work):
    """Write the four shapes of seeds × copies pages (unless already there); return their
    paths, the page count and the bytes of page text."""
    tag = "" if copies == 1500 else f"-{copies * len(seeds)}"
    d_txt = os.path.join(work, f"shapes{tag}-txt")
    d_html = os.path.join(work, f"shapes{tag}-html")
    d_jsonl = os.path.join(work, f"shapes{tag}-jsonl")
    jsonl = os.path.join(d_jsonl, "pages.jsonl")
    paths = {"txt": d_txt, "html": d_html, "jsonl": jsonl, "jsonl.gz": jsonl + ".gz"}
    texts = {}
    for p in seeds:
        with open(p, encoding="utf-8", newline="") as f:  # the bytes as they are (line ends too)
            texts[os.path.basename(p)] = f.read()
    digest = hashlib.sha256(json.dumps(texts, sort_keys=True).encode()).hexdigest()[:16]
    params = json.dumps(dict(seeds=digest, copies=copies, v=2), sort_keys=True)
    stamp = os.path.join(d_jsonl, ".params")
    names = sorted(f"{i:04d}-{s}" for i in range(copies) for s in texts)
    nbytes = sum(len(texts[n.split("-", 1)[1]].encode("utf-8")) for n in names)
    if os.path.exists(stamp) and open(stamp).read() == params:
        log(f"cached: {d_txt}, {d_html}, {jsonl}(.gz)")
        return paths, len(names), nbytes
    log(f"writing {len(names)} pages in four shapes")
    for d in (d_txt, d_html, d_jsonl):
        os.makedirs(d, exist_ok=True)
    html_of = {s: html_page(t) for s, t in texts.items()}
    with open(jsonl, "w", encoding="utf-8") as jf:
        for n in names:  # sorted: the order in which the binary reads the folder
            seed = n.split("-", 1)[1]
            with open(os.path.join(d_txt, n), "w", encoding="utf-8", newline="") as f:
                f.write(texts[seed])
            with open(os.path.join(d_html, os.path.splitext(n)[0] + ".html"), "w", encoding="utf-8") as f:
                f.write(html_of[seed])
            jf.write(json.dumps({"id": n, "text": texts[seed]}, ensure_ascii=False) + "\n")
    with open(jsonl, "rb") as src, gzip.open(jsonl + ".gz", "wb", compresslevel=6) as dst:  # gzip's default
        dst.write(src.read())
    with open(stamp, "w") as f:
        f.write(params)
    return paths, len(names), nbytes


def interleaved(n, meas, work):
    """Run every measurement ((key, cmd)) once per round, for n rounds. For each key: the
    outputs and wall time of its fastest run, every run's wall time, the largest peak RSS."""
    best, walls, rss_max = {}, {}, {}
    for _ in range(max(1, n)):
        for key, cmd in meas:
            out, err, wall, rss = timed(cmd, work)
            walls.setdefault(key, []).append(wall)
            rss_max[key] = max(rss_max.get(key, 0.0), rss)
            if key not in best or wall < best[key]["wall"]:
                best[key] = dict(out=out, err=err, wall=wall)
    for key, b in best.items():
        b.update(walls=walls[key], rss=rss_max[key])
    return best


def disk_mb(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(p) for p in glob.glob(os.path.join(path, "*"))) / 1e6
    return os.path.getsize(path) / 1e6


def edge_count(graph):
    with open(graph, encoding="utf-8") as f:
        return len(json.load(f)["edges"])


def gz_corpus(work, folder):
    """The .jsonl.gz cross-check's inputs: the JSON Lines shards of `folder` (default
    WORK/corpus-shipped-50mb) joined into WORK/shapes-gzcheck/gen.jsonl and gzipped (level
    6), made once; None when there are no shards."""
    if folder is None:
        folder = os.path.join(work, "corpus-shipped-50mb")
    shards = sorted(glob.glob(os.path.join(folder, "*.jsonl"))) if folder else []
    if not shards:
        log(f"no .jsonl.gz cross-check: no JSON Lines shards in {folder}" if folder else "no .jsonl.gz cross-check")
        return None
    out = os.path.join(work, "shapes-gzcheck")
    os.makedirs(out, exist_ok=True)
    jsonl = os.path.join(out, "gen.jsonl")
    params = json.dumps([[os.path.realpath(p), os.path.getsize(p), os.path.getmtime(p)] for p in shards])
    stamp = os.path.join(out, ".params")
    if not (os.path.exists(stamp) and open(stamp).read() == params):
        log(f"joining {len(shards)} shards of {folder} into {jsonl}(.gz)")
        with open(jsonl, "wb") as dst:
            for p in shards:
                with open(p, "rb") as src:
                    dst.write(src.read())
        with open(jsonl, "rb") as src, gzip.open(jsonl + ".gz", "wb", compresslevel=6) as dst:
            dst.write(src.read())
        with open(stamp, "w") as f:
            f.write(params)
    nbytes = 0
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                nbytes += len(json.loads(line)["text"].encode("utf-8"))
    return {"jsonl": jsonl, "jsonl.gz": jsonl + ".gz", "mb": nbytes / 1e6, "from": os.path.basename(folder.rstrip("/"))}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the visitgraph binary")
    ap.add_argument("--work", required=True, help="work folder (the shapes are generated there)")
    ap.add_argument("--python", default=sys.executable, help="python with opencc and pyahocorasick")
    ap.add_argument("--seeds", default=os.environ.get("VG_BENCH_SEEDS",
                                                      os.path.normpath(os.path.join(REPO, "..", "shared", "seeds"))),
                    help="folder of seed pages (*.txt; default ../shared/seeds or $VG_BENCH_SEEDS)")
    ap.add_argument("--copies", type=int, default=1500, help="copies of each seed page (default 1500)")
    ap.add_argument("--quick", action="store_true", help="10 copies of each seed, 1 round (a smoke test)")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved rounds; the fastest run counts")
    ap.add_argument("--jobs", type=int, default=os.cpu_count(), help="'all cores' (default: this machine's)")
    ap.add_argument("--no-sentence-peer", action="store_true", help="skip bench/peer.py on the JSON Lines file")
    ap.add_argument("--gz-corpus", default=None,
                    help="folder of JSON Lines shards for the .jsonl.gz cross-check "
                         "(default: WORK/corpus-shipped-50mb if there; '' to skip)")
    ap.add_argument("--generate-only", action="store_true", help="write the four shapes, measure nothing")
    ap.add_argument("--check-targets", action="store_true", help="exit 1 if a target of issue 19 is missed")
    ap.add_argument("--results", default=os.path.join(HERE, "results.md"))
    a = ap.parse_args()
    if a.quick:
        a.copies, a.repeat = 10, 1
        a.gz_corpus = "" if a.gz_corpus is None else a.gz_corpus
        if a.results == os.path.join(HERE, "results.md"):
            a.results = os.path.join(a.work, "results-shapes-quick.md")
    os.makedirs(a.work, exist_ok=True)
    seeds = sorted(glob.glob(os.path.join(a.seeds, "*.txt")))
    if not seeds:
        raise SystemExit(f"no seed pages (*.txt) in {a.seeds}")
    paths, pages, nbytes = generate(seeds, a.copies, a.work)
    mb = nbytes / 1e6
    log(f"{pages} pages, {mb:.1f} MB of text, from {len(seeds)} seeds in {a.seeds}")
    gzc = gz_corpus(a.work, a.gz_corpus)
    if a.generate_only:
        return 0

    outdir = os.path.join(a.work, "shapes-out")
    os.makedirs(outdir, exist_ok=True)
    graph = lambda shape, tag: os.path.join(outdir, f"{shape}-{tag}.json")
    lean = [a.python, os.path.join(HERE, "peer_lean.py")]
    meas = []
    for shape in SHAPES:
        p = paths[shape]
        meas.append((f"{shape} j1", [a.bin, "extract", "--jobs", "1", "--quiet", "--stats", "-o", graph(shape, "j1"), p]))
        meas.append((f"{shape} all", [a.bin, "extract", "--jobs", str(a.jobs), "--quiet", "--stats",
                                      "-o", graph(shape, "all"), p]))
        meas.append((f"{shape} lean", lean + [p]))
    if gzc:
        for shape in ("jsonl", "jsonl.gz"):
            for tag, jobs in (("j1", "1"), ("all", str(a.jobs))):
                meas.append((f"gen {shape} {tag}", [a.bin, "extract", "--jobs", jobs, "--quiet", "--stats",
                                                    "-o", graph("gen-" + shape, tag), gzc[shape]]))
    if not a.no_sentence_peer:
        meas.append(("jsonl peer", [a.python, os.path.join(HERE, "peer.py"), paths["jsonl"]]))
    load0, up0 = os.getloadavg(), subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    t0 = time.time()
    best = interleaved(a.repeat, meas, a.work)
    secs = time.time() - t0
    load1, up1 = os.getloadavg(), subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

    rows = {}
    for shape in SHAPES:
        r = dict(disk_mb=disk_mb(paths[shape]))
        for tag in ("j1", "all"):
            b = best[f"{shape} {tag}"]
            st = last_json(b["err"])
            r[tag] = dict(wall=b["wall"], walls=b["walls"], rss=b["rss"], stats=st)
            check(st["documents"] == pages, f"{shape} {tag}: visitgraph read {st['documents']} of {pages} pages")
        b = best[f"{shape} lean"]
        pe = last_json(b["out"])
        r["lean"] = dict(wall=b["wall"], walls=b["walls"], rss=b["rss"], out=pe)
        check(pe["documents"] == pages, f"{shape}: lean peer read {pe['documents']} of {pages} pages")
        check(pe["hits"] > 0 and pe["edges"] > 0,
              f"{shape}: lean peer matched {pe['hits']} names, {pe['edges']} official -> organization pairs (> 0)")
        check(subprocess.run(["cmp", "-s", graph(shape, "j1"), graph(shape, "all")]).returncode == 0,
              f"{shape}: --jobs 1 and --jobs {a.jobs} graphs are the same bytes")
        r["edges"] = edge_count(graph(shape, "all"))
        rows[shape] = r
    check(rows["txt"]["edges"] > 0, f"txt: {rows['txt']['edges']} edges > 0")
    for shape in ("jsonl", "jsonl.gz"):
        check(subprocess.run(["cmp", "-s", graph("txt", "all"), graph(shape, "all")]).returncode == 0,
              f"{shape}: the same graph bytes as the txt folder (ids = file names)")
        check(rows[shape]["lean"]["out"]["hits"] == rows["txt"]["lean"]["out"]["hits"],
              f"{shape}: lean peer matches {rows[shape]['lean']['out']['hits']} names, as on the txt folder")
    check(rows["html"]["edges"] == rows["txt"]["edges"],
          f"html: {rows['html']['edges']} edges, as many as the txt folder's {rows['txt']['edges']}")
    gen = None
    if gzc:
        gen = dict(mb=gzc["mb"], source=gzc["from"], disk_mb={k: disk_mb(gzc[k]) for k in ("jsonl", "jsonl.gz")})
        for shape in ("jsonl", "jsonl.gz"):
            for tag in ("j1", "all"):
                b = best[f"gen {shape} {tag}"]
                gen[f"{shape} {tag}"] = dict(wall=b["wall"], walls=b["walls"], stats=last_json(b["err"]))
        check(subprocess.run(["cmp", "-s", graph("gen-jsonl", "all"), graph("gen-jsonl.gz", "all")]).returncode == 0
              and subprocess.run(["cmp", "-s", graph("gen-jsonl", "j1"), graph("gen-jsonl.gz", "all")]).returncode == 0,
              "generated corpus: .jsonl and .jsonl.gz, --jobs 1 and all cores, the same graph bytes")
    sent = None
    if not a.no_sentence_peer:
        b = best["jsonl peer"]
        sent = dict(wall=b["wall"], walls=b["walls"], rss=b["rss"], out=last_json(b["out"]))
        check(sent["out"]["documents"] == pages and sent["out"]["hits"] > 0,
              f"jsonl: per-sentence peer read {sent['out']['documents']} pages, matched {sent['out']['hits']} names")
    for f in glob.glob(os.path.join(outdir, "*.json")):
        os.remove(f)

    res = dict(date=str(datetime.date.today()), built=os.environ.get("VG_BENCH_BUILT_FROM") or git("rev-parse", "--short", "HEAD"),
               cores=os.cpu_count(), jobs=a.jobs, repeat=a.repeat, pages=pages, mb=mb, seeds=len(seeds),
               copies=a.copies, load_before=load0, load_after=load1, uptime_before=up0, uptime_after=up1,
               secs=secs, rows=rows, sentence_peer=sent, gz_check=gen)
    json.dump(res, open(os.path.join(a.work, "shapes.json"), "w"), indent=1)
    text, targets = report(res)
    write_section(a.results, text)
    print(text)
    if FAILS:
        log(f"{len(FAILS)} assertion(s) failed:\n  " + "\n  ".join(FAILS))
        return 1
    if a.check_targets and not all(ok for _, ok in targets):
        log("some targets of issue 19 missed")
        return 1
    return 0


def report(res):
    """The results section (markdown) and the targets [(text, met)]."""
    rows, mb, n = res["rows"], res["mb"], res["pages"]
    L = [SECTION, ""]
    L.append(f"`bench/run.sh shapes` (`bench/shapes.py`) on {res['date']}, binary built from `{res['built']}`, "
             f"{res['cores']} cores (*all cores*: `--jobs {res['jobs']}`). {n:,} pages ({mb:.1f} MB of text): the "
             f"{res['seeds']} seed pages of `../shared/seeds/` (real news pages, traditional and simplified script, "
             f"pinyin annotations) {res['copies']:,} times each, built-in dictionary. Every figure is the whole "
             f"process's wall time, the fastest of {res['repeat']} interleaved rounds (each round runs every "
             f"measurement once; {res['secs']:.0f} s in all). Load: `{res['uptime_before']}` before, "
             f"`{res['uptime_after']}` after.")
    L.append("")
    L.append("| shape | on disk | visitgraph `--jobs 1` s (MB/s) | all cores s (MB/s) | all cores ÷ `--jobs 1` "
             "| lean peer s (MB/s) | all cores ÷ lean peer | `--jobs 1` ÷ lean peer | edges | peer names matched |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    label = {"txt": f"folder of {n:,} `.txt`", "html": f"folder of {n:,} `.html`", "jsonl": "one `.jsonl`",
             "jsonl.gz": "one `.jsonl.gz`"}
    for shape in SHAPES:
        r = rows[shape]
        j1, al, le = r["j1"]["wall"], r["all"]["wall"], r["lean"]["wall"]
        L.append(f"| {label[shape]} | {r['disk_mb']:.1f} MB | {j1:.2f} ({mb / j1:.1f}) | {al:.2f} ({mb / al:.1f}) "
                 f"| {j1 / al:.2f}× | {le:.2f} ({mb / le:.1f}) | {le / al:.1f}× | {le / j1:.1f}× "
                 f"| {r['edges']:,} | {r['lean']['out']['hits']:,} |")
    L.append("")
    L.append("MB/s are MB of page text (UTF-8, as `--stats` counts them) per second of wall time. Inside the "
             "process (`--stats`, all cores): dictionary load + compile, and the extraction pass alone:")
    L.append("")
    L.append("| shape | load + compile s | extraction pass MB/s `--jobs 1` / all cores | lean peer: automaton build s, "
             "pages MB/s | peak RSS visitgraph all cores / lean peer |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    for shape in SHAPES:
        r = rows[shape]
        st, pe = r["all"]["stats"], r["lean"]["out"]
        L.append(f"| {shape} | {st['dictionary_secs']:.2f} + {st['compile_secs']:.2f} "
                 f"| {r['j1']['stats']['mb_per_s']:.1f} / {st['mb_per_s']:.1f} "
                 f"| {pe['load_compile_secs']:.2f}, {pe['mb_per_s']:.1f} | {r['all']['rss']:.0f} / {r['lean']['rss']:.0f} MB |")
    L.append("")
    sp = res.get("sentence_peer")
    if sp:
        L.append(f"For reference, `bench/peer.py` (the per-sentence peer: one automaton pass per sentence) on the "
                 f"JSON Lines file: {sp['wall']:.2f} s ({mb / sp['wall']:.1f} MB/s), {sp['out']['hits']:,} names; "
                 f"the lean peer (one pass per page) {rows['jsonl']['lean']['wall']:.2f} s, "
                 f"{rows['jsonl']['lean']['out']['hits']:,} names.")
        L.append("")
    gc = res.get("gz_check")
    if gc:
        q = {t: gc[f"jsonl.gz {t}"]["wall"] / gc[f"jsonl {t}"]["wall"] - 1 for t in ("j1", "all")}
        L.append(f"Cross-check of `.jsonl.gz` on distinct pages (the seed pages repeat every 5 pages, so their "
                 f"`.jsonl.gz` is {rows['jsonl.gz']['disk_mb']:.1f} MB and inflating it costs next to nothing): "
                 f"bench.py's generated corpus (`{gc['source']}`, distinct pages), {gc['mb']:.1f} MB of text, as one `.jsonl` ({gc['disk_mb']['jsonl']:.1f} MB) "
                 f"and gzipped ({gc['disk_mb']['jsonl.gz']:.1f} MB): all cores {gc['jsonl all']['wall']:.2f} → "
                 f"{gc['jsonl.gz all']['wall']:.2f} s ({q['all'] * 100:+.0f}%), `--jobs 1` {gc['jsonl j1']['wall']:.2f} → "
                 f"{gc['jsonl.gz j1']['wall']:.2f} s ({q['j1'] * 100:+.0f}%); same graph bytes. "
                 f"Within 15% on all cores: {'yes' if q['all'] <= 0.15 else '**no**'}.")
        L.append("")
    L.append("Runs, all rounds (s): " + "; ".join(
        f"{s} {t} " + "/".join(f"{w:.2f}" for w in rows[s][t]["walls"]) for s in SHAPES for t in ("j1", "all", "lean")) + ".")
    L.append("")
    t, h, j, g = rows["txt"], rows["html"], rows["jsonl"], rows["jsonl.gz"]
    sp_ = lambda r: r["j1"]["wall"] / r["all"]["wall"]
    vs = lambda r: r["lean"]["wall"] / r["all"]["wall"]
    gz = g["all"]["wall"] / j["all"]["wall"] - 1
    gz1 = g["j1"]["wall"] / j["j1"]["wall"] - 1
    targets = [
        (f"folder of `.txt` pages: all cores ≥ 1.7× `--jobs 1` ({sp_(t):.2f}×)", sp_(t) >= 1.7),
        (f"folder of `.html` pages: all cores ≥ 1.7× `--jobs 1` ({sp_(h):.2f}×)", sp_(h) >= 1.7),
        (f"whole process ≥ 4× the lean peer on the `.txt` folder ({vs(t):.1f}× all cores)", vs(t) >= 4),
        (f"whole process ≥ 5× the lean peer on the same pages as one JSON Lines file ({vs(j):.1f}× all cores)",
         vs(j) >= 5),
        (f"`.jsonl.gz` within 15% of plain JSON Lines ({gz * 100:+.0f}% all cores, {gz1 * 100:+.0f}% `--jobs 1`)",
         gz <= 0.15),
    ]
    L.append("Asserted: every run read every page; `--jobs 1` and all-core graphs the same bytes for each shape; "
             "the `.txt` folder, `.jsonl` and `.jsonl.gz` the same graph bytes (ids are the file names); the `.html` "
             "folder as many edges; the lean peer's names matched > 0 on each shape. "
             + (f"**{len(FAILS)} assertion(s) failed**: " + "; ".join(FAILS) + "." if FAILS else "All held."))
    L.append("")
    L.append("Targets of issue 19:")
    L.append("")
    for what, ok in targets:
        L.append(f"- {'met' if ok else '**missed**'}: {what}")
    L.append("")
    return "\n".join(L), targets


def write_section(path, text):
    """Put the section into the results file in place of its previous version (from its
    heading to the next `## ` heading), or at the end; the rest of the file is kept."""
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmark results\n"
    lines = old.splitlines()
    try:
        i = lines.index(SECTION)
        j = next((k for k in range(i + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
        new = lines[:i] + text.rstrip("\n").splitlines() + ([""] + lines[j:] if j < len(lines) else [])
    except ValueError:
        new = lines + [""] + text.rstrip("\n").splitlines()
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(new).rstrip("\n") + "\n")


if __name__ == "__main__":
    sys.exit(main())
