//! Evidence an analyst can read: beside the verbatim `sentence` (kept for its offsets in
//! the page), its `text` in simplified script with pinyin glosses dropped (`曹硯(yàn)舟`
//! reads `曹砚舟`; punctuation and Latin letters as written), and where the edge's two
//! ends are named in that text (`marks`).
//!
//! Takes a sentence as quoted and the entities of an edge; gives the text and the
//! character spans. Names are looked up in the normalizer's output for the sentence (the
//! same rewriting extraction matched on, character for character the text), so a name
//! matched in the page is found. A name
//! is looked up by the forms extraction matches (names and aliases as normalized) and, for
//! an official, the titles of his posts (`省委书记` when the page names him by title only);
//! a name or alias wins over a title, then the form that occurs first, then the longest. An
//! end named by no form in the sentence (a
//! `王区长` resolved from earlier in the page) has no mark.

use memchr::memmem::Finder;
use rustc_hash::FxHashMap;

use crate::dict::{Dictionary, EntityType};
use crate::page::normalize::normalize;

/// A sentence made readable: its text and where two entities are named in it, as
/// `[start, end)` character offsets of `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Readable {
    pub(crate) text: String,
    pub(crate) source: Option<(usize, usize)>,
    pub(crate) target: Option<(usize, usize)>,
}

/// Finds entities' names in sentences; keeps each entity's forms once built.
#[derive(Default)]
pub(crate) struct Marker {
    /// An entity's names and aliases, then its titles (each tier longest first), each with
    /// its substring searcher built once.
    forms: FxHashMap<usize, [Vec<Finder<'static>>; 2]>,
}

impl Marker {
    /// The sentence's readable text and where `source` and `target` are named in it.
    pub(crate) fn read(
        &mut self,
        dict: &Dictionary,
        sentence: &str,
        source: usize,
        target: usize,
    ) -> Readable {
        let n = normalize(sentence);
        let s = self.find(dict, &n.text, source, &[]);
        let t = self.find(dict, &n.text, target, s.as_slice());
        Readable {
            text: n.readable(sentence),
            source: s,
            target: t,
        }
    }

    /// The sentence's readable text with every entity of `entities` named in it put in
    /// 【】 (the events table's plain-text highlight).
    pub(crate) fn highlight(
        &mut self,
        dict: &Dictionary,
        sentence: &str,
        entities: impl IntoIterator<Item = usize>,
    ) -> String {
        let n = normalize(sentence);
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for e in entities {
            if let Some(sp) = self.find(dict, &n.text, e, &spans) {
                spans.push(sp);
            }
        }
        let text = n.readable(sentence);
        spans.sort_unstable();
        let mut out = String::with_capacity(text.len() + spans.len() * 6);
        let mut spans = spans.into_iter().peekable();
        for (i, c) in text.chars().enumerate() {
            if spans.peek().is_some_and(|&(s, _)| s == i) {
                out.push('【');
            }
            out.push(c);
            if spans.peek().is_some_and(|&(_, e)| e == i + 1) {
                out.push('】');
                spans.next();
            }
        }
        out
    }

    /// Where `entity` is first named in `text` (a form overlapping a span of `avoid` is
    /// passed over), in characters.
    pub(crate) fn find(
        &mut self,
        dict: &Dictionary,
        text: &str,
        entity: usize,
        avoid: &[(usize, usize)],
    ) -> Option<(usize, usize)> {
        let tiers = self
            .forms
            .entry(entity)
            .or_insert_with(|| forms_of(dict, entity));
        tiers
            .iter()
            .find_map(|forms| first_of(text, forms, avoid))
            .map(|(s, e)| (char_at(text, s), char_at(text, e)))
    }
}

/// The first occurrence in `text` of any of `forms` (longest first) not overlapping a span
/// of `avoid` (characters), in bytes.
fn first_of(
    text: &str,
    forms: &[Finder<'static>],
    avoid: &[(usize, usize)],
) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for f in forms {
        let mut from = 0;
        while let Some(at) = f.find(&text.as_bytes()[from..]) {
            let span = (from + at, from + at + f.needle().len());
            let (cs, ce) = (char_at(text, span.0), char_at(text, span.1));
            let clash = avoid.iter().any(|&(s, e)| cs < e && s < ce);
            if !clash {
                // Forms are longest first: a later form wins only by starting earlier.
                if best.is_none_or(|(s, _)| span.0 < s) {
                    best = Some(span);
                }
                break;
            }
            // On to the next character (a form is whole characters, so it starts at one).
            from = span.0 + text[span.0..].chars().next().map_or(1, char::len_utf8);
        }
    }
    best
}

/// Character index of byte offset `b` of `text`.
fn char_at(text: &str, b: usize) -> usize {
    text[..b].chars().count()
}

/// The forms `entity` is named by, normalized: its names and aliases, then (an
/// official's) the titles of its posts; each longest first, no repeats.
fn forms_of(dict: &Dictionary, entity: usize) -> [Vec<Finder<'static>>; 2] {
    let e = &dict.entities[entity];
    let names = e
        .match_names
        .iter()
        .chain(std::iter::once(&e.name))
        .chain(&e.aliases)
        .map(|n| normalize(n).text);
    let titles = dict
        .posts_of(entity)
        .filter(|_| e.ty == EntityType::Official)
        .map(|p| normalize(&p.title).text);
    let tidy = |v: Vec<String>| {
        let mut v: Vec<String> = v.into_iter().filter(|f| !f.is_empty()).collect();
        v.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        v.dedup();
        v.iter()
            .map(|f| Finder::new(f.as_bytes()).into_owned())
            .collect()
    };
    [tidy(names.collect()), tidy(titles.collect())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::{DictionaryBuilder, Layer};

    fn dict() -> Dictionary {
        let layer = Layer::from_texts(
            "t",
            &[
                (
                    "officials.tsv",
                    "id\tname\taliases\ncao-yanzhou\t曹砚舟\t\nli-si\t李四\t\n",
                ),
                (
                    "organizations.tsv",
                    "id\tname\taliases\tkind\tplace\n\
                     xc\t芯澄微电子有限公司\t芯澄微电子\tcompany\t\n",
                ),
                (
                    "posts.tsv",
                    "official\ttitle\tjurisdiction\tfrom\tto\nli-si\t省委书记\thubei\t\t\n",
                ),
                (
                    "places.tsv",
                    "id\tname\taliases\tlevel\tparent\nhubei\t湖北省\t湖北\tprovince\t\n",
                ),
            ],
        );
        DictionaryBuilder::new()
            .no_builtin(true)
            .layer(layer)
            .build()
            .expect("dictionary")
    }

    fn idx(d: &Dictionary, id: &str) -> usize {
        d.by_id[id]
    }

    /// Sentence as quoted, source, target → readable text, source mark, target mark.
    type Case = (&'static str, usize, usize, &'static str, Mark, Mark);
    type Mark = Option<(usize, usize)>;

    /// Table: sentence as quoted → readable text, source mark, target mark.
    #[test]
    fn sentences_read_in_simplified_script_with_the_ends_marked() {
        let d = dict();
        let (cao, li, xc) = (idx(&d, "cao-yanzhou"), idx(&d, "li-si"), idx(&d, "xc"));
        let cases: &[Case] = &[
            // Traditional script with pinyin glosses: the glosses go, the names are found.
            (
                "曹硯(yàn)舟詳(xiáng)細(xì)了解芯澄微電子生產情況。",
                cao,
                xc,
                "曹砚舟详细了解芯澄微电子生产情况。",
                Some((0, 3)),
                Some((7, 12)),
            ),
            // Simplified already: the text is the sentence; the full name beats the alias.
            (
                "李四到芯澄微电子有限公司调研。",
                li,
                xc,
                "李四到芯澄微电子有限公司调研。",
                Some((0, 2)),
                Some((3, 12)),
            ),
            // Named by title only: the post's title is marked.
            (
                "湖北省委书记来到芯澄微电子。",
                li,
                xc,
                "湖北省委书记来到芯澄微电子。",
                Some((2, 6)),
                Some((8, 13)),
            ),
            // Not named in the sentence at all: no mark.
            (
                "他随后察看了生产线。",
                cao,
                xc,
                "他随后察看了生产线。",
                None,
                None,
            ),
        ];
        let mut m = Marker::default();
        for &(sentence, s, t, text, ms, mt) in cases {
            let r = m.read(&d, sentence, s, t);
            assert_eq!(r.text, text, "{sentence}");
            assert_eq!((r.source, r.target), (ms, mt), "{sentence}");
        }
    }

    /// Two officials with the same form: the target's mark never overlaps the source's.
    #[test]
    fn the_target_mark_does_not_overlap_the_source_mark() {
        let d = dict();
        let cao = idx(&d, "cao-yanzhou");
        let mut m = Marker::default();
        let r = m.read(&d, "曹砚舟陪同曹砚舟。", cao, cao);
        assert_eq!((r.source, r.target), (Some((0, 3)), Some((5, 8))));
    }

    /// The events table's highlight: every entity named, in 【】, names before titles, an
    /// entity not named left alone.
    #[test]
    fn highlight_brackets_each_named_entity_once() {
        let d = dict();
        let (cao, li, xc) = (idx(&d, "cao-yanzhou"), idx(&d, "li-si"), idx(&d, "xc"));
        let mut m = Marker::default();
        let cases: &[(&str, &[usize], &str)] = &[
            (
                "省委書記李四、曹硯(yàn)舟到芯澄微電子調研。",
                &[li, cao, xc],
                "省委书记【李四】、【曹砚舟】到【芯澄微电子】调研。",
            ),
            (
                "湖北省委书记到芯澄微电子有限公司调研。",
                &[li, xc, cao],
                "湖北【省委书记】到【芯澄微电子有限公司】调研。",
            ),
            ("他到企业调研。", &[li, xc], "他到企业调研。"),
        ];
        for &(sentence, ents, want) in cases {
            assert_eq!(m.highlight(&d, sentence, ents.iter().copied()), want);
        }
    }
}
