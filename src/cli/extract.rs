//! `visitgraph extract`: pages in, the merged graph out.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{DictArgs, load_dictionary, write_output};
use crate::dictionary::Dictionary;
use crate::error::{Error, Result};
use crate::export::{self, Format};
use crate::graph::VisitGraph;
use crate::input;
use crate::pipeline::Extractor;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Add names that are not in the dictionaries but act like entities (see `candidates`)
    /// as nodes with `"candidate": true`, so a visit by an unknown official is not lost.
    #[arg(long)]
    discover: bool,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Pages: files, folders (*.txt, recursively) or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// A validated extraction request.
pub struct ExtractConfig {
    /// The resolved dictionary.
    pub dict: Dictionary,
    /// Output format.
    pub format: Format,
    /// Output file, or stdout.
    pub output: Option<PathBuf>,
    /// The pages.
    pub sources: Vec<input::Source>,
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
        Ok(ExtractConfig {
            dict: if self.discover {
                super::candidates::with_candidates(&self.dicts, &sources)?
            } else {
                load_dictionary(&self.dicts)?
            },
            format: self.format,
            output: self.output,
            sources,
        })
    }
}

/// Extract: read every page, merge, write.
fn extract(cfg: ExtractConfig) -> Result<ExitCode> {
    let ExtractConfig {
        dict,
        format,
        output,
        sources,
    } = cfg;
    let ex = Extractor::new(dict)?;
    let mut graph = VisitGraph::new();
    let mut skipped = 0usize;
    let mut read = 0usize;
    for src in &sources {
        match input::read(src) {
            Ok(r) => {
                for s in &r.skipped {
                    eprintln!("visitgraph: skipped {}: {}", s.what, s.reason);
                }
                skipped += r.skipped.len();
                for rec in r.records {
                    read += 1;
                    graph.add_document(ex.extract(&rec.name, &rec.text));
                }
            }
            Err(e) => {
                eprintln!("visitgraph: skipped {e}");
                skipped += 1;
            }
        }
    }
    let bytes = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&export::to_json(&graph, &ex.dict))
                .map_err(|e| Error::Usage(format!("cannot serialize the graph: {e}")))?;
            s.push('\n');
            s.into_bytes()
        }
        Format::Dot => export::to_dot(&graph, &ex.dict).into_bytes(),
    };
    write_output(output.as_deref(), &bytes)?;
    if skipped > 0 {
        eprintln!("visitgraph: {read} documents read, {skipped} skipped");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

/// Run `extract`.
pub fn run(a: ExtractArgs) -> Result<ExitCode> {
    extract(a.validate()?)
}
