//! `visitgraph extract`: pages in, the merged graph out.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rayon::prelude::*;

use super::{DictArgs, load_dictionary};
use crate::corpus::graph::GraphView;
use crate::corpus::spill::SpillGraph;
use crate::dict::Dictionary;
use crate::error::{Error, Result};
use crate::input;
use crate::output::{self, Filters, Format, Relation};
use crate::page::{Extractor, FoundBatch, Provenance};
use crate::store::{self, Counts, Lookup, PageOut, Prior, Store};

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
    let (tally, documents, bytes, graph, done) = run.extract_all(&pool, lookup, store)?;
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
    let writing = std::time::Instant::now();
    if filters.is_empty() {
        write_graph(format, &graph, &ex.dict, output.as_deref(), spill_limit)?;
    } else {
        let view = filters.view(&graph, &ex.dict)?;
        write_graph(format, &view, &ex.dict, output.as_deref(), spill_limit)?;
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

/// One extraction run's pages and settings, shared by its threads.
struct Run<'r> {
    ex: &'r Extractor,
    sources: &'r [input::Source],
    reading: &'r input::Options,
    bar: Option<&'r indicatif::ProgressBar>,
    jobs: usize,
    spill_limit: usize,
    /// With a store: what the dictionary change reaches.
    delta: Option<&'r store::delta::Delta>,
}

/// What the reading thread counted: the tally of sources, documents and their bytes.
type ReadCounts = (input::Tally, usize, usize);

/// A page on its way to the workers: the record, the source it was read from, and with a
/// store what the store knows of it.
struct Page {
    rec: input::Record,
    source: usize,
    prior: Option<Prior>,
}

/// One share of a batch: its relations, and each page's outcome by its number in the batch
/// (with a store: `None` when its stored relations were reused, else their JSON).
type Packed = (FoundBatch, Vec<(usize, Option<String>)>);

/// A batch's relations, and with a store what to keep of each page.
type Extracted = (Vec<FoundBatch>, Vec<PageOut>);

/// What a run with a store hands back to be committed: the store, the rows of the pages
/// read, the counts.
type StoreDone = Option<(Store, Vec<i64>, Counts)>;

impl Run<'_> {
    /// Read, extract and merge every page: the tally, documents, bytes and the graph.
    ///
    /// Pages flow in bounded batches: a reader thread reads them in order ([`Run::read`])
    /// while the workers extract the previous batch on every core ([`Run::extract`]), and
    /// batches are merged in order ([`Run::merge`]) — so memory depends on the batch size
    /// and the spill limit, not on the corpus, and the output does not depend on the number
    /// of threads. A thread that panics stops the run with an error: a reader that stopped
    /// early would leave a graph of the pages read so far, which must not pass for the
    /// whole.
    fn extract_all(
        &self,
        pool: &rayon::ThreadPool,
        lookup: Option<Lookup<'_>>,
        store: Option<Store>,
    ) -> Result<(input::Tally, usize, usize, SpillGraph, StoreDone)> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Page>>(2);
        // Threads are named (`top -H`, `perf report --sort comm` show where the time goes).
        let thread = |name: &str| std::thread::Builder::new().name(format!("vg-{name}"));
        let cannot =
            |e: std::io::Error| Error::thread("extract", format!("cannot start a thread: {e}"));
        // Batches are extracted with no barrier between them: up to `in_flight` at once.
        // The merger hands a token back for every batch it has merged: that bounds the
        // batches held at once.
        let in_flight = self.jobs * 4;
        let (mtx, mrx) = std::sync::mpsc::channel::<(usize, Extracted)>();
        let (tok_tx, tok_rx) = std::sync::mpsc::sync_channel::<()>(in_flight);
        for _ in 0..in_flight {
            let _ = tok_tx.send(());
        }
        let (read, merged) = std::thread::scope(|scope| {
            let reader = thread("reader")
                .spawn_scoped(scope, || self.read(tx, lookup))
                .map_err(cannot)?;
            let merger = thread("merger")
                .spawn_scoped(scope, move || self.merge(mrx, tok_tx, store))
                .map_err(cannot)?;
            self.extract(pool, rx, tok_rx, mtx);
            // (Both are joined before either error returns: the scope would panic on a
            // thread that panicked and was not joined.)
            let merged = merger.join();
            let read = reader.join();
            let merged = merged.map_err(|p| Error::panicked("the merging thread", &*p))?;
            let read = read.map_err(|p| Error::panicked("the reading thread", &*p))?;
            Ok::<_, Error>((read, merged))
        })?;
        release_freed_memory();
        // A spill that failed (no room, no temporary folder), or a store that could not be
        // read or written, stops the run.
        let (graph, store) = merged?;
        let ((tally, documents, bytes), seen) = read?;
        let done = match (store, seen) {
            (Some((st, counts)), Some(seen)) => Some((st, seen, counts)),
            _ => None,
        };
        Ok((tally, documents, bytes, graph, done))
    }

    /// The reading thread: every source in order, its documents sent in batches (a JSON
    /// Lines file of any size is never held whole), each skip named on stderr.
    fn read(
        &self,
        tx: std::sync::mpsc::SyncSender<Vec<Page>>,
        mut lookup: Option<Lookup<'_>>,
    ) -> Result<(ReadCounts, Option<Vec<i64>>)> {
        let panic_for_test = test_hook_reader_panic();
        let bar = self.bar;
        let mut tally = input::Tally::default();
        let (mut documents, mut bytes) = (0usize, 0usize);
        let mut batch: Vec<Page> = Vec::new();
        let mut batch_bytes = 0usize;
        let mut stopped = false;
        let mut failed = None;
        // Bytes of the sources read whole, for the progress bar.
        let mut done = 0u64;
        for (source, src) in self.sources.iter().enumerate() {
            let len = if bar.is_some() { source_len(src) } else { 0 };
            let mut within = 0u64;
            let read = input::read_each(src, self.reading, &mut |rec| {
                documents += 1;
                bytes += rec.text.len();
                batch_bytes += rec.text.len();
                within += rec.text.len() as u64;
                let prior = match lookup.as_mut().map(|l| {
                    let (p, u, t) = (&rec.published, &rec.url, &rec.title);
                    l.prior(
                        &rec.name,
                        &rec.text,
                        p.as_deref(),
                        u.as_deref(),
                        t.as_deref(),
                    )
                }) {
                    Some(Err(e)) => {
                        failed = Some(e);
                        return false;
                    }
                    Some(Ok(p)) => Some(p),
                    None => None,
                };
                batch.push(Page { rec, source, prior });
                if batch.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                    batch_bytes = 0;
                    // No receiver: the run is stopping.
                    stopped = tx.send(std::mem::take(&mut batch)).is_err();
                    // Within a large file the bar moves by the text read (a little less
                    // than the file's bytes: it is set right at the file's end).
                    if let Some(b) = bar {
                        b.set_position(done + within.min(len));
                        b.set_message(format!("{documents} documents"));
                    }
                }
                !stopped
            });
            super::report_read(&read);
            super::tally_read(&read, &mut tally);
            if panic_for_test {
                panic!("VISITGRAPH_TEST_PANIC=reader (test hook)");
            }
            if let Some(e) = failed {
                return Err(e);
            }
            if stopped {
                let seen = lookup.map(|l| l.seen);
                return Ok(((tally, documents, bytes), seen));
            }
            done += len;
            if let Some(b) = bar {
                b.set_position(done);
                b.set_message(format!("{documents} documents"));
            }
        }
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
        Ok(((tally, documents, bytes), lookup.map(|l| l.seen)))
    }

    /// Each batch a task on the worker pool, so a core that finishes its share of one batch
    /// takes pages of the next; a batch's relations go to the merger with its number. A
    /// batch waits for a token from the merger first.
    fn extract(
        &self,
        pool: &rayon::ThreadPool,
        rx: std::sync::mpsc::Receiver<Vec<Page>>,
        tok_rx: std::sync::mpsc::Receiver<()>,
        mtx: std::sync::mpsc::Sender<(usize, Extracted)>,
    ) {
        pool.in_place_scope(|tasks| {
            // `rx` moves in: if a thread cannot start, returning drops it and the reader's
            // next send fails, instead of waiting for room in the channel forever.
            for (k, batch) in rx.into_iter().enumerate() {
                // No token: the merger stopped (a failed spill), so reading stops too.
                if tok_rx.recv().is_err() {
                    break;
                }
                let mtx = mtx.clone();
                tasks.spawn(move |_| {
                    let _ = mtx.send((k, self.extract_batch(batch)));
                });
            }
        });
    }

    /// One batch on every core: its relations, and with a store what to keep of each page.
    fn extract_batch(&self, batch: Vec<Page>) -> Extracted {
        // Pages are packed PACK at a time into one `FoundBatch`: a few allocations for them
        // all, not three a relation. (The graph's union does not depend on the order of its
        // relations.) With a store, each share also notes its pages' outcomes by number.
        let found: Vec<Packed> = batch
            .par_iter()
            .enumerate()
            .with_max_len(PACK)
            .fold(
                || (FoundBatch::new(), Vec::new()),
                |(mut out, mut kept), (i, p)| {
                    let stored = self.page_into(p, &mut out);
                    if p.prior.is_some() {
                        kept.push((i, stored));
                    }
                    (out, kept)
                },
            )
            .collect();
        let mut rels: Vec<Option<Option<String>>> = Vec::new();
        let mut batches = Vec::with_capacity(found.len());
        for (b, kept) in found {
            batches.push(b);
            for (i, r) in kept {
                if rels.len() <= i {
                    rels.resize(i + 1, None);
                }
                rels[i] = Some(r);
            }
        }
        let outs = page_outs(self.sources, batch, rels);
        (batches, outs)
    }

    /// The merging thread: batches' relations, arriving in any order, merged in batch order
    /// (so the output does not depend on the scheduling), a token handed back for each.
    fn merge(
        &self,
        mrx: std::sync::mpsc::Receiver<(usize, Extracted)>,
        tok_tx: std::sync::mpsc::SyncSender<()>,
        mut store: Option<Store>,
    ) -> Result<(SpillGraph, Option<(Store, Counts)>)> {
        let spill_failed = |e| Error::io(&std::env::temp_dir(), e);
        let mut counts = Counts::default();
        // Evidence past the limit goes to sorted runs on disk (see `spill`). Built here,
        // so its setup overlaps the first batch's extraction.
        let mut graph = SpillGraph::new(&self.ex.dict, self.spill_limit);
        let mut waiting = std::collections::BTreeMap::new();
        let mut collected = std::time::Instant::now();
        let mut next = 0usize;
        for (k, found) in mrx {
            waiting.insert(k, found);
            while let Some((found, outs)) = waiting.remove(&next) {
                if let Some(st) = store.as_mut() {
                    for p in &outs {
                        st.put(p, &mut counts)?;
                    }
                }
                for b in found {
                    let runs = graph.spilled_runs();
                    graph.add_batch(b).map_err(spill_failed)?;
                    // The spilled relations were freed: hand the memory back now rather
                    // than after mimalloc's purge delay (1 s), at most every COLLECT_MS, so
                    // peak RSS is what the run holds, not the garbage of its last second.
                    if graph.spilled_runs() != runs
                        && collected.elapsed() >= std::time::Duration::from_millis(COLLECT_MS)
                    {
                        release_freed_memory();
                        collected = std::time::Instant::now();
                    }
                }
                next += 1;
                let _ = tok_tx.send(());
            }
        }
        Ok((graph, store.map(|s| (s, counts))))
    }

    /// One page into `out`: its stored relations when they still hold (nothing is
    /// returned), else extracted (and, with a store, their JSON returned to be kept).
    fn page_into(&self, p: &Page, out: &mut FoundBatch) -> Option<String> {
        let r = &p.rec;
        let (published, url) = (r.published.as_deref(), r.url.as_deref());
        if let (Some(prior), Some(delta)) = (&p.prior, self.delta)
            && let Some(json) = &prior.relations
            && !delta.text_touches(&r.text)
            && store::codec::decode_into(json, &self.ex.dict, delta, &r.name, url, out)
        {
            out.documents += 1;
            return None;
        }
        let from = out.len();
        let source = Provenance { published, url };
        self.ex.extract_into(&r.name, &r.text, source, out);
        p.prior
            .is_some()
            .then(|| store::codec::encode(out, from, &self.ex.dict))
    }
}

/// What the store keeps of a batch's pages: `rels[i]` is page `i`'s outcome (`None` for a
/// run without a store), `Some(None)` when its stored relations were reused.
fn page_outs(
    sources: &[input::Source],
    batch: Vec<Page>,
    rels: Vec<Option<Option<String>>>,
) -> Vec<PageOut> {
    let mut rels = rels.into_iter();
    batch
        .into_iter()
        .filter_map(|p| {
            let relations = rels.next().flatten();
            let prior = p.prior?;
            let relations = relations?;
            let r = p.rec;
            Some(PageOut {
                size: r.text.len(),
                name: r.name,
                source: sources
                    .get(p.source)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                url: r.url,
                title: r.title,
                published: r.published,
                prior,
                relations,
            })
        })
        .collect()
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
    let layers: Vec<&str> = dict.layers.iter().map(|l| l.source.as_str()).collect();
    let builtin_only = layers.iter().all(|l| l.starts_with("builtin"));
    let which = if builtin_only {
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

/// Test hook: with `VISITGRAPH_TEST_PANIC=reader` in the environment the reading thread
/// panics after its first source, so that `tests/cli.rs` can check that a thread that stops
/// early is an error (exit 2, nothing written) and not a partial graph. Not for use.
fn test_hook_reader_panic() -> bool {
    std::env::var_os("VISITGRAPH_TEST_PANIC").is_some_and(|v| v == "reader")
}

/// Pages per batch handed to the workers.
const BATCH_DOCS: usize = 1024;

/// Freed memory is handed back to the OS after a spill at most this often (milliseconds).
const COLLECT_MS: u64 = 250;
const PACK: usize = 128;
/// Bytes per batch handed to the workers.
const BATCH_BYTES: usize = 8 << 20;

fn source_len(src: &input::Source) -> u64 {
    match &src.origin {
        input::Origin::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
        input::Origin::Stdin | input::Origin::StdinCopy(_) => 0,
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

/// Between extraction and output: have mimalloc take back the pages the extraction threads
/// freed (some wait on other threads' free lists) and return them to the OS, so the output
/// phase does not grow on top of them. Without it, peak RSS on the shipped dictionaries
/// varied from run to run by up to 20% and grew with the corpus. A no-op for memory mimalloc
/// does not manage (the library's tests run on the system allocator).
#[allow(unsafe_code)]
fn release_freed_memory() {
    // SAFETY: a plain call into mimalloc's C API, which is thread-safe.
    unsafe { libmimalloc_sys::mi_collect(true) };
}
