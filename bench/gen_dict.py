#!/usr/bin/env python3
"""Write a benchmark dictionary layer of N entries (officials + organizations) as a --dict
folder meant for `--no-builtin`: the shipped rows (dictionaries/*.tsv except triggers.tsv)
come first, then generated officials (2-3 character names, 30% with a government post) and
organizations (company-style names with a short alias; some institutes and parks).

Seeded and reproducible: the same --seed and --entries give the same bytes.

    python3 bench/gen_dict.py --entries 100000 --out /tmp/vg-bench/dict-100k

Characters that appear in a cue word of triggers.tsv are kept out of generated names (a
name must not contain 到, 来, 将…), and, when the `opencc` module is importable, so is any
character that does not survive simplified -> traditional -> simplified (the corpus
generator converts half the pages to traditional script).
"""

import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建国红志宏文斌云峰海燕宇晨"
    "浩然思远嘉怡子轩雨欣博睿梓涵俊熙瑞泽晓彤佳琪诗雅翊川钧岑彦霖昊铭朗逸煜哲楷桐瀚沐骁宸奕"
    "琳璇婧姝岚蔚瑾菁昕妍颖凯旭晖昱晟炜烨荣德承毅松柏林森涵沛湘澜潇淇丞斐庭耀坤锦钰珂璐瑶"
    "慧敬谦恒益振兆启铮骏腾飞翔鸿雁鹤鸣清源泓洁霄宁静怡悦乐安康福寿永长春秋冬梅竹菊"
)
BRAND = (
    "澄励拓屿钧衡亦泓澎芯领先华创中科海鸿新诺博睿天擎星驰云帆瑞丰盛泰鼎晟恒达润禾宏图精诚"
    "凯博融信锐捷明德正泰安远智源聚能迅驰汇通昊天鑫隆合众卓越华晶芯动微纳光启元芯灵犀赛恩"
    "和利英锐思达蓝海翰林锦程嘉禾景川玄武青松朗润泽坤乾元弘毅同创方舟启明长风浩瀚峻岭雅韵"
)
INDUSTRY = [
    ("电子科技", "电子"), ("半导体", "半导体"), ("新材料科技", "新材料"), ("精密机械", "精密"),
    ("生物医药", "生物"), ("智能装备", "智能装备"), ("新能源科技", "新能源"), ("光电科技", "光电"),
    ("微电子", "微电子"), ("集成电路", "集成电路"), ("传感技术", "传感"), ("信息技术", "信息"),
    ("汽车零部件", "汽车零部件"), ("化工", "化工"), ("环保科技", "环保"), ("机器人", "机器人"),
    ("医疗器械", "医疗器械"), ("软件", "软件"), ("通信技术", "通信"), ("储能科技", "储能"),
]
SUFFIX = ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]
INSTITUTE = ["研究院", "研究所", "技术研究院", "创新中心"]
PARK = ["产业园", "科技园", "创新园", "产业基地"]
TITLES = {
    "city": ["市长", "副市长", "市委书记", "市委副书记"],
    "district": ["区长", "副区长", "区委书记", "区委副书记"],
    "county": ["县长", "副县长", "县委书记", "县委副书记"],
}


def read_tsv(path):
    """Rows of a dictionary TSV (header and # comments skipped), as lists of cells."""
    rows = []
    with open(path, encoding="utf-8-sig") as f:
        header = None
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


def cue_chars(triggers):
    out = set()
    for row in read_tsv(triggers):
        out.update(row[0])
    return out


def round_trip_filter(chars):
    """Keep the characters that come back unchanged through s2t then t2s (if opencc is here)."""
    try:
        import opencc  # noqa: PLC0415
    except ImportError:
        return chars
    s2t = opencc.OpenCC("s2t.json")
    t2s = opencc.OpenCC("t2s.json")
    return "".join(c for c in chars if t2s.convert(s2t.convert(c)) == c)


def pool(chars, banned):
    seen = []
    for c in chars:
        if c not in banned and c not in seen:
            seen.append(c)
    return "".join(seen)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, required=True, help="generated officials + organizations")
    ap.add_argument("--out", required=True, help="folder to write (created)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--shipped", default=os.path.join(REPO, "dictionaries"))
    a = ap.parse_args()

    rng = random.Random(a.seed * 1_000_003 + a.entries)
    banned = cue_chars(os.path.join(a.shipped, "triggers.tsv"))
    surnames = round_trip_filter(pool(SURNAMES, banned))
    given = round_trip_filter(pool(GIVEN, banned))
    brand = round_trip_filter(pool(BRAND, banned))

    shipped = {n: read_tsv(os.path.join(a.shipped, n)) for n in
               ("officials.tsv", "organizations.tsv", "places.tsv", "posts.tsv")}
    taken = set()
    for name in ("officials.tsv", "organizations.tsv", "places.tsv"):
        for row in shipped[name]:
            taken.add(row[1])
            if len(row) > 2 and row[2]:
                taken.update(row[2].split("|"))
    places = {"city": [], "district": [], "county": []}
    for row in shipped["places.tsv"]:
        if len(row) > 3 and row[3] in places:
            places[row[3]].append(row)
    cities = places["city"]

    n_off = a.entries * 2 // 5
    n_org = a.entries - n_off
    officials, posts, orgs = [], [], []
    while len(officials) < n_off:
        k = 2 if rng.random() < 0.2 else 3
        name = rng.choice(surnames) + "".join(rng.choice(given) for _ in range(k - 1))
        if name in taken:
            continue
        taken.add(name)
        oid = f"bo{len(officials)}"
        officials.append((oid, name))
        if rng.random() < 0.3:
            level = rng.choice(("city", "district", "county"))
            place = rng.choice(places[level])
            posts.append((oid, rng.choice(TITLES[level]), place[0], f"{rng.randint(2015, 2023)}-{rng.randint(1, 12):02d}"))
    while len(orgs) < n_org:
        city = rng.choice(cities)
        short_city = city[1][:-1] if city[1].endswith("市") and len(city[1]) > 2 else city[1]
        b = "".join(rng.choice(brand) for _ in range(rng.choice((2, 2, 3))))
        r = rng.random()
        if r < 0.85:
            ind, ind_short = rng.choice(INDUSTRY)
            name = f"{short_city}{b}{ind}{rng.choice(SUFFIX)}"
            alias = f"{b}{ind_short}"
            kind = "company"
        elif r < 0.95:
            ind, ind_short = rng.choice(INDUSTRY)
            name = f"{short_city}{b}{ind_short}{rng.choice(INSTITUTE)}"
            alias = ""
            kind = "institute"
        else:
            name = f"{short_city}{b}{rng.choice(PARK)}"
            alias = ""
            kind = "park"
        if name in taken:
            continue
        taken.add(name)
        if alias and alias in taken:
            alias = ""
        if alias:
            taken.add(alias)
        orgs.append((f"bg{len(orgs)}", name, alias, kind, city[0]))

    os.makedirs(a.out, exist_ok=True)

    def write(name, header, shipped_rows, rows):
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            f.write("\t".join(header) + "\n")
            for r in shipped_rows:
                f.write("\t".join(r) + "\n")
            for r in rows:
                f.write("\t".join(r) + "\n")

    write("officials.tsv", ["id", "name", "aliases"], shipped["officials.tsv"], [(i, n, "") for i, n in officials])
    write("organizations.tsv", ["id", "name", "aliases", "kind", "place"], shipped["organizations.tsv"], orgs)
    write("places.tsv", ["id", "name", "aliases", "level", "parent"], shipped["places.tsv"], [])
    write("posts.tsv", ["official", "title", "jurisdiction", "from", "to"], shipped["posts.tsv"],
          [(o, t, j, f, "") for o, t, j, f in posts])
    print(f"gen_dict: {len(officials)} officials ({len(posts)} with a post), {len(orgs)} organizations -> {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
