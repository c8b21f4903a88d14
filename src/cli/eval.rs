//! `visitgraph eval`: a graph scored against a gold file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::write_output;
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The gold file (visitgraph-gold/1).
    #[arg(long, value_name = "GOLD.json")]
    gold: PathBuf,
    /// The graph to score (visitgraph/1 JSON).
    #[arg(value_name = "GRAPH.json")]
    graph: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    /// Exit 1 when visited F1 is below this.
    #[arg(long, default_value_t = 0.0)]
    min_visits: f64,
    /// Exit 1 when accompanied F1 is below this.
    #[arg(long, default_value_t = 0.0)]
    min_acc: f64,
}

/// Run `eval`.
pub fn run(a: EvalArgs) -> Result<ExitCode> {
    let rep = crate::eval::evaluate(
        &a.gold.display().to_string(),
        &a.graph.display().to_string(),
    )?;
    let text = if a.json {
        let mut s = serde_json::to_string_pretty(&rep).map_err(|e| Error::json("the report", e))?;
        s.push('\n');
        s
    } else {
        rep.render()
    };
    write_output(None, text.as_bytes())?;
    if rep.visits.f1 < a.min_visits || rep.accompanied.f1 < a.min_acc {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
