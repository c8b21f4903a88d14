//! Command line: flags are parsed by clap into low-level arguments, then turned into a
//! validated [`ExtractConfig`] before any work starts (ripgrep's lowargs → hiargs).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::dictionary::{Dictionary, DictionaryBuilder, Layer};
use crate::error::{Error, Result};
use crate::export::{self, Format};
use crate::graph::VisitGraph;
use crate::input;
use crate::pipeline::Extractor;

const MANUAL: &str = "\
visitgraph reads Chinese news pages and writes a graph of inspection visits: which \
officials visited (调研, 考察, 视察, 走访…) which firms, institutes, parks and places, \
who went along, when, and the sentence that says so.

Pages may be simplified or traditional script, with or without pinyin pasted after \
characters; navigation and related-headline lists are ignored. Names come from TSV \
dictionaries: the built-in ones (embedded in the binary) plus any `--dict DIR` laid on top.

EXIT STATUS
  0  success
  1  `eval`: the figures are below a `--min-*` threshold
  2  fatal error (bad dictionary, unreadable gold, unwritable output, bad usage)
  3  `extract`: the graph was written, but some inputs were skipped (each named on stderr)

EXAMPLES
  visitgraph extract examples/news
  visitgraph extract --no-builtin --dict my/dict --format dot -o g.dot pages/
  visitgraph eval --gold gold.json g.json";

/// The command line.
#[derive(Debug, Parser)]
#[command(name = "visitgraph", version, about = "Who visited what: a graph of inspection visits from Chinese news pages", long_about = MANUAL)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract visits from pages and write the graph.
    #[command(
        long_about = "Extract visits from pages (files, folders searched recursively for *.txt, or - for stdin) and write the merged graph as JSON (visitgraph/1 node-link) or DOT."
    )]
    Extract(ExtractArgs),
    /// Score a graph against a gold file (visitgraph-gold/1).
    Eval(EvalArgs),
}

/// Dictionary flags, common to every command that reads dictionaries.
#[derive(Debug, Args)]
pub struct DictArgs {
    /// A dictionary folder laid on top of the built-in one (repeatable; later wins).
    #[arg(long = "dict", value_name = "DIR")]
    pub dict: Vec<PathBuf>,
    /// Drop the built-in entities (its trigger lexicon stays unless a DIR has triggers.tsv).
    #[arg(long)]
    pub no_builtin: bool,
}

#[derive(Debug, Args)]
struct ExtractArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Pages: files, folders (*.txt, recursively) or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct EvalArgs {
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

/// Load the dictionary layers a command asked for.
pub fn load_dictionary(d: &DictArgs) -> Result<Dictionary> {
    let mut b = DictionaryBuilder::new().no_builtin(d.no_builtin);
    for dir in &d.dict {
        b = b.layer(Layer::from_dir(dir)?);
    }
    b.build()
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
            dict: load_dictionary(&self.dicts)?,
            format: self.format,
            output: self.output,
            sources,
        })
    }
}

/// Write bytes to a file atomically (temporary file beside it, then rename), or to stdout.
/// A closed stdout (`| head`) ends quietly.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match path {
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Error::io(Path::new("<stdout>"), e)),
                Ok(()) => Ok(()),
            }
        }
        Some(p) => {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "out".into());
            let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
            let res = (|| {
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all(bytes)?;
                f.sync_all()?;
                std::fs::rename(&tmp, p)
            })();
            if let Err(e) = res {
                let _ = std::fs::remove_file(&tmp);
                return Err(Error::io(p, e));
            }
            Ok(())
        }
    }
}

/// Extract: read every page, merge, write.
pub fn extract(cfg: ExtractConfig) -> Result<ExitCode> {
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

/// Parse the command line and run it.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(a) => extract(a.validate()?),
        Command::Eval(a) => {
            let rep = crate::eval::evaluate(
                &a.gold.display().to_string(),
                &a.graph.display().to_string(),
            )?;
            let text = if a.json {
                let mut s =
                    serde_json::to_string_pretty(&rep).map_err(|e| Error::Usage(e.to_string()))?;
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
    }
}
