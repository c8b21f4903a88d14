//! The `visitgraph` command: [`visitgraph::cli::run`], with an error as one line on stderr
//! and exit status 2.

use std::process::ExitCode;

// Pages are cut into many short-lived strings and vectors on every worker thread: mimalloc's
// thread-local free lists beat glibc's arenas there (see bench/results.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match visitgraph::cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("visitgraph: {e}");
            ExitCode::from(2)
        }
    }
}
