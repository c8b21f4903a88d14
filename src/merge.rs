//! Merge: shard graphs (`visitgraph/1` JSON) in, one graph out — the reduce step after
//! running `extract` as a map step over shards on any batch engine.
//!
//! Nodes are united by id, edges by `(source, target, relation)` with their evidence
//! merged and ordered exactly as a single run orders it, so extracting shards and merging
//! gives the same bytes as one run over all inputs. Shards built from different
//! dictionaries are refused: their ids would not mean the same things.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};

fn load(path: &Path) -> Result<Value> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| Error::input(&name, format!("line {}: not JSON: {e}", e.line())))?;
    if v.get("format").and_then(Value::as_str) != Some("visitgraph/1") {
        return Err(Error::input(
            &name,
            "not a visitgraph/1 graph (`format` is missing or different)",
        ));
    }
    Ok(v)
}

fn rel_rank(r: &str) -> u8 {
    match r {
        "visited" => 0,
        "accompanied" => 1,
        _ => 2,
    }
}

type EvKey = (String, Option<String>, String, u64, u64);

fn ev_key(e: &Value) -> EvKey {
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    (
        s("doc"),
        e.get("date").and_then(Value::as_str).map(String::from),
        s("sentence"),
        e.get("start").and_then(Value::as_u64).unwrap_or(0),
        e.get("end").and_then(Value::as_u64).unwrap_or(0),
    )
}

/// Merge shard graphs read from files.
pub fn merge_files(paths: &[impl AsRef<Path>]) -> Result<Value> {
    let graphs: Vec<(String, Value)> = paths
        .iter()
        .map(|p| Ok((p.as_ref().display().to_string(), load(p.as_ref())?)))
        .collect::<Result<_>>()?;
    merge(&graphs)
}

/// Merge shard graphs, each with a name for messages.
pub fn merge(graphs: &[(String, Value)]) -> Result<Value> {
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
    type Acc = (BTreeSet<String>, BTreeMap<EvKey, Value>);
    let mut edges: BTreeMap<(String, String, u8, String), Acc> = BTreeMap::new();
    for (name, g) in graphs {
        if fingerprint(g) != fingerprint(first) {
            return Err(Error::input(
                name,
                format!(
                    "built from other dictionaries than {first_name} (meta.fingerprint differs): rerun the shards with the same dictionaries"
                ),
            ));
        }
        documents += g
            .pointer("/meta/documents")
            .and_then(Value::as_u64)
            .unwrap_or(0);
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
        let dates: BTreeSet<String> = evidence.keys().filter_map(|k| k.1.clone()).collect();
        let mut m = Map::new();
        m.insert("source".into(), json!(source));
        m.insert("target".into(), json!(target));
        m.insert("relation".into(), json!(relation));
        m.insert("dates".into(), json!(dates));
        m.insert("weight".into(), json!(evidence.len()));
        if !ambiguous.is_empty() {
            m.insert("ambiguous".into(), json!(ambiguous));
        }
        m.insert(
            "evidence".into(),
            Value::Array(evidence.into_values().collect()),
        );
        out_edges.push(Value::Object(m));
    }
    let mut meta = first.get("meta").cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = meta.as_object_mut() {
        m.insert("documents".into(), json!(documents));
    }
    let mut out = Map::new();
    for k in ["format", "directed", "multigraph", "graph"] {
        if let Some(v) = first.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    out.insert("meta".into(), meta);
    out.insert("nodes".into(), Value::Array(nodes.into_values().collect()));
    out.insert("edges".into(), Value::Array(out_edges));
    Ok(Value::Object(out))
}
