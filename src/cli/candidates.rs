//! `visitgraph candidates`: names that act like entities but are not in the dictionaries.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{DictArgs, dictionary_builder, load_dictionary, write_output};
use crate::dict::discover::{self, Candidate, Discoverer};
use crate::dict::{Dictionary, Layer};
use crate::error::{Error, Result};
use crate::input;
use crate::page::Extractor;

/// Output of `candidates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CandFormat {
    /// Dictionary rows, one section per file, each after a `#` comment with its evidence.
    Tsv,
    /// A JSON array.
    Json,
}

/// `candidates` arguments.
#[derive(Debug, Args)]
pub struct CandidatesArgs {
    #[command(flatten)]
    dicts: DictArgs,
    /// Output format of the listing on standard output.
    #[arg(long, value_enum, default_value = "tsv")]
    format: CandFormat,
    /// Only candidates seen at least this many times (the listing and -o alike).
    #[arg(long, default_value_t = 1)]
    min_count: usize,
    /// Write the candidates as a dictionary layer folder instead of the listing.
    #[arg(
        short = 'o',
        long,
        value_name = "DIR",
        conflicts_with = "format",
        long_help = "Write the candidates as a dictionary layer folder DIR instead of the \
listing: every file of the layer `extract --discover` lays on top (officials.tsv, \
organizations.tsv, places.tsv…), each entity with the column `candidate` = `true`, ready for \
`visitgraph check --dict DIR` and `visitgraph extract --dict DIR` (which then gives the \
edges `extract --discover` gives). Executives are left out (without a post at their firm \
they would pass for officials). DIR is created if missing; each file is written to a \
temporary file beside it and renamed into place once all are written. A DIR that already \
holds one of these files is refused (exit 2) unless --force is given; other files in DIR \
are left alone."
    )]
    output: Option<PathBuf>,
    /// With -o: replace the layer files DIR already holds.
    #[arg(long, requires = "output")]
    force: bool,
    /// Read standard input (`-`) as JSON Lines (as `extract --jsonl`).
    #[arg(long)]
    jsonl: bool,
    /// Skip any page larger than SIZE (as `extract --max-bytes`).
    #[arg(long, value_name = "SIZE", default_value = "8M", value_parser = input::parse_size)]
    max_bytes: u64,
    /// Pages: files, folders or - for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

/// Run discovery over sources with a dictionary, reading them as `reading` says (so
/// `--max-bytes` and `--jsonl` hold here as in extraction), JSON Lines streamed record by
/// record. With `report`, each skipped source and warning is named on stderr as `extract`
/// names it; the tally counts them either way.
pub fn discover(
    dict: Dictionary,
    sources: &[input::Source],
    reading: &input::Options,
    report: bool,
    jobs: usize,
) -> Result<(Vec<Candidate>, input::Tally)> {
    // The word lexicon loads while the first pages are read (a tenth of a second that
    // would otherwise hold up every discovery thread).
    std::thread::spawn(|| {
        crate::page::matcher::jieba();
    });
    let ex = Extractor::new(dict)?;
    let mut d = Discoverer::new(&ex.dict, ex.matcher());
    let mut tally = input::Tally::default();
    // Pages are read in batches; each batch is cut into one run of pages per thread and
    // the runs' findings merged in reading order, so any number of jobs finds the same.
    let mut batch: Vec<(String, String)> = Vec::new();
    let mut batch_bytes = 0usize;
    for src in sources {
        let read = input::read_each(src, reading, &mut |rec| {
            batch_bytes += rec.text.len();
            batch.push((rec.name, rec.text));
            if batch_bytes >= DISCOVER_BATCH_BYTES {
                discover_batch(&mut d, &batch, jobs);
                batch.clear();
                batch_bytes = 0;
            }
            true
        });
        if report {
            super::report_read(&read);
        }
        super::tally_read(&read, &mut tally);
    }
    discover_batch(&mut d, &batch, jobs);
    Ok((d.finish(), tally))
}

/// Bytes of pages read before a batch is handed to the discovery threads.
const DISCOVER_BATCH_BYTES: usize = 8 << 20;

/// Read one batch of pages on `jobs` threads, each its own run, merged in order.
fn discover_batch(d: &mut Discoverer<'_>, batch: &[(String, String)], jobs: usize) {
    if batch.is_empty() {
        return;
    }
    let jobs = jobs.clamp(1, batch.len());
    if jobs == 1 {
        for (name, text) in batch {
            d.add(name, text);
        }
        return;
    }
    let per = batch.len().div_ceil(jobs);
    let runs: Vec<Discoverer<'_>> = std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(per)
            .map(|run| {
                let mut part = d.fork();
                scope.spawn(move || {
                    for (name, text) in run {
                        part.add(name, text);
                    }
                    part
                })
            })
            .collect();
        // A run that panicked panics here, as a page would in extraction.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    for part in runs {
        d.merge(part);
    }
}

/// The dictionary a command asked for, with the candidates of `sources` laid on top. The
/// discovery pass names no skipped source: the extraction pass that follows reads the same
/// sources with the same options and names each once.
pub fn with_candidates(
    dicts: &DictArgs,
    sources: &[input::Source],
    reading: &input::Options,
    jobs: usize,
) -> Result<Dictionary> {
    let (cands, _) = discover(load_dictionary(dicts)?, sources, reading, false, jobs)?;
    let files = discover::as_layer_files(&cands);
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    dictionary_builder(dicts)?
        .layer(Layer::from_texts("candidates", &refs))
        .build()
}

/// Run `candidates`.
pub fn run(a: CandidatesArgs) -> Result<ExitCode> {
    if let Some(dir) = &a.output {
        // Refuse before the work, not after it (and again when writing).
        let names: Vec<&str> = discover::as_layer_files(&[])
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        layer_dir_ready(dir, &names, a.force)?;
    }
    let sources = input::gather(&a.inputs)?;
    let reading = input::Options {
        max_bytes: a.max_bytes,
        stdin_jsonl: a.jsonl,
    };
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (mut cands, tally) = discover(load_dictionary(&a.dicts)?, &sources, &reading, true, jobs)?;
    cands.retain(|c| c.count >= a.min_count);
    if let Some(dir) = &a.output {
        let files = discover::as_layer_files(&cands);
        write_layer(dir, &files, a.force)?;
        let rows: Vec<String> = files
            .iter()
            .map(|(n, t)| format!("{n} {}", t.lines().count().saturating_sub(1)))
            .collect();
        eprintln!(
            "visitgraph: wrote the candidates layer {} (rows: {})",
            dir.display(),
            rows.join(", ")
        );
        return Ok(finish(&tally));
    }
    let text = match a.format {
        CandFormat::Tsv => discover::to_tsv(&cands),
        CandFormat::Json => {
            let mut s = serde_json::to_string_pretty(&cands)
                .map_err(|e| Error::json("the candidates", e))?;
            s.push('\n');
            s
        }
    };
    write_output(None, text.as_bytes())?;
    Ok(finish(&tally))
}

/// The reading's summary on stderr when it is worth one, and the exit status: 3 when some
/// input was skipped.
fn finish(tally: &input::Tally) -> ExitCode {
    if tally.noteworthy() {
        eprintln!("visitgraph: {}", tally.summary());
    }
    if tally.total_skipped() > 0 {
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
}

/// May the layer files `names` be written into `dir`? It must be a folder or not exist, and
/// hold none of them unless `force` (and never a folder by one of their names).
fn layer_dir_ready(dir: &Path, names: &[&str], force: bool) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(Error::Usage(format!(
                "{} exists and is not a folder (-o names the layer folder)",
                dir.display()
            )));
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    }
    for n in names {
        let p = dir.join(n);
        // `symlink_metadata`: a dangling link counts as a file that is there.
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.is_dir() => {
                return Err(Error::Usage(format!(
                    "{} is a folder: the candidates layer cannot be written there",
                    p.display()
                )));
            }
            Ok(_) if !force => {
                return Err(Error::Usage(format!(
                    "refusing to write the candidates layer into {}: it already holds {n} (--force replaces it)",
                    dir.display()
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Write a layer's files into `dir` (created if missing): every file to a temporary file
/// beside its place first, then each renamed into place, so no file is ever half written and
/// a failure before the renames leaves `dir` as it was.
fn write_layer(dir: &Path, files: &[(&'static str, String)], force: bool) -> Result<()> {
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    layer_dir_ready(dir, &names, force)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let pid = std::process::id();
    let mut written: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let clean = |tmps: &[(PathBuf, PathBuf)]| {
        for (t, _) in tmps {
            let _ = std::fs::remove_file(t);
        }
    };
    for (name, text) in files {
        let dest = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp{pid}"));
        let res = (|| -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })();
        written.push((tmp, dest.clone()));
        if let Err(e) = res {
            clean(&written);
            return Err(Error::io(&dest, e));
        }
    }
    for (i, (tmp, dest)) in written.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, dest) {
            clean(&written[i..]);
            return Err(Error::io(dest, e));
        }
    }
    Ok(())
}
