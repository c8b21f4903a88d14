//! The trace of [`super::explain`]: for each sentence that holds a cue, its tokens; for each
//! visit cue, the veto that stopped it or the rule behind each edge; for each companion,
//! the cue that found it and whether it was kept.

use super::Ctx;
use super::sentence::Sentence;
use super::targets::Rule;
use super::tokens::{K, Tok};
use super::veto::Veto;

/// Lines of explanation, empty unless asked for (`relate::explain`).
#[derive(Debug, Default)]
pub struct Trace {
    on: bool,
    lines: Vec<String>,
}

impl Trace {
    pub(super) fn off() -> Trace {
        Trace::default()
    }

    pub(super) fn on() -> Trace {
        Trace {
            on: true,
            lines: Vec::new(),
        }
    }

    /// The lines, in the order the rules ran.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    fn say(&mut self, f: impl FnOnce() -> String) {
        if self.on {
            self.lines.push(f());
        }
    }

    /// A sentence and its tokens (`text:kind`), with the number of current leaders.
    pub(super) fn sentence(&mut self, cx: &Ctx<'_>, s: &Sentence<'_>, leads: usize) {
        self.say(|| {
            let toks: Vec<String> = (0..s.idx.len()).map(|k| tok_desc(cx, s.tok(k))).collect();
            format!(
                "sentence {}..{} (leaders {leads}): {}\n    tokens: {}",
                s.ss,
                s.se,
                cx.text(s.ss, s.se).trim(),
                toks.join(" ")
            )
        });
    }

    /// A visit cue stopped by a veto.
    pub(super) fn veto(&mut self, cx: &Ctx<'_>, cue: &Tok<'_>, v: Veto) {
        self.say(|| {
            format!(
                "    cue {}@{}: veto {}",
                cx.text(cue.s, cue.e),
                cue.s,
                v.name()
            )
        });
    }

    /// A visited edge and the rule behind it.
    pub(super) fn visit(
        &mut self,
        cx: &Ctx<'_>,
        cue: Option<&Tok<'_>>,
        v: usize,
        t: usize,
        rule: Rule,
    ) {
        self.say(|| {
            let at = cue.map_or("scene".to_string(), |c| {
                format!("cue {}@{}", cx.text(c.s, c.e), c.s)
            });
            format!(
                "    {at}: visited {} -> {} (rule {})",
                name(cx, v),
                name(cx, t),
                rule.name()
            )
        });
    }

    /// A companion found at a cue (not yet checked against the page's leaders).
    pub(super) fn companion(&mut self, cx: &Ctx<'_>, cue: &Tok<'_>, p: usize, list: &str) {
        self.say(|| {
            format!(
                "    cue {}@{}: companion {} ({list})",
                cx.text(cue.s, cue.e),
                cue.s,
                name(cx, p)
            )
        });
    }

    /// The end of a companion: kept as an edge, or dropped and why.
    pub(super) fn companion_end(&mut self, cx: &Ctx<'_>, p: usize, lead: Option<usize>, why: &str) {
        self.say(|| {
            let lead = lead.map_or("-".to_string(), |l| name(cx, l).to_string());
            format!("companion {} of {lead}: {why}", name(cx, p))
        });
    }
}

fn name<'a>(cx: &Ctx<'a>, e: usize) -> &'a str {
    &cx.dict.entities[e].name
}

fn tok_desc(cx: &Ctx<'_>, t: &Tok<'_>) -> String {
    let what = match &t.k {
        K::Person(_) => "person".to_string(),
        K::Org(_) => "org".to_string(),
        K::Place(_) => "place".to_string(),
        K::Cue(c, _) => format!("{c:?}").to_lowercase(),
    };
    format!("{}:{what}", cx.text(t.s, t.e))
}
