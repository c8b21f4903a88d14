//! The graph: an edge's payload ([`EdgeData`], its evidence an [`EvidenceSet`]) and the
//! walk every writer reads a graph through ([`GraphView`]). Nodes are keyed by dictionary
//! id, so a rerun with the same dictionaries gives the same ids; an edge is one
//! `(source, target, relation)` and keeps every piece of evidence.
//!
//! Memory is the point of the layout. An edge's evidence is an [`EvidenceSet`]: a sorted
//! `Vec` (one item costs one item, where a `BTreeSet` allocates a ~1 KB leaf), that turns
//! into a `BTreeSet` only when out-of-order inserts make it large. `extract` merges into a
//! [`crate::corpus::spill::SpillGraph`], which holds at most a bounded buffer of relations
//! (the workers' packed [`crate::page::FoundBatch`]es) and writes the rest to sorted runs
//! on disk, walked back through [`GraphView`] one edge at a time. The tests hold it to
//! `VisitGraph`, the same graph all in memory (test builds only).

use std::collections::BTreeSet;

use crate::dict::Dictionary;
use crate::page::Evidence;
use crate::page::relate::Rel;

/// An edge's payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeData {
    /// Relation.
    pub rel: Rel,
    /// Every piece of evidence, sorted, without repeats.
    pub evidence: EvidenceSet,
    /// Other readings of the target, if any evidence was ambiguous.
    pub ambiguous: BTreeSet<usize>,
}

/// A sorted set of evidence, small when it is small.
#[derive(Debug, Clone, Default)]
pub struct EvidenceSet(Repr);

#[derive(Debug, Clone)]
enum Repr {
    /// Sorted, no repeats.
    Sorted(Vec<Evidence>),
    /// Once out-of-order inserts would move many items.
    Tree(BTreeSet<Evidence>),
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Sorted(Vec::new())
    }
}

/// Above this many items, an insert in the middle of the sorted `Vec` turns it into a tree
/// (evidence arriving in order, the usual case, is appended at any size).
const SMALL: usize = 32;

impl EvidenceSet {
    /// An empty set.
    pub fn new() -> EvidenceSet {
        EvidenceSet::default()
    }

    /// A set from evidence already sorted and without repeats (as a run gives it back).
    pub(crate) fn from_sorted(v: Vec<Evidence>) -> EvidenceSet {
        debug_assert!(v.windows(2).all(|w| w[0] < w[1]));
        EvidenceSet(Repr::Sorted(v))
    }

    /// Add one piece of evidence; false if it was there already.
    pub fn insert(&mut self, e: Evidence) -> bool {
        let v = match &mut self.0 {
            Repr::Tree(t) => return t.insert(e),
            Repr::Sorted(v) => v,
        };
        if v.last().is_none_or(|last| *last < e) {
            // Grow one at a time while tiny: most edges keep one or two items.
            if v.len() == v.capacity() && v.len() < 4 {
                v.reserve_exact(1);
            }
            v.push(e);
            return true;
        }
        match v.binary_search(&e) {
            Ok(_) => false,
            Err(i) if v.len() < SMALL => {
                v.insert(i, e);
                true
            }
            Err(_) => {
                let mut t: BTreeSet<Evidence> = std::mem::take(v).into_iter().collect();
                t.insert(e);
                self.0 = Repr::Tree(t);
                true
            }
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Sorted(v) => v.len(),
            Repr::Tree(t) => t.len(),
        }
    }

    /// Is it empty?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(match &self.0 {
            Repr::Sorted(v) => IterRepr::Slice(v.iter()),
            Repr::Tree(t) => IterRepr::Tree(t.iter()),
        })
    }

    /// The smallest item.
    pub fn first(&self) -> Option<&Evidence> {
        self.iter().next()
    }

    /// The items in order, as a `Vec`.
    pub fn into_vec(self) -> Vec<Evidence> {
        match self.0 {
            Repr::Sorted(v) => v,
            Repr::Tree(t) => t.into_iter().collect(),
        }
    }
}

impl PartialEq for EvidenceSet {
    fn eq(&self, other: &EvidenceSet) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for EvidenceSet {}

impl FromIterator<Evidence> for EvidenceSet {
    fn from_iter<I: IntoIterator<Item = Evidence>>(iter: I) -> EvidenceSet {
        let mut v: Vec<Evidence> = iter.into_iter().collect();
        v.sort();
        v.dedup();
        EvidenceSet(Repr::Sorted(v))
    }
}

impl serde::Serialize for EvidenceSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'a> IntoIterator for &'a EvidenceSet {
    type Item = &'a Evidence;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The items of an [`EvidenceSet`], in order.
#[derive(Debug, Clone)]
pub struct Iter<'a>(IterRepr<'a>);

#[derive(Debug, Clone)]
enum IterRepr<'a> {
    Slice(std::slice::Iter<'a, Evidence>),
    Tree(std::collections::btree_set::Iter<'a, Evidence>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Evidence;
    fn next(&mut self) -> Option<&'a Evidence> {
        match &mut self.0 {
            IterRepr::Slice(i) => i.next(),
            IterRepr::Tree(i) => i.next(),
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Slice(i) => i.size_hint(),
            IterRepr::Tree(i) => i.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Slice(i) => i.next_back(),
            IterRepr::Tree(i) => i.next_back(),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// A graph walked in output order: what the writers need.
/// [`crate::corpus::spill::SpillGraph`] merges its runs back from disk one edge at a time
/// (in tests, `VisitGraph` holds everything in memory).
pub trait GraphView {
    /// Number of documents merged.
    fn document_count(&self) -> usize;
    /// Node entity indices, sorted by id.
    fn sorted_nodes(&self, dict: &Dictionary) -> Vec<usize>;
    /// Does some (source, target) pair carry more than one relation?
    fn is_multigraph(&self) -> bool;
    /// Call `f` on every edge (source, target, payload) sorted by (source id, target id,
    /// relation); the first error stops the walk.
    fn for_each_edge<F>(&self, dict: &Dictionary, f: F) -> std::io::Result<()>
    where
        F: FnMut(usize, usize, &EdgeData) -> std::io::Result<()>;
}

/// The merged graph, all in memory: the reference the spilled graph and the filters are
/// held to. Nodes are dictionary entity indices.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct VisitGraph {
    // Fx hashing: small integer keys, hashed once per relation on the merger thread.
    nodes: NodeSet,
    edges: rustc_hash::FxHashMap<(usize, usize, Rel), EdgeData>,
    /// Number of documents merged.
    pub(crate) documents: usize,
}

/// A set of entity indices as a bitmap: the merger adds the two ends of every new edge, and a
/// bit is cheaper than a hash-set entry (entity indices are dense).
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeSet {
    bits: Vec<u64>,
}

impl NodeSet {
    pub(crate) fn insert(&mut self, i: usize) {
        let w = i / 64;
        if w >= self.bits.len() {
            self.bits.resize(w + 1, 0);
        }
        self.bits[w] |= 1 << (i % 64);
    }

    /// The members, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(w, &b)| {
            (0..64)
                .filter(move |k| b & (1u64 << k) != 0)
                .map(move |k| w * 64 + k)
        })
    }
}

#[cfg(test)]
impl VisitGraph {
    /// An empty graph.
    pub(crate) fn new() -> VisitGraph {
        VisitGraph::default()
    }

    /// Merge one document's relations.
    pub(crate) fn add_document(&mut self, found: Vec<crate::page::Found>) {
        self.documents += 1;
        for f in found {
            self.add_found(f);
        }
    }

    /// Merge one relation.
    fn add_found(&mut self, f: crate::page::Found) {
        let nodes = &mut self.nodes;
        let d = self
            .edges
            .entry((f.source, f.target, f.rel))
            .or_insert_with(|| {
                // A known edge has its nodes already: only a new one adds them.
                nodes.insert(f.source);
                nodes.insert(f.target);
                EdgeData {
                    rel: f.rel,
                    evidence: EvidenceSet::new(),
                    ambiguous: BTreeSet::new(),
                }
            });
        d.evidence.insert(f.evidence);
        d.ambiguous.extend(f.ambiguous);
    }

    /// Add a whole edge (from a merge: every key comes once).
    pub(crate) fn insert_edge(&mut self, a: usize, b: usize, d: EdgeData) {
        self.nodes.insert(a);
        self.nodes.insert(b);
        self.edges.insert((a, b, d.rel), d);
    }

    /// The edges, in no order.
    pub(crate) fn edges(&self) -> impl Iterator<Item = (usize, usize, &EdgeData)> {
        self.edges.iter().map(|(&(a, b, _), d)| (a, b, d))
    }

    /// Number of edges.
    pub(crate) fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Nodes sorted by id.
    pub(crate) fn sorted_nodes(&self, dict: &Dictionary) -> Vec<usize> {
        let mut v: Vec<usize> = self.nodes.iter().collect();
        v.sort_by(|a, b| dict.entities[*a].id.cmp(&dict.entities[*b].id));
        v
    }

    /// Edges sorted by (source id, target id, relation).
    pub(crate) fn sorted_edges(&self, dict: &Dictionary) -> Vec<(usize, usize, &EdgeData)> {
        let mut v: Vec<(usize, usize, &EdgeData)> = self.edges().collect();
        v.sort_by(|x, y| {
            (&dict.entities[x.0].id, &dict.entities[x.1].id, x.2.rel).cmp(&(
                &dict.entities[y.0].id,
                &dict.entities[y.1].id,
                y.2.rel,
            ))
        });
        v
    }

    /// Does some (source, target) pair carry more than one relation?
    pub(crate) fn is_multigraph(&self) -> bool {
        let mut pairs = std::collections::HashSet::new();
        self.edges.keys().any(|&(a, b, _)| !pairs.insert((a, b)))
    }
}

#[cfg(test)]
impl GraphView for VisitGraph {
    fn document_count(&self) -> usize {
        self.documents
    }

    fn sorted_nodes(&self, dict: &Dictionary) -> Vec<usize> {
        VisitGraph::sorted_nodes(self, dict)
    }

    fn is_multigraph(&self) -> bool {
        VisitGraph::is_multigraph(self)
    }

    fn for_each_edge<F>(&self, dict: &Dictionary, mut f: F) -> std::io::Result<()>
    where
        F: FnMut(usize, usize, &EdgeData) -> std::io::Result<()>,
    {
        for (a, b, d) in self.sorted_edges(dict) {
            f(a, b, d)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(doc: &str, n: usize) -> Evidence {
        Evidence {
            doc: doc.into(),
            date: n
                .is_multiple_of(3)
                .then(|| format!("2025-01-{:02}", n % 28 + 1)),
            date_source: n.is_multiple_of(3).then(|| {
                [
                    crate::page::DateSource::Text,
                    crate::page::DateSource::Published,
                ][usize::from(n.is_multiple_of(2))]
            }),
            sentence: format!("句子{n}"),
            start: n,
            end: n + 3,
            url: doc
                .len()
                .is_multiple_of(2)
                .then(|| format!("https://x.cn/{doc}")),
        }
    }

    #[test]
    fn evidence_sets_are_sorted_sets_in_any_insert_order() {
        let mut x = 12345u64;
        let mut set = EvidenceSet::new();
        let mut reference = BTreeSet::new();
        for _ in 0..500 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let e = ev(&format!("d{}", (x >> 33) % 40), ((x >> 20) % 50) as usize);
            assert_eq!(set.insert(e.clone()), reference.insert(e));
            assert_eq!(set.len(), reference.len());
        }
        assert!(matches!(set.0, Repr::Tree(_)));
        assert!(set.iter().eq(reference.iter()));
        assert!(set.iter().rev().eq(reference.iter().rev()));
        assert_eq!(set.first(), reference.first());
        assert_eq!(
            serde_json::to_string(&set).unwrap(),
            serde_json::to_string(&reference).unwrap()
        );
        // In order, any size stays a Vec.
        let mut inorder = EvidenceSet::new();
        for e in &reference {
            assert!(inorder.insert(e.clone()));
        }
        assert!(!inorder.insert(reference.first().unwrap().clone()));
        assert!(matches!(inorder.0, Repr::Sorted(_)));
        assert_eq!(inorder, set);
        assert_eq!(set.clone().into_vec(), inorder.into_vec());
    }
}
