//! The subject of a cue: who visits. Walked back from the cue over the sentence's tokens.

use std::collections::BTreeSet;

use super::Ctx;
use super::sentence::Sentence;
use super::tokens::K;
use crate::dict::triggers::Cue;
use crate::page::normalize::is_han;

/// Who a cue's subject is.
pub(super) enum Subject {
    /// Named (or resolved from a title): these people lead.
    Explicit(Vec<usize>),
    /// A group word or nothing: the current leaders carry on.
    Carried,
    /// A title nobody on the page holds: the cue gives nothing. Whether the title heads a
    /// government (书记, 市长…: someone leads the visit, only unnamed) rather than being a
    /// member's (常委 of 人大常委会).
    Disabled(bool),
}

impl Ctx<'_> {
    /// The subject of the visit cue at `pos`: 甲率调研组来…, 甲带领委员赴… name it before the
    /// lead word when no other cue stands between; everyone named before the lead word leads
    /// (甲,乙率代表团…); `co_leads` (甲,乙一同…) win.
    pub(super) fn cue_subject(
        &self,
        s: &Sentence<'_>,
        pos: usize,
        co_leads: Option<Vec<usize>>,
    ) -> Subject {
        let walk_end = (0..pos)
            .rposition(|j| {
                matches!(
                    s.tok(j).cue(),
                    Some(Cue::Lead | Cue::Visit | Cue::Arrive | Cue::Inspect)
                )
            })
            .filter(|&k| s.tok(k).cue() == Some(Cue::Lead))
            .unwrap_or(pos);
        let mut co_leads = co_leads;
        // 在A,B,C的带领下: everyone named inside the phrase leads, the first-named first.
        if co_leads.is_none()
            && walk_end < pos
            && self
                .text(s.tok(walk_end).s, s.tok(walk_end).e + 1)
                .ends_with('下')
        {
            let lead = s.tok(walk_end);
            let open = (s.ss..lead.s)
                .rev()
                .find(|&p| self.ch(p) == '在')
                .unwrap_or(s.ss);
            let from = (0..walk_end)
                .find(|&j| s.tok(j).s > open)
                .unwrap_or(walk_end);
            let named = s.people_in(from..walk_end);
            if !named.is_empty() {
                co_leads = Some(named);
            }
        }
        if co_leads.is_none() && walk_end < pos {
            let named = s.people_in(0..walk_end);
            if named.len() >= 2 {
                co_leads = Some(named);
            }
        }
        match co_leads {
            Some(v) => Subject::Explicit(v),
            None => self.subject(s, walk_end),
        }
    }

    /// Walk back from position `end` of a sentence to its subject.
    pub(super) fn subject(&self, s: &Sentence<'_>, end: usize) -> Subject {
        let mut k = end;
        while k > 0 {
            k -= 1;
            let tok = s.tok(k);
            if s.in_host(tok) {
                continue;
            }
            let prev = (k > 0).then(|| s.tok(k - 1));
            match &tok.k {
                K::Person(p) => {
                    // 甲率乙、丙一行到…: people after a lead word (with no other cue since)
                    // are led; the subject is named before the lead word.
                    let lead = (0..k)
                        .rposition(|j| {
                            matches!(
                                s.tok(j).cue(),
                                Some(Cue::Lead | Cue::Visit | Cue::Arrive | Cue::Inspect)
                            )
                        })
                        .filter(|&l| s.tok(l).cue() == Some(Cue::Lead));
                    if let Some(l) = lead {
                        return self.subject(s, l);
                    }
                    return Subject::Explicit(self.co_leaders(s, k, *p));
                }
                // 甲率乙、丙…: who follows a lead word is led, never the subject.
                K::Cue(Cue::Lead, _) => return self.subject(s, k),
                // 乙、丙陪同,来到X: a clause of companions; the party goes on as led.
                K::Cue(Cue::Accompany, _) if matches!(self.ch(tok.e), ',' | ';') => {
                    return Subject::Carried;
                }
                K::Cue(Cue::Title, title) => {
                    if prev.is_some_and(|p| p.is_person() && p.e == tok.s) {
                        continue;
                    }
                    if let Some(found) = self.surname_title(s, k, title) {
                        return Subject::Explicit(vec![found]);
                    }
                    return match self.resolve_title(title, tok.place_q) {
                        Some(o) => Subject::Explicit(vec![o]),
                        None => Subject::Disabled(heads_government(title)),
                    };
                }
                K::Cue(Cue::Group, _) => {
                    // 甲一行, 市长一行, 区领导一行, 甲、乙等一行, and a delegation's name
                    // (全国政协调研组, 四川省党政代表团) whose leader is named before it.
                    let gap = prev.map_or("", |p| self.text(p.e, tok.s));
                    if prev.is_some_and(|p| {
                        p.is_person() && (matches!(gap, "等" | "等人") || honorific(gap))
                    }) || prev.is_some_and(|p| {
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

    /// The person at position `k` with the co-leaders named before it, each after a `、`
    /// and perhaps a short title with its place or body (甲、乙; 甲、省长乙; 省工商联副主席甲、
    /// 澄浦副市长乙).
    fn co_leaders(&self, s: &Sentence<'_>, k: usize, p: usize) -> Vec<usize> {
        let mut v = vec![p];
        let mut head = s.tok(k).s;
        let mut j = k;
        while j > 0 {
            let mut q = j - 1;
            while q > 0
                && (matches!(s.tok(q).k, K::Place(_) | K::Org(_))
                    || s.tok(q).cue() == Some(Cue::Title))
            {
                q -= 1;
            }
            let pt = s.tok(q);
            let gap = self.text(pt.e, head);
            // 甲书记、乙市长: an honorific after the name, then the mark.
            let gap = gap
                .find('、')
                .filter(|&i| honorific(&gap[..i]))
                .map_or(gap, |i| &gap[i..]);
            let title_like = gap.starts_with('、')
                && gap.chars().count() <= 12
                && !gap.contains([',', '。', ';', ':', '等']);
            match pt.k {
                K::Person(pp) if title_like => {
                    v.insert(0, pp);
                    head = pt.s;
                    j = q;
                }
                _ => break,
            }
        }
        v
    }

    /// A surname written before a title (屈市长): the one person of the page it fits.
    fn surname_title(&self, s: &Sentence<'_>, k: usize, title: &str) -> Option<usize> {
        let tok = s.tok(k);
        if tok.s == 0 {
            return None;
        }
        let sc = self.ch(tok.s - 1);
        let covered = k > 0 && s.tok(k - 1).e > tok.s - 1;
        if !is_han(sc) || covered {
            return None;
        }
        let mut found: Vec<usize> = self
            .people
            .iter()
            .copied()
            .filter(|&p| self.dict.entities[p].match_names[0].starts_with(sc))
            .collect();
        found.sort();
        found.dedup();
        if found.len() > 1 {
            found.retain(|&p| self.dict.posts_of(p).any(|q| q.title.ends_with(title)));
        }
        (found.len() == 1).then(|| found[0])
    }

    /// Resolve a title used without a name (`省长`, `无锡市委书记`).
    pub(super) fn resolve_title(&self, title: &str, place_q: Option<usize>) -> Option<usize> {
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
}

/// A title written after a name as an honorific (甲书记, 乙市长, 丙副省长, 丁同志): a
/// short run of Han characters ending in a head's word.
fn honorific(gap: &str) -> bool {
    let n = gap.chars().count();
    (2..=6).contains(&n)
        && gap.chars().all(is_han)
        && ["书记", "长", "主席", "主任", "同志", "委员", "总理"]
            .iter()
            .any(|t| gap.ends_with(t))
}

/// Whether a title heads a government, a party committee or a ministry: its holder leads
/// whatever visit he is the subject of.
fn heads_government(title: &str) -> bool {
    [
        "书记",
        "省长",
        "市长",
        "区长",
        "县长",
        "州长",
        "主席",
        "部长",
        "总理",
        "委员长",
        "主任",
    ]
    .iter()
    .any(|t| title.ends_with(t))
        && !title.starts_with('副')
}
