//! `visitgraph check`: validate every dictionary layer.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::Args;

use super::{DictArgs, dictionary_builder, write_output};
use crate::dict::check;
use crate::error::Result;

/// `check` arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Print every warning, not only their counts.
    #[arg(long)]
    warnings: bool,
}

/// Run `check`: errors as `file:line: message` (exit 1), warnings counted (exit 0).
pub fn run(a: CheckArgs) -> Result<ExitCode> {
    let (dict, mut diags) = dictionary_builder(&a.dicts)?.build_checked();
    diags.extend(check::warnings(&dict));
    let (errors, warnings) = check::counts(&diags);
    let mut s = String::new();
    for d in &diags {
        if d.severity == crate::dict::Severity::Error || a.warnings {
            let _ = writeln!(s, "{d}");
        }
    }
    let mut kinds: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in diags
        .iter()
        .filter(|d| d.severity == crate::dict::Severity::Warning)
    {
        let k = if d.msg.starts_with("one-character") {
            "one-character aliases"
        } else if d.msg.contains("common word") {
            "aliases that are common words"
        } else if d.msg.contains("overlapping") {
            "posts held by two people at once"
        } else {
            "names or aliases shared by several entities"
        };
        *kinds.entry(k).or_default() += 1;
    }
    let detail: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let _ = writeln!(
        s,
        "{} entities, {} posts, {} trigger words: {errors} errors, {warnings} warnings{}{}",
        dict.entities.len(),
        dict.posts.len(),
        dict.triggers.len(),
        if detail.is_empty() { "" } else { " (" },
        if detail.is_empty() {
            String::new()
        } else {
            format!("{})", detail.join(", "))
        }
    );
    write_output(None, s.as_bytes())?;
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
