//! A visit cue in order: vetoes, subject, targets, then the edges; and the scene a sentence
//! opening `在ORG,` sets without a cue.

use super::dates::Dates;
use super::sentence::Sentence;
use super::subject::Subject;
use super::targets::{CueReach, Rule, Target};
use super::trace::Trace;
use super::veto::{self, Veto};
use super::{Ctx, Found, Rel, Relation, Walk};
use crate::dict::triggers::Cue;
use crate::page::document::Document;

impl Ctx<'_> {
    /// The visits of the cue at position `pos` (nothing unless it is a visit, movement or
    /// looking-into cue).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn visit_cue(
        &self,
        s: &Sentence<'_>,
        pos: usize,
        doc: &Document,
        dates: &Dates<'_>,
        walk: &mut Walk,
        found: &mut Found,
        tr: &mut Trace,
    ) {
        let tok = s.tok(pos);
        let cue = match tok.cue() {
            Some(c @ (Cue::Visit | Cue::Arrive | Cue::Inspect)) => c,
            _ => return,
        };
        let visitors = match self.cue_visitors(s, pos, walk) {
            Ok(v) => v,
            Err(v) => return tr.veto(self, tok, v),
        };
        // 甲率乙、丙一行…: the members named after the lead word go along.
        if let Some(k) = (0..pos)
            .rposition(|j| {
                matches!(
                    s.tok(j).cue(),
                    Some(Cue::Lead | Cue::Visit | Cue::Arrive | Cue::Inspect)
                )
            })
            .filter(|&k| s.tok(k).cue() == Some(Cue::Lead))
        {
            self.members(s, k + 1, pos, visitors[0], walk, tr);
        }
        let reach = self.reach(s, pos, cue);
        found.subjects.extend(visitors.iter().copied());
        let mut targets = self.targets(s, pos, &reach, doc).0;
        if targets.is_empty()
            && let Some((t, amb)) = self.escort(s, pos)
        {
            targets.push((t, amb, Rule::Escort));
        }
        if targets.is_empty() {
            return tr.veto(self, tok, Veto::NoTarget);
        }
        let last = walk.last_event_before(s.ss);
        let date = dates.event_date(tok.s, s.ss, &mut walk.first_event_date, last);
        let paired = self.respectively(s, pos, visitors.len(), &targets);
        for (i, &v) in visitors.iter().enumerate() {
            for (j, (tg, amb, rule)) in targets.iter().enumerate() {
                if paired && j < visitors.len() && i != j {
                    continue;
                }
                let r = Relation {
                    source: v,
                    target: *tg,
                    rel: Rel::Visited,
                    date,
                    date_source: crate::page::DateSource::Text,
                    sentence: (s.ss, s.se),
                    ambiguous: amb.clone(),
                };
                if walk.seen_visits.insert((v, *tg, r.sentence)) {
                    tr.visit(self, Some(tok), v, *tg, *rule);
                    walk.visits.push(r);
                }
            }
        }
        found
            .targets
            .extend(targets.into_iter().map(|(t, amb, _)| (t, amb)));
    }

    /// 甲、乙分别到A、B调研: as many visitors as listed targets, `分别` (respectively) right
    /// before the cue: the first visits the first, the second the second (the targets of
    /// the list come first, in text order; any other target is everyone's).
    fn respectively(
        &self,
        s: &Sentence<'_>,
        pos: usize,
        visitors: usize,
        targets: &[Target],
    ) -> bool {
        let listed = targets
            .iter()
            .take_while(|t| matches!(t.2, Rule::Destination | Rule::AfterCue))
            .count();
        let before = if pos > 0 { s.tok(pos - 1).e } else { s.ss };
        visitors >= 2 && listed == visitors && self.text(before, s.tok(pos).s).ends_with("分别")
    }

    /// The visitors of the cue at `pos`, or the veto that stops it. An explicit subject of
    /// officials becomes the current leaders (a leader already leading keeps the others:
    /// 甲、乙 then 乙 alone).
    fn cue_visitors(
        &self,
        s: &Sentence<'_>,
        pos: usize,
        walk: &mut Walk,
    ) -> Result<Vec<usize>, Veto> {
        let leads = &mut walk.leads;
        if let Some(v) = veto::clause_veto(self, s, pos) {
            return Err(v);
        }
        let co_leads = veto::companion_cue(self, s, pos, leads)?;
        if veto::modal(s, pos) {
            return Err(Veto::Modal);
        }
        if veto::speech(s, pos) {
            return Err(Veto::Speech);
        }
        let visitors = match self.cue_subject(s, pos, co_leads) {
            Subject::Disabled(head) => {
                walk.unresolved_lead = head && walk.leads.is_empty();
                return Err(Veto::UnresolvedTitle);
            }
            Subject::Explicit(v) => {
                if v.iter().any(|&p| !self.is_official(p)) {
                    return Err(Veto::Executive);
                }
                if veto::business(self, s, pos) {
                    return Err(Veto::Business);
                }
                if !v.iter().all(|p| leads.contains(p)) {
                    *leads = v.clone();
                    v
                } else if v.len() == 1
                    && leads.first() == v.first()
                    && self.text(s.ss, s.tok(pos).s).contains("一行")
                {
                    // 甲一行 after 甲,乙带队…: the group of the co-leaders, both of them.
                    leads.clone()
                } else {
                    v
                }
            }
            Subject::Carried if leads.is_empty() && walk.unresolved_lead => {
                return Err(Veto::UnresolvedTitle);
            }
            Subject::Carried if leads.is_empty() => {
                match self.delegation_lead().or_else(|| walk.promote_companion()) {
                    Some(p) => {
                        walk.leads = vec![p];
                        vec![p]
                    }
                    None => Vec::new(),
                }
            }
            Subject::Carried => leads.clone(),
        };
        if visitors.is_empty() {
            return Err(Veto::NoVisitor);
        }
        Ok(visitors)
    }

    /// A delegation named by its place (宜宾党政代表团, 德州市考察团) visits with no leader
    /// named at the cue: its leader is the first official named on the page whose
    /// jurisdiction lies in that place.
    fn delegation_lead(&self) -> Option<usize> {
        // A delegation's name (…团, …组), not a group of local leaders (市领导).
        let place = self.toks.iter().find_map(|t| match t.k {
            super::tokens::K::Cue(Cue::Group, w) if w.contains(['团', '组']) => t.place_q,
            _ => None,
        })?;
        self.people.iter().copied().find(|&o| {
            self.is_official(o)
                && self
                    .dict
                    .official_place(o, self.anchor)
                    .is_some_and(|pl| self.dict.within(pl, place))
        })
    }

    /// How the cue reaches its targets: a movement cue needs its destination right after
    /// it; without one (走进研发中心) it only confirms the scene the sentence set (在X, 在X的
    /// 陪同下).
    fn reach(&self, s: &Sentence<'_>, pos: usize, cue: Cue) -> CueReach {
        let (dest, weak) = if cue == Cue::Arrive {
            let after: Vec<_> = (pos + 1..s.idx.len()).map(|k| s.tok(k)).collect();
            match self.destination(&after, s.tok(pos).e) {
                Some(d) => (Some(d), false),
                None => (None, true),
            }
        } else {
            (None, false)
        };
        CueReach { cue, dest, weak }
    }

    /// A scene opener: 在X公司, 市委书记一行登上… — the sentence's subject was at X.
    pub(super) fn scene_visit(
        &self,
        s: &Sentence<'_>,
        doc: &Document,
        dates: &Dates<'_>,
        walk: &mut Walk,
        found: &mut Found,
        tr: &mut Trace,
    ) {
        let _ = doc;
        let scene = self.scene(s).or_else(|| self.reported_scene(s));
        let Some((scene, subj_end)) = scene.or_else(|| self.welcomed_scene(s)) else {
            return;
        };
        let already = found.targets.iter().any(|(x, _)| *x == scene.0);
        let visitors = match self.subject(s, subj_end) {
            Subject::Explicit(v) if v.iter().all(|&p| self.is_official(p)) => {
                if !v.iter().all(|p| walk.leads.contains(p)) {
                    walk.leads = v.clone();
                }
                v
            }
            Subject::Carried => walk.leads.clone(),
            _ => Vec::new(),
        };
        if already || visitors.is_empty() {
            return;
        }
        let last = walk.last_event_before(s.ss);
        let date = dates.event_date(s.ss, s.ss, &mut walk.first_event_date, last);
        for &v in &visitors {
            found.subjects.insert(v);
            tr.visit(self, None, v, scene.0, Rule::Scene);
            walk.visits.push(Relation {
                source: v,
                target: scene.0,
                rel: Rel::Visited,
                date,
                date_source: crate::page::DateSource::Text,
                sentence: (s.ss, s.se),
                ambiguous: scene.1.clone(),
            });
        }
    }
}
