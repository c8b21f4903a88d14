//! `visitgraph diff OLD.json NEW.json`: what changed between two graphs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::write_output;
use crate::error::{Error, Result};

/// Output of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One change per line.
    Text,
    /// A JSON object.
    Json,
}

/// `diff` arguments.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier graph.
    #[arg(value_name = "OLD.json")]
    old: PathBuf,
    /// The later graph.
    #[arg(value_name = "NEW.json")]
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
}

/// Run `diff`: exit 0 when the graphs are equal, 1 when they differ.
pub fn run(a: DiffArgs) -> Result<ExitCode> {
    let d = crate::corpus::diff::diff_files(
        &a.old.display().to_string(),
        &a.new.display().to_string(),
    )?;
    let text = match a.format {
        DiffFormat::Text => d.render(),
        DiffFormat::Json => {
            let mut s = serde_json::to_string_pretty(&d).map_err(|e| Error::json("the diff", e))?;
            s.push('\n');
            s
        }
    };
    write_output(None, text.as_bytes())?;
    Ok(if d.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
