//! Stage 6 — graph: [`Found`] relations from many documents in, one merged [`VisitGraph`]
//! out. Nodes are keyed by dictionary id, so a rerun with the same dictionaries gives the
//! same ids; an edge is one `(source, target, relation)` and keeps every piece of evidence.

use std::collections::{BTreeSet, HashMap};

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::dictionary::Dictionary;
use crate::pipeline::{Evidence, Found};
use crate::relate::Rel;

/// An edge's payload.
#[derive(Debug, Clone)]
pub struct EdgeData {
    /// Relation.
    pub rel: Rel,
    /// Every piece of evidence.
    pub evidence: BTreeSet<Evidence>,
    /// Other readings of the target, if any evidence was ambiguous.
    pub ambiguous: BTreeSet<usize>,
}

/// The merged graph. Node weights are dictionary entity indices.
#[derive(Debug, Default)]
pub struct VisitGraph {
    /// The petgraph.
    pub g: DiGraph<usize, EdgeData>,
    nodes: HashMap<usize, NodeIndex>,
    edges: HashMap<(usize, usize, Rel), EdgeIndex>,
    /// Number of documents merged.
    pub documents: usize,
}

impl VisitGraph {
    /// An empty graph.
    pub fn new() -> VisitGraph {
        VisitGraph::default()
    }

    fn node(&mut self, e: usize) -> NodeIndex {
        *self.nodes.entry(e).or_insert_with(|| self.g.add_node(e))
    }

    /// Merge one document's relations.
    pub fn add_document(&mut self, found: Vec<Found>) {
        self.documents += 1;
        for f in found {
            let a = self.node(f.source);
            let b = self.node(f.target);
            let key = (f.source, f.target, f.rel);
            let ei = match self.edges.get(&key) {
                Some(&ei) => ei,
                None => {
                    let ei = self.g.add_edge(
                        a,
                        b,
                        EdgeData {
                            rel: f.rel,
                            evidence: BTreeSet::new(),
                            ambiguous: BTreeSet::new(),
                        },
                    );
                    self.edges.insert(key, ei);
                    ei
                }
            };
            let w = &mut self.g[ei];
            w.evidence.insert(f.evidence);
            w.ambiguous.extend(f.ambiguous);
        }
    }

    /// Nodes sorted by id.
    pub fn sorted_nodes(&self, dict: &Dictionary) -> Vec<usize> {
        let mut v: Vec<usize> = self.g.node_weights().copied().collect();
        v.sort_by(|a, b| dict.entities[*a].id.cmp(&dict.entities[*b].id));
        v
    }

    /// Edges sorted by (source id, target id, relation).
    pub fn sorted_edges(&self, dict: &Dictionary) -> Vec<(usize, usize, &EdgeData)> {
        let mut v: Vec<(usize, usize, &EdgeData)> = self
            .g
            .edge_indices()
            .filter_map(|ei| {
                let (a, b) = self.g.edge_endpoints(ei)?;
                Some((self.g[a], self.g[b], &self.g[ei]))
            })
            .collect();
        v.sort_by(|x, y| {
            (&dict.entities[x.0].id, &dict.entities[x.1].id, x.2.rel).cmp(&(
                &dict.entities[y.0].id,
                &dict.entities[y.1].id,
                y.2.rel,
            ))
        });
        v
    }
}
