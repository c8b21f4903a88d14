//! Graph diff: two `visitgraph/1` JSON graphs in, what changed out — nodes and edges added
//! and removed, edges whose evidence changed, and which dictionary layers differ.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::error::{Error, Result};

/// What changed between two graphs.
#[derive(Debug, Default, serde::Serialize)]
pub struct GraphDiff {
    /// Dictionary layers whose fingerprint changed, appeared or disappeared
    /// (`source: old → new`).
    pub dictionaries: Vec<String>,
    /// Nodes only in the new graph.
    pub nodes_added: Vec<Value>,
    /// Nodes only in the old graph.
    pub nodes_removed: Vec<Value>,
    /// Nodes in both whose attributes differ: `(old, new)`.
    pub nodes_changed: Vec<(Value, Value)>,
    /// Edges only in the new graph.
    pub edges_added: Vec<Value>,
    /// Edges only in the old graph.
    pub edges_removed: Vec<Value>,
    /// Edges in both whose evidence (or other attributes) differ: `(old, new)`.
    pub edges_changed: Vec<(Value, Value)>,
}

impl GraphDiff {
    /// No difference at all?
    pub fn is_empty(&self) -> bool {
        self.dictionaries.is_empty()
            && self.nodes_added.is_empty()
            && self.nodes_removed.is_empty()
            && self.nodes_changed.is_empty()
            && self.edges_added.is_empty()
            && self.edges_removed.is_empty()
            && self.edges_changed.is_empty()
    }
}

fn load(path: &str) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io(std::path::Path::new(path), e))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| Error::input(path, format!("line {}: not JSON: {e}", e.line())))?;
    if !v.get("nodes").is_some_and(Value::is_array) || !v.get("edges").is_some_and(Value::is_array)
    {
        return Err(Error::input(
            path,
            "not a visitgraph/1 graph (no `nodes` and `edges` arrays)",
        ));
    }
    Ok(v)
}

fn s(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn layers(g: &Value) -> BTreeMap<String, String> {
    g.pointer("/meta/dictionaries")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|l| (s(l, "source"), s(l, "fingerprint")))
                .collect()
        })
        .unwrap_or_default()
}

/// Compare two graph files.
pub fn diff_files(old: &str, new: &str) -> Result<GraphDiff> {
    Ok(diff(&load(old)?, &load(new)?))
}

/// Compare two graphs.
pub fn diff(old: &Value, new: &Value) -> GraphDiff {
    let mut d = GraphDiff::default();
    let (lo, ln) = (layers(old), layers(new));
    for (src, fp) in &lo {
        match ln.get(src) {
            None => d.dictionaries.push(format!("{src}: {fp} → (absent)")),
            Some(f) if f != fp => d.dictionaries.push(format!("{src}: {fp} → {f}")),
            _ => {}
        }
    }
    for (src, fp) in &ln {
        if !lo.contains_key(src) {
            d.dictionaries.push(format!("{src}: (absent) → {fp}"));
        }
    }
    let arr = |g: &Value, k: &str| {
        g.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let nodes = |g: &Value| -> BTreeMap<String, Value> {
        arr(g, "nodes")
            .into_iter()
            .map(|n| (s(&n, "id"), n))
            .collect()
    };
    let edges = |g: &Value| -> BTreeMap<(String, String, String), Value> {
        arr(g, "edges")
            .into_iter()
            .map(|e| ((s(&e, "source"), s(&e, "target"), s(&e, "relation")), e))
            .collect()
    };
    let (no, nn) = (nodes(old), nodes(new));
    for (id, n) in &no {
        match nn.get(id) {
            None => d.nodes_removed.push(n.clone()),
            Some(m) if m != n => d.nodes_changed.push((n.clone(), m.clone())),
            _ => {}
        }
    }
    d.nodes_added = nn
        .iter()
        .filter(|(id, _)| !no.contains_key(*id))
        .map(|(_, n)| n.clone())
        .collect();
    let (eo, en) = (edges(old), edges(new));
    for (k, e) in &eo {
        match en.get(k) {
            None => d.edges_removed.push(e.clone()),
            Some(f) if f != e => d.edges_changed.push((e.clone(), f.clone())),
            _ => {}
        }
    }
    d.edges_added = en
        .iter()
        .filter(|(k, _)| !eo.contains_key(*k))
        .map(|(_, e)| e.clone())
        .collect();
    d
}

fn node_line(n: &Value) -> String {
    let cand = if n.get("candidate").is_some_and(|c| c == &Value::Bool(true)) {
        ", candidate"
    } else {
        ""
    };
    format!("{} {} ({}{cand})", s(n, "id"), s(n, "name"), s(n, "type"))
}

fn edge_line(e: &Value) -> String {
    let ev = e
        .get("evidence")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let dates: Vec<&str> = e
        .get("dates")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    format!(
        "{} -[{}]-> {} ({ev} evidence{}{})",
        s(e, "source"),
        s(e, "relation"),
        s(e, "target"),
        if dates.is_empty() { "" } else { ", " },
        dates.join(", ")
    )
}

impl GraphDiff {
    /// Readable text, one change per line, then a summary.
    pub fn render(&self) -> String {
        let mut o = String::new();
        for l in &self.dictionaries {
            let _ = writeln!(o, "dictionary {l}");
        }
        for n in &self.nodes_removed {
            let _ = writeln!(o, "- node {}", node_line(n));
        }
        for n in &self.nodes_added {
            let _ = writeln!(o, "+ node {}", node_line(n));
        }
        for (a, b) in &self.nodes_changed {
            let _ = writeln!(o, "~ node {} → {}", node_line(a), node_line(b));
        }
        for e in &self.edges_removed {
            let _ = writeln!(o, "- edge {}", edge_line(e));
        }
        for e in &self.edges_added {
            let _ = writeln!(o, "+ edge {}", edge_line(e));
        }
        for (a, b) in &self.edges_changed {
            let _ = writeln!(o, "~ edge {} → {}", edge_line(a), edge_line(b));
        }
        let _ = writeln!(
            o,
            "{} dictionary layers changed; nodes +{} -{} ~{}; edges +{} -{} ~{}",
            self.dictionaries.len(),
            self.nodes_added.len(),
            self.nodes_removed.len(),
            self.nodes_changed.len(),
            self.edges_added.len(),
            self.edges_removed.len(),
            self.edges_changed.len()
        );
        o
    }
}
