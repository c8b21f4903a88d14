//! `visitgraph merge GRAPH.json... [-o OUT]`: the reduce step over shard graphs, streamed
//! (see [`crate::corpus::merge`]): memory does not grow with the shards' size.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::write_output_with;
use crate::corpus::merge::MergeError;
use crate::error::{Error, Result};
use crate::output::Format;

/// `merge` arguments.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard graphs (visitgraph/1 JSON from `extract`).
    #[arg(required = true, value_name = "GRAPH.json")]
    graphs: Vec<PathBuf>,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Open at most N shards at once (at least 2; each holds a file and a reader thread).
    /// More shards are merged N at a time into temporary files (TMPDIR), then those merged:
    /// the output is the same bytes for any N.
    #[arg(long, value_name = "N", default_value_t = crate::corpus::merge::FAN_IN as u64,
          value_parser = clap::value_parser!(u64).range(2..))]
    fan_in: u64,
}

/// Run `merge`. The output is `visitgraph/1` JSON: an `-o` whose extension names another
/// format (`-o all.dot`) is refused, as is one whose folder does not exist, before any
/// shard is read.
pub fn run(a: MergeArgs) -> Result<ExitCode> {
    if let Some(out) = &a.output {
        super::check_output_path(out)?;
        let format = super::resolve_format(None, Some(out))?;
        if format != Format::Json {
            return Err(Error::Usage(format!(
                "merge writes visitgraph/1 JSON, but -o {} names --format {}: convert the merged graph with another tool, or name the file .json",
                out.display(),
                super::format_name(format)
            )));
        }
    }
    // The writer speaks io::Error; a shard's error (which names the shard) is kept aside.
    let mut failed = None;
    let written = write_output_with(a.output.as_deref(), |w| {
        let fan_in = usize::try_from(a.fan_in).unwrap_or(usize::MAX);
        crate::corpus::merge::write_merged_with(&a.graphs, fan_in, w).map_err(|e| match e {
            MergeError::Output(e) => e,
            MergeError::Input(e) => {
                failed = Some(e);
                std::io::Error::other("merge failed")
            }
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    written?;
    Ok(ExitCode::SUCCESS)
}
