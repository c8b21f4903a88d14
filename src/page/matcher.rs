//! The match stage: normalized text in, entity and cue hits out (character spans).
//!
//! One Aho-Corasick automaton runs over the page, once, and yields two sets of
//! **leftmost-longest** hits:
//!
//! * *entities*: every name and alias of every official, organization and place.
//!   Leftmost-longest is what makes `长江存储科技有限责任公司` one hit rather than `长江存储`
//!   followed by debris, and `上海集成电路设计产业园` a park rather than the city of `上海`.
//!   Latin aliases match case-insensitively (`Vantris`, `VANTRIS`): patterns are lowercased,
//!   and capitals in the page read as their lowercase letters (the page is not changed);
//! * *cues*: the trigger lexicon (`triggers.tsv`) and every post title (`省委书记`, `副区长`).
//!   They are chosen apart from the names because titles overlap place names: in
//!   `无锡市委书记` the place `无锡市` and the title `市委书记` share a character, and both
//!   are wanted.
//!
//! The automaton is built with the *standard* match kind and reports every overlapping
//! match; each set's leftmost-longest hits are chosen from them (sort by start, longest
//! first, keep the ones that start after the last kept one's end). These are the same hits
//! as two leftmost-longest automata would give, but the standard kind fills its failure
//! transitions 3–5× faster (100k names: 0.45 s instead of 1.6 s; a large user dictionary is
//! recompiled on every run), and one pass replaces the second scan a cue automaton needed
//! (a tenth of a page's time with the shipped dictionaries).
//!
//! The automaton does not read UTF-8 but a two-byte code per character, with one code for
//! every character no pattern holds (see `Codes`). A Han character is two steps instead of
//! three and the automaton has a third fewer states: the bare scan 1.14× as fast with 100k
//! names (A/B run of commit 2a22d71; see [`Codes`]), and a third less compile time and
//! memory with a million names.
//! The pipeline has the page encoded while it is normalized ([`Matcher::normalize`]), in the
//! same pass, so the scan reads codes and decodes no UTF-8.

//! A hit that splits a word is rejected: a short Han name (two characters or fewer) must
//! start and end on word boundaries of jieba's segmentation of its neighbourhood, unless a
//! title or a list separator stands right before it. jieba runs only on those few windows,
//! never over whole pages.
//!
//! Organizations whose name starts with a place (`扶绥县酒精厂`, `苏州芯澄微电子科技有限公司`)
//! also match without the place (`酒精厂`, `芯澄微电子科技有限公司`), but only on pages that
//! name that place or the organization in full: this is how a place-prefix list
//! (`扶绥县糖厂、酒精厂`) and later back-references (`在酒精厂`) resolve.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::dict::triggers::{Cue, cue_from_name};
use crate::dict::{Dictionary, EntityType};
use crate::page::normalize::{Normalized, is_han};

/// An entity hit.
#[derive(Debug, Clone)]
pub struct EntityHit<'m> {
    /// First character (normalized).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Candidate entity indices (several when an alias is shared), borrowed from the
    /// matcher: a hit costs no allocation and no reference count.
    pub cands: &'m [usize],
    /// For a place-stripped alias: the place that must be named on the page.
    pub requires: Option<usize>,
    /// The type of the first candidate.
    pub ty: EntityType,
    /// The parent of the first candidate (a place's parent place, an organization's place).
    pub parent: Option<usize>,
}

/// A cue hit.
#[derive(Debug, Clone)]
pub struct CueHit<'m> {
    /// First character (normalized).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Its class.
    pub cue: Cue,
    /// The word as matched (a title's text), borrowed from the matcher.
    pub word: &'m str,
}

/// An entity name as the scan reports it, with what the rules ask of its first candidate
/// stored beside it: with a large dictionary every table lookup by entity is a cache miss,
/// so a hit carries its own facts.
#[derive(Debug, Clone)]
struct Name {
    /// The candidate when there is only one (so a hit's slice points here, not elsewhere).
    one: [usize; 1],
    /// All candidates when there are several.
    many: Box<[usize]>,
    /// For a place-stripped alias, the place that must be named on the page; else [`NONE`].
    requires: u32,
    /// The first candidate's parent, or [`NONE`].
    parent: u32,
    ty: EntityType,
}

/// No entity (indices are kept as `u32` here, so a name takes fewer bytes of cache).
const NONE: u32 = u32::MAX;

fn some(x: u32) -> Option<usize> {
    (x != NONE).then_some(x as usize)
}

/// The cue words (trigger lexicon, then post titles not already cues), sorted, with their
/// class; and the same words lowercased, each with its index among them, sorted by text.
#[allow(clippy::type_complexity)]
fn cue_patterns(dict: &Dictionary) -> (Vec<(String, Cue)>, Vec<(String, u32)>) {
    let mut cue_map: HashMap<String, Cue> = HashMap::new();
    for (w, r) in &dict.triggers {
        if let Some(c) = cue_from_name(r) {
            cue_map.insert(w.clone(), c);
        }
    }
    for p in &dict.posts {
        cue_map.entry(p.title.clone()).or_insert(Cue::Title);
    }
    let mut cue_pats: Vec<(String, Cue)> = cue_map.into_iter().collect();
    cue_pats.sort_by(|a, b| a.0.cmp(&b.0));
    let mut cue_words: Vec<(String, u32)> = cue_pats
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (w.to_ascii_lowercase(), i as u32))
        .collect();
    // Two cue words that lowercase alike: the later one's class stands (as it did when
    // each overwrote the slot in turn).
    cue_words.sort_by(|a, b| a.0.cmp(&b.0));
    (cue_pats, cue_words)
}

/// Place-stripped aliases of organizations (a firm named without the place its full name
/// starts with), sorted by text, one organization each, none the text of a full name
/// (`plain`, sorted by text).
fn stripped_aliases<'d>(dict: &'d Dictionary, plain: &[Entry<'d>]) -> Vec<Entry<'d>> {
    let mut place_names: Vec<(&str, usize)> = Vec::new();
    for (i, e) in dict
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.ty == EntityType::Place)
    {
        for n in &e.match_names {
            place_names.push((n, i));
        }
    }
    place_names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    // The longest place name each organization starts with: by prefix lookup (at most a
    // dozen per name), not by trying every place on every organization.
    let mut place_by_name: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for &(pn, pi) in &place_names {
        place_by_name.entry(pn).or_insert(pi);
    }
    // Every place name an organization starts with, longest first (汉中经开区…, then 汉中…):
    // pages drop the whole place (绿色食品产业园) or only the city before a zone or a
    // district (经开区绿色食品产业园, 南山区…公司).
    let place_prefixes = |full: &str| -> Vec<(usize, usize)> {
        full.char_indices()
            .map(|(b, _)| b)
            .filter(|&b| b > 0)
            .rev()
            .filter_map(|b| place_by_name.get(&full[..b]).map(|&pi| (b, pi)))
            .collect()
    };
    let mut stripped: Vec<Entry> = Vec::new();
    for (i, e) in dict.entities.iter().enumerate().filter(|(_, e)| {
        // Firms, plants, parks and projects are named without their place on the
        // page that names the place; a university or agency without its place
        // (交通大学, 发展和改革委员会) is generic.
        e.ty == EntityType::Organization
            && matches!(e.attr("kind"), "company" | "park" | "project" | "lab" | "")
    }) {
        let full = &e.match_names[0];
        for (plen, pi) in place_prefixes(full) {
            let rest = &full[plen..];
            let han = rest.chars().filter(|c| is_han(*c)).count();
            let bad_start = rest.starts_with(['市', '省', '县', '区', '(', '镇']);
            if han >= 2 && !bad_start && !GENERIC.contains(&rest) {
                stripped.extend(entry(dict, rest, i, packed(Some(pi))));
            }
        }
    }
    // A full name wins over a stripped one.
    stripped.retain(|s| {
        plain
            .binary_search_by(|p| p.text.as_ref().cmp(&s.text))
            .is_err()
    });
    // Stable, so the first organization (in dictionary order) to strip to a text is
    // the one kept: a stripped alias names one organization.
    stripped.sort_by(|a, b| a.text.cmp(&b.text));
    stripped.dedup_by(|b, a| a.text == b.text);
    stripped
}

/// Every pattern of the one automaton, in text order, with its roles: a word may be a name
/// and a cue at once. Names (plain and stripped never share a text) and cue words are
/// merged in text order.
fn merge_patterns<'d>(
    plain: Vec<Entry<'d>>,
    stripped: Vec<Entry<'d>>,
    cue_words: Vec<(String, u32)>,
) -> Vec<(Cow<'d, str>, Slot)> {
    let mut all: Vec<(Cow<str>, Slot)> =
        Vec::with_capacity(plain.len() + stripped.len() + cue_words.len());
    let mut cues = cue_words.into_iter().peekable();
    // A cue word alone; words that lowercase alike come together, and the last one's
    // class stands (as when each overwrote the slot in turn).
    let cue_only = |all: &mut Vec<(Cow<str>, Slot)>, w: String, c: u32| match all.last_mut() {
        Some((t, slot)) if *t == w => slot.cue = c,
        _ => all.push((Cow::Owned(w), Slot { name: None, cue: c })),
    };
    for (text, name) in merge_by_text(group(plain), group(stripped)) {
        while let Some((w, c)) = cues.next_if(|(w, _)| w.as_str() < text.as_ref()) {
            cue_only(&mut all, w, c);
        }
        let mut cue = NO_CUE;
        while let Some((_, c)) = cues.next_if(|(w, _)| w.as_str() == text.as_ref()) {
            cue = c;
        }
        all.push((
            text,
            Slot {
                name: Some(name),
                cue,
            },
        ));
    }
    for (w, c) in cues {
        cue_only(&mut all, w, c);
    }
    all
}

/// The automaton over the patterns, in the two-byte alphabet (every pattern encoded into
/// one buffer) or over UTF-8.
fn automaton(all: &[(Cow<str>, Slot)], codes: Option<&Codes>) -> Result<AhoCorasick, String> {
    let mut builder = AhoCorasickBuilder::new();
    builder.match_kind(MatchKind::Standard);
    match codes {
        Some(codes) => {
            let mut buf = Vec::with_capacity(all.iter().map(|(k, _)| 2 * k.len()).sum());
            let mut ends = Vec::with_capacity(all.len());
            for (k, _) in all {
                codes.encode(k, &mut buf);
                ends.push(buf.len());
            }
            builder.build(
                std::iter::once(0)
                    .chain(ends.iter().copied())
                    .zip(ends.iter().copied())
                    .map(|(a, b)| &buf[a..b]),
            )
        }
        None => builder.build(all.iter().map(|(k, _)| k.as_bytes())),
    }
    .map_err(|e| format!("cannot build the matcher: {e}"))
}

fn packed(x: Option<usize>) -> u32 {
    x.and_then(|v| u32::try_from(v).ok()).unwrap_or(NONE)
}

impl Name {
    fn cands(&self) -> &[usize] {
        if self.many.is_empty() {
            &self.one
        } else {
            &self.many
        }
    }
}

/// What an automaton pattern stands for: an entity name, a cue word, or both (while
/// building; the matcher keeps the two apart).
#[derive(Debug, Clone)]
struct Slot {
    name: Option<Name>,
    /// Index into `cue_pats`, or [`NO_CUE`].
    cue: u32,
}

const NO_CUE: u32 = 0x7FFF_FFFF;
const HAS_NAME: u32 = 0x8000_0000;

/// The compiled matcher for one dictionary.
pub struct Matcher {
    /// Every entity name and every cue word, in one automaton: a page is scanned once.
    automaton: AhoCorasick,
    /// The automaton's alphabet (see [`Codes`]), or `None` when it reads UTF-8.
    codes: Option<Codes>,
    /// For each automaton pattern, packed for the scan (which reads it for every
    /// overlapping match, so it is kept to 4 bytes and stays in cache): [`HAS_NAME`] when it
    /// is an entity name, and the index into `cue_pats`, or [`NO_CUE`] in the low bits.
    roles: Vec<u32>,
    /// For each automaton pattern, its entity name if any (read only for the hits kept).
    names: Vec<Option<Name>>,
    cue_pats: Vec<(Box<str>, Cue)>,
}

/// One scan of a page: cue hits, and the entity matches not yet checked against words and
/// titles (character spans and entity pattern).
pub struct Scan<'m> {
    /// Cue hits, in text order.
    pub cues: Vec<CueHit<'m>>,
    ents: Vec<(usize, usize, usize)>,
}

/// A name as a pattern while the matcher is built: its text (Latin letters lowercased),
/// the entity it names with that entity's facts, and the place a place-stripped alias
/// requires (or [`NONE`]).
struct Entry<'d> {
    text: Cow<'d, str>,
    idx: u32,
    requires: u32,
    parent: u32,
    ty: EntityType,
}

/// The [`Entry`] for a name of entity `idx`, or `None` for a name too short to match (one
/// Han character, or nothing).
fn entry<'d>(dict: &Dictionary, text: &'d str, idx: usize, requires: u32) -> Option<Entry<'d>> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (None, _) => return None,
        (Some(c), None) if is_han(c) => return None,
        _ => {}
    }
    // Latin letters match in any case: patterns are lowercased, and the scan reads capitals
    // as lowercase letters.
    let text = if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    };
    Some(Entry {
        text,
        idx: u32::try_from(idx).ok()?,
        requires,
        parent: packed(dict.parent(idx)),
        ty: dict.ty(idx),
    })
}

/// Entries sorted by text, one [`Name`] per text: the first entry's facts, and every
/// entity the text names, in order, without repeats.
fn group<'d>(entries: Vec<Entry<'d>>) -> impl Iterator<Item = (Cow<'d, str>, Name)> {
    let mut it = entries.into_iter().peekable();
    std::iter::from_fn(move || {
        let first = it.next()?;
        let mut many: Vec<usize> = Vec::new();
        while let Some(next) = it.next_if(|n| n.text == first.text) {
            let i = next.idx as usize;
            if next.idx != first.idx && !many.contains(&i) {
                if many.is_empty() {
                    many.push(first.idx as usize);
                }
                many.push(i);
            }
        }
        Some((
            first.text,
            Name {
                one: [first.idx as usize],
                many: many.into_boxed_slice(),
                requires: first.requires,
                parent: first.parent,
                ty: first.ty,
            },
        ))
    })
}

/// Two runs of names sorted by text, as one.
fn merge_by_text<'d>(
    a: impl Iterator<Item = (Cow<'d, str>, Name)>,
    b: impl Iterator<Item = (Cow<'d, str>, Name)>,
) -> impl Iterator<Item = (Cow<'d, str>, Name)> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if x.0 > y.0 => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    })
}

/// Keep the leftmost-longest of the matches in `v[from..]` (see the module docs): sort by
/// start, then longest, then the first pattern, and keep each that starts after the last
/// kept one's end.
fn leftmost_longest(v: &mut Vec<(usize, usize, usize)>, from: usize) {
    v[from..].sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut kept = from;
    let mut end = 0;
    for i in from..v.len() {
        let m = v[i];
        if i == from || m.0 >= end {
            v[kept] = m;
            kept += 1;
            end = m.1;
        }
    }
    v.truncate(kept);
}

/// The automaton's alphabet: two bytes per character.
///
/// In UTF-8 a Han character is three bytes, so the automaton takes three transitions for
/// it, and with a large dictionary each transition is likely a cache miss. Here every
/// character that occurs in some pattern gets its own code, `0x80 | k >> 7` then `k & 0x7F`
/// (`k` from 1), and every other character the one code [`GAP`], which no pattern holds.
/// A Han character is two steps instead of three, and the automaton has a third fewer
/// states (the A/B run of commit 2a22d71, which brought it in: the bare scan 101 → 115 MB/s
/// with 100k names, 1.14×, and 69 → 76 MB/s with 1M; the 1M build 15.4 → 9.7 s and its peak
/// RSS 3.23 → 2.75 GB). A code's first byte is never
/// below `0x80` and its second always is, so a pattern can only match from the first byte
/// of a character, and a byte offset halved is a character offset: hits need no mapping
/// back. ASCII capitals get the code of their
/// lowercase letter (patterns are lowercased), so Latin names match in any case without a
/// lowercased copy of the page.
struct Codes {
    /// The code of every Basic Multilingual Plane character, as big-endian bytes.
    bmp: Box<[u16]>,
    /// The codes of pattern characters beyond it.
    astral: rustc_hash::FxHashMap<char, u16>,
}

/// The code of a character that is in no pattern.
const GAP: u16 = 0x8000;

/// How many characters get codes (`k` is 14 bits); a dictionary with more distinct
/// characters is matched over UTF-8.
const MAX_CODES: usize = 0x3FFF;

impl Codes {
    /// Codes for the characters of `patterns` (in character order), or `None` when there
    /// are more than [`MAX_CODES`] of them.
    fn new<'a>(patterns: impl Iterator<Item = &'a str>) -> Option<Codes> {
        // Which characters occur: a bit per Basic Multilingual Plane character, a set for
        // the rest.
        let mut seen = vec![0u64; 0x10000 / 64];
        let mut beyond = std::collections::BTreeSet::new();
        for c in patterns.flat_map(str::chars) {
            match seen.get_mut(c as usize / 64) {
                Some(w) => *w |= 1 << (c as usize % 64),
                None => {
                    beyond.insert(c);
                }
            }
        }
        let chars: Vec<char> = seen
            .iter()
            .enumerate()
            .flat_map(|(w, &bits)| {
                (0..64)
                    .filter(move |k| bits & (1 << k) != 0)
                    .filter_map(move |k| char::from_u32((w * 64 + k) as u32))
            })
            .chain(beyond)
            .collect();
        if chars.len() > MAX_CODES {
            return None;
        }
        let mut bmp = vec![GAP; 0x10000].into_boxed_slice();
        let mut astral = rustc_hash::FxHashMap::default();
        for (i, &c) in chars.iter().enumerate() {
            let k = i as u16 + 1;
            let code = (0x80 | k >> 7) << 8 | (k & 0x7F);
            match bmp.get_mut(c as usize) {
                Some(slot) => *slot = code,
                None => {
                    astral.insert(c, code);
                }
            }
        }
        for c in b'A'..=b'Z' {
            bmp[usize::from(c)] = bmp[usize::from(c.to_ascii_lowercase())];
        }
        Some(Codes { bmp, astral })
    }

    /// The code of a character.
    #[inline(always)]
    fn code(&self, c: char) -> u16 {
        match self.bmp.get(c as usize) {
            Some(&code) => code,
            None => self.astral.get(&c).copied().unwrap_or(GAP),
        }
    }

    /// Append the encoding of `text` to `out`.
    #[inline]
    fn encode(&self, text: &str, out: &mut Vec<u8>) {
        out.reserve(2 * text.len());
        for c in text.chars() {
            out.extend_from_slice(&self.code(c).to_be_bytes());
        }
    }
}

thread_local! {
    /// A page encoded for the automaton (one buffer per thread, reused).
    static CODED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

const GENERIC: &[&str] = &[
    "公司",
    "有限公司",
    "集团",
    "研究所",
    "研究院",
    "实验室",
    "产业园",
    "园区",
    "工厂",
    "分公司",
];

impl Matcher {
    /// Compile the automata for a dictionary.
    ///
    /// With a million names this is a few seconds on every run, so it is written for that:
    /// the names are gathered as borrowed strings with the facts of their entity (read in
    /// entity order, not looked up at random afterwards), sorted once, and grouped; the
    /// encoded patterns go into one buffer.
    pub fn new(dict: &Dictionary) -> Result<Matcher, String> {
        Matcher::build(dict, true)
    }

    /// [`Matcher::new`], with the two-byte alphabet or (`coded` false, for tests) over
    /// UTF-8 as when a dictionary has too many distinct characters.
    ///
    /// In steps: the names ([`entry`]) and cue words ([`cue_patterns`]); the alphabet; the
    /// place-stripped aliases ([`stripped_aliases`]); every pattern in text order with its
    /// roles ([`merge_patterns`]); the automaton ([`automaton`]).
    fn build(dict: &Dictionary, coded: bool) -> Result<Matcher, String> {
        let mut plain: Vec<Entry> = Vec::with_capacity(dict.entities.len() * 2);
        for (i, e) in dict.entities.iter().enumerate() {
            plain.extend(e.match_names.iter().filter_map(|n| entry(dict, n, i, NONE)));
            // 家具 written 傢俱 by a converter reads 家俱: the name in that form too.
            plain.extend(e.match_names.iter().filter_map(|n| {
                let v = crate::page::variants::round_trip(n)?;
                entry(dict, n, i, NONE).map(|mut x| {
                    x.text = Cow::Owned(v);
                    x
                })
            }));
        }
        let (cue_pats, cue_words) = cue_patterns(dict);
        // The alphabet, from the names while they are still in dictionary order (so their
        // text is read from memory in order, not at random). A place-stripped alias is the
        // tail of a full name, so its characters are among these.
        let codes = Codes::new(
            plain
                .iter()
                .map(|e| e.text.as_ref())
                .chain(cue_words.iter().map(|(w, _)| w.as_str())),
        )
        .filter(|_| coded);
        // Stable: a name shared by several entities keeps them in dictionary order.
        plain.sort_by(|a, b| a.text.cmp(&b.text));
        let stripped = stripped_aliases(dict, &plain);
        let all = merge_patterns(plain, stripped, cue_words);
        let automaton = automaton(&all, codes.as_ref())?;
        Ok(Matcher {
            automaton,
            codes,
            roles: all
                .iter()
                .map(|(_, s)| (s.cue.min(NO_CUE)) | if s.name.is_some() { HAS_NAME } else { 0 })
                .collect(),
            names: all.into_iter().map(|(_, s)| s.name).collect(),
            cue_pats: cue_pats
                .into_iter()
                .map(|(w, c)| (w.into_boxed_str(), c))
                .collect(),
        })
    }

    /// The bare scan: how many entity names the automaton finds in a text, with no
    /// normalization and no filtering (the floor the benchmark compares the pipeline to).
    /// The text is encoded for the automaton first, as [`Matcher::scan`] does.
    pub fn count_entity_hits(&self, text: &str) -> usize {
        let (mut ents, mut cues) = (Vec::new(), Vec::new());
        match &self.codes {
            Some(codes) => {
                let mut buf = Vec::with_capacity(2 * text.len());
                codes.encode(text, &mut buf);
                self.scan_coded(&buf, 0, &mut ents, &mut cues);
            }
            None => {
                let lowered = text.to_ascii_lowercase();
                self.scan_utf8(&lowered, 0..text.len(), &mut ents, &mut cues);
            }
        }
        ents.len()
    }

    /// Leftmost-longest entity and cue matches in an encoded text whose first character is
    /// character `at` of the page, appended as `(start char, end char, entity or cue
    /// pattern)`, from one pass of the automaton. Every character is two bytes, so a byte
    /// offset halved is a character offset.
    fn scan_coded(
        &self,
        coded: &[u8],
        at: usize,
        ents: &mut Vec<(usize, usize, usize)>,
        cues: &mut Vec<(usize, usize, usize)>,
    ) {
        let (e0, c0) = (ents.len(), cues.len());
        for m in self.automaton.find_overlapping_iter(coded) {
            let (s, e) = (at + m.start() / 2, at + m.end() / 2);
            self.route(m.pattern().as_usize(), s, e, ents, cues);
        }
        leftmost_longest(ents, e0);
        leftmost_longest(cues, c0);
    }

    /// [`Matcher::scan_coded`] for an automaton over UTF-8 (ASCII lowercase: the patterns
    /// are): spans in bytes of `text`.
    fn scan_utf8(
        &self,
        text: &str,
        span: std::ops::Range<usize>,
        ents: &mut Vec<(usize, usize, usize)>,
        cues: &mut Vec<(usize, usize, usize)>,
    ) {
        let (e0, c0) = (ents.len(), cues.len());
        for m in self
            .automaton
            .find_overlapping_iter(aho_corasick::Input::new(text).span(span))
        {
            self.route(m.pattern().as_usize(), m.start(), m.end(), ents, cues);
        }
        leftmost_longest(ents, e0);
        leftmost_longest(cues, c0);
    }

    /// File one automaton match as an entity match, a cue match, or both.
    #[inline]
    fn route(
        &self,
        id: usize,
        s: usize,
        e: usize,
        ents: &mut Vec<(usize, usize, usize)>,
        cues: &mut Vec<(usize, usize, usize)>,
    ) {
        let role = self.roles[id];
        if role & HAS_NAME != 0 {
            ents.push((s, e, id));
        }
        let cue = role & NO_CUE;
        if cue != NO_CUE {
            cues.push((s, e, cue as usize));
        }
    }

    /// Normalize a page (see [`crate::page::normalize`]) for this matcher: in its alphabet too,
    /// when it has one, so that [`Matcher::scan`] reads the codes written on the way instead
    /// of encoding the text again.
    pub fn normalize(&self, original: &str) -> Normalized {
        match &self.codes {
            Some(codes) => crate::page::normalize::normalize_coded(original, |c| codes.code(c)),
            None => crate::page::normalize::normalize(original),
        }
    }

    /// Scan the given character ranges (sorted, disjoint) of a page once.
    pub fn scan(&self, n: &Normalized, ranges: &[(usize, usize)]) -> Scan<'_> {
        let (mut ents, mut cues) = (Vec::new(), Vec::new());
        match &self.codes {
            // Encoded while normalizing (`Matcher::normalize`): a character is two bytes.
            Some(_) if let Some(coded) = n.coded() => {
                for &(a, b) in ranges {
                    self.scan_coded(&coded[2 * a..2 * b], a, &mut ents, &mut cues);
                }
            }
            Some(codes) => CODED.with_borrow_mut(|buf| {
                for &(a, b) in ranges {
                    buf.clear();
                    codes.encode(n.slice(a, b), buf);
                    self.scan_coded(buf, a, &mut ents, &mut cues);
                }
            }),
            None => {
                // Latin letters match in any case: the page is lowercased once, when it has
                // capitals (same byte offsets).
                let lowered;
                let text = if n.has_ascii_upper() {
                    lowered = n.text.to_ascii_lowercase();
                    lowered.as_str()
                } else {
                    n.text.as_str()
                };
                for &(a, b) in ranges {
                    self.scan_utf8(
                        text,
                        n.byte_of_char(a)..n.byte_of_char(b),
                        &mut ents,
                        &mut cues,
                    );
                }
                // Byte spans to character spans: hits come in text order, so the character
                // index is walked forward.
                for v in [&mut ents, &mut cues] {
                    let mut cursor = 0usize;
                    for m in v.iter_mut() {
                        cursor = n.char_at_byte_from(cursor, m.0);
                        m.0 = cursor;
                        m.1 = n.char_at_byte_from(cursor, m.1);
                    }
                }
            }
        }
        let cues = cues
            .into_iter()
            .map(|(s, e, c)| {
                let (w, cue) = &self.cue_pats[c];
                CueHit {
                    start: s,
                    end: e,
                    cue: *cue,
                    word: w,
                }
            })
            .collect();
        Scan { cues, ents }
    }

    /// Number of entity patterns in the automaton.
    pub fn entity_patterns(&self) -> usize {
        self.names.iter().filter(|n| n.is_some()).count()
    }

    /// The entity hits of a [`Scan`], word-splitting hits removed.
    pub fn entities_of_scan(&self, n: &Normalized, scan: &Scan<'_>) -> Vec<EntityHit<'_>> {
        self.entities_of(n, &scan.ents, &scan.cues)
    }

    fn entities_of(
        &self,
        n: &Normalized,
        matches: &[(usize, usize, usize)],
        cues: &[CueHit],
    ) -> Vec<EntityHit<'_>> {
        let mut out = Vec::new();
        let mut title_ends: Vec<usize> = cues
            .iter()
            .filter(|c| c.cue == Cue::Title)
            .map(|c| c.end)
            .collect();
        title_ends.sort_unstable();
        // With a large dictionary each hit's name is a cache miss: touched first in a loop of
        // independent loads, which the processor overlaps, rather than one at a time below.
        let touched = matches
            .iter()
            .filter(|&&(_, _, m)| self.names[m].is_some())
            .count();
        std::hint::black_box(touched);
        for &(start, end, m_pat) in matches {
            let Some(p) = &self.names[m_pat] else {
                continue;
            };
            let (m_start, m_end) = (n.byte_of_char(start), n.byte_of_char(end));
            let s = &n.text[m_start..m_end];
            // Latin: not inside a longer Latin word.
            if s.starts_with(|c: char| c.is_ascii_alphanumeric())
                && n.text[..m_start]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            if s.ends_with(|c: char| c.is_ascii_alphanumeric())
                && n.text[m_end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            // A numbered name (2所, 二所) is not the tail of a longer number (12所, 十二所),
            // nor a count (12所学校).
            let numeral = |c: char| {
                matches!(
                    c,
                    '0'..='9'
                        | '〇'
                        | '零'
                        | '一'
                        | '二'
                        | '三'
                        | '四'
                        | '五'
                        | '六'
                        | '七'
                        | '八'
                        | '九'
                        | '十'
                        | '百'
                        | '两'
                )
            };
            let counted = [
                "学校",
                "高校",
                "医院",
                "大学",
                "中学",
                "小学",
                "院校",
                "幼儿园",
            ];
            if s.starts_with(numeral)
                && (n.text[..m_start].chars().next_back().is_some_and(numeral)
                    || counted.iter().any(|w| n.text[m_end..].starts_with(w)))
            {
                continue;
            }
            if end - start <= 2 && s.chars().all(is_han) {
                let vouched = title_ends.binary_search(&start).is_ok()
                    || n.text[..m_start]
                        .chars()
                        .next_back()
                        .is_some_and(|c| matches!(c, '、' | ','));
                if !vouched && splits_word(&n.text, m_start, m_end) {
                    continue;
                }
            }
            out.push(EntityHit {
                start,
                end,
                cands: p.cands(),
                requires: some(p.requires),
                ty: p.ty,
                parent: some(p.parent),
            });
        }
        out
    }
}

/// The shared jieba segmenter (loaded on first use).
pub fn jieba() -> &'static jieba_rs::Jieba {
    static J: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    J.get_or_init(jieba_rs::Jieba::new)
}

/// Does the byte span `[s, e)` of `text` cut through a word of jieba's segmentation?
pub fn splits_word(text: &str, s: usize, e: usize) -> bool {
    let mut ws = s;
    for _ in 0..6 {
        match text[..ws].chars().next_back() {
            Some(c) if is_han(c) => ws -= c.len_utf8(),
            _ => break,
        }
    }
    let mut we = e;
    for _ in 0..6 {
        match text[we..].chars().next() {
            Some(c) if is_han(c) => we += c.len_utf8(),
            _ => break,
        }
    }
    // With no Han character on either side, no word can cross the span's ends.
    if ws == s && we == e {
        return false;
    }
    let window = &text[ws..we];
    let (rs, re) = (s - ws, e - ws);
    jieba()
        .cut(window, false)
        .iter()
        .any(|t| (t.byte_start < rs && rs < t.byte_end) || (t.byte_start < re && re < t.byte_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One standard automaton with leftmost-longest chosen after the scan gives the same
    /// hits as two leftmost-longest automata, one for names and one for cues.
    #[test]
    fn one_scan_equals_two_leftmost_longest_automata() {
        let names = [
            "长江存储",
            "长江存储科技有限责任公司",
            "上海",
            "上海集成电路设计产业园",
            "无锡市",
            "无锡",
            "来宾市",
            "中芯",
        ];
        let words = [
            ("调研", "visit"),
            ("到", "arrive"),
            ("来到", "arrive"),
            ("了解到", "ignore"),
            ("来", "arrive"),
            ("市委书记", "title"),
            ("上海", "visit"),
        ];
        let orgs: String = names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("o{i}\t{n}\t\tcompany\t\n"))
            .collect();
        let trig: String = words.iter().map(|(w, r)| format!("{w}\t{r}\n")).collect();
        let dict = crate::dict::DictionaryBuilder::new()
            .no_builtin(true)
            .layer(crate::dict::Layer::from_texts(
                "t",
                &[
                    (
                        "organizations.tsv",
                        &format!("id\tname\taliases\tkind\tplace\n{orgs}"),
                    ),
                    ("triggers.tsv", &format!("word\trelation\n{trig}")),
                ],
            ))
            .build()
            .unwrap();
        let m = Matcher::new(&dict).unwrap();
        let ll = |pats: &[&str]| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(pats)
                .unwrap()
        };
        let ents = ll(&names);
        let cue_words: Vec<&str> = words.iter().map(|w| w.0).collect();
        let cues = ll(&cue_words);
        let pieces = [
            "长江存储科技有限责任公司",
            "长江存储科",
            "上海集成电路",
            "上海集成电路设计产业园",
            "无锡市委书记",
            "来宾市",
            "来到",
            "了解到",
            "调研",
            "中芯",
            "到",
            "的",
            ",",
            "a",
        ];
        let mut x = 7u64;
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..12 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(x >> 33) as usize % pieces.len()]);
            }
            let n = crate::page::normalize::normalize(&text);
            let scan = m.scan(&n, &[(0, n.char_len())]);
            let got_cues: Vec<(usize, usize)> = scan
                .cues
                .iter()
                .map(|c| (n.byte_of_char(c.start), n.byte_of_char(c.end)))
                .collect();
            let want_cues: Vec<(usize, usize)> = cues
                .find_iter(&n.text)
                .map(|h| (h.start(), h.end()))
                .collect();
            assert_eq!(got_cues, want_cues, "cues in {text}");
            let got: Vec<(usize, usize)> = scan
                .ents
                .iter()
                .map(|e| (n.byte_of_char(e.0), n.byte_of_char(e.1)))
                .collect();
            let want: Vec<(usize, usize)> = ents
                .find_iter(&n.text)
                .map(|h| (h.start(), h.end()))
                .collect();
            assert_eq!(got, want, "names in {text}");
        }
    }

    /// Latin names in any case, characters beyond the Basic Multilingual Plane, and hits at
    /// the right characters, both over the two-byte alphabet and over UTF-8 (a dictionary
    /// with more distinct characters than there are codes).
    #[test]
    fn both_alphabets_find_the_same_hits() {
        let names = ["Vantris", "𠀀芯科技", "长江存储", "存储"];
        let text = "VANTRIS、vantris与𠀀芯科技及长江存储,Vantrisx";
        let want = [(0, 7), (8, 15), (16, 20), (21, 25)];
        for filler in [0usize, 10_000] {
            let mut orgs: String = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("o{i}\t{n}\t\tcompany\t\n"))
                .collect();
            // Two-character names from 10,000 pairs of ideographs: about 17,000 distinct
            // characters once simplified, more than the alphabet has codes for.
            for i in 0..filler {
                let pair: String = (0..2)
                    .filter_map(|j| char::from_u32(0x4E00 + 2 * i as u32 + j))
                    .collect();
                orgs.push_str(&format!("f{i}\t{pair}\t\tcompany\t\n"));
            }
            let dict = crate::dict::DictionaryBuilder::new()
                .no_builtin(true)
                .layer(crate::dict::Layer::from_texts(
                    "t",
                    &[(
                        "organizations.tsv",
                        &format!("id\tname\taliases\tkind\tplace\n{orgs}"),
                    )],
                ))
                .build()
                .unwrap();
            let m = Matcher::new(&dict).unwrap();
            assert_eq!(m.codes.is_some(), filler == 0);
            let n = crate::page::normalize::normalize(text);
            let scan = m.scan(&n, &[(0, n.char_len())]);
            let got: Vec<(usize, usize)> = m
                .entities_of_scan(&n, &scan)
                .iter()
                .filter(|h| dict.entities[h.cands[0]].id.starts_with('o'))
                .map(|h| (h.start, h.end))
                .collect();
            assert_eq!(got, want, "filler {filler}");
            assert_eq!(m.count_entity_hits(text), 5, "filler {filler}");
            // Encoded while normalizing, the same page gives the same hits and cues, in every
            // range split, as encoded at the scan; and traditional script with pinyin reads
            // the same once normalized.
            let page = format!("{text}\n長(cháng)江存儲來到𠀀芯科技。");
            let plain = crate::page::normalize::normalize(&page);
            let fused = m.normalize(&page);
            assert_eq!(fused.text, plain.text);
            assert_eq!(fused.coded().is_some(), filler == 0, "filler {filler}");
            if let (Some(coded), Some(codes)) = (fused.coded(), &m.codes) {
                let mut want = Vec::new();
                codes.encode(&plain.text, &mut want);
                assert_eq!(coded, &want[..]);
            }
            let len = plain.char_len();
            for ranges in [
                vec![(0, len)],
                vec![(0, 9), (12, len)],
                vec![(3, 4)],
                vec![],
            ] {
                let (a, b) = (m.scan(&plain, &ranges), m.scan(&fused, &ranges));
                let hits = |n: &Normalized, s: &Scan<'_>| -> Vec<(usize, usize, usize)> {
                    m.entities_of_scan(n, s)
                        .iter()
                        .map(|h| (h.start, h.end, h.cands[0]))
                        .collect()
                };
                let cues = |s: &Scan<'_>| -> Vec<(usize, usize, Cue)> {
                    s.cues.iter().map(|c| (c.start, c.end, c.cue)).collect()
                };
                assert_eq!(hits(&plain, &a), hits(&fused, &b), "{ranges:?}");
                assert_eq!(cues(&a), cues(&b), "{ranges:?}");
                if ranges.len() == 1 && ranges[0] == (0, len) {
                    assert_eq!(hits(&fused, &b).len(), 6, "filler {filler}");
                }
            }
        }
    }

    /// What each pattern names: shared names keep every entity in dictionary order (Latin
    /// names whatever their case); a place-stripped alias names the first organization that
    /// strips to it and requires its place; a full name or alias beats a stripped one.
    #[test]
    fn pattern_table() {
        let places = "id\tname\taliases\tlevel\tparent\n\
                      fs\t扶绥县\t\tcounty\t\n\
                      lb\t来宾市\t\tcity\t\n\
                      sz\t苏州市\t苏州\tcity\t\n";
        let orgs = "id\tname\taliases\tkind\tplace\n\
                    a1\t扶绥县酒精厂\t\tcompany\tfs\n\
                    a2\t来宾市酒精厂\t\tcompany\tlb\n\
                    b1\t苏州芯澄科技\t\tcompany\tsz\n\
                    b2\t芯澄科技集团\t芯澄科技\tcompany\t\n\
                    c1\t长江一厂\t长江\tcompany\t\n\
                    c2\t长江二厂\t长江\tcompany\t\n\
                    m1\tAmkor上海\tAMKOR\tcompany\t\n\
                    m2\tAmkor苏州\tAmkor\tcompany\t\n";
        let dict = crate::dict::DictionaryBuilder::new()
            .no_builtin(true)
            .layer(crate::dict::Layer::from_texts(
                "t",
                &[("places.tsv", places), ("organizations.tsv", orgs)],
            ))
            .build()
            .unwrap();
        let m = Matcher::new(&dict).unwrap();
        let id = |i: usize| dict.entities[i].id.as_str();
        let n = crate::page::normalize::normalize("在酒精厂、芯澄科技、长江、amkor");
        let scan = m.scan(&n, &[(0, n.char_len())]);
        let got: Vec<(String, Vec<&str>, Option<&str>)> = m
            .entities_of_scan(&n, &scan)
            .iter()
            .map(|h| {
                (
                    n.slice(h.start, h.end).to_string(),
                    h.cands.iter().map(|&c| id(c)).collect(),
                    h.requires.map(id),
                )
            })
            .collect();
        let want = [
            ("酒精厂", vec!["a1"], Some("fs")),
            ("芯澄科技", vec!["b2"], None),
            ("长江", vec!["c1", "c2"], None),
            ("amkor", vec!["m1", "m2"], None),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0.as_str(), &g.1, g.2), (w.0, &w.1, w.2));
        }
    }

    /// The two-byte alphabet and UTF-8 give the same hits, on random dictionaries and pages
    /// drawn from a few characters (Han, both cases of Latin letters, a digit, a character
    /// beyond the Basic Multilingual Plane, characters in no name), so that names overlap,
    /// nest and share prefixes.
    #[test]
    fn alphabet_and_utf8_agree() {
        let pool: Vec<char> = "长江存储芯科技市县AaBb1𠀀".chars().collect();
        let extra: Vec<char> = "、, 的到调研".chars().collect();
        let mut x = 11u64;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize % n
        };
        let mut found = 0;
        for round in 0..60 {
            let mut orgs = String::from("id\tname\taliases\tkind\tplace\n");
            for i in 0..25 {
                let len = 2 + next(4);
                let name: String = (0..len).map(|_| pool[next(pool.len())]).collect();
                orgs.push_str(&format!("o{i}\t{name}\t\tcompany\t\n"));
            }
            let places = "id\tname\taliases\tlevel\tparent\np1\t长江市\t\tcity\t\n";
            let dict = crate::dict::DictionaryBuilder::new()
                .no_builtin(true)
                .layer(crate::dict::Layer::from_texts(
                    "t",
                    &[
                        ("organizations.tsv", &orgs),
                        ("places.tsv", places),
                        ("triggers.tsv", "word\trelation\n调研\tvisit\n到\tarrive\n"),
                    ],
                ))
                .build()
                .unwrap();
            let coded = Matcher::build(&dict, true).unwrap();
            let utf8 = Matcher::build(&dict, false).unwrap();
            assert!(coded.codes.is_some() && utf8.codes.is_none());
            for _ in 0..10 {
                let text: String = (0..60)
                    .map(|_| match next(4) {
                        0 => extra[next(extra.len())],
                        _ => pool[next(pool.len())],
                    })
                    .collect();
                let n = crate::page::normalize::normalize(&text);
                let ranges = [(0, n.char_len() / 3), (n.char_len() / 2, n.char_len())];
                let hits = |m: &Matcher| {
                    let scan = m.scan(&n, &ranges);
                    let cues: Vec<(usize, usize, Cue)> =
                        scan.cues.iter().map(|c| (c.start, c.end, c.cue)).collect();
                    let ents: Vec<(usize, usize, Vec<usize>)> = m
                        .entities_of_scan(&n, &scan)
                        .iter()
                        .map(|h| (h.start, h.end, h.cands.to_vec()))
                        .collect();
                    (scan.ents.clone(), cues, ents, m.count_entity_hits(&text))
                };
                let (a, b) = (hits(&coded), hits(&utf8));
                found += a.2.len();
                assert_eq!(a, b, "round {round}: {text}");
            }
        }
        // Not vacuous: the pages do name the entities.
        assert!(found > 300, "{found} hits");
    }

    #[test]
    fn jieba_boundaries() {
        // "田野" is a word of its own here; "野参" would not be one.
        assert!(!splits_word(
            "区领导楼雨岑、田野参加调研",
            "区领导楼雨岑、".len(),
            "区领导楼雨岑、田野".len()
        ));
        // "长江" inside "长江存储" is split from "存储"? jieba keeps 长江 as a word: no split.
        // A two-character string across a word boundary is rejected.
        assert!(splits_word(
            "我们研究生命起源",
            "我们研究".len() - "究".len(),
            "我们研究生".len()
        ));
    }
}
