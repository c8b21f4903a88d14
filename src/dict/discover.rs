//! Discovery: pages in, [`Candidate`] entities out — names that are not in the dictionaries
//! but act like entities.
//!
//! * officials: a name right after a title (`副区长王斐`, `所长唐景庭`), the names that follow it
//!   in a list (`副市长甲、乙`), and a name right before a visit cue or `一行`; a name is two or
//!   three characters (four with a compound surname), starts with a common surname and runs up
//!   to the next known word, cue or punctuation;
//! * organizations: a run ending in an organizational suffix (`有限公司`, `研究所`, `产业园`…),
//!   cut on the left at the previous cue, name, or function word;
//! * places: a short run ending in `省`, `市`, `县`, `区`, `镇`, `乡` or `街道`.
//!
//! Candidates are ranked by frequency and printed as dictionary rows with slug ids (pinyin),
//! ready to append.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use pinyin::ToPinyin;

use crate::dict::surnames::surname_len;
use crate::dict::triggers::Cue;
use crate::dict::{Dictionary, EntityType};
use crate::page::date::Day;
use crate::page::document;
use crate::page::matcher::{CueHit, EntityHit, Matcher};
use crate::page::normalize::Normalized;
use crate::page::normalize::is_han;

/// Government titles: a name after one of these is an official.
const GOV_TITLES: &[&str] = &[
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
const EXEC_TITLES: &[&str] = &[
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
const ORG_SUFFIXES: &[&str] = &[
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
];
const PLACE_SUFFIXES: &[&str] = &["街道", "省", "市", "县", "区", "镇", "乡"];
/// Zones: development areas named after a place (成都高新区) or on their own (西海岸新区).
const ZONE_SUFFIXES: &[&str] = &[
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

/// What a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person after a government title or before a visit cue.
    Official,
    /// A person after a title inside a firm or institute.
    Executive,
    /// A firm, institute, park…
    Organization,
    /// A place.
    Place,
}

/// A name that is not in the dictionaries.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Candidate {
    /// Slug id (pinyin), unique against the dictionary and the other candidates.
    pub id: String,
    /// What it looks like.
    pub kind: Kind,
    /// The name as normalized (simplified).
    pub name: String,
    /// Short names of an organization (`芯澄微电子` of `苏州芯澄微电子科技有限公司`), and
    /// the short names seen on their own that were folded into it.
    pub aliases: Vec<String>,
    /// Times seen.
    pub count: usize,
    /// The titles seen before it (officials).
    pub titles: Vec<String>,
    /// The documents it was seen in.
    pub docs: Vec<String>,
    /// One sentence it was seen in.
    pub context: String,
    /// Posts seen with a place named before the title (四川省委书记甲): officials only.
    pub posts: Vec<SeenPost>,
}

/// A post seen in text: a title after a known place, held by a discovered official.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct SeenPost {
    /// The title as written (`省长`).
    pub title: String,
    /// The place's dictionary id (`sichuan`).
    pub jurisdiction: String,
    /// The earliest page date it was seen on (`2024-04-12`), if a page said.
    pub seen: Option<String>,
    /// The first page date of the next holder of the same title and place: the day this
    /// one's term is taken to end before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Whether another holder was seen before: then this term is taken to start on `seen`.
    #[serde(skip)]
    pub after_another: bool,
}

#[derive(Default)]
struct Acc {
    /// Sightings as each kind, in [`Kind`] order.
    kinds: [usize; 4],
    /// Executives: the organization (a known id or a discovered name) → the title held.
    firms: BTreeMap<String, String>,
    /// (title, place entity) → the earliest page date it was seen on.
    posts: BTreeMap<(String, usize), Option<Day>>,
    /// Sightings after a government title, after a title inside a firm.
    gov: usize,
    exec: usize,
    count: usize,
    titles: BTreeSet<String>,
    docs: BTreeSet<String>,
    context: String,
}

impl Acc {
    /// What the name is, whatever order it was seen in: an official when a government
    /// title named them, else an executive when a firm's title did, else what it was seen
    /// as most often (the earlier kind on a tie).
    fn kind(&self) -> Option<Kind> {
        if self.gov > 0 {
            return Some(Kind::Official);
        }
        if self.exec > 0 {
            return Some(Kind::Executive);
        }
        let kinds = [
            Kind::Official,
            Kind::Executive,
            Kind::Organization,
            Kind::Place,
        ];
        let (best, n) = self
            .kinds
            .iter()
            .enumerate()
            .fold((0, 0), |b, (i, &n)| if n > b.1 { (i, n) } else { b });
        (n > 0).then(|| kinds[best])
    }
}

/// Collects candidates over many pages.
pub struct Discoverer<'a> {
    dict: &'a Dictionary,
    matcher: &'a Matcher,
    titles: AhoCorasick,
    title_words: Vec<(Arc<str>, bool)>,
    found: BTreeMap<String, Acc>,
    known: BTreeSet<String>,
    /// The organizations named on the page being read, by where they end: an executive's
    /// title is held at the nearest one before it.
    page_orgs: BTreeMap<usize, String>,
}

/// One page as [`Discoverer::add`] reads it.
struct Page<'m> {
    n: Normalized,
    doc: document::Document,
    cues: Vec<CueHit<'m>>,
    ents: Vec<EntityHit<'m>>,
    /// The normalized text's characters.
    chars: Vec<char>,
    /// Characters inside a known name or a cue word (a title excepted).
    covered: Vec<bool>,
    /// Characters where a known name or a cue word starts.
    starts: Vec<bool>,
    /// Title words found: start, end, the word, whether it is an executive's.
    titles: Vec<(usize, usize, Arc<str>, bool)>,
    /// Where known officials' names end.
    person_ends: BTreeSet<usize>,
    /// Where known places start.
    place_ents: BTreeSet<usize>,
    /// By position: the known name starting there, the one ending there (index + 1 into
    /// `ents`, 0 for none), and whether a list-ending cue starts there.
    ent_starting: Vec<u32>,
    ent_ending: Vec<u32>,
    clause_cue: Vec<bool>,
    /// Where known firms and institutes (host-side organizations) end.
    org_ends: BTreeSet<usize>,
}

impl Page<'_> {
    /// A name starting at `p` in a sentence ending at `se`: up to the next covered position
    /// or non-Han character; its end and text.
    fn name_at(&self, p: usize, se: usize) -> Option<(usize, String)> {
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
        let hard =
            |end: usize| end >= se || !is_han(chars[end]) || self.starts[end] || covered[end];
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

    /// The title words inside `ss..se` (the page's titles are in text order).
    fn titles_in(
        &self,
        ss: usize,
        se: usize,
    ) -> impl Iterator<Item = &(usize, usize, Arc<str>, bool)> {
        let from = self.titles.partition_point(|t| t.0 < ss);
        self.titles[from..]
            .iter()
            .take_while(move |t| t.0 < se)
            .filter(move |t| t.1 <= se)
    }

    /// The cues inside `ss..se` (the page's cues are in text order).
    fn cues_in(&self, ss: usize, se: usize) -> impl Iterator<Item = &CueHit<'_>> {
        let from = self.cues.partition_point(|c| c.start < ss);
        self.cues[from..]
            .iter()
            .take_while(move |c| c.start < se)
            .filter(move |c| c.end <= se)
    }

    /// Whether a cue that ends a list (a verb, a companion or speech cue: not 公司 or a
    /// title) starts at `i`.
    fn clause_cue_at(&self, i: usize) -> bool {
        self.clause_cue[i]
    }

    /// The known name that ends at `i`.
    fn ent_ending_at(&self, i: usize) -> Option<&EntityHit<'_>> {
        let k = *self.ent_ending.get(i)? as usize;
        k.checked_sub(1).map(|k| &self.ents[k])
    }

    /// The known place that ends at `i`.
    fn place_ending_at(&self, i: usize) -> Option<&EntityHit<'_>> {
        self.ent_ending_at(i)
            .filter(|h| self.place_ents.contains(&h.start))
    }

    /// The end of a known place that starts at `i`.
    fn place_at(&self, i: usize) -> Option<usize> {
        let k = (*self.ent_starting.get(i)? as usize).checked_sub(1)?;
        let h = &self.ents[k];
        self.place_ents.contains(&h.start).then_some(h.end)
    }

    /// The known place named right before a title at `i` (四川 + 省委书记, or 四川省 whose
    /// 省 the title shares).
    fn place_before(&self, i: usize) -> Option<usize> {
        self.place_ending_at(i)
            .or_else(|| self.place_ending_at(i + 1).filter(|h| h.start < i))
            .map(|h| h.cands[0])
    }

    /// Whether a firm is named right before position `i` (集团党委书记, 公司总经理, 该所所长):
    /// a title there is held inside it.
    fn firm_before(&self, i: usize) -> bool {
        // The title's own phrase: back to a clause or list mark ((集团)管理部副部长).
        let from = (i.saturating_sub(10)..i)
            .rev()
            .find(|&k| "，,、。;:和与及\n".contains(self.chars[k]))
            .map_or(i.saturating_sub(10), |k| k + 1);
        let phrase: String = self.chars[from..i].iter().collect();
        ["集团", "公司", "企业", "厂", "商会", "协会", "银行"]
            .iter()
            .any(|w| phrase.contains(w))
            || self.org_ends.contains(&i)
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

/// Characters that start the word after a name (在沈阳, 到合肥, 率团, 参加, 一行, 等, 和…)
/// and so end it; a two-character given name that ends in one of them is cut before it.
const NAME_BREAKS: &str = "在到来赴率带参陪一等和与及同说表指强对向是的主要也还就又并出前先随调考视走深察听会了为将已从于以把被给让通代分亲作";

/// A body sentence: its span in characters and its text (the context a candidate keeps).
struct Sentence {
    start: usize,
    end: usize,
    /// Its text, made the first time a name found in it is kept.
    text: std::cell::OnceCell<String>,
}

impl Sentence {
    fn new(start: usize, end: usize) -> Sentence {
        Sentence {
            start,
            end,
            text: std::cell::OnceCell::new(),
        }
    }

    /// The sentence's text (the context a candidate keeps).
    fn text(&self, chars: &[char]) -> &str {
        self.text
            .get_or_init(|| chars[self.start..self.end].iter().collect())
    }
}

/// A pinyin slug for a name (`成都光谱芯联` → `cheng-du-guang-pu-xin-lian`); non-Han
/// characters are kept if ASCII; a name with nothing to read gets a hash.
pub fn slug(name: &str) -> String {
    let parts = readings(name);
    if parts.is_empty() {
        let h = name.bytes().fold(0xcbf29ce484222325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
        });
        return format!("x{h:08x}");
    }
    parts.join("-")
}

/// A person's slug: the surname read as a surname, then the given name in one piece, as
/// dictionaries write them (`单宏宇` → `shan-hongyu`, `欧阳靖川` → `ouyang-jingchuan`).
pub fn person_slug(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let Some(len) = surname_len(&chars).filter(|&l| l < chars.len()) else {
        return slug(name);
    };
    let surname: String = chars[..len].iter().collect();
    let given: String = chars[len..].iter().collect();
    let sur = match crate::dict::surnames::reading(name) {
        Some((_, r)) => r.to_string(),
        None => readings(&surname).concat(),
    };
    let given = readings(&given).concat();
    if sur.is_empty() || given.is_empty() {
        return slug(name);
    }
    format!("{sur}-{given}")
}

/// The pinyin of each Han character and each ASCII run of a name, lower-cased.
fn readings(name: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut ascii = String::new();
    for c in name.chars() {
        if let Some(p) = c.to_pinyin() {
            if !ascii.is_empty() {
                parts.push(std::mem::take(&mut ascii));
            }
            parts.push(p.plain().to_string());
        } else if c.is_ascii_alphanumeric() {
            ascii.push(c.to_ascii_lowercase());
        } else if !ascii.is_empty() {
            parts.push(std::mem::take(&mut ascii));
        }
    }
    if !ascii.is_empty() {
        parts.push(ascii);
    }
    parts
}

impl<'a> Discoverer<'a> {
    /// A discoverer for a dictionary and its matcher.
    pub fn new(dict: &'a Dictionary, matcher: &'a Matcher) -> Discoverer<'a> {
        let mut words: BTreeMap<String, bool> = BTreeMap::new();
        for t in GOV_TITLES {
            words.insert((*t).to_string(), false);
        }
        for t in EXEC_TITLES {
            words.insert((*t).to_string(), true);
        }
        for p in &dict.posts {
            let exec = dict.is_host_org(p.jurisdiction);
            words.entry(p.title.clone()).or_insert(exec);
        }
        let title_words: Vec<(Arc<str>, bool)> =
            words.into_iter().map(|(w, e)| (Arc::from(w), e)).collect();
        // A few hundred short words: a DFA scans the page fastest.
        let titles = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(title_words.iter().map(|(w, _)| w.as_bytes()))
            .expect("title automaton");
        let known = dict
            .entities
            .iter()
            .flat_map(|e| e.match_names.iter().cloned())
            .collect();
        Discoverer {
            dict,
            matcher,
            titles,
            title_words,
            found: BTreeMap::new(),
            known,
            page_orgs: BTreeMap::new(),
        }
    }

    /// Keep a name seen in a sentence. A person's name `weak`ly placed (before a cue, with
    /// no title) must not be a common word; after a title it may be (副市长甘露).
    fn note(
        &mut self,
        name: String,
        kind: Kind,
        title: Option<&str>,
        (doc, context): (&str, &str),
        weak: bool,
    ) {
        if self.known.contains(&name) {
            return;
        }
        if matches!(kind, Kind::Official | Kind::Executive)
            && !plausible_name(&name, weak, context.contains(&format!("{name}、")))
        {
            return;
        }
        if matches!(kind, Kind::Official | Kind::Executive) {
            // 屈市长 is a surname and a title; 强调 is a word, not a name.
            let titled = self
                .title_words
                .iter()
                .any(|(t, _)| name.ends_with(&**t) || name.ends_with(&t[t.len() - 3..]));
            let j = crate::page::matcher::jieba();
            let word = weak && j.has_word(&name) && !crate::dict::check::is_proper_noun(j, &name);
            if titled || word {
                return;
            }
        }
        let a = self.found.entry(name).or_default();
        // A person is an official when a government title names them; a title inside a
        // firm (董事长, or 党委书记 of a 集团) makes them an executive unless one does.
        match (kind, title) {
            (Kind::Official, Some(_)) => a.gov += 1,
            (Kind::Executive, _) => a.exec += 1,
            _ => {}
        }
        a.kinds[kind as usize] += 1;
        a.count += 1;
        if let Some(t) = title {
            a.titles.insert(t.to_string());
        }
        a.docs.insert(doc.to_string());
        if a.context.is_empty() {
            a.context = context.chars().take(80).collect();
        }
    }

    /// Look for candidates in one page: in each body sentence, officials after titles and
    /// in the lists that follow, lists continuing a known official, names before a visit
    /// cue, and organizations and places by their suffix.
    pub fn add(&mut self, doc_name: &str, text: &str) {
        let page = self.page(text);
        // The site's name and the headline (安徽颍昊化工集团有限公司 over its own news page):
        // the body's 公司 is often this organization.
        for para in page
            .doc
            .paragraphs
            .iter()
            .filter(|p| p.kind == document::ParaKind::Preamble)
        {
            let s = Sentence::new(para.start, para.end);
            self.orgs_by_suffix(&page, &s, doc_name);
        }
        let sentences: Vec<Sentence> = page
            .doc
            .sentences
            .iter()
            .map(|&(ss, se)| Sentence::new(ss, se))
            .collect();
        // Organizations first, so people's titles can be placed in them.
        for s in &sentences {
            self.visit_lists(&page, s, doc_name);
            self.orgs_by_suffix(&page, s, doc_name);
            self.places_by_suffix(&page, s, doc_name);
        }
        for s in &sentences {
            self.after_titles(&page, s, doc_name);
            self.list_continuations(&page, s, doc_name);
            self.before_cues(&page, s, doc_name);
            self.before_titles(&page, s, doc_name);
        }
        self.page_orgs.clear();
    }

    /// A discoverer for the same dictionary with nothing found yet, to read another share
    /// of the pages on another thread; [`Discoverer::merge`] takes its findings back.
    pub fn fork(&self) -> Discoverer<'a> {
        Discoverer {
            dict: self.dict,
            matcher: self.matcher,
            titles: self.titles.clone(),
            title_words: self.title_words.clone(),
            found: BTreeMap::new(),
            known: self.known.clone(),
            page_orgs: BTreeMap::new(),
        }
    }

    /// Take in what `later` found on pages read after this one's: counts and sets add up,
    /// a first context and a first firm stay this one's, a post keeps its earliest date.
    /// Merging shares in reading order gives what one discoverer reading them all would.
    pub fn merge(&mut self, later: Discoverer<'a>) {
        for (name, b) in later.found {
            let a = self.found.entry(name).or_default();
            a.gov += b.gov;
            a.exec += b.exec;
            for (k, n) in a.kinds.iter_mut().zip(b.kinds) {
                *k += n;
            }
            a.count += b.count;
            a.titles.extend(b.titles);
            a.docs.extend(b.docs);
            if a.context.is_empty() {
                a.context = b.context;
            }
            for (post, day) in b.posts {
                let seen = a.posts.entry(post).or_insert(day);
                *seen = match (*seen, day) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
            }
            for (firm, title) in b.firms {
                a.firms.entry(firm).or_insert(title);
            }
        }
    }

    /// One page scanned: its known names, cues and title words, and where they lie.
    fn page(&self, text: &str) -> Page<'a> {
        let matcher: &'a Matcher = self.matcher;
        // Encoded on the way, so the two scans below read the codes.
        let n = matcher.normalize(text);
        let doc = document::analyze(&n);
        // One scan gives both the cues and the names, as extraction reads them.
        let scan = matcher.scan(&n, &[(0, n.char_len())]);
        let ents = matcher.entities_of_scan(&n, &scan);
        let mut cues = scan.cues;
        cues.sort_by_key(|c| (c.start, c.end));
        let chars: Vec<char> = n.text.chars().collect();
        // Positions covered by known names or cue words: a candidate stops there.
        let mut covered = vec![false; chars.len() + 1];
        let mut starts = vec![false; chars.len() + 1];
        for (s, e) in ents.iter().map(|h| (h.start, h.end)).chain(
            // A title does not stop a name, nor does an organization word that is not a
            // back-reference: 实验室 ends 南京微纳集成创新实验室, 该公司 is no name.
            cues.iter()
                .filter(|c| {
                    c.cue != Cue::Title
                        && (c.cue != Cue::Anaphor
                            || c.word.starts_with(['该', '本', '此', '这', '其']))
                })
                .map(|c| (c.start, c.end)),
        ) {
            for c in covered.iter_mut().take(e).skip(s) {
                *c = true;
            }
            starts[s] = true;
        }
        let titles: Vec<(usize, usize, Arc<str>, bool)> = self
            .titles
            .find_iter(&n.text)
            .map(|m| {
                let (w, exec) = &self.title_words[m.pattern().as_usize()];
                (
                    n.char_at_byte(m.start()),
                    n.char_at_byte(m.end()),
                    w.clone(),
                    *exec,
                )
            })
            .collect();
        let place_ents: BTreeSet<usize> = ents
            .iter()
            .filter(|h| self.dict.entities[h.cands[0]].ty == EntityType::Place)
            .map(|h| h.start)
            .collect();
        let mut ent_starting = vec![0u32; chars.len() + 1];
        let mut ent_ending = vec![0u32; chars.len() + 1];
        for (k, h) in ents.iter().enumerate() {
            let k = u32::try_from(k + 1).unwrap_or(u32::MAX);
            if ent_starting[h.start] == 0 {
                ent_starting[h.start] = k;
            }
            if ent_ending[h.end] == 0 {
                ent_ending[h.end] = k;
            }
        }
        let mut clause_cue = vec![false; chars.len() + 1];
        for c in cues.iter().filter(|c| {
            !matches!(
                c.cue,
                Cue::Anaphor | Cue::Title | Cue::Group | Cue::Ignore | Cue::Locative
            )
        }) {
            clause_cue[c.start] = true;
        }
        let org_ends: BTreeSet<usize> = ents
            .iter()
            .filter(|h| self.dict.is_host_org(h.cands[0]))
            .map(|h| h.end)
            .collect();
        let person_ends: BTreeSet<usize> = ents
            .iter()
            .filter(|h| self.dict.entities[h.cands[0]].ty == EntityType::Official)
            .map(|h| h.end)
            .collect();
        Page {
            n,
            doc,
            cues,
            ents,
            chars,
            covered,
            starts,
            titles,
            person_ends,
            place_ents,
            ent_starting,
            ent_ending,
            clause_cue,
            org_ends,
        }
    }

    /// The organization a title inside a firm at `ts` is held at: a known firm or one
    /// discovered on the page, the nearest before the title within 400 characters, as its
    /// id (known) or name (discovered).
    fn firm_of(&self, page: &Page<'a>, ts: usize) -> Option<String> {
        let found = self
            .page_orgs
            .range(ts.saturating_sub(400)..=ts)
            .next_back()
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
    fn after_titles(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let (ss, se) = (s.start, s.end);
        // The end of the last title or name with a place, and the place.
        let mut chain: Option<(usize, usize)> = None;
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
            let kind = if *exec || page.firm_before(*ts) {
                Kind::Executive
            } else {
                Kind::Official
            };
            // 四川省委书记甲、省长乙; 合肥市委常委、副市长丙: the place before a title, or
            // before the title or name the list mark joins it to.
            let place = page.place_before(*ts).or(match chain {
                Some((end, pl)) if *ts == end + 1 && page.chars[end] == '、' => Some(pl),
                _ => None,
            });
            chain = place.map(|pl| (*te, pl));
            let mut p = *te;
            while let Some((e, name)) = page.name_at(p, se) {
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
    fn list_continuations(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
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
    fn before_titles(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
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
                    && !crate::page::matcher::splits_word(
                        &page.n.text,
                        page.n.byte_of_char(*ts),
                        page.n.byte_of_char(*te),
                    )
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

    /// A name right before a visit cue or 一行, after punctuation.
    fn before_cues(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
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

    /// The names a visit cue governs, with or without a suffix: 依次走进瓯康医疗、汇泽兽药、
    /// 晨道实业等企业; 先后来到甲公司、乙园区和丙项目. A list of two or more, or one closed by
    /// 等企业 (单位, 项目…), after a visit or movement cue or a clause-initial 在; each item that
    /// is neither known, a place, a person nor a common phrase (生产车间) is an organization.
    fn visit_lists(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
        let chars = &page.chars;
        let mut heads: Vec<(usize, bool)> = page
            .cues_in(s.start, s.end)
            .filter(|c| {
                // 察看了甲车间、乙工序: what is looked at inside a site, not where one goes.
                matches!(c.cue, Cue::Arrive)
                    || (c.cue == Cue::Visit
                        && !["察看", "查看", "看了"].iter().any(|w| c.word.contains(w)))
            })
            .map(|c| (c.end, false))
            .collect();
        // 在甲、乙等企业, 甄立民逐一察看…: a list at the head of a clause.
        heads.extend(
            (s.start..s.end)
                .filter(|&i| {
                    chars[i] == '在' && (i == s.start || matches!(chars[i - 1], ',' | ':' | ';'))
                })
                .map(|i| (i + 1, true)),
        );
        for (head, needs_closer) in heads {
            let items = list_items(page, head, s.end);
            let closed = items.last().is_some_and(|it| it.closed);
            // 在甲、乙等企业: a list after 在 is of organizations only when a closer says so.
            if !closed && (items.len() < 2 || needs_closer) {
                continue;
            }
            for it in &items {
                if let Some(name) = org_item(page, it.start, it.end, closed) {
                    self.page_orgs.insert(it.end, name.clone());
                    self.note(
                        name,
                        Kind::Organization,
                        None,
                        (doc_name, s.text(&page.chars)),
                        false,
                    );
                }
            }
        }
    }

    /// Organizations by their suffix (有限公司, 研究所, 产业园…), reaching left to where
    /// something stops the name ([`org_start`]). A name whose head is common words only
    /// (可靠性实验室, 产业科技创新中心) is a part or a program of something, not an
    /// organization; one that starts with 第 or a number (第十一研究所) takes the
    /// organization before it (中国晟科电子集团有限公司第十一研究所).
    fn orgs_by_suffix(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
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
                let parent = ORG_SUFFIXES.iter().find(|x| {
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
            let name = trim_left_words(&chars[b..end].iter().collect::<String>());
            let len = name.chars().count();
            let head: String = name.chars().take(len - (end - i)).collect();
            let whole = {
                let bs = page.n.byte_of_char(end - len);
                let be = page.n.byte_of_char(end);
                !crate::page::matcher::splits_word(&page.n.text, bs, be)
            };
            let named = page.place_ents.contains(&(end - len))
                || is_distinctive(&head)
                || head.starts_with(['中', '国'])
                || head.contains(['第', '所']);
            if whole
                && head.chars().count() >= 2
                && named
                && name.chars().filter(|c| is_han(*c)).count() >= 3
            {
                self.page_orgs.insert(end, name.clone());
                self.note(
                    name,
                    Kind::Organization,
                    None,
                    (doc_name, s.text(&page.chars)),
                    false,
                );
            }
            i = end;
        }
    }

    /// Places by their suffix: a short run ending in 省, 市, 县, 区, 镇, 乡 or 街道 with
    /// something stopping it on the left; and zones (高新区, 经开区, 开发区, 新区…) after a
    /// known place or a short head of their own (成都高新区, 西海岸新区).
    fn places_by_suffix(&mut self, page: &Page<'a>, s: &Sentence, doc_name: &str) {
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
                let bs = page.n.byte_of_char(b);
                let be = page.n.byte_of_char(end);
                if !crate::page::matcher::splits_word(&page.n.text, bs, be) || zone.is_some() {
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

    /// The candidates, most frequent first, with unique slug ids.
    pub fn finish(self) -> Vec<Candidate> {
        let dict = self.dict;
        let mut v: Vec<(String, Acc)> = self
            .found
            .into_iter()
            .filter(|(_, a)| a.count > 0 && a.kind().is_some())
            .collect();
        v.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(&b.0)));
        // Successive holders of one title and place: each term ends where the next is seen.
        let mut holders: BTreeMap<(String, usize), Vec<Option<Day>>> = BTreeMap::new();
        for (_, a) in v.iter().filter(|(_, a)| a.kind() == Some(Kind::Official)) {
            for (post, day) in &a.posts {
                holders.entry(post.clone()).or_default().push(*day);
            }
        }
        let mut aliases = short_names(dict, &mut v);
        let ids = assign_ids(dict, &v);
        // A firm named by a short name that was folded into a full one is the full one.
        let full_of: BTreeMap<&str, &str> = aliases
            .iter()
            .flat_map(|(full, shorts)| shorts.iter().map(move |s| (s.as_str(), full.as_str())))
            .collect();
        let firm_id = |firm: &str| -> Option<String> {
            if let Some(known) = firm.strip_prefix('=') {
                return Some(known.to_string());
            }
            let name = full_of.get(firm).copied().unwrap_or(firm);
            ids.get(name).cloned()
        };
        let firms: BTreeMap<String, Vec<(String, String)>> = v
            .iter()
            .filter(|(_, a)| a.kind() == Some(Kind::Executive))
            .map(|(n, a)| {
                let held = a
                    .firms
                    .iter()
                    .filter_map(|(f, t)| Some((firm_id(f)?, t.clone())))
                    .collect();
                (n.clone(), held)
            })
            .collect();
        v.into_iter()
            .map(|(name, a)| {
                let kind = a.kind().unwrap_or(Kind::Official);
                let id = ids.get(&name).cloned().unwrap_or_default();
                let mut posts: Vec<SeenPost> = firms
                    .get(&name)
                    .into_iter()
                    .flatten()
                    .map(|(firm, title)| SeenPost {
                        title: title.clone(),
                        jurisdiction: firm.clone(),
                        seen: None,
                        until: None,
                        after_another: false,
                    })
                    .collect();
                if kind == Kind::Official {
                    posts = a
                        .posts
                        .iter()
                        .map(|((title, pl), day)| {
                            let next = day.and_then(|d| {
                                holders[&(title.clone(), *pl)]
                                    .iter()
                                    .flatten()
                                    .filter(|&&o| o > d)
                                    .min()
                                    .copied()
                            });
                            let after_another = day.is_some_and(|d| {
                                holders[&(title.clone(), *pl)]
                                    .iter()
                                    .flatten()
                                    .any(|&o| o < d)
                            });
                            SeenPost {
                                after_another,
                                title: title.clone(),
                                jurisdiction: dict.entities[*pl].id.clone(),
                                seen: day.map(crate::page::date::format),
                                until: next.map(crate::page::date::format),
                            }
                        })
                        .collect();
                }
                Candidate {
                    id,
                    kind,
                    aliases: aliases.remove(&name).unwrap_or_default(),
                    name,
                    count: a.count,
                    titles: a.titles.into_iter().collect(),
                    docs: a.docs.into_iter().collect(),
                    context: a.context,
                    posts,
                }
            })
            .collect()
    }
}

/// Unique slug ids for the candidates, in their order: a person's read as a name
/// ([`person_slug`]), anything else character by character; `-2`, `-3`… on a clash with the
/// dictionary or an earlier candidate.
fn assign_ids(dict: &Dictionary, found: &[(String, Acc)]) -> BTreeMap<String, String> {
    let mut used: BTreeSet<String> = dict.entities.iter().map(|e| e.id.clone()).collect();
    let mut ids = BTreeMap::new();
    for (name, a) in found {
        let base = match a.kind() {
            Some(Kind::Official | Kind::Executive) => person_slug(name),
            _ => slug(name),
        };
        let mut id = base.clone();
        let mut k = 2;
        while used.contains(&id) {
            id = format!("{base}-{k}");
            k += 1;
        }
        used.insert(id.clone());
        ids.insert(name.clone(), id);
    }
    ids
}

/// Legal and trade endings an organization's short name drops (`…科技有限公司`).
const LEGAL_TAILS: &[&str] = &[
    "集团股份有限公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "股份公司",
];

/// Two-character trades a group's short name drops (颍昊化工集团 → 颍昊集团).
const TRADES: &[&str] = &[
    "化工", "科技", "电子", "实业", "控股", "机械", "能源", "材料", "建设", "投资", "发展", "医药",
    "钢铁", "电气", "物流", "纺织", "食品", "环保", "矿业", "汽车", "工程", "药业", "装备",
];

/// The short name of an organization's full name: without the places it starts with, its
/// bracketed place and its legal ending, then without a trailing 科技 or 技术
/// (`苏州芯澄微电子科技有限公司` → `芯澄微电子科技`, `芯澄微电子`). Only names of four
/// characters or more with a word of their own are offered.
fn short_forms(places: &BTreeSet<&str>, name: &str) -> Vec<String> {
    let Some(tail) = LEGAL_TAILS.iter().find(|t| name.ends_with(**t)) else {
        return Vec::new();
    };
    let mut core = name[..name.len() - tail.len()].to_string();
    // (济南), (苏州): a bracketed place inside the name.
    while let (Some(a), Some(b)) = (core.find('('), core.find(')')) {
        if b < a {
            break;
        }
        core.replace_range(a..b + ')'.len_utf8(), "");
    }
    loop {
        // The longest place name the core starts with (places are short: up to 8).
        let lead = core
            .char_indices()
            .map(|(i, _)| i)
            .skip(1)
            .take(8)
            .filter(|&i| places.contains(&core[..i]))
            .max();
        match lead {
            Some(i) => core = core[i..].to_string(),
            None => break,
        }
    }
    let mut out = vec![core.clone()];
    for t in ["科技", "技术"] {
        if let Some(c) = core.strip_suffix(t) {
            out.push(c.to_string());
        }
    }
    // 颍昊化工集团有限公司 → 颍昊化工集团, 颍昊集团; 金岳矿业有限公司 → 金岳公司.
    let kind = if tail.starts_with("集团") {
        "集团"
    } else {
        "公司"
    };
    out.push(format!("{core}{kind}"));
    let mut cs: Vec<char> = core.chars().collect();
    if cs.len() >= 4 && TRADES.iter().any(|t| core.ends_with(t)) {
        cs.truncate(cs.len() - 2);
        out.push(format!("{}{kind}", cs.iter().collect::<String>()));
    }
    out.retain(|c| c.chars().count() >= 4 && c != name && is_distinctive(c));
    out
}

/// Short names for the organizations among `found`: each full name's [`short_forms`] that no
/// other full name shares; a candidate that is one of them on its own (`鼎湃微电子` from a
/// list) is folded into the full name, its count added. Returns full name → aliases.
fn short_names(dict: &Dictionary, found: &mut Vec<(String, Acc)>) -> BTreeMap<String, Vec<String>> {
    let places: BTreeSet<&str> = dict
        .entities
        .iter()
        .filter(|e| e.ty == EntityType::Place)
        .flat_map(|e| e.match_names.iter().map(String::as_str))
        .collect();
    let mut owners: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, a) in found.iter() {
        if a.kind() == Some(Kind::Organization) {
            for f in short_forms(&places, name) {
                owners.entry(f).or_default().insert(name.clone());
            }
        }
    }
    let known: BTreeSet<&str> = dict
        .entities
        .iter()
        .flat_map(|e| e.match_names.iter().map(String::as_str))
        .collect();
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut folded: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for (short, full) in owners {
        if full.len() != 1 || known.contains(short.as_str()) {
            continue;
        }
        let Some(full) = full.into_iter().next() else {
            continue;
        };
        if let Some((_, a)) = found.iter().find(|(n, _)| *n == short) {
            let e = folded.entry(full.clone()).or_default();
            e.0 += a.count;
            e.1.extend(a.docs.iter().cloned());
        }
        aliases.entry(full).or_default().push(short);
    }
    let shorts: BTreeSet<String> = aliases.values().flatten().cloned().collect();
    found.retain(|(n, _)| !shorts.contains(n));
    for (n, a) in found.iter_mut() {
        if let Some((count, docs)) = folded.remove(n) {
            a.count += count;
            a.docs.extend(docs);
        }
    }
    aliases
}

/// One item of a list a cue governs: its span, and whether a `等企业`-like word closes the
/// list right after it.
struct Item {
    start: usize,
    end: usize,
    closed: bool,
}

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
    let end = ORG_SUFFIXES
        .iter()
        .filter_map(|x| text.find(x).map(|k| text[..k + x.len()].chars().count()))
        .filter(|&n| n >= 4)
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
    let (name, rest) = match SITE_TAILS.iter().find(|t| name.ends_with(**t)) {
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
fn is_distinctive(phrase: &str) -> bool {
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

/// Whether a run after a title can be a person's name: not ending like a body or a phrase
/// (信息部, 单位的), not a verb or function word the lexicon knows (强调) unless a list mark
/// follows it (副市长甘露、喻少川), and, placed `weak`ly, not a word at all.
fn plausible_name(name: &str, weak: bool, delimited: bool) -> bool {
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
    (!verbish || delimited) && (!weak || known_name)
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

/// A suffix list grouped by first character, each group in the list's order (made once).
fn by_first_char(list: Suffixes) -> &'static BTreeMap<char, Vec<Vec<char>>> {
    type Table = BTreeMap<char, Vec<Vec<char>>>;
    static TABLES: std::sync::OnceLock<[Table; 3]> = std::sync::OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        [ORG_SUFFIXES, ZONE_SUFFIXES, PLACE_SUFFIXES].map(|words| {
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
        for c in ORG_SUFFIXES
            .iter()
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
        && !LEFT_STOPS.contains(&chars[b - 1])
    {
        if !covered[b - 1] {
            b -= 1;
            continue;
        }
        match page.place_ending_at(b) {
            Some(h) => b = h.start,
            None => break,
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

/// Candidates as a dictionary layer (for `extract --discover`): government-side officials,
/// organizations and places, each with the attribute `candidate` = `true`. Executives are
/// left out: without a post at their firm they would pass for officials.
pub fn as_layer_files(cands: &[Candidate]) -> Vec<(&'static str, String)> {
    let mut off = String::from("id\tname\taliases\tcandidate\n");
    let mut org = String::from("id\tname\taliases\tkind\tplace\tcandidate\n");
    let mut pla = String::from("id\tname\taliases\tlevel\tparent\tcandidate\n");
    let mut posts = String::from("official\ttitle\tjurisdiction\tfrom\tto\n");
    for c in cands {
        for p in c.posts.iter() {
            // A term runs up to the day before the next holder is seen; its start is left
            // open (a page names a holder long after they took the post) unless another
            // holder was seen before.
            let to = p.until.as_deref().and_then(day_before).unwrap_or_default();
            let from = match (&p.seen, p.after_another) {
                (Some(d), true) => d.as_str(),
                _ => "",
            };
            posts.push_str(&format!(
                "{}\t{}\t{}\t{from}\t{to}\n",
                c.id, p.title, p.jurisdiction
            ));
        }
        match c.kind {
            Kind::Official => off.push_str(&format!("{}\t{}\t\ttrue\n", c.id, c.name)),
            // An executive with a post at a firm is host side, as in a curated dictionary;
            // one without would pass for an official.
            Kind::Executive if !c.posts.is_empty() => {
                off.push_str(&format!("{}\t{}\t\ttrue\n", c.id, c.name));
            }
            Kind::Executive => {}
            Kind::Organization => org.push_str(&format!(
                "{}\t{}\t{}\t\t\ttrue\n",
                c.id,
                c.name,
                c.aliases.join("|")
            )),
            Kind::Place => pla.push_str(&format!("{}\t{}\t\t\t\ttrue\n", c.id, c.name)),
        }
    }
    vec![
        ("officials.tsv", off),
        ("organizations.tsv", org),
        ("places.tsv", pla),
        ("posts.tsv", posts),
    ]
}

/// The day before a `YYYY-MM-DD` date, in the same form.
fn day_before(date: &str) -> Option<String> {
    let mut it = date.split('-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (it.next(), it.next(), it.next()) else {
        return None;
    };
    let day = crate::page::date::prev_day((i32::try_from(y).ok()?, m, d));
    Some(crate::page::date::format(day))
}

/// Candidates as TSV rows in the dictionary format, one section per file, each row after a
/// `#` comment with its count, titles, documents and context.
pub fn to_tsv(cands: &[Candidate]) -> String {
    let mut out = String::new();
    let sections = [
        (
            "officials.tsv",
            "id\tname\taliases",
            [Kind::Official, Kind::Executive].as_slice(),
        ),
        (
            "organizations.tsv",
            "id\tname\taliases\tkind\tplace",
            [Kind::Organization].as_slice(),
        ),
        (
            "places.tsv",
            "id\tname\taliases\tlevel\tparent",
            [Kind::Place].as_slice(),
        ),
    ];
    for (file, header, kinds) in sections {
        let rows: Vec<&Candidate> = cands.iter().filter(|c| kinds.contains(&c.kind)).collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "# ==> {file} ({} candidates; columns: {header})\n",
            rows.len()
        ));
        for c in rows {
            let titles = if c.titles.is_empty() {
                String::new()
            } else {
                format!(" title {}", c.titles.join("/"))
            };
            let docs: Vec<&str> = c.docs.iter().take(5).map(String::as_str).collect();
            let more = if c.docs.len() > 5 {
                format!(" +{}", c.docs.len() - 5)
            } else {
                String::new()
            };
            let context = c.context.replace(['\n', '\r', '\t'], " ");
            out.push_str(&format!(
                "# {:?} ×{}{titles} in {}{more}: {context}\n",
                c.kind,
                c.count,
                docs.join(", ")
            ));
            let extra = match c.kind {
                Kind::Organization | Kind::Place => "\t\t",
                _ => "",
            };
            out.push_str(&format!("{}\t{}\t{extra}\n", c.id, c.name));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(person_slug("王斐"), "wang-fei");
        assert_eq!(person_slug("单宏宇"), "shan-hongyu");
        assert_eq!(person_slug("欧阳靖川"), "ouyang-jingchuan");
        assert_eq!(person_slug("阚一鸣"), "kan-yiming");
        assert_eq!(slug("VANTRIS无锡工厂"), "vantris-wu-xi-gong-chang");
    }
}
