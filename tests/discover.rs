//! Open world (issue 17): pages whose people and firms are in no dictionary, run through
//! `extract --discover` over the built-in dictionaries. One table row per rule, each with
//! variants of our own: other wordings, traditional script, pinyin after the characters,
//! and a negative with the same words. Every person and firm here is invented; the places
//! are real, as the built-in gazetteer knows them.

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// An edge by names: (relation, source, target).
type Edge = (String, String, String);

/// The graph `extract --discover` makes of these pages (each a file of its own), as edges
/// by names, and the nodes by name with their ids.
fn open_graph(pages: &[&str]) -> (BTreeSet<Edge>, BTreeMap<String, Value>) {
    let d = tempfile::tempdir().unwrap();
    for (i, text) in pages.iter().enumerate() {
        let body = format!("澄江新闻网\n首页 > 新闻\n发布时间:2024-05-21\n\n{text}\n");
        std::fs::write(d.path().join(format!("p{i:02}.txt")), body).unwrap();
    }
    let o = ok(bin().args(["extract", "--discover", "-q"]).arg(d.path()));
    let g: Value = serde_json::from_slice(&o.stdout).expect("visitgraph/1 JSON");
    let nodes: BTreeMap<String, Value> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap().to_string(), n.clone()))
        .collect();
    let name = |id: &str| {
        nodes
            .get(id)
            .and_then(|n| n["name"].as_str())
            .unwrap_or(id)
            .to_string()
    };
    let edges = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("relation"), name(&s("source")), name(&s("target")))
        })
        .collect();
    let by_name = nodes
        .values()
        .map(|n| (n["name"].as_str().unwrap_or("").to_string(), n.clone()))
        .collect();
    (edges, by_name)
}

fn edge(rel: &str, a: &str, b: &str) -> Edge {
    (rel.to_string(), a.to_string(), b.to_string())
}

/// One rule: its pages, the edges they must give and the edges they must not.
struct Case {
    rule: &'static str,
    pages: &'static [&'static str],
    want: &'static [(&'static str, &'static str, &'static str)],
    not: &'static [(&'static str, &'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        rule: "a firm read from a converter's traditional script is named in simplified (傢俱 → 家具)",
        pages: &["3月5日,副市長柯明遠到蘇州鴻泰傢俱有限公司調(diào)研。"],
        want: &[("visited", "柯明远", "苏州鸿泰家具有限公司")],
        not: &[("visited", "柯明远", "苏州鸿泰家俱有限公司")],
    },
    Case {
        rule: "the same firm on a simplified page and a converted one is one node",
        pages: &[
            "3月5日,副市长柯明远到苏州鸿泰家具有限公司调研。",
            "3月6日,副市長韋思成到蘇州鴻泰傢俱有限公司調研。",
        ],
        want: &[
            ("visited", "柯明远", "苏州鸿泰家具有限公司"),
            ("visited", "韦思成", "苏州鸿泰家具有限公司"),
        ],
        not: &[("visited", "韦思成", "苏州鸿泰家俱有限公司")],
    },
    Case {
        rule: "a known firm's short name after a place, inside a longer name: a branch of its own",
        pages: &["3月5日,副市长柯明远到武汉华星光电技术有限公司调研。"],
        want: &[("visited", "柯明远", "武汉华星光电技术有限公司")],
        not: &[("visited", "柯明远", "TCL华星光电技术有限公司")],
    },
    Case {
        rule: "the branch in traditional script with pinyin",
        pages: &["3月5日,副市長柯明遠到武漢華星光電(diàn)技術有限公司調(diào)研。"],
        want: &[("visited", "柯明远", "武汉华星光电技术有限公司")],
        not: &[("visited", "柯明远", "TCL华星光电技术有限公司")],
    },
    Case {
        rule: "negative: the short name with only a suffix is the known firm written loosely",
        pages: &["3月5日,副市长柯明远到华星光电有限公司调研。"],
        want: &[("visited", "柯明远", "TCL华星光电技术有限公司")],
        not: &[],
    },
    Case {
        rule: "name after a title, firm with its place",
        pages: &["3月5日,副市长柯明远到苏州澜芯微电子有限公司调研。区长韦思成陪同调研。"],
        want: &[
            ("visited", "柯明远", "苏州澜芯微电子有限公司"),
            ("accompanied", "韦思成", "柯明远"),
        ],
        not: &[("visited", "柯明远", "苏州市")],
    },
    Case {
        rule: "the same in traditional script",
        pages: &["3月5日，副市長柯明遠到蘇州瀾芯微電子有限公司調研。區長韋思成陪同調研。"],
        want: &[
            ("visited", "柯明远", "苏州澜芯微电子有限公司"),
            ("accompanied", "韦思成", "柯明远"),
        ],
        not: &[],
    },
    Case {
        rule: "the same with pinyin after the characters",
        pages: &[
            "3月5日，副市長(zhǎng)柯明遠(yuǎn)到蘇(sū)州瀾芯微電(diàn)子有限公司調(diào)研(yán)。區(qū)長(zhǎng)韋思成陪同調(diào)研(yán)。",
        ],
        want: &[
            ("visited", "柯明远", "苏州澜芯微电子有限公司"),
            ("accompanied", "韦思成", "柯明远"),
        ],
        not: &[],
    },
    Case {
        rule: "two names after one title, a name that is a place (乐山)",
        pages: &["6月2日,市委书记庹远航到成都澜星光电有限公司调研。副市长米乐山、邝书宁参加调研。"],
        want: &[
            ("visited", "庹远航", "成都澜星光电有限公司"),
            ("accompanied", "米乐山", "庹远航"),
            ("accompanied", "邝书宁", "庹远航"),
        ],
        not: &[],
    },
    Case {
        rule: "a firm's chairman is host side: neither companion nor visitor",
        pages: &[
            "6月2日,市委书记庹远航到成都澜星光电有限公司调研。在公司董事长韦思成的陪同下,庹远航察看了生产线。",
            "6月9日,晶澜科技集团董事长韦思成一行到成都考察,先后走访了成都泓川电子有限公司。",
        ],
        want: &[("visited", "庹远航", "成都澜星光电有限公司")],
        not: &[
            ("accompanied", "韦思成", "庹远航"),
            ("visited", "韦思成", "成都泓川电子有限公司"),
        ],
    },
    Case {
        rule: "short names a visit cue lists, closed by 等企业",
        pages: &["7月1日,区长蒯振宁先后走进瀚澄精工、泓瑞化工、澜溪食品等企业,了解生产经营情况。"],
        want: &[
            ("visited", "蒯振宁", "瀚澄精工"),
            ("visited", "蒯振宁", "泓瑞化工"),
            ("visited", "蒯振宁", "澜溪食品"),
        ],
        not: &[],
    },
    Case {
        rule: "a list of sites inside a firm names no firm",
        pages: &[
            "7月1日,区长蒯振宁到苏州澜芯微电子有限公司调研,先后走进生产车间、研发中心和测试实验室。",
        ],
        want: &[("visited", "蒯振宁", "苏州澜芯微电子有限公司")],
        not: &[
            ("visited", "蒯振宁", "生产车间"),
            ("visited", "蒯振宁", "研发中心"),
            ("visited", "蒯振宁", "测试实验室"),
        ],
    },
    Case {
        rule: "a short name later on the page is the full name's node",
        pages: &[
            "苏州芯岚微电子科技有限公司是本地骨干企业。8月3日,副区长郗明哲来到芯岚微电子二期项目现场调研。",
        ],
        want: &[("visited", "郗明哲", "苏州芯岚微电子科技有限公司")],
        not: &[],
    },
    Case {
        rule: "a title-only visitor resolves through a post seen on another page",
        pages: &[
            "4月12日,四川省委书记蔺远舟、省长施承岳率四川省党政代表团来嘉兴考察。",
            "5月20日,省长一行莅临四川岷澜半导体有限公司调研指导。随行领导有省政府秘书长殷楚宁等。",
        ],
        want: &[
            ("visited", "施承岳", "四川岷澜半导体有限公司"),
            ("accompanied", "殷楚宁", "施承岳"),
        ],
        not: &[("visited", "殷楚宁", "四川岷澜半导体有限公司")],
    },
    Case {
        rule: "a companion never leads a visit whose head is an unknown title",
        pages: &[
            "6月5日,市委书记到武进区调研。市委常委、秘书长毕云川陪同调研。书记先后来到江苏恒澜智能装备有限公司和常州铂岳新能源科技有限公司。",
        ],
        want: &[],
        not: &[
            ("visited", "毕云川", "江苏恒澜智能装备有限公司"),
            ("visited", "毕云川", "常州铂岳新能源科技有限公司"),
        ],
    },
    Case {
        rule: "a name before a title (尚明远代省长)",
        pages: &["5月1日,尚明远代省长在成都考察了成都澜星光电有限公司。"],
        want: &[("visited", "尚明远", "成都澜星光电有限公司")],
        not: &[],
    },
    Case {
        rule: "a numbered institute keeps its parent",
        pages: &[
            "9月1日,副省长柯明远在中国澜电科技集团有限公司第三十九研究所调研,察看了微波组件生产线。",
        ],
        want: &[(
            "visited",
            "柯明远",
            "中国澜电科技集团有限公司第三十九研究所",
        )],
        not: &[("visited", "柯明远", "中国澜电科技集团有限公司")],
    },
    Case {
        rule: "a zone after its city",
        pages: &["10月21日,副市长宫绍宁到济南高新区调研重点产业项目建设情况。"],
        want: &[("visited", "宫绍宁", "济南高新区")],
        not: &[("visited", "宫绍宁", "济南市")],
    },
    Case {
        rule: "a meeting with the same names is no visit",
        pages: &[
            "3月5日,副市长柯明远会见了苏州澜芯微电子有限公司董事长韦思成一行,双方就扩产项目进行了交流。",
        ],
        want: &[],
        not: &[
            ("visited", "柯明远", "苏州澜芯微电子有限公司"),
            ("visited", "韦思成", "苏州澜芯微电子有限公司"),
        ],
    },
    Case {
        rule: "a topic of inspection is no list of firms",
        pages: &[
            "10月16日,区委书记庞远川带队调研我区智能传感和新能源重点企业。随后,市政协主席牟思宁赴烟台经济技术开发区视察海洋经济和新材料产业发展情况。",
        ],
        want: &[],
        not: &[
            ("visited", "庞远川", "我区智能传感"),
            ("visited", "庞远川", "新能源重点企业"),
            ("visited", "牟思宁", "海洋经济"),
        ],
    },
    Case {
        rule: "a site inside a firm leaves no name behind (亚太研发中心)",
        pages: &[
            "5月8日,副市长谈启明来到苏州澜芯微电子有限公司,参观了传感器生产线和亚太研发中心。",
        ],
        want: &[("visited", "谈启明", "苏州澜芯微电子有限公司")],
        not: &[("visited", "谈启明", "亚太")],
    },
    Case {
        rule: "names before 等市领导 are officials; before 等企业负责人 they are not",
        pages: &[
            "1月4日,市委书记邴远航带领我市党政代表团到南京市六合区考察。戎晓川、宦建明等市领导随团考察。代表团先后来到南京汇澜制药机械有限公司。",
            "1月5日,市委书记邴远航到南京泓岳特钢有限公司调研。翟立新、蔡文川等企业负责人陪同。",
        ],
        want: &[
            ("accompanied", "戎晓川", "邴远航"),
            ("accompanied", "宦建明", "邴远航"),
            ("visited", "邴远航", "南京汇澜制药机械有限公司"),
        ],
        not: &[
            ("accompanied", "翟立新", "邴远航"),
            ("accompanied", "蔡文川", "邴远航"),
        ],
    },
    Case {
        rule: "sites by their suffix, short and plain; a numbered unit in a list keeps its number",
        pages: &[
            "7月18日,副省长晁立明一行先后来到遂宁锂澜新材料中试基地、岷芯集团11所和遂宁泓驰软件有限公司。晁立明表示,欢迎企业在四川设立生产基地。",
        ],
        want: &[
            ("visited", "晁立明", "遂宁锂澜新材料中试基地"),
            ("visited", "晁立明", "岷芯集团11所"),
            ("visited", "晁立明", "遂宁泓驰软件有限公司"),
        ],
        not: &[("visited", "晁立明", "四川设立生产基地")],
    },
    Case {
        rule: "a three-character name before 等 (晏清和等)",
        pages: &["9月11日,副省长邝仲明到绵阳澜芯电子有限公司调研。省政协委员晏清和等参加调研。"],
        want: &[("accompanied", "晏清和", "邝仲明")],
        not: &[("accompanied", "晏清", "邝仲明")],
    },
    Case {
        rule: "a phase of a project is its firm (瀚澄药业三期工程)",
        pages: &[
            "6月21日,副区长甄立川在丰澜面粉、瀚澄药业三期工程、沃岳数控等企业和项目一线察看生产经营。",
            "6月22日，副區長甄立川在豐瀾麵粉、瀚澄藥業三期工程、沃嶽數控等企業和項目一線察看生產經營。",
        ],
        want: &[
            ("visited", "甄立川", "瀚澄药业"),
            ("visited", "甄立川", "丰澜面粉"),
        ],
        not: &[("visited", "甄立川", "瀚澄药业三期工程")],
    },
    Case {
        rule: "one short name a movement cue goes to; not an act (进博会展馆巡馆)",
        pages: &[
            "9月5日,市长冯远池来到霞澜产业园,并走进园区内的科澜模具,察看模具加工车间。",
            "9月6日,市长冯远池前往进博会展馆巡馆,了解展会筹备情况。",
        ],
        want: &[("visited", "冯远池", "科澜模具")],
        not: &[("visited", "冯远池", "进博会展馆巡馆")],
    },
    Case {
        rule: "a short name without its trade is the full name's node (禾澜医疗)",
        pages: &[
            "储向明来到禾澜医疗产业化基地项目工地,察看施工进度。该项目由厦门禾澜医疗器械股份有限公司投资建设。",
        ],
        want: &[("visited", "储向明", "厦门禾澜医疗器械股份有限公司")],
        not: &[],
    },
    Case {
        rule: "a surname with a title later on the page is the full name found before (柯市长)",
        pages: &[
            "3月5日,副市长柯明远到吴江区调研。区长韦思成陪同调研。随后,柯市长一行来到苏州澜芯微电子有限公司。",
            "3月5日，副市長柯明遠到吳江區調研。區長韋思成陪同調研。隨後，柯市長一行來到蘇州瀾芯微電子有限公司。",
        ],
        want: &[
            ("visited", "柯明远", "苏州澜芯微电子有限公司"),
            ("accompanied", "韦思成", "柯明远"),
        ],
        not: &[("visited", "韦思成", "苏州澜芯微电子有限公司")],
    },
    Case {
        rule: "an association's staff joined by 、 are its people, not officials",
        pages: &[
            "9月14日,中国澜纤新材料产业协会会长郁文川一行来到浙江澄岚化纤股份有限公司调研,协会科技部主任卜晓云、信息部主任仇嘉宁随行。",
        ],
        want: &[],
        not: &[
            ("visited", "仇嘉宁", "浙江澄岚化纤股份有限公司"),
            ("visited", "郁文川", "浙江澄岚化纤股份有限公司"),
            ("visited", "卜晓云", "浙江澄岚化纤股份有限公司"),
        ],
    },
];

#[test]
fn open_world_rules() {
    let mut failures = Vec::new();
    for c in CASES {
        let (edges, _) = open_graph(c.pages);
        for &(r, a, b) in c.want {
            if !edges.contains(&edge(r, a, b)) {
                failures.push(format!("{}: missing {r} {a} -> {b}; got {edges:?}", c.rule));
            }
        }
        for &(r, a, b) in c.not {
            if edges.contains(&edge(r, a, b)) {
                failures.push(format!("{}: unwanted {r} {a} -> {b}", c.rule));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn discovered_ids_read_surnames_as_surnames_and_mark_candidates() {
    let (_, nodes) = open_graph(&[
        "3月5日,市委书记单宏远到苏州澜芯微电子有限公司调研。副市长阚一川、区长区志明陪同调研。",
    ]);
    for (name, id) in [
        ("单宏远", "shan-hongyuan"),
        ("阚一川", "kan-yichuan"),
        ("区志明", "ou-zhiming"),
    ] {
        let n = nodes
            .get(name)
            .unwrap_or_else(|| panic!("{name} in {nodes:?}"));
        assert_eq!(n["id"], id, "{name}");
        assert_eq!(n["candidate"], true, "{name}");
    }
}

#[test]
fn byline_reporters_and_quoted_leaders_are_not_officials() {
    let (edges, nodes) = open_graph(&[
        "本报讯(记者 童嘉远 通讯员 阳文斌)5月20日,副市长柯明远到苏州澜芯微电子有限公司调研。他要求深入学习贯彻习近平总书记关心集成电路产业发展的重要指示精神。",
    ]);
    assert!(edges.contains(&edge("visited", "柯明远", "苏州澜芯微电子有限公司")));
    for not_a_person in ["童嘉远", "阳文斌", "关心"] {
        assert!(
            !edges
                .iter()
                .any(|(_, a, b)| a == not_a_person || b == not_a_person),
            "{not_a_person} in {edges:?}"
        );
        let official = nodes
            .get(not_a_person)
            .is_some_and(|n| n["type"] == "official");
        assert!(!official, "{not_a_person} made an official");
    }
}

/// A firm read with words of its sentence before it (方式随机抽查苏州澜芯…, where the word
/// before the verb is a noun, so the leading words were not trimmed) is folded into the
/// firm's own name found elsewhere: in simplified and traditional script with pinyin; a
/// place before the name (武汉澜芯…) is another firm and stays apart.
#[test]
fn sentence_words_before_a_firm_fold_into_its_name() {
    let d = tempfile::tempdir().unwrap();
    let pages = [
        "3月5日,副市长柯明远到苏州澜芯微电子有限公司调研。",
        "3月6日,督查组以“四不两直”方式随机抽查苏州澜芯微电子有限公司,柯明远参加。",
        "3月6日,督查組以“四不兩直”方式隨(suí)機抽查蘇州瀾芯微電子有限公司。",
        "3月7日,副市长柯明远到武汉澜芯微电子有限公司调研。",
    ];
    for (i, text) in pages.iter().enumerate() {
        let body = format!("澄江新闻网\n发布时间:2024-05-21\n\n{text}\n");
        std::fs::write(d.path().join(format!("p{i:02}.txt")), body).unwrap();
    }
    let o = ok(bin().args(["candidates", "--format", "json"]).arg(d.path()));
    let list: Vec<Value> = serde_json::from_slice(&o.stdout).expect("a JSON array");
    let orgs: BTreeMap<&str, u64> = list
        .iter()
        .filter(|c| c["kind"] == "organization")
        .map(|c| (c["name"].as_str().unwrap(), c["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        orgs,
        BTreeMap::from([("苏州澜芯微电子有限公司", 3), ("武汉澜芯微电子有限公司", 1)]),
        "{list:?}"
    );
}
