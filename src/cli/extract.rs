//! `visitgraph extract`: pages in, the merged graph out.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{DictArgs, load_dictionary, write_output};
use crate::dictionary::Dictionary;
use crate::error::{Error, Result};
use crate::formats::{self, Filters, Format, Relation, Rendered};
use crate::graph::VisitGraph;
use crate::input;
use crate::pipeline::Extractor;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Output format (neo4j writes a folder: -o DIR).
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    #[command(flatten)]
    filters: FilterArgs,
    /// Add names that are not in the dictionaries but act like entities (see `candidates`)
    /// as nodes with `"candidate": true`, so a visit by an unknown official is not lost.
    #[arg(long)]
    discover: bool,
    /// Write to FILE (atomically) instead of standard output; a folder for --format neo4j.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Read standard input (`-`) as JSON Lines: one record per line with `id` and `text` or
    /// `html`, optional `url`, `published`, `title`.
    #[arg(long)]
    jsonl: bool,
    /// Skip any page larger than SIZE (bytes, or with a K, M or G suffix): a text or HTML
    /// file, or one JSON Lines line.
    #[arg(long, value_name = "SIZE", default_value = "8M", value_parser = input::parse_size)]
    max_bytes: u64,
    /// Pages: files, folders (*.txt, *.html, *.htm, *.jsonl, recursively) or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// Filters, for every format.
#[derive(Debug, Args)]
struct FilterArgs {
    /// Keep only evidence dated on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Keep only evidence dated on or before DATE (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Keep only these relations (repeatable, or comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "REL")]
    relation: Vec<Relation>,
    /// Keep only the neighbourhood of one id (an official, organization or place).
    #[arg(long, value_name = "ID")]
    around: Option<String>,
    /// With --around: how many hops, ignoring edge direction.
    #[arg(long, value_name = "K", default_value_t = 1, requires = "around")]
    hops: usize,
}

/// A validated extraction request.
pub struct ExtractConfig {
    /// The resolved dictionary.
    pub dict: Dictionary,
    /// Output format.
    pub format: Format,
    /// What to keep.
    pub filters: Filters,
    /// Output file (or folder), or stdout.
    pub output: Option<PathBuf>,
    /// The pages.
    pub sources: Vec<input::Source>,
    /// How to read them.
    pub reading: input::Options,
}

impl ExtractArgs {
    fn validate(self) -> Result<ExtractConfig> {
        let sources = input::gather(&self.inputs)?;
        if let Some(out) = &self.output {
            let out_abs = std::fs::canonicalize(out).ok();
            for s in &sources {
                if let input::Origin::File(p) = &s.origin
                    && out_abs.is_some()
                    && std::fs::canonicalize(p).ok() == out_abs
                {
                    return Err(Error::Usage(format!(
                        "refusing to write the output over the input {}",
                        p.display()
                    )));
                }
            }
        }
        if self.format.is_folder() && self.output.is_none() {
            return Err(Error::Usage(format!(
                "--format {}: writes a folder; name it with -o DIR",
                clap::ValueEnum::to_possible_value(&self.format)
                    .map(|v| v.get_name().to_string())
                    .unwrap_or_default()
            )));
        }
        let f = self.filters;
        let filters = Filters {
            since: f.since,
            until: f.until,
            relations: f.relation,
            around: f.around,
            hops: f.hops,
        };
        let dict = if self.discover {
            super::candidates::with_candidates(&self.dicts, &sources)?
        } else {
            load_dictionary(&self.dicts)?
        };
        filters.validate(&dict)?;
        Ok(ExtractConfig {
            dict,
            format: self.format,
            filters,
            output: self.output,
            sources,
            reading: input::Options {
                max_bytes: self.max_bytes,
                stdin_jsonl: self.jsonl,
            },
        })
    }
}

/// Extract: read every page, merge, write.
fn extract(cfg: ExtractConfig) -> Result<ExitCode> {
    let ExtractConfig {
        dict,
        format,
        filters,
        output,
        sources,
        reading,
    } = cfg;
    let ex = Extractor::new(dict)?;
    let mut graph = VisitGraph::new();
    let mut tally = input::Tally::default();
    for src in &sources {
        match input::read_with(src, &reading) {
            Ok(r) => {
                for w in &r.warnings {
                    eprintln!("visitgraph: warning: {w}");
                }
                for s in &r.skipped {
                    eprintln!("visitgraph: skipped {}: {}", s.what, s.reason);
                }
                tally.add(&r);
                for rec in r.records {
                    graph.add_document(ex.extract(&rec.name, &rec.text));
                }
            }
            Err(e) => {
                eprintln!("visitgraph: skipped {e}");
                tally.add_error();
            }
        }
    }
    let graph = filters.apply(&graph, &ex.dict)?;
    match (
        formats::render(format, &graph, &ex.dict)?,
        output.as_deref(),
    ) {
        (Rendered::File(bytes), out) => write_output(out, &bytes)?,
        (Rendered::Folder(files), Some(dir)) => formats::write_folder(dir, &files)?,
        (Rendered::Folder(_), None) => {
            return Err(Error::Usage("this format writes a folder: -o DIR".into()));
        }
    }
    if tally.noteworthy() {
        eprintln!("visitgraph: {}", tally.summary());
    }
    if tally.total_skipped() > 0 {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

/// Run `extract`.
pub fn run(a: ExtractArgs) -> Result<ExitCode> {
    extract(a.validate()?)
}
