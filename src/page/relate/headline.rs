//! The headline: a visit it states (`甲调研X公司`, `甲到X公司调研`) that the body tells only
//! in part (`3月4日,甲一行察看了生产车间`: the visitor and the visit, never the firm).
//!
//! A preamble line is no body: site names, breadcrumbs and meta lines sit there too, and
//! related headlines are furniture. So the headline counts only as a witness: its visits are
//! kept when their visitor is one the body has visiting (a visitor of the body, or its
//! leader at the end), for organizations the body did not give him (a place in a headline
//! is the region of a tour), dated as the body's first event or its first date.

use super::dates::Dates;
use super::sentence::Sentence;
use super::targets::Rule;
use super::trace::Trace;
use super::{Ctx, Found, Walk};
use crate::page::document::{Document, ParaKind};

/// The longest preamble line read as a headline (characters).
const HEADLINE_MAX: usize = 60;

impl Ctx<'_> {
    /// Add to `walk` the visits the headline states and the body confirms.
    pub(super) fn headline_visits(
        &self,
        doc: &Document,
        dates: &Dates<'_>,
        walk: &mut Walk,
        tr: &mut Trace,
    ) {
        let visiting: Vec<usize> = walk
            .visits
            .iter()
            .map(|r| r.source)
            .chain(walk.leads.iter().copied())
            .collect();
        if visiting.is_empty() {
            return;
        }
        // The body's first event, else its first date (甲一行察看了生产车间 gave no visit).
        let date = walk.first_event_date.flatten().or_else(|| {
            (0..doc.sentences.len())
                .find_map(|i| dates.of(i).first())
                .and_then(|&(_, d)| crate::page::date::resolve(d, doc.pub_date))
        });
        for p in doc
            .paragraphs
            .iter()
            .filter(|p| p.kind == ParaKind::Preamble && p.end - p.start <= HEADLINE_MAX)
        {
            let s = Sentence::read(self, p.start, p.end, Vec::new());
            if !s.active {
                continue;
            }
            // The headline read on its own (no leader carried into it, no trace of what
            // is not kept).
            let mut alone = Walk::default();
            let mut found = Found::default();
            for pos in 0..s.idx.len() {
                self.visit_cue(
                    &s,
                    pos,
                    doc,
                    dates,
                    &mut alone,
                    &mut found,
                    &mut Trace::off(),
                );
            }
            for mut r in alone.visits {
                let told = walk
                    .visits
                    .iter()
                    .any(|v| v.source == r.source && v.target == r.target);
                // A place in a headline (甲赴陕西调研) is the region of a tour: the body names
                // where in it.
                let place = self.dict.entities[r.target].ty == crate::dict::EntityType::Place;
                if told || place || !visiting.contains(&r.source) {
                    continue;
                }
                tr.visit(self, None, r.source, r.target, Rule::Headline);
                r.date = date;
                walk.visits.push(r);
            }
        }
    }
}
