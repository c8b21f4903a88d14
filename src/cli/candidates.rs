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
    /// Pages: files, folders or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// Run discovery over sources with a dictionary.
pub fn discover(dict: Dictionary, sources: &[input::Source]) -> Result<Vec<Candidate>> {
    let ex = Extractor::new(dict)?;
    let mut d = Discoverer::new(&ex.dict, ex.matcher());
    for src in sources {
        if let Ok(r) = input::read(src) {
            for rec in r.records {
                d.add(&rec.name, &rec.text);
            }
        }
    }
    Ok(d.finish())
}

/// The dictionary a command asked for, with the candidates of `sources` laid on top.
pub fn with_candidates(dicts: &DictArgs, sources: &[input::Source]) -> Result<Dictionary> {
    let cands = discover(load_dictionary(dicts)?, sources)?;
    let files = discover::as_layer_files(&cands);
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    dictionary_builder(dicts)?
        .layer(Layer::from_texts("candidates", &refs))
        .build()
}

/// Run `candidates`.
pub fn run(a: CandidatesArgs) -> Result<ExitCode> {
    let sources = input::gather(&a.inputs)?;
    let mut cands = discover(load_dictionary(&a.dicts)?, &sources)?;
    cands.retain(|c| c.count >= a.min_count);
    let text = match a.format {
        CandFormat::Tsv => discover::to_tsv(&cands),
        CandFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&cands).map_err(|e| Error::Usage(e.to_string()))?;
            s.push('\n');
            s
        }
    };
    write_output(None, text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
