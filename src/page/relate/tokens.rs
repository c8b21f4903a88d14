//! Hits → tokens: entity hits (a shared name decided by the page's context) and cue hits
//! merged into one sorted list, with the page's places and people counted for context.

use rustc_hash::FxHashMap as HashMap;

use crate::dict::triggers::Cue;
use crate::dict::{Dictionary, EntityType};
use crate::page::date::Day;
use crate::page::document::{Document, ParaKind};
use crate::page::matcher::{CueHit, EntityHit};
use crate::page::normalize::Normalized;

/// What a token is.
#[derive(Debug, Clone)]
pub(super) enum K<'a> {
    Person(usize),
    Org(&'a [usize]),
    Place(usize),
    Cue(Cue, &'a str),
}

/// A token: an entity or a cue, as a normalized character span.
#[derive(Debug, Clone)]
pub(super) struct Tok<'a> {
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) k: K<'a>,
    /// For titles and group words: the place written right before (`无锡市委书记`).
    pub(super) place_q: Option<usize>,
    /// For an organization with one candidate: its place (carried from the hit).
    pub(super) parent: Option<usize>,
}

impl Tok<'_> {
    pub(super) fn cue(&self) -> Option<Cue> {
        match self.k {
            K::Cue(c, _) => Some(c),
            _ => None,
        }
    }
    pub(super) fn is_person(&self) -> bool {
        matches!(self.k, K::Person(_))
    }
}

/// A page's tokens and the context read from them.
pub(super) struct Page<'a> {
    pub(super) toks: Vec<Tok<'a>>,
    /// Place → weight of mentions in preamble and body.
    pub(super) places: HashMap<usize, usize>,
    /// People named in preamble and body, in order of first mention.
    pub(super) people: Vec<usize>,
}

/// Is a position in the preamble or body (not furniture)? Hits come sorted, so each walk
/// moves forward over the paragraphs instead of searching them for every hit.
struct InText<'d> {
    doc: &'d Document,
    from: usize,
}

impl InText<'_> {
    fn at(&mut self, pos: usize) -> bool {
        let paras = &self.doc.paragraphs;
        if self.from > 0 && paras.get(self.from - 1).is_some_and(|p| p.start > pos) {
            self.from = 0;
        }
        while self.from < paras.len() && paras[self.from].start <= pos {
            self.from += 1;
        }
        self.from > 0 && {
            let p = &paras[self.from - 1];
            pos < p.end && matches!(p.kind, ParaKind::Body | ParaKind::Preamble)
        }
    }
}

/// Turn a page's hits into tokens.
pub(super) fn read<'a>(
    dict: &Dictionary,
    _n: &Normalized,
    doc: &Document,
    ents: &'a [EntityHit<'a>],
    cues: &'a [CueHit],
) -> Page<'a> {
    let mut walk = InText { doc, from: 0 };
    let ents = conditional_aliases(dict, ents, &mut walk);
    let context = name_context(&ents, &mut walk);
    let toks = entity_tokens(dict, &ents, &context, doc.pub_date.day());
    let cue_toks = cue_tokens(&toks, cues);
    let toks = merge_sorted(toks, cue_toks);
    let (places, people) = page_context(&toks, &mut walk);
    Page {
        toks,
        places,
        people,
    }
}

/// The hits that stand: a conditional alias only where its place, something in it, or the
/// organization itself is named on the page outside furniture.
fn conditional_aliases<'a, 'h>(
    dict: &Dictionary,
    ents: &'h [EntityHit<'a>],
    walk: &mut InText<'_>,
) -> Vec<&'h EntityHit<'a>> {
    let mut named: Vec<usize> = ents
        .iter()
        .filter(|h| h.requires.is_none() && walk.at(h.start))
        .flat_map(|h| h.cands.iter().copied())
        .collect();
    named.sort_unstable();
    named.dedup();
    // Everything the named entities lie within (themselves, their places and the places
    // around those: `Dictionary::within`'s chain), gathered once, when a conditional alias
    // first needs it, instead of walking every named entity's chain for every such hit.
    let mut around: Option<Vec<usize>> = None;
    ents.iter()
        .filter(|h| match h.requires {
            None => true,
            Some(p) => {
                h.cands.iter().any(|c| named.binary_search(c).is_ok())
                    || around
                        .get_or_insert_with(|| enclosing(dict, &named))
                        .binary_search(&p)
                        .is_ok()
            }
        })
        .collect()
}

/// Context for shared names: places named unambiguously on the page, and the places of
/// unambiguous organizations.
fn name_context(ents: &[&EntityHit<'_>], walk: &mut InText<'_>) -> HashMap<usize, usize> {
    let mut context: HashMap<usize, usize> =
        HashMap::with_capacity_and_hasher(ents.len(), Default::default());
    for h in ents
        .iter()
        .filter(|h| h.cands.len() == 1 && walk.at(h.start))
    {
        let e = h.cands[0];
        match h.ty {
            EntityType::Place => *context.entry(e).or_default() += 2,
            EntityType::Organization => {
                if let Some(p) = h.parent {
                    *context.entry(p).or_default() += 1;
                }
            }
            EntityType::Official => {}
        }
    }
    context
}

/// One token per entity hit, a shared name read as its likeliest entity.
fn entity_tokens<'a>(
    dict: &Dictionary,
    ents: &[&'a EntityHit<'a>],
    context: &HashMap<usize, usize>,
    day: Option<Day>,
) -> Vec<Tok<'a>> {
    let mut toks: Vec<Tok<'a>> = Vec::with_capacity(ents.len());
    for h in ents {
        let (c0, ty) = if h.cands.len() == 1 {
            (h.cands[0], h.ty)
        } else {
            let c0 = pick(dict, h.cands, context, day);
            (c0, dict.ty(c0))
        };
        let k = match ty {
            EntityType::Official => K::Person(c0),
            EntityType::Organization => K::Org(h.cands),
            EntityType::Place => K::Place(c0),
        };
        toks.push(Tok {
            s: h.start,
            e: h.end,
            k,
            place_q: None,
            parent: if h.cands.len() == 1 { h.parent } else { None },
        });
    }
    toks
}

/// One token per cue hit that no entity covers, except titles and group words that start
/// inside a place (`无锡市委书记`, `湖北省领导`), which qualify that place.
fn cue_tokens<'a>(toks: &[Tok<'a>], cues: &'a [CueHit]) -> Vec<Tok<'a>> {
    let mut out = Vec::with_capacity(cues.len());
    for c in cues {
        // Entity tokens are sorted and do not overlap: only the few around the cue matter.
        let from = toks.partition_point(|t| t.e <= c.start).saturating_sub(1);
        let near = &toks[from..toks.partition_point(|t| t.s <= c.end).max(from)];
        let overlaps = |t: &&Tok<'_>| t.s < c.end && c.start < t.e;
        let titled = matches!(c.cue, Cue::Title | Cue::Group);
        let qualifier = near.iter().filter(overlaps).find_map(|t| match t.k {
            K::Place(p) if t.s < c.start && titled => Some(p),
            _ => None,
        });
        if qualifier.is_none() && near.iter().any(|t| overlaps(&t)) {
            continue;
        }
        let adjacent_place = near.iter().find_map(|t| match t.k {
            K::Place(p) if t.e == c.start && titled => Some(p),
            _ => None,
        });
        out.push(Tok {
            s: c.start,
            e: c.end,
            k: K::Cue(c.cue, c.word),
            place_q: qualifier.or(adjacent_place),
            parent: None,
        });
    }
    out
}

/// Places named in preamble and body (and the places of organizations there), and the
/// people named there.
fn page_context(toks: &[Tok<'_>], walk: &mut InText<'_>) -> (HashMap<usize, usize>, Vec<usize>) {
    let mut places: HashMap<usize, usize> =
        HashMap::with_capacity_and_hasher(toks.len(), Default::default());
    let mut people = Vec::new();
    for t in toks {
        if !walk.at(t.s) {
            continue;
        }
        match &t.k {
            K::Place(p) => *places.entry(*p).or_default() += 2,
            K::Org(c) if c.len() == 1 => {
                if let Some(p) = t.parent {
                    *places.entry(p).or_default() += 1;
                }
            }
            K::Org(_) => {}
            K::Person(p) => {
                if !people.contains(p) {
                    people.push(*p);
                }
            }
            K::Cue(..) => {
                if let Some(p) = t.place_q {
                    *places.entry(p).or_default() += 2;
                }
            }
        }
    }
    (places, people)
}

/// The entities `named` lie within, sorted: each with its chain of parents, as far as
/// [`Dictionary::within`] looks (so `p` is in it exactly when some named entity is within `p`).
fn enclosing(dict: &Dictionary, named: &[usize]) -> Vec<usize> {
    let mut v = Vec::with_capacity(named.len() * 3);
    for &x in named {
        let mut cur = Some(x);
        for _ in 0..16 {
            let Some(c) = cur else { break };
            v.push(c);
            cur = dict.parent(c);
        }
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// Merge two token lists sorted by (start, end); on equal keys `a`'s come first (as a
/// stable sort of the two would: leftmost-longest hits do not overlap).
fn merge_sorted<'a>(a: Vec<Tok<'a>>, b: Vec<Tok<'a>>) -> Vec<Tok<'a>> {
    debug_assert!(a.windows(2).all(|w| (w[0].s, w[0].e) <= (w[1].s, w[1].e)));
    debug_assert!(b.windows(2).all(|w| (w[0].s, w[0].e) <= (w[1].s, w[1].e)));
    let mut out = Vec::with_capacity(a.len() + b.len());
    let mut b = b.into_iter().peekable();
    for x in a {
        while let Some(y) = b.next_if(|y| (y.s, y.e) < (x.s, x.e)) {
            out.push(y);
        }
        out.push(x);
    }
    out.extend(b);
    out
}

/// Choose among entities sharing a name by the page's context: a place inside (or around) a
/// place the page names; an official holding a post on the page's date, in a jurisdiction
/// the page names. Ties keep the dictionary's order (organizations record the others as
/// `ambiguous` on their edges).
fn pick(
    dict: &Dictionary,
    cands: &[usize],
    context: &HashMap<usize, usize>,
    day: Option<Day>,
) -> usize {
    if cands.len() == 1 {
        return cands[0];
    }
    let near = |p: usize| -> usize {
        context
            .iter()
            .filter(|(c, _)| **c != p && (dict.within(p, **c) || dict.within(**c, p)))
            .map(|(_, w)| *w)
            .sum()
    };
    let score = |c: usize| -> usize {
        match dict.ty(c) {
            EntityType::Place => near(c),
            EntityType::Organization => dict.parent(c).map_or(0, near),
            EntityType::Official => {
                let held = dict.posts_of(c).any(|p| p.held_on(day) && day.is_some());
                usize::from(held) * 10 + dict.official_place(c, day).map_or(0, near)
            }
        }
    };
    let mut best = cands[0];
    let mut best_score = score(best);
    for &c in &cands[1..] {
        let sc = score(c);
        if sc > best_score {
            best = c;
            best_score = sc;
        }
    }
    best
}
