use std::process::ExitCode;

fn main() -> ExitCode {
    match visitgraph::cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("visitgraph: {e}");
            ExitCode::from(2)
        }
    }
}
