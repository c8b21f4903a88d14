//! Merge: shard graphs (`visitgraph/1` JSON) in, one graph out — the reduce step after
//! running `extract` as a map step over shards on any batch engine.
//!
//! Nodes are united by id, edges by `(source, target, relation)` with their evidence
//! merged and ordered exactly as a single run orders it, so extracting shards and merging
//! gives the same bytes as one run over all inputs. Shards built from different
//! dictionaries are refused: their ids would not mean the same things.
//!
//! # Streaming, in bounded memory
//!
//! This is a reduce over the output of a whole cluster, so the shards may weigh many GB.
//! Loading each as a `serde_json::Value` costs 5–10× its size (8 shards of 43 MB: 3.9 GB
//! of RSS), so `visitgraph merge` streams instead ([`write_merged`]): memory holds the
//! united node list (bounded by the dictionary, kept as the text each node prints as), the
//! first shard's small keys and a few edges per shard, whatever the shards' total size (the
//! same 8 shards: 41 MB).
//!
//! - **Readers.** One thread per shard parses its file with serde's streaming
//!   deserializer: the small top-level keys (`format`, `directed`, `multigraph`, `graph`,
//!   `meta`) are read whole, `nodes` and `edges` element by element, and everything goes
//!   through a bounded channel (`IN_FLIGHT` messages) to the merge, edges with their
//!   evidence sorted. The merge takes the shards' nodes and meta in shard order (the output
//!   needs them all before the first edge), then their edges. Keys may come in any order:
//!   `extract` writes everything the merge needs before `edges`, so a reader streams its
//!   edges; a file with `nodes`, `meta` or `format` (or, in the first shard, `directed`,
//!   `multigraph` or `graph`) after `edges` or missing has its edges held in memory until
//!   the end of the file. That is correct but not bounded; no file written by `extract` or
//!   `merge` does it.
//! - **K-way merge.** The merge keeps the head edge of every shard in a heap ordered by
//!   (source, target, relation rank, relation, shard), and unites the heads with equal
//!   keys (shard order: where two evidence entries share a key the later shard's is kept,
//!   ambiguous ids united). `dates` and `weight` are recomputed from the united evidence.
//!   Each shard's edges must be in that order, as `extract` and `merge` write them; a shard
//!   whose edges are not is refused (a heap merge of unsorted input would be wrong).
//! - **One pass, no temporary copy.** The output is written as the merge goes: `format`,
//!   `directed`, `multigraph` and `graph` are the first shard's, as the in-memory merge
//!   always took them (a pair never carries two relations, since `visited` joins an
//!   official to an organization or place and `accompanied` two officials, so shards of one
//!   dictionary are never multigraphs and neither is their merge). Nothing needs a first
//!   pass over the edges, nor a temporary file to write the header after them.
//! - **Fan-in.** At most [`FAN_IN`] shards are open at once. Beyond that, groups of
//!   [`FAN_IN`] are merged into temporary files (in `std::env::temp_dir()`), which are merged
//!   in turn: a merged graph is a shard. Fingerprints are checked against the first shard
//!   and `meta.documents` summed over the original shards, so the bytes do not depend on
//!   the fan-in.
//! - **Errors.** A shard that is unreadable, not JSON (with its line), truncated, not
//!   `visitgraph/1` or from other dictionaries stops the merge with one line naming the
//!   file; every reader thread is stopped and joined. The CLI writes through the atomic
//!   writer, so no half-written `-o` file is left; on standard output, an error found
//!   mid-stream (a truncated shard) comes after the part already written, with exit status
//!   2.
//!
//! The tests keep the in-memory algorithm (`merge`, graphs already loaded as values) as the
//! reference the streamed merge is held to.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Value, json};

use crate::corpus::layout::{
    EDGES, Edge, EvidenceItem, FORMAT, HEADER, Header, KEYS, META, NODES, Writer, serde_at,
};
use crate::corpus::runs::{KWay, Keyed, Sorted, fan_in_levels};
use crate::error::{Error, Result};
use crate::page::DateSource;

/// Shards one merge pass reads at once; more are merged in groups of this many into
/// temporary files first.
pub const FAN_IN: usize = 64;

/// Messages (a node or an edge each) in flight per shard, between its reader thread and the
/// merge.
const IN_FLIGHT: usize = 16;

fn rel_rank(r: &str) -> u8 {
    match r {
        "visited" => 0,
        "accompanied" => 1,
        _ => 2,
    }
}

/// (doc, date, date source, sentence, start, end, url): the order of
/// [`crate::page::Evidence`].
type EvKey = (
    String,
    Option<String>,
    Option<DateSource>,
    String,
    u64,
    u64,
    Option<String>,
);

/// A piece of evidence as read: its key, and the value it was read as (written back as it
/// is).
#[derive(Debug)]
struct Ev(EvKey, Value);

impl serde::Serialize for Ev {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.1.serialize(s)
    }
}

impl EvidenceItem for Ev {
    fn date(&self) -> Option<&str> {
        self.0.1.as_deref()
    }

    fn write(&self, out: &mut Vec<u8>, depth: usize) -> std::io::Result<()> {
        serde_at(out, &self.1, depth)
    }
}

/// `ambiguous` as the layout takes it.
fn ids(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn ev_key(e: &Value) -> EvKey {
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (
        s("doc"),
        e.get("date").and_then(Value::as_str).map(String::from),
        e.get("date_source")
            .and_then(Value::as_str)
            .and_then(DateSource::parse),
        s("sentence"),
        e.get("start").and_then(Value::as_u64).unwrap_or(0),
        e.get("end").and_then(Value::as_u64).unwrap_or(0),
        e.get("url").and_then(Value::as_str).map(String::from),
    )
}

/// Merge shard graphs read from files (streamed as [`write_merged`] does, then parsed).
#[cfg(test)]
pub(crate) fn merge_files(paths: &[impl AsRef<Path>]) -> Result<Value> {
    let mut bytes = Vec::new();
    write_merged(paths, &mut bytes).map_err(|e| match e {
        MergeError::Input(e) => e,
        MergeError::Output(e) => Error::io(Path::new("<memory>"), e),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| Error::input("<merged>", e.to_string()))
}

/// Merge shard graphs already in memory, each with a name for messages (the same result as
/// [`write_merged`] over their files, parsed): the in-memory algorithm the tests hold the
/// streamed merge to.
#[cfg(test)]
pub(crate) fn merge(graphs: &[(String, Value)]) -> Result<Value> {
    let Some((first_name, first)) = graphs.first() else {
        return Err(Error::Usage("merge needs at least one graph".into()));
    };
    let fingerprint = |g: &Value| {
        g.pointer("/meta/fingerprint")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let mut documents = 0u64;
    let mut nodes: BTreeMap<String, Value> = BTreeMap::new();
    // (source, target, rank, relation) → (ambiguous, evidence by key)
    type Acc = (std::collections::BTreeSet<String>, BTreeMap<EvKey, Value>);
    let mut edges: BTreeMap<(String, String, u8, String), Acc> = BTreeMap::new();
    for (name, g) in graphs {
        if fingerprint(g) != fingerprint(first) {
            return Err(other_dictionaries(name, first_name));
        }
        documents = documents.wrapping_add(
            g.pointer("/meta/documents")
                .and_then(Value::as_u64)
                .unwrap_or(0),
        );
        for n in g
            .get("nodes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let id = n
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            nodes.entry(id).or_insert_with(|| n.clone());
        }
        for e in g
            .get("edges")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            let rel = s("relation");
            let acc = edges
                .entry((s("source"), s("target"), rel_rank(&rel), rel))
                .or_default();
            for a in e
                .get("ambiguous")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(a) = a.as_str() {
                    acc.0.insert(a.to_string());
                }
            }
            for ev in e
                .get("evidence")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                acc.1.insert(ev_key(ev), ev.clone());
            }
        }
    }
    let mut out_edges = Vec::new();
    for ((source, target, _, relation), (ambiguous, evidence)) in edges {
        let ambiguous: Vec<String> = ambiguous.into_iter().collect();
        let evidence: Vec<Ev> = evidence.into_iter().map(|(k, v)| Ev(k, v)).collect();
        let e = Edge {
            source: &source,
            target: &target,
            relation: &relation,
            ambiguous: &ids(&ambiguous),
            evidence: &evidence,
        };
        out_edges.push(serde_json::to_value(e).unwrap_or(Value::Null));
    }
    let mut meta = first.get("meta").cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = meta.as_object_mut() {
        m.insert("documents".into(), json!(documents));
    }
    let mut header: Header = Default::default();
    for (k, h) in KEYS[..META].iter().zip(&mut header) {
        *h = first.get(*k).cloned();
    }
    header[META] = Some(meta);
    let nodes = nodes.into_values().collect();
    Ok(crate::corpus::layout::to_value(header, nodes, out_edges))
}

fn other_dictionaries(name: &str, first_name: &str) -> Error {
    Error::input(
        name,
        format!(
            "built from other dictionaries than {first_name} (meta.fingerprint differs): rerun the shards with the same dictionaries"
        ),
    )
}

fn not_a_graph(name: &str) -> Error {
    Error::input(
        name,
        "not a visitgraph/1 graph (`format` is missing or different)",
    )
}

fn internal(name: &str) -> Error {
    Error::input(name, "internal error: its reader stopped unexpectedly")
}

/// Why a streamed merge stopped.
#[derive(Debug)]
pub enum MergeError {
    /// A shard is unreadable, malformed, or from other dictionaries (the error names it),
    /// or a temporary file failed.
    Input(Error),
    /// Writing the output failed.
    Output(std::io::Error),
}

impl From<Error> for MergeError {
    fn from(e: Error) -> Self {
        MergeError::Input(e)
    }
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Input(e) => write!(f, "{e}"),
            MergeError::Output(e) => write!(f, "output: {e}"),
        }
    }
}

impl std::error::Error for MergeError {}

/// Merge shard graph files and write the merged graph to `out` as `extract` writes JSON
/// (pretty, one trailing newline), streaming: memory does not grow with the shards' size.
/// The bytes are those of pretty-printing the in-memory merge of the loaded files (the
/// tests' reference).
pub fn write_merged(
    paths: &[impl AsRef<Path>],
    out: &mut dyn Write,
) -> std::result::Result<(), MergeError> {
    write_merged_with(paths, FAN_IN, out)
}

/// [`write_merged`] opening at most `fan_in` shards at once (at least 2): more are merged
/// in groups into temporary files, then those merged. The bytes do not depend on `fan_in`.
pub fn write_merged_with(
    paths: &[impl AsRef<Path>],
    fan_in: usize,
    out: &mut dyn Write,
) -> std::result::Result<(), MergeError> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.as_ref().to_path_buf()).collect();
    if paths.is_empty() {
        return Err(Error::Usage("merge needs at least one graph".into()).into());
    }
    // Over `fan_in` shards, groups are merged into temporary files first (a merged graph
    // is a shard), level by level: fingerprints are checked and documents summed over the
    // original shards, at level 0.
    let mut dir = None;
    let mut reference: Option<(String, Value)> = None;
    let mut documents = 0u64;
    let mut parts = 0;
    let last = fan_in_levels(paths, fan_in, |level, group| {
        let dir = match &mut dir {
            Some(d) => d,
            None => dir.insert(
                tempfile::Builder::new()
                    .prefix("visitgraph-merge-")
                    .tempdir()
                    .map_err(|e| Error::io(&std::env::temp_dir(), e))?,
            ),
        };
        let part = dir.path().join(format!("part-{parts}.json"));
        parts += 1;
        let f = File::create(&part).map_err(|e| Error::io(&part, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, f);
        let group_pass = Pass {
            reference: reference.as_ref(),
            check: level == 0,
            documents: None,
        };
        let part_err = |e: std::io::Error| MergeError::Input(Error::io(&part, e));
        let s = match merge_pass(group, &group_pass, &mut w) {
            Err(MergeError::Output(e)) => return Err(part_err(e)),
            r => r?,
        };
        w.flush().map_err(part_err)?;
        if level == 0 {
            reference.get_or_insert(s.reference);
            documents = documents.wrapping_add(s.documents);
        }
        Ok(part)
    })?;
    let pass = Pass {
        reference: None,
        check: parts == 0,
        documents: (parts > 0).then_some(documents),
    };
    merge_pass(&last, &pass, out).map(|_| ())
}

/// What one merge pass is told.
struct Pass<'a> {
    /// The shard every fingerprint must match, (name, fingerprint); `None`: this pass's
    /// first.
    reference: Option<&'a (String, Value)>,
    /// Check fingerprints (not over our own temporary files: their shards were checked).
    check: bool,
    /// `meta.documents` to write instead of this pass's sum (over temporary files: the sum
    /// over the original shards).
    documents: Option<u64>,
}

/// What one merge pass found.
struct Summary {
    /// `meta.documents` summed over the pass's inputs.
    documents: u64,
    /// The reference shard, (name, fingerprint).
    reference: (String, Value),
}

/// One k-way merge of at most [`FAN_IN`] shards into `out`.
fn merge_pass(
    paths: &[PathBuf],
    pass: &Pass,
    out: &mut dyn Write,
) -> std::result::Result<Summary, MergeError> {
    let readers = Readers::start(paths)?;
    let mut reference = pass.reference.cloned();
    let mut documents = 0u64;
    // Nodes by id, each kept as the bytes it prints as (a third of its `Value`).
    let mut nodes: BTreeMap<String, Box<[u8]>> = BTreeMap::new();
    let mut header: Header = Default::default();
    let mut first_meta = None;
    // Headers in shard order, nodes united as they come (the first shard's node wins).
    for i in 0..paths.len() {
        let mut meta = None;
        loop {
            match readers.recv(i)? {
                Msg::Key(META, v) => meta = Some(v),
                Msg::Key(k, v) if i == 0 && k < HEADER => header[k] = Some(v),
                Msg::Key(..) => {}
                Msg::Node(n) => {
                    let id = n.get("id").and_then(Value::as_str).unwrap_or("");
                    if !nodes.contains_key(id) {
                        let mut text = Vec::new();
                        serde_at(&mut text, &n, 2).map_err(MergeError::Output)?;
                        nodes.insert(id.to_string(), text.into_boxed_slice());
                    }
                }
                Msg::HeaderDone => break,
                Msg::Edge(_) | Msg::End | Msg::Failed(_) => {
                    return Err(internal(&readers.names[i]).into());
                }
            }
        }
        let field = |k: &str| meta.as_ref().and_then(|m: &Value| m.pointer(k));
        let fingerprint = field("/fingerprint").cloned().unwrap_or(Value::Null);
        documents =
            documents.wrapping_add(field("/documents").and_then(Value::as_u64).unwrap_or(0));
        let reference =
            reference.get_or_insert_with(|| (readers.names[i].clone(), fingerprint.clone()));
        if pass.check && fingerprint != reference.1 {
            return Err(other_dictionaries(&readers.names[i], &reference.0).into());
        }
        if i == 0 {
            first_meta = Some(meta);
        }
    }
    let (Some(first_meta), Some(reference)) = (first_meta, reference) else {
        return Err(Error::Usage("merge needs at least one graph".into()).into());
    };
    let mut meta = first_meta.unwrap_or_else(|| json!({}));
    if let Some(m) = meta.as_object_mut() {
        m.insert(
            "documents".into(),
            json!(pass.documents.unwrap_or(documents)),
        );
    }
    header[META] = Some(meta);
    let shards = (0..paths.len()).map(|i| Shard(&readers, i)).collect();
    write_graph(&header, &nodes, KWay::new(shards)?, out)?;
    readers.finish()?;
    Ok(Summary {
        documents,
        reference,
    })
}

/// Write the merged graph: the same bytes as pretty-printing [`merge`]'s value (serde_json's
/// pretty printer, two spaces), plus a newline, through the layout's [`Writer`], so that
/// nodes kept as text and edges merged on the way print in place.
fn write_graph(
    header: &Header,
    nodes: &BTreeMap<String, Box<[u8]>>,
    mut edges: KWay<Shard>,
    out: &mut dyn Write,
) -> std::result::Result<(), MergeError> {
    // Every edge goes out as it is merged: an error found mid-stream comes after them.
    let mut w = Writer::chunked(out, header, 0).map_err(MergeError::Output)?;
    for node in nodes.values() {
        w.node_printed(node).map_err(MergeError::Output)?;
    }
    w.edges().map_err(MergeError::Output)?;
    let unite = |into: &mut EdgeIn, other: EdgeIn| {
        into.ambiguous.extend(other.ambiguous);
        into.evidence.extend(other.evidence);
    };
    while let Some((mut e, united)) = edges.next_group(unite)? {
        e.ambiguous.sort_unstable();
        e.ambiguous.dedup();
        if united {
            e.evidence = sorted_evidence(e.evidence);
        }
        let edge = Edge {
            source: &e.key.0,
            target: &e.key.1,
            relation: &e.key.3,
            ambiguous: &ids(&e.ambiguous),
            evidence: &e.evidence,
        };
        w.edge(&edge).map_err(MergeError::Output)?;
    }
    w.end().map_err(MergeError::Output)
}

/// `format`'s index in the layout's top-level [`KEYS`], the keys a reader looks at (the
/// first shard's header, every shard's `meta`, `nodes`, `edges`; bit `i` of a mask is
/// `KEYS[i]`).
const FORMAT_KEY: usize = 0;

/// What the first shard's reader must have seen before its edges can stream (the others
/// need only format, meta and nodes).
const NEEDED_FIRST: u8 = 0b11_1111;
const NEEDED_OTHER: u8 = (1 << FORMAT_KEY) | (1 << META) | (1 << NODES);

/// (source, target, relation rank, relation): the order of edges.
type EdgeKey = (String, String, u8, String);

/// One edge as read: its key, ambiguous ids, and evidence sorted by key without repeats
/// (the later of two entries with one key kept, as the in-memory merge keeps it).
#[derive(Debug, Default)]
struct EdgeIn {
    key: EdgeKey,
    ambiguous: Vec<String>,
    evidence: Vec<Ev>,
}

impl EdgeIn {
    /// Read an edge as [`merge`] reads one (missing or mistyped fields read as empty).
    fn from_value(mut e: Value) -> EdgeIn {
        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let rel = s("relation");
        let key = (s("source"), s("target"), rel_rank(&rel), rel);
        let ambiguous: Vec<String> = e
            .get("ambiguous")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(String::from))
            .collect();
        let evidence = match e.get_mut("evidence").map(Value::take) {
            Some(Value::Array(list)) => list.into_iter().map(|v| Ev(ev_key(&v), v)).collect(),
            _ => Vec::new(),
        };
        EdgeIn {
            key,
            ambiguous,
            evidence: sorted_evidence(evidence),
        }
    }
}

/// Evidence sorted by key, the last of equal keys kept.
fn sorted_evidence(mut v: Vec<Ev>) -> Vec<Ev> {
    if v.windows(2).all(|w| w[0].0 < w[1].0) {
        return v;
    }
    v.sort_by(|a, b| a.0.cmp(&b.0)); // stable: equal keys stay in input order
    let mut out: Vec<Ev> = Vec::with_capacity(v.len());
    for item in v {
        match out.last_mut() {
            Some(last) if last.0 == item.0 => *last = item,
            _ => out.push(item),
        }
    }
    out
}

/// What a reader thread sends, in file order: the top-level keys the merge reads and the
/// nodes one by one, `HeaderDone` once none is left before the edges, then the edges and
/// `End`; or `Failed` instead of whatever was left.
enum Msg {
    /// `KEYS[i]` and its value (not `nodes`, not `edges`).
    Key(usize, Value),
    Node(Value),
    HeaderDone,
    Edge(EdgeIn),
    End,
    Failed(Error),
}

/// The reader threads of one merge pass, one per shard. Dropping them stops and joins
/// every thread.
struct Readers {
    names: Vec<String>,
    rx: Vec<Receiver<Msg>>,
    threads: Vec<JoinHandle<()>>,
    cancel: Arc<AtomicBool>,
}

impl Readers {
    fn start(paths: &[PathBuf]) -> Result<Readers> {
        let mut r = Readers {
            names: Vec::new(),
            rx: Vec::new(),
            threads: Vec::new(),
            cancel: Arc::new(AtomicBool::new(false)),
        };
        for (i, path) in paths.iter().enumerate() {
            let name = path.display().to_string();
            let (tx, rx) = sync_channel(IN_FLIGHT);
            let needed = if i == 0 { NEEDED_FIRST } else { NEEDED_OTHER };
            let reader = Reader::new(name.clone(), tx, r.cancel.clone(), needed);
            let p = path.clone();
            let t = std::thread::Builder::new()
                .name(format!("merge-read-{i}"))
                .spawn(move || reader.read(&p))
                .map_err(|e| Error::io(path, e))?;
            r.names.push(name);
            r.rx.push(rx);
            r.threads.push(t);
        }
        Ok(r)
    }

    /// The next message from shard `i`; its failure as an error.
    fn recv(&self, i: usize) -> Result<Msg> {
        match self.rx[i].recv() {
            Ok(Msg::Failed(e)) => Err(e),
            Ok(m) => Ok(m),
            Err(_) => Err(internal(&self.names[i])),
        }
    }

    /// Join every thread after a complete pass.
    fn finish(mut self) -> Result<()> {
        self.rx.clear();
        for (t, name) in self.threads.drain(..).zip(&self.names) {
            if t.join().is_err() {
                return Err(internal(name));
            }
        }
        Ok(())
    }
}

impl Drop for Readers {
    fn drop(&mut self) {
        // A reader stops at its next edge, or its next send (the receiver is gone).
        self.cancel.store(true, AtomicOrdering::Relaxed);
        self.rx.clear();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// One shard's reader, on its own thread.
struct Reader {
    name: String,
    tx: SyncSender<Msg>,
    cancel: Arc<AtomicBool>,
    /// Keys (bits of `KEYS`) to see before edges can stream.
    needed: u8,
    /// Keys seen so far.
    seen: u8,
    /// `HeaderDone` is sent: edges go straight to the merge.
    streaming: bool,
    /// Edges read before the header was complete.
    buffered: Vec<EdgeIn>,
    /// The previous edge's key (edges must come in order).
    last: Option<EdgeKey>,
    /// Edges read.
    count: usize,
    /// Why reading stopped (`None` after a stop: cancelled).
    failure: Option<Error>,
    stopped: bool,
}

/// A reader's step failed: `Some(error)`, or `None` when the merge no longer listens.
type Step = std::result::Result<(), Option<Error>>;

impl Reader {
    fn new(name: String, tx: SyncSender<Msg>, cancel: Arc<AtomicBool>, needed: u8) -> Reader {
        Reader {
            name,
            tx,
            cancel,
            needed,
            seen: 0,
            streaming: false,
            buffered: Vec::new(),
            last: None,
            count: 0,
            failure: None,
            stopped: false,
        }
    }

    /// Read the shard, sending what the merge needs; a failure is sent last.
    fn read(mut self, path: &Path) {
        if let Err(Some(e)) = self.run(path) {
            let _ = self.tx.send(Msg::Failed(e));
        }
    }

    fn run(&mut self, path: &Path) -> Step {
        let f = File::open(path).map_err(|e| Some(Error::io(path, e)))?;
        let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, f));
        let parsed = Top(self)
            .deserialize(&mut de)
            .and_then(|is_object| de.end().map(|()| is_object));
        match parsed {
            Err(_) if self.stopped => Err(self.failure.take()),
            Err(e) if e.classify() == serde_json::error::Category::Io => {
                Err(Some(Error::io(path, e.into())))
            }
            Err(e) => Err(Some(Error::input(
                &self.name,
                format!("line {}: not JSON: {e}", e.line()),
            ))),
            Ok(false) => Err(Some(not_a_graph(&self.name))),
            Ok(true) => self.finish(),
        }
    }

    /// Record why the reader stops, as the deserializer's error.
    fn stop<E: de::Error>(&mut self, e: Option<Error>) -> E {
        self.stopped = true;
        self.failure = e;
        E::custom("stopped")
    }

    fn send(&self, m: Msg) -> Step {
        self.tx.send(m).map_err(|_| None)
    }

    /// A top-level key: its index in `KEYS`, if the merge reads it.
    fn key(&mut self, k: &str) -> std::result::Result<Option<usize>, Option<Error>> {
        let Some(i) = KEYS.iter().position(|x| *x == k) else {
            return Ok(None);
        };
        if self.seen & (1 << i) != 0 {
            return Err(Some(Error::input(
                &self.name,
                format!("the key `{k}` appears twice in the graph"),
            )));
        }
        self.seen |= 1 << i;
        Ok(Some(i))
    }

    /// The value of `KEYS[i]` (not `nodes`, not `edges`).
    fn value(&mut self, i: usize, v: Value) -> Step {
        if i == FORMAT_KEY && v.as_str() != Some(FORMAT) {
            return Err(Some(not_a_graph(&self.name)));
        }
        if self.streaming {
            return Ok(()); // a key the merge does not need, after the edges
        }
        self.send(Msg::Key(i, v))
    }

    fn node(&mut self, v: Value) -> Step {
        self.send(Msg::Node(v))
    }

    /// `edges` begins: stream them if nothing the merge needs can come after them.
    fn start_edges(&mut self) -> Step {
        if self.seen & self.needed == self.needed {
            self.header_done()?;
        }
        Ok(())
    }

    fn header_done(&mut self) -> Step {
        self.streaming = true;
        self.send(Msg::HeaderDone)
    }

    fn edge(&mut self, v: Value) -> Step {
        if self.cancel.load(AtomicOrdering::Relaxed) {
            return Err(None);
        }
        let e = EdgeIn::from_value(v);
        match &mut self.last {
            Some(last) if e.key < *last => {
                return Err(Some(Error::input(
                    &self.name,
                    format!(
                        "edges[{}] is out of order: edges must be sorted by (source, target, relation), as `extract` and `merge` write them",
                        self.count
                    ),
                )));
            }
            Some(last) => last.clone_from(&e.key),
            None => self.last = Some(e.key.clone()),
        }
        self.count += 1;
        if self.streaming {
            self.send(Msg::Edge(e))
        } else {
            self.buffered.push(e);
            Ok(())
        }
    }

    /// The whole file is read and valid.
    fn finish(&mut self) -> Step {
        if self.seen & (1 << FORMAT_KEY) == 0 {
            return Err(Some(not_a_graph(&self.name)));
        }
        if !self.streaming {
            self.header_done()?;
            for e in std::mem::take(&mut self.buffered) {
                self.send(Msg::Edge(e))?;
            }
        }
        self.send(Msg::End)
    }
}

/// The top-level value: `true` if it is an object (read), `false` if it is other JSON.
struct Top<'r>(&'r mut Reader);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

/// Scalars are JSON but not a graph: accepted here, refused after the syntax is checked.
macro_rules! accept_scalars {
    ($v:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Self::Value, E> {
            Ok($v)
        }
        fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
            Ok($v)
        }
    };
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a visitgraph/1 graph")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> std::result::Result<bool, A::Error> {
        let r = self.0;
        while let Some(k) = m.next_key::<String>()? {
            match r.key(&k).map_err(|e| r.stop(e))? {
                None => {
                    m.next_value::<IgnoredAny>()?;
                }
                Some(EDGES) => {
                    r.start_edges().map_err(|e| r.stop(e))?;
                    m.next_value_seed(Edges(&mut *r))?;
                }
                Some(NODES) => m.next_value_seed(Nodes(&mut *r))?,
                Some(i) => {
                    let v: Value = m.next_value()?;
                    r.value(i, v).map_err(|e| r.stop(e))?;
                }
            }
        }
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> std::result::Result<bool, A::Error> {
        while s.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    accept_scalars!(false);
}

/// The value of `nodes`: an array is streamed, anything else ignored (as [`merge`] does).
struct Nodes<'r>(&'r mut Reader);

impl<'de> DeserializeSeed<'de> for Nodes<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Nodes<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of nodes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> std::result::Result<(), A::Error> {
        let r = self.0;
        while let Some(v) = s.next_element::<Value>()? {
            r.node(v).map_err(|e| r.stop(e))?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> std::result::Result<(), A::Error> {
        while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    accept_scalars!(());
}

/// The value of `edges`: an array is streamed, anything else ignored (as [`merge`] does).
struct Edges<'r>(&'r mut Reader);

impl<'de> DeserializeSeed<'de> for Edges<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Edges<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of edges")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> std::result::Result<(), A::Error> {
        let r = self.0;
        while let Some(v) = s.next_element::<Value>()? {
            r.edge(v).map_err(|e| r.stop(e))?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> std::result::Result<(), A::Error> {
        while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    accept_scalars!(());
}

impl Keyed for EdgeIn {
    type Key = EdgeKey;
    fn key(&self) -> &EdgeKey {
        &self.key
    }
}

/// Shard `.1`'s edge stream, for the k-way merge (which unites the edges of one key in
/// shard order).
struct Shard<'a>(&'a Readers, usize);

impl Sorted for Shard<'_> {
    type Item = EdgeIn;
    type Error = Error;

    fn next_into(&mut self, item: &mut EdgeIn) -> Result<bool> {
        match self.0.recv(self.1)? {
            Msg::Edge(edge) => *item = edge,
            Msg::End => return Ok(false),
            _ => return Err(internal(&self.0.names[self.1])),
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: every shard loaded whole as a value and united in memory by
    /// [`super::merge`] (the merge as it was before it streamed).
    mod reference {
        use std::path::Path;

        use serde_json::Value;

        use crate::error::{Error, Result};

        fn load(path: &Path) -> Result<Value> {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            let v: Value = serde_json::from_str(&text)
                .map_err(|e| Error::input(&name, format!("line {}: not JSON: {e}", e.line())))?;
            if v.get("format").and_then(Value::as_str) != Some("visitgraph/1") {
                return Err(super::super::not_a_graph(&name));
            }
            Ok(v)
        }

        pub fn merge_files(paths: &[impl AsRef<Path>]) -> Result<Value> {
            let graphs: Vec<(String, Value)> = paths
                .iter()
                .map(|p| Ok((p.as_ref().display().to_string(), load(p.as_ref())?)))
                .collect::<Result<_>>()?;
            super::super::merge(&graphs)
        }
    }

    /// xorshift64*: reproducible cases without a dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }
        fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
            xs[self.below(xs.len())].clone()
        }
        fn shuffle<T>(&mut self, xs: &mut [T]) {
            for i in (1..xs.len()).rev() {
                xs.swap(i, self.below(i + 1));
            }
        }
    }

    // Ids whose byte order is not their char order or length order.
    const IDS: [&str; 8] = ["a", "ab", "b", "Z", "中", "中国", "z9", "é"];
    const RELS: [&str; 4] = ["visited", "accompanied", "accompanied", "met"];
    const DOCS: [&str; 2] = ["d1", "新闻/3"];
    const SENTENCES: [&str; 3] = ["他来了。", "quote \" and \\ back", "line\nbreak\ttab"];

    fn object(rng: &mut Rng, mut entries: Vec<(&str, Value)>, shuffle: bool) -> Value {
        if shuffle {
            rng.shuffle(&mut entries);
        }
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    }

    fn evidence(rng: &mut Rng) -> Value {
        // Few keys, so that shards often hold evidence with one key.
        let start = rng.below(2) as u64;
        let mut e = vec![
            ("doc", json!(rng.pick(&DOCS))),
            (
                "date",
                rng.pick(&[Value::Null, json!("2020-01-02"), json!("2019-12-31")]),
            ),
            ("sentence", json!(rng.pick(&SENTENCES))),
            ("start", json!(start)),
            ("end", json!(start + rng.below(2) as u64)),
        ];
        if rng.chance(50) {
            // A JSONL record's address, sometimes two for one doc.
            e.push((
                "url",
                json!(rng.pick(&["https://x.cn/a", "https://x.cn/b"])),
            ));
        }
        if rng.chance(10) {
            e.remove(rng.below(e.len())); // a missing field reads as empty
        }
        if rng.chance(50) {
            // The same key with other content: the later one is kept.
            e.push(("extra", json!(rng.below(1000) as f64 / 7.0)));
        }
        let shuffle = rng.chance(20);
        object(rng, e, shuffle)
    }

    fn edge(rng: &mut Rng, key: &(String, String, u8, String)) -> Value {
        let mut e = vec![
            ("source", json!(key.0)),
            ("target", json!(key.1)),
            ("relation", json!(key.3)),
            ("dates", json!(["garbage"])),
            ("weight", json!(rng.below(9))),
        ];
        if rng.chance(30) {
            let mut amb: Vec<Value> = (0..rng.below(3)).map(|_| json!(rng.pick(&IDS))).collect();
            if rng.chance(10) {
                amb.push(json!(7));
            }
            e.push(("ambiguous", Value::Array(amb)));
        }
        let evidence: Vec<Value> = (0..rng.below(4)).map(|_| evidence(rng)).collect();
        e.push(("evidence", Value::Array(evidence)));
        let shuffle = rng.chance(20);
        object(rng, e, shuffle)
    }

    /// A random shard, laid out as `extract` writes one (or with its keys in another order):
    /// overlapping ids, edges and evidence across shards, nodes differing by shard.
    fn shard(rng: &mut Rng, n: usize, meta_mode: usize) -> String {
        let mut nodes: Vec<Value> = Vec::new();
        let mut ids: Vec<&str> = IDS.iter().copied().filter(|_| rng.chance(50)).collect();
        ids.sort();
        for id in ids {
            nodes.push(json!({"id": id, "type": "official", "name": format!("{id} of shard {n}")}));
        }
        if rng.chance(5) {
            nodes.push(json!({"name": "no id"}));
        }
        let mut keys: Vec<(String, String, u8, String)> = (0..rng.below(8))
            .map(|_| {
                let rel = rng.pick(&RELS).to_string();
                let rank = match rel.as_str() {
                    "visited" => 0,
                    "accompanied" => 1,
                    _ => 2,
                };
                (rng.pick(&IDS).into(), rng.pick(&IDS).into(), rank, rel)
            })
            .collect();
        keys.sort();
        let edges: Vec<Value> = keys.iter().map(|k| edge(rng, k)).collect();
        let mut meta = vec![
            ("tool", json!("visitgraph")),
            ("documents", json!(rng.below(50))),
            ("fingerprint", json!("fp")),
        ];
        let shuffle = rng.chance(20);
        let meta = match meta_mode {
            0 => Some(object(rng, meta, shuffle)),
            1 => {
                meta.pop();
                Some(object(rng, meta, shuffle))
            }
            2 => None,
            _ => Some(Value::Null),
        };
        let mut top = vec![
            ("format", json!("visitgraph/1")),
            ("directed", json!(rng.chance(50))),
            ("multigraph", json!(rng.chance(50))),
            (
                "graph",
                if rng.chance(50) {
                    json!({})
                } else {
                    json!({"name": n})
                },
            ),
        ];
        if let Some(m) = meta {
            top.push(("meta", m));
        }
        top.push(("nodes", Value::Array(nodes)));
        top.push(("edges", Value::Array(edges)));
        if rng.chance(10) {
            top.push(("unknown", json!([1, {"a": null}])));
        }
        if rng.chance(10) {
            let i = rng.below(3) + 1;
            top.remove(i); // directed, multigraph or graph missing
        }
        let shuffle = rng.chance(30);
        let g = object(rng, top, shuffle);
        if rng.chance(50) {
            serde_json::to_string_pretty(&g).unwrap()
        } else {
            serde_json::to_string(&g).unwrap()
        }
    }

    fn streamed(
        paths: &[impl AsRef<Path>],
        fan_in: usize,
    ) -> std::result::Result<Vec<u8>, MergeError> {
        let mut out = Vec::new();
        write_merged_with(paths, fan_in, &mut out)?;
        Ok(out)
    }

    fn message(r: std::result::Result<Vec<u8>, MergeError>) -> String {
        match r {
            Err(MergeError::Input(e)) => e.to_string(),
            Err(e) => panic!("not an input error: {e}"),
            Ok(_) => panic!("merged"),
        }
    }

    #[test]
    fn streamed_merge_gives_the_bytes_of_the_in_memory_merge() {
        let d = tempfile::tempdir().unwrap();
        let mut merged_edges = 0;
        for case in 0..400u64 {
            let mut rng = Rng(case.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            // All with one fingerprint, or all without (meta without it, none, or null).
            let fingerprints = rng.chance(70);
            let paths: Vec<PathBuf> = (0..1 + rng.below(7))
                .map(|n| {
                    let p = d.path().join(format!("c{case}-s{n}.json"));
                    let meta_mode = if fingerprints { 0 } else { 1 + rng.below(3) };
                    std::fs::write(&p, shard(&mut rng, n, meta_mode)).unwrap();
                    p
                })
                .collect();
            let want = crate::output::json::json_bytes(&reference::merge_files(&paths).unwrap());
            merged_edges += reference::merge_files(&paths).unwrap()["edges"]
                .as_array()
                .unwrap()
                .len();
            for fan_in in [2, 3, FAN_IN] {
                let got = streamed(&paths, fan_in).unwrap();
                assert!(
                    got == want,
                    "case {case}, fan-in {fan_in}:\n{}\n---- want ----\n{}",
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(&want)
                );
            }
            // The public conveniences agree too.
            let value = reference::merge_files(&paths).unwrap();
            assert_eq!(merge_files(&paths).unwrap(), value, "case {case}");
            let loaded: Vec<(String, Value)> = paths
                .iter()
                .map(|p| {
                    let text = std::fs::read_to_string(p).unwrap();
                    (
                        p.display().to_string(),
                        serde_json::from_str(&text).unwrap(),
                    )
                })
                .collect();
            assert_eq!(merge(&loaded).unwrap(), value, "case {case}");
        }
        assert!(merged_edges > 2000, "the cases merge edges: {merged_edges}");
    }

    #[test]
    fn fan_in_spans_levels_and_keeps_the_first_shard_s_header_and_the_sum() {
        let d = tempfile::tempdir().unwrap();
        let mut rng = Rng(7);
        // 9 shards, fan-in 2: three levels of temporary files.
        let paths: Vec<PathBuf> = (0..9)
            .map(|n| {
                let p = d.path().join(format!("s{n}.json"));
                std::fs::write(&p, shard(&mut rng, n, 0)).unwrap();
                p
            })
            .collect();
        let want = crate::output::json::json_bytes(&reference::merge_files(&paths).unwrap());
        for fan_in in [2, 3, 4, 8, 9] {
            assert!(streamed(&paths, fan_in).unwrap() == want, "fan-in {fan_in}");
        }
        let v: Value = serde_json::from_slice(&want).unwrap();
        let sum: u64 = paths
            .iter()
            .map(|p| {
                let g: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
                g["meta"]["documents"].as_u64().unwrap()
            })
            .sum();
        assert_eq!(v["meta"]["documents"], json!(sum));
    }

    #[test]
    fn errors_name_the_shard() {
        let d = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = d.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let mut rng = Rng(11);
        let good = write("good.json", &shard(&mut rng, 0, 0));
        // Not JSON: the file and the line.
        let bad = write(
            "bad.json",
            "{\n  \"format\": \"visitgraph/1\",\n  \"nodes\": [,]\n}\n",
        );
        let m = message(streamed(&[good.clone(), bad.clone()], FAN_IN));
        assert!(
            m.starts_with(&format!("{}: line 3: not JSON", bad.display())),
            "{m}"
        );
        // Truncated.
        let text = std::fs::read_to_string(&good).unwrap();
        let cut = write("cut.json", &text[..text.len() - 3]);
        let m = message(streamed(&[good.clone(), cut.clone()], FAN_IN));
        assert!(m.starts_with(&format!("{}: line ", cut.display())), "{m}");
        assert!(m.contains("not JSON: EOF while parsing"), "{m}");
        // Trailing garbage.
        let trail = write("trail.json", &format!("{text} x"));
        let m = message(streamed(&[&trail], FAN_IN));
        assert!(m.contains("not JSON: trailing characters"), "{m}");
        // Not a graph: other format, none, not an object.
        for (n, t) in [
            r#"{"format": "other/1", "edges": []}"#,
            r#"{"nodes": [], "edges": []}"#,
            "[1, 2]",
            "3",
        ]
        .iter()
        .enumerate()
        {
            let p = write(&format!("other{n}.json"), t);
            let m = message(streamed(&[good.clone(), p.clone()], FAN_IN));
            assert_eq!(
                m,
                format!(
                    "{}: not a visitgraph/1 graph (`format` is missing or different)",
                    p.display()
                )
            );
        }
        // Missing.
        let missing = d.path().join("missing.json");
        let m = message(streamed(&[good.clone(), missing.clone()], FAN_IN));
        assert!(m.starts_with(&format!("{}: ", missing.display())), "{m}");
        // Other dictionaries, also in a later group of the fan-in.
        let other = write("other.json", &text.replace("\"fp\"", "\"fq\""));
        assert_ne!(text, std::fs::read_to_string(&other).unwrap());
        for fan_in in [2, FAN_IN] {
            let paths = [good.clone(), good.clone(), good.clone(), other.clone()];
            let m = message(streamed(&paths, fan_in));
            assert_eq!(
                m,
                format!(
                    "{}: built from other dictionaries than {} (meta.fingerprint differs): rerun the shards with the same dictionaries",
                    other.display(),
                    good.display()
                )
            );
        }
        // Edges out of order, a key twice.
        let unsorted = write(
            "unsorted.json",
            r#"{"format": "visitgraph/1", "meta": {}, "nodes": [], "edges": [{"source": "b"}, {"source": "a"}]}"#,
        );
        let m = message(streamed(&[&unsorted], FAN_IN));
        assert!(
            m.starts_with(&format!("{}: edges[1] is out of order", unsorted.display())),
            "{m}"
        );
        let twice = write(
            "twice.json",
            r#"{"format": "visitgraph/1", "nodes": [], "nodes": []}"#,
        );
        let m = message(streamed(&[&twice], FAN_IN));
        assert!(m.contains("`nodes` appears twice"), "{m}");
        let none: [PathBuf; 0] = [];
        assert!(matches!(
            streamed(&none, FAN_IN),
            Err(MergeError::Input(Error::Usage(_)))
        ));
    }

    #[test]
    fn a_failing_shard_stops_the_others_mid_stream() {
        // A big shard streams its edges while the other fails after its header: the merge
        // returns the error (and joins every reader) instead of hanging.
        let d = tempfile::tempdir().unwrap();
        let edges: Vec<Value> = (0..5000)
            .map(|i| json!({"source": format!("s{i:05}"), "target": "t", "relation": "visited", "evidence": []}))
            .collect();
        let big = json!({"format": "visitgraph/1", "meta": {}, "nodes": [], "edges": edges});
        let big_path = d.path().join("big.json");
        std::fs::write(&big_path, serde_json::to_string_pretty(&big).unwrap()).unwrap();
        let text = serde_json::to_string_pretty(&big).unwrap();
        let cut = d.path().join("cut.json");
        std::fs::write(&cut, &text[..text.len() / 2]).unwrap();
        for paths in [
            [big_path.clone(), cut.clone()],
            [cut.clone(), big_path.clone()],
        ] {
            let m = message(streamed(&paths, FAN_IN));
            assert!(m.starts_with(&format!("{}: line ", cut.display())), "{m}");
        }
        // And an output that fails stops them too.
        struct Full(usize);
        impl Write for Full {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if self.0 > 100_000 {
                    return Err(std::io::Error::other("full"));
                }
                self.0 += b.len();
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let r = write_merged(&[big_path.clone(), big_path], &mut Full(0));
        assert!(matches!(r, Err(MergeError::Output(_))), "{r:?}");
    }
}
