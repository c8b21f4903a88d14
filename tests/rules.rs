//! Table-driven rule tests: one small invented page per rule, positive and negative, run
//! through the whole library pipeline with a small invented dictionary.

use std::collections::BTreeSet;

mod common;

use visitgraph::page::Extractor;
use visitgraph::page::relate::Rel;

const PLACES: &str = "id\tname\taliases\tlevel\tparent
china\t中国\t\tcountry\t
zhejiang\t浙江省\t浙江\tprovince\tchina
hangzhou\t杭州市\t杭州\tcity\tzhejiang
xihu\t西湖区\t\tdistrict\thangzhou
jiangsu\t江苏省\t江苏\tprovince\tchina
nanjing\t南京市\t南京\tcity\tjiangsu
lishui\t丽水市\t丽水\tcity\tzhejiang
songyang\t松阳县\t\tcounty\tlishui
";
const ORGS: &str = "id\tname\taliases\tkind\tplace
qiming\t杭州启明芯片有限公司\t启明芯片\tcompany\thangzhou
xh-lab\t西湖光电实验室\t\tlab\txihu
yuanchuan\t南京远川装备股份有限公司\t远川装备\tcompany\tnanjing
yungu\t杭州云谷集成电路产业园\t云谷产业园\tpark\txihu
inst9\t中国恒远电子集团第九研究所\t九所|9所\tinstitute\thangzhou
sy-tea\t松阳县茶厂\t\tcompany\tsongyang
sy-paper\t松阳县纸厂\t\tcompany\tsongyang
hzrb\t杭州日报\t\tmedia\thangzhou
lanxin\t蓝芯微电子有限公司\tLanxin\tcompany\thangzhou
";
const OFFICIALS: &str = "id\tname\taliases
lu-ming\t陆明\t
qin-yu\t秦羽\t
he-feng\t贺丰\t
wu-lan\t吴澜\t
zhou-qi\t周启\t
ding-ke\t丁可\t
fang-yu\t方宇\t
gu-yan\t顾言\t
shi-hang\t施航\t
pan-wen\t潘文\t
jiang-he\t江河\t
";
const POSTS: &str = "official\ttitle\tjurisdiction\tfrom\tto
lu-ming\t市委书记\thangzhou\t2020-01\t2023-12
qin-yu\t市委书记\thangzhou\t2024-01\t
he-feng\t市长\thangzhou\t2021\t
wu-lan\t副市长\thangzhou\t2021\t
zhou-qi\t副市长\thangzhou\t2021\t
ding-ke\t董事长\tqiming\t2015\t
fang-yu\t所长\tinst9\t2019\t
gu-yan\t省委书记\tjiangsu\t2022\t
shi-hang\t省长\tjiangsu\t2022\t
pan-wen\t省委副书记\tzhejiang\t2022\t
jiang-he\t省政府秘书长\tjiangsu\t2022\t
";

fn extractor() -> Extractor {
    common::extractor("rules", PLACES, ORGS, OFFICIALS, POSTS)
}

fn page(pub_date: &str, body: &str) -> String {
    format!("测试网\n首页 > 要闻\n测试标题\n发布时间:{pub_date} 10:00  来源:测试网\n\n{body}\n")
}

/// `V 甲 乙` for visited, `A 甲 乙` for accompanied, by canonical name.
fn run(ex: &Extractor, text: &str) -> (BTreeSet<String>, BTreeSet<Option<String>>) {
    let found = ex.extract("t.txt", text);
    let name = |i: usize| ex.dict.entities[i].name.clone();
    let rels = found
        .iter()
        .map(|f| {
            let r = if f.rel == Rel::Visited { "V" } else { "A" };
            format!("{r} {} {}", name(f.source), name(f.target))
        })
        .collect();
    let dates = found
        .iter()
        .filter(|f| f.rel == Rel::Visited)
        .map(|f| f.evidence.date.clone())
        .collect();
    (rels, dates)
}

struct Case {
    rule: &'static str,
    pub_date: &'static str,
    body: &'static str,
    want: &'static [&'static str],
    date: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        rule: "a Latin alias matches in any case",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰来到LANXIN调研。",
        want: &["V 贺丰 蓝芯微电子有限公司"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "a Latin alias inside a longer Latin word is not a name",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰来到BLANXINX调研。",
        want: &[],
        date: None,
    },
    Case {
        rule: "title+name subject, one cue with three targets, one title two companions",
        pub_date: "2024-05-02",
        body: "5月1日,市委书记秦羽先后来到杭州启明芯片有限公司、西湖光电实验室和杭州云谷集成电路产业园调研。副市长吴澜、周启参加调研。",
        want: &[
            "V 秦羽 杭州启明芯片有限公司",
            "V 秦羽 西湖光电实验室",
            "V 秦羽 杭州云谷集成电路产业园",
            "A 吴澜 秦羽",
            "A 周启 秦羽",
        ],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "title alone resolved through posts by place and date (earlier holder)",
        pub_date: "2023-05-02",
        body: "5月1日,杭州市委书记一行来到杭州启明芯片有限公司,察看生产线。",
        want: &["V 陆明 杭州启明芯片有限公司"],
        date: Some("2023-05-01"),
    },
    Case {
        rule: "title alone resolved through posts by place and date (later holder)",
        pub_date: "2024-05-02",
        body: "5月1日,杭州市委书记一行来到杭州启明芯片有限公司,察看生产线。",
        want: &["V 秦羽 杭州启明芯片有限公司"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "carried subject, 市领导, short name and 该公司",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰到南京远川装备股份有限公司调研。杭州启明芯片有限公司是一家设计企业。随后,市领导来到该公司研发中心。远川装备负责人介绍了情况。",
        want: &[
            "V 贺丰 南京远川装备股份有限公司",
            "V 贺丰 杭州启明芯片有限公司",
        ],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "host side (在…的陪同下) is no companion; the host's firm is the target",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰调研集成电路产业。启明芯片成立于2010年。在公司董事长丁可的陪同下,贺丰察看了生产线。",
        want: &["V 贺丰 杭州启明芯片有限公司"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "a meeting (主持, 出席) is not a visit",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰主持召开市政府常务会议研究调研杭州启明芯片有限公司二期项目。副市长吴澜出席。",
        want: &[],
        date: None,
    },
    Case {
        rule: "a reception (会见) is not a visit, nor are the guests' inspections",
        pub_date: "2024-05-02",
        body: "5月1日,市委书记秦羽会见了来杭考察的南京远川装备股份有限公司客人一行。副市长吴澜参加会见。",
        want: &[],
        date: None,
    },
    Case {
        rule: "a quoted past inspection is not an event",
        pub_date: "2024-05-02",
        body: "5月1日,市委书记秦羽主持学习会,要求全市学习贯彻总书记考察杭州启明芯片有限公司时的重要讲话精神。",
        want: &[],
        date: None,
    },
    Case {
        rule: "a planned visit is not an event",
        pub_date: "2024-05-02",
        body: "5月1日,市政府发布通知,市长贺丰将于下月赴杭州启明芯片有限公司调研。",
        want: &[],
        date: None,
    },
    Case {
        rule: "an executive is never a visitor",
        pub_date: "2024-05-02",
        body: "5月1日,公司董事长丁可深入杭州云谷集成电路产业园调研,所长方宇陪同。",
        want: &[],
        date: None,
    },
    Case {
        rule: "peer delegation: co-leaders visit, members and the receiving side's officials accompany the first-named",
        pub_date: "2024-05-02",
        body: "5月1日,江苏省委书记顾言、省长施航率江苏省党政代表团来杭州考察。浙江省委副书记潘文陪同考察。代表团一行来到杭州启明芯片有限公司。江苏省政府秘书长江河随同考察。",
        want: &[
            "V 顾言 杭州市",
            "V 施航 杭州市",
            "V 顾言 杭州启明芯片有限公司",
            "V 施航 杭州启明芯片有限公司",
            "A 江河 顾言",
            "A 潘文 顾言",
        ],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "place-prefix list (县茶厂、纸厂)",
        pub_date: "2024-05-02",
        body: "5月1日,副市长吴澜先后到松阳县茶厂、纸厂实地查看。在纸厂,吴澜察看了生产线。",
        want: &["V 吴澜 松阳县茶厂", "V 吴澜 松阳县纸厂"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "scene opener (在X,甲一行…) without a cue word",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰调研集成电路企业。在杭州启明芯片有限公司,贺丰一行登上研发楼,听取介绍。",
        want: &["V 贺丰 杭州启明芯片有限公司"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "related-headline lists yield nothing",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰主持召开会议。\n\n相关新闻\n· 市委书记秦羽调研杭州启明芯片有限公司\n· 副市长吴澜来到西湖光电实验室",
        want: &[],
        date: None,
    },
    Case {
        rule: "traditional script with pinyin annotations",
        pub_date: "2024-05-02",
        body: "5月1日,市委書(shū)記秦羽來(lái)到杭州啓明芯片有限公司調(diào)研,副市長(zhǎng)吳瀾參加。",
        want: &["V 秦羽 杭州启明芯片有限公司", "A 吴澜 秦羽"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "昨日 against the page date",
        pub_date: "2024-03-01",
        body: "昨日,市长贺丰到杭州启明芯片有限公司调研。",
        want: &["V 贺丰 杭州启明芯片有限公司"],
        date: Some("2024-02-29"),
    },
    Case {
        rule: "今天(21日)",
        pub_date: "2024-03-21",
        body: "今天(21日)上午,市长贺丰到杭州启明芯片有限公司调研。",
        want: &["V 贺丰 杭州启明芯片有限公司"],
        date: Some("2024-03-21"),
    },
    Case {
        rule: "近日 gives no day: the publication date (marked as such in the JSON)",
        pub_date: "2024-03-21",
        body: "近日,市长贺丰到杭州启明芯片有限公司调研。",
        want: &["V 贺丰 杭州启明芯片有限公司"],
        date: Some("2024-03-21"),
    },
    Case {
        rule: "本月3日 is a day of the page's month",
        pub_date: "2024-03-21",
        body: "本月3日,市長賀(hè)豐到杭州啓明芯片有限公司調研。",
        want: &["V 贺丰 杭州启明芯片有限公司"],
        date: Some("2024-03-03"),
    },
    Case {
        rule: "上月28日 is a day of the month before the page's",
        pub_date: "2024-03-02",
        body: "上月28日,市长贺丰到杭州启明芯片有限公司调研。",
        want: &["V 贺丰 杭州启明芯片有限公司"],
        date: Some("2024-02-28"),
    },
    Case {
        rule: "numbered institute by short name; 19所 is not 9所",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰到9所调研,听取19所合作情况汇报,了解十九所和9所学校的情况。",
        want: &["V 贺丰 中国恒远电子集团第九研究所"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "companions listed after 随行领导有",
        pub_date: "2024-05-02",
        body: "5月1日,市委书记秦羽一行莅临杭州启明芯片有限公司调研指导。随行领导有副市长吴澜、周启等。",
        want: &["V 秦羽 杭州启明芯片有限公司", "A 吴澜 秦羽", "A 周启 秦羽"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "companions listed after 参加调研的还有",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰到杭州启明芯片有限公司调研。参加调研的还有副市长吴澜。",
        want: &["V 贺丰 杭州启明芯片有限公司", "A 吴澜 贺丰"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "two leaders named apart (甲,乙一同到X) lead together; companions follow the first",
        pub_date: "2024-05-02",
        body: "5月1日,市委书记秦羽,市长贺丰一同到杭州启明芯片有限公司调研。副市长吴澜参加调研。在公司,贺丰察看了生产线。",
        want: &[
            "V 秦羽 杭州启明芯片有限公司",
            "V 贺丰 杭州启明芯片有限公司",
            "A 吴澜 秦羽",
        ],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "an exhortation carries over the clauses that follow it",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰调研工业经济。他说,下一步要加强服务,组织干部深入杭州启明芯片有限公司开展调研。",
        want: &[],
        date: None,
    },
    Case {
        rule: "looking at a site over video is not a visit",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰主持召开视频调度会。会前,贺丰通过视频察看了杭州启明芯片有限公司生产情况。",
        want: &[],
        date: None,
    },
    Case {
        rule: "companions after 陪同调研的有",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰到杭州启明芯片有限公司调研。陪同调研的有:副市长吴澜、周启。",
        want: &["V 贺丰 杭州启明芯片有限公司", "A 吴澜 贺丰", "A 周启 贺丰"],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "leaders named apart before 率 all lead; a province before a city only qualifies it",
        pub_date: "2024-05-02",
        body: "5月1日,江苏省委书记顾言,省长施航率江苏省党政代表团赴浙江杭州考察。代表团一行来到杭州启明芯片有限公司。江苏省政府秘书长江河随同考察。",
        want: &[
            "V 顾言 杭州市",
            "V 施航 杭州市",
            "V 顾言 杭州启明芯片有限公司",
            "V 施航 杭州启明芯片有限公司",
            "A 江河 顾言",
        ],
        date: Some("2024-05-01"),
    },
    Case {
        rule: "a news outlet is never a target",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰来到杭州日报调研融媒体改革。",
        want: &[],
        date: None,
    },
    Case {
        rule: "surname + title subject (贺市长一行)",
        pub_date: "2024-05-02",
        body: "5月1日,市长贺丰调研集成电路产业。贺市长一行来到杭州启明芯片有限公司。",
        want: &["V 贺丰 杭州启明芯片有限公司"],
        date: Some("2024-05-01"),
    },
];

#[test]
fn rules_table() {
    let ex = extractor();
    let mut failures = Vec::new();
    for c in CASES {
        let (got, dates) = run(&ex, &page(c.pub_date, c.body));
        let want: BTreeSet<String> = c.want.iter().map(|s| s.to_string()).collect();
        if got != want {
            failures.push(format!("{}\n  want {want:?}\n  got  {got:?}", c.rule));
            continue;
        }
        if !c.want.is_empty() {
            let want_date: BTreeSet<Option<String>> =
                [c.date.map(String::from)].into_iter().collect();
            if dates != want_date {
                failures.push(format!("{}: dates {dates:?}, want {want_date:?}", c.rule));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rules failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn shared_names_are_decided_by_context_or_kept_ambiguous() {
    let places = format!(
        "{PLACES}beijing\t北京市\t北京\tcity\tchina\nchangchun\t长春市\t长春\tcity\tchina\nchaoyang-bj\t朝阳区\t\tdistrict\tbeijing\nchaoyang-cc\t朝阳区\t\tdistrict\tchangchun\n"
    );
    let orgs = format!(
        "{ORGS}xh-hz\t杭州星河电子有限公司\t星河电子\tcompany\thangzhou\nxh-nj\t南京星河电子有限公司\t星河电子\tcompany\tnanjing\n"
    );
    let ex = common::extractor("amb", &places, &orgs, OFFICIALS, POSTS);
    let visit = |body: &str| -> Vec<(String, Vec<String>)> {
        ex.extract("t.txt", &page("2024-05-02", body))
            .into_iter()
            .filter(|f| f.rel == Rel::Visited)
            .map(|f| {
                let amb = f
                    .ambiguous
                    .iter()
                    .map(|&i| ex.dict.entities[i].id.clone())
                    .collect();
                (ex.dict.entities[f.target].id.clone(), amb)
            })
            .collect()
    };
    // The city named on the page decides which 朝阳区.
    assert_eq!(
        visit("北京市委召开会议。5月1日,副市长吴澜到朝阳区调研。"),
        vec![("chaoyang-bj".to_string(), vec![])]
    );
    assert_eq!(
        visit("长春市委召开会议。5月1日,副市长吴澜到朝阳区调研。"),
        vec![("chaoyang-cc".to_string(), vec![])]
    );
    // The city decides which 星河电子; without one, both stay on the edge.
    assert_eq!(
        visit("5月1日,副市长吴澜在南京来到星河电子调研。"),
        vec![("xh-nj".to_string(), vec![])]
    );
    assert_eq!(
        visit("5月1日,副市长吴澜来到星河电子调研。"),
        vec![("xh-hz".to_string(), vec!["xh-nj".to_string()])]
    );
}

/// Why a cue yields nothing: each negative case names the veto `explain` must report for it
/// (one case per veto; the page must hold a visit cue, or `relate` never runs).
#[test]
fn vetoes_name_why() {
    let ex = extractor();
    let cases: &[(&str, &str)] = &[
        (
            "reception",
            "5月1日,市委书记秦羽会见了来杭考察杭州启明芯片有限公司的南京客人一行。",
        ),
        (
            "meeting",
            "5月1日,市长贺丰主持召开市政府常务会议研究调研杭州启明芯片有限公司二期项目。",
        ),
        (
            "reference",
            "5月1日,市委书记秦羽要求学习贯彻总书记考察杭州启明芯片有限公司时的重要讲话精神。",
        ),
        ("attributive", "5月1日,来杭考察的客人参观了展厅。"),
        (
            "modal",
            "5月1日,市政府发布通知,市长贺丰将于下月赴杭州启明芯片有限公司调研。",
        ),
        (
            "executive",
            "5月1日,公司董事长丁可深入杭州云谷集成电路产业园调研。",
        ),
        (
            "companion-cue",
            "5月1日,市长贺丰到杭州启明芯片有限公司调研。副市长吴澜陪同调研。",
        ),
        ("no-target", "5月1日,市长贺丰调研工业经济运行情况。"),
        (
            "host",
            "5月1日,在负责调研安排的副市长吴澜陪同下,市长贺丰到西湖光电实验室。",
        ),
        ("no-visitor", "5月1日,调研组到杭州启明芯片有限公司调研。"),
    ];
    let mut failures = Vec::new();
    for (veto, body) in cases {
        let (_, trace) = ex.explain("t.txt", &page("2024-05-02", body), None);
        let want = format!("veto {veto}");
        if !trace.iter().any(|l| l.contains(&want)) {
            failures.push(format!("{veto}: {body}\n  trace: {}", trace.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "vetoes not named:\n{}",
        failures.join("\n")
    );
}

/// The trace names the rule behind each edge.
#[test]
fn explain_names_the_rule_of_each_edge() {
    let ex = extractor();
    let (found, trace) = ex.explain(
        "t.txt",
        &page(
            "2024-05-02",
            "5月1日,市长贺丰来到杭州启明芯片有限公司调研,副市长吴澜陪同。",
        ),
        None,
    );
    assert_eq!(found.len(), 2, "{trace:?}");
    assert!(
        trace
            .iter()
            .any(|l| l.contains("visited 贺丰 -> 杭州启明芯片有限公司 (rule destination)")),
        "{trace:?}"
    );
    assert!(
        trace
            .iter()
            .any(|l| l.contains("companion 吴澜 of 贺丰: accompanied")),
        "{trace:?}"
    );
}

#[test]
fn readme_lists_every_cue_kind() {
    // The README's `triggers.tsv` row names the cue kinds a row may give, in the loader's
    // order (`lead` was missing once).
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `triggers.tsv` |"))
        .expect("the README's triggers.tsv row");
    let listed = row
        .split("the cue lexicon (")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .expect("a list in brackets");
    let names: Vec<&str> = visitgraph::dict::triggers::CUE_NAMES
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(listed, names.join(", "));
}
