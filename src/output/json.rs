//! Stage 7 — export: a [`VisitGraph`] in, JSON (node-link, `visitgraph/1`) out.
//!
//! JSON follows networkx's node-link layout with the `edges` key (networkx ≥ 3.4 reads it
//! with `node_link_graph(data, edges="edges")`), so D3 and networkx read it unchanged.
//! DOT is in [`super::dot`], the other formats beside it in [`crate::output`].
//! [`write_json`] walks any [`GraphView`], so `extract` streams the edges of a
//! [`crate::corpus::spill::SpillGraph`] straight from its runs.

use serde_json::{Value, json};

use super::pretty;
use crate::corpus::graph::{EdgeData, GraphView, VisitGraph};
use crate::dict::Dictionary;

/// Does some (source, target) pair carry more than one edge? (One edge per relation, and
/// the relations join different kinds of node, so in practice never: but the JSON says what
/// the graph is, so networkx's `node_link_graph` builds the right class.)
pub fn is_multigraph<G: GraphView>(graph: &G, _dict: &Dictionary) -> bool {
    graph.is_multigraph()
}

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

/// The graph as a `visitgraph/1` JSON value.
pub fn to_json(graph: &VisitGraph, dict: &Dictionary) -> Value {
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
    json!({
        "format": "visitgraph/1",
        "directed": true,
        "multigraph": is_multigraph(graph, dict),
        "graph": {},
        "meta": meta(dict, graph.documents),
        "nodes": nodes,
        "edges": edges,
    })
}

fn node_value(dict: &Dictionary, i: usize) -> Value {
    // Serializing a node cannot fail (string keys, plain values).
    serde_json::to_value(NodeOut(dict, i)).unwrap_or(Value::Null)
}

fn edge_value(dict: &Dictionary, a: usize, b: usize, d: &EdgeData) -> Value {
    serde_json::to_value(EdgeOut(dict, a, b, d)).unwrap_or(Value::Null)
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

/// An edge of the JSON output, serialized straight from the graph (its evidence is most of
/// the output: no `Value` tree per edge when streamed).
struct EdgeOut<'a>(&'a Dictionary, usize, usize, &'a EdgeData);

impl serde::Serialize for EdgeOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let (dict, a, b, d) = (self.0, self.1, self.2, self.3);
        let dates: std::collections::BTreeSet<&str> = d
            .evidence
            .iter()
            .filter_map(|e| e.date.as_deref())
            .collect();
        let mut m = s.serialize_map(Some(6 + usize::from(!d.ambiguous.is_empty())))?;
        m.serialize_entry("source", &dict.entities[a].id)?;
        m.serialize_entry("target", &dict.entities[b].id)?;
        m.serialize_entry("relation", d.rel.as_str())?;
        m.serialize_entry("dates", &dates)?;
        m.serialize_entry("weight", &d.evidence.len())?;
        if !d.ambiguous.is_empty() {
            let ids: std::collections::BTreeSet<&str> = d
                .ambiguous
                .iter()
                .map(|&i| dict.entities[i].id.as_str())
                .collect();
            m.serialize_entry("ambiguous", &ids)?;
        }
        m.serialize_entry("evidence", &d.evidence)?;
        m.end()
    }
}

/// Write the graph as `visitgraph/1` JSON — the same bytes as pretty-printing
/// [`to_json`], but one node or edge at a time, so a large graph is never held twice (and a
/// spilled one never whole). Edges, nearly all of the bytes, are written by hand (see
/// [`pretty`]); the rest goes through serde.
pub fn write_json<G: GraphView, W: std::io::Write>(
    graph: &G,
    dict: &Dictionary,
    mut w: W,
) -> std::io::Result<()> {
    // Written into a buffer of our own, handed to `w` a megabyte at a time.
    const CHUNK: usize = 1 << 20;
    let mut out: Vec<u8> = Vec::with_capacity(CHUNK + (CHUNK >> 2));
    out.push(b'{');
    pretty::key(&mut out, 1, "format", true);
    pretty::string(&mut out, "visitgraph/1");
    pretty::key(&mut out, 1, "directed", false);
    out.extend_from_slice(b"true");
    pretty::key(&mut out, 1, "multigraph", false);
    out.extend_from_slice(if graph.is_multigraph() {
        b"true"
    } else {
        b"false"
    });
    pretty::key(&mut out, 1, "graph", false);
    out.extend_from_slice(b"{}");
    pretty::key(&mut out, 1, "meta", false);
    pretty::serde_at(&mut out, &meta(dict, graph.document_count()), 1)?;
    pretty::key(&mut out, 1, "nodes", false);
    out.push(b'[');
    let nodes = graph.sorted_nodes(dict);
    for (n, &i) in nodes.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        pretty::newline(&mut out, 2);
        pretty::serde_at(&mut out, &NodeOut(dict, i), 2)?;
        if out.len() >= CHUNK {
            w.write_all(&out)?;
            out.clear();
        }
    }
    if !nodes.is_empty() {
        pretty::newline(&mut out, 1);
    }
    out.push(b']');
    pretty::key(&mut out, 1, "edges", false);
    out.push(b'[');
    let mut any = false;
    graph.for_each_edge(dict, |a, b, d| {
        if any {
            out.push(b',');
        }
        any = true;
        pretty::newline(&mut out, 2);
        pretty::edge(&mut out, dict, a, b, d);
        if out.len() >= CHUNK {
            w.write_all(&out)?;
            out.clear();
        }
        Ok(())
    })?;
    if any {
        pretty::newline(&mut out, 1);
    }
    out.extend_from_slice(b"]\n}\n");
    w.write_all(&out)
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
pub fn json_bytes(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}
