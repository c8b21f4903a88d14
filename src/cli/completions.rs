//! `visitgraph completions SHELL` and `visitgraph man`: the command line described for a
//! shell's completion and for `man`, both generated from the same clap definition as the
//! parser (so they never drift from the flags).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory};

use super::{Cli, write_output};
use crate::error::{Error, Result};

/// `completions` arguments.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// `man` arguments.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write the page to FILE (atomically, e.g. `visitgraph.1`) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Print the completion script for a shell.
pub fn completions(a: CompletionsArgs) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "visitgraph", &mut script);
    write_output(None, &script)?;
    Ok(ExitCode::SUCCESS)
}

/// Write the man page (roff, section 1): the manual, every command and its flags.
pub fn man(a: ManArgs) -> Result<ExitCode> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Error::Usage(format!("cannot render the man page: {e}")))?;
    write_output(a.output.as_deref(), &page)?;
    Ok(ExitCode::SUCCESS)
}
