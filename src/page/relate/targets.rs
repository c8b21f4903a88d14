//! Targets: what a visit cue reaches. One function per rule; [`Rule`] names them in a trace.

use super::Ctx;
use super::sentence::Sentence;
use super::tokens::{K, Tok};
use crate::dict::triggers::Cue;
use crate::page::document::{Document, ParaKind};

/// How many sentences back a back-reference (该公司) looks for its organization.
const ANTECEDENT_REACH: usize = 12;

/// What may stand between two items of a target list.
const LIST_SEPS: &[char] = &['、', '和', '及', '与', ' ', '\n', '\r', '以'];

/// The rule that made a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The destination of a movement cue and the list continuing it (`来到A、B`).
    Destination,
    /// A back-reference right after a looking-into cue (`了解该企业`).
    InspectReference,
    /// An organization (or back-reference) after the cue in its clause.
    AfterCue,
    /// A place right after an inspection cue (`调研黄埔区`).
    PlaceAfterCue,
    /// The organization of a host phrase (`在公司董事长X的陪同下`).
    HostPhrase,
    /// `在ORG` (and the list it opens) or `在PLACE调研` before the cue.
    Locative,
    /// `对A、B等企业` before the cue in its clause.
    ObjectBefore,
    /// A sentence opening `在ORG,` followed by its subject (no cue needed).
    Scene,
    /// A visit the headline states, its visitor visiting in the body.
    Headline,
    /// The firm of an executive who escorts the visitor (`X公司董事长乙陪同甲参观`).
    Escort,
}

impl Rule {
    /// The rule's name in a trace.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Destination => "destination",
            Rule::InspectReference => "inspect-reference",
            Rule::AfterCue => "after-cue",
            Rule::PlaceAfterCue => "place-after-cue",
            Rule::HostPhrase => "host-phrase",
            Rule::Locative => "locative",
            Rule::ObjectBefore => "object-before",
            Rule::Scene => "scene",
            Rule::Headline => "headline",
            Rule::Escort => "escort",
        }
    }
}

/// A target with the other readings of its name and the rule that found it.
pub(super) type Target = (usize, Vec<usize>, Rule);

/// Targets of one cue, each once (the first rule to find it names it).
#[derive(Default)]
pub(super) struct Targets(pub(super) Vec<Target>);

impl Targets {
    fn add(&mut self, x: Option<(usize, Vec<usize>)>, rule: Rule) {
        if let Some((t, amb)) = x
            && !self.0.iter().any(|(a, _, _)| *a == t)
        {
            self.0.push((t, amb, rule));
        }
    }
}

/// How a visit cue reaches its targets.
pub(super) struct CueReach {
    pub(super) cue: Cue,
    /// A movement cue's destination (its position in the sentence).
    pub(super) dest: Option<usize>,
    /// A movement cue without a destination: it only confirms the scene the sentence set.
    pub(super) weak: bool,
}

impl Ctx<'_> {
    /// Every target of the visit cue at `pos`, rule by rule.
    pub(super) fn targets(
        &self,
        s: &Sentence<'_>,
        pos: usize,
        reach: &CueReach,
        doc: &Document,
    ) -> Targets {
        let mut out = Targets::default();
        if let Some(d) = reach.dest {
            for x in self.list_from(s, pos + 1 + d, doc) {
                out.add(Some(x), Rule::Destination);
            }
        }
        if reach.cue == Cue::Inspect {
            out.add(self.inspect_reference(s, pos, doc), Rule::InspectReference);
        }
        if !reach.weak && reach.cue != Cue::Inspect {
            for k in pos + 1..s.idx.len() {
                for x in self.after_cue(s, pos, k, doc) {
                    out.add(Some(x), Rule::AfterCue);
                }
            }
            if !out.0.is_empty() {
                for x in self.list_continued(s, pos) {
                    out.add(Some(x), Rule::AfterCue);
                }
            }
        }
        if reach.cue == Cue::Visit && !reach.weak {
            out.add(self.place_after_cue(s, pos), Rule::PlaceAfterCue);
        }
        // 走到A、B等展台前: the firms' booths at a fair, not the firms.
        let rest = self.text(s.tok(pos).e, s.bounds[s.clause_of(s.tok(pos).s) + 1]);
        if rest.contains("展台") || rest.contains("展位") {
            out.0
                .retain(|t| !matches!(t.2, Rule::Destination | Rule::AfterCue));
        }
        // Before the cue: host phrases, 在ORG (the sentence's scene, a list too) and
        // 在PLACE调研, and 对A、B等企业逐一走访.
        for k in 0..pos {
            if s.in_host(s.tok(k)) {
                for x in self.host_phrase(s, k, doc) {
                    out.add(Some(x), Rule::HostPhrase);
                }
            } else if let Some(x) = self.locative(s, k) {
                let list = matches!(s.tok(k).k, K::Org(_)) && self.before_cue_list(s, k, pos);
                if list {
                    for x in self.list_from(s, k, doc) {
                        out.add(Some(x), Rule::Locative);
                    }
                } else {
                    out.add(Some(x), Rule::Locative);
                }
            } else if self.object_before(s, k, pos) {
                for x in self.list_from(s, k, doc) {
                    out.add(Some(x), Rule::ObjectBefore);
                }
            }
        }
        out
    }

    /// A visit told through its host (`X公司董事长乙陪同甲参观了生产车间`): a cue with no
    /// target whose subject is named right after `陪同`, the escort before it an executive.
    /// The executive's firm: the organization named just before them in the clause, else
    /// the firm of their post.
    pub(super) fn escort(&self, s: &Sentence<'_>, pos: usize) -> Option<(usize, Vec<usize>)> {
        let clause = s.clause_of(s.tok(pos).s);
        let same = |j: usize| s.clause_of(s.tok(j).s) == clause;
        // 乙陪同甲: the subject, the cue before it, the escort before that.
        let subj = (0..pos).rev().find(|&j| s.tok(j).is_person() && same(j))?;
        // 陪同甲, 陪同市长甲: the subject's own titles may stand between.
        let mut cue = subj.checked_sub(1)?;
        while s.tok(cue).cue() == Some(Cue::Title) && s.tok(cue).e == s.tok(cue + 1).s {
            cue = cue.checked_sub(1)?;
        }
        if s.tok(cue).cue() != Some(Cue::Accompany) || s.tok(cue).e != s.tok(cue + 1).s {
            return None;
        }
        let escort = cue.checked_sub(1).filter(|&j| same(j))?;
        let K::Person(p) = s.tok(escort).k else {
            return None;
        };
        if self.is_official(p) {
            return None;
        }
        let named = (0..escort)
            .rev()
            .take_while(|&j| same(j))
            .find(|&j| matches!(s.tok(j).k, K::Org(_)))
            .and_then(|j| self.target_org(s, j));
        named.or_else(|| {
            self.dict
                .posts_of(p)
                .find(|q| q.held_on(self.anchor) && self.dict.is_host_org(q.jurisdiction))
                .map(|q| (q.jurisdiction, Vec::new()))
        })
    }

    /// A back-reference right after a looking-into cue (了解该企业).
    fn inspect_reference(
        &self,
        s: &Sentence<'_>,
        pos: usize,
        doc: &Document,
    ) -> Option<(usize, Vec<usize>)> {
        let tok = s.tok(pos);
        let next = (pos + 1 < s.idx.len()).then(|| s.tok(pos + 1))?;
        if next.s <= tok.e + 1 && next.cue() == Some(Cue::Anaphor) {
            return self.antecedent(next.s, s.ss, doc).map(|x| (x, Vec::new()));
        }
        None
    }

    /// The token at `k`, after the cue at `pos` in its clause: an organization, or a
    /// back-reference (`该…`, or any right after the cue).
    fn after_cue(
        &self,
        s: &Sentence<'_>,
        pos: usize,
        k: usize,
        doc: &Document,
    ) -> Vec<(usize, Vec<usize>)> {
        let tok = s.tok(pos);
        let tj = s.tok(k);
        if s.clause_of(tj.s) != s.clause_of(tok.s) || s.in_host(tj) {
            return Vec::new();
        }
        let mut out = Vec::new();
        out.extend(self.target_org(s, k));
        if let K::Cue(Cue::Anaphor, w) = &tj.k
            && (w.starts_with('该') || tj.s <= tok.e + 1)
            && let Some(x) = self.antecedent(tj.s, s.ss, doc)
        {
            out.push((x, Vec::new()));
        }
        out
    }

    /// The clauses after the cue's that only go on with its list of organizations (走访了A、B,
    /// 江苏C、D,以及深圳的E和F): each opens (after 以及, 及, 和 or 还有) with an organization,
    /// or a place and then one, and gives its organizations up to its first cue.
    fn list_continued(&self, s: &Sentence<'_>, pos: usize) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        let mut clause = s.clause_of(s.tok(pos).s) + 1;
        while clause + 1 < s.bounds.len() {
            let (cs, ce) = (s.bounds[clause], s.bounds[clause + 1]);
            let ks: Vec<usize> = (0..s.idx.len())
                .filter(|&k| s.tok(k).s >= cs && s.tok(k).e <= ce)
                .collect();
            let Some(&first) = ks.first() else { break };
            let lead_in = self.text(cs, s.tok(first).s);
            let opens = matches!(lead_in, "" | "以及" | "及" | "和" | "还有" | "并")
                && match s.tok(first).k {
                    K::Org(_) => true,
                    K::Place(_) => ks.get(1).is_some_and(|&k| matches!(s.tok(k).k, K::Org(_))),
                    _ => false,
                };
            if !opens {
                break;
            }
            // Names in a list end at a separator, 等 or the clause's end (A公司负责人介绍…
            // is a new sentence part, not the list).
            let listed = |k: usize| {
                let t = s.tok(k);
                !matches!(t.k, K::Org(_))
                    || matches!(
                        self.ch(t.e),
                        '、' | '和' | '及' | '与' | '等' | ',' | ';' | '。'
                    )
                    || (k + 1 < s.idx.len() && s.tok(k + 1).s == t.e)
            };
            if !ks
                .iter()
                .take_while(|&&k| s.tok(k).cue().is_none())
                .all(|&k| listed(k))
            {
                break;
            }
            for &k in ks.iter().take_while(|&&k| s.tok(k).cue().is_none()) {
                out.extend(self.target_org(s, k));
            }
            clause += 1;
        }
        out
    }

    /// A place right after an inspection cue (调研黄埔区…).
    fn place_after_cue(&self, s: &Sentence<'_>, pos: usize) -> Option<(usize, Vec<usize>)> {
        let next = (pos + 1 < s.idx.len()).then(|| s.tok(pos + 1))?;
        match next.k {
            K::Place(p) if next.s == s.tok(pos).e && self.place_destination(s, pos + 1) => {
                Some((p, Vec::new()))
            }
            _ => None,
        }
    }

    /// A token of a host phrase: its organization, a back-reference, or the organization of
    /// a host person's post (公司董事长X).
    fn host_phrase(&self, s: &Sentence<'_>, k: usize, doc: &Document) -> Vec<(usize, Vec<usize>)> {
        let tj = s.tok(k);
        match &tj.k {
            // A party committee or government named in a companion's title is not visited.
            K::Org(_) => self
                .target_org(s, k)
                .filter(|(o, _)| self.dict.is_host_org(*o))
                .into_iter()
                .collect(),
            K::Cue(Cue::Anaphor, _) => self
                .antecedent(tj.s, s.ss, doc)
                .map(|x| (x, Vec::new()))
                .into_iter()
                .collect(),
            K::Person(p) => self
                .dict
                .posts_of(*p)
                .filter(|q| q.held_on(self.anchor))
                .filter(|q| {
                    self.dict.is_host_org(q.jurisdiction) && self.targetable(q.jurisdiction)
                })
                .map(|q| (q.jurisdiction, Vec::new()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// May the organization at `k` (before the cue at `pos`) open a list of targets: no
    /// other visit cue between them.
    fn before_cue_list(&self, s: &Sentence<'_>, k: usize, pos: usize) -> bool {
        !(k + 1..pos).any(|j| {
            matches!(
                s.tok(j).cue(),
                Some(Cue::Visit | Cue::Arrive | Cue::Inspect)
            )
        })
    }

    /// An organization list introduced by `对` before the cue in its clause (对A、B等8家企业
    /// 逐一走访): the cue's object written before it.
    fn object_before(&self, s: &Sentence<'_>, k: usize, pos: usize) -> bool {
        let t = s.tok(k);
        matches!(t.k, K::Org(_))
            && t.s > 0
            && self.ch(t.s - 1) == '对'
            && s.clause_of(t.s) == s.clause_of(s.tok(pos).s)
            && self.before_cue_list(s, k, pos)
    }

    /// `在` + a short description + ORG + a visit cue right after it (在民营龙头临溪精工厂调研).
    fn qualified_locative(&self, s: &Sentence<'_>, k: usize) -> Option<(usize, Vec<usize>)> {
        let tj = s.tok(k);
        let K::Org(_) = tj.k else { return None };
        let prev_end = if k > 0 { s.tok(k - 1).e } else { s.ss };
        let from = tj.s.saturating_sub(7).max(prev_end);
        let open = (from..tj.s).rev().find(|&p| self.ch(p) == '在')?;
        let gap = self.text(open + 1, tj.s);
        let next = (k + 1 < s.idx.len()).then(|| s.tok(k + 1))?;
        let plain = gap.chars().all(crate::page::normalize::is_han);
        (plain && next.s == tj.e && next.cue() == Some(Cue::Visit))
            .then(|| self.target_org(s, k))?
    }

    /// `在ORG` before the cue, or `在PLACE调研` / `在PLACE就…`.
    fn locative(&self, s: &Sentence<'_>, k: usize) -> Option<(usize, Vec<usize>)> {
        let tj = s.tok(k);
        if tj.s == 0 || self.ch(tj.s - 1) != '在' {
            return self.qualified_locative(s, k);
        }
        match tj.k {
            // 在A展台: a firm's booth at a fair, not the firm.
            K::Org(_) if self.booth(tj.e) => None,
            K::Org(_) => self.target_org(s, k),
            K::Place(p) => {
                let next = (k + 1 < s.idx.len()).then(|| s.tok(k + 1));
                let follows = self.text(tj.e, (tj.e + 2).min(s.se));
                (self.place_destination(s, k)
                    && (next.is_some_and(|nt| nt.s <= tj.e + 1 && nt.cue() == Some(Cue::Visit))
                        || follows.starts_with('就')))
                .then(|| (p, Vec::new()))
            }
            _ => None,
        }
    }

    /// A sentence opening with `在ORG,` whose next clause starts with a subject (a name, a
    /// title or a group word): the organization, and the position just past the subject.
    pub(super) fn scene(&self, s: &Sentence<'_>) -> Option<((usize, Vec<usize>), usize)> {
        let tok = s.tok(0);
        let start = *s.bounds.first()?;
        let end1 = *s.bounds.get(1)?;
        if !matches!(tok.k, K::Org(_)) || tok.s != start + 1 || self.ch(start) != '在' {
            return None;
        }
        // The first clause is 在ORG plus at most a few characters (现场, 车间).
        if end1 > tok.e + 5 || (1..s.idx.len()).any(|j| s.tok(j).s < end1 && s.tok(j).s >= tok.e) {
            return None;
        }
        if self.booth(tok.e) {
            return None;
        }
        let target = self.target_org(s, 0)?;
        let k = (0..s.idx.len()).position(|j| s.tok(j).s >= end1)?;
        if s.tok(k).s != end1 {
            return None;
        }
        let (k, last) = subject_run(s, k);
        last.map(|_| (target, k))
    }

    /// A sentence opening `在ORG(的会议室…),` where someone reports to an official (厂长向
    /// 郜文博省长通报了…, 向甲汇报): the organization, and the position just past that
    /// official (the subject a walk back from there finds).
    pub(super) fn reported_scene(&self, s: &Sentence<'_>) -> Option<((usize, Vec<usize>), usize)> {
        let tok = s.tok(0);
        let start = *s.bounds.first()?;
        let end1 = *s.bounds.get(1)?;
        if !matches!(tok.k, K::Org(_)) || tok.s != start + 1 || self.ch(start) != '在' {
            return None;
        }
        if end1 > tok.e + 6 || self.booth(tok.e) {
            return None;
        }
        let target = self.target_org(s, 0)?;
        let k = (1..s.idx.len()).find(|&k| {
            let t = s.tok(k);
            t.is_person() && t.s >= end1 && self.ch(t.s - 1) == '向' && {
                let after = self.text(t.e, t.e + 6);
                ["汇报", "通报", "介绍"].iter().any(|w| after.contains(w))
            }
        })?;
        Some((target, k + 1))
    }

    /// Do the characters at `at` say `迎来` (a host welcoming its visitors)?
    pub(super) fn welcomes_after(&self, at: usize) -> bool {
        self.welcome_len(at) > 0
    }

    /// The length of `迎来了` or `迎来` at `at`, else 0.
    fn welcome_len(&self, at: usize) -> usize {
        match self.text(at, at + 3) {
            t if t.starts_with("迎来了") => 3,
            t if t.starts_with("迎来") => 2,
            _ => 0,
        }
    }

    /// A host welcoming its visitors (`澄湖微纳公司迎来省长甲一行`, `7月9日,X迎来了甲`): the
    /// organization opening a clause, then `迎来`, then the officials (titles, names, 一行)
    /// right after it, who visited it.
    pub(super) fn welcomed_scene(&self, s: &Sentence<'_>) -> Option<((usize, Vec<usize>), usize)> {
        let tok = s.tok(0);
        if !matches!(tok.k, K::Org(_)) || !s.bounds.contains(&tok.s) || self.booth(tok.e) {
            return None;
        }
        let from = tok.e + self.welcome_len(tok.e);
        if from == tok.e || s.idx.len() < 2 || s.tok(1).s != from {
            return None;
        }
        let target = self.target_org(s, 0)?;
        let (k, last) = subject_run(s, 1);
        let person = (1..k).any(|j| s.tok(j).is_person());
        (last.is_some() && person).then_some((target, k))
    }

    /// The first destination after a movement cue ending at `end`, as an offset into the
    /// tokens after the cue (`after`): right after it (`来到X`, `来到了X`), after a place
    /// qualifier (`来到位于A的X`), or after a short unpunctuated description ending in an
    /// apposition (`走进园区入驻企业X`).
    pub(super) fn destination(&self, after: &[&Tok<'_>], end: usize) -> Option<usize> {
        let mut from = end + usize::from(self.ch(end) == '了');
        // A qualifier 位于A的 is skipped whole.
        if let Some(tok) = after.first()
            && tok.cue() == Some(Cue::Locative)
            && tok.s <= from
        {
            let de = (tok.e..tok.e + 20).find(|&p| self.ch(p) == '的')?;
            from = de + 1;
        }
        // A place qualifier without 位于 (来到红花岗区的X) is skipped too.
        if let Some(tok) = after.iter().find(|t| t.s >= from)
            && tok.s == from
            && matches!(tok.k, K::Place(_))
            && self.ch(tok.e) == '的'
        {
            from = tok.e + 1;
        }
        let stop = (from..from + 9)
            .find(|&p| matches!(self.ch(p), ',' | '。' | ';' | ':' | '!' | '?' | '\0'))
            .unwrap_or(from + 9);
        for (k, tok) in after.iter().enumerate() {
            if tok.s < from {
                continue;
            }
            if tok.s >= stop {
                return None;
            }
            let next_adjacent_org = after
                .get(k + 1)
                .is_some_and(|q| q.s == tok.e && matches!(q.k, K::Org(_)));
            match &tok.k {
                K::Org(_) | K::Place(_) => return Some(k),
                K::Cue(Cue::Anaphor, _) if next_adjacent_org => continue,
                K::Cue(Cue::Anaphor, _) if tok.s == from => {
                    // 来到企业展厅: the back-reference, unless an organization follows in
                    // the same stretch (走进园区入驻企业X).
                    let later_org = after[k + 1..]
                        .iter()
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

    /// The destination at position `first` and the list that continues it (`A、B和C`).
    fn list_from(
        &self,
        s: &Sentence<'_>,
        first: usize,
        doc: &Document,
    ) -> Vec<(usize, Vec<usize>)> {
        let mut out = Vec::new();
        let mut prev_end = None;
        for k in first..s.idx.len() {
            let tok = s.tok(k);
            if let Some(pe) = prev_end {
                let gap = self.text(pe, tok.s);
                if !gap.chars().all(|c| LIST_SEPS.contains(&c)) || gap.chars().count() > 3 {
                    break;
                }
            }
            match &tok.k {
                K::Org(_) => match self.target_org(s, k) {
                    Some(x) => out.push(x),
                    None => break,
                },
                K::Place(p) => {
                    // 广东东莞: the province only qualifies the city that follows it.
                    let qualifies = k + 1 < s.idx.len() && {
                        let q = s.tok(k + 1);
                        q.s == tok.e && matches!(q.k, K::Place(_))
                    };
                    if qualifies {
                        prev_end = Some(tok.e);
                        continue;
                    }
                    if !self.place_destination(s, k) {
                        break;
                    }
                    out.push((*p, Vec::new()));
                }
                K::Cue(Cue::Anaphor, _) => {
                    if let Some(x) = self.antecedent(tok.s, s.ss, doc) {
                        out.push((x, Vec::new()));
                    }
                }
                _ => break,
            }
            prev_end = Some(tok.e);
        }
        // 在A、B等展台: the firms' booths at a fair, not the firms.
        if prev_end.is_some_and(|pe| self.booth(pe)) {
            out.clear();
        }
        out
    }

    /// Does a booth word follow position `end` (`展台`, `等展位`): firms named at a fair.
    fn booth(&self, end: usize) -> bool {
        let after = self.text(end, end + 3);
        let after = after.strip_prefix('等').unwrap_or(after);
        after.starts_with("展台") || after.starts_with("展位")
    }

    /// Not a news outlet.
    pub(super) fn targetable(&self, org: usize) -> bool {
        !self.dict.is_media(org)
    }

    /// Among organizations sharing a name, the one whose place the page names most; the
    /// others that score as well are kept as ambiguous readings.
    pub(super) fn choose_org(&self, cands: &[usize]) -> (usize, Vec<usize>) {
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

    /// The organization token at position `k`, usable as a target: not part of a title
    /// (`公司董事长`), not a delegation's name (`全国政协调研组`), not a news outlet.
    pub(super) fn target_org(&self, s: &Sentence<'_>, k: usize) -> Option<(usize, Vec<usize>)> {
        let tok = s.tok(k);
        let K::Org(c) = &tok.k else { return None };
        if k + 1 < s.idx.len() {
            let nt = s.tok(k + 1);
            if nt.s == tok.e
                && (nt.is_person() || matches!(nt.cue(), Some(Cue::Title | Cue::Group)))
            {
                return None;
            }
        }
        // 梧屿区工商联“企业之家”: the organization names the programme quoted after it.
        if self.ch(tok.e) == '“' {
            return None;
        }
        let (o, amb) = self.choose_org(c);
        self.targetable(o).then_some((o, amb))
    }

    /// A place token at position `k` that reads as a destination: not a country, not
    /// qualifying a title, a name or an organization right after it.
    pub(super) fn place_destination(&self, s: &Sentence<'_>, k: usize) -> bool {
        let tok = s.tok(k);
        let K::Place(p) = tok.k else { return false };
        if self.dict.is_country(p) {
            return false;
        }
        if k + 1 < s.idx.len() {
            let nt = s.tok(k + 1);
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
    /// the same sentence, else the first one of the nearest earlier body sentence (a few
    /// sentences back at most), else the one the page header names (我公司 on a firm's site).
    /// News outlets and other organizations marked as no antecedent are passed over.
    pub(super) fn antecedent(&self, pos: usize, ss: usize, doc: &Document) -> Option<usize> {
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
        let here = doc.sentences.partition_point(|&(_, e)| e <= ss);
        for &(s, e) in doc.sentences[here.saturating_sub(ANTECEDENT_REACH)..here]
            .iter()
            .rev()
        {
            if let Some(o) = range(s, e).find_map(ok) {
                return Some(o);
            }
        }
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
}

/// The run of subject tokens (names, titles, 一行) from token `k`, each at most one
/// character after the one before: the index after it and the end of its last token.
fn subject_run(s: &Sentence<'_>, mut k: usize) -> (usize, Option<usize>) {
    let mut last: Option<usize> = None;
    while k < s.idx.len() {
        let t = s.tok(k);
        let subj = t.is_person() || matches!(t.cue(), Some(Cue::Title | Cue::Group));
        if !subj || last.is_some_and(|e| t.s > e + 1) {
            break;
        }
        last = Some(t.e);
        k += 1;
    }
    (k, last)
}
