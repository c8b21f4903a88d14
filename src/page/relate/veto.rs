//! Vetoes: why a visit cue yields nothing. Each is a small function of the sentence and the
//! cue's position in it; [`super::explain`] names the one that fired.

use super::Ctx;
use super::sentence::Sentence;
use super::tokens::K;
use crate::dict::triggers::Cue;

/// Why a visit cue gave no edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Veto {
    /// The cue's clause is a reception (`会见`, `接见`): guests are received, not visited.
    Reception,
    /// The cue's clause is a meeting (`主持`, `出席`) before it: the visit is its topic.
    Meeting,
    /// The cue lies inside a host phrase (`在…陪同下`).
    Host,
    /// The cue's clause quotes a past event (`考察…时的重要讲话精神`).
    Reference,
    /// The cue qualifies a noun (`来长考察的客人`).
    Attributive,
    /// The cue belongs to a companion cue right before it (`陪同调研`).
    Companion,
    /// Planned or exhorted (`要`, `将`, `计划`) in its clause or an earlier one with no new
    /// subject since.
    Modal,
    /// Reported speech (`表示`, `指出`) before the cue with no new subject since.
    Speech,
    /// Its subject is business side: entrepreneurs (`等12位企业家`), a chamber's or a
    /// firm's head (`商会会长`, `董事长`).
    Business,
    /// Its subject is a title no post of the page's places resolves.
    UnresolvedTitle,
    /// Its subject is an executive (posts only inside firms or institutes).
    Executive,
    /// No visitor: no subject and no current leader.
    NoVisitor,
    /// No target: nothing the cue reaches is an organization or a destination.
    NoTarget,
}

impl Veto {
    /// The veto's name in a trace.
    pub fn name(self) -> &'static str {
        match self {
            Veto::Reception => "reception",
            Veto::Meeting => "meeting",
            Veto::Host => "host",
            Veto::Reference => "reference",
            Veto::Attributive => "attributive",
            Veto::Companion => "companion-cue",
            Veto::Modal => "modal",
            Veto::Speech => "speech",
            Veto::Business => "business",
            Veto::UnresolvedTitle => "unresolved-title",
            Veto::Executive => "executive",
            Veto::NoVisitor => "no-visitor",
            Veto::NoTarget => "no-target",
        }
    }
}

/// The vetoes read from the cue's clause and place alone, in the order they are tried.
pub(super) fn clause_veto(cx: &Ctx<'_>, s: &Sentence<'_>, pos: usize) -> Option<Veto> {
    let tok = s.tok(pos);
    let clause = s.clause_of(tok.s);
    if s.reception.contains(&clause) {
        return Some(Veto::Reception);
    }
    if s.in_host(tok) {
        return Some(Veto::Host);
    }
    if s.reference.contains(&clause) {
        return Some(Veto::Reference);
    }
    if meeting(s, pos) {
        return Some(Veto::Meeting);
    }
    // Attributive (来长考察的客人) or a companion cue (陪同调研, 一同调研).
    if cx.ch(tok.e) == '的' {
        return Some(Veto::Attributive);
    }
    None
}

/// A meeting cue before the visit cue in its clause (`主持召开…座谈会,…`): the visit is what
/// the meeting discusses.
fn meeting(s: &Sentence<'_>, pos: usize) -> bool {
    let clause = s.clause_of(s.tok(pos).s);
    s.meeting.contains(&clause)
        && (0..pos)
            .any(|j| s.tok(j).cue() == Some(Cue::Meeting) && s.clause_of(s.tok(j).s) == clause)
}

/// A companion cue right before the cue (`陪同调研`, `一同到X`, or with a word that points
/// back between them: `参加上述调研`, `參加有關調研`): `Ok(Some(leaders))` when
/// two or more people named before `一同` lead together and no leader is known yet,
/// `Ok(None)` when there is no such cue, and the veto otherwise.
pub(super) fn companion_cue(
    cx: &Ctx<'_>,
    s: &Sentence<'_>,
    pos: usize,
    leads: &[usize],
) -> Result<Option<Vec<usize>>, Veto> {
    if pos == 0 {
        return Ok(None);
    }
    let prev = s.tok(pos - 1);
    let gap = s.tok(pos).s.saturating_sub(prev.e);
    // One character may stand between (陪同并调研), not a clause break (乙陪同,来到X: the
    // party goes on, led as before).
    let joined = gap == 0 || (gap == 1 && !matches!(cx.ch(prev.e), ',' | ';' | '。' | ':'));
    if prev.cue() != Some(Cue::Accompany) || !(joined || pointing_back(cx, prev.e, s.tok(pos).s)) {
        return Ok(None);
    }
    let together = matches!(&prev.k, K::Cue(_, w) if matches!(&**w, "一同" | "共同" | "一起"));
    let named = s.people_in(0..pos - 1);
    if together && leads.is_empty() && named.len() >= 2 {
        Ok(Some(named))
    } else {
        Err(Veto::Companion)
    }
}

/// Words that point back to an event already told, between a companion cue and the
/// event's cue (`参加上述调研`, `参加有关活动`, `一同参加此次考察`).
const POINTING_BACK: [&str; 10] = [
    "上述",
    "以上",
    "有关",
    "相关",
    "此次",
    "这次",
    "本次",
    "当天",
    "当天的",
    "部分",
];

/// Is normalized text `a..b` one of [`POINTING_BACK`]?
fn pointing_back(cx: &Ctx<'_>, a: usize, b: usize) -> bool {
    if b <= a || b - a > 3 {
        return false;
    }
    let gap: String = (a..b).map(|i| cx.ch(i)).collect();
    POINTING_BACK.contains(&gap.as_str())
}

/// Reported speech: a speech cue before the cue in its sentence with no person, title or
/// group word between them (柯明远表示,已有多家企业先后到岚川县落户).
pub(super) fn speech(s: &Sentence<'_>, pos: usize) -> bool {
    let Some(m) = (0..pos).rposition(|j| s.tok(j).cue() == Some(Cue::Speech)) else {
        return false;
    };
    !(m + 1..pos).any(|j| {
        let t = s.tok(j);
        t.is_person() || matches!(t.cue(), Some(Cue::Title | Cue::Group))
    })
}

/// Business side: the words between the subject's last name and the cue call them
/// entrepreneurs or merchants (甲等12位企业家回乡考察), or the title right before the name is
/// a chamber's, an association's or a firm's (商会会长甲).
pub(super) fn business(cx: &Ctx<'_>, s: &Sentence<'_>, pos: usize) -> bool {
    // The subject's name: not a host's inside 在…的陪同下 (在公司董事长乙的陪同下).
    let Some(k) = (0..pos).rposition(|j| s.tok(j).is_person() && !s.in_host(s.tok(j))) else {
        return false;
    };
    let between = cx.text(s.tok(k).e, s.tok(pos).s);
    let title_start = if k > 0 { s.tok(k - 1).e } else { s.ss };
    let title = cx.text(title_start.max(s.tok(k).s.saturating_sub(6)), s.tok(k).s);
    ["企业家", "客商", "侨商", "商人"]
        .iter()
        .any(|w| between.contains(w))
        || ["商会", "协会会长", "董事长", "总经理", "企业家"]
            .iter()
            .any(|w| title.contains(w))
}

/// Planned or exhorted: a modal word before the cue in its clause, or in an earlier clause
/// of the sentence with no new subject since (要围绕…,组织委员深入企业…).
pub(super) fn modal(s: &Sentence<'_>, pos: usize) -> bool {
    let clause = s.clause_of(s.tok(pos).s);
    let Some(m) = (0..pos).rposition(|j| s.tok(j).cue() == Some(Cue::Modal)) else {
        return false;
    };
    let same_clause = s.clause_of(s.tok(m).s) == clause;
    let new_subject = (m + 1..pos).any(|j| {
        let t = s.tok(j);
        t.is_person() || matches!(t.cue(), Some(Cue::Title | Cue::Group))
    });
    same_clause || !new_subject
}
