//! `extract`'s threads: a reader, the workers, a merger.
//!
//! Takes the sources, the compiled dictionary and (with `--store`) the store; gives the
//! merged graph, the reading tally and the store's outcome. The reader only lists and reads:
//! a text or HTML file goes on as its bytes (decoding, decompression and HTML extraction
//! run on the workers, so a folder of small pages keeps every core busy), a JSON Lines or
//! WARC file as its records, streamed. Every skip and warning travels with its batch and is
//! named by the merger in source order, so stderr does not depend on the scheduling either.

use rayon::prelude::*;

use crate::corpus::spill::SpillGraph;
use crate::error::{Error, Result};
use crate::input;
use crate::page::{Extractor, FoundBatch, Provenance};
use crate::store::{self, Counts, Lookup, Outcome, PageOut, Prior, Store};

/// One extraction run's pages and settings, shared by its threads.
pub(super) struct Run<'r> {
    pub(super) ex: &'r Extractor,
    pub(super) sources: &'r [input::Source],
    pub(super) reading: &'r input::Options,
    pub(super) bar: Option<&'r indicatif::ProgressBar>,
    pub(super) jobs: usize,
    pub(super) spill_limit: usize,
    /// With a store: what the dictionary change reaches.
    pub(super) delta: Option<&'r store::delta::Delta>,
}

/// A page's content on its way: a record read, or a page file's bytes still to load.
enum Body {
    Record(input::Record),
    Raw(Vec<u8>),
    /// A page file that loaded as nothing (binary, empty: its skip is in the report).
    Gone,
}

/// A page on its way to the workers: its content, the source it was read from, with a
/// store what the store knows of it, and what loading it had to say.
struct Page {
    body: Body,
    source: usize,
    prior: Option<Prior>,
    report: Option<Report>,
}

/// A batch on its way to the workers: pages, and the reports (skips, warnings, records
/// counted) of the streamed sources the reader finished, by source number.
#[derive(Default)]
struct Batch {
    pages: Vec<Page>,
    reports: Vec<(usize, Report)>,
}

/// What reading a source (or loading a page file) said: its skips, warnings and records
/// counted, or the error that made it unreadable as a whole.
type Report = Result<input::Loaded>;

/// What the workers make of a batch.
struct Extracted {
    found: Vec<FoundBatch>,
    outs: Vec<PageOut>,
    /// Every source's report, in source order.
    reports: Vec<(usize, Report)>,
    /// Bytes of text extracted or read back.
    bytes: usize,
}

/// One share of a batch: its relations, and each page's outcome by its number in the batch.
type Packed = (FoundBatch, Vec<(usize, Outcome)>);

/// What the run did: the reading tally, documents, bytes of text, the graph, and with a
/// store what to commit (the store, the rows of the pages read, the counts).
pub(super) struct Done {
    pub(super) tally: input::Tally,
    pub(super) documents: usize,
    pub(super) bytes: usize,
    pub(super) graph: SpillGraph,
    pub(super) store: Option<(Store, Vec<i64>, Counts)>,
}

/// What the merger hands back.
type Merged = (
    SpillGraph,
    Option<(Store, Counts)>,
    input::Tally,
    usize,
    usize,
);

impl Run<'_> {
    /// Read, extract and merge every page.
    ///
    /// Pages flow in bounded batches: a reader thread reads them in order ([`Run::read`])
    /// while the workers extract the previous batch on every core ([`Run::extract`]), and
    /// batches are merged in order ([`Run::merge`]) — so memory depends on the batch size
    /// and the spill limit, not on the corpus, and the output does not depend on the number
    /// of threads. A thread that panics stops the run with an error: a reader that stopped
    /// early would leave a graph of the pages read so far, which must not pass for the
    /// whole.
    pub(super) fn extract_all(
        &self,
        pool: &rayon::ThreadPool,
        lookup: Option<Lookup<'_>>,
        store: Option<Store>,
    ) -> Result<Done> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(2);
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
        // A deferred matcher (a rerun with a store) compiles on its own thread once the
        // reader meets a page to extract, or at once when the dictionary changed.
        let (ctx, crx) = std::sync::mpsc::channel::<()>();
        if self.delta.is_some_and(|d| d.all || !d.changed.is_empty()) {
            let _ = ctx.send(());
        }
        let (read, merged) = std::thread::scope(|scope| {
            thread("compiler")
                .spawn_scoped(scope, move || {
                    if crx.recv().is_ok() {
                        self.ex.compile();
                    }
                })
                .map_err(cannot)?;
            let reader = thread("reader")
                .spawn_scoped(scope, || self.read(tx, lookup, ctx))
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
        let (graph, store, tally, documents, bytes) = merged?;
        let seen = read?;
        let store = match (store, seen) {
            (Some((st, counts)), Some(seen)) => Some((st, seen, counts)),
            _ => None,
        };
        Ok(Done {
            tally,
            documents,
            bytes,
            graph,
            store,
        })
    }

    /// The reading thread: every source in order, sent in batches (a JSON Lines file of
    /// any size is never held whole; a page file as its bytes). Gives, with a store, the
    /// rows of the pages read.
    fn read(
        &self,
        tx: std::sync::mpsc::SyncSender<Batch>,
        mut lookup: Option<Lookup<'_>>,
        compile: std::sync::mpsc::Sender<()>,
    ) -> Result<Option<Vec<i64>>> {
        // The first page with nothing stored to read back starts the compile.
        let mut compile = Some(compile);
        let mut needs = |prior: &Option<Prior>| {
            if prior.as_ref().is_none_or(|p| p.relations.is_none())
                && let Some(c) = compile.take()
            {
                let _ = c.send(());
            }
        };
        let panic_for_test = test_hook_reader_panic();
        let bar = self.bar;
        let mut batch = Batch::default();
        let (mut batch_bytes, mut documents) = (0usize, 0usize);
        let mut stopped = false;
        let mut failed = None;
        // Bytes of the sources read whole, for the progress bar.
        let mut done = 0u64;
        let mut push = |page: Page, size: usize, batch: &mut Batch, within: &mut u64| {
            documents += 1;
            batch_bytes += size;
            *within += size as u64;
            batch.pages.push(page);
            if batch.pages.len() >= BATCH_DOCS || batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                if let Some(b) = bar {
                    b.set_message(format!("{documents} documents"));
                }
                // No receiver: the run is stopping.
                return tx.send(std::mem::take(batch)).is_ok();
            }
            true
        };
        for (source, src) in self.sources.iter().enumerate() {
            let len = if bar.is_some() { source_len(src) } else { 0 };
            let mut within = 0u64;
            if let Some(raw) = input::read_raw(src, self.reading) {
                let (body, report) = match raw {
                    Ok(bytes) => (Body::Raw(bytes), None),
                    Err(skip) => (Body::Gone, Some(Ok(skip))),
                };
                let prior = match (&body, lookup.as_mut()) {
                    (Body::Raw(b), Some(l)) => match l.prior(&src.name, store::raw_hash(b)) {
                        Ok(p) => Some(p),
                        Err(e) => return Err(e),
                    },
                    _ => None,
                };
                let size = match &body {
                    Body::Raw(b) => b.len(),
                    _ => 0,
                };
                needs(&prior);
                let page = Page {
                    body,
                    source,
                    prior,
                    report,
                };
                stopped = !push(page, size, &mut batch, &mut within);
            } else {
                let read = input::read_each(src, self.reading, &mut |rec| {
                    let prior = match lookup.as_mut().map(|l| {
                        let (p, u, t) = (&rec.published, &rec.url, &rec.title);
                        let (p, u, t) = (p.as_deref(), u.as_deref(), t.as_deref());
                        l.prior(&rec.name, store::page_hash(&rec.text, p, u, t))
                    }) {
                        Some(Err(e)) => {
                            failed = Some(e);
                            return false;
                        }
                        Some(Ok(p)) => Some(p),
                        None => None,
                    };
                    let size = rec.text.len();
                    needs(&prior);
                    let page = Page {
                        body: Body::Record(rec),
                        source,
                        prior,
                        report: None,
                    };
                    stopped = !push(page, size, &mut batch, &mut within);
                    !stopped
                });
                batch.reports.push((source, read));
            }
            if panic_for_test {
                panic!("VISITGRAPH_TEST_PANIC=reader (test hook)");
            }
            if let Some(e) = failed {
                return Err(e);
            }
            if stopped {
                return Ok(lookup.map(|l| l.seen));
            }
            done += len;
            if let Some(b) = bar {
                b.set_position(done);
            }
        }
        if !batch.pages.is_empty() || !batch.reports.is_empty() {
            let _ = tx.send(batch);
        }
        Ok(lookup.map(|l| l.seen))
    }

    /// Each batch a task on the worker pool, so a core that finishes its share of one batch
    /// takes pages of the next; a batch's relations go to the merger with its number. A
    /// batch waits for a token from the merger first.
    fn extract(
        &self,
        pool: &rayon::ThreadPool,
        rx: std::sync::mpsc::Receiver<Batch>,
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

    /// One batch on every core: page files loaded, then every page extracted or read back.
    fn extract_batch(&self, mut batch: Batch) -> Extracted {
        batch.pages.par_iter_mut().for_each(|p| self.load(p));
        // Pages are packed PACK at a time into one `FoundBatch`: a few allocations for them
        // all, not three a relation. (The graph's union does not depend on the order of its
        // relations.) With a store, each share also notes its pages' outcomes by number.
        let found: Vec<Packed> = batch
            .pages
            .par_iter()
            .enumerate()
            .with_max_len(PACK)
            .fold(
                || (FoundBatch::new(), Vec::new()),
                |(mut out, mut kept), (i, p)| {
                    let outcome = self.page_into(p, &mut out);
                    if p.prior.is_some() {
                        kept.push((i, outcome));
                    }
                    (out, kept)
                },
            )
            .collect();
        let mut outcomes: Vec<Option<Outcome>> = Vec::new();
        let mut batches = Vec::with_capacity(found.len());
        for (b, kept) in found {
            batches.push(b);
            for (i, r) in kept {
                if outcomes.len() <= i {
                    outcomes.resize_with(i + 1, || None);
                }
                outcomes[i] = Some(r);
            }
        }
        let mut reports = std::mem::take(&mut batch.reports);
        let mut bytes = 0;
        for p in &mut batch.pages {
            if let Body::Record(r) = &p.body {
                bytes += r.text.len();
            }
            if let Some(l) = p.report.take() {
                reports.push((p.source, l));
            }
        }
        // Stable: a source's report stays where it was among its own.
        reports.sort_by_key(|r| r.0);
        let outs = page_outs(self.sources, batch.pages, outcomes);
        Extracted {
            found: batches,
            outs,
            reports,
            bytes,
        }
    }

    /// Load a page file's bytes into its record (decompressed, decoded, its text extracted
    /// from HTML), keeping what loading said as the page's report.
    fn load(&self, p: &mut Page) {
        let Body::Raw(bytes) = &p.body else { return };
        let Some(src) = self.sources.get(p.source) else {
            return;
        };
        let mut l = input::load_raw(src, bytes, self.reading);
        let rec = l.records.pop();
        l.streamed += usize::from(rec.is_some()) + l.records.len();
        l.records.clear();
        p.body = match rec {
            Some(r) => Body::Record(r),
            None => Body::Gone,
        };
        p.report = Some(Ok(l));
    }

    /// The merging thread: batches' relations, arriving in any order, merged in batch order
    /// (so the output does not depend on the scheduling), a token handed back for each;
    /// every report named on stderr and counted, in source order.
    fn merge(
        &self,
        mrx: std::sync::mpsc::Receiver<(usize, Extracted)>,
        tok_tx: std::sync::mpsc::SyncSender<()>,
        mut store: Option<Store>,
    ) -> Result<Merged> {
        let spill_failed = |e| Error::io(&std::env::temp_dir(), e);
        let mut counts = Counts::default();
        let mut tally = input::Tally::default();
        let (mut documents, mut bytes) = (0usize, 0usize);
        // Evidence past the limit goes to sorted runs on disk (see `spill`). Built here,
        // so its setup overlaps the first batch's extraction.
        let mut graph = SpillGraph::new(&self.ex.dict, self.spill_limit);
        let mut waiting = std::collections::BTreeMap::new();
        let mut collected = std::time::Instant::now();
        let mut next = 0usize;
        for (k, found) in mrx {
            waiting.insert(k, found);
            while let Some(x) = waiting.remove(&next) {
                for (_, read) in &x.reports {
                    super::super::report_read(read);
                    super::super::tally_read(read, &mut tally);
                }
                bytes += x.bytes;
                if let Some(st) = store.as_mut() {
                    for p in &x.outs {
                        st.put(p, &mut counts)?;
                    }
                }
                for b in x.found {
                    documents += b.documents;
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
        let store = store.map(|s| (s, counts));
        Ok((graph, store, tally, documents, bytes))
    }

    /// One page into `out`: its stored relations when they still hold, else extracted (and,
    /// with a store, their JSON kept).
    fn page_into(&self, p: &Page, out: &mut FoundBatch) -> Outcome {
        let Body::Record(r) = &p.body else {
            return Outcome::Dropped;
        };
        let (published, url) = (r.published.as_deref(), r.url.as_deref());
        if let (Some(prior), Some(delta)) = (&p.prior, self.delta)
            && let Some(json) = &prior.relations
            && !delta.text_touches(&r.text)
            && store::codec::decode_into(json, &self.ex.dict, delta, &r.name, url, out)
        {
            out.documents += 1;
            return Outcome::Reused;
        }
        let from = out.len();
        let source = Provenance { published, url };
        self.ex.extract_into(&r.name, &r.text, source, out);
        match p.prior {
            Some(_) => Outcome::Extracted(store::codec::encode(out, from, &self.ex.dict)),
            None => Outcome::Reused,
        }
    }
}

/// What the store keeps of a batch's pages: `outcomes[i]` is page `i`'s (`None` for a run
/// without a store).
fn page_outs(
    sources: &[input::Source],
    pages: Vec<Page>,
    outcomes: Vec<Option<Outcome>>,
) -> Vec<PageOut> {
    let mut outcomes = outcomes.into_iter();
    pages
        .into_iter()
        .filter_map(|p| {
            let outcome = outcomes.next().flatten();
            let prior = p.prior?;
            let outcome = outcome?;
            let source = sources
                .get(p.source)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let (name, size, url, title, published) = match p.body {
                Body::Record(r) => (r.name, r.text.len(), r.url, r.title, r.published),
                _ => (source.clone(), 0, None, None, None),
            };
            Some(PageOut {
                name,
                source,
                url,
                title,
                published,
                size,
                prior,
                outcome,
            })
        })
        .collect()
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

/// A source's size on disk (0 for standard input), for the progress bar.
pub(super) fn source_len(src: &input::Source) -> u64 {
    match &src.origin {
        input::Origin::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
        input::Origin::Stdin | input::Origin::StdinCopy(_) => 0,
    }
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
