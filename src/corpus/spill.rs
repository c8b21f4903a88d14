//! Bounded memory for `extract`: a [`SpillGraph`] merges the pages' relations into one
//! graph, but keeps at most about `limit` bytes of evidence in memory, so peak
//! memory depends on the limit and the dictionary, not on the corpus. (Why: holding every
//! edge's evidence until output made peak RSS grow with the corpus, 0.2 → 0.6 GB from 50 to
//! 200 MB of pages with the shipped dictionaries and 0.64 → 1.9 GB with 100k entries; with
//! runs it stays flat.) What still grows: 8 bytes per edge (below), the number of runs
//! (logarithmically), and at output the evidence of the single largest edge.
//!
//! - **Buffer.** Relations stay as the workers packed them ([`FoundBatch`]: a few
//!   allocations for many pages), with one small index entry each — its key and place. No
//!   map, no per-relation string: the merger's work per relation is a push. When the
//!   buffer's bytes (its buffers' capacities) pass the limit (default 16 MiB, `extract --spill-limit`;
//!   a spill comes after a whole batch, so by at most one batch's relations), the index is
//!   sorted in output order — (source id, target id, relation),
//!   evidence in `Evidence` order — and the
//!   relations of each key are united and written, read in place, as one *run* to an
//!   anonymous temporary file in `std::env::temp_dir()` (`TMPDIR`), deleted by the OS
//!   however the process ends. (A map of edges with owned evidence, as the tests'
//!   in-memory `VisitGraph` keeps, cost the merger twice the time: a hash probe, an insert and three strings
//!   allocated on one thread and freed on another, per relation.)
//! - **What stays.** The node set (bounded by the dictionary), the document count, each
//!   entity's rank by id (4 bytes an entity), and for `"multigraph"` one sorted `u64`
//!   (source, target) per relation per spilled edge: 8 bytes an edge, ~4 MB for 500k edges.
//! - **Output.** [`GraphView::for_each_edge`] k-way merges the runs and the buffer, one edge
//!   at a time: its evidence is the union across runs, sorted, without repeats, so the bytes
//!   do not depend on the limit, on when a spill happened, or on the number of threads.
//!   Every output format and filter reads the graph this way (a filter is a view over the
//!   walk).
//! - **Runs stay few.** When [`FAN_IN`] runs of one level pile up, they are merged into one
//!   run of the next level (an LSM-style cascade), so a tiny limit opens few files and
//!   rewrites each record only log_FAN_IN(runs) times. (Runs, their k-way merge and their
//!   compaction are [`crate::corpus::runs`]'s; the record format is this module's.)
//!
//! Run format, little-endian, one record per edge: source `u32`, target `u32`, relation
//! `u8`, ambiguous count `u32` and that many `u32` entity indices, evidence count `u32`,
//! then per evidence: doc (`u32` length + UTF-8), date (`u8` 0/1, then length + UTF-8),
//! sentence (length + UTF-8), start `u64`, end `u64`, url (`u8` 0/1, then length + UTF-8).

use std::io;
use std::path::{Path, PathBuf};

use crate::corpus::graph::{EdgeData, EvidenceSet, GraphView, NodeSet};
use crate::corpus::runs::{
    KWay, Keyed, Run, RunReader, RunWriter, Sorted, compact_runs, corrupt, ctx,
};
use crate::dict::Dictionary;
use crate::page::relate::Rel;
use crate::page::{DateSource, Evidence, EvidenceRef, FoundBatch};

/// Default relations held in memory before a spill: 16 MiB.
#[cfg(test)]
pub(crate) const DEFAULT_LIMIT: usize = 16 << 20; // `extract --spill-limit`'s default, 16M

/// Runs of one level merged into one run of the next.
pub const FAN_IN: usize = 16;

/// Number of relations (the width of the per-relation key sets).
const RELS: usize = 2;

fn rel_code(r: Rel) -> u8 {
    match r {
        Rel::Visited => 0,
        Rel::Accompanied => 1,
    }
}

fn rel_from(c: u8) -> Option<Rel> {
    match c {
        0 => Some(Rel::Visited),
        1 => Some(Rel::Accompanied),
        _ => None,
    }
}

/// A graph that spills its evidence to sorted runs on disk past a memory limit.
#[derive(Debug)]
pub struct SpillGraph {
    /// The buffer: relations not yet in a run, as the workers packed them.
    batches: Vec<FoundBatch>,
    /// Every buffered relation's key and place in `batches`, unsorted until a spill.
    index: Vec<Entry>,
    /// Bytes the buffer holds (batches and index).
    mem_bytes: usize,
    /// Every node (the two ends of every relation merged) and the document count.
    nodes: NodeSet,
    documents: usize,
    limit: usize,
    fan_in: usize,
    dir: PathBuf,
    /// Entity index → rank by id.
    rank: Vec<u32>,
    /// Runs, oldest first; levels never increase along the list.
    runs: Vec<Run>,
    /// Per relation: sorted, distinct `(source << 32) | target` of every spilled edge.
    keys: [Vec<u64>; RELS],
    /// Some spilled pair carries two relations.
    multi: bool,
    /// Runs written, counting those merged away since.
    spilled: usize,
    /// Relations added, by relation, and those without a date (before evidence repeated
    /// across pages is united: for the run's summary line).
    added: [usize; RELS],
    undated: usize,
}

/// A buffered relation: its key in output order, and where it is.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Key,
    batch: usize,
    item: usize,
}

/// (rank of source, rank of target, relation): output order.
type Key = (u32, u32, Rel);

/// One edge as a run holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EdgeRec {
    a: usize,
    b: usize,
    rel: Rel,
    /// Sorted, distinct.
    amb: Vec<usize>,
    /// Sorted, distinct.
    ev: Vec<Evidence>,
}

impl EdgeRec {
    fn into_data(self) -> (usize, usize, EdgeData) {
        (
            self.a,
            self.b,
            EdgeData {
                rel: self.rel,
                evidence: EvidenceSet::from_sorted(self.ev),
                ambiguous: self.amb.into_iter().collect(),
            },
        )
    }
}

impl SpillGraph {
    /// An empty graph for entities of `dict`, spilling past about `limit` bytes of
    /// evidence into `std::env::temp_dir()`.
    pub fn new(dict: &Dictionary, limit: usize) -> SpillGraph {
        let mut order: Vec<usize> = (0..dict.entities.len()).collect();
        order.sort_by(|&x, &y| dict.entities[x].id.cmp(&dict.entities[y].id));
        let mut rank = vec![0u32; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = u32::try_from(r).unwrap_or(u32::MAX);
        }
        SpillGraph {
            batches: Vec::new(),
            index: Vec::new(),
            mem_bytes: 0,
            nodes: NodeSet::default(),
            documents: 0,
            limit,
            fan_in: FAN_IN,
            dir: std::env::temp_dir(),
            rank,
            runs: Vec::new(),
            keys: Default::default(),
            multi: false,
            spilled: 0,
            added: [0; RELS],
            undated: 0,
        }
    }

    /// Spill into this folder instead.
    #[cfg(test)]
    pub(crate) fn spill_dir(mut self, dir: impl Into<PathBuf>) -> SpillGraph {
        self.dir = dir.into();
        self
    }

    /// Merge this many runs of one level into one (at least 2).
    #[cfg(test)]
    pub(crate) fn fan_in(mut self, n: usize) -> SpillGraph {
        self.fan_in = n.max(2);
        self
    }

    /// Runs written so far (including those since merged into bigger runs).
    pub fn spilled_runs(&self) -> usize {
        self.spilled
    }

    /// Relations added (visited, accompanied) and how many of them carry no date.
    pub(crate) fn relations_added(&self) -> ([usize; RELS], usize) {
        (self.added, self.undated)
    }

    /// The nodes: every end of every relation added.
    pub(crate) fn node_indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes.iter()
    }

    /// Merge one document's relations; spill if the buffer is past the limit.
    #[cfg(test)]
    pub(crate) fn add_document(&mut self, found: Vec<crate::page::Found>) -> io::Result<()> {
        let mut batch = FoundBatch::new();
        for f in &found {
            batch.push_found(f);
        }
        batch.documents = 1;
        self.add_batch(batch)
    }

    /// Merge a batch of pages' relations, kept as they are until a spill; spill if the
    /// buffer is past the limit.
    pub fn add_batch(&mut self, batch: FoundBatch) -> io::Result<()> {
        self.documents += batch.documents;
        if batch.is_empty() {
            return Ok(());
        }
        let n = self.rank.len();
        let b = self.batches.len();
        let before = self.index.len();
        for item in 0..batch.len() {
            let (source, target, rel, amb) = batch.ends(item);
            if source >= n || target >= n || amb.iter().any(|&x| x >= n) {
                self.index.truncate(before);
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "a relation names an entity the dictionary does not have",
                ));
            }
            self.nodes.insert(source);
            self.nodes.insert(target);
            self.added[usize::from(rel_code(rel))] += 1;
            if batch.get(item).evidence.date.is_none() {
                self.undated += 1;
            }
            self.index.push(Entry {
                key: self.key(source, target, rel),
                batch: b,
                item,
            });
        }
        self.mem_bytes += batch.bytes() + batch.len() * std::mem::size_of::<Entry>();
        self.batches.push(batch);
        if self.mem_bytes > self.limit {
            self.spill()?;
        }
        Ok(())
    }

    fn key(&self, a: usize, b: usize, rel: Rel) -> Key {
        (self.rank[a], self.rank[b], rel)
    }

    /// Write the buffer as one run.
    fn spill(&mut self) -> io::Result<()> {
        self.mem_bytes = 0;
        let mut index = std::mem::take(&mut self.index);
        sort_entries(&mut index, &self.batches);
        let mut fresh: [Vec<u64>; RELS] = Default::default();
        let mut w = run_writer(&self.dir)?;
        let (mut ev, mut amb) = (Vec::new(), Vec::new());
        let mut warmed = 0;
        let mut at = 0;
        for group in index.chunk_by(|x, y| x.key == y.key) {
            // Sorted by key, the relations are read in no order of memory: the next few
            // dozen are touched first, in two rounds of independent loads.
            at += group.len();
            if at > warmed {
                let ahead = &index[warmed..(at + AHEAD).min(index.len())];
                warm(ahead, &self.batches);
                warmed += ahead.len();
            }
            // `chunk_by` gives no empty group.
            let Some((a, b, rel)) = gather(group, &self.batches, &mut ev, &mut amb) else {
                continue;
            };
            fresh[usize::from(rel_code(rel))].push(pair(a, b));
            write_rec(&mut w, a, b, rel, amb.iter().copied(), ev.iter().copied())?;
        }
        let run = w.finish(0)?;
        // The index keeps its capacity for the next buffer.
        index.clear();
        self.index = index;
        self.batches.clear();
        for f in &mut fresh {
            f.sort_unstable();
        }
        for r in 0..RELS {
            for s in r + 1..RELS {
                self.multi |= intersects(&fresh[r], &fresh[s])
                    || intersects(&fresh[r], &self.keys[s])
                    || intersects(&self.keys[r], &fresh[s]);
            }
        }
        for (keys, f) in self.keys.iter_mut().zip(fresh) {
            *keys = union(keys, &f);
        }
        self.runs.push(run);
        self.spilled += 1;
        self.compact()
    }

    /// Merge the newest runs while `fan_in` of them share a level.
    fn compact(&mut self) -> io::Result<()> {
        let (dir, rank) = (&self.dir, &self.rank);
        compact_runs(
            &mut self.runs,
            self.fan_in,
            |r| r.level,
            |group, level| {
                let mut w = run_writer(dir)?;
                let sources = group
                    .iter()
                    .map(|r| Source::Run(RunReader::new(r), dir))
                    .collect();
                merge(sources, rank, |r| {
                    let ev = r.ev.iter().map(Evidence::as_ref);
                    write_rec(&mut w, r.a, r.b, r.rel, r.amb.iter().copied(), ev)
                })?;
                w.finish(level)
            },
        )
    }

    /// Walk the merged records, in output order.
    fn walk(&self, f: impl FnMut(EdgeRec) -> io::Result<()>) -> io::Result<()> {
        let mut index = self.index.clone();
        sort_entries(&mut index, &self.batches);
        let mut sources: Vec<Source> = self
            .runs
            .iter()
            .map(|r| Source::Run(RunReader::new(r), &self.dir))
            .collect();
        sources.push(Source::Mem(Buffered {
            index,
            at: 0,
            batches: &self.batches,
            refs: Vec::new(),
        }));
        merge(sources, &self.rank, f)
    }

    /// The whole graph in memory, for the tests to compare.
    #[cfg(test)]
    pub(crate) fn materialize(self) -> io::Result<crate::corpus::graph::VisitGraph> {
        let mut g = crate::corpus::graph::VisitGraph::new();
        g.documents = self.documents;
        self.walk(|r| {
            let (a, b, d) = r.into_data();
            g.insert_edge(a, b, d);
            Ok(())
        })?;
        Ok(g)
    }
}

/// Relations touched ahead of a spill's writes.
const AHEAD: usize = 64;

/// Touch these relations' records, then their strings (see [`FoundBatch::touch`]).
fn warm(entries: &[Entry], batches: &[FoundBatch]) {
    for first in [true, false] {
        let sum = entries
            .iter()
            .fold(0usize, |s, e| s ^ batches[e.batch].touch(e.item, first));
        std::hint::black_box(sum);
    }
}

/// Sort buffered relations in output order: by key, then by evidence (only ties read it).
fn sort_entries(index: &mut [Entry], batches: &[FoundBatch]) {
    let ev = |e: &Entry| batches[e.batch].get(e.item).evidence;
    index.sort_unstable_by(|x, y| x.key.cmp(&y.key).then_with(|| ev(x).cmp(&ev(y))));
}

/// One edge's relations (sorted entries of one key): its ends and relation (`None` for no
/// entries), with its evidence (sorted, distinct) and ambiguous readings (sorted, distinct)
/// into `ev`, `amb`.
fn gather<'b>(
    group: &[Entry],
    batches: &'b [FoundBatch],
    ev: &mut Vec<EvidenceRef<'b>>,
    amb: &mut Vec<usize>,
) -> Option<(usize, usize, Rel)> {
    let first = group.first()?;
    let (a, b, rel, _) = batches[first.batch].ends(first.item);
    ev.clear();
    amb.clear();
    for e in group {
        let f = batches[e.batch].get(e.item);
        if ev.last() != Some(&f.evidence) {
            ev.push(f.evidence);
        }
        amb.extend_from_slice(f.ambiguous);
    }
    if amb.len() > 1 {
        amb.sort_unstable();
        amb.dedup();
    }
    Some((a, b, rel))
}

/// The buffer's edges in output order, one at a time (copied out).
struct Buffered<'a> {
    /// Sorted.
    index: Vec<Entry>,
    at: usize,
    batches: &'a [FoundBatch],
    /// An edge's evidence, in place.
    refs: Vec<EvidenceRef<'a>>,
}

impl Buffered<'_> {
    /// The next edge into `rec` (replacing it); false at the end.
    fn next_into(&mut self, rec: &mut EdgeRec) -> bool {
        let Some(group) = self.index[self.at..].chunk_by(|x, y| x.key == y.key).next() else {
            return false;
        };
        self.at += group.len();
        let Some((a, b, rel)) = gather(group, self.batches, &mut self.refs, &mut rec.amb) else {
            return false;
        };
        (rec.a, rec.b, rec.rel) = (a, b, rel);
        rec.ev.clear();
        rec.ev
            .extend(self.refs.iter().copied().map(EvidenceRef::to_evidence));
        true
    }
}

impl GraphView for SpillGraph {
    fn document_count(&self) -> usize {
        self.documents
    }

    fn sorted_nodes(&self, _dict: &Dictionary) -> Vec<usize> {
        // Nodes are never spilled; ranks are the order by id.
        let mut v: Vec<usize> = self.nodes.iter().collect();
        v.sort_unstable_by_key(|&i| self.rank[i]);
        v
    }

    fn is_multigraph(&self) -> bool {
        if self.multi {
            return true;
        }
        // Relations seen per buffered (source, target), as bits.
        let mut seen: rustc_hash::FxHashMap<u64, u8> = Default::default();
        self.index.iter().any(|e| {
            let (a, b, rel, _) = self.batches[e.batch].ends(e.item);
            let (p, r) = (pair(a, b), usize::from(rel_code(rel)));
            let bits = seen.entry(p).or_default();
            *bits |= 1 << r;
            bits.count_ones() > 1
                || (0..RELS).any(|s| s != r && self.keys[s].binary_search(&p).is_ok())
        })
    }

    fn for_each_edge<F>(&self, _dict: &Dictionary, mut f: F) -> io::Result<()>
    where
        F: FnMut(usize, usize, &EdgeData) -> io::Result<()>,
    {
        self.walk(|r| {
            let (a, b, d) = r.into_data();
            f(a, b, &d)
        })
    }
}

fn pair(a: usize, b: usize) -> u64 {
    // Both fit in u32: `add_document` checked them against the dictionary's size.
    ((a as u64) << 32) | (b as u64 & 0xffff_ffff)
}

/// Do two sorted lists share an item?
fn intersects(x: &[u64], y: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// The sorted union of two sorted, distinct lists.
fn union(x: &[u64], y: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(x.len() + y.len());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => {
                out.push(x[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(y[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(x[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&x[i..]);
    out.extend_from_slice(&y[j..]);
    out.shrink_to_fit();
    out
}

/// One edge with its key, as the merge orders it.
#[derive(Debug)]
struct Ranked {
    key: Key,
    rec: EdgeRec,
}

impl Default for Ranked {
    fn default() -> Ranked {
        Ranked {
            key: (0, 0, Rel::Visited),
            rec: EdgeRec {
                a: 0,
                b: 0,
                rel: Rel::Visited,
                amb: Vec::new(),
                ev: Vec::new(),
            },
        }
    }
}

impl Keyed for Ranked {
    type Key = Key;
    fn key(&self) -> &Key {
        &self.key
    }
}

/// Where the merge reads edges from: a run, or the buffer (copied one edge at a time).
enum Source<'a> {
    Run(RunReader<'a>, &'a Path),
    Mem(Buffered<'a>),
}

/// A merge source with the ranks its keys are made of.
struct SourceRanked<'a> {
    src: Source<'a>,
    rank: &'a [u32],
}

impl Sorted for SourceRanked<'_> {
    type Item = Ranked;
    type Error = io::Error;

    fn next_into(&mut self, item: &mut Ranked) -> io::Result<bool> {
        let got = match &mut self.src {
            Source::Run(r, dir) => read_rec(r, &mut item.rec).map_err(|e| ctx(e, READ, dir))?,
            Source::Mem(b) => b.next_into(&mut item.rec),
        };
        if got {
            let r = &item.rec;
            item.key = (self.rank[r.a], self.rank[r.b], r.rel);
        }
        Ok(got)
    }
}

/// K-way merge of sources each sorted by (rank of source, rank of target, relation) with
/// each key at most once: every key once, its evidence and ambiguous readings united.
fn merge(
    sources: Vec<Source>,
    rank: &[u32],
    mut out: impl FnMut(EdgeRec) -> io::Result<()>,
) -> io::Result<()> {
    let sources = sources
        .into_iter()
        .map(|src| SourceRanked { src, rank })
        .collect();
    let mut k = KWay::new(sources)?;
    let unite = |into: &mut Ranked, other: Ranked| {
        into.rec.ev.extend(other.rec.ev);
        into.rec.amb.extend(other.rec.amb);
    };
    while let Some((Ranked { mut rec, .. }, united)) = k.next_group(unite)? {
        if united {
            rec.ev.sort();
            rec.ev.dedup();
            rec.amb.sort_unstable();
            rec.amb.dedup();
        }
        out(rec)?;
    }
    Ok(())
}

const READ: &str = "cannot read back a temporary file of evidence";

/// A run of the graph's evidence.
fn run_writer(dir: &Path) -> io::Result<RunWriter<'_>> {
    RunWriter::holding(dir, "evidence", "to hold evidence past the memory limit")
}

/// Append one edge's record.
fn write_rec<'e>(
    w: &mut RunWriter<'_>,
    a: usize,
    b: usize,
    rel: Rel,
    amb: impl ExactSizeIterator<Item = usize>,
    ev: impl ExactSizeIterator<Item = EvidenceRef<'e>>,
) -> io::Result<()> {
    w.put_u32(a)?;
    w.put_u32(b)?;
    w.put(&[rel_code(rel)])?;
    w.put_u32(amb.len())?;
    for x in amb {
        w.put_u32(x)?;
    }
    w.put_u32(ev.len())?;
    for e in ev {
        w.put_bytes(e.doc.as_bytes())?;
        // 0: no date; 1: read in the text; 2: the page's publication date.
        match e.date {
            None => w.put(&[0])?,
            Some(d) => {
                let published = e.date_source == Some(DateSource::Published);
                w.put(&[1 + u8::from(published)])?;
                w.put_bytes(d.as_bytes())?;
            }
        }
        w.put_bytes(e.sentence.as_bytes())?;
        w.put(&(e.start as u64).to_le_bytes())?;
        w.put(&(e.end as u64).to_le_bytes())?;
        match e.url {
            None => w.put(&[0])?,
            Some(u) => {
                w.put(&[1])?;
                w.put_bytes(u.as_bytes())?;
            }
        }
    }
    Ok(())
}

/// Read the next edge's record into `rec` (replacing it); false at the end of the run.
fn read_rec(r: &mut RunReader, rec: &mut EdgeRec) -> io::Result<bool> {
    if r.at_end()? {
        return Ok(false);
    }
    rec.a = r.u32()?;
    rec.b = r.u32()?;
    rec.rel = rel_from(r.u8()?).ok_or_else(corrupt)?;
    let n = r.u32()?;
    rec.amb.clear();
    for _ in 0..n {
        rec.amb.push(r.u32()?);
    }
    let n = r.u32()?;
    rec.ev.clear();
    for _ in 0..n {
        let doc = r.string()?;
        let (date, date_source) = match r.u8()? {
            0 => (None, None),
            1 => (Some(r.string()?), Some(DateSource::Text)),
            2 => (Some(r.string()?), Some(DateSource::Published)),
            _ => return Err(corrupt()),
        };
        let sentence = r.string()?;
        let start = r.u64()?;
        let end = r.u64()?;
        let url = match r.u8()? {
            0 => None,
            1 => Some(r.string()?),
            _ => return Err(corrupt()),
        };
        rec.ev.push(Evidence {
            doc,
            date,
            sentence,
            start,
            end,
            url,
            date_source,
        });
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::graph::VisitGraph;
    use crate::dict::{DictionaryBuilder, Layer};
    use crate::page::Found;

    /// The edges of a graph as comparable values.
    fn dump<G: GraphView>(g: &G, dict: &Dictionary) -> Vec<(usize, usize, EdgeData)> {
        let mut v = Vec::new();
        g.for_each_edge(dict, |a, b, d| {
            v.push((a, b, d.clone()));
            Ok(())
        })
        .unwrap();
        v
    }

    fn dict() -> Dictionary {
        // Ids whose order differs from the entity indices' (types first, then id).
        let officials: String = std::iter::once("id\tname\taliases\n".to_string())
            .chain((0..12).map(|i| format!("p{}\t官员{i}号\t\n", (i * 7) % 12)))
            .collect();
        let orgs: String = std::iter::once("id\tname\taliases\tkind\tplace\n".to_string())
            .chain((0..12).map(|i| format!("o{i:x}z\t某公司{i}号\t\tcompany\t\n")))
            .collect();
        DictionaryBuilder::new()
            .no_builtin(true)
            .layer(Layer::from_texts(
                "t",
                &[("officials.tsv", &officials), ("organizations.tsv", &orgs)],
            ))
            .build()
            .unwrap()
    }

    /// Documents of random-ish relations; later documents repeat earlier evidence.
    fn documents(n: usize, seed: u64) -> Vec<Vec<Found>> {
        let mut x = seed;
        let mut next = move |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % m) as usize
        };
        let mut docs = Vec::new();
        for d in 0..n {
            let mut found = Vec::new();
            for _ in 0..next(6) {
                // Few pairs, few names: evidence repeats, also across runs.
                let doc = format!("doc{}", next(n as u64 / 2 + 1));
                // Some pages have an address (a JSONL record's `url`): it goes through runs.
                let url = doc
                    .len()
                    .is_multiple_of(2)
                    .then(|| format!("https://x.cn/{doc}.html"));
                let s = next(10);
                found.push(Found {
                    source: next(6),
                    target: next(12),
                    rel: if next(3) == 0 {
                        Rel::Accompanied
                    } else {
                        Rel::Visited
                    },
                    evidence: Evidence {
                        doc,
                        date: (s % 3 != 0).then(|| format!("2025-0{}-1{}", s % 9 + 1, s)),
                        date_source: (s % 3 != 0).then(|| {
                            [DateSource::Text, DateSource::Published][usize::from(s % 2 == 0)]
                        }),
                        sentence: format!("第{s}句"),
                        start: s * 10,
                        end: s * 10 + 5,
                        url,
                    },
                    ambiguous: (0..next(3)).map(|_| next(24)).collect(),
                });
                if next(4) == 0 {
                    found.push(found[found.len() - 1].clone());
                }
            }
            docs.push(found);
            // Now and then a page seen before comes again, whole.
            if d % 7 == 6 {
                docs.push(docs[next(d as u64)].clone());
            }
        }
        docs
    }

    #[test]
    fn runs_merge_to_the_in_memory_graph() {
        let d = dict();
        let tmp = tempfile::tempdir().unwrap();
        for (seed, limit, fan_in) in [(1, 0, 2), (2, 600, 3), (3, 3000, 16), (4, 1 << 30, 4)] {
            let docs = documents(200, seed);
            let mut mem = VisitGraph::new();
            let mut sp = SpillGraph::new(&d, limit)
                .spill_dir(tmp.path())
                .fan_in(fan_in);
            for f in &docs {
                mem.add_document(f.clone());
                sp.add_document(f.clone()).unwrap();
            }
            if limit < 1 << 30 {
                assert!(sp.spilled_runs() > 5, "{}", sp.spilled_runs());
                assert!(sp.runs.len() < sp.spilled_runs(), "runs were merged");
                assert!(sp.runs.iter().any(|r| r.level > 0));
            } else {
                assert_eq!(sp.spilled_runs(), 0);
            }
            let want = dump(&mem, &d);
            assert!(want.len() > 50, "{}", want.len());
            assert!(want.iter().any(|e| e.2.evidence.len() > 2));
            assert!(want.iter().any(|e| !e.2.ambiguous.is_empty()));
            assert_eq!(want, dump(&sp, &d), "seed {seed}");
            // The same order as sorted_edges.
            let sorted: Vec<(usize, usize, EdgeData)> = mem
                .sorted_edges(&d)
                .into_iter()
                .map(|(a, b, e)| (a, b, e.clone()))
                .collect();
            assert_eq!(want, sorted);
            assert_eq!(sp.is_multigraph(), mem.is_multigraph());
            assert_eq!(GraphView::sorted_nodes(&sp, &d), mem.sorted_nodes(&d));
            assert_eq!(sp.document_count(), mem.documents);
            // Walking twice reads the runs again from their start.
            assert_eq!(want, dump(&sp, &d));
            let m = sp.materialize().unwrap();
            assert_eq!(want, dump(&m, &d));
            assert_eq!(m.sorted_nodes(&d), mem.sorted_nodes(&d));
            assert_eq!(m.documents, mem.documents);
        }
    }

    /// 80 documents merged in memory and into a graph spilled to several runs.
    fn both(d: &Dictionary, seed: u64) -> (VisitGraph, SpillGraph) {
        let mut mem = VisitGraph::new();
        let mut sp = SpillGraph::new(d, 100).fan_in(3);
        for f in documents(80, seed) {
            mem.add_document(f.clone());
            sp.add_document(f).unwrap();
        }
        assert!(sp.spilled_runs() > 1);
        (mem, sp)
    }

    #[test]
    fn json_is_the_same_bytes_spilled_or_not() {
        let d = dict();
        let (mem, sp) = both(&d, 9);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        crate::output::json::write_json(&mem, &d, &mut x).unwrap();
        crate::output::json::write_json(&sp, &d, &mut y).unwrap();
        assert!(x == y);
        assert_eq!(
            x,
            crate::output::json::json_bytes(&crate::output::json::to_json(&mem, &d))
        );
    }

    #[test]
    fn every_format_and_filter_is_the_same_bytes_spilled_or_not() {
        use crate::output::{Filters, Format, Relation, render};
        let d = dict();
        let (mem, sp) = both(&d, 21);
        let centre = d.entities[mem.sorted_edges(&d)[0].0].id.clone();
        let filters = [
            Filters::default(),
            Filters {
                since: Some("2025-03".into()),
                until: Some("2025-07-15".into()),
                ..Filters::default()
            },
            Filters {
                relations: vec![Relation::Accompanied],
                ..Filters::default()
            },
            Filters {
                around: Some(centre),
                hops: 1,
                since: Some("2025-02".into()),
                ..Filters::default()
            },
        ];
        for f in &filters {
            // The in-memory graph filtered into a new graph, and the spilled one seen
            // through the filter as it streams.
            let filtered = f.apply(&mem, &d).unwrap();
            let view = f.view(&sp, &d).unwrap();
            assert!(filtered.edge_count() > 0, "{f:?} keeps something");
            if !f.is_empty() {
                assert!(
                    filtered.edge_count() < mem.edge_count(),
                    "{f:?} drops something"
                );
            }
            for &format in <Format as clap::ValueEnum>::value_variants() {
                let x = render(format, &filtered, &d).unwrap();
                let y = render(format, &view, &d).unwrap();
                assert!(x == y, "{format:?} with {f:?}");
            }
        }
    }

    #[test]
    fn multigraph_across_runs() {
        let d = dict();
        let f = |rel, doc: &str| Found {
            source: 0,
            target: 13,
            rel,
            evidence: Evidence {
                doc: doc.into(),
                date: None,
                date_source: None,
                sentence: "句".into(),
                start: 0,
                end: 1,
                url: None,
            },
            ambiguous: vec![],
        };
        for (first, second) in [
            (Rel::Visited, Rel::Accompanied),
            (Rel::Accompanied, Rel::Visited),
        ] {
            // Every document spilled, or none.
            for (limit, runs) in [(0, 3), (1 << 20, 0)] {
                let mut sp = SpillGraph::new(&d, limit);
                sp.add_document(vec![f(first, "a")]).unwrap();
                assert!(!sp.is_multigraph());
                sp.add_document(vec![f(first, "b")]).unwrap();
                assert!(!sp.is_multigraph());
                sp.add_document(vec![f(second, "c")]).unwrap();
                assert!(sp.is_multigraph());
                assert_eq!(sp.spilled_runs(), runs);
            }
            let mut sp = SpillGraph::new(&d, 0);
            sp.add_document(vec![f(first, "a")]).unwrap();
            sp.limit = usize::MAX;
            sp.add_document(vec![f(second, "c")]).unwrap();
            assert_eq!(sp.spilled_runs(), 1);
            assert!(sp.is_multigraph());
        }
    }

    #[test]
    fn an_unwritable_spill_folder_is_an_error_naming_it() {
        let d = dict();
        let mut sp = SpillGraph::new(&d, 0).spill_dir("/nonexistent/visitgraph-spill");
        let err = sp
            .add_document(documents(3, 5).concat())
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/visitgraph-spill"), "{err}");
        assert!(err.contains("TMPDIR"), "{err}");
    }
}
