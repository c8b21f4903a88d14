//! The pipeline for one page: text in, [`Found`] relations with their evidence out.
//!
//! ```
//! use visitgraph::dict::DictionaryBuilder;
//! use visitgraph::page::Extractor;
//! let ex = Extractor::new(DictionaryBuilder::new().build().unwrap()).unwrap();
//! let found = ex.extract("a.txt", "标题\n发布时间:2025-01-02\n\n1月2日,某某在会上讲话。\n");
//! assert!(found.is_empty());
//! ```

pub(crate) mod date;
pub(crate) mod document;
pub(crate) mod matcher;
pub mod normalize;
pub mod relate;
pub mod variants;

use crate::dict::Dictionary;
use crate::dict::triggers::Cue;
use crate::error::{Error, Result};
use date::Day;
use matcher::{CueHit, EntityHit, Matcher};
use normalize::Normalized;
use relate::{Rel, explain, relate};

/// Where an edge was read: the document, the date, and the sentence as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    /// Document name.
    pub doc: String,
    /// Event date `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// Where `date` comes from (absent when `date` is null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<DateSource>,
    /// The sentence, quoted from the original text.
    pub sentence: String,
    /// Start of the sentence in the original document, in Unicode characters.
    pub start: usize,
    /// End (exclusive), in Unicode characters.
    pub end: usize,
    /// The page's address (a JSON Lines record's `url`), if its source gave one; left out
    /// of the JSON when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Where an evidence date comes from: the text (`2024年7月3日`, `昨天`, the dateline), or
/// the page's publication date, which a visit takes when its text gives no day (no date
/// at all, or only `近日`, `日前`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// Read in the text.
    Text,
    /// The page's publication date.
    Published,
}

impl DateSource {
    /// `text` or `published`, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Text => "text",
            DateSource::Published => "published",
        }
    }

    /// The inverse of [`DateSource::as_str`].
    pub fn parse(s: &str) -> Option<DateSource> {
        match s {
            "text" => Some(DateSource::Text),
            "published" => Some(DateSource::Published),
            _ => None,
        }
    }
}

/// One relation found in one page.
#[derive(Debug, Clone)]
pub struct Found {
    /// Source entity index into the dictionary.
    pub source: usize,
    /// Target entity index.
    pub target: usize,
    /// Relation.
    pub rel: Rel,
    /// Where it was read.
    pub evidence: Evidence,
    /// Other readings of the target's name that the context could not rule out.
    pub ambiguous: Vec<usize>,
}

/// A dictionary compiled for extraction.
pub struct Extractor {
    /// The dictionary.
    pub dict: Dictionary,
    /// The compiled matcher: built by [`Extractor::new`], or on the first page that needs
    /// it after [`Extractor::deferred`].
    matcher: std::sync::OnceLock<std::result::Result<Matcher, String>>,
}

impl Extractor {
    /// Compile a dictionary.
    pub fn new(dict: Dictionary) -> Result<Extractor> {
        // jieba's dictionary (needed to check short names) loads on another core while the
        // automaton compiles, instead of inside the first page that needs it.
        let matcher = std::thread::scope(|s| {
            s.spawn(crate::page::matcher::jieba);
            Matcher::new(&dict)
        })
        .map_err(Error::Usage)?;
        Ok(Extractor {
            dict,
            matcher: std::sync::OnceLock::from(Ok(matcher)),
        })
    }

    /// A dictionary to be compiled only when a page needs it (`extract --store`, where a
    /// rerun may extract no page at all: with a large dictionary the compile is most of
    /// such a run). A compile that fails leaves every page without relations, and
    /// [`Extractor::compile_error`] says why.
    pub(crate) fn deferred(dict: Dictionary) -> Extractor {
        Extractor {
            dict,
            matcher: std::sync::OnceLock::new(),
        }
    }

    /// Compile a deferred matcher now (with jieba's dictionary loading beside it, as in
    /// [`Extractor::new`]); a no-op once compiled. `extract --store` calls it on a thread of
    /// its own as soon as the reader meets a page to extract, so the compile overlaps the
    /// pages read back.
    pub(crate) fn compile(&self) {
        std::thread::scope(|s| {
            s.spawn(crate::page::matcher::jieba);
            self.compiled();
        });
    }

    /// Why the deferred compile failed, if it did.
    pub(crate) fn compile_error(&self) -> Option<&str> {
        self.matcher.get()?.as_ref().err().map(String::as_str)
    }

    /// The compiled matcher (compiled now if it was deferred); `None` if it cannot be built.
    fn compiled(&self) -> Option<&Matcher> {
        self.matcher
            .get_or_init(|| Matcher::new(&self.dict))
            .as_ref()
            .ok()
    }

    /// The compiled matcher.
    ///
    /// # Panics
    /// If a deferred compile failed (only [`Extractor::new`]'s callers use this, and there
    /// the compile has succeeded).
    pub(crate) fn matcher(&self) -> &Matcher {
        match self.compiled() {
            Some(m) => m,
            None => panic!("the matcher was not compiled"),
        }
    }

    /// Run the whole pipeline over one page.
    pub fn extract(&self, doc_name: &str, original: &str) -> Vec<Found> {
        self.extract_with(doc_name, original, Provenance::default())
    }

    /// Run the pipeline over one page whose source says more about it (a JSON Lines
    /// record's `published`, `YYYY-MM-DD…`, which stands in when the page itself shows no
    /// date, or no year; its `url`, which every piece of evidence carries).
    pub(crate) fn extract_with(
        &self,
        doc_name: &str,
        original: &str,
        source: Provenance<'_>,
    ) -> Vec<Found> {
        let mut batch = FoundBatch::new();
        self.extract_into(doc_name, original, source, &mut batch);
        batch.iter().map(|f| f.to_found()).collect()
    }

    /// Run the pipeline over one page and pack its relations into `out` (what `extract`'s
    /// workers do: no allocation per relation).
    pub(crate) fn extract_into(
        &self,
        doc_name: &str,
        original: &str,
        source: Provenance<'_>,
        out: &mut FoundBatch,
    ) {
        out.documents += 1;
        let Some((n, rels)) = self.relate_page(original, source.published, relate) else {
            return;
        };
        if rels.is_empty() {
            return;
        }
        out.page(doc_name, source.url);
        for r in rels {
            // Evidence offsets are characters of the original page.
            let quote = n.orig_str(original, r.sentence.0, r.sentence.1);
            let span = n.orig_span(r.sentence.0, r.sentence.1);
            let date = r.date.map(|d| (d, r.date_source));
            out.push(r.source, r.target, r.rel, date, quote, span, &r.ambiguous);
        }
    }

    /// Run the pipeline over one page and explain it: its relations and the trace of the
    /// relate stage's decisions (each sentence's tokens; for each cue the veto that stopped
    /// it or the rule behind each edge; each companion and why it was kept or dropped).
    pub fn explain(
        &self,
        doc_name: &str,
        original: &str,
        published: Option<&str>,
    ) -> (Vec<Found>, Vec<String>) {
        let Some((n, (rels, trace))) = self.relate_page(original, published, explain) else {
            return (Vec::new(), vec!["no visit cue on the page".to_string()]);
        };
        let mut batch = FoundBatch::new();
        batch.documents += 1;
        if !rels.is_empty() {
            batch.page(doc_name, None);
        }
        for r in rels {
            let quote = n.orig_str(original, r.sentence.0, r.sentence.1);
            let span = n.orig_span(r.sentence.0, r.sentence.1);
            let date = r.date.map(|d| (d, r.date_source));
            batch.push(r.source, r.target, r.rel, date, quote, span, &r.ambiguous);
        }
        let found = batch.iter().map(|f| f.to_found()).collect();
        (found, trace.lines().to_vec())
    }

    /// Normalize, analyze and scan a page, then run `rel` (the relate stage) over it; `None`
    /// for a page without a visit cue.
    fn relate_page<R>(
        &self,
        original: &str,
        published: Option<&str>,
        rel: impl FnOnce(
            &Dictionary,
            &Normalized,
            &document::Document,
            &[EntityHit<'_>],
            &[CueHit<'_>],
        ) -> R,
    ) -> Option<(Normalized, R)> {
        let matcher = self.compiled()?;
        // Normalized and, on the way, encoded for the matcher's automaton.
        let n = matcher.normalize(original);
        let mut doc = document::analyze(&n);
        if doc.pub_date.year.is_none()
            && let Some(d) = published.and_then(date::full_date_in)
        {
            doc.pub_date = date::PubDate {
                year: Some(d.0),
                month_day: Some((d.1, d.2)),
            };
        }
        // Only what can yield relations or context is scanned: furniture (menus, headline
        // lists, footers) is skipped.
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for p in doc
            .paragraphs
            .iter()
            .filter(|p| p.kind != document::ParaKind::Furniture)
        {
            match ranges.last_mut() {
                Some(last) if last.1 + 1 >= p.start => last.1 = p.end,
                _ => ranges.push((p.start, p.end)),
            }
        }
        // One pass of the automaton finds the cues and the names.
        let scan = matcher.scan(&n, &ranges);
        let cues = &scan.cues;
        // Relations start at a visit cue: a page without one (a meeting, a digest) needs
        // nothing more.
        if !cues
            .iter()
            .any(|c| matches!(c.cue, Cue::Visit | Cue::Arrive | Cue::Inspect))
        {
            return None;
        }
        let ents = matcher.entities_of_scan(&n, &scan);
        let r = rel(&self.dict, &n, &doc, &ents, cues);
        Some((n, r))
    }
}

/// What a page's source says about it beside its text (a JSON Lines record's fields; all
/// `None` for a plain file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Provenance<'a> {
    /// Publication date, `YYYY-MM-DD…`.
    pub(crate) published: Option<&'a str>,
    /// The page's address.
    pub(crate) url: Option<&'a str>,
}

/// The relations of many pages, packed: their strings back to back in one buffer, so a
/// batch costs a few allocations however many relations it holds. `extract`'s workers
/// fill one per share of a batch of pages and its merger keeps them until a spill, which
/// reads them in place ([`crate::corpus::spill::SpillGraph::add_batch`]). Before, every relation
/// was three strings allocated on a worker and freed on the merger: chasing them and
/// freeing them across threads was most of the merger's time.
#[derive(Debug, Default)]
pub(crate) struct FoundBatch {
    /// Document names, dates and sentences, back to back.
    text: String,
    items: Vec<Item>,
    /// Every relation's ambiguous readings, back to back.
    amb: Vec<usize>,
    /// Pages extracted into the batch (with relations or not).
    pub(crate) documents: usize,
    /// The current page's name and url, its last sentence (span and range) and the last
    /// date.
    doc: (usize, usize),
    url: Option<(usize, usize)>,
    sentence: Option<((usize, usize), (usize, usize))>,
    date: Option<(Day, (usize, usize))>,
}

/// One packed relation: byte ranges into the batch's buffers.
#[derive(Debug, Clone, Copy)]
struct Item {
    source: usize,
    target: usize,
    rel: Rel,
    doc: (usize, usize),
    date: Option<(usize, usize)>,
    /// The date is the page's publication date.
    published: bool,
    sentence: (usize, usize),
    span: (usize, usize),
    url: Option<(usize, usize)>,
    amb: (usize, usize),
}

/// A packed relation, read in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FoundRef<'a> {
    /// Source entity index.
    pub(crate) source: usize,
    /// Target entity index.
    pub(crate) target: usize,
    /// Relation.
    pub(crate) rel: Rel,
    /// Where it was read.
    pub(crate) evidence: EvidenceRef<'a>,
    /// Other readings of the target.
    pub(crate) ambiguous: &'a [usize],
}

/// [`Evidence`], borrowed; ordered as `Evidence` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct EvidenceRef<'a> {
    /// Document name.
    pub(crate) doc: &'a str,
    /// Event date `YYYY-MM-DD`, or none.
    pub(crate) date: Option<&'a str>,
    /// Where the date comes from.
    pub(crate) date_source: Option<DateSource>,
    /// The sentence as written.
    pub(crate) sentence: &'a str,
    /// Start of the sentence in the document, in characters.
    pub(crate) start: usize,
    /// End (exclusive).
    pub(crate) end: usize,
    /// The page's address.
    pub(crate) url: Option<&'a str>,
}

impl Evidence {
    /// Borrowed.
    pub(crate) fn as_ref(&self) -> EvidenceRef<'_> {
        EvidenceRef {
            doc: &self.doc,
            date: self.date.as_deref(),
            sentence: &self.sentence,
            start: self.start,
            end: self.end,
            url: self.url.as_deref(),
            date_source: self.date_source,
        }
    }
}

impl EvidenceRef<'_> {
    /// Owned.
    pub(crate) fn to_evidence(self) -> Evidence {
        Evidence {
            doc: self.doc.to_string(),
            date: self.date.map(str::to_string),
            sentence: self.sentence.to_string(),
            start: self.start,
            end: self.end,
            url: self.url.map(str::to_string),
            date_source: self.date_source,
        }
    }
}

impl FoundRef<'_> {
    /// Owned.
    pub(crate) fn to_found(self) -> Found {
        Found {
            source: self.source,
            target: self.target,
            rel: self.rel,
            evidence: self.evidence.to_evidence(),
            ambiguous: self.ambiguous.to_vec(),
        }
    }
}

impl FoundBatch {
    /// An empty batch.
    pub(crate) fn new() -> FoundBatch {
        FoundBatch::default()
    }

    /// Number of relations.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// No relation?
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes the batch holds (its buffers' capacities), for memory limits.
    pub(crate) fn bytes(&self) -> usize {
        self.text.capacity()
            + self.items.capacity() * std::mem::size_of::<Item>()
            + self.amb.capacity() * std::mem::size_of::<usize>()
    }

    fn put(&mut self, s: &str) -> (usize, usize) {
        let at = self.text.len();
        self.text.push_str(s);
        (at, self.text.len())
    }

    /// Start a page: the relations pushed next were read in document `doc` (at `url`).
    fn page(&mut self, doc: &str, url: Option<&str>) {
        self.doc = self.put(doc);
        self.url = url.map(|u| self.put(u));
        self.sentence = None;
    }

    /// Add one relation read in the current page. A sentence or date the relation before
    /// also had is not stored again.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        source: usize,
        target: usize,
        rel: Rel,
        date: Option<(Day, DateSource)>,
        sentence: &str,
        span: (usize, usize),
        ambiguous: &[usize],
    ) {
        let published = matches!(date, Some((_, DateSource::Published)));
        let sentence = match self.sentence {
            Some((s, at)) if s == span => at,
            _ => {
                let at = self.put(sentence);
                self.sentence = Some((span, at));
                at
            }
        };
        let date = date.map(|(d, _)| match self.date {
            Some((last, at)) if last == d => at,
            _ => {
                let at = self.put(&date::format(d));
                self.date = Some((d, at));
                at
            }
        });
        let amb = (self.amb.len(), self.amb.len() + ambiguous.len());
        self.amb.extend_from_slice(ambiguous);
        self.items.push(Item {
            source,
            target,
            rel,
            doc: self.doc,
            date,
            published,
            sentence,
            span,
            url: self.url,
            amb,
        });
    }

    /// Add a relation from another page (for callers that hold [`Found`]s).
    #[cfg(test)]
    pub(crate) fn push_found(&mut self, f: &Found) {
        self.page(&f.evidence.doc, f.evidence.url.as_deref());
        let e = &f.evidence;
        let (span, date) = ((e.start, e.end), e.date.as_deref());
        let date = date.map(|d| (d, e.date_source.unwrap_or(DateSource::Text)));
        self.push_read(
            f.source,
            f.target,
            f.rel,
            date,
            &e.sentence,
            span,
            &f.ambiguous,
        );
    }

    /// Start a page whose relations were read back, not extracted (`extract --store`): the
    /// relations pushed next with [`FoundBatch::push_read`] were read in `doc` (at `url`).
    pub(crate) fn begin_read_page(&mut self, doc: &str, url: Option<&str>) {
        self.page(doc, url);
    }

    /// Add one relation of the current page as it was stored: its date already written
    /// `YYYY-MM-DD`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_read(
        &mut self,
        source: usize,
        target: usize,
        rel: Rel,
        date: Option<(&str, DateSource)>,
        sentence: &str,
        span: (usize, usize),
        ambiguous: &[usize],
    ) {
        let published = matches!(date, Some((_, DateSource::Published)));
        let date = date.map(|(d, _)| self.put(d));
        let sentence = match self.sentence {
            Some((s, at)) if s == span => at,
            _ => {
                let at = self.put(sentence);
                self.sentence = Some((span, at));
                at
            }
        };
        let amb = (self.amb.len(), self.amb.len() + ambiguous.len());
        self.amb.extend_from_slice(ambiguous);
        self.items.push(Item {
            source,
            target,
            rel,
            doc: self.doc,
            date,
            published,
            sentence,
            span,
            url: self.url,
            amb,
        });
    }

    /// Relation `i`.
    ///
    /// # Panics
    /// If `i` is not below [`FoundBatch::len`].
    pub(crate) fn get(&self, i: usize) -> FoundRef<'_> {
        let it = &self.items[i];
        let s = |(a, b): (usize, usize)| &self.text[a..b];
        FoundRef {
            source: it.source,
            target: it.target,
            rel: it.rel,
            evidence: EvidenceRef {
                doc: s(it.doc),
                date: it.date.map(s),
                sentence: s(it.sentence),
                start: it.span.0,
                end: it.span.1,
                url: it.url.map(s),
                date_source: it
                    .date
                    .map(|_| [DateSource::Text, DateSource::Published][usize::from(it.published)]),
            },
            ambiguous: &self.amb[it.amb.0..it.amb.1],
        }
    }

    /// Relation `i`'s source, target, relation and ambiguous readings (no strings touched).
    pub(crate) fn ends(&self, i: usize) -> (usize, usize, Rel, &[usize]) {
        let it = &self.items[i];
        (it.source, it.target, it.rel, &self.amb[it.amb.0..it.amb.1])
    }

    /// Load relation `i`'s record (`first`) or the first bytes of its strings (not
    /// `first`, once the record is cached): a caller about to read many relations out of
    /// order touches a few dozen ahead, so their cache misses overlap instead of queueing.
    pub(crate) fn touch(&self, i: usize, first: bool) -> usize {
        let it = &self.items[i];
        if first {
            return it.sentence.0;
        }
        let t = self.text.as_bytes();
        let at = |i: usize| usize::from(t.get(i).copied().unwrap_or(0));
        at(it.sentence.0) + at(it.sentence.1) + at(it.doc.0)
    }

    /// The relations, in the order they were added.
    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = FoundRef<'_>> + '_ {
        (0..self.items.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_batch_is_empty() {
        let b = FoundBatch::new();
        assert_eq!((b.len(), b.documents), (0, 0));
        assert!(b.is_empty());
    }

    fn parts(f: FoundRef<'_>) -> (usize, usize, Rel, Evidence, Vec<usize>) {
        let e = f.evidence.to_evidence();
        (f.source, f.target, f.rel, e, f.ambiguous.to_vec())
    }

    fn ev(doc: &str, date: Option<&str>, sentence: &str, span: (usize, usize)) -> Evidence {
        Evidence {
            doc: doc.into(),
            date: date.map(str::to_string),
            sentence: sentence.into(),
            start: span.0,
            end: span.1,
            url: None,
            date_source: date.map(|_| DateSource::Text),
        }
    }

    #[test]
    fn a_batch_gives_back_what_was_packed_and_stores_repeats_once() {
        let mut b = FoundBatch::new();
        b.page("a", None);
        b.push(
            1,
            2,
            Rel::Visited,
            Some(((2025, 1, 2), DateSource::Text)),
            "句一",
            (0, 2),
            &[],
        );
        b.push(
            1,
            3,
            Rel::Visited,
            Some(((2025, 1, 2), DateSource::Text)),
            "句一",
            (0, 2),
            &[4, 5],
        );
        b.push(6, 1, Rel::Accompanied, None, "句二", (3, 5), &[]);
        b.page("b", Some("http://x.cn/b.html"));
        // The same span on another page is another sentence.
        b.push(
            1,
            2,
            Rel::Visited,
            Some(((2025, 1, 3), DateSource::Published)),
            "句三",
            (0, 2),
            &[],
        );
        let got: Vec<_> = b.iter().map(parts).collect();
        let d2 = Some("2025-01-02");
        assert_eq!(
            got,
            [
                (1, 2, Rel::Visited, ev("a", d2, "句一", (0, 2)), vec![]),
                (1, 3, Rel::Visited, ev("a", d2, "句一", (0, 2)), vec![4, 5]),
                (
                    6,
                    1,
                    Rel::Accompanied,
                    ev("a", None, "句二", (3, 5)),
                    vec![]
                ),
                (
                    1,
                    2,
                    Rel::Visited,
                    Evidence {
                        url: Some("http://x.cn/b.html".into()),
                        date_source: Some(DateSource::Published),
                        ..ev("b", Some("2025-01-03"), "句三", (0, 2))
                    },
                    vec![]
                ),
            ]
        );
        assert_eq!(
            b.text,
            "a句一2025-01-02句二bhttp://x.cn/b.html句三2025-01-03"
        );
        assert_eq!(b.ends(1), (1, 3, Rel::Visited, &[4, 5][..]));
        // And `Found`s packed one by one come back the same.
        let mut c = FoundBatch::new();
        for f in b.iter() {
            c.push_found(&f.to_found());
        }
        assert_eq!(c.iter().map(parts).collect::<Vec<_>>(), got);
        assert_eq!((c.len(), b.documents), (4, 0));
    }
}
