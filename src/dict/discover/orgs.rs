//! Organizations and places: names by their suffix (有限公司, 研究所, 产业园, 高新区…)
//! reaching left over known places, and the names a visit cue governs in a list (依次走进
//! 甲、乙等企业) with or without a suffix; never a generic phrase (生产车间, 该公司).

use std::collections::BTreeMap;

use super::{Discoverer, Kind, Page, Sentence};
use crate::dict::surnames::surname_len;
use crate::dict::triggers::Cue;
use crate::page::normalize::is_han;

pub(super) const ORG_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "分公司",
    "公司",
    "商会",
    "协会",
    "联合会",
    "总会",
    "研究所",
    "研究院",
    "实验室",
    "产业园",
    "科技园",
    "工业园",
    "创新中心",
    "研究中心",
    "中试平台",
    "孵化器",
    "大学",
    "学院",
];

/// The suffixes of sites rather than bodies (their names are short and plain), looked for
/// after [`ORG_SUFFIXES`].
pub(super) const SITE_SUFFIXES: &[&str] = &[
    "中试基地",
    "生产基地",
    "产业基地",
    "基地",
    "展示中心",
    "展销中心",
    "物流中心",
    "技术中心",
    "工程中心",
    "实验中心",
    "物流园",
    "物流港",
    "商贸城",
    "大厦",
];

/// Verbs of founding a site: what follows them is what was founded, not a name.
const FOUNDING: &[&str] = &[
    "设立", "建设", "投资", "成立", "落户", "打造", "新建", "建成", "布局",
];

pub(super) const PLACE_SUFFIXES: &[&str] = &["街道", "省", "市", "县", "区", "镇", "乡"];

/// Zones: development areas named after a place (成都高新区) or on their own (西海岸新区).
pub(super) const ZONE_SUFFIXES: &[&str] = &[
    "高新技术产业开发区",
    "经济技术开发区",
    "经济开发区",
    "综合保税区",
    "高新区",
    "经开区",
    "开发区",
    "保税区",
    "自贸区",
    "新区",
];

/// Characters that end an organization name on its left.
const LEFT_STOPS: &[char] = &[
    '以', '的', '在', '到', '和', '与', '及', '、', '是', '了', '对', '向', '由', '将', '为', '从',
    '同', '把', '被', '等', '有', '往', '赴', '入',
];

impl<'a> Discoverer<'a> {
    /// The names a visit cue governs, with or without a suffix: 依次走进瓯康医疗、汇泽兽药、
    /// 晨道实业等企业; 先后来到甲公司、乙园区和丙项目. A list of two or more, or one closed by
    /// 等企业 (单位, 项目…), after a visit or movement cue or a clause-initial 在; each item that
    /// is neither known, a place, a person nor a common phrase (生产车间) is an organization.
    /// Keep an organization found at `span`, with its kind (by how its name ends) and its
    /// place (the first known place inside the name: 四川, or 成都 of (成都)).
    fn note_org(
        &mut self,
        page: &Page<'a>,
        s: &Sentence,
        doc_name: &str,
        name: String,
        (start, end): (usize, usize),
    ) {
        self.page_orgs.insert(end, name.clone());
        let kind = ORG_KINDS
            .iter()
            .find(|(w, _)| name.ends_with(w))
            .map(|(_, k)| *k);
        let place = (start..end).find_map(|i| {
            page.place_at(i)?;
            let k = (*page.ent_starting.get(i)? as usize).checked_sub(1)?;
            page.ents.get(k).map(|h| h.cands[0])
        });
        self.note(
            name.clone(),
            Kind::Organization,
            None,
            (doc_name, s.text(&page.chars)),
            false,
        );
        if let Some(a) = self.found.get_mut(&name) {
            a.org_kind = a.org_kind.or(kind);
            a.org_place = a.org_place.or(place);
        }
    }

    pub(super) fn visit_lists(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let chars = &page.chars;
        let mut heads: Vec<(usize, Head)> = page
            .cues_in(s.start, s.end)
            .filter(|c| {
                // 察看了甲车间、乙工序: what is looked at inside a site, not where one goes.
                matches!(c.cue, Cue::Arrive)
                    || (c.cue == Cue::Visit
                        && !["察看", "查看", "看了"].iter().any(|w| c.word.contains(w)))
            })
            .map(|c| {
                (
                    c.end,
                    if c.cue == Cue::Arrive {
                        Head::Arrive
                    } else {
                        Head::Visit
                    },
                )
            })
            .collect();
        // 在甲、乙等企业, 甄立民逐一察看…: a list after 在.
        // (甲在乙、丙等企业察看… too: such a list needs its closer.)
        heads.extend(
            (s.start..s.end)
                .filter(|&i| chars[i] == '在' && !page.covered[i])
                .map(|i| (i + 1, Head::At)),
        );
        for (head, kind) in heads {
            let items = list_items(page, head, s.end);
            let closed = items.last().is_some_and(|it| it.closed);
            // 走进园区内的科奕模具,察看…: one short name a movement cue goes to.
            if let ([it], Head::Arrive, false) = (&items[..], kind, closed)
                && let Some((a, name)) = lone_item(page, it)
            {
                self.note_org(page, s, doc_name, name, (a, it.end));
                continue;
            }
            // 在甲、乙等企业: a list after 在 is of organizations only when a closer says so.
            if !closed && (items.len() < 2 || kind == Head::At) {
                continue;
            }
            // 视察海洋经济和新材料产业发展情况: what is looked into, not where one goes.
            let last = items
                .last()
                .map(|it| chars[it.start..it.end].iter().collect::<String>());
            if last.is_some_and(|t| TOPIC_TAILS.iter().any(|w| t.ends_with(w))) {
                continue;
            }
            for it in &items {
                if let Some(name) = org_item(page, it.start, it.end, closed) {
                    self.note_org(page, s, doc_name, name, (it.start, it.end));
                }
            }
        }
    }

    /// Organizations by their suffix (有限公司, 研究所, 产业园…), reaching left to where
    /// something stops the name ([`org_start`]). A name whose head is common words only
    /// (可靠性实验室, 产业科技创新中心) is a part or a program of something, not an
    /// organization; one that starts with 第 or a number (第十一研究所) takes the
    /// organization before it (中国晟科电子集团有限公司第十一研究所).
    pub(super) fn orgs_by_suffix(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let (ss, se, chars) = (s.start, s.end, &page.chars);
        let mut i = ss;
        while i < se {
            let Some(end) = suffix_at(chars, i, se, Suffixes::Org) else {
                i += 1;
                continue;
            };
            // 集团 of 集团有限公司: the longer name's suffix is found next.
            if page.covered[i] || suffix_at(chars, end, se, Suffixes::Org).is_some() {
                i = end;
                continue;
            }
            let mut b = org_start(page, ss, i);
            if b < i && (chars[b] == '第' || chars[b].is_ascii_digit()) {
                let known = page
                    .ent_ending_at(b)
                    .filter(|h| self.dict.is_host_org(h.cands[0]));
                let parent = org_suffixes().find(|x| {
                    let n = x.chars().count();
                    b >= ss + n && chars[b - n..b].iter().copied().eq(x.chars())
                });
                if let Some(h) = known {
                    b = org_start(page, ss, h.start);
                } else if let Some(x) = parent {
                    let from = b - x.chars().count();
                    b = org_start(page, ss, from);
                    if b == from {
                        // The parent's name could not be read: no name at all.
                        i = end;
                        continue;
                    }
                }
            }
            // A known place at the start is the name's own (自贡 of 自贡恒岳能源…, which jieba
            // reads as a verb): only a run of free words before the name is trimmed.
            let raw: String = chars[b..end].iter().collect();
            let name = if page.place_at(b).is_some() {
                raw
            } else {
                trim_left_words(&raw)
            };
            let len = name.chars().count();
            // Words trimmed into the suffix itself (a name that is all suffix): no name.
            let Some(head_len) = len.checked_sub(end - i) else {
                i = end;
                continue;
            };
            let head: String = name.chars().take(head_len).collect();
            let whole = !page.splits_word(end - len, end);
            let named = page.place_ents.contains(&(end - len))
                || is_named_head(&head)
                || head.starts_with(['中', '国'])
                || head.contains(['第', '所']);
            // A site (基地, 展示中心, 大厦…) is named shortly (not 甲晶圆级封装研发制造基地, a
            // part of 甲), and never after a verb of founding (在四川设立生产基地).
            let site = SITE_SUFFIXES.iter().any(|x| name.ends_with(x));
            let plain_site =
                !site || (head.chars().count() <= 9 && !FOUNDING.iter().any(|v| head.contains(v)));
            // 新建产业园: what a founding verb starts is no name.
            let founded = FOUNDING.iter().any(|v| head.starts_with(v));
            if whole
                && head.chars().count() >= 2
                && named
                && plain_site
                && !founded
                && name.chars().filter(|c| is_han(*c)).count() >= 3
            {
                self.note_org(page, s, doc_name, name, (end - len, end));
            }
            i = end;
        }
    }

    /// Places by their suffix: a short run ending in 省, 市, 县, 区, 镇, 乡 or 街道 with
    /// something stopping it on the left; and zones (高新区, 经开区, 开发区, 新区…) after a
    /// known place or a short head of their own (成都高新区, 西海岸新区).
    pub(super) fn places_by_suffix(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let (ss, se, chars, covered) = (s.start, s.end, &page.chars, &page.covered);
        let mut i = ss;
        while i < se {
            let zone = suffix_at(chars, i, se, Suffixes::Zone);
            let Some(end) = zone.or_else(|| suffix_at(chars, i, se, Suffixes::Place)) else {
                i += 1;
                continue;
            };
            if covered[i] && zone.is_none() {
                i = end;
                continue;
            }
            let mut b = i;
            if let Some(h) = zone.and_then(|_| page.place_ending_at(i)) {
                b = h.start;
            } else {
                while b > ss
                    && i - b < 4
                    && is_han(chars[b - 1])
                    && !covered[b - 1]
                    && !LEFT_STOPS.contains(&chars[b - 1])
                {
                    b -= 1;
                }
            }
            let body_len = i - b;
            let stopped = b == ss
                || !is_han(chars[b - 1])
                || covered[b - 1]
                || LEFT_STOPS.contains(&chars[b - 1]);
            let next = chars.get(end).copied().unwrap_or(' ');
            // 提升市场, 我省委: the suffix must end the word.
            let ends = zone.is_some() || !is_han(next) || "的委长政人和及与".contains(next);
            let good = (2..=3).contains(&body_len)
                && !"我全本该各市省区县城地这".contains(chars[b])
                && stopped
                && ends
                || (zone.is_some() && page.place_ents.contains(&b) && b < i);
            if good {
                let name: String = chars[b..end].iter().collect();
                if !page.splits_word(b, end) || zone.is_some() {
                    self.note(
                        name,
                        Kind::Place,
                        None,
                        (doc_name, s.text(&page.chars)),
                        false,
                    );
                }
            }
            i = end;
        }
    }
}

/// One item of a list a cue governs: its span, and whether a `等企业`-like word closes the
/// list right after it.
struct Item {
    start: usize,
    end: usize,
    closed: bool,
}

/// An organization's kind by how its name ends (the dictionary's `kind` values).
const ORG_KINDS: &[(&str, &str)] = &[
    ("公司", "company"),
    ("集团", "company"),
    ("厂", "company"),
    ("研究所", "institute"),
    ("研究院", "institute"),
    ("实验室", "institute"),
    ("研究中心", "institute"),
    ("创新中心", "institute"),
    ("大学", "institute"),
    ("学院", "institute"),
    ("产业园", "park"),
    ("科技园", "park"),
    ("工业园", "park"),
    ("科创园", "park"),
    ("园区", "park"),
    ("项目", "project"),
    ("商会", "association"),
    ("协会", "association"),
    ("联合会", "association"),
    ("总会", "association"),
];

/// Where a visit goes inside a firm, not a firm: 封装车间, 晶圆生产线, 建设现场.
const GENERIC_TAILS: &[&str] = &[
    "车间",
    "生产线",
    "产线",
    "研发线",
    "中试线",
    "一线",
    "现场",
    "工地",
    "装配线",
    "流水线",
    "厂房",
    "展厅",
    "通道",
    "工序",
    "岗位",
    "窗口",
    "重点企业",
    "龙头企业",
    "大厅",
    "地区",
    "片区",
    "三地",
    "两地",
    "各地",
    "平台",
];

/// How a topic of inspection ends (发展情况, 新材料产业): a list ending so is no list of
/// organizations.
const TOPIC_TAILS: &[&str] = &[
    "情况", "发展", "产业", "工作", "经济", "建设", "问题", "进展", "方面", "领域", "行业",
];

/// The site of a visit after an organization's name, cut off it: 甲项目施工现场 → 甲项目.
const SITE_TAILS: &[&str] = &[
    "施工现场",
    "建设现场",
    "项目现场",
    "生产现场",
    "现场",
    "工地",
    "研发中心",
    "生产车间",
    "车间",
    "生产线",
    "展厅",
];

/// Words that close a list of organizations after 等 (等企业, 等单位, 等园区企业…).
const LIST_CLOSERS: &[&str] = &[
    "企业",
    "单位",
    "项目",
    "园区",
    "地",
    "公司",
    "重点企业",
    "园区企业",
    "工业企业",
    "场所",
    "基地",
    "平台",
    "处",
    "家",
];

/// The items of a list starting at `p` (after its cue, 了, 先后, 依次…) up to `se`: split at
/// 、 and at a last 和/及/以及/与 whose both sides are two characters or more; ended by a
/// clause mark, a cue or 等.
fn list_items(page: &Page<'_>, mut p: usize, se: usize) -> Vec<Item> {
    let chars = &page.chars;
    while p < se && "了先后依次分别逐一还又".contains(chars[p]) {
        p += 1;
    }
    let mut items = Vec::new();
    let mut start = p;
    let mut i = p;
    while i <= se {
        let c = if i < se { chars[i] } else { '。' };
        let cue_here = i > start && page.clause_cue_at(i);
        if c == '、'
            || c == '等'
            || cue_here
            || !(is_han(c) || c.is_ascii_alphanumeric() || "()·".contains(c))
        {
            // 等企业, 等9家企业, 等重点工业企业: a closer within the next few characters.
            let closed = c == '等' && {
                let rest: String = chars[i + 1..se.min(i + 9)]
                    .iter()
                    .take_while(|c| is_han(**c) || c.is_ascii_digit())
                    .collect();
                let rest = rest.trim_start_matches(|c: char| {
                    c.is_ascii_digit() || "一二三四五六七八九十几多家个处".contains(c)
                });
                LIST_CLOSERS.iter().any(|w| rest.starts_with(w))
                    || ["企业", "单位", "项目", "公司"]
                        .iter()
                        .any(|w| rest.contains(w))
            };
            // 酒精厂和广西绥芯电子科技有限公司: a last 和 splits two names.
            let mut parts = vec![(start, i)];
            let last_and = (start + 2..i.saturating_sub(1))
                .rev()
                .find(|&j| "和及与".contains(chars[j]));
            if let Some(j) = last_and.filter(|_| c != '、') {
                let k = if chars[j] == '及' && chars[j - 1] == '以' {
                    j - 1
                } else {
                    j
                };
                if k >= start + 2 && i >= j + 3 {
                    parts = vec![(start, k), (j + 1, i)];
                }
            }
            for (a, b) in parts {
                if b > a {
                    items.push(Item {
                        start: a,
                        end: b,
                        closed: false,
                    });
                }
            }
            if c == ','
                && !cue_here
                && let Some(next) = list_goes_on(page, &items, i + 1, se)
            {
                // 走访了甲公司、乙集团,江苏丙公司、丁公司,以及深圳的戊集团: one list.
                start = next;
                i = next;
                continue;
            }
            if c != '、' {
                if let Some(last) = items.last_mut() {
                    last.closed = closed;
                }
                break;
            }
            start = i + 1;
        }
        i += 1;
    }
    items
}

/// What a list of names follows: a visit cue, a movement cue, or 在.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Head {
    Visit,
    Arrive,
    At,
}

/// The one item a movement cue goes to, as an organization's short name: what follows the
/// last 的 (园区内的科奕模具), three to eight characters with a word of its own, followed by a
/// clause mark, and neither a site, a place nor a topic.
fn lone_item(page: &Page<'_>, it: &Item) -> Option<(usize, String)> {
    let chars = &page.chars;
    let a = (it.start..it.end)
        .rev()
        .find(|&k| chars[k] == '的')
        .map_or(it.start, |k| k + 1);
    let name: String = chars[a..it.end].iter().collect();
    let n = it.end - a;
    let marked = chars.get(it.end).is_some_and(|c| ",。;".contains(*c));
    let plain = !GENERIC_TAILS.iter().any(|t| name.ends_with(t))
        && !SITE_TAILS.iter().any(|t| name.ends_with(t))
        && !TOPIC_TAILS.iter().any(|t| name.ends_with(t))
        && !PLACE_SUFFIXES.iter().any(|t| name.ends_with(t))
        && !name.starts_with(['我', '本', '全', '该', '各', '此', '这']);
    let free = (a..it.end).all(|k| !page.covered[k]) && page.titles_in(a, it.end).next().is_none();
    // A name ends in a noun (科奕模具) and starts with no verb (进博会展馆巡馆).
    let j = crate::page::matcher::jieba();
    let tags = j.tag(&name, true);
    let nounish = tags.last().is_some_and(|t| t.tag.starts_with('n'))
        && !tags
            .first()
            .is_some_and(|t| t.tag.starts_with('v') && j.has_word(t.word));
    ((3..=8).contains(&n) && marked && plain && free && nounish && is_distinctive(&name))
        .then_some((a, name))
}

/// The length of a phase tail (三期, 二期工程, 4期项目) at the end of a name, or 0 when the
/// rest would be shorter than four characters.
fn phase_len(name: &[char]) -> usize {
    let mut k = name.len();
    for tail in [&['工', '程'][..], &['项', '目'][..]] {
        if name[..k].ends_with(tail) {
            k -= 2;
            break;
        }
    }
    if k < 2 || name[k - 1] != '期' {
        return 0;
    }
    let mut j = k - 1;
    while j > 0 && (name[j - 1].is_ascii_digit() || "一二三四五六七八九十".contains(name[j - 1]))
    {
        j -= 1;
    }
    if j == k - 1 || j < 4 {
        return 0;
    }
    name.len() - j
}

/// Organization words a list of firms' items end with.
const ORG_WORDS: &[&str] = &[
    "公司", "集团", "园", "中心", "基地", "项目", "厂", "院", "所",
];

/// Where a list of organizations goes on after a comma at `p`, if it does: the item before
/// the comma and the one after it (past 以及, 和, and a place with 的) both end in an
/// organization word.
fn list_goes_on(page: &Page<'_>, items: &[Item], mut p: usize, se: usize) -> Option<usize> {
    let chars = &page.chars;
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let last = items.last()?;
    if !ORG_WORDS
        .iter()
        .any(|w| text(last.start, last.end).ends_with(w))
    {
        return None;
    }
    for w in ["以及", "及", "和", "还有"] {
        if text(p, se.min(p + w.chars().count())) == w {
            p += w.chars().count();
            break;
        }
    }
    if let Some(pe) = page.place_at(p).filter(|&pe| chars.get(pe) == Some(&'的')) {
        p = pe + 1;
    }
    let q = (p..se).find(|&k| "、,。;等".contains(chars[k]) || !is_han(chars[k]))?;
    let next = text(p, q);
    (next.chars().count() >= 3 && ORG_WORDS.iter().any(|w| next.ends_with(w))).then_some(p)
}

/// An item of a visit list as an organization's name, when it is one: two to twenty
/// characters, no known name inside but a leading place, not a person's name, not a place,
/// and not a phrase of common words only (生产车间, 研发一线).
fn org_item(page: &Page<'_>, start: usize, end: usize, closed: bool) -> Option<String> {
    let chars = &page.chars;
    let len = end.checked_sub(start)?;
    if !(2..=20).contains(&len) || chars[start..end].iter().filter(|c| is_han(**c)).count() < 2 {
        return None;
    }
    // A known place may lead it (舞钢市食用菌循环农业园); any other known name: not new.
    let mut b = start;
    if let Some(h) = page.place_at(start) {
        b = h;
    }
    if b >= end
        || (b..end).any(|i| page.covered[i])
        || page.titles.iter().any(|t| t.0 < end && t.1 > start)
    {
        return None;
    }
    // 金河工业园瑞通工贸, 蟠龙高新区嘉泰精工: a firm named after the park it is in.
    let text: String = chars[start..end].iter().collect();
    let start = ["工业园", "产业园", "科创园", "科技园", "园区"]
        .iter()
        .chain(ZONE_SUFFIXES)
        .filter_map(|x| text.find(x).map(|k| text[..k + x.len()].chars().count()))
        .filter(|&n| n >= 4 && len >= n + 2)
        .max()
        .map_or(start, |n| start + n);
    let b = b.max(start);
    // 江苏云湾光电科技有限公司进行实地查看: the name ends with its suffix.
    let text: String = chars[start..end].iter().collect();
    // (晟科集团11所 keeps its numbered unit.)
    let numbered = |n: usize| {
        let rest = &chars[start + n..end];
        rest.first().is_some_and(|c| {
            *c == '第' || c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)
        }) && rest.last().is_some_and(|c| "所院厂室".contains(*c))
    };
    let end = org_suffixes()
        .filter_map(|x| text.find(x).map(|k| text[..k + x.len()].chars().count()))
        .filter(|&n| n >= 4 && !numbered(n))
        .max()
        .map_or(end, |n| start + n);
    let len = end - start;
    let name: String = chars[start..end].iter().collect();
    if !closed && len <= 3 && surname_len(&chars[start..end]).is_some() && b == start {
        // 张三、李四: people, not firms (a firm of three characters is found by its suffix).
        let j = crate::page::matcher::jieba();
        if !j.has_word(&name) {
            return None;
        }
    }
    if PLACE_SUFFIXES.iter().any(|x| name.ends_with(x)) && len <= 4 {
        return None;
    }
    // 钱江半导体材料产业化项目施工现场, 鼎湃微电子研发中心: the place of the visit inside
    // the organization is not part of its name.
    // 我区智能传感, 全市重点企业: a phrase about one's own place, no name; 甲承担建设的乙线:
    // a description.
    if name.starts_with(['我', '本', '全', '该', '各', '此', '这']) || name.contains('的') {
        return None;
    }
    // 艾欣药业三期工程, 鹏晟新材料四期: a phase of a firm's project is the firm.
    let end = end - phase_len(&chars[start..end]);
    let len = end - start;
    let name: String = chars[start..end].iter().collect();
    let (name, rest) = match SITE_TAILS.iter().find(|t| name.ends_with(**t)) {
        // 亚太研发中心, 所史展厅: what is left must be a name of some length.
        Some(t) if len - t.chars().count() < 3 => return None,
        Some(t) => {
            let cut = t.chars().count();
            let kept: String = chars[start..end - cut].iter().collect();
            let rest: String = chars[b.min(end - cut)..end - cut].iter().collect();
            (kept, rest)
        }
        None => (name, chars[b..end].iter().collect()),
    };
    // In a list closed by 等企业 an item needs no word of its own (兴盛石化), only not be a
    // part of a site.
    let own = if closed {
        !GENERIC_TAILS.iter().any(|t| rest.ends_with(t))
    } else {
        is_distinctive(&rest)
    };
    (rest.chars().count() >= 2 && own).then_some(name)
}

/// Whether a phrase has a word of its own: a token jieba does not know, or a proper noun
/// (瓯康医疗, 嘉迪家私), not only common words (生产车间, 研发一线, 重点项目).
pub(super) fn is_distinctive(phrase: &str) -> bool {
    let j = crate::page::matcher::jieba();
    if GENERIC_TAILS.iter().any(|t| phrase.ends_with(t)) {
        return false;
    }
    // An unknown run read as a verb or function word (用能) is no name.
    j.tag(phrase, true).iter().any(|t| {
        (!j.has_word(t.word) && !matches!(t.tag, "v" | "d" | "p" | "c" | "u" | "r"))
            || matches!(t.tag, "nr" | "ns" | "nrt" | "nrfg")
    })
}

/// Whether the head of a name with an organization's suffix is a name: a suffix vouches
/// for it, so any word jieba does not know will do (越腾 of 越腾集团), a proper noun, or
/// characters mostly outside the lexicon's words (晟科).
fn is_named_head(head: &str) -> bool {
    let j = crate::page::matcher::jieba();
    let tags = j.tag(head, true);
    // 晟科 of 晟科集团: characters no word of the lexicon holds together are a brand.
    let in_words: usize = tags
        .iter()
        .filter(|t| t.word.chars().count() >= 2 && j.has_word(t.word))
        .map(|t| t.word.chars().count())
        .sum();
    tags.iter()
        .any(|t| !j.has_word(t.word) || matches!(t.tag, "nr" | "ns" | "nrt" | "nrfg"))
        || 2 * in_words < head.chars().count()
}

/// The end of the suffix of `suffixes` that starts at `i` (the first listed that does).
fn suffix_at(chars: &[char], i: usize, se: usize, list: Suffixes) -> Option<usize> {
    // Most positions start no suffix: look at the first character before comparing, then
    // only at the suffixes that start with it, in their listed order.
    let c = *chars.get(i)?;
    let b = c as usize;
    if b >= 1 << 16 || first_chars()[b >> 6] & (1 << (b & 63)) == 0 {
        return None;
    }
    by_first_char(list).get(&c)?.iter().find_map(|x| {
        let end = i + x.len();
        (end <= se && chars[i..end] == x[..]).then_some(end)
    })
}

/// Which suffix list [`suffix_at`] looks in.
#[derive(Clone, Copy)]
enum Suffixes {
    Org = 0,
    Zone = 1,
    Place = 2,
}

/// Every organization suffix: bodies, then sites.
fn org_suffixes() -> impl Iterator<Item = &'static &'static str> {
    ORG_SUFFIXES.iter().chain(SITE_SUFFIXES)
}

/// A suffix list grouped by first character, each group in the list's order (made once).
fn by_first_char(list: Suffixes) -> &'static BTreeMap<char, Vec<Vec<char>>> {
    type Table = BTreeMap<char, Vec<Vec<char>>>;
    static TABLES: std::sync::OnceLock<[Table; 3]> = std::sync::OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        [Suffixes::Org, Suffixes::Zone, Suffixes::Place].map(|list| {
            let words: Vec<&str> = match list {
                Suffixes::Org => org_suffixes().copied().collect(),
                Suffixes::Zone => ZONE_SUFFIXES.to_vec(),
                Suffixes::Place => PLACE_SUFFIXES.to_vec(),
            };
            let mut t: Table = BTreeMap::new();
            for x in words {
                let cs: Vec<char> = x.chars().collect();
                t.entry(cs[0]).or_default().push(cs);
            }
            t
        })
    });
    &tables[list as usize]
}

/// The first characters of every organization, zone and place suffix, as a bitmap over
/// the Basic Multilingual Plane.
fn first_chars() -> &'static [u64] {
    static SET: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut bits = vec![0u64; 1 << 10];
        for c in org_suffixes()
            .chain(ZONE_SUFFIXES)
            .chain(PLACE_SUFFIXES)
            .filter_map(|x| x.chars().next())
        {
            let c = c as usize;
            bits[c >> 6] |= 1 << (c & 63);
        }
        bits
    })
}

/// Where an organization's name whose suffix starts at `i` begins: left over Han, ASCII and
/// brackets, a known place taken whole (苏州 + 芯澄微电子科技有限公司), up to 24
/// characters, stopped by a function word, a known name or cue, or an unmatched bracket
/// (工厂(奥朗特光电(济南)有限公司 → 奥朗特光电(济南)有限公司).
fn org_start(page: &Page<'_>, ss: usize, i: usize) -> usize {
    let (chars, covered) = (&page.chars, &page.covered);
    let mut b = i;
    while b > ss
        && i - b < 24
        && (is_han(chars[b - 1])
            || chars[b - 1].is_ascii_alphanumeric()
            || "()".contains(chars[b - 1]))
        // 有 of 有限公司 inside a longer name (甲有限公司第三十九研究所) stops nothing.
        && (!LEFT_STOPS.contains(&chars[b - 1]) || (chars[b - 1] == '有' && chars[b] == '限'))
    {
        if !covered[b - 1] {
            b -= 1;
            continue;
        }
        match page.place_ending_at(b) {
            Some(h) => b = h.start,
            None => match local_branch(page, b, i) {
                Some(start) => b = start,
                None => break,
            },
        }
    }
    let mut depth = 0usize;
    for k in (b..i).rev() {
        match chars[k] {
            ')' => depth += 1,
            '(' if depth == 0 => return k + 1,
            '(' => depth -= 1,
            _ => {}
        }
    }
    b
}

/// An organization's name read with part of its sentence before it (方式随机抽查芯澄微电子
/// 有限公司, where the words before the name were no function words alone) is folded into
/// the name it ends with, when that name was found on its own: the extra head holds a word
/// jieba knows as a verb, adverb, preposition, conjunction, particle or pronoun, and is no
/// place (武汉华星光电… stays apart from 华星光电…) nor a proper noun.
pub(super) fn fold_fragments(found: &mut Vec<(String, super::Acc)>) {
    let orgs: std::collections::BTreeSet<&str> = found
        .iter()
        .filter(|(n, a)| a.kind() == Some(Kind::Organization) && n.chars().count() >= 4)
        .map(|(n, _)| n.as_str())
        .collect();
    let j = crate::page::matcher::jieba();
    let mut into: BTreeMap<String, String> = BTreeMap::new();
    for (name, a) in found.iter() {
        if a.kind() != Some(Kind::Organization) {
            continue;
        }
        // The longest other organization this name ends with: its tails looked up, longest
        // first (not every organization tried against every other).
        let Some(tail) = name
            .char_indices()
            .skip(1)
            .map(|(b, _)| &name[b..])
            .find(|t| orgs.contains(t))
        else {
            continue;
        };
        let head = &name[..name.len() - tail.len()];
        let tags = j.tag(head, true);
        let loose = tags.iter().any(|t| {
            j.has_word(t.word) && matches!(t.tag, "v" | "d" | "p" | "c" | "u" | "r" | "ad")
        });
        let proper = tags
            .iter()
            .any(|t| matches!(t.tag, "ns" | "nr" | "nt" | "nz" | "nrt" | "nrfg"));
        if loose && !proper && is_distinctive(tail) {
            into.insert(name.clone(), tail.to_string());
        }
    }
    if into.is_empty() {
        return;
    }
    let mut kept: Vec<(String, super::Acc)> = Vec::with_capacity(found.len());
    let mut parts: Vec<(String, super::Acc)> = Vec::new();
    for (n, a) in found.drain(..) {
        if into.contains_key(&n) {
            parts.push((n, a));
        } else {
            kept.push((n, a));
        }
    }
    for (n, a) in parts {
        // A fragment of a fragment goes to the name the chain ends at.
        let mut to = &into[&n];
        while let Some(next) = into.get(to) {
            to = next;
        }
        if let Some((_, whole)) = kept.iter_mut().find(|(k, _)| k == to) {
            whole.absorb(a);
        }
    }
    // Counts changed: the order `finish` gave (count, then name) again.
    kept.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
    *found = kept;
}

/// A known firm's short name inside a longer name of its own, after a place and before
/// more words and the suffix at `i` (武汉 + 华星光电 + 技术有限公司, where the dictionary has
/// TCL华星光电技术有限公司 with the alias 华星光电): a local branch or subsidiary, a firm of
/// its own; the name starts at the place. (With nothing between the short name and the
/// suffix, 华星光电有限公司 may be the known firm written loosely: not read.)
fn local_branch(page: &Page<'_>, b: usize, i: usize) -> Option<usize> {
    let h = page
        .ent_ending_at(b)
        .filter(|h| h.ty == crate::dict::EntityType::Organization && b < i)?;
    page.place_ending_at(h.start).map(|p| p.start)
}

/// Drop leading words that cannot start a name (verbs, adverbs, prepositions…): 发挥国家
/// 创新中心 → 国家创新中心.
fn trim_left_words(name: &str) -> String {
    // With the HMM, an unknown run is one token (乐拓 of 乐拓电子), kept: only a word the
    // lexicon knows is dropped.
    let j = crate::page::matcher::jieba();
    let tags = j.tag(name, true);
    let mut start = 0;
    for t in &tags {
        let lead = t.tag.chars().next().unwrap_or('n');
        if matches!(
            lead,
            'v' | 'd' | 'p' | 'c' | 'r' | 'u' | 'f' | 'm' | 'q' | 'a'
        ) && j.has_word(t.word)
            && start + t.word.len() < name.len()
        {
            start += t.word.len();
        } else {
            break;
        }
    }
    name[start..].to_string()
}
