//! Discovery: pages in, [`Candidate`] entities out: the people, organizations and places
//! that act like entities but are in no dictionary, so that an analyst starting on a new
//! province sees a graph before curating one.
//!
//! A page is read as extraction reads it (normalized, cut into sentences, scanned once for
//! cues and known names), then the rules look for what the dictionary lacks:
//!
//! * [`people`]: a name after a title (`副区长王斐`, `四川省委书记甲、省长乙`) or before one
//!   (`尚学钧代省长`), the names that follow in a list, a name before a visit cue; a person
//!   named by a firm's title (`董事长`, `集团党委书记`) is an executive, placed at the firm
//!   named before the title; a title after a known place is a post with its jurisdiction;
//! * [`orgs`]: an organization by its suffix with the places before it (`苏州` +
//!   `芯澄微电子科技有限公司`), a zone (`成都高新区`), and the names a visit cue lists with
//!   or without a suffix (`依次走进瓯康医疗、汇泽兽药等企业`);
//! * [`names`]: each candidate's id (pinyin, the surname read as a surname: `单` is shan) and
//!   an organization's short names (`芯澄微电子`), its aliases;
//! * [`layer`]: the candidates as a dictionary layer (`extract --discover`, `candidates -o`),
//!   with their posts, or as rows to review.
//!
//! Each rule keeps a name only where the page leaves no doubt, and a dictionary name always
//! wins: what is known is covered before the rules look. Pages may be read on many threads
//! ([`Discoverer::fork`], [`Discoverer::merge`]) with the same result as on one.

mod layer;
mod names;
mod orgs;
mod people;

pub use layer::{as_layer_files, to_tsv};

use names::{assign_ids, short_names};
use people::{EXEC_TITLES, GOV_TITLES, plausible_name};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::dict::triggers::Cue;
use crate::dict::{Dictionary, EntityType};
use crate::page::date::Day;
use crate::page::document;
use crate::page::matcher::{CueHit, EntityHit, Matcher};
use crate::page::normalize::Normalized;

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
    /// An organization's kind (`company`, `institute`, `park`, `project`, `association`)
    /// as its name says, and the dictionary id of the place its name holds.
    pub org_kind: Option<String>,
    /// The place of an organization (a dictionary id).
    pub place: Option<String>,
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
    /// Organizations: the kind their name says (`company`, `park`…) and the place their
    /// name holds (an entity), as first seen.
    org_kind: Option<&'static str>,
    org_place: Option<usize>,
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
    /// Add the sightings of `b` (the same name seen by another thread, or a fragment of
    /// this name).
    fn absorb(&mut self, b: Acc) {
        self.gov += b.gov;
        self.exec += b.exec;
        for (k, n) in self.kinds.iter_mut().zip(b.kinds) {
            *k += n;
        }
        self.count += b.count;
        self.titles.extend(b.titles);
        self.docs.extend(b.docs);
        if self.context.is_empty() {
            self.context = b.context;
        }
        for (post, day) in b.posts {
            let seen = self.posts.entry(post).or_insert(day);
            *seen = match (*seen, day) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
        }
        self.org_kind = self.org_kind.or(b.org_kind);
        self.org_place = self.org_place.or(b.org_place);
        for (firm, title) in b.firms {
            self.firms.entry(firm).or_insert(title);
        }
    }

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
    title_words: Arc<[(Arc<str>, bool)]>,
    found: BTreeMap<String, Acc>,
    /// Every name the dictionary knows (shared by the forks of a discoverer).
    known: Arc<BTreeSet<String>>,
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

    /// Whether the span `a..b` (characters) would cut a word of the text in two.
    fn splits_word(&self, a: usize, b: usize) -> bool {
        let (bs, be) = (self.n.byte_of_char(a), self.n.byte_of_char(b));
        crate::page::matcher::splits_word(&self.n.text, bs, be)
    }

    /// Whether a known person's name covers position `i`.
    fn person_at(&self, i: usize) -> bool {
        let k = (0..=i)
            .rev()
            .take(5)
            .find_map(|j| (*self.ent_starting.get(j)? as usize).checked_sub(1));
        k.is_some_and(|k| {
            let h = &self.ents[k];
            h.start <= i && i < h.end && self.person_ends.contains(&h.end)
        })
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
}

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
        let known: BTreeSet<String> = dict
            .entities
            .iter()
            .flat_map(|e| e.match_names.iter().cloned())
            .collect();
        Discoverer {
            dict,
            matcher,
            titles,
            title_words: title_words.into(),
            found: BTreeMap::new(),
            known: Arc::new(known),
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
        // 湖北鸿泰家俱有限公司, read from a converter's 傢俱: named as written in simplified
        // script (the matcher finds the converter's form from it).
        let name = crate::page::variants::canonical(&name).unwrap_or(name);
        if self.known.contains(&name) {
            return;
        }
        if matches!(kind, Kind::Official | Kind::Executive)
            && !plausible_name(&name, weak, || context.contains(&format!("{name}、")))
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
            self.before_groups(&page, s, doc_name);
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
            self.found.entry(name).or_default().absorb(b);
        }
    }

    /// One page scanned: its known names, cues and title words, and where they lie.
    fn page(&self, text: &str) -> Page<'a> {
        let matcher: &'a Matcher = self.matcher;
        // Encoded on the way, so the two scans below read the codes.
        let n = matcher.normalize(text);
        let doc = document::analyze(&n);
        // One scan gives both the cues and the names, as extraction reads them, over what the
        // rules read: the preamble and the body's sentences (consecutive ones as one span).
        let mut read: Vec<(usize, usize)> = doc
            .paragraphs
            .iter()
            .filter(|p| p.kind == document::ParaKind::Preamble)
            .map(|p| (p.start, p.end))
            .chain(doc.sentences.iter().copied())
            .collect();
        read.sort_unstable();
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (a, b) in read {
            match spans.last_mut() {
                Some(last) if a <= last.1 + 2 => last.1 = last.1.max(b),
                _ => spans.push((a, b)),
            }
        }
        let scan = matcher.scan(&n, &spans);
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
        // Titles are looked for in the same spans only.
        let mut titles: Vec<(usize, usize, Arc<str>, bool)> = Vec::new();
        for &(a, b) in &spans {
            let input =
                aho_corasick::Input::new(&n.text).span(n.byte_of_char(a)..n.byte_of_char(b));
            titles.extend(self.titles.find_iter(input).map(|m| {
                let (w, exec) = &self.title_words[m.pattern().as_usize()];
                (
                    n.char_at_byte(m.start()),
                    n.char_at_byte(m.end()),
                    w.clone(),
                    *exec,
                )
            }));
        }
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
        orgs::fold_fragments(&mut v);
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
                    org_kind: a.org_kind.map(str::to_string),
                    place: a.org_place.map(|p| dict.entities[p].id.clone()),
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Discoverer;
    use crate::dict::DictionaryBuilder;
    use crate::page::Extractor;

    /// The characters discovery's rules turn on: surnames, titles, suffixes, cue words,
    /// list marks, numbers, brackets and the words that stop or split names.
    const ALPHABET: &str = "王李柯阚单欧阳副市长区委书记董事长所第十一2期工程有限公司集团研究所产业园高新区苏州成都在到来等的、,。和及以有企业走进先后来到调研陪同()(ū)我区基地设立";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Whatever the page, discovery ends without a panic, every candidate has a
        /// non-empty name and id, and the layer it writes is a dictionary the loader takes.
        #[test]
        fn any_page_is_discovered_safely(pages in prop::collection::vec(
            prop::collection::vec(prop::sample::select(ALPHABET.chars().collect::<Vec<_>>()), 0..120),
            1..4,
        )) {
            let ex = Extractor::new(DictionaryBuilder::new().build().expect("built-in")).expect("matcher");
            let mut d = Discoverer::new(&ex.dict, ex.matcher());
            for (i, chars) in pages.iter().enumerate() {
                let text: String = chars.iter().collect();
                d.add(&format!("p{i}"), &text);
            }
            let cands = d.finish();
            for c in &cands {
                prop_assert!(!c.name.is_empty() && !c.id.is_empty(), "{c:?}");
            }
            let files = super::as_layer_files(&cands);
            let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
            let layer = crate::dict::Layer::from_texts("candidates", &refs);
            prop_assert!(DictionaryBuilder::new().layer(layer).build().is_ok());
        }
    }
}
