#!/usr/bin/env python3
"""Write a seeded, reproducible corpus of news-like pages that name the entities of a
dictionary, as JSON Lines shards (`{"id": ..., "text": ...}`), plus a manifest.

    bench/.work/venv/bin/python bench/gen_corpus.py --dict dictionaries --mb 200 --out /tmp/vg-bench/corpus-shipped

Pages look like the scraped pages visitgraph reads: a site line, a breadcrumb, a headline,
a `发布时间:` line, 3-8 body paragraphs (inspection visits: title + official + cue +
organizations; meetings and receptions; policy filler) and a related-headline tail; about a
tenth are headline-list index pages. About half the pages are converted to traditional
script (OpenCC s2t, per page) and about a third get pinyin pasted after some characters
(`區(qū)`, pypinyin).

Shard i is generated from its own random stream (seed, i), so a 50 MB corpus is exactly the
first shards of the 200 MB one. The manifest (`manifest.json`) records the seed, sizes,
pages, and the dictionary-name mentions inserted (all, and in plain simplified pages
without pinyin, which a raw byte scan must find); `pairs.tsv` lists every distinct
(official id, organization id) visit the body text states, to score recall.

Needs the `opencc` and `pypinyin` modules (bench/run.sh installs them in its venv).
"""

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import re
import sys

import opencc
from pypinyin import Style, pinyin

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gen_dict import read_tsv  # noqa: E402

VISIT_KINDS = {"company", "institute", "lab", "park", "university", "project"}
GENERIC_TITLES = ["副市长", "市委常委", "副区长", "区委常委", "副县长", "副省长", "市政协副主席"]
SITE_TAILS = ["人民政府", "新闻网", "融媒体中心", "日报", "发布"]
SECTIONS = ["新闻中心 > 政务要闻", "新闻动态 > 本地要闻", "要闻动态", "新闻中心 > 领导活动", "政务公开 > 工作动态"]
INSPECT = [
    "实地察看生产线运行情况,详细了解企业研发投入、订单和用工保障等情况",
    "走进研发实验室和总装车间,听取企业负责人关于项目进展的汇报",
    "详细询问产品市场前景和技术攻关进展,现场协调解决企业发展中遇到的困难",
    "察看企业生产车间,详细了解产品工艺流程和性能等情况",
    "听取企业技术研发、场景应用、未来规划等相关介绍",
]
LEAD_VERBS = ["带队调研", "调研", "深入调研", "实地考察", "走访调研", "带队考察"]
ARRIVE = ["先后来到", "先后前往", "来到", "随后来到", "先后走进"]
TOPICS = ["安全生产", "招商引资", "优化营商环境", "科技创新", "重点项目建设", "产业链协同", "人才引进"]
FILL_S = ["各板块、各部门", "相关部门", "全区上下", "各级各部门", "全市上下", "有关方面", "园区管委会"]
FILL_V = ["要坚持", "要围绕", "持续推动", "加快推进", "全面落实", "切实做好", "扎实推进", "不断深化"]
FILL_O = [
    "高质量发展", "营商环境优化提升", "产业链供应链稳定畅通", "科技创新和产业创新深度融合",
    "重大项目攻坚", "新质生产力培育", "数字经济和实体经济融合", "民生保障各项工作", "绿色低碳转型",
]
FILL_T = [
    ",不断增强发展新动能", ",为经济社会发展作出新的更大贡献", ",推动各项决策部署落地见效",
    ",以更大力度服务企业发展", ",努力在新一轮竞争中赢得主动", ",确保全年目标任务圆满完成",
]
TAIL = ["相关新闻", "相关阅读", "推荐阅读", "热点新闻"]
PINYIN_OK = re.compile(r"^[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+$")
HAN = re.compile(r"[\u4e00-\u9fff]")

D = {}  # the dictionary, loaded once in the parent and shared with forked workers


def load(dict_dir):
    posts = {}
    host = set()
    org_ids = set()
    for row in read_tsv(os.path.join(dict_dir, "organizations.tsv")):
        org_ids.add(row[0])
    for row in read_tsv(os.path.join(dict_dir, "posts.tsv")):
        if len(row) < 3:
            continue
        if row[2] in org_ids:
            host.add(row[0])
        elif len(row) < 5 or not row[4]:
            posts.setdefault(row[0], row[1])
    officials = []
    for row in read_tsv(os.path.join(dict_dir, "officials.tsv")):
        if row[0] in host or len(row) < 2:
            continue
        officials.append((row[0], row[1], posts.get(row[0])))
    orgs = []
    for row in read_tsv(os.path.join(dict_dir, "organizations.tsv")):
        row += [""] * (5 - len(row))
        if row[3] in VISIT_KINDS:
            names = [row[1]] + [x for x in row[2].split("|") if x and not x.isascii()]
            orgs.append((row[0], names))
    cities = [row[1] for row in read_tsv(os.path.join(dict_dir, "places.tsv"))
              if len(row) > 3 and row[3] in ("city", "district", "county")]
    D.update(officials=officials, orgs=orgs, cities=cities)


class Page:
    def __init__(self, rng):
        self.rng = rng
        self.mentions = 0
        self.visits = 0
        self.pairs = set()

    def official(self):
        oid, name, title = self.rng.choice(D["officials"])
        self.mentions += 1
        return oid, name, title or self.rng.choice(GENERIC_TITLES)

    def org(self, full=None):
        oid, names = self.rng.choice(D["orgs"])
        self.mentions += 1
        use_full = full if full is not None else self.rng.random() < 0.6
        return oid, names[0] if use_full or len(names) == 1 else self.rng.choice(names[1:])

    def filler(self, n):
        r = self.rng
        out = []
        for _ in range(n):
            s = f"{r.choice(FILL_S)}{r.choice(FILL_V)}{r.choice(FILL_O)}{r.choice(FILL_T)}"
            if r.random() < 0.3:
                s = f"{r.choice(D['cities'])}{s}"
            out.append(s + "。")
        return "".join(out)

    def when(self):
        r = self.rng
        return f"{r.randint(1, 12)}月{r.randint(1, 28)}日{r.choice(['上午', '下午', ''])}"

    def lead(self):
        r = self.rng
        aid, a, at = self.official()
        k = r.choice((1, 2, 2, 3))
        targets = [self.org() for _ in range(k)]
        for t, _ in targets:
            self.pairs.add((aid, t))
        self.visits += 1
        s = f"{self.when()},{at}{a}{r.choice(LEAD_VERBS)}{'、'.join(n for _, n in targets)},{r.choice(INSPECT)}。"
        if r.random() < 0.7:
            _, b, bt = self.official()
            s += f"{bt}{b}参加调研。"
        return (aid, a, at), s

    def follow(self, who):
        r = self.rng
        aid, a, _ = who
        targets = [self.org() for _ in range(r.choice((1, 2)))]
        for t, _ in targets:
            self.pairs.add((aid, t))
        self.visits += 1
        self.mentions += 1
        return f"{a}一行{r.choice(ARRIVE)}{'和'.join(n for _, n in targets)},{r.choice(INSPECT)}。{self.filler(1)}"

    def meeting(self):
        r = self.rng
        _, c, ct = self.official()
        if r.random() < 0.5:
            _, o = self.org()
            return f"{self.when()},{ct}{c}会见了{o}董事长一行,双方就深化合作进行了交流。{self.filler(1)}"
        _, o = self.org()
        return f"{self.when()},{ct}{c}主持召开{r.choice(TOPICS)}工作会议,{o}等企业负责人参加会议。{self.filler(1)}"

    def headline(self, who=None):
        r = self.rng
        if who is None:
            _, a, at = self.official()
        else:
            _, a, at = who
            self.mentions += 1
        _, o = self.org(full=False)
        return r.choice([f"{a}调研{o}", f"{at}{a}到{o}调研", f"{a}走访{o}等企业", f"{o}获评省级专精特新企业"])

    def related(self, n):
        return "\n".join(f"· {self.headline()}" for _ in range(n))

    def header(self, headline):
        r = self.rng
        y, m, d = r.randint(2019, 2025), r.randint(1, 12), r.randint(1, 28)
        site = f"{r.choice(D['cities'])}{r.choice(SITE_TAILS)}"
        return (f"{site}\n首页 > {r.choice(SECTIONS)}\n{headline}\n"
                f"发布时间:{y}-{m:02d}-{d:02d} {r.randint(7, 21):02d}:{r.randint(0, 59):02d}    "
                f"来源:{site}    【打印】【关闭】\n\n")

    def article(self):
        r = self.rng
        who, first = self.lead()
        paras = [first]
        for _ in range(r.randint(2, 7)):
            x = r.random()
            if x < 0.35:
                paras.append(self.follow(who))
            elif x < 0.6:
                paras.append(self.meeting())
            else:
                paras.append(self.filler(r.randint(2, 5)))
        tail = f"\n\n{r.choice(TAIL)}\n{self.related(r.randint(3, 6))}\n"
        return self.header(self.headline(who)) + "\n\n".join(paras) + tail

    def index(self):
        r = self.rng
        lines = []
        for _ in range(r.randint(15, 30)):
            lines.append(f"· {self.headline()}    {r.randint(2019, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")
        return self.header("政务要闻") + "\n".join(lines) + "\n\n上一页 下一页 尾页\n"


PY = {}


def annotate(text, rng, rate):
    def one(m):
        c = m.group(0)
        if rng.random() >= rate:
            return c
        p = PY.get(c)
        if p is None:
            got = pinyin(c, style=Style.TONE)[0][0]
            p = PY[c] = got if PINYIN_OK.match(got) else ""
        return f"{c}({p})" if p else c
    return HAN.sub(one, text)


def shard(args):
    seed, i, target, out_dir = args
    rng = random.Random(f"{seed}/{i}")
    s2t = opencc.OpenCC("s2t.json")
    st = dict(pages=0, bytes=0, traditional=0, pinyin=0, index_pages=0, mentions=0, mentions_plain=0, visits=0)
    pairs = set()
    name = f"shard-{i:04d}.jsonl"
    with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
        while st["bytes"] < target:
            p = Page(rng)
            is_index = rng.random() < 0.1
            text = p.index() if is_index else p.article()
            trad = rng.random() < 0.5
            py = rng.random() < 1 / 3
            if trad:
                text = s2t.convert(text)
            if py:
                head, sep, body = text.partition("\n\n")
                text = head + sep + annotate(body, rng, 0.06)
            doc = f"s{i:04d}-{st['pages']:06d}"
            f.write(json.dumps({"id": doc, "text": text}, ensure_ascii=False) + "\n")
            st["pages"] += 1
            st["bytes"] += len(text.encode("utf-8"))
            st["traditional"] += trad
            st["pinyin"] += py
            st["index_pages"] += is_index
            st["mentions"] += p.mentions
            st["mentions_plain"] += 0 if (trad or py) else p.mentions
            st["visits"] += p.visits
            pairs |= p.pairs
    st["file"] = name
    return st, pairs


def dict_hash(d):
    h = hashlib.sha256()
    for n in ("officials.tsv", "organizations.tsv", "places.tsv", "posts.tsv"):
        with open(os.path.join(d, n), "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:16]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dict", required=True, help="dictionary folder whose names the pages mention")
    ap.add_argument("--mb", type=float, default=200, help="corpus size in MB of page text (default 200)")
    ap.add_argument("--shard-mb", type=float, default=6.25, help="size of one JSONL shard (default 6.25)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    a = ap.parse_args()

    load(a.dict)
    os.makedirs(a.out, exist_ok=True)
    shard_bytes = int(a.shard_mb * 1e6)
    n = max(1, int(round(a.mb * 1e6 / shard_bytes)))
    work = [(a.seed, i, shard_bytes, a.out) for i in range(n)]
    with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
        results = pool.map(shard, work, chunksize=1)
    shards = [st for st, _ in results]
    pairs = set().union(*(p for _, p in results))
    total = {k: sum(s[k] for s in shards) for k in shards[0] if k != "file"}
    manifest = dict(seed=a.seed, mb=a.mb, shard_mb=a.shard_mb, dict=os.path.abspath(a.dict),
                    dict_hash=dict_hash(a.dict), officials=len(D["officials"]), organizations=len(D["orgs"]),
                    distinct_pairs=len(pairs), **total, shards=shards)
    with open(os.path.join(a.out, "pairs.tsv"), "w", encoding="utf-8") as f:
        for o, t in sorted(pairs):
            f.write(f"{o}\t{t}\n")
    with open(os.path.join(a.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    print(f"gen_corpus: {total['pages']} pages, {total['bytes'] / 1e6:.1f} MB, {total['mentions']} mentions, "
          f"{len(pairs)} distinct visit pairs -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
