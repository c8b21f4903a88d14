//! `visitgraph extract`: pages in, the merged graph out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{DictArgs, load_dictionary};
use crate::corpus::graph::GraphView;
use crate::corpus::spill::SpillGraph;
use crate::dict::Dictionary;
use crate::error::{Error, Result};
use crate::input;
use crate::output::{self, Filters, Format, Relation};
use crate::page::Extractor;
use crate::store::{self, Store};
use pipeline::{Run, source_len};

mod pipeline;

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Worker threads (default: all cores). The output is the same bytes for any N.
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar (it only shows when stderr is a terminal anyway), and no summary
    /// line after the run (pages read and skipped, nodes by type, visits, companions,
    /// undated evidence) unless something was skipped or repaired.
    #[arg(short = 'q', long)]
    quiet: bool,
    /// Print timings (dictionary load, compile, extraction, MB/s) as one JSON line on stderr.
    #[arg(long)]
    stats: bool,
    /// Output format (neo4j writes a folder: -o DIR). Default: the one -o's extension names
    /// (.json .dot .gv .graphml .gexf .cyjs .html .htm .csv .jsonl), else json.
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[command(flatten)]
    filters: FilterArgs,
    /// Open world: first read the pages for the people, firms and places they name that no
    /// dictionary has (officials by their titles, executives by their firm's, organizations
    /// by their suffix or a visit list, short names as aliases, posts seen with their place;
    /// see `candidates` and the README's "Open world"), lay them over the dictionaries as
    /// nodes with `"candidate": true`, then extract as usual: the same rules decide, and a
    /// dictionary name always wins. The first pass runs on every job and finds the same for
    /// any --jobs; standard input is read from a temporary copy.
    #[arg(long)]
    discover: bool,
    /// Write to FILE (atomically) instead of standard output; a folder for --format neo4j.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Keep the run in an SQLite database (created if missing), and on the next run with it
    /// extract only the pages that are new or changed, or that a dictionary change can
    /// reach; pages no longer given are removed from it. The output is the same bytes as
    /// without it. Query it in SQL: views `visits`, `companions`, `documents`,
    /// `relations` (see the README's "The store").
    #[arg(long, value_name = "FILE")]
    store: Option<PathBuf>,
    /// Read standard input (`-`) as JSON Lines: one record per line with `id` and `text` or
    /// `html`, optional `url` (every piece of evidence read in the record carries it),
    /// `published`, `title`.
    #[arg(long)]
    jsonl: bool,
    /// Skip any page larger than SIZE (bytes, or with a K, M or G suffix): a text or HTML
    /// file, or one JSON Lines line.
    #[arg(long, value_name = "SIZE", default_value = "8M", value_parser = input::parse_size)]
    max_bytes: u64,
    /// Evidence held in memory (estimated) before it is spilled, sorted, to a temporary
    /// file (in TMPDIR) and merged back at output, so memory does not grow with the corpus
    /// (the events formats hold as many bytes of rows); the output is the same bytes for any
    /// SIZE.
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = input::parse_size)]
    spill_limit: u64,
    /// Pages: files, folders (*.txt, *.html, *.htm, *.jsonl, *.warc, each plain, .gz or
    /// .zst, recursively) or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// Filters, for every format.
#[derive(Debug, Args)]
struct FilterArgs {
    /// Keep only evidence dated on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Keep only evidence dated on or before DATE (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Keep only these relations (repeatable, or comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "REL")]
    relation: Vec<Relation>,
    /// Keep only the neighbourhood of one official, organization or place: its id, name or
    /// alias (simplified or traditional).
    #[arg(long, value_name = "ID|NAME")]
    around: Option<String>,
    /// With --around: how many hops, ignoring edge direction.
    #[arg(long, value_name = "K", default_value_t = 1, requires = "around")]
    hops: usize,
}

/// A validated extraction request.
pub struct ExtractConfig {
    /// The resolved dictionary.
    pub dict: Dictionary,
    /// Output format.
    pub format: Format,
    /// What to keep.
    pub filters: Filters,
    /// Output file (or folder), or stdout.
    pub output: Option<PathBuf>,
    /// The pages.
    pub sources: Vec<input::Source>,
    /// How to read them.
    pub reading: input::Options,
    /// Worker threads.
    pub jobs: usize,
    /// Show a progress bar (stderr is a terminal, not --quiet).
    pub progress: bool,
    /// No summary line (and no hint for an empty graph) unless something was skipped.
    pub quiet: bool,
    /// Print timings.
    pub stats: bool,
    /// Seconds spent loading the dictionaries.
    pub load_secs: f64,
    /// Estimated bytes of evidence held in memory before a spill to disk.
    pub spill_limit: usize,
    /// Standard input copied to a temporary file, for `--discover` (which reads the sources
    /// twice); deleted when the run ends.
    pub stdin_copy: Option<tempfile::TempPath>,
    /// The store to keep the run in, and read unchanged pages' relations from.
    pub store: Option<PathBuf>,
}

impl ExtractArgs {
    fn validate(self) -> Result<ExtractConfig> {
        let format = super::resolve_format(self.format, self.output.as_deref())?;
        if let Some(out) = &self.output {
            super::check_output_path(out)?;
        }
        let mut sources = input::gather(&self.inputs)?;
        let reading = input::Options {
            max_bytes: self.max_bytes,
            stdin_jsonl: self.jsonl,
        };
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
        if format.is_folder() && self.output.is_none() {
            return Err(Error::Usage(format!(
                "--format {}: writes a folder; name it with -o DIR",
                super::format_name(format)
            )));
        }
        let f = self.filters;
        let filters = Filters {
            since: f.since,
            until: f.until,
            relations: f.relation,
            around: f.around,
            hops: f.hops,
        };
        let jobs = match self.jobs {
            Some(0) => return Err(Error::Usage("--jobs must be at least 1".into())),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        // The word lexicon (jieba's, for the word-boundary checks of names) loads on its own
        // thread while the dictionaries load and compile: about a tenth of a second that
        // would otherwise hold up the first worker to need it, and every other one with it.
        std::thread::spawn(|| {
            crate::page::matcher::jieba();
        });
        // So is the table of names as converters write them in traditional script.
        std::thread::spawn(crate::page::variants::prepare);
        let loading = std::time::Instant::now();
        // Discovery reads the sources once more than extraction: standard input, which can
        // be read only once, is read from a copy by both.
        let mut stdin_copy = None;
        let dict = if self.discover {
            stdin_copy = input::spool_stdin(&mut sources)?;
            super::candidates::with_candidates(&self.dicts, &sources, &reading, jobs)?
        } else {
            load_dictionary(&self.dicts)?
        };
        filters.validate(&dict)?;
        Ok(ExtractConfig {
            dict,
            format,
            filters,
            output: self.output,
            sources,
            jobs,
            progress: !self.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
            quiet: self.quiet,
            stats: self.stats,
            load_secs: loading.elapsed().as_secs_f64(),
            spill_limit: usize::try_from(self.spill_limit).unwrap_or(usize::MAX),
            reading,
            stdin_copy,
            store: self.store,
        })
    }
}

/// Extract: read every page, merge, write.
fn extract(cfg: ExtractConfig) -> Result<ExitCode> {
    let ExtractConfig {
        dict,
        format,
        filters,
        output,
        sources,
        reading,
        jobs,
        progress,
        quiet,
        stats,
        load_secs,
        spill_limit,
        stdin_copy: _stdin_copy,
        store,
    } = cfg;
    let compiling = std::time::Instant::now();
    // A rerun with a store compiles the matcher only if a page needs it.
    let ex = match &store {
        Some(p) if p.exists() => Extractor::deferred(dict),
        _ => Extractor::new(dict)?,
    };
    let compile_secs = compiling.elapsed().as_secs_f64();
    let opening = std::time::Instant::now();
    let (store, before) = match store.map(|p| Store::open(&p, &ex.dict)).transpose()? {
        Some((s, b)) => (Some(s), Some(b)),
        None => (None, None),
    };
    let store_secs = opening.elapsed().as_secs_f64();
    let started = std::time::Instant::now();
    let cpu_started = if stats { process_cpu_secs() } else { None };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("vg-worker-{i}"))
        .build()
        .map_err(|e| Error::thread("worker pool", format!("cannot start {jobs} threads: {e}")))?;
    let bar = progress.then(|| progress_bar(&sources));
    let run = Run {
        ex: &ex,
        sources: &sources,
        reading: &reading,
        bar: bar.as_ref(),
        jobs,
        spill_limit,
        delta: before.as_ref().map(|b| &b.delta),
    };
    let lookup = before.as_ref().map(store::Before::lookup).transpose()?;
    let pipeline::Done {
        tally,
        documents,
        bytes,
        graph,
        store: done,
    } = run.extract_all(&pool, lookup, store)?;
    if let Some(e) = ex.compile_error() {
        return Err(Error::Usage(e.to_string()));
    }
    // The store's transaction commits once every page is in the graph, before the output
    // is written (which does not read it).
    let committing = std::time::Instant::now();
    let store = match (done, &before) {
        (Some((st, seen, mut counts)), Some(before)) => {
            let size = st.finish(before, seen, &mut counts)?;
            Some((counts, size, store_secs, committing.elapsed().as_secs_f64()))
        }
        _ => None,
    };
    let extract_secs = started.elapsed().as_secs_f64();
    let cpu_secs = process_cpu_secs()
        .zip(cpu_started)
        .map(|(b, a)| ((b - a) * 100.0).round() / 100.0);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // Every format streams from the graph's runs, one node or edge at a time; filters are a
    // view over them (one more walk to find what survives), so the graph is never whole.
    // On the workers' pool: a format that lays out its items in parallel uses `--jobs`
    // threads, as extraction did.
    let writing = std::time::Instant::now();
    let out = output.as_deref();
    if filters.is_empty() {
        pool.install(|| write_graph(format, &graph, &ex.dict, out, spill_limit))?;
    } else {
        let view = filters.view(&graph, &ex.dict)?;
        pool.install(|| write_graph(format, &view, &ex.dict, out, spill_limit))?;
        let undated = view.undated_dropped();
        if undated > 0 && !quiet {
            eprintln!(
                "visitgraph: --since/--until left out {undated} piece{} of evidence with no date (from pages that give none)",
                if undated == 1 { "" } else { "s" }
            );
        }
    }
    let output_secs = writing.elapsed().as_secs_f64();
    if !quiet || tally.noteworthy() {
        eprintln!("visitgraph: {}", summary(&tally, &graph, &ex.dict));
    }
    if !quiet && graph.node_indices().next().is_none() && documents > 0 {
        eprintln!(
            "visitgraph: {}",
            empty_hint(&ex.dict, &sources, &reading, jobs)
        );
    }
    // The timings last, so that scripts find them on the last line.
    if stats {
        let mut line = serde_json::json!({
            "dictionary_secs": load_secs,
            "compile_secs": compile_secs,
            "extract_secs": extract_secs,
            "output_secs": output_secs,
            "documents": documents,
            "bytes": bytes,
            "mb_per_s": bytes as f64 / 1e6 / extract_secs.max(1e-9),
            "documents_per_s": documents as f64 / extract_secs.max(1e-9),
            "jobs": jobs,
            // CPU time of every thread over the extraction (Linux; null elsewhere): with
            // `extract_secs`, how many cores were kept busy.
            "cpu_secs": cpu_secs,
            "spilled_runs": graph.spilled_runs(),
        });
        if let (Some((c, size, open, commit)), Some(m)) = (store, line.as_object_mut()) {
            m.insert("store_open_secs".into(), open.into());
            m.insert("store_commit_secs".into(), commit.into());
            m.insert("added".into(), c.added.into());
            m.insert("reextracted".into(), c.reextracted.into());
            m.insert("reused".into(), c.reused.into());
            m.insert("removed".into(), c.removed.into());
            m.insert("store_bytes".into(), size.into());
        }
        eprintln!("{line}");
    }
    if tally.total_skipped() > 0 {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

/// The run's summary: `30 documents read, 0 skipped; graph: 12 officials, 20
/// organizations, 3 places; 57 visits, 40 companions (2 undated)`.
fn summary(tally: &input::Tally, graph: &SpillGraph, dict: &Dictionary) -> String {
    let mut by_type = [0usize; 3];
    for i in graph.node_indices() {
        by_type[dict.ty(i) as usize] += 1;
    }
    let ([visits, companions], undated) = graph.relations_added();
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    format!(
        "{}; graph: {}, {}, {}; {}, {} ({undated} undated)",
        tally.summary(),
        n(by_type[0], "official", "officials"),
        n(by_type[1], "organization", "organizations"),
        n(by_type[2], "place", "places"),
        n(visits, "visit", "visits"),
        n(companions, "companion", "companions"),
    )
}

/// Why a graph may be empty, and what would find names: `candidates` on the same pages
/// (their count, when the pages can be read again).
fn empty_hint(
    dict: &Dictionary,
    sources: &[input::Source],
    reading: &input::Options,
    jobs: usize,
) -> String {
    let layers: Vec<&str> = dict
        .layers
        .iter()
        .map(|l| l.source.as_str())
        .filter(|l| !l.starts_with("builtin"))
        .collect();
    let which = if layers.is_empty() {
        "the built-in dictionaries only".to_string()
    } else {
        format!("the dictionaries {}", layers.join(", "))
    };
    let rereadable = sources.iter().all(|s| {
        matches!(
            s.origin,
            input::Origin::File(_) | input::Origin::StdinCopy(_)
        )
    });
    let found = rereadable
        .then(|| super::candidates::discover(dict.clone(), sources, reading, false, jobs).ok())
        .flatten()
        .map(|(c, _)| c.len());
    match found {
        Some(k) if k > 0 => format!(
            "no visit found with {which}: `visitgraph candidates` finds {k} names on these pages that no dictionary has (add them with --dict, or try `extract --discover`)"
        ),
        _ => format!(
            "no visit found with {which}: no official of the dictionaries visits on these pages (see `visitgraph explain PAGE` for why a page gives nothing)"
        ),
    }
}

/// Write the graph in a format to `-o` (atomically) or standard output.
fn write_graph<G: GraphView>(
    format: Format,
    graph: &G,
    dict: &Dictionary,
    output: Option<&Path>,
    spill_limit: usize,
) -> Result<()> {
    match (format.is_folder(), output) {
        (true, Some(dir)) => output::write_folder_with(dir, graph, dict),
        (true, None) => Err(Error::Usage("this format writes a folder: -o DIR".into())),
        (false, out) => super::write_output_with(out, |w| {
            output::write_limited(format, graph, dict, w, spill_limit)
        }),
    }
}

/// Documents, MB/s and ETA on stderr, for long runs on a terminal.
fn progress_bar(sources: &[input::Source]) -> indicatif::ProgressBar {
    let total: u64 = sources.iter().map(source_len).sum();
    let bar = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Run `extract`.
pub fn run(a: ExtractArgs) -> Result<ExitCode> {
    extract(a.validate()?)
}

/// User and system CPU seconds of the whole process so far, from `/proc/self/stat` (Linux's
/// clock ticks, 100 per second); `None` where there is no such file.
fn process_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces, so split after its `)`):
    // state is field 3, utime 14 and stime 15.
    let rest = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
