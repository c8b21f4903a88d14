//! `visitgraph explain`: why a page gives the edges it gives, rule by rule.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{DictArgs, load_dictionary, write_output};
use crate::error::Result;
use crate::input;
use crate::page::Extractor;

/// `explain` arguments.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Only the documents whose name contains this (e.g. one record of a JSON Lines file).
    #[arg(long, value_name = "TEXT")]
    only: Option<String>,
    /// Lay the names discovered on these pages over the dictionary, as `extract --discover`
    /// does (an open-world run explained).
    #[arg(long)]
    discover: bool,
    /// Pages: files, folders or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// Run `explain`: for each page, every sentence holding a cue with its tokens, then for each
/// visit cue the veto that stopped it or the rule behind each edge, each companion and why
/// it was kept or dropped, and the page's edges as `extract` writes them.
pub fn run(a: ExplainArgs) -> Result<ExitCode> {
    let sources = input::gather(&a.inputs)?;
    let dict = if a.discover {
        let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
        super::candidates::with_candidates(&a.dicts, &sources, &input::Options::default(), jobs)?
    } else {
        load_dictionary(&a.dicts)?
    };
    let ex = Extractor::new(dict)?;
    let mut out = String::new();
    for src in &sources {
        let loaded = input::read(src)?;
        for rec in loaded.records {
            if a.only.as_deref().is_some_and(|o| !rec.name.contains(o)) {
                continue;
            }
            let (found, trace) = ex.explain(&rec.name, &rec.text, rec.published.as_deref());
            let _ = writeln!(out, "== {}", rec.name);
            for line in trace {
                let _ = writeln!(out, "{line}");
            }
            let _ = writeln!(out, "edges:");
            for f in &found {
                let _ = writeln!(
                    out,
                    "  {} -{}-> {} [{}]",
                    ex.dict.entities[f.source].name,
                    f.rel.as_str(),
                    ex.dict.entities[f.target].name,
                    f.evidence.date.as_deref().unwrap_or("no date")
                );
            }
            out.push('\n');
        }
    }
    write_output(None, out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
