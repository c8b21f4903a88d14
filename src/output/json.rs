//! JSON export: a graph ([`GraphView`]) in, JSON (node-link, `visitgraph/1`) out.
//!
//! JSON follows networkx's node-link layout with the `edges` key (networkx ≥ 3.4 reads it
//! with `node_link_graph(data, edges="edges")`), so D3 and networkx read it unchanged.
//! DOT is in [`super::dot`], the other formats beside it in [`crate::output`].
//! [`write_json`] walks any [`GraphView`], so `extract` streams the edges of a
//! [`crate::corpus::spill::SpillGraph`] straight from its runs.

use serde_json::{Value, json};

use rayon::prelude::*;

use super::readable::Marker;
use crate::corpus::graph::{EdgeData, GraphView};
use crate::corpus::layout::{self, Edge, ReadEvidence, Writer};
use crate::dict::Dictionary;

/// The `meta` object: tool version and the dictionaries' fingerprints.
pub fn meta(dict: &Dictionary, documents: usize) -> Value {
    let layers: Vec<Value> = dict
        .layers
        .iter()
        .map(|l| json!({"source": l.source, "fingerprint": l.fingerprint}))
        .collect();
    let mut h = 0xcbf29ce484222325u64;
    for l in &dict.layers {
        for b in l.fingerprint.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    json!({
        "tool": "visitgraph",
        "version": env!("CARGO_PKG_VERSION"),
        "documents": documents,
        "dictionaries": layers,
        "fingerprint": format!("{h:016x}"),
    })
}

/// The graph as a `visitgraph/1` JSON value, through serde: the reference the streamed
/// bytes are held to.
#[cfg(test)]
pub(crate) fn to_json(graph: &crate::corpus::graph::VisitGraph, dict: &Dictionary) -> Value {
    let nodes: Vec<Value> = graph
        .sorted_nodes(dict)
        .into_iter()
        .map(|i| node_value(dict, i))
        .collect();
    let edges: Vec<Value> = graph
        .sorted_edges(dict)
        .into_iter()
        .map(|(a, b, d)| edge_value(dict, a, b, d))
        .collect();
    let header = layout::header(graph.is_multigraph(), meta(dict, graph.documents));
    layout::to_value(header, nodes, edges)
}

#[cfg(test)]
fn node_value(dict: &Dictionary, i: usize) -> Value {
    // Serializing a node cannot fail (string keys, plain values).
    serde_json::to_value(NodeOut(dict, i)).unwrap_or(Value::Null)
}

#[cfg(test)]
fn edge_value(dict: &Dictionary, a: usize, b: usize, d: &EdgeData) -> Value {
    with_edge(dict, a, b, d, &mut Marker::default(), |e| {
        Ok(serde_json::to_value(e).unwrap_or(Value::Null))
    })
    .unwrap_or(Value::Null)
}

/// Call `f` on the edge `a` → `b` in the layout's terms.
fn with_edge<T>(
    dict: &Dictionary,
    a: usize,
    b: usize,
    d: &EdgeData,
    marker: &mut Marker,
    f: impl FnOnce(&Edge<&Vec<ReadEvidence<'_>>>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let ambiguous: Vec<&str> = if d.ambiguous.is_empty() {
        Vec::new()
    } else {
        let ids: std::collections::BTreeSet<&str> = d
            .ambiguous
            .iter()
            .map(|&i| dict.entities[i].id.as_str())
            .collect();
        ids.into_iter().collect()
    };
    let evidence: Vec<ReadEvidence<'_>> = d
        .evidence
        .iter()
        .map(|ev| {
            let r = marker.read(dict, &ev.sentence, a, b);
            ReadEvidence {
                ev,
                text: (r.text != ev.sentence).then_some(r.text),
                source: r.source,
                target: r.target,
            }
        })
        .collect();
    f(&Edge {
        source: &dict.entities[a].id,
        target: &dict.entities[b].id,
        relation: d.rel.as_str(),
        ambiguous: &ambiguous,
        evidence: &evidence,
    })
}

/// A node of the JSON output, serialized straight from the dictionary (no `Value` tree
/// per node when streamed).
struct NodeOut<'a>(&'a Dictionary, usize);

impl serde::Serialize for NodeOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let e = &self.0.entities[self.1];
        let fixed = ["id", "type", "name", "aliases"];
        let extra = e
            .attrs
            .keys()
            .filter(|k| !fixed.contains(&k.as_str()))
            .count();
        let mut m = s.serialize_map(Some(fixed.len() + extra))?;
        m.serialize_entry("id", &e.id)?;
        m.serialize_entry("type", e.ty.as_str())?;
        m.serialize_entry("name", &e.name)?;
        m.serialize_entry("aliases", &e.aliases)?;
        for (k, v) in &e.attrs {
            if k == "candidate" {
                m.serialize_entry(k, &(v == "true"))?;
            } else if !fixed.contains(&k.as_str()) {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

/// Edges written at once on the thread pool.
const EDGE_BATCH: usize = 1024;

/// Write the graph as `visitgraph/1` JSON — the same bytes as pretty-printing
/// [`to_json`], but one node or edge at a time, so a large graph is never held twice (and a
/// spilled one never whole), in the layout of [`crate::corpus::layout`] (which writes the
/// edges, nearly all of the bytes, by hand; the rest goes through serde).
pub fn write_json<G: GraphView, W: std::io::Write>(
    graph: &G,
    dict: &Dictionary,
    mut w: W,
) -> std::io::Result<()> {
    let header = layout::header(graph.is_multigraph(), meta(dict, graph.document_count()));
    let mut out = Writer::begin(&mut w, &header)?;
    for i in graph.sorted_nodes(dict) {
        out.node(&NodeOut(dict, i))?;
    }
    out.edges()?;
    // Edges are walked in order on this thread and written (their readable text found,
    // their bytes laid out) a batch at a time on the current thread pool (`extract`'s, of
    // `--jobs` threads), then handed to the output in order.
    let mut batch: Vec<(usize, usize, EdgeData)> = Vec::with_capacity(EDGE_BATCH);
    let mut flush = |batch: &mut Vec<(usize, usize, EdgeData)>| -> std::io::Result<()> {
        let bytes: Vec<std::io::Result<Vec<u8>>> = batch
            .par_iter()
            .map_init(Marker::default, |marker, (a, b, d)| {
                with_edge(dict, *a, *b, d, marker, |e| {
                    let mut v = Vec::new();
                    e.write(&mut v)?;
                    Ok(v)
                })
            })
            .collect();
        batch.clear();
        for b in bytes {
            out.edge_bytes(&b?)?;
        }
        Ok(())
    };
    graph.for_each_edge(dict, |a, b, d| {
        batch.push((a, b, d.clone()));
        if batch.len() == EDGE_BATCH {
            flush(&mut batch)?;
        }
        Ok(())
    })?;
    flush(&mut batch)?;
    out.end()
}

/// Serialize a graph's edges as one sequence, `item(seq, n, source, target, edge)` adding the
/// `n`th edge, as the walk gives them (for formats that stream JSON through a serializer).
pub(crate) fn edge_seq<S, G>(
    s: S,
    graph: &G,
    dict: &Dictionary,
    mut item: impl FnMut(&mut S::SerializeSeq, usize, usize, usize, &EdgeData) -> Result<(), S::Error>,
) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    G: GraphView,
{
    use serde::ser::{Error as _, SerializeSeq};
    let mut seq = s.serialize_seq(None)?;
    // The walk speaks io::Error, the serializer its own: keep the serializer's.
    let mut failed: Option<S::Error> = None;
    let mut n = 0usize;
    let walked = graph.for_each_edge(dict, |a, b, d| {
        let r = item(&mut seq, n, a, b, d);
        n += 1;
        r.map_err(|e| {
            failed = Some(e);
            std::io::Error::other("serializer failed")
        })
    });
    if let Some(e) = failed {
        return Err(e);
    }
    walked.map_err(S::Error::custom)?;
    seq.end()
}

/// A JSON value as the bytes `extract` writes (pretty, one trailing newline).
#[cfg(test)]
pub(crate) fn json_bytes(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}
