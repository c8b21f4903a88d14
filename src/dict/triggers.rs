//! The trigger table's vocabulary: the cue kinds a `relation` cell of `triggers.tsv` names.
//! The dictionary checks the cells against them, the matcher tags its cue hits with them and
//! the relate stage reads a sentence by them.

/// A cue class from the trigger lexicon (`relation` column of `triggers.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// An inspection verb: 调研, 考察, 视察, 走访, 察看…
    Visit,
    /// A movement verb that needs its destination right after it: 来到, 前往, 到, 深入…
    Arrive,
    /// A verb of looking into something (了解, 听取, 询问): a visit only when its object is a
    /// back-reference right after it (详细了解实验室…, 了解该企业…).
    Inspect,
    /// The visiting side joins: 陪同, 一同, 随同, 参加…
    Accompany,
    /// Companions listed after the cue: 随行领导有…
    AccompanyAfter,
    /// Host side: 的陪同下.
    Host,
    /// Meetings: 主持, 出席.
    Meeting,
    /// Receptions: 会见, 接见, 会谈.
    Reception,
    /// Quoted past events: 讲话精神, 重要指示.
    Reference,
    /// Not (yet) happening: 要, 将, 拟, 计划.
    Modal,
    /// A delegation or a leader by group: 一行, 市领导, 调研组.
    Group,
    /// Leading a group: 率, 带领. The subject of the cues after it is named before it.
    Lead,
    /// A reference back to an organization: 该公司, 该企业.
    Anaphor,
    /// A place qualifier: 位于.
    Locative,
    /// A post title.
    Title,
    /// Reported speech: 表示, 指出. A visit cue after it with no new subject in between is
    /// what someone said, not what they did (`乔雨衡表示,这是他第三次来澄浦`).
    Speech,
    /// Words that contain a cue but are not one (了解到, 要求).
    Ignore,
}

/// The values allowed in the `relation` column of `triggers.tsv`.
pub const CUE_NAMES: &[(&str, Cue)] = &[
    ("visit", Cue::Visit),
    ("arrive", Cue::Arrive),
    ("inspect", Cue::Inspect),
    ("accompany", Cue::Accompany),
    ("accompany_after", Cue::AccompanyAfter),
    ("host", Cue::Host),
    ("meeting", Cue::Meeting),
    ("reception", Cue::Reception),
    ("reference", Cue::Reference),
    ("modal", Cue::Modal),
    ("group", Cue::Group),
    ("lead", Cue::Lead),
    ("anaphor", Cue::Anaphor),
    ("locative", Cue::Locative),
    ("title", Cue::Title),
    ("speech", Cue::Speech),
    ("ignore", Cue::Ignore),
];

/// Parse a `relation` cell.
pub(crate) fn cue_from_name(s: &str) -> Option<Cue> {
    CUE_NAMES.iter().find(|(n, _)| *n == s).map(|(_, c)| *c)
}
