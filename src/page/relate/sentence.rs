//! The facts of one sentence that every rule reads: its tokens, its clauses, the clauses a
//! reception or a quoted reference holds, and its host phrases (`在…的陪同下`).

use std::collections::BTreeSet;

use super::Ctx;
use super::tokens::{K, Tok};
use crate::dict::triggers::Cue;

/// One body sentence, read once.
pub(super) struct Sentence<'c> {
    /// Start and end (normalized characters).
    pub(super) ss: usize,
    pub(super) se: usize,
    /// Indices of the page tokens that lie inside it.
    pub(super) idx: Vec<usize>,
    /// Clause starts (after `,` `;` `:` outside quotes and brackets), then the end.
    pub(super) bounds: Vec<usize>,
    /// Clauses holding a reception cue (`会见`).
    pub(super) reception: BTreeSet<usize>,
    /// Clauses holding a meeting cue (`主持`, `出席`).
    pub(super) meeting: BTreeSet<usize>,
    /// Clauses quoting a past event (`讲话精神`).
    pub(super) reference: BTreeSet<usize>,
    /// Host phrases: from `在` to the end of `的陪同下`.
    pub(super) host: Vec<(usize, usize)>,
    /// Can the sentence give a relation: does it hold a visit, movement or companion cue,
    /// or open with `在ORG`? (Any other sentence is passed over; its facts are not read.)
    pub(super) active: bool,
    toks: &'c [Tok<'c>],
}

impl<'c> Sentence<'c> {
    /// Read the sentence `ss..se`, reusing `buf` for its token indices.
    pub(super) fn read(cx: &'c Ctx<'c>, ss: usize, se: usize, mut buf: Vec<usize>) -> Self {
        let lo = cx.toks.partition_point(|t| t.s < ss);
        let hi = cx.toks.partition_point(|t| t.s < se);
        buf.clear();
        buf.extend((lo..hi).filter(|&i| cx.toks[i].e <= se));
        let mut s = Sentence {
            ss,
            se,
            idx: buf,
            bounds: Vec::new(),
            reception: BTreeSet::new(),
            meeting: BTreeSet::new(),
            reference: BTreeSet::new(),
            host: Vec::new(),
            active: false,
            toks: &cx.toks,
        };
        s.active = !s.idx.is_empty() && (s.acts() || s.opener(cx));
        if !s.active {
            return s;
        }
        s.bounds = clause_bounds(cx, ss, se);
        s.reception = s.clauses_with(Cue::Reception);
        s.meeting = s.clauses_with(Cue::Meeting);
        s.reference = if framed(cx, ss) {
            (0..s.bounds.len().max(1)).collect()
        } else {
            s.clauses_with(Cue::Reference)
        };
        s.host = s.host_phrases(cx);
        s
    }

    /// Give the token index buffer back for the next sentence.
    pub(super) fn into_buf(self) -> Vec<usize> {
        self.idx
    }

    /// The token at position `pos` of the sentence.
    pub(super) fn tok(&self, pos: usize) -> &'c Tok<'c> {
        &self.toks[self.idx[pos]]
    }

    /// Does the sentence hold a visit, movement or companion cue?
    fn acts(&self) -> bool {
        self.idx.iter().any(|&i| {
            matches!(
                self.toks[i].cue(),
                Some(
                    Cue::Visit | Cue::Arrive | Cue::Inspect | Cue::Accompany | Cue::AccompanyAfter
                )
            )
        })
    }

    /// Does the sentence open with `在ORG`?
    /// Does the sentence open on a scene: `在ORG`, or a host welcoming (`ORG迎来…`)?
    fn opener(&self, cx: &Ctx<'_>) -> bool {
        let first = &self.toks[self.idx[0]];
        matches!(first.k, K::Org(_)) && (cx.ch(self.ss) == '在' || cx.welcomes_after(first.e))
    }

    /// The clause a position lies in.
    pub(super) fn clause_of(&self, pos: usize) -> usize {
        self.bounds.iter().rposition(|&b| b <= pos).unwrap_or(0)
    }

    fn clauses_with(&self, cue: Cue) -> BTreeSet<usize> {
        self.idx
            .iter()
            .filter(|&&i| self.toks[i].cue() == Some(cue))
            .map(|&i| self.clause_of(self.toks[i].s))
            .collect()
    }

    /// Host phrases: 在 … 的陪同下, from the nearest `在` before the cue in the sentence (a
    /// list of companions may hold commas: 在省委常委A,市委书记B、市长C的陪同下), else
    /// from the start of the cue's clause. A `在` inside a word (现在, 正在) opens nothing.
    fn host_phrases(&self, cx: &Ctx<'_>) -> Vec<(usize, usize)> {
        let mut host = Vec::new();
        for &i in &self.idx {
            let t = &self.toks[i];
            if t.cue() == Some(Cue::Host) {
                let cs = self.bounds[self.clause_of(t.s)];
                let opens = |p: usize| {
                    cx.ch(p) == '在'
                        && (p == 0
                            || !matches!(
                                cx.ch(p - 1),
                                '现' | '存' | '正' | '所' | '实' | '自' | '好'
                            ))
                };
                let open = (self.ss..t.s).rev().find(|&p| opens(p)).unwrap_or(cs);
                host.push((open, t.e));
            }
        }
        host
    }

    /// Is a token inside a host phrase?
    pub(super) fn in_host(&self, tok: &Tok<'_>) -> bool {
        self.host.iter().any(|&(a, b)| a <= tok.s && tok.e <= b)
    }

    /// The people named in the tokens at positions `range`, host side left out.
    pub(super) fn people_in(&self, range: std::ops::Range<usize>) -> Vec<usize> {
        self.idx[range]
            .iter()
            .map(|&j| &self.toks[j])
            .filter(|x| !self.in_host(x))
            .filter_map(|x| match x.k {
                K::Person(p) => Some(p),
                _ => None,
            })
            .collect()
    }
}

/// Clause starts of `s..e` (after `,` `;` `:` outside quotes and brackets), then `e`.
pub(super) fn clause_bounds(cx: &Ctx<'_>, s: usize, e: usize) -> Vec<usize> {
    let mut b = vec![s];
    let mut depth = 0i32;
    for (i, c) in (s..).zip(cx.text(s, e).chars()) {
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

/// Words that open a sentence about footage (画面中,总书记先后来到…): what it shows happened
/// before, elsewhere; every clause of it is a reference, not an event.
const FOOTAGE: &[&str] = &[
    "画面中",
    "视频中",
    "镜头中",
    "短片中",
    "片中",
    "纪录片中",
    "专题片中",
    "电视画面中",
];

/// Does the sentence at `ss` open with a [`FOOTAGE`] word?
fn framed(cx: &Ctx<'_>, ss: usize) -> bool {
    FOOTAGE
        .iter()
        .any(|w| cx.text(ss, ss + w.chars().count()) == *w)
}
