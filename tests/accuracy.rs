//! Accuracy classes (issue 16): one invented sentence per class of error seen on real pages,
//! with variants of our own (other wordings, traditional script, pinyin, negatives with the
//! same words). Every name here is invented; places are invented too.

use std::collections::BTreeSet;

mod common;

use visitgraph::page::Extractor;
use visitgraph::page::relate::Rel;

const PLACES: &str = "id\tname\taliases\tlevel\tparent
china\t中国\t\tcountry\t
jd\t江东省\t江东\tprovince\tchina
xining\t溪宁市\t溪宁\tcity\tjd
chengpu\t澄浦市\t澄浦\tcity\tjd
wuyu\t梧屿区\t梧屿\tdistrict\tchengpu
lanchuan\t岚川县\t岚川\tcounty\txining
cp-edz\t澄浦经济技术开发区\t澄浦经开区\tzone\tchengpu
";
const ORGS: &str = "id\tname\taliases\tkind\tplace
qinglan\t青岚光电公司\t青岚光电\tcompany\tchengpu
linxi\t临溪精工厂\t\tcompany\twuyu
chwn\t澄湖微纳公司\t澄湖微纳\tcompany\tchengpu
chwn-park\t澄湖微纳产业园\t\tpark\tchengpu
wuyu-park\t梧屿科技园\t\tpark\twuyu
wuyu-gsl\t梧屿区工商联\t\tassociation\twuyu
chkg\t澄湖控股\t\tcompany\tchengpu
xn-party\t溪宁市委\t\tparty\txining
xn-daily\t溪宁日报\t\tmedia\txining
cp-chamber\t澄浦商会\t\tassociation\tchengpu
cp-equip\t澄浦经开区智能装备产业园\t\tpark\tcp-edz
cp-food\t澄浦经开区绿色食品产业园\t\tpark\tcp-edz
wy-xinyuan\t澄浦市梧屿区芯源科技公司\t\tcompany\twuyu
hongtai\t澄浦鸿泰家具有限公司\t\tcompany\tchengpu
wangshan\t竹溪望山民宿\t\tcompany\tchengpu
";
const OFFICIALS: &str = "id\tname\taliases
qiao\t乔雨衡\t
gan\t甘卫平\t
qiu\t裘建国\t
gao\t郜文博\t
ke\t柯明远\t
fan\t范书涛\t
cen\t岑立华\t
qi\t祁振东\t
fu\t符海燕\t
chair\t宁守拙\t
zhou\t周天明\t
wangf\t王斐\t
songk\t宋可\t
";
const POSTS: &str = "official\ttitle\tjurisdiction\tfrom\tto
chair\t董事长\tqinglan\t2015\t
qiao\t市委书记\txining\t2020\t
fan\t副市长\txining\t2020\t
gan\t市长\tchengpu\t2020\t
";

fn extractor() -> Extractor {
    common::extractor("accuracy", PLACES, ORGS, OFFICIALS, POSTS)
}

fn page(body: &str) -> String {
    titled("测试标题", body)
}

/// A page with its own headline.
fn titled(title: &str, body: &str) -> String {
    format!("测试网\n首页 > 要闻\n{title}\n发布时间:2024-09-06 10:00  来源:测试网\n\n{body}\n")
}

/// Edges by `run`'s lines (`V 甲 乙`, `A 甲 乙`), each followed by its evidence date.
fn run_dated(ex: &Extractor, text: &str, visits_only: bool) -> BTreeSet<String> {
    let name = |i: usize| ex.dict.entities[i].name.clone();
    ex.extract("t.txt", text)
        .iter()
        .filter(|f| !visits_only || f.rel == Rel::Visited)
        .map(|f| {
            let r = if f.rel == Rel::Visited { "V" } else { "A" };
            let d = f.evidence.date.clone().unwrap_or_default();
            format!("{r} {} {} {d}", name(f.source), name(f.target))
        })
        .collect()
}

/// Compare a case's edges with what it wants; a mismatch is one line in `failures`.
fn check(failures: &mut Vec<String>, case: &str, got: BTreeSet<String>, want: &[&str]) {
    let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
    if got != want {
        failures.push(format!("{case}: got {got:?}, want {want:?}"));
    }
}

/// `V 甲 乙` for visited, `A 甲 乙` for accompanied, by canonical name.
fn run(ex: &Extractor, text: &str) -> BTreeSet<String> {
    let name = |i: usize| ex.dict.entities[i].name.clone();
    ex.extract("t.txt", text)
        .iter()
        .map(|f| {
            let r = if f.rel == Rel::Visited { "V" } else { "A" };
            format!("{r} {} {}", name(f.source), name(f.target))
        })
        .collect()
}

/// (class, sentence, every edge it must give and no other).
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "1 local officials accompany a delegation from elsewhere",
        "9月5日,溪宁市委书记乔雨衡率考察团到澄浦,察看青岚光电公司;澄浦市长甘卫平、副市长裘建国陪同。",
        &[
            "V 乔雨衡 青岚光电公司",
            "V 乔雨衡 澄浦市",
            "A 甘卫平 乔雨衡",
            "A 裘建国 乔雨衡",
        ],
    ),
    (
        "1 variant: traditional script, 參加",
        "9月5日,溪寧市委書記喬雨衡率考察團到澄浦,察看青嵐光電公司。澄浦市長甘衛平參加。",
        &[
            "V 乔雨衡 青岚光电公司",
            "V 乔雨衡 澄浦市",
            "A 甘卫平 乔雨衡",
        ],
    ),
    (
        "2 officials inside 在…陪同下 accompany; the plant manager does not",
        "省长郜文博在梧屿区区长柯明远、副区长范书涛陪同下,察看临溪精工厂,厂长岑立华作了汇报。",
        &["V 郜文博 临溪精工厂", "A 柯明远 郜文博", "A 范书涛 郜文博"],
    ),
    (
        "2 variant: a chairman inside the host phrase stays host side",
        "省长郜文博在副区长范书涛、公司董事长宁守拙的陪同下,参观青岚光电公司。",
        &["V 郜文博 青岚光电公司", "A 范书涛 郜文博"],
    ),
    (
        "3 率 + member list: the members accompany",
        "市长祁振东率副市长范书涛、商务局长甘卫平一行5人到梧屿区调研。其间,考察了临溪精工厂。",
        &[
            "V 祁振东 梧屿区",
            "V 祁振东 临溪精工厂",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "3 variant: traditional 帶著",
        "院長郜文博今日帶著次長符海燕、署長裘建國等人赴青嵐光電公司參訪。",
        &[
            "V 郜文博 青岚光电公司",
            "A 符海燕 郜文博",
            "A 裘建国 郜文博",
        ],
    ),
    (
        "5 X、Y等一行 lead together; a co-lead after a long title",
        "3月8日,省工商联副主席范书涛、澄浦副市长岑立华等一行到梧屿区调研,区长祁振东陪同。下午,考察团前往澄湖微纳公司。",
        &[
            "V 范书涛 梧屿区",
            "V 岑立华 梧屿区",
            "V 范书涛 澄湖微纳公司",
            "V 岑立华 澄湖微纳公司",
            "A 祁振东 范书涛",
        ],
    ),
    (
        "6 a comma inside the host phrase",
        "6月3日,省长郜文博在省委常委符海燕,澄浦市委书记甘卫平、市长裘建国的陪同下到澄湖微纳公司考察。",
        &[
            "V 郜文博 澄湖微纳公司",
            "A 符海燕 郜文博",
            "A 甘卫平 郜文博",
            "A 裘建国 郜文博",
        ],
    ),
    (
        "7 a party committee named in a companion's title is not visited",
        "省委书记乔雨衡在溪宁市委书记岑立华、九三学社溪宁市委主委柯明远陪同下察看青岚光电公司。",
        &[
            "V 乔雨衡 青岚光电公司",
            "A 岑立华 乔雨衡",
            "A 柯明远 乔雨衡",
        ],
    ),
    (
        "8 a word fragment (越来越) is no cue",
        "柯县长说,越来越多的客商看好岚川。",
        &[],
    ),
    (
        "9 a movement told by someone else (表示) is no visit",
        "市长甘卫平会见了澄浦商会会长乔雨衡一行。乔雨衡表示,这是他第三次来澄浦。",
        &[],
    ),
    (
        "9 variant: firms settling (表示…先后到) are no visit",
        "柯明远表示,已有多家企业先后到岚川县落户。",
        &[],
    ),
    (
        "9 variant: 指出 in traditional script",
        "喬雨衡指出,近年來不少企業到岚川县投資。",
        &[],
    ),
    (
        "15 lexicon: 參訪 and 帶著 in traditional script",
        "院長郜文博帶著次長符海燕赴臨溪精工廠參訪。",
        &["V 郜文博 临溪精工厂", "A 符海燕 郜文博"],
    ),
    (
        "15 lexicon: companions after …的还有",
        "9月5日,市长祁振东到青岚光电公司调研。到访青岚光电公司的还有副市长范书涛、甘卫平。",
        &[
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "15 lexicon: 随团考察 members accompany",
        "9月5日,市长祁振东带领代表团到青岚光电公司考察。范书涛、甘卫平等市领导随团考察。",
        &[
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "17 a park committee post is a government post",
        "9月5日,市长祁振东到临溪精工厂调研。梧屿科技园党委书记裘建国、副区长甘卫平参加。",
        &["V 祁振东 临溪精工厂", "A 裘建国 祁振东", "A 甘卫平 祁振东"],
    ),
    (
        "co-leaders inside 在A,B,C的带领下",
        "9月5日,考察团一行在市委常委符海燕,副市长范书涛,区长柯明远的带领下,赴青岚光电公司考察。",
        &[
            "V 符海燕 青岚光电公司",
            "V 范书涛 青岚光电公司",
            "V 柯明远 青岚光电公司",
        ],
    ),
    (
        "12 targets before the cue (对A、B等企业逐一走访)",
        "近日,岚川县副县长柯明远带队,对青岚光电公司、临溪精工厂等8家企业逐一走访。",
        &["V 柯明远 青岚光电公司", "V 柯明远 临溪精工厂"],
    ),
    (
        "12 variant: traditional script, 對…逐一走訪",
        "近日,副縣長柯明遠帶隊,對青嵐光電公司和臨溪精工廠逐一走訪。",
        &["V 柯明远 青岚光电公司", "V 柯明远 临溪精工厂"],
    ),
    (
        "13 在 with a list: the lead visits both",
        "9月5日,市长祁振东一行到梧屿区调研。在青岚光电公司和临溪精工厂,考察组察看了生产线。",
        &[
            "V 祁振东 梧屿区",
            "V 祁振东 青岚光电公司",
            "V 祁振东 临溪精工厂",
        ],
    ),
    (
        "13 variant: 在 + qualifier + firm",
        "柯明远一行在民营龙头临溪精工厂调研。",
        &["V 柯明远 临溪精工厂"],
    ),
    (
        "a delegation led by someone named in an attributive (X带队的调研组)",
        "9月5日,由溪宁市副市长范书涛带队的调研组来到青岚光电公司。澄浦市领导甘卫平、裘建国一同调研。",
        &[
            "V 范书涛 青岚光电公司",
            "A 甘卫平 范书涛",
            "A 裘建国 范书涛",
        ],
    ),
    (
        "officials along with a group and no leader named: the first leads",
        "9月5日,市人大组织老干部视察。副主任范书涛,秘书长甘卫平一同参加。老干部们先后察看了青岚光电公司、临溪精工厂。",
        &[
            "V 范书涛 青岚光电公司",
            "V 范书涛 临溪精工厂",
            "A 甘卫平 范书涛",
        ],
    ),
    (
        "a fair's booths are not the firms (等展台)",
        "9月5日,市长祁振东巡馆,依次走到青岚光电公司、临溪精工厂等展台前。在澄湖微纳公司展台,祁振东了解了新产品。",
        &[],
    ),
    (
        "a trip announced for tomorrow is no visit (明日…会前往)",
        "9月5日,市长祁振东到青岚光电公司考察。明日,祁振东会前往临溪精工厂继续行程。",
        &["V 祁振东 青岚光电公司"],
    ),
    (
        "a delegation named by its place is led by that place's first official",
        "溪宁党政代表团到澄浦考察。澄浦市长甘卫平;溪宁市委书记乔雨衡,溪宁副市长范书涛参加考察。代表团一行来到青岚光电公司。",
        &[
            "V 乔雨衡 青岚光电公司",
            "V 乔雨衡 澄浦市",
            "A 甘卫平 乔雨衡",
            "A 范书涛 乔雨衡",
        ],
    ),
    (
        "a list of firms going on over commas (A、B,江东C,以及澄浦的D)",
        "9月5日,市长祁振东先后走访了青岚光电公司、临溪精工厂,江东澄湖控股,以及澄浦的澄湖微纳公司等企业。",
        &[
            "V 祁振东 青岚光电公司",
            "V 祁振东 临溪精工厂",
            "V 祁振东 澄湖控股",
            "V 祁振东 澄湖微纳公司",
        ],
    ),
    (
        "negative: the next clause names a firm's people, not more targets",
        "9月5日,市长祁振东走访了青岚光电公司,澄湖控股负责人介绍了合作情况。",
        &["V 祁振东 青岚光电公司"],
    ),
    (
        "4 a roster with no companion cue: everyone named accompanies the lead",
        "9月5日,溪宁市委书记乔雨衡率考察团到澄浦。溪宁副市长符海燕,溪宁科技局长甘卫平;澄浦副市长岑立华等人组成的考察团共30人走进青岚光电公司。本次考察团成员另有省政协委员裘建国、范书涛等。",
        &[
            "V 乔雨衡 澄浦市",
            "V 乔雨衡 青岚光电公司",
            "A 符海燕 乔雨衡",
            "A 甘卫平 乔雨衡",
            "A 岑立华 乔雨衡",
            "A 裘建国 乔雨衡",
            "A 范书涛 乔雨衡",
        ],
    ),
    (
        "10 a business delegation (企业家) is no official visit",
        "澄浦商会会长裘建国等12位企业家回乡考察,岚川县长祁振东与他们座谈。考察团随后参观了临溪精工厂。",
        &[],
    ),
    (
        "11 what the visitor learned about is not visited (了解到)",
        "9月5日,省长郜文博到梧屿区调研。调研中郜文博了解到澄湖控股在省内多地布局。",
        &["V 郜文博 梧屿区"],
    ),
    (
        "11 在X调研时强调 is the visit itself; what was learned then is not visited",
        "9月5日,省长郜文博在青岚光电公司调研时了解到,澄湖控股订单饱满。",
        &["V 郜文博 青岚光电公司"],
    ),
    (
        "11 在X考察时指出, traditional script with pinyin",
        "9月5日,省長郜文博在青嵐光電公司考(kǎo)察時(shí)指出,要加大研發投入。",
        &["V 郜文博 青岚光电公司"],
    ),
    (
        "11 negative: an inspection recalled (回顾…调研时的情景) is no event",
        "省长郜文博回顾了去年在青岚光电公司调研时的情景。",
        &[],
    ),
    (
        "11 negative: a leader's past inspection quoted (视察…时的重要指示精神)",
        "省长郜文博强调,要深入贯彻主要领导视察青岚光电公司时的重要指示精神。",
        &[],
    ),
    (
        "16 a host welcoming its visitors (ORG迎来甲一行) is their visit",
        "9月5日,青岚光电公司迎来省长郜文博一行,参观了企业展厅。",
        &["V 郜文博 青岚光电公司"],
    ),
    (
        "16 迎来了, traditional script with pinyin",
        "9月5日,青嵐光電公司迎來了省長郜(gào)文博一行。郜文博詳細了解企業研發情況。",
        &["V 郜文博 青岚光电公司"],
    ),
    (
        "16 negative: a firm welcoming an opportunity (迎来发展新机遇) is no visit",
        "青岚光电公司迎来发展新机遇,省长郜文博到梧屿区调研。",
        &["V 郜文博 梧屿区"],
    ),
    (
        "11 an organization's programme is not the organization (X“企业之家”的运行)",
        "9月5日,副市长范书涛到梧屿区调研,专程考察了梧屿区工商联“企业之家”的运行。",
        &["V 范书涛 梧屿区"],
    ),
    (
        "14 implicit visit: a park described, then its halls seen",
        "澄湖微纳产业园是两地合作共建的园区。祁振东一行看了园区展厅、中试车间。",
        &["V 祁振东 澄湖微纳产业园"],
    ),
    (
        "15 lexicon (Taiwan, Hong Kong): 偕同 names companions after it, 訪問 is a visit",
        "院長郜文博今(5)日偕同次長符海燕訪問青嵐光電公司。",
        &["V 郜文博 青岚光电公司", "A 符海燕 郜文博"],
    ),
    (
        "15 negative: an interview (接受訪問) is no visit",
        "院長郜文博今(5)日在青嵐光電公司接受訪問時表示,將擴大投資。",
        &[],
    ),
    (
        "14 implicit visit: a report given to the visitor in the firm's meeting room",
        "9月5日,在临溪精工厂会议室,厂长向郜文博省长通报了经营情况。",
        &["V 郜文博 临溪精工厂"],
    ),
    (
        "14 negative: a report with no place of its own is no visit",
        "9月5日,临溪精工厂厂长向郜文博省长汇报了工作。",
        &[],
    ),
    (
        "16 a caption line wholly in parentheses",
        "(图为符海燕一行参观澄湖微纳公司展厅)",
        &["V 符海燕 澄湖微纳公司"],
    ),
    (
        "16 a ? standing for a lost character does not end the list",
        "9月5日,市长祁振东到青岚光电公司调研。随行领导有澄浦科技局长甘卫平,澄浦晚?报社社长裘建国。",
        &[
            "V 祁振东 青岚光电公司",
            "A 甘卫平 祁振东",
            "A 裘建国 祁振东",
        ],
    ),
    (
        "16 a lead sentence broken over short lines is body",
        "5月6日下午\n副市长祁振东\n带队到梧屿科技园\n了解项目推进\n区委书记甘卫平\n陪同",
        &["V 祁振东 梧屿科技园", "A 甘卫平 祁振东"],
    ),
    (
        "16 negative: a real question mark still ends its sentence",
        "9月5日,市长祁振东到青岚光电公司调研。企业还缺什么?范书涛、甘卫平陪同调研。",
        &[
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "甲一行 after 甲,乙带队: both co-leaders visit",
        "9月5日,市政协主席、党组书记祁振东,副主席范书涛带队到梧屿区调研。祁振东一行先后走访了青岚光电公司和临溪精工厂。",
        &[
            "V 祁振东 梧屿区",
            "V 范书涛 梧屿区",
            "V 祁振东 青岚光电公司",
            "V 范书涛 青岚光电公司",
            "V 祁振东 临溪精工厂",
            "V 范书涛 临溪精工厂",
        ],
    ),
    (
        "实地了解 (on site) with firms after it is a visit; plain 了解 is not",
        "9月5日,副市长范书涛到梧屿区,实地了解青岚光电公司、临溪精工厂等企业的生产情况。市长祁振东了解澄湖控股的情况。",
        &[
            "V 范书涛 梧屿区",
            "V 范书涛 青岚光电公司",
            "V 范书涛 临溪精工厂",
        ],
    ),
    (
        "negative with the same words: a reception (拜会) is no visit",
        "9月5日,市长祁振东拜会了澄浦商会会长乔雨衡,双方深入沟通。",
        &[],
    ),
    (
        "footage: what a TV report shows is a reference, not an event",
        "会上,与会人员收看了电视新闻。画面中,市长祁振东先后来到澄浦,走进青岚光电公司察看生产线。",
        &[],
    ),
    (
        "footage variant: traditional script, 視頻中",
        "會上,與會人員收看了專題片。視頻中,市長祁振東走進青嵐光電公司察看生產線。",
        &[],
    ),
    (
        "a word pointing back between companion cue and event (参加上述调研) still joins",
        "9月5日,市长祁振东先后来到青岚光电公司和临溪精工厂调研。副市长范书涛、甘卫平参加上述调研。",
        &[
            "V 祁振东 青岚光电公司",
            "V 祁振东 临溪精工厂",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "pointing back, variant: traditional script with pinyin, 有關",
        "9月5日,市長祁振東到青嵐光電公司調研。範書濤、甘衛平參(cān)加有關(guān)調(diào)研(yán)。",
        &[
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "pointing back, variant: 部分 and 当天的",
        "9月5日,市长祁振东到青岚光电公司调研。范书涛参加部分调研,甘卫平参加当天的调研。",
        &[
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "pointing back, negative: those who attend a launch of the research are no visit",
        "9月5日,范书涛、甘卫平参加有关调研成果发布会。",
        &[],
    ),
    (
        "a companion list opened by 陪同调研的…有, with a leaders' word between",
        "9月5日,市长祁振东到青岚光电公司调研。陪同调研的市领导有范书涛、甘卫平。",
        &[
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "companion list, variant: traditional script, 參加考察的省領導還有",
        "9月5日,市長祁振東到青嵐光電公司考察。參加考察的省領導還有範書濤、甘衛平。",
        &[
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "companion list, negative: officials who only heard of the research",
        "9月5日,市长祁振东到青岚光电公司调研。范书涛、甘卫平听取了陪同调研的情况介绍。",
        &["V 祁振东 青岚光电公司"],
    ),
    (
        "a firm named without the city before its district or zone (梧屿区芯源…, 经开区…产业园)",
        "9月5日,市长祁振东在澄浦调研。在经开区智能装备产业园和经开区绿色食品产业园,祁振东先后走进青岚光电公司、临溪精工厂。",
        &[
            "V 祁振东 澄浦市",
            "V 祁振东 澄浦经开区智能装备产业园",
            "V 祁振东 澄浦经开区绿色食品产业园",
            "V 祁振东 青岚光电公司",
            "V 祁振东 临溪精工厂",
        ],
    ),
    (
        "district before the firm, variant: traditional script with pinyin, 在…,",
        "9月5日,市長祁振東到澄浦調研。在梧嶼(yǔ)區芯源科技公司,祁振東走進研發車間。",
        &["V 祁振东 澄浦市", "V 祁振东 澄浦市梧屿区芯源科技公司"],
    ),
    (
        "district before the firm, negative: its chairman speaking is no visit",
        "9月5日,澄浦梧屿区芯源科技公司董事长宁守拙表示,公司将扩大产能。",
        &[],
    ),
    (
        "分别 (respectively): the first visitor the first firm, the second the second",
        "9月5日,市长祁振东、副市长范书涛分别到青岚光电公司、临溪精工厂调研。",
        &["V 祁振东 青岚光电公司", "V 范书涛 临溪精工厂"],
    ),
    (
        "respectively, variant: traditional script with pinyin, 前往…和…",
        "9月5日,市長祁振東、副市長範書濤分(fēn)別前往青嵐光電公司和臨溪精工廠調研。",
        &["V 祁振东 青岚光电公司", "V 范书涛 临溪精工厂"],
    ),
    (
        "respectively, negative: one firm for both, or 先后 (one after the other), pairs nothing",
        "9月5日,祁振东、范书涛分别到青岚光电公司调研。9月6日,祁振东、范书涛先后到临溪精工厂、澄湖微纳公司调研。",
        &[
            "V 祁振东 青岚光电公司",
            "V 范书涛 青岚光电公司",
            "V 祁振东 临溪精工厂",
            "V 范书涛 临溪精工厂",
            "V 祁振东 澄湖微纳公司",
            "V 范书涛 澄湖微纳公司",
        ],
    ),
    (
        "a clause of companions (乙、丙陪同,来到X): the leader goes on, they accompany",
        "9月5日,市长祁振东在澄浦调研时,范书涛、甘卫平陪同,来到青岚光电公司。",
        &[
            "V 祁振东 澄浦市",
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "A 甘卫平 祁振东",
        ],
    ),
    (
        "companions' clause, negative: 参加座谈后,来到X is the attendee's own visit",
        "9月5日,市长祁振东到澄浦调研。副市长范书涛参加座谈后,来到临溪精工厂。",
        &["V 祁振东 澄浦市", "V 范书涛 临溪精工厂"],
    ),
    (
        "two-character names padded with spaces in a companion list (王  斐、宋　可)",
        "9月5日,市长祁振东到青岚光电公司调研。市领导王  斐、宋\u{3000}可陪同调研。",
        &["V 祁振东 青岚光电公司", "A 王斐 祁振东", "A 宋可 祁振东"],
    ),
    (
        "padded names, variant: traditional script with pinyin, an ideographic space",
        "9月5日,市長祁振東到青嵐光電公司調研。市領導王(wáng)\u{3000}斐,宋\u{3000}可陪同調(diào)研。",
        &["V 祁振东 青岚光电公司", "A 王斐 祁振东", "A 宋可 祁振东"],
    ),
    (
        "padded names, negative: a space between two words joins nothing (王 斐 is no name)",
        "9月5日,市长祁振东到青岚光电公司调研。王 斐然陪同。",
        &["V 祁振东 青岚光电公司"],
    ),
    (
        "an honorific after the name (甲书记一行, 甲书记、乙市长一行) still names the visitors",
        "9月5日,祁振东书记一行莅临青岚光电公司调研指导,范书涛副市长陪同。9月6日,祁振东书记、甘卫平市长一行到临溪精工厂调研。",
        &[
            "V 祁振东 青岚光电公司",
            "A 范书涛 祁振东",
            "V 祁振东 临溪精工厂",
            "V 甘卫平 临溪精工厂",
        ],
    ),
    (
        "honorific, variant: traditional script with pinyin, 同志",
        "9月5日,祁振東同(tóng)志一行來到青嵐光電公司調研。",
        &["V 祁振东 青岚光电公司"],
    ),
    (
        "honorific, negative: a word that is no title between name and 一行 leaves it unnamed",
        "9月5日,祁振东家乡一行到青岚光电公司参观。",
        &[],
    ),
    (
        "a firm's chairman inside 在…的陪同下 does not make the visitor a businessman",
        "9月5日,市长祁振东在青岚光电公司董事长宁守拙的陪同下参观了生产车间。",
        &["V 祁振东 青岚光电公司"],
    ),
    (
        "watching a firm's promotional film (观看了…宣传片) is no visit (看了 inside 观看)",
        "9月5日,市长祁振东一行观看了青岚光电公司宣传片。",
        &[],
    ),
    (
        "watching, variant: traditional script with pinyin, 收看了",
        "9月5日,市長祁振東收(shōu)看了青嵐光電公司專題片。",
        &[],
    ),
    (
        "watching, contrast: 看了 the firm's line on site is a visit",
        "9月5日,市长祁振东来到澄浦,看了青岚光电公司的生产线。",
        &["V 祁振东 澄浦市", "V 祁振东 青岚光电公司"],
    ),
    (
        "a visit told through its host: the firm's chairman escorts the visitor (乙陪同甲参观)",
        "9月5日,市长祁振东来到澄浦。青岚光电公司董事长宁守拙陪同祁振东参观了生产车间。",
        &["V 祁振东 澄浦市", "V 祁振东 青岚光电公司"],
    ),
    (
        "escort, variant: traditional script with pinyin, the firm from the chairman's post",
        "9月5日,董事長寧守拙陪(péi)同市長祁振東參觀了生產車間。",
        &["V 祁振东 青岚光电公司"],
    ),
    (
        "escort, negative: an official escorting names no firm",
        "9月5日,副市长范书涛陪同市长祁振东参观了生产车间。",
        &[],
    ),
    (
        "a name as a phrase converter writes it in traditional script (家具 → 傢俱)",
        "9月5日,市長祁振東到澄浦鴻泰傢俱有限公司調研。",
        &["V 祁振东 澄浦鸿泰家具有限公司"],
    ),
    (
        "converter's variant, with pinyin (竹溪 → 竹谿)",
        "9月5日,市長祁振東一行先到竹谿(xī)望山民宿,瞭解民宿運營情況。",
        &["V 祁振东 竹溪望山民宿"],
    ),
    (
        "converter's variant, contrast: the simplified name still matches as written",
        "9月5日,市长祁振东到澄浦鸿泰家具有限公司调研。",
        &["V 祁振东 澄浦鸿泰家具有限公司"],
    ),
    (
        "a remote inspection (云考察, 云调研) is no visit",
        "9月5日,市长祁振东“云考察”青岚光电公司,副市长范书涛云调研临溪精工厂。",
        &[],
    ),
    (
        "remote, variant: traditional script with pinyin",
        "9月5日,市長祁振東雲(yún)參觀青嵐光電公司。",
        &[],
    ),
    (
        "remote, contrast: 考察 on site is a visit",
        "9月5日,市长祁振东考察青岚光电公司。",
        &["V 祁振东 青岚光电公司"],
    ),
    (
        "footage contrast: the same visit told as news is one",
        "9月5日,市长祁振东先后来到澄浦,走进青岚光电公司察看生产线。",
        &["V 祁振东 澄浦市", "V 祁振东 青岚光电公司"],
    ),
];

#[test]
fn accuracy_classes() {
    let ex = extractor();
    let mut failures = Vec::new();
    for (class, body, want) in CASES {
        let got = run(&ex, &page(body));
        let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
        if got != want {
            let (_, trace) = ex.explain("t.txt", &page(body), None);
            failures.push(format!(
                "{class}\n  want {want:?}\n  got  {got:?}\n  {}",
                trace.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} classes failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

/// The headline as a witness: (case, headline, body, every edge (with the visit's date)).
const HEADLINES: &[(&str, &str, &str, &[&str])] = &[
    (
        "the headline names the firm, the body only the visit",
        "祁振东到青岚光电公司调研",
        "9月5日上午,祁振东一行首先听取了企业负责人的汇报,随后察看了生产车间。",
        &["V 祁振东 青岚光电公司 2024-09-05"],
    ),
    (
        "variant: traditional script with pinyin, a title in the headline",
        "市長祁振東調(diào)研青嵐光電公司",
        "9月4日,祁振東在企業展廳聽(tīng)取情況介紹,察看產品展示。",
        &["V 祁振东 青岚光电公司 2024-09-04"],
    ),
    (
        "a companion of the body goes with the headline's visit",
        "祁振东调研青岚光电公司",
        "9月5日,祁振东一行察看了生产车间。副市长范书涛陪同调研。",
        &[
            "V 祁振东 青岚光电公司 2024-09-05",
            "A 范书涛 祁振东 2024-09-05",
        ],
    ),
    (
        "negative: the body has no visit by him (a meeting), so the headline is not taken",
        "祁振东调研青岚光电公司",
        "9月5日,祁振东主持召开市政府常务会议,研究部署有关工作。",
        &[],
    ),
    (
        "negative: a place in the headline is the tour's region, the body says where",
        "祁振东赴溪宁调研",
        "9月5日,祁振东一行来到临溪精工厂,察看生产线。",
        &["V 祁振东 临溪精工厂 2024-09-05"],
    ),
];

#[test]
fn headline_witness() {
    let ex = extractor();
    let mut failures = Vec::new();
    for (case, title, body, want) in HEADLINES {
        check(
            &mut failures,
            case,
            run_dated(&ex, &titled(title, body), false),
            want,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A firm's own news page (its name on the masthead): (case, whole page, every edge).
const OWN_SITE: &[(&str, &str, &[&str])] = &[
    (
        "集团公司 on the firm's own site is the firm; the companions go with the visit",
        "澄湖控股\n网站首页 | 集团概况 | 新闻中心\n副市长到集团公司调研\n发布时间:2024-09-06\n\n9月5日上午,副市长范书涛一行来到集团公司走访调研。市发改委主任甘卫平陪同。",
        &["V 范书涛 澄湖控股 2024-09-05", "A 甘卫平 范书涛 2024-09-05"],
    ),
    (
        "variant: traditional script with pinyin, 本集團",
        "澄湖控股\n網站首頁 | 集團概況\n發布時間:2024-09-06\n\n9月5日,副市長範書濤一行蒞(lì)臨(lín)本集團調(diào)研(yán)。",
        &["V 范书涛 澄湖控股 2024-09-05"],
    ),
    (
        "negative: a named group company after the cue is that company, not the site's",
        "澄湖控股\n网站首页 | 集团概况\n发布时间:2024-09-06\n\n9月5日,副市长范书涛来到青岚光电公司调研,并听取集团公司工作汇报。",
        &["V 范书涛 青岚光电公司 2024-09-05"],
    ),
];

#[test]
fn a_firms_own_site() {
    let ex = extractor();
    let mut failures = Vec::new();
    for (case, text, want) in OWN_SITE {
        check(&mut failures, case, run_dated(&ex, text, false), want);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Event dates (class 18): (case, body, `target date` of every visit).
const DATES: &[(&str, &str, &[&str])] = &[
    (
        "a visit over several days is dated by its first day",
        "9月1日至4日,市长祁振东率团到溪宁考察。其间,祁振东先后考察了青岚光电公司和临溪精工厂。",
        &[
            "溪宁市 2024-09-01",
            "青岚光电公司 2024-09-01",
            "临溪精工厂 2024-09-01",
        ],
    ),
    (
        "a dateline (…电, …讯) dates the report, not the visit",
        "本报溪宁9月5日讯 9月2日至3日,市长祁振东到青岚光电公司调研。",
        &["青岚光电公司 2024-09-02"],
    ),
    (
        "当天 after a dated lead sentence is that date, not a background date in between",
        "9月2日,区长柯明远到梧屿科技园调研。全区走访自8月28日起,为期一月。当天,柯明远一行还到青岚光电公司。",
        &["梧屿科技园 2024-09-02", "青岚光电公司 2024-09-02"],
    ),
    (
        "次日 is the day after the event told before",
        "9月2日,市长祁振东到溪宁考察。次日上午,祁振东来到青岚光电公司。",
        &["溪宁市 2024-09-02", "青岚光电公司 2024-09-03"],
    ),
    (
        "a bare day after the subject (甲5日在…, 甲5日到…): Xinhua's form",
        "市长祁振东5日在青岚光电公司调研。副市长范书涛4日到临溪精工厂考察。",
        &["青岚光电公司 2024-09-05", "临溪精工厂 2024-09-04"],
    ),
    (
        "bare day, variant: traditional script with pinyin, 率團",
        "市長祁振東5日率(shuài)團到青嵐光電公司考(kǎo)察。",
        &["青岚光电公司 2024-09-05"],
    ),
    (
        "前天 and weekdays count back from the page's date (2024-09-06, a Friday)",
        "前天上午,市长祁振东到青岚光电公司调研。本周一,范书涛到临溪精工厂调研。上周五,甘卫平到澄湖微纳公司调研。星期三,郜文博到梧屿科技园调研。",
        &[
            "青岚光电公司 2024-09-04",
            "临溪精工厂 2024-09-02",
            "澄湖微纳公司 2024-08-30",
            "梧屿科技园 2024-09-04",
        ],
    ),
    (
        "weekdays, variant: traditional script, 上星期日",
        "上星期日,市長祁振東到青嵐光電公司調研。",
        &["青岚光电公司 2024-09-01"],
    ),
    (
        "negative: 周 the surname is no weekday; 每周一 is no date (the page's date stands)",
        "日前,市长周天明到青岚光电公司调研,要求每周一报送进度。",
        &["青岚光电公司 2024-09-06"],
    ),
    (
        "traditional script, a range with 到",
        "9月2日到3日,市長祁振東到青嵐光電公司調研。",
        &["青岚光电公司 2024-09-02"],
    ),
];

#[test]
fn event_dates() {
    let ex = extractor();
    let mut failures = Vec::new();
    for (case, body, want) in DATES {
        // `V 甲 乙 date` read as `乙 date`, the form of the table.
        let got = run_dated(&ex, &page(body), true)
            .iter()
            .filter_map(|l| l.splitn(3, ' ').nth(2).map(str::to_string))
            .collect();
        check(&mut failures, case, got, want);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
