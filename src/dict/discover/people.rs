//! People: officials after a title or before one (副区长王斐, 尚学钧代省长), the names that
//! follow in a list (副市长甲、乙), and names before a visit cue; executives placed at the
//! firm named before their title. A name starts with a surname of the lexicon and ends
//! where a function word, a verb, a known word or a mark does.

use super::{Discoverer, Kind, Page, Sentence};
use crate::dict::surnames::surname_len;
use crate::dict::triggers::Cue;
use crate::page::normalize::is_han;

/// Government titles: a name after one of these is an official.
pub(super) const GOV_TITLES: &[&str] = &[
    "书记",
    "副书记",
    "省长",
    "副省长",
    "市长",
    "副市长",
    "区长",
    "副区长",
    "县长",
    "副县长",
    "州长",
    "副州长",
    "镇长",
    "副镇长",
    "乡长",
    "主任",
    "副主任",
    "部长",
    "副部长",
    "厅长",
    "副厅长",
    "局长",
    "副局长",
    "秘书长",
    "副秘书长",
    "主席",
    "副主席",
    "常委",
    "委员",
    "组长",
    "副组长",
    "司长",
    "处长",
    "署长",
    "巡视员",
    "调研员",
    "党组书记",
    "工委书记",
    "党工委书记",
    "常务副市长",
    "常务副区长",
    "常务副县长",
    "常务副省长",
    "市委书记",
    "区委书记",
    "县委书记",
    "省委书记",
    "管委会主任",
    "管委会副主任",
    "委员长",
    "副委员长",
    "总理",
    "副总理",
    "国务委员",
    "党组成员",
    "党委书记",
    "党委副书记",
    "纪委书记",
    "监委主任",
    "政法委书记",
    "组织部部长",
    "宣传部部长",
    "统战部部长",
    "副巡视员",
    "一级巡视员",
    "二级巡视员",
    "一级调研员",
    "二级调研员",
    "检察长",
    "副检察长",
    "代市长",
    "代区长",
    "代县长",
    "代省长",
    "市长助理",
    "区长助理",
    "县长助理",
    "盟长",
    "旗长",
    "政委",
    "大使",
    "总领事",
    "第一书记",
    "党工委副书记",
    "工委副书记",
    "市委副书记",
    "区委副书记",
    "县委副书记",
    "省委副书记",
    "省领导",
    "市领导",
    "区领导",
    "县领导",
    "镇领导",
    "州领导",
    "旗领导",
    "中央领导",
];

/// Titles inside firms and institutes: a name after one of these is an executive.
pub(super) const EXEC_TITLES: &[&str] = &[
    "董事长",
    "副董事长",
    "总经理",
    "副总经理",
    "总裁",
    "副总裁",
    "首席执行官",
    "所长",
    "副所长",
    "院长",
    "副院长",
    "总工程师",
    "厂长",
    "副厂长",
    "经理",
    "负责人",
    "创始人",
    "会长",
    "副会长",
    "理事长",
    "副理事长",
    "执行董事",
    "董事",
    "监事长",
];

/// Characters that start the word after a name (在沈阳, 到合肥, 率团, 参加, 一行, 等, 和…)
/// and so end it; a two-character given name that ends in one of them is cut before it.
const NAME_BREAKS: &str = "在到来赴率带参陪一等和与及同说表指强对向是的主要也还就又并出前先随调考视走深察听会了为将已从于以把被给让通代分亲作";

impl Page<'_> {
    /// A name starting at `p` in a sentence ending at `se`: up to the next covered position
    /// or non-Han character; its end and text.
    pub(super) fn name_at(&self, p: usize, se: usize) -> Option<(usize, String)> {
        let (chars, covered) = (&self.chars, &self.covered);
        if p >= se || covered[p] {
            return None;
        }
        let sl = surname_len(&chars[p..se.min(p + 2)])?;
        // 米乐山, 阮宜川: a given name that a gazetteer knows as a place.
        if let Some(pe) = self
            .place_at(p + sl)
            .filter(|&pe| pe - p <= sl + 2 && !covered[p])
        {
            let hard = pe >= se
                || !is_han(chars[pe])
                || self.starts[pe]
                || NAME_BREAKS.contains(chars[pe]);
            if hard {
                return Some((pe, chars[p..pe].iter().collect()));
            }
        }
        // The longest run of free Han characters a name can take: a given name of one or two.
        let mut e = p;
        while e < se && is_han(chars[e]) && !covered[e] && e - p < sl + 2 {
            e += 1;
        }
        // 柏舟等, 甲和, 亢景深在: a name ends where a function word or a verb starts, and
        // a given name of two characters is kept only when a boundary follows it.
        // 晏清和等参加: 等 after three characters ends the name there as a mark would.
        let hard = |end: usize| {
            end >= se
                || !is_han(chars[end])
                || self.starts[end]
                || covered[end]
                || chars[end] == '等'
        };
        let long = p + sl + 2;
        let pick = if long <= e && hard(long) {
            // 柴景和, : punctuation after three characters ends the name there.
            Some(long)
        } else if long <= e && !NAME_BREAKS.contains(chars[long - 1]) && self.boundary(long, se) {
            Some(long)
        } else {
            Some(p + sl + 1).filter(|&end| end <= e && self.boundary(end, se))
        };
        pick.map(|end| (end, chars[p..end].iter().collect()))
    }

    /// Whether a name may end before position `e`: the sentence or the Han run ends there,
    /// a known word or cue starts there, or a function word or verb does.
    fn boundary(&self, e: usize, se: usize) -> bool {
        e >= se
            || !is_han(self.chars[e])
            || self.starts[e]
            || self.covered[e]
            || NAME_BREAKS.contains(self.chars[e])
    }
}

impl<'a> Discoverer<'a> {
    /// The organization a title inside a firm at `ts` is held at: a known firm or one
    /// discovered on the page, the nearest before the title within 400 characters, as its
    /// id (known) or name (discovered).
    fn firm_of(&self, page: &Page<'a>, ts: usize) -> Option<String> {
        // 公司董事长, 企业总经理: the firm, not the park or project named since; 所长: an
        // institute.
        let firm_word = {
            let from = ts.saturating_sub(4);
            let before: String = page.chars[from..ts].iter().collect();
            ["公司", "企业", "集团", "厂"]
                .iter()
                .any(|w| before.contains(w))
        };
        let title: String = page.chars[ts..(ts + 3).min(page.chars.len())]
            .iter()
            .collect();
        let institute = title.starts_with("所长") || title.starts_with("副所长");
        let fits = |n: &str| {
            if institute {
                n.ends_with('所')
            } else {
                !firm_word || !n.ends_with(['园', '区', '地', '心', '目', '台'])
            }
        };
        let found = self
            .page_orgs
            .range(ts.saturating_sub(400)..=ts)
            .rev()
            .find(|(_, n)| fits(n))
            .map(|(&e, n)| (e, n.clone()));
        let known = page
            .ents
            .iter()
            .filter(|h| h.end <= ts && ts - h.end <= 400 && self.dict.is_host_org(h.cands[0]))
            .max_by_key(|h| h.end)
            .map(|h| (h.end, format!("={}", self.dict.entities[h.cands[0]].id)));
        match (found, known) {
            (Some(f), Some(k)) => Some(if k.0 > f.0 { k.1 } else { f.1 }),
            (f, k) => f.or(k).map(|x| x.1),
        }
    }

    /// Officials after titles, and the list that follows (副市长甲、乙).
    pub(super) fn after_titles(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let (ss, se) = (s.start, s.end);
        // The end of the last title or name with a place, and the place.
        let mut chain: Option<(usize, usize)> = None;
        // The end of the last name after a title held inside a firm.
        let mut firm_end: Option<usize> = None;
        for (ts, te, title, exec) in page.titles_in(ss, se) {
            // 东海县委书记: the title may share its first character with the place before.
            if page.covered[*ts]
                && !page
                    .cues_in(*ts, *ts + 8)
                    .any(|c| c.start == *ts && matches!(c.cue, Cue::Title | Cue::Group))
                && page.place_before(*ts).is_none()
            {
                continue;
            }
            // 习近平总书记: this title follows its holder's name, it does not introduce one.
            if &**title == "总书记" {
                continue;
            }
            // 协会科技部主任甲、信息部主任乙: a title joined by 、 to a name held inside a firm
            // is held there too.
            let joined_firm = firm_end.is_some_and(|end| {
                page.chars.get(end) == Some(&'、')
                    && *ts > end
                    && *ts - end <= 6
                    && (end + 1..*ts).all(|k| is_han(page.chars[k]))
            });
            let kind = if *exec || page.firm_before(*ts) || joined_firm {
                Kind::Executive
            } else {
                Kind::Official
            };
            firm_end = None;
            // 四川省委书记甲、省长乙; 合肥市委常委、副市长丙: the place before a title, or
            // before the title or name the list mark joins it to.
            let place = page.place_before(*ts).or(match chain {
                Some((end, pl)) if *ts == end + 1 && page.chars[end] == '、' => Some(pl),
                _ => None,
            });
            chain = place.map(|pl| (*te, pl));
            let mut p = *te;
            while let Some((e, name)) = page.name_at(p, se) {
                // 甲、信息部主任乙: a list goes on only over names.
                if !plausible_name(&name, false, || true) {
                    break;
                }
                // 省领导 says who, not which post.
                if let (Some(pl), Kind::Official, false) = (place, kind, title.ends_with("领导"))
                {
                    let day = page.doc.pub_date.day();
                    let post = (title.to_string(), pl);
                    let seen = self
                        .found
                        .entry(name.clone())
                        .or_default()
                        .posts
                        .entry(post)
                        .or_insert(day);
                    *seen = match (*seen, day) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    chain = Some((e, pl));
                }
                if kind == Kind::Executive
                    && let Some(firm) = self.firm_of(page, *ts)
                {
                    let a = self.found.entry(name.clone()).or_default();
                    a.firms.entry(firm).or_insert_with(|| title.to_string());
                }
                if kind == Kind::Executive {
                    firm_end = Some(e);
                }
                self.note(
                    name,
                    kind,
                    Some(title),
                    (doc_name, s.text(&page.chars)),
                    false,
                );
                if page.chars.get(e) == Some(&'、') {
                    p = e + 1;
                } else {
                    break;
                }
            }
        }
    }

    /// A list continuing a known official: 副市长甲、乙 where 甲 is known.
    pub(super) fn list_continuations(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        for &pe in page
            .person_ends
            .iter()
            .filter(|&&e| e >= s.start && e < s.end)
        {
            if page.chars.get(pe) == Some(&'、')
                && let Some((_, name)) = page.name_at(pe + 1, s.end)
            {
                self.note(
                    name,
                    Kind::Official,
                    None,
                    (doc_name, s.text(&page.chars)),
                    false,
                );
            }
        }
    }

    /// A name right before a government title, as a byline or an honorific puts it (尚学钧
    /// 代省长, 狄恒山书记), after a clause mark, a known word or a preposition.
    pub(super) fn before_titles(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let (ss, chars) = (s.start, &page.chars);
        for (ts, te, title, exec) in page.titles_in(ss, s.end) {
            if *exec || title.chars().count() < 2 || title.ends_with("领导") {
                continue;
            }
            for len in [3usize, 2] {
                let Some(p) = ts.checked_sub(len).filter(|&p| p >= ss) else {
                    continue;
                };
                let free = (p..*ts).all(|i| is_han(chars[i]) && !page.covered[i]);
                let stopped = p == ss
                    || !is_han(chars[p - 1])
                    || page.covered[p - 1]
                    || "在由与和及同、请".contains(chars[p - 1]);
                let name: String = chars[p..*ts].iter().collect();
                if free
                    && stopped
                    && surname_len(&chars[p..*ts]).is_some_and(|sl| len > sl)
                    && !name.ends_with(['市', '省', '区', '县', '镇', '乡', '村', '州'])
                    && page.boundary(*te, s.end)
                    && !page.splits_word(*ts, *te)
                {
                    self.note(
                        name,
                        Kind::Official,
                        Some(title),
                        (doc_name, s.text(&page.chars)),
                        true,
                    );
                    break;
                }
            }
        }
    }

    /// Names listed before a word that makes them officials (甲、乙、丙等市领导随团考察;
    /// 甲、乙等同志): each a surname and a given name of one or two, the whole run from a
    /// clause mark to 等 nothing but such names.
    pub(super) fn before_groups(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let chars = &page.chars;
        for k in (s.start + 2)..s.end {
            if chars[k] != '等' {
                continue;
            }
            let rest: String = chars[k + 1..s.end.min(k + 5)].iter().collect();
            if ![
                "市领导",
                "省领导",
                "区领导",
                "县领导",
                "领导",
                "同志",
                "负责同志",
            ]
            .iter()
            .any(|w| rest.starts_with(w))
            {
                continue;
            }
            let from = (s.start..k)
                .rev()
                .find(|&i| !is_han(chars[i]) && chars[i] != '、')
                .map_or(s.start, |i| i + 1);
            let mut names = Vec::new();
            let all_names = chars[from..k].split(|c| *c == '、').all(|part| {
                let ok = (2..=4).contains(&part.len())
                    && surname_len(part).is_some_and(|sl| part.len() > sl && part.len() <= sl + 2);
                if ok {
                    names.push(part.iter().collect::<String>());
                }
                ok
            });
            if all_names
                && !names.is_empty()
                && (from..k).all(|i| !page.covered[i] || page.person_at(i))
            {
                for name in names {
                    self.note(name, Kind::Official, None, (doc_name, s.text(chars)), false);
                }
            }
        }
    }

    /// A name right before a visit cue or 一行, after punctuation.
    pub(super) fn before_cues(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let (ss, se, chars) = (s.start, s.end, &page.chars);
        for c in page.cues_in(ss, se) {
            let subjectish = matches!(c.cue, Cue::Visit | Cue::Arrive) || c.word == "一行";
            if !subjectish {
                continue;
            }
            for len in [3usize, 2] {
                if c.start < ss + len {
                    continue;
                }
                let p = c.start - len;
                let before_ok =
                    p == ss || matches!(chars[p - 1], ',' | '。' | ':' | ';' | ' ' | '\n');
                if before_ok
                    && (p..c.start).all(|i| is_han(chars[i]) && !page.covered[i])
                    && surname_len(&chars[p..c.start]).is_some_and(|sl| len > sl)
                {
                    let name: String = chars[p..c.start].iter().collect();
                    self.note(
                        name,
                        Kind::Official,
                        None,
                        (doc_name, s.text(&page.chars)),
                        true,
                    );
                    break;
                }
            }
        }
    }
}

/// Whether a run after a title can be a person's name: not ending like a body or a phrase
/// (信息部, 单位的), not a verb or function word the lexicon knows (强调) unless a list mark
/// follows it (副市长甘露、喻少川), and, placed `weak`ly, not a word at all.
pub(super) fn plausible_name(name: &str, weak: bool, delimited: impl Fn() -> bool) -> bool {
    if name.ends_with([
        '部', '局', '委', '办', '厅', '处', '司', '会', '院', '所', '的', '们', '等',
    ]) {
        return false;
    }
    let j = crate::page::matcher::jieba();
    if !j.has_word(name) {
        return true;
    }
    let tags = j.tag(name, false);
    let verbish = tags.len() == 1
        && matches!(
            tags[0].tag,
            "v" | "vn" | "vd" | "d" | "p" | "c" | "u" | "r" | "ad" | "an" | "l" | "i"
        );
    let known_name = tags.len() == 1 && matches!(tags[0].tag, "nr" | "nrfg" | "nrt");
    (!verbish || delimited()) && (!weak || known_name)
}
