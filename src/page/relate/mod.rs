//! relate: a document with its hits in, [`Relation`]s out.
//!
//! This is where a visit is told apart from everything that looks like one. Per body
//! sentence, each inspection cue (`调研`, `考察`…) or movement cue with a destination
//! (`来到X`, `到X调研`) gets
//!
//! * a **subject** ([`subject`]), found by walking back from the cue: an explicit name (with
//!   its co-leaders joined by `、`), a title alone resolved through `posts.tsv` by
//!   jurisdiction and date (`无锡市委书记`, `省长`), a surname with a title (`屈市长`), or a
//!   group word (`一行`, `市领导`, `调研组`) or nothing at all, which carry the current leaders;
//! * its **targets** ([`targets`], one function per rule): organizations after the cue in its
//!   clause (a list is one clause), the destination of a movement cue, an organization the
//!   sentence opens with (`在X,`), the organization of a host phrase (`在公司董事长X的陪同下`),
//!   back-references (`该公司`, and a bare `企业` right after a cue) resolved to the
//!   organization introduced before, and places only where the text goes *to* them
//!   (`到合肥调研`).
//!
//! A cue yields nothing when a [`veto::Veto`] fires: its clause quotes a past inspection
//! (`考察…重要讲话精神`), it is planned or exhorted (`要`, `将`), it is attributive
//! (`来长考察的客人`), the clause is a reception (`会见`) or a meeting (`主持`), or its subject
//! is an executive (a person whose posts are all inside firms or institutes). Companions
//! ([`companions`]) are the government and party officials who go along, whichever side
//! they are on: named before a `陪同`/`参加`/`一同`/`随同`/`随团` cue, after `随行领导有` or
//! `…的还有`, or inside `在…的陪同下`. Only the visited organization's people (executives,
//! staff) and business people are host side, never companions (convention of 2026-12-07).
//!
//! [`explain`] runs the same rules and also returns a trace: for every sentence with a cue,
//! its tokens, the veto that stopped each cue or the rule that produced each edge.
//!
//! Files: `tokens` (hits → tokens, shared names decided by context), `sentence` (the facts
//! of one sentence: clauses, host spans, people), `veto`, `subject`, `targets`,
//! `companions`, `headline` (what the headline states and the body confirms), `dates`
//! (event dates), `trace`.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use crate::dict::Dictionary;
use crate::page::DateSource;
use crate::page::date::Day;
use crate::page::document::Document;
use crate::page::matcher::{CueHit, EntityHit};
use crate::page::normalize::Normalized;

mod companions;
mod dates;
mod headline;
mod sentence;
mod subject;
mod targets;
mod tokens;
mod trace;
mod veto;
mod visit;

use dates::Dates;
use sentence::Sentence;
use tokens::Tok;
pub(crate) use trace::Trace;

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
pub(crate) struct Relation {
    /// Source entity index.
    pub(crate) source: usize,
    /// Target entity index.
    pub(crate) target: usize,
    /// Which relation.
    pub(crate) rel: Rel,
    /// Event date.
    pub(crate) date: Option<Day>,
    /// Whether `date` was read in the text or is the page's publication date (no date in
    /// the text, or only `近日`/`日前`).
    pub(crate) date_source: DateSource,
    /// The evidence sentence, as a normalized character span.
    pub(crate) sentence: (usize, usize),
    /// Other entities the target's name could have meant, when the context did not decide.
    pub(crate) ambiguous: Vec<usize>,
}

/// Find the relations in one document.
pub(crate) fn relate(
    dict: &Dictionary,
    n: &Normalized,
    doc: &Document,
    ents: &[EntityHit<'_>],
    cues: &[CueHit],
) -> Vec<Relation> {
    relate_traced(dict, n, doc, ents, cues, &mut Trace::off())
}

/// [`relate`], and the trace of every decision taken on the way (see [`Trace`]).
pub(crate) fn explain(
    dict: &Dictionary,
    n: &Normalized,
    doc: &Document,
    ents: &[EntityHit<'_>],
    cues: &[CueHit],
) -> (Vec<Relation>, Trace) {
    let mut tr = Trace::on();
    let rels = relate_traced(dict, n, doc, ents, cues, &mut tr);
    (rels, tr)
}

fn relate_traced(
    dict: &Dictionary,
    n: &Normalized,
    doc: &Document,
    ents: &[EntityHit<'_>],
    cues: &[CueHit],
    tr: &mut Trace,
) -> Vec<Relation> {
    let page = tokens::read(dict, n, doc, ents, cues);
    // Date expressions in the body, read from a sentence only when a date is asked of it or
    // of a later one.
    let dates = Dates::new(n, doc);
    let anchor = (0..doc.sentences.len())
        .find_map(|i| dates.of(i).first())
        .map(|&(_, d)| crate::page::date::resolve(d, doc.pub_date))
        .unwrap_or_else(|| doc.pub_date.day());
    let ctx = Ctx {
        dict,
        n,
        toks: page.toks,
        places: page.places,
        people: page.people,
        anchor: anchor.or(doc.pub_date.day()),
    };
    let mut rels = ctx.run(doc, &dates, tr);
    undated_take_published(&mut rels, doc);
    rels
}

/// Evidence whose text gives no date (none at all, or only `近日`, `日前`) takes the page's
/// publication date, marked [`DateSource::Published`], so it is not lost to a date filter
/// and the analyst sees where the date came from.
fn undated_take_published(rels: &mut [Relation], doc: &Document) {
    let Some(day) = doc.pub_date.day() else {
        return;
    };
    for r in rels.iter_mut().filter(|r| r.date.is_none()) {
        r.date = Some(day);
        r.date_source = DateSource::Published;
    }
}

/// A page's tokens and context, shared by the rules.
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

/// What the walk over a page's sentences carries from one sentence to the next.
#[derive(Default)]
struct Walk {
    /// The current leaders: the last explicit subject of a visit.
    leads: Vec<usize>,
    visits: Vec<Relation>,
    seen_visits: rustc_hash::FxHashSet<(usize, usize, (usize, usize))>,
    /// Companions found so far, not yet checked against the page's leaders.
    companions: Vec<companions::Pending>,
    /// The date of the page's first event (companions are dated by it).
    first_event_date: Option<Option<Day>>,
    /// The people of the sentences just before, when they are only a list of names and titles
    /// ending in `;` (市委书记甲,市长乙;…): the start of a companion list that ends later.
    list_before: Vec<usize>,
    /// A visit was led by a title nobody on the page holds (市委书记到武进区调研): the group
    /// that visits next is his, not a companion's to lead.
    unresolved_lead: bool,
}

/// What one sentence's visit cues found, for its scene opener and its companions.
#[derive(Default)]
struct Found {
    /// Everyone who led a visit in this sentence (never their own companions).
    subjects: BTreeSet<usize>,
    /// The targets of its visit cues.
    targets: Vec<(usize, Vec<usize>)>,
}

impl<'a> Ctx<'a> {
    /// The text between two positions; empty when they are out of order (tokens that
    /// overlap, like a place and the title it qualifies).
    fn text(&self, s: usize, e: usize) -> &'a str {
        let e = e.min(self.n.char_len());
        self.n.slice(s.min(e), e)
    }

    /// The normalized character at `i` (`\0` past the end).
    fn ch(&self, i: usize) -> char {
        if i >= self.n.char_len() {
            return '\0';
        }
        self.n.text[self.n.byte_of_char(i)..]
            .chars()
            .next()
            .unwrap_or('\0')
    }

    /// Is a sentence only names with their titles, places and bodies, ending in `;`?
    fn is_name_list(&self, s: &Sentence<'_>) -> bool {
        self.text(s.ss, s.se).trim_end().ends_with(';')
            && (0..s.idx.len()).any(|k| s.tok(k).is_person())
            && (0..s.idx.len()).all(|k| {
                let t = s.tok(k);
                !matches!(t.k, tokens::K::Cue(..))
                    || t.cue() == Some(crate::dict::triggers::Cue::Title)
            })
    }

    fn is_official(&self, p: usize) -> bool {
        !self.dict.is_executive(p)
    }

    /// The rules, sentence by sentence: visits of each cue, the sentence's scene, its
    /// companions; then the companions are checked against the page's leaders.
    fn run(&self, doc: &Document, dates: &Dates<'_>, tr: &mut Trace) -> Vec<Relation> {
        let mut walk = Walk::default();
        let mut buf: Vec<usize> = Vec::new();
        for &(ss, se) in &doc.sentences {
            let s = Sentence::read(self, ss, se, std::mem::take(&mut buf));
            if !s.idx.is_empty() {
                tr.sentence(self, &s, walk.leads.len());
                // Only a visit, movement or companion cue, or a scene opener (在ORG,), can give
                // a relation or change the current leaders: any other sentence is passed over.
                if s.active {
                    self.sentence_relations(&s, doc, dates, &mut walk, tr);
                }
            }
            if self.is_name_list(&s) {
                walk.list_before.extend(s.people_in(0..s.idx.len()));
            } else {
                walk.list_before.clear();
            }
            buf = s.into_buf();
        }
        self.headline_visits(doc, dates, &mut walk, tr);
        self.companion_edges(walk, tr)
    }

    /// Everything one sentence gives: its visits, its scene, its companions.
    fn sentence_relations(
        &self,
        s: &Sentence<'_>,
        doc: &Document,
        dates: &Dates<'_>,
        walk: &mut Walk,
        tr: &mut Trace,
    ) {
        let mut found = Found::default();
        for pos in 0..s.idx.len() {
            self.visit_cue(s, pos, doc, dates, walk, &mut found, tr);
        }
        self.scene_visit(s, doc, dates, walk, &mut found, tr);
        self.sentence_companions(s, &found, walk, tr);
    }
}
