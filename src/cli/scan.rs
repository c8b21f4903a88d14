//! `visitgraph scan`: the bare matcher over the same pages, for the benchmark — dictionary
//! load and compile time, then one pass of the entity automaton, as one JSON line.
//!
//! By default the automaton reads the pages as they are (the floor). With
//! `--normalized` it reads them as `extract` does, simplified and without pinyin; the
//! normalizing is done first and not timed. The two differ where pages are in traditional
//! script: unnormalized, their names match nothing, and the automaton passes them cheaply.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{DictArgs, load_dictionary, write_output};
use crate::error::Result;
use crate::input;
use crate::page::Extractor;

/// `scan` arguments.
#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Scan the pages normalized (simplified, pinyin removed: the text `extract` matches),
    /// normalizing them first, untimed.
    #[arg(long)]
    normalized: bool,
    /// Pages: files, folders or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// Run `scan`.
pub fn run(a: ScanArgs) -> Result<ExitCode> {
    let t = Instant::now();
    let dict = load_dictionary(&a.dicts)?;
    let load_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ex = Extractor::new(dict)?;
    let compile_secs = t.elapsed().as_secs_f64();
    let mut texts = Vec::new();
    for src in input::gather(&a.inputs)? {
        if let Ok(r) = input::read(&src) {
            texts.extend(r.records.into_iter().map(|r| r.text));
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    if a.normalized {
        for t in &mut texts {
            *t = crate::page::normalize::normalize(t).text;
        }
    }
    let t = Instant::now();
    let hits: usize = texts
        .iter()
        .map(|s| ex.matcher().count_entity_hits(s))
        .sum();
    let scan_secs = t.elapsed().as_secs_f64();
    let line = serde_json::json!({
        "patterns": ex.matcher().entity_patterns(),
        "dictionary_secs": load_secs,
        "compile_secs": compile_secs,
        "documents": texts.len(),
        "normalized": a.normalized,
        "bytes": bytes,
        "hits": hits,
        "scan_secs": scan_secs,
        "mb_per_s": bytes as f64 / 1e6 / scan_secs.max(1e-9),
    });
    write_output(None, format!("{line}\n").as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
