//! The pipeline for one page: text in, [`Found`] relations with their evidence out.
//!
//! ```
//! use visitgraph::dictionary::DictionaryBuilder;
//! use visitgraph::pipeline::Extractor;
//! let ex = Extractor::new(DictionaryBuilder::new().build().unwrap()).unwrap();
//! let found = ex.extract("a.txt", "标题\n发布时间:2025-01-02\n\n1月2日,某某在会上讲话。\n");
//! assert!(found.is_empty());
//! ```

use crate::date;
use crate::dictionary::Dictionary;
use crate::document;
use crate::error::{Error, Result};
use crate::matcher::Matcher;
use crate::relate::{Rel, relate};

/// Where an edge was read: the document, the date, and the sentence as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    /// Document name.
    pub doc: String,
    /// Event date `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// The sentence, quoted from the original text.
    pub sentence: String,
    /// Start of the sentence in the original document, in Unicode characters.
    pub start: usize,
    /// End (exclusive), in Unicode characters.
    pub end: usize,
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
    matcher: Matcher,
}

impl Extractor {
    /// Compile a dictionary.
    pub fn new(dict: Dictionary) -> Result<Extractor> {
        // jieba's dictionary (needed to check short names) loads on another core while the
        // automaton compiles, instead of inside the first page that needs it.
        let matcher = std::thread::scope(|s| {
            s.spawn(crate::matcher::jieba);
            Matcher::new(&dict)
        })
        .map_err(Error::Usage)?;
        Ok(Extractor { dict, matcher })
    }

    /// The compiled matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Run the whole pipeline over one page.
    pub fn extract(&self, doc_name: &str, original: &str) -> Vec<Found> {
        self.extract_with(doc_name, original, None)
    }

    /// Run the pipeline over one page whose source gives a publication date (a JSON Lines
    /// record's `published`, `YYYY-MM-DD…`): it stands in when the page itself shows none,
    /// or shows no year.
    pub fn extract_with(
        &self,
        doc_name: &str,
        original: &str,
        published: Option<&str>,
    ) -> Vec<Found> {
        // Normalized and, on the way, encoded for the matcher's automaton.
        let n = self.matcher.normalize(original);
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
        let scan = self.matcher.scan(&n, &ranges);
        let cues = &scan.cues;
        // Relations start at a visit cue: a page without one (a meeting, a digest) needs
        // nothing more.
        if !cues.iter().any(|c| {
            matches!(
                c.cue,
                crate::matcher::Cue::Visit
                    | crate::matcher::Cue::Arrive
                    | crate::matcher::Cue::Inspect
            )
        }) {
            return Vec::new();
        }
        let ents = self.matcher.entities_of_scan(&n, &scan);
        let rels = relate(&self.dict, &n, &doc, &ents, cues);
        rels.into_iter()
            .map(|r| {
                // Evidence offsets are characters of the original page.
                let quote = n.orig_str(original, r.sentence.0, r.sentence.1);
                let (s, e) = n.orig_span(r.sentence.0, r.sentence.1);
                Found {
                    source: r.source,
                    target: r.target,
                    rel: r.rel,
                    evidence: Evidence {
                        doc: doc_name.to_string(),
                        date: r.date.map(date::format),
                        sentence: quote.to_string(),
                        start: s,
                        end: e,
                    },
                    ambiguous: r.ambiguous,
                }
            })
            .collect()
    }
}
