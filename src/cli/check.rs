//! `visitgraph check`: validate every dictionary layer.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::{DictArgs, dictionary_builder, write_output};
use crate::dict::{Diagnostic, Severity, check};
use crate::error::Result;

/// `check` arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Print every warning (as file:line), not only their counts.
    #[arg(long)]
    warnings: bool,
    /// Count (and with --warnings, print) the built-in layer's warnings too; by default only
    /// the --dict layers' are.
    #[arg(long)]
    all: bool,
}

/// What kind of warning a diagnostic is, for the counts.
fn kind(d: &Diagnostic) -> &'static str {
    if d.msg.starts_with("one-character") {
        "one-character aliases"
    } else if d.msg.contains("common word") {
        "aliases that are common words"
    } else if d.msg.contains("overlapping") {
        "posts held by two people at once"
    } else if d.msg.starts_with("unknown kind") || d.msg.starts_with("unknown level") {
        "undocumented kinds or levels"
    } else if d.msg.contains("of an earlier layer") {
        "entries an earlier layer already has under another id"
    } else {
        "names or aliases shared by several entities"
    }
}

/// `N warnings (a kinds, b kinds…)`.
fn summary(warnings: &[&Diagnostic]) -> String {
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for d in warnings {
        *kinds.entry(kind(d)).or_default() += 1;
    }
    let detail: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    if detail.is_empty() {
        format!("{} warnings", warnings.len())
    } else {
        format!("{} warnings ({})", warnings.len(), detail.join(", "))
    }
}

/// Run `check`: errors as `file:line: message` (exit 1); warnings counted per layer (exit
/// 0), the built-in layer's only with `--all`.
pub fn run(a: CheckArgs) -> Result<ExitCode> {
    let (dict, mut diags) = dictionary_builder(&a.dicts)?.build_checked();
    let mut warned = check::warnings(&dict);
    // In the order of the files and lines they are about.
    let file_index = |path: &str| dict.files.iter().position(|f| f == path);
    warned.sort_by_key(|d| (file_index(&d.path), d.line));
    diags.extend(warned);
    let (errors, _) = check::counts(&diags);
    let counted = |d: &&Diagnostic| a.all || !check::is_builtin(d);
    let mut s = String::new();
    for d in diags
        .iter()
        .filter(|d| d.severity == Severity::Error || (a.warnings && counted(d)))
    {
        let _ = writeln!(s, "{d}");
    }
    let warnings: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect();
    // Per layer, in the order the layers were read: every --dict layer (and with --all the
    // built-in one), even without warnings.
    let mut layers: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for f in &dict.files {
        let l = f.rsplit_once('/').map_or(f.as_str(), |(dir, _)| dir);
        if (a.all || !f.starts_with("builtin:")) && !layers.iter().any(|(name, _)| *name == l) {
            layers.push((l, Vec::new()));
        }
    }
    for d in warnings.iter().copied().filter(counted) {
        let l = check::layer_of(d);
        match layers.iter_mut().find(|(name, _)| *name == l) {
            Some((_, v)) => v.push(d),
            None => layers.push((l, vec![d])),
        }
    }
    for (l, ws) in &layers {
        let _ = writeln!(s, "{l}: {}", summary(ws));
    }
    let shown: Vec<&Diagnostic> = layers.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let _ = writeln!(
        s,
        "{} entities, {} posts, {} trigger words: {errors} errors, {}",
        dict.entities.len(),
        dict.posts.len(),
        dict.triggers.len(),
        summary(&shown)
    );
    let hidden = warnings.len() - shown.len();
    if hidden > 0 {
        let _ = writeln!(s, "{hidden} built-in warnings hidden, see --all");
    }
    write_output(None, s.as_bytes())?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
