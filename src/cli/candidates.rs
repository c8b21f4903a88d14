//! `visitgraph candidates`: names that act like entities but are not in the dictionaries.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{DictArgs, dictionary_builder, load_dictionary, write_output};
use crate::dict::discover::{self, Candidate, Discoverer};
use crate::dict::{Dictionary, Layer};
use crate::error::{Error, Result};
use crate::input;
use crate::page::Extractor;

/// Output of `candidates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CandFormat {
    /// Dictionary rows, one section per file, each after a `#` comment with its evidence.
    Tsv,
    /// A JSON array.
    Json,
}

/// `candidates` arguments.
#[derive(Debug, Args)]
pub struct CandidatesArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "tsv")]
    format: CandFormat,
    /// Only candidates seen at least this many times.
    #[arg(long, default_value_t = 1)]
    min_count: usize,
    /// Read standard input (`-`) as JSON Lines (as `extract --jsonl`).
    #[arg(long)]
    jsonl: bool,
    /// Skip any page larger than SIZE (as `extract --max-bytes`).
    #[arg(long, value_name = "SIZE", default_value = "8M", value_parser = input::parse_size)]
    max_bytes: u64,
    /// Pages: files, folders or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// Run discovery over sources with a dictionary, reading them as `reading` says (so
/// `--max-bytes` and `--jsonl` hold here as in extraction), JSON Lines streamed record by
/// record. With `report`, each skipped source and warning is named on stderr as `extract`
/// names it; the tally counts them either way.
pub fn discover(
    dict: Dictionary,
    sources: &[input::Source],
    reading: &input::Options,
    report: bool,
) -> Result<(Vec<Candidate>, input::Tally)> {
    let ex = Extractor::new(dict)?;
    let mut d = Discoverer::new(&ex.dict, ex.matcher());
    let mut tally = input::Tally::default();
    for src in sources {
        let read = input::read_each(src, reading, &mut |rec| {
            d.add(&rec.name, &rec.text);
            true
        });
        if report {
            super::report_read(&read);
        }
        super::tally_read(&read, &mut tally);
    }
    Ok((d.finish(), tally))
}

/// The dictionary a command asked for, with the candidates of `sources` laid on top. The
/// discovery pass names no skipped source: the extraction pass that follows reads the same
/// sources with the same options and names each once.
pub fn with_candidates(
    dicts: &DictArgs,
    sources: &[input::Source],
    reading: &input::Options,
) -> Result<Dictionary> {
    let (cands, _) = discover(load_dictionary(dicts)?, sources, reading, false)?;
    let files = discover::as_layer_files(&cands);
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    dictionary_builder(dicts)?
        .layer(Layer::from_texts("candidates", &refs))
        .build()
}

/// Run `candidates`.
pub fn run(a: CandidatesArgs) -> Result<ExitCode> {
    let sources = input::gather(&a.inputs)?;
    let reading = input::Options {
        max_bytes: a.max_bytes,
        stdin_jsonl: a.jsonl,
    };
    let (mut cands, tally) = discover(load_dictionary(&a.dicts)?, &sources, &reading, true)?;
    cands.retain(|c| c.count >= a.min_count);
    let text = match a.format {
        CandFormat::Tsv => discover::to_tsv(&cands),
        CandFormat::Json => {
            let mut s = serde_json::to_string_pretty(&cands)
                .map_err(|e| Error::json("the candidates", e))?;
            s.push('\n');
            s
        }
    };
    write_output(None, text.as_bytes())?;
    if tally.noteworthy() {
        eprintln!("visitgraph: {}", tally.summary());
    }
    if tally.total_skipped() > 0 {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
