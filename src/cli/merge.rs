//! `visitgraph merge GRAPH.json... [-o OUT]`: the reduce step over shard graphs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::write_output;
use crate::error::Result;

/// `merge` arguments.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard graphs (visitgraph/1 JSON from `extract`).
    #[arg(required = true, value_name = "GRAPH.json")]
    graphs: Vec<PathBuf>,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Run `merge`.
pub fn run(a: MergeArgs) -> Result<ExitCode> {
    let merged = crate::merge::merge_files(&a.graphs)?;
    write_output(a.output.as_deref(), &crate::export::json_bytes(&merged))?;
    Ok(ExitCode::SUCCESS)
}
