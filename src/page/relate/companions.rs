//! Companions: the officials named with a companion cue (`陪同`, `参加`, `一同` before them;
//! `随行领导有` after them), host side and executives left out, each tied to the page's lead.

use super::sentence::Sentence;
use super::trace::Trace;
use super::{Ctx, Found, Rel, Relation, Walk};
use crate::dict::triggers::Cue;

/// A companion found at a cue, before the page's leaders are all known.
pub(super) struct Pending {
    companion: usize,
    /// The leader current at the cue, if any.
    lead: Option<usize>,
    sentence: (usize, usize),
}

impl super::Walk {
    /// The date of the last visit told in a sentence before the one starting at `ss`
    /// (`None` when there is none; `Some(None)` when it had no date).
    pub(super) fn last_event_before(&self, ss: usize) -> Option<Option<super::Day>> {
        self.visits
            .iter()
            .rev()
            .find(|r| r.sentence.0 < ss)
            .map(|r| r.date)
    }

    /// A group visits with no leader named (老干部们察看…) after officials were said to go
    /// along with no leader known yet (甲、乙一同参加): the first of them leads, the others
    /// accompany him.
    pub(super) fn promote_companion(&mut self) -> Option<usize> {
        let i = self.companions.iter().position(|c| c.lead.is_none())?;
        let lead = self.companions.remove(i).companion;
        for c in self.companions.iter_mut().filter(|c| c.lead.is_none()) {
            c.lead = Some(lead);
        }
        self.leads = vec![lead];
        Some(lead)
    }
}

impl Ctx<'_> {
    /// The companions named in one sentence: the people before each `陪同`-like cue (since
    /// the previous one), or after each `随行领导有`-like cue; never the sentence's own
    /// visitors, host side or executives.
    pub(super) fn sentence_companions(
        &self,
        s: &Sentence<'_>,
        found: &Found,
        walk: &mut Walk,
        tr: &mut Trace,
    ) {
        let mut consumed = s.ss;
        for pos in 0..s.idx.len() {
            let tok = s.tok(pos);
            if tok.cue() == Some(Cue::Host) {
                self.host_companions(s, pos, found, walk, tr);
                continue;
            }
            let after = match tok.cue() {
                Some(Cue::Accompany) => self.lists_after(s, pos),
                Some(Cue::AccompanyAfter) => true,
                _ => continue,
            };
            if s.in_host(tok) || s.reception.contains(&s.clause_of(tok.s)) {
                continue;
            }
            let people: Vec<usize> = if after {
                s.people_in(pos + 1..s.idx.len())
            } else {
                let from = (0..pos).find(|&j| s.tok(j).s >= consumed).unwrap_or(pos);
                let mut v = if consumed == s.ss {
                    std::mem::take(&mut walk.list_before)
                } else {
                    Vec::new()
                };
                v.extend(s.people_in(from..pos));
                v
            };
            consumed = tok.e;
            for p in people {
                if found.subjects.contains(&p) || !self.is_official(p) {
                    continue;
                }
                tr.companion(
                    self,
                    tok,
                    p,
                    if after {
                        "listed after"
                    } else {
                        "listed before"
                    },
                );
                walk.companions.push(Pending {
                    companion: p,
                    lead: walk.leads.first().copied(),
                    sentence: (s.ss, s.se),
                });
            }
        }
    }

    /// An accompany cue that opens a list (`陪同调研的市领导有…`, `參加考察的省領導還有…`):
    /// the visit cue right after it, then `的`, then within a few characters of the same
    /// clause `有` or `是` (the lexicon's `陪同调研的有` rows, with any leaders' word between).
    fn lists_after(&self, s: &Sentence<'_>, pos: usize) -> bool {
        let Some(next) = (pos + 1 < s.idx.len()).then(|| s.tok(pos + 1)) else {
            return false;
        };
        if next.cue() != Some(Cue::Visit) || next.s != s.tok(pos).e || self.ch(next.e) != '的' {
            return false;
        }
        (next.e + 1..(next.e + 8).min(s.se))
            .map(|i| self.ch(i))
            .take_while(|c| !matches!(c, ',' | '。' | ';' | ':' | '、'))
            .any(|c| matches!(c, '有' | '是'))
    }

    /// The officials inside the host phrase ending at the cue at `pos` (在A、B的陪同下):
    /// companions when they hold government or party posts; executives stay host side.
    fn host_companions(
        &self,
        s: &Sentence<'_>,
        pos: usize,
        found: &Found,
        walk: &mut Walk,
        tr: &mut Trace,
    ) {
        let tok = s.tok(pos);
        let Some(&(a, b)) = s.host.iter().find(|&&(_, b)| b == tok.e) else {
            return;
        };
        for k in 0..pos {
            let t = s.tok(k);
            let super::tokens::K::Person(p) = t.k else {
                continue;
            };
            if t.s < a || t.e > b || found.subjects.contains(&p) || !self.is_official(p) {
                continue;
            }
            tr.companion(self, tok, p, "inside the host phrase");
            walk.companions.push(Pending {
                companion: p,
                lead: walk.leads.first().copied(),
                sentence: (s.ss, s.se),
            });
        }
    }

    /// The members a lead word names (甲率乙、丙一行…): companions of the leader.
    pub(super) fn members(
        &self,
        s: &Sentence<'_>,
        from: usize,
        to: usize,
        lead: usize,
        walk: &mut Walk,
        tr: &mut Trace,
    ) {
        for p in s.people_in(from..to) {
            if p == lead || !self.is_official(p) {
                continue;
            }
            tr.companion(
                self,
                s.tok(from.saturating_sub(1)),
                p,
                "named after the lead word",
            );
            walk.companions.push(Pending {
                companion: p,
                lead: Some(lead),
                sentence: (s.ss, s.se),
            });
        }
    }

    /// The page's visits, then its companion edges: only of a leader with visits on the
    /// page, never a co-leader. Officials of the visited side who go along accompany the
    /// lead too (the convention of 2026-12-07): only executives and business people are
    /// host side, and they were never collected.
    pub(super) fn companion_edges(&self, walk: Walk, tr: &mut Trace) -> Vec<Relation> {
        let visits = walk.visits;
        let mut out = visits.clone();
        let mut seen: rustc_hash::FxHashSet<(usize, usize)> = Default::default();
        let visitors: std::collections::BTreeSet<usize> = visits.iter().map(|r| r.source).collect();
        let first_lead = visits.first().map(|r| r.source);
        let date = walk
            .first_event_date
            .flatten()
            .or_else(|| visits.first().and_then(|r| r.date));
        for Pending {
            companion: p,
            lead,
            sentence,
        } in walk.companions
        {
            let Some(lead) = lead.or(first_lead) else {
                tr.companion_end(self, p, None, "dropped: no lead");
                continue;
            };
            if p == lead || visitors.contains(&p) || !visitors.contains(&lead) {
                tr.companion_end(
                    self,
                    p,
                    Some(lead),
                    "dropped: a visitor, or a lead without visits",
                );
                continue;
            }
            if !seen.insert((p, lead)) {
                continue;
            }
            tr.companion_end(self, p, Some(lead), "accompanied");
            out.push(Relation {
                source: p,
                target: lead,
                rel: Rel::Accompanied,
                date,
                date_source: crate::page::DateSource::Text,
                sentence,
                ambiguous: Vec::new(),
            });
        }
        out
    }
}
