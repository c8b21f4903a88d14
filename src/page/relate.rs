//! Stage 4 — relate: a document with its hits in, [`Relation`]s out.
//!
//! This is where a visit is told apart from everything that looks like one. Per body
//! sentence, each inspection cue (`调研`, `考察`…) or movement cue with a destination
//! (`来到X`, `到X调研`) gets
//!
//! * a **subject**, found by walking back from the cue: an explicit name (with its
//!   co-leaders joined by `、`), a title alone resolved through `posts.tsv` by jurisdiction
//!   and date (`无锡市委书记`, `省长`), a surname with a title (`屈市长`), or a group word
//!   (`一行`, `市领导`, `调研组`) or nothing at all, which carry the current leaders;
//! * its **targets**: organizations after the cue in its clause (a list is one clause), the
//!   destination of a movement cue, an organization the sentence opens with (`在X,`), the
//!   organization of a host phrase (`在公司董事长X的陪同下`), back-references (`该公司`,
//!   and a bare `企业` right after a cue) resolved to the organization introduced before, and
//!   places only where the text goes *to* them (`到合肥调研`).
//!
//! A cue yields nothing when its clause quotes a past inspection (`考察…重要讲话精神`), when
//! it is planned or exhorted (`要`, `将`), when it is attributive (`来长考察的客人`), when the
//! sentence is a reception (`会见`), or when its subject is an executive (a person whose
//! posts are all inside firms or institutes). Companions are the officials before a
//! `陪同`/`参加`/`一同`/`随同` cue (or after `随行领导有`), never host-side people
//! (`在…的陪同下`), never executives, and never the receiving side of a peer delegation
//! (an official whose jurisdiction neither contains nor lies within the leader's).

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use crate::dict::triggers::Cue;
use crate::dict::{Dictionary, EntityType};
use crate::page::date::{self, DateExpr, Day};
use crate::page::document::{Document, ParaKind};
use crate::page::matcher::{CueHit, EntityHit};
use crate::page::normalize::{Normalized, is_han};

/// The relation an edge stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rel {
    /// An official visited an organization or place.
    Visited,
    /// An official went along with the lead official of a visit.
    Accompanied,
}

impl Rel {
    /// Name in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Rel::Visited => "visited",
            Rel::Accompanied => "accompanied",
        }
    }
}

/// One relation found in one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// Source entity index.
    pub source: usize,
    /// Target entity index.
    pub target: usize,
    /// Which relation.
    pub rel: Rel,
    /// Event date.
    pub date: Option<Day>,
    /// The evidence sentence, as a normalized character span.
    pub sentence: (usize, usize),
    /// Other entities the target's name could have meant, when the context did not decide.
    pub ambiguous: Vec<usize>,
}

#[derive(Debug, Clone)]
enum K<'a> {
    Person(usize),
    Org(&'a [usize]),
    Place(usize),
    Cue(Cue, &'a str),
}

#[derive(Debug, Clone)]
struct Tok<'a> {
    s: usize,
    e: usize,
    k: K<'a>,
    /// For titles and group words: the place written right before (`无锡市委书记`).
    place_q: Option<usize>,
    /// For an organization with one candidate: its place (carried from the hit).
    parent: Option<usize>,
}

impl Tok<'_> {
    fn cue(&self) -> Option<Cue> {
        match self.k {
            K::Cue(c, _) => Some(c),
            _ => None,
        }
    }
    fn is_person(&self) -> bool {
        matches!(self.k, K::Person(_))
    }
}

enum Subject {
    Explicit(Vec<usize>),
    Carried,
    Disabled,
}

struct Ctx<'a> {
    dict: &'a Dictionary,
    n: &'a Normalized,
    toks: Vec<Tok<'a>>,
    /// Place → weight of mentions on the page (for titles and ambiguity).
    places: HashMap<usize, usize>,
    /// People named on the page (headline and body).
    people: Vec<usize>,
    anchor: Option<Day>,
}

/// Find the relations in one document.
pub fn relate(
    dict: &Dictionary,
    n: &Normalized,
    doc: &Document,
    ents: &[EntityHit<'_>],
    cues: &[CueHit],
) -> Vec<Relation> {
    // Is a position in the preamble or body (not furniture)? Hits come sorted, so each walk
    // moves forward over the paragraphs instead of searching them for every hit.
    let in_text = |from: &mut usize, pos: usize| {
        let paras = &doc.paragraphs;
        if *from > 0 && paras.get(*from - 1).is_some_and(|p| p.start > pos) {
            *from = 0;
        }
        while *from < paras.len() && paras[*from].start <= pos {
            *from += 1;
        }
        *from > 0 && {
            let p = &paras[*from - 1];
            pos < p.end && matches!(p.kind, ParaKind::Body | ParaKind::Preamble)
        }
    };
    // Entities named on the page outside furniture (for conditional aliases and context).
    let mut walk = 0;
    let mut named: Vec<usize> = ents
        .iter()
        .filter(|h| h.requires.is_none() && in_text(&mut walk, h.start))
        .flat_map(|h| h.cands.iter().copied())
        .collect();
    named.sort_unstable();
    named.dedup();
    // Everything the named entities lie within (themselves, their places and the places
    // around those: `Dictionary::within`'s chain), gathered once, when a conditional alias
    // first needs it, instead of walking every named entity's chain for every such hit.
    let mut around: Option<Vec<usize>> = None;
    let ents: Vec<&EntityHit<'_>> = ents
        .iter()
        .filter(|h| match h.requires {
            None => true,
            // The place, something in it, or the organization itself is named on the page.
            Some(p) => {
                h.cands.iter().any(|c| named.binary_search(c).is_ok())
                    || around
                        .get_or_insert_with(|| enclosing(dict, &named))
                        .binary_search(&p)
                        .is_ok()
            }
        })
        .collect();

    // Context for shared names: places named unambiguously on the page, and the places of
    // unambiguous organizations.
    let mut context: HashMap<usize, usize> =
        HashMap::with_capacity_and_hasher(ents.len(), Default::default());
    for h in ents
        .iter()
        .filter(|h| h.cands.len() == 1 && in_text(&mut walk, h.start))
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

    // Tokens: entity hits win overlaps, except titles and group words that start inside a
    // place (`无锡市委书记`, `湖北省领导`), which qualify that place.
    let mut toks: Vec<Tok<'_>> = Vec::with_capacity(ents.len() + cues.len());
    for h in &ents {
        let (c0, ty) = if h.cands.len() == 1 {
            (h.cands[0], h.ty)
        } else {
            let c0 = pick(dict, h.cands, &context, doc.pub_date.day());
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
    let mut cue_toks = Vec::with_capacity(cues.len());
    for c in cues {
        // Entity tokens are sorted and do not overlap: only the few around the cue matter.
        let from = toks.partition_point(|t| t.e <= c.start).saturating_sub(1);
        let near = &toks[from..toks.partition_point(|t| t.s <= c.end).max(from)];
        let overlaps = |t: &&Tok<'_>| t.s < c.end && c.start < t.e;
        let qualifier = near
            .iter()
            .filter(overlaps)
            .find(|t| {
                matches!(t.k, K::Place(_))
                    && t.s < c.start
                    && matches!(c.cue, Cue::Title | Cue::Group)
            })
            .map(|t| match t.k {
                K::Place(p) => p,
                _ => unreachable!(),
            });
        if qualifier.is_none() && near.iter().any(|t| overlaps(&t)) {
            continue;
        }
        let adjacent_place = near.iter().find_map(|t| match t.k {
            K::Place(p) if t.e == c.start && matches!(c.cue, Cue::Title | Cue::Group) => Some(p),
            _ => None,
        });
        cue_toks.push(Tok {
            s: c.start,
            e: c.end,
            k: K::Cue(c.cue, c.word),
            place_q: qualifier.or(adjacent_place),
            parent: None,
        });
    }
    // A place that only qualifies a title is not a destination: shorten nothing, but mark
    // such places by leaving them in place; targets skip places followed by a title.
    // Both lists are sorted by (start, end) already (leftmost-longest hits do not overlap):
    // merged, an entity before a cue on the same span, as a stable sort of the two would.
    let toks = merge_sorted(toks, cue_toks);

    // Context: places named in preamble and body, and the places of organizations there.
    let mut places: HashMap<usize, usize> =
        HashMap::with_capacity_and_hasher(toks.len(), Default::default());
    let mut people = Vec::new();
    for t in &toks {
        if !in_text(&mut walk, t.s) {
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

    // Date expressions in the body, read from a sentence only when a date is asked of it or
    // of a later one.
    let dates = Dates::new(n, doc);
    let anchor = (0..doc.sentences.len())
        .find_map(|i| dates.of(i).first())
        .map(|&(_, d)| date::resolve(d, doc.pub_date))
        .unwrap_or_else(|| doc.pub_date.day());

    let ctx = Ctx {
        dict,
        n,
        toks,
        places,
        people,
        anchor: anchor.or(doc.pub_date.day()),
    };
    ctx.run(doc, &dates)
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

/// Merge two token lists sorted by (start, end); on equal keys `a`'s come first.
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

/// The date expressions of each body sentence (`(character position, expression)`, in text
/// order), found the first time they are asked for: most sentences of a page are never
/// asked, since an event's date comes from its own sentence or the nearest dated one before.
struct Dates<'a> {
    n: &'a Normalized,
    doc: &'a Document,
    found: Vec<std::cell::OnceCell<Vec<(usize, DateExpr)>>>,
}

impl<'a> Dates<'a> {
    fn new(n: &'a Normalized, doc: &'a Document) -> Dates<'a> {
        Dates {
            n,
            doc,
            found: (0..doc.sentences.len())
                .map(|_| Default::default())
                .collect(),
        }
    }

    /// The expressions of sentence `i`.
    fn of(&self, i: usize) -> &[(usize, DateExpr)] {
        self.found[i].get_or_init(|| {
            let (s, e) = self.doc.sentences[i];
            let text = self.n.slice(s, e);
            date::date_exprs(text)
                .into_iter()
                .map(|(b, d)| (s + text[..b].chars().count(), d))
                .collect()
        })
    }
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

/// Is `VISITGRAPH_TRACE` set (tokens of every sentence on stderr)? Read once.
fn trace() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("VISITGRAPH_TRACE").is_some())
}

/// How many sentences back a back-reference (该公司) looks for its organization.
const ANTECEDENT_REACH: usize = 12;

const LIST_SEPS: &[char] = &['、', '和', '及', '与', ' ', '\n', '\r', '以'];

impl<'a> Ctx<'a> {
    /// The text between two positions; empty when they are out of order (tokens that
    /// overlap, like a place and the title it qualifies).
    fn text(&self, s: usize, e: usize) -> &'a str {
        let e = e.min(self.n.char_len());
        self.n.slice(s.min(e), e)
    }

    fn ch(&self, i: usize) -> char {
        if i >= self.n.char_len() {
            return '\0';
        }
        self.n.text[self.n.byte_of_char(i)..]
            .chars()
            .next()
            .unwrap_or('\0')
    }

    fn choose_org(&self, cands: &[usize]) -> (usize, Vec<usize>) {
        if cands.len() == 1 {
            return (cands[0], Vec::new());
        }
        let score = |c: usize| {
            self.places
                .iter()
                .filter(|(p, _)| {
                    self.dict
                        .parent(c)
                        .is_some_and(|cp| self.dict.within(cp, **p) || self.dict.within(**p, cp))
                })
                .map(|(_, w)| *w)
                .sum::<usize>()
        };
        let best = cands.iter().map(|&c| score(c)).max().unwrap_or(0);
        let top: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&c| score(c) == best)
            .collect();
        if top.len() == 1 {
            (top[0], Vec::new())
        } else {
            (top[0], top[1..].to_vec())
        }
    }

    fn is_official(&self, p: usize) -> bool {
        !self.dict.is_executive(p)
    }

    /// Resolve a title used without a name (`省长`, `无锡市委书记`).
    fn resolve_title(&self, title: &str, place_q: Option<usize>) -> Option<usize> {
        let held = |&i: &usize| {
            let p = &self.dict.posts[i];
            p.held_on(self.anchor).then_some(p)
        };
        if let Some(q) = place_q {
            let m: BTreeSet<usize> = self
                .dict
                .posts_titled_at(title, q)
                .iter()
                .filter_map(held)
                .map(|p| p.official)
                .collect();
            return (m.len() == 1).then(|| *m.iter().next().unwrap_or(&0));
        }
        // Only posts whose jurisdiction holds a place of the page can score: look them up
        // from those places and everything above them, in post order.
        let mut above: Vec<usize> = Vec::new();
        for &pl in self.places.keys() {
            let mut cur = Some(pl);
            // As deep as `Dictionary::within` looks.
            for _ in 0..16 {
                let Some(c) = cur else { break };
                above.push(c);
                cur = self.dict.parent(c);
            }
        }
        above.sort_unstable();
        above.dedup();
        let mut posts: Vec<usize> = above
            .iter()
            .flat_map(|&jp| self.dict.posts_titled_at(title, jp).iter().copied())
            .collect();
        posts.sort_unstable();
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for p in posts.iter().filter_map(held) {
            let Some(jp) = self.dict.place_of(p.jurisdiction) else {
                continue;
            };
            let s: usize = self
                .places
                .iter()
                .filter(|(pl, _)| self.dict.within(**pl, jp))
                .map(|(_, w)| *w)
                .sum();
            if s > 0 && !scored.iter().any(|(o, _)| *o == p.official) {
                scored.push((p.official, s));
            }
        }
        scored.sort_by_key(|&(o, s)| (std::cmp::Reverse(s), o));
        match scored.as_slice() {
            [(o, _)] => Some(*o),
            [(o, a), (_, b), ..] if a > b => Some(*o),
            _ => None,
        }
    }

    fn clause_bounds(&self, s: usize, e: usize) -> Vec<usize> {
        let mut b = vec![s];
        let mut depth = 0i32;
        for (i, c) in (s..).zip(self.text(s, e).chars()) {
            match c {
                '“' | '(' | '《' => depth += 1,
                '”' | ')' | '》' => depth = (depth - 1).max(0),
                ',' | ';' | ':' if depth == 0 => b.push(i + 1),
                _ => {}
            }
        }
        b.push(e);
        b
    }

    fn run(&self, doc: &Document, dates: &Dates<'_>) -> Vec<Relation> {
        let mut leads: Vec<usize> = Vec::new();
        let mut visits: Vec<Relation> = Vec::new();
        let mut seen_visits: rustc_hash::FxHashSet<(usize, usize, (usize, usize))> =
            Default::default();
        // (companion, lead if known, sentence)
        let mut companions: Vec<(usize, Option<usize>, (usize, usize))> = Vec::new();
        let mut first_event_date: Option<Option<Day>> = None;

        let mut idx_buf: Vec<usize> = Vec::new();
        for &(ss, se) in &doc.sentences {
            let lo = self.toks.partition_point(|t| t.s < ss);
            let hi = self.toks.partition_point(|t| t.s < se);
            idx_buf.clear();
            idx_buf.extend((lo..hi).filter(|&i| self.toks[i].e <= se));
            let idx = &idx_buf[..];
            if idx.is_empty() {
                continue;
            }
            let t = |i: usize| &self.toks[i];
            if trace() {
                let desc: Vec<String> = idx
                    .iter()
                    .map(|&i| {
                        let tk = t(i);
                        let what = match &tk.k {
                            K::Person(_) => "P".to_string(),
                            K::Org(_) => "O".to_string(),
                            K::Place(_) => "L".to_string(),
                            K::Cue(c, _) => format!("{c:?}"),
                        };
                        format!("{}:{}", self.text(tk.s, tk.e), what)
                    })
                    .collect();
                eprintln!(
                    "[{}] {}\n    {}",
                    leads.len(),
                    self.text(ss, se),
                    desc.join(" ")
                );
            }
            // Only a visit, movement or companion cue, or a scene opener (在ORG,), can give a
            // relation or change the current leaders: any other sentence is passed over.
            let acts = idx.iter().any(|&i| {
                matches!(
                    t(i).cue(),
                    Some(
                        Cue::Visit
                            | Cue::Arrive
                            | Cue::Inspect
                            | Cue::Accompany
                            | Cue::AccompanyAfter
                    )
                )
            });
            let opener = matches!(t(idx[0]).k, K::Org(_)) && self.ch(ss) == '在';
            if !acts && !opener {
                continue;
            }
            let bounds = self.clause_bounds(ss, se);
            let clause_of = |pos: usize| bounds.iter().rposition(|&b| b <= pos).unwrap_or(0);
            let reception_clauses: BTreeSet<usize> = idx
                .iter()
                .filter(|&&i| t(i).cue() == Some(Cue::Reception))
                .map(|&i| clause_of(t(i).s))
                .collect();
            let reception = !reception_clauses.is_empty();
            // Host phrases: 在 … 的陪同下.
            let mut host: Vec<(usize, usize)> = Vec::new();
            for &i in idx {
                if t(i).cue() == Some(Cue::Host) {
                    let cs = bounds[clause_of(t(i).s)];
                    let open = (cs..t(i).s)
                        .rev()
                        .find(|&p| self.ch(p) == '在')
                        .unwrap_or(cs);
                    host.push((open, t(i).e));
                }
            }
            let in_host = |tok: &Tok<'_>| host.iter().any(|&(a, b)| a <= tok.s && tok.e <= b);
            // The people named in some tokens of this sentence, host side left out.
            let people_in = |range: &[usize]| -> Vec<usize> {
                range
                    .iter()
                    .map(|&j| t(j))
                    .filter(|x| !in_host(x))
                    .filter_map(|x| match x.k {
                        K::Person(p) => Some(p),
                        _ => None,
                    })
                    .collect()
            };
            let disabled_clauses: BTreeSet<usize> = idx
                .iter()
                .filter(|&&i| t(i).cue() == Some(Cue::Reference))
                .map(|&i| clause_of(t(i).s))
                .collect();

            let mut sentence_subjects: BTreeSet<usize> = BTreeSet::new();
            let mut sentence_targets: Vec<(usize, Vec<usize>)> = Vec::new();
            let mut sentence_visitors: Vec<usize> = Vec::new();
            let mut has_visit_cue = false;

            for (pos, &ci) in idx.iter().enumerate() {
                let cue = match t(ci).cue() {
                    Some(c @ (Cue::Visit | Cue::Arrive | Cue::Inspect)) => c,
                    _ => continue,
                };
                let tok = t(ci);
                if reception_clauses.contains(&clause_of(tok.s))
                    || in_host(tok)
                    || disabled_clauses.contains(&clause_of(tok.s))
                {
                    continue;
                }
                // Attributive (来长考察的客人) or a companion cue (陪同调研, 一同调研).
                if self.ch(tok.e) == '的' {
                    continue;
                }
                // 甲,乙一同到X调研 before any leader is known: 甲 and 乙 lead together.
                let mut co_leads: Option<Vec<usize>> = None;
                if pos > 0 {
                    let prev = t(idx[pos - 1]);
                    if prev.cue() == Some(Cue::Accompany) && tok.s <= prev.e + 1 {
                        let together = matches!(&prev.k, K::Cue(_, w) if matches!(&**w, "一同" | "共同" | "一起"));
                        let named = people_in(&idx[..pos - 1]);
                        if together && leads.is_empty() && named.len() >= 2 {
                            co_leads = Some(named);
                        } else {
                            continue;
                        }
                    }
                }
                // Planned or exhorted: a modal word before the cue in its clause, or in an
                // earlier clause of the sentence with no new subject since (要围绕…,组织委员
                // 深入企业…).
                let clause = clause_of(tok.s);
                let modal = idx[..pos]
                    .iter()
                    .rposition(|&j| t(j).cue() == Some(Cue::Modal));
                if let Some(m) = modal {
                    let same_clause = clause_of(t(idx[m]).s) == clause;
                    let new_subject = idx[m + 1..pos].iter().any(|&j| {
                        t(j).is_person() || matches!(t(j).cue(), Some(Cue::Title | Cue::Group))
                    });
                    if same_clause || !new_subject {
                        continue;
                    }
                }
                // A movement cue needs its destination right after it.
                // A movement cue needs its destination right after it; without one (走进研发
                // 中心) it only confirms the scene the sentence set (在X, 在X的陪同下).
                let (dest, weak) = if cue == Cue::Arrive {
                    match self.destination(&idx[pos + 1..], tok.e) {
                        Some(d) => (Some(d), false),
                        None => (None, true),
                    }
                } else {
                    (None, false)
                };
                has_visit_cue = true;

                // 甲率调研组来…, 甲带领委员赴…: the subject is named before the lead word,
                // when no other cue stands between it and this one.
                let walk_end = idx[..pos]
                    .iter()
                    .rposition(|&j| {
                        matches!(
                            t(j).cue(),
                            Some(Cue::Lead | Cue::Visit | Cue::Arrive | Cue::Inspect)
                        )
                    })
                    .filter(|&k| t(idx[k]).cue() == Some(Cue::Lead))
                    .unwrap_or(pos);
                // 甲,乙率代表团…: everyone named before the lead word leads.
                if co_leads.is_none() && walk_end < pos {
                    let named = people_in(&idx[..walk_end]);
                    if named.len() >= 2 {
                        co_leads = Some(named);
                    }
                }
                let subject = match co_leads.take() {
                    Some(v) => Subject::Explicit(v),
                    None => self.subject(&idx[..walk_end], &in_host),
                };
                let visitors = match subject {
                    Subject::Disabled => continue,
                    Subject::Explicit(v) => {
                        if v.iter().any(|&p| !self.is_official(p)) {
                            continue;
                        }
                        // A leader already leading keeps the others (甲、乙 then 乙 alone).
                        if !v.iter().all(|p| leads.contains(p)) {
                            leads = v.clone();
                        }
                        v
                    }
                    Subject::Carried => leads.clone(),
                };
                if visitors.is_empty() {
                    continue;
                }
                for &v in &visitors {
                    sentence_subjects.insert(v);
                }

                // Targets.
                let mut targets: Vec<(usize, Vec<usize>)> = Vec::new();
                let add = |x: (usize, Vec<usize>), targets: &mut Vec<(usize, Vec<usize>)>| {
                    if !targets.iter().any(|(a, _)| *a == x.0) {
                        targets.push(x);
                    }
                };
                if let Some(d) = dest {
                    for x in self.list_from(&idx[pos + 1..], d, ss) {
                        add(x, &mut targets);
                    }
                }
                // Looking into something: only a back-reference right after the cue.
                if cue == Cue::Inspect {
                    if let Some(&nj) = idx.get(pos + 1)
                        && t(nj).s <= tok.e + 1
                        && t(nj).cue() == Some(Cue::Anaphor)
                        && let Some(x) = self.antecedent(t(nj).s, ss, doc)
                    {
                        add((x, Vec::new()), &mut targets);
                    }
                } else {
                    // handled below
                }
                // Organizations after the cue in its clause.
                for (k, &j) in idx
                    .iter()
                    .enumerate()
                    .skip(pos + 1)
                    .filter(|_| !weak && cue != Cue::Inspect)
                {
                    let tj = t(j);
                    if clause_of(tj.s) != clause || in_host(tj) {
                        continue;
                    }
                    if let Some(x) = self.target_org(idx, k, ss) {
                        add(x, &mut targets);
                    }
                    if let K::Cue(Cue::Anaphor, w) = &tj.k
                        && (w.starts_with('该') || tj.s <= tok.e + 1)
                        && let Some(x) = self.antecedent(tj.s, ss, doc)
                    {
                        add((x, Vec::new()), &mut targets);
                    }
                }
                // A place right after an inspection cue (调研黄埔区…).
                if cue == Cue::Visit
                    && !weak
                    && let Some(&nj) = idx.get(pos + 1)
                    && t(nj).s == tok.e
                    && let K::Place(p) = t(nj).k
                    && self.place_destination(idx, pos + 1)
                {
                    add((p, Vec::new()), &mut targets);
                }
                // Before the cue: 在ORG (the sentence's scene), 在PLACE调研, and host phrases.
                for (k, &j) in idx[..pos].iter().enumerate() {
                    let tj = t(j);
                    if in_host(tj) {
                        match &tj.k {
                            K::Org(_) => {
                                if let Some(x) = self.target_org(idx, k, ss) {
                                    add(x, &mut targets);
                                }
                            }
                            K::Cue(Cue::Anaphor, _) => {
                                if let Some(x) = self.antecedent(tj.s, ss, doc) {
                                    add((x, Vec::new()), &mut targets);
                                }
                            }
                            K::Person(p) => {
                                for post in
                                    self.dict.posts_of(*p).filter(|q| q.held_on(self.anchor))
                                {
                                    if self.dict.is_host_org(post.jurisdiction)
                                        && self.targetable(post.jurisdiction)
                                    {
                                        add((post.jurisdiction, Vec::new()), &mut targets);
                                    }
                                }
                            }
                            _ => {}
                        }
                        continue;
                    }
                    if tj.s > 0 && self.ch(tj.s - 1) == '在' {
                        match tj.k {
                            K::Org(_) => {
                                if let Some(x) = self.target_org(idx, k, ss) {
                                    add(x, &mut targets);
                                }
                            }
                            K::Place(p) => {
                                let next = idx.get(k + 1).map(|&q| t(q));
                                let follows = self.text(tj.e, (tj.e + 2).min(se));
                                if self.place_destination(idx, k)
                                    && (next.is_some_and(|nt| {
                                        nt.s <= tj.e + 1 && nt.cue() == Some(Cue::Visit)
                                    }) || follows.starts_with('就'))
                                {
                                    add((p, Vec::new()), &mut targets);
                                }
                            }
                            _ => {}
                        }
                    }
                }

                if targets.is_empty() {
                    continue;
                }
                let date = self.event_date(tok.s, ss, dates, doc, &mut first_event_date);
                for &v in &visitors {
                    for (tg, amb) in &targets {
                        let r = Relation {
                            source: v,
                            target: *tg,
                            rel: Rel::Visited,
                            date,
                            sentence: (ss, se),
                            ambiguous: amb.clone(),
                        };
                        if seen_visits.insert((v, *tg, r.sentence)) {
                            visits.push(r);
                        }
                    }
                    if !sentence_visitors.contains(&v) {
                        sentence_visitors.push(v);
                    }
                }
                sentence_targets.extend(targets);
            }
            // A scene opener: 在X公司, 市委书记一行登上… — the sentence's subject was at X.
            if let Some((scene, subj_end)) = self.scene(idx, &bounds) {
                let already = sentence_targets.iter().any(|(x, _)| *x == scene.0);
                let visitors = match self.subject(&idx[..subj_end], &in_host) {
                    Subject::Explicit(v) if v.iter().all(|&p| self.is_official(p)) => {
                        // A leader already leading keeps the others (甲、乙 then 乙 alone).
                        if !v.iter().all(|p| leads.contains(p)) {
                            leads = v.clone();
                        }
                        v
                    }
                    Subject::Carried => leads.clone(),
                    _ => Vec::new(),
                };
                if !already && !visitors.is_empty() {
                    let date = self.event_date(ss, ss, dates, doc, &mut first_event_date);
                    for &v in &visitors {
                        sentence_subjects.insert(v);
                        visits.push(Relation {
                            source: v,
                            target: scene.0,
                            rel: Rel::Visited,
                            date,
                            sentence: (ss, se),
                            ambiguous: scene.1.clone(),
                        });
                    }
                }
            }
            let _ = (has_visit_cue, &sentence_targets, &sentence_visitors);

            // Companions.
            let _ = reception;
            let mut consumed = ss;
            for (pos, &ci) in idx.iter().enumerate() {
                let tok = t(ci);
                let after = match tok.cue() {
                    Some(Cue::Accompany) => false,
                    Some(Cue::AccompanyAfter) => true,
                    _ => continue,
                };
                if in_host(tok) || reception_clauses.contains(&clause_of(tok.s)) {
                    continue;
                }
                // "参加" followed by a reception or meeting of its own is not a visit.
                let people: Vec<usize> = if after {
                    people_in(&idx[pos + 1..])
                } else {
                    let from = idx[..pos].partition_point(|&j| t(j).s < consumed);
                    people_in(&idx[from..pos])
                };
                consumed = tok.e;
                for p in people {
                    if sentence_subjects.contains(&p) || !self.is_official(p) {
                        continue;
                    }
                    // 陪同 followed by the leader: the leader is named after the cue.
                    let lead = leads.first().copied();
                    companions.push((p, lead, (ss, se)));
                }
            }
        }

        // Companions: only of a leader with visits in this document, never a co-leader,
        // never the receiving side of a peer delegation.
        let mut out = visits.clone();
        let mut seen_companions: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
        let visitors: BTreeSet<usize> = visits.iter().map(|r| r.source).collect();
        let first_lead = visits.first().map(|r| r.source);
        let date = first_event_date
            .flatten()
            .or_else(|| visits.first().and_then(|r| r.date));
        let mut places: Vec<(usize, Option<usize>)> = Vec::new();
        for (p, lead, sent) in companions {
            let Some(lead) = lead.or(first_lead) else {
                continue;
            };
            if p == lead || visitors.contains(&p) || !visitors.contains(&lead) {
                continue;
            }
            // The lead is the same for most companions: each official's place is found once.
            let mut place = |o: usize| match places.iter().find(|&&(x, _)| x == o) {
                Some(&(_, pl)) => pl,
                None => {
                    let pl = self.dict.official_place(o, self.anchor);
                    places.push((o, pl));
                    pl
                }
            };
            let (pc, pl) = (place(p), place(lead));
            if let (Some(a), Some(b)) = (pc, pl)
                && !self.dict.within(a, b)
                && !self.dict.within(b, a)
            {
                continue;
            }
            if !seen_companions.insert((p, lead)) {
                continue;
            }
            out.push(Relation {
                source: p,
                target: lead,
                rel: Rel::Accompanied,
                date,
                sentence: sent,
                ambiguous: Vec::new(),
            });
        }
        out
    }

    /// The event date for a cue: a date expression in its sentence, else the nearest one
    /// before it in the body, else the page date.
    fn event_date(
        &self,
        pos: usize,
        ss: usize,
        dates: &Dates<'_>,
        doc: &Document,
        first: &mut Option<Option<Day>>,
    ) -> Option<Day> {
        // Sentences are in text order: the cue's own (starting at `ss`), then back from it.
        let here = doc.sentences.partition_point(|&(s, _)| s < ss);
        let own = (here < doc.sentences.len() && doc.sentences[here].0 == ss)
            .then(|| dates.of(here).first())
            .flatten();
        let before = || {
            (0..here.min(doc.sentences.len()))
                .rev()
                .find_map(|i| dates.of(i).last())
                .filter(|(p, _)| *p <= pos)
        };
        let d = match own.or_else(before) {
            Some(&(_, e)) => date::resolve(e, doc.pub_date),
            None => match first {
                Some(d) => *d,
                None => doc.pub_date.day(),
            },
        };
        if first.is_none() {
            *first = Some(d);
        }
        d
    }

    /// A sentence opening with `在ORG,` whose next clause starts with a subject (a name, a
    /// title or a group word): the organization, and the index just past the subject tokens.
    fn scene(&self, idx: &[usize], bounds: &[usize]) -> Option<((usize, Vec<usize>), usize)> {
        let first = *idx.first()?;
        let tok = &self.toks[first];
        let start = *bounds.first()?;
        let end1 = *bounds.get(1)?;
        if !matches!(tok.k, K::Org(_)) || tok.s != start + 1 || self.ch(start) != '在' {
            return None;
        }
        // The first clause is 在ORG plus at most a few characters (现场, 车间).
        if end1 > tok.e + 5
            || idx
                .iter()
                .skip(1)
                .any(|&j| self.toks[j].s < end1 && self.toks[j].s >= tok.e)
        {
            return None;
        }
        let target = self.target_org(idx, 0, start)?;
        let mut k = idx.iter().position(|&j| self.toks[j].s >= end1)?;
        if self.toks[idx[k]].s != end1 {
            return None;
        }
        let mut last = None;
        while let Some(&j) = idx.get(k) {
            let t = &self.toks[j];
            let subj = t.is_person() || matches!(t.cue(), Some(Cue::Title | Cue::Group));
            if !subj || last.is_some_and(|e| t.s > e + 1) {
                break;
            }
            last = Some(t.e);
            k += 1;
        }
        last.map(|_| (target, k))
    }

    /// Walk back from a cue to its subject.
    fn subject(&self, before: &[usize], in_host: &dyn Fn(&Tok<'_>) -> bool) -> Subject {
        let mut k = before.len();
        while k > 0 {
            k -= 1;
            let tok = &self.toks[before[k]];
            if in_host(tok) {
                continue;
            }
            let prev = (k > 0).then(|| &self.toks[before[k - 1]]);
            match &tok.k {
                K::Person(p) => {
                    // Co-leaders: 甲、乙 or 甲、省长乙.
                    let mut v = vec![*p];
                    let mut head = tok.s;
                    let mut j = k;
                    while j > 0 {
                        let mut q = j - 1;
                        let mut anchor = head;
                        if self.toks[before[q]].cue() == Some(Cue::Title)
                            && self.toks[before[q]].e == anchor
                        {
                            anchor = self.toks[before[q]].s;
                            if q == 0 {
                                break;
                            }
                            q -= 1;
                        }
                        let pt = &self.toks[before[q]];
                        if let K::Person(pp) = pt.k
                            && self.text(pt.e, anchor) == "、"
                        {
                            v.insert(0, pp);
                            head = pt.s;
                            j = q;
                            continue;
                        }
                        break;
                    }
                    return Subject::Explicit(v);
                }
                K::Cue(Cue::Title, title) => {
                    if prev.is_some_and(|p| p.is_person() && p.e == tok.s) {
                        continue;
                    }
                    // Surname + title (屈市长).
                    if tok.s > 0 {
                        let sc = self.ch(tok.s - 1);
                        let covered = prev.is_some_and(|p| p.e > tok.s - 1);
                        if is_han(sc) && !covered {
                            let mut found: Vec<usize> = self
                                .people
                                .iter()
                                .copied()
                                .filter(|&p| self.dict.entities[p].match_names[0].starts_with(sc))
                                .collect();
                            found.sort();
                            found.dedup();
                            if found.len() > 1 {
                                found.retain(|&p| {
                                    self.dict.posts_of(p).any(|q| q.title.ends_with(&**title))
                                });
                            }
                            if found.len() == 1 {
                                return Subject::Explicit(found);
                            }
                        }
                    }
                    return match self.resolve_title(title, tok.place_q) {
                        Some(o) => Subject::Explicit(vec![o]),
                        None => Subject::Disabled,
                    };
                }
                K::Cue(Cue::Group, _) => {
                    // 甲一行, 市长一行, 区领导一行, and a delegation's name (全国政协调研组,
                    // 四川省党政代表团) whose leader is named before it.
                    if prev.is_some_and(|p| {
                        p.e == tok.s
                            && (p.is_person()
                                || matches!(p.k, K::Org(_) | K::Place(_))
                                || matches!(p.cue(), Some(Cue::Title | Cue::Group)))
                    }) {
                        continue;
                    }
                    return Subject::Carried;
                }
                _ => {}
            }
        }
        Subject::Carried
    }

    /// The first destination token after a movement cue ending at `end`: right after it
    /// (`来到X`, `来到了X`), after a place qualifier (`来到位于A的X`), or after a short
    /// unpunctuated description ending in an apposition (`走进园区入驻企业X`).
    fn destination(&self, after: &[usize], end: usize) -> Option<usize> {
        let mut from = end + usize::from(self.ch(end) == '了');
        // A qualifier 位于A的 is skipped whole.
        if let Some(&j) = after.first() {
            let tok = &self.toks[j];
            if tok.cue() == Some(Cue::Locative) && tok.s <= from {
                let de = (tok.e..tok.e + 20).find(|&p| self.ch(p) == '的')?;
                from = de + 1;
            }
        }
        // A place qualifier without 位于 (来到红花岗区的X) is skipped too.
        if let Some(&j) = after.iter().find(|&&j| self.toks[j].s >= from)
            && self.toks[j].s == from
            && matches!(self.toks[j].k, K::Place(_))
            && self.ch(self.toks[j].e) == '的'
        {
            from = self.toks[j].e + 1;
        }
        let stop = (from..from + 9)
            .find(|&p| matches!(self.ch(p), ',' | '。' | ';' | ':' | '!' | '?' | '\0'))
            .unwrap_or(from + 9);
        for (k, &j) in after.iter().enumerate() {
            let tok = &self.toks[j];
            if tok.s < from {
                continue;
            }
            if tok.s >= stop {
                return None;
            }
            let next_adjacent_org = after
                .get(k + 1)
                .is_some_and(|&q| self.toks[q].s == tok.e && matches!(self.toks[q].k, K::Org(_)));
            match &tok.k {
                K::Org(_) | K::Place(_) => return Some(k),
                K::Cue(Cue::Anaphor, _) if next_adjacent_org => continue,
                K::Cue(Cue::Anaphor, _) if tok.s == from => {
                    // 来到企业展厅: the back-reference, unless an organization follows in
                    // the same stretch (走进园区入驻企业X).
                    let later_org = after[k + 1..]
                        .iter()
                        .map(|&q| &self.toks[q])
                        .take_while(|t| t.s < stop)
                        .position(|t| matches!(t.k, K::Org(_)));
                    return Some(later_org.map_or(k, |p| k + 1 + p));
                }
                K::Cue(Cue::Anaphor, _) => continue,
                _ => return None,
            }
        }
        None
    }

    /// The destination and the list that continues it (`A、B和C`).
    fn list_from(&self, after: &[usize], first: usize, ss: usize) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        let mut prev_end = None;
        for (k, &j) in after.iter().enumerate().skip(first) {
            let tok = &self.toks[j];
            if let Some(pe) = prev_end {
                let gap = self.text(pe, tok.s);
                if !gap.chars().all(|c| LIST_SEPS.contains(&c)) || gap.chars().count() > 3 {
                    break;
                }
            }
            match &tok.k {
                K::Org(_) => match self.target_org(after, k, ss) {
                    Some(x) => out.push(x),
                    None => break,
                },
                K::Place(p) => {
                    // 广东东莞: the province only qualifies the city that follows it.
                    let qualifies = after.get(k + 1).is_some_and(|&q| {
                        self.toks[q].s == tok.e && matches!(self.toks[q].k, K::Place(_))
                    });
                    if qualifies {
                        prev_end = Some(tok.e);
                        continue;
                    }
                    if !self.place_destination(after, k) {
                        break;
                    }
                    out.push((*p, Vec::new()));
                }
                K::Cue(Cue::Anaphor, _) => {
                    if let Some(x) = self.antecedent_any(tok.s, ss) {
                        out.push((x, Vec::new()));
                    }
                }
                _ => break,
            }
            prev_end = Some(tok.e);
        }
        out
    }

    fn targetable(&self, org: usize) -> bool {
        !self.dict.is_media(org)
    }

    /// An organization token usable as a target: not part of a title (`公司董事长`), not a
    /// delegation's name (`全国政协调研组`), not a news outlet.
    fn target_org(&self, idx: &[usize], k: usize, _ss: usize) -> Option<(usize, Vec<usize>)> {
        let tok = &self.toks[idx[k]];
        let K::Org(c) = &tok.k else { return None };
        if let Some(&nj) = idx.get(k + 1) {
            let nt = &self.toks[nj];
            if nt.s == tok.e
                && (nt.is_person() || matches!(nt.cue(), Some(Cue::Title | Cue::Group)))
            {
                return None;
            }
        }
        let (o, amb) = self.choose_org(c);
        self.targetable(o).then_some((o, amb))
    }

    /// A place token that reads as a destination: not a country, not qualifying a title,
    /// a name or an organization right after it.
    fn place_destination(&self, idx: &[usize], k: usize) -> bool {
        let tok = &self.toks[idx[k]];
        let K::Place(p) = tok.k else { return false };
        if self.dict.is_country(p) {
            return false;
        }
        if let Some(&nj) = idx.get(k + 1) {
            let nt = &self.toks[nj];
            if nt.s == tok.e
                && (nt.is_person()
                    || matches!(nt.k, K::Org(_))
                    || matches!(nt.cue(), Some(Cue::Title | Cue::Group)))
            {
                return false;
            }
        }
        !matches!(self.ch(tok.e), '的' | '市' | '省')
    }

    /// The organization a back-reference at `pos` points to: the nearest one before it in
    /// the same sentence, else the first one of the nearest earlier body sentence.
    fn antecedent(&self, pos: usize, ss: usize, doc: &Document) -> Option<usize> {
        let ok = |t: &Tok<'_>| match &t.k {
            K::Org(c) => {
                let o = self.choose_org(c).0;
                (!self.dict.is_not_antecedent(o)).then_some(o)
            }
            _ => None,
        };
        let range = |s: usize, e: usize| {
            let lo = self.toks.partition_point(|t| t.s < s);
            self.toks[lo..]
                .iter()
                .take_while(move |t| t.s < e)
                .filter(move |t| t.e <= e)
        };
        if let Some(o) = range(ss, pos)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find_map(ok)
        {
            return Some(o);
        }
        // The nearest earlier sentence naming one (a back-reference reaches a few sentences).
        let here = doc.sentences.partition_point(|&(_, e)| e <= ss);
        for &(s, e) in doc.sentences[here.saturating_sub(ANTECEDENT_REACH)..here]
            .iter()
            .rev()
        {
            if let Some(o) = range(s, e).find_map(ok) {
                return Some(o);
            }
        }
        // 我公司 on a firm's own site: the organization the page header names.
        let preamble_end = doc
            .paragraphs
            .iter()
            .find(|p| p.kind == ParaKind::Body)
            .map_or(0, |p| p.start);
        self.toks
            .iter()
            .take_while(|t| t.s < preamble_end)
            .filter(|t| t.e <= preamble_end)
            .find_map(ok)
    }

    fn antecedent_any(&self, pos: usize, ss: usize) -> Option<usize> {
        self.toks
            .iter()
            .rev()
            .filter(|t| t.e <= pos && t.s < ss.max(pos))
            .find_map(|t| match &t.k {
                K::Org(c) => Some(self.choose_org(c).0),
                _ => None,
            })
    }
}
