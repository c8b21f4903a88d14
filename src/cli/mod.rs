//! Command line: flags are parsed by clap into low-level arguments, then each command turns
//! them into a validated configuration before any work starts (ripgrep's lowargs →
//! hiargs). One file per command.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::dict::{Dictionary, DictionaryBuilder, Layer};
use crate::error::{Error, Result};
use crate::output::Format;

mod candidates;
mod check;
mod completions;
mod diff;
mod eval;
mod explain;
mod extract;
mod merge;
mod scan;

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
  3  `extract`, `candidates`: the output was written, but some inputs were skipped (each
     named on stderr)

EXAMPLES
  visitgraph extract examples/news
  visitgraph extract --no-builtin --dict my/dict --format dot -o g.dot pages/
  visitgraph eval --gold gold.json g.json
  visitgraph explain --no-builtin --dict my/dict pages/a.txt";

/// The command line.
#[derive(Debug, Parser)]
#[command(name = "visitgraph", version, about = "Who visited what: a graph of inspection visits from Chinese news pages", long_about = MANUAL)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract visits from pages and write the graph.
    #[command(
        long_about = "Extract visits from pages (files, folders searched recursively for *.txt, *.html, *.htm, *.jsonl and *.warc, each plain, .gz or .zst, or - for stdin) and write the merged graph in one of the --formats (default: visitgraph/1 node-link JSON)."
    )]
    Extract(extract::ExtractArgs),
    /// Score a graph against a gold file (visitgraph-gold/1).
    Eval(eval::EvalArgs),
    /// Explain a page: each cue's veto or the rule behind each edge, each companion.
    #[command(
        long_about = "Explain pages: for each sentence holding a cue, its tokens (text:kind); for each visit cue, the veto that stopped it (reception, meeting, host, reference, attributive, companion-cue, modal, unresolved-title, executive, no-visitor, no-target) or the rule behind each edge it gave (destination, inspect-reference, after-cue, place-after-cue, host-phrase, locative, object-before, scene, headline, escort); each companion with the cue that found it and why it was kept or dropped; then the page's edges. Takes the same dictionary flags and inputs as extract."
    )]
    Explain(explain::ExplainArgs),
    /// Validate the dictionaries: errors as file:line (exit 1), warnings counted (exit 0).
    Check(check::CheckArgs),
    /// List names that act like entities but are not in the dictionaries, as rows to append
    /// (or, with -o DIR, write them as a dictionary layer folder).
    #[command(
        long_about = "List names that act like entities but are not in the dictionaries: officials after titles and before visit cues, organizations and places by their suffixes, ranked by frequency. The listing (standard output) is TSV rows in the dictionary format, one section per file, each row after a # line with the titles seen, the documents and one context (--format json: a JSON array). With -o DIR the candidates are written instead as a dictionary layer folder, the layer `extract --discover` lays on top: check it with `visitgraph check --dict DIR`, edit it, and extract with `--dict DIR`.\n\nExamples:\n  visitgraph candidates --dict my/dict pages/\n  visitgraph candidates --min-count 2 -o new-layer pages/ && visitgraph check --dict new-layer\n  visitgraph extract --dict my/dict --dict new-layer pages/ -o g.json"
    )]
    Candidates(candidates::CandidatesArgs),
    /// Compare two graphs: nodes and edges added, removed, changed (exit 1 when different).
    Diff(diff::DiffArgs),
    /// Merge shard graphs into one (the reduce step after `extract` over shards).
    Merge(merge::MergeArgs),
    /// Benchmark helper: dictionary load and compile time and a bare matcher scan, as JSON.
    Scan(scan::ScanArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        long_about = "Print a shell completion script on standard output.\n\nExamples:\n  visitgraph completions bash > ~/.local/share/bash-completion/completions/visitgraph\n  visitgraph completions zsh > ~/.zfunc/_visitgraph\n  visitgraph completions fish > ~/.config/fish/completions/visitgraph.fish"
    )]
    Completions(completions::CompletionsArgs),
    /// Write the man page (roff) on standard output, or to -o FILE.
    #[command(
        long_about = "Write the man page (roff, section 1) on standard output, or to -o FILE.\n\nExamples:\n  visitgraph man | man -l -\n  visitgraph man -o ~/.local/share/man/man1/visitgraph.1"
    )]
    Man(completions::ManArgs),
}

/// Dictionary flags, common to every command that reads dictionaries.
#[derive(Debug, Clone, Args)]
pub(crate) struct DictArgs {
    /// A dictionary folder laid on top of the built-in one (repeatable; later wins).
    #[arg(long = "dict", value_name = "DIR")]
    pub(crate) dict: Vec<PathBuf>,
    /// Drop the built-in entities (its trigger lexicon stays unless a DIR has triggers.tsv).
    #[arg(long)]
    pub(crate) no_builtin: bool,
}

/// The builder for the dictionary layers a command asked for.
pub(crate) fn dictionary_builder(d: &DictArgs) -> Result<DictionaryBuilder> {
    let mut b = DictionaryBuilder::new().no_builtin(d.no_builtin);
    for dir in &d.dict {
        b = b.layer(Layer::from_dir(dir)?);
    }
    Ok(b)
}

/// Load the dictionary layers a command asked for. A fatal problem is an error; references
/// to unknown ids are left out with one line on stderr (`visitgraph check` lists them).
pub(crate) fn load_dictionary(d: &DictArgs) -> Result<Dictionary> {
    let (dict, diags) = dictionary_builder(d)?.build_checked();
    if let Some(f) = diags.iter().find(|x| x.fatal) {
        return Err(Error::dict(&f.path, f.line, f.msg.clone()));
    }
    let left_out: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == crate::dict::Severity::Error)
        .collect();
    if let Some(first) = left_out.first() {
        eprintln!(
            "visitgraph: dictionary: {} reference(s) to unknown ids left out, first {first} (see `visitgraph check`)",
            left_out.len()
        );
    }
    Ok(dict)
}

/// Name on stderr the warnings and skipped documents of one source's read (or the source,
/// when it could not be read at all), as `extract` and `candidates` do.
pub(crate) fn report_read(read: &Result<crate::input::Loaded>) {
    match read {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("visitgraph: warning: {w}");
            }
            for s in &r.skipped {
                eprintln!("visitgraph: skipped {}: {}", s.what, s.reason);
            }
        }
        Err(e) => eprintln!("visitgraph: skipped {e}"),
    }
}

/// Count one source's read in `tally`: its documents and skips, or one unreadable source.
pub(crate) fn tally_read(read: &Result<crate::input::Loaded>, tally: &mut crate::input::Tally) {
    match read {
        Ok(r) => tally.add(r),
        Err(_) => tally.add_error(),
    }
}

/// Write bytes to a file atomically (temporary file beside it, then rename), or to stdout.
/// A closed stdout (`| head`) ends quietly.
pub(crate) fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    write_output_with(path, |w| w.write_all(bytes))
}

/// Like [`write_output`], with the bytes produced by a writer function as they come (a large
/// graph is never held in memory as one buffer).
pub(crate) fn write_output_with(
    path: Option<&Path>,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match path {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match produce(&mut out).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Error::io(Path::new("<stdout>"), e)),
                Ok(()) => Ok(()),
            }
        }
        Some(p) => {
            check_output_path(p)?;
            let p = match output_target(p) {
                Target::Replace(real) => real,
                Target::InPlace => return write_in_place(p, produce),
            };
            let p = p.as_path();
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
                let f = std::fs::File::create(&tmp)?;
                let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                produce(&mut w)?;
                let f = w.into_inner().map_err(|e| e.into_error())?;
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

/// How `-o PATH` is written.
enum Target {
    /// A regular file, new or existing: written beside itself and renamed over this path
    /// (a symbolic link's target, so the link stays a link).
    Replace(PathBuf),
    /// Something that exists and is not a regular file (`/dev/null`, a FIFO, a terminal):
    /// written where it is, since renaming over it would replace a device with a file.
    InPlace,
}

fn output_target(p: &Path) -> Target {
    match std::fs::metadata(p) {
        Ok(m) if !m.is_file() => Target::InPlace,
        Ok(_) => Target::Replace(std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())),
        // A dangling link is written through (creating its target); a new path is new.
        Err(_) if p.is_symlink() => Target::InPlace,
        Err(_) => Target::Replace(p.to_path_buf()),
    }
}

/// Write to a device, FIFO or dangling link as it is (see [`Target::InPlace`]).
fn write_in_place(
    p: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let res = (|| {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(p)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        produce(&mut w)?;
        w.flush()
    })();
    match res {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(p, e)),
        Ok(()) => Ok(()),
    }
}

/// Can `-o PATH` be written at all? Its folder must exist (the message names it: `cannot
/// write g.json: the folder /no/such/dir does not exist`), and the path must not be a
/// folder itself. Checked again when the output is written; a command can call it before
/// any work starts.
pub(crate) fn check_output_path(path: &Path) -> Result<()> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir
        && !dir.is_dir()
    {
        let why = if dir.exists() {
            "is not a folder"
        } else {
            "does not exist"
        };
        return Err(Error::Usage(format!(
            "cannot write {name}: the folder {} {why}",
            dir.display()
        )));
    }
    if path.file_name().is_none() {
        return Err(Error::Usage(format!(
            "cannot write {}: -o wants a file name",
            path.display()
        )));
    }
    Ok(())
}

/// The output format: `--format` when given, otherwise the one `-o`'s extension names
/// ([`Format::from_path`]: `g.dot` is DOT, `g.csv` the events table…), otherwise JSON. An
/// explicit `--format` that a known extension contradicts (`--format dot -o g.json`) is a
/// usage error; an extension no format claims (`g.txt`) leaves the choice to the flag.
pub(crate) fn resolve_format(flag: Option<Format>, output: Option<&Path>) -> Result<Format> {
    let by_name = output.and_then(Format::from_path);
    match (flag, by_name) {
        (Some(f), Some(e)) if f != e && !compatible(f, e) => Err(Error::Usage(format!(
            "--format {} contradicts the extension of -o {} (which means --format {}): drop one, or rename the file",
            format_name(f),
            output.map(|p| p.display().to_string()).unwrap_or_default(),
            format_name(e)
        ))),
        (Some(f), _) => Ok(f),
        (None, Some(e)) => Ok(e),
        (None, None) => Ok(Format::Json),
    }
}

/// Formats one extension can hold: `.json` is the graph's JSON by default, and Cytoscape's
/// elements are JSON too.
fn compatible(flag: Format, by_extension: Format) -> bool {
    by_extension == Format::Json && flag == Format::Cytoscape
}

/// A format's `--format` name.
pub(crate) fn format_name(f: Format) -> String {
    clap::ValueEnum::to_possible_value(&f)
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// Parse the command line and run it.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Check(a) => check::run(a),
        Command::Candidates(a) => candidates::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Scan(a) => scan::run(a),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_the_extension_decides_otherwise() {
        let p = |s: &'static str| Some(Path::new(s));
        assert_eq!(resolve_format(None, None).unwrap(), Format::Json);
        assert_eq!(resolve_format(None, p("g.txt")).unwrap(), Format::Json);
        assert_eq!(resolve_format(None, p("g.dot")).unwrap(), Format::Dot);
        assert_eq!(resolve_format(None, p("e.csv")).unwrap(), Format::EventsCsv);
        assert_eq!(
            resolve_format(Some(Format::Gexf), p("g.txt")).unwrap(),
            Format::Gexf
        );
        assert_eq!(
            resolve_format(Some(Format::Dot), p("g.gv")).unwrap(),
            Format::Dot
        );
        assert_eq!(
            resolve_format(Some(Format::Cytoscape), p("g.json")).unwrap(),
            Format::Cytoscape
        );
        assert_eq!(
            resolve_format(Some(Format::Neo4j), p("neo4j-out")).unwrap(),
            Format::Neo4j
        );
        let err = resolve_format(Some(Format::Dot), p("g.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("--format dot contradicts"), "{err}");
    }

    #[test]
    fn a_missing_folder_is_named() {
        let err = check_output_path(Path::new("/nonexistent/dir/g.json"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "cannot write g.json: the folder /nonexistent/dir does not exist"
        );
        assert!(check_output_path(Path::new("g.json")).is_ok());
    }
}
