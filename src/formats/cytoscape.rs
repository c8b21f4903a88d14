//! Cytoscape elements JSON: `{"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}`,
//! read by Cytoscape.js (`cytoscape({elements: json.elements})`), Cytoscape desktop
//! (File → Import → Network from File, `.cyjs`) and networkx's `cytoscape_graph`.
//! Values are strings, numbers or lists of strings, the types Cytoscape desktop columns hold.

use serde_json::{Map, Value, json};

use super::edge_dates;
use crate::dictionary::Dictionary;
use crate::export::meta;
use crate::graph::VisitGraph;

/// The graph as Cytoscape elements JSON.
pub fn to_cytoscape(graph: &VisitGraph, dict: &Dictionary) -> Value {
    let nodes: Vec<Value> = graph
        .sorted_nodes(dict)
        .into_iter()
        .map(|i| {
            let e = &dict.entities[i];
            let mut m = Map::new();
            m.insert("id".into(), json!(e.id));
            m.insert("value".into(), json!(e.id));
            m.insert("name".into(), json!(e.name));
            m.insert("type".into(), json!(e.ty.as_str()));
            m.insert("aliases".into(), json!(e.aliases));
            for (k, v) in &e.attrs {
                if !m.contains_key(k) {
                    m.insert(k.clone(), json!(v));
                }
            }
            json!({"data": m, "classes": e.ty.as_str()})
        })
        .collect();
    let edges: Vec<Value> = graph
        .sorted_edges(dict)
        .into_iter()
        .enumerate()
        .map(|(n, (a, b, d))| {
            let ev: Vec<_> = d.evidence.iter().collect();
            let mut m = Map::new();
            m.insert("id".into(), json!(format!("e{n}")));
            m.insert("source".into(), json!(dict.entities[a].id));
            m.insert("target".into(), json!(dict.entities[b].id));
            m.insert("relation".into(), json!(d.rel.as_str()));
            m.insert("interaction".into(), json!(d.rel.as_str()));
            m.insert("weight".into(), json!(d.evidence.len()));
            m.insert("dates".into(), json!(edge_dates(d)));
            m.insert(
                "docs".into(),
                json!(ev.iter().map(|e| e.doc.as_str()).collect::<Vec<_>>()),
            );
            m.insert(
                "evidence_dates".into(),
                json!(
                    ev.iter()
                        .map(|e| e.date.as_deref().unwrap_or(""))
                        .collect::<Vec<_>>()
                ),
            );
            m.insert(
                "sentences".into(),
                json!(ev.iter().map(|e| e.sentence.as_str()).collect::<Vec<_>>()),
            );
            if !d.ambiguous.is_empty() {
                let ids: Vec<&str> = d
                    .ambiguous
                    .iter()
                    .map(|&i| dict.entities[i].id.as_str())
                    .collect();
                m.insert("ambiguous".into(), json!(ids));
            }
            json!({"data": m, "classes": d.rel.as_str()})
        })
        .collect();
    let meta = meta(dict, graph.documents);
    json!({
        "format_version": "1.0",
        "generated_by": format!("visitgraph {}", env!("CARGO_PKG_VERSION")),
        "target_cytoscapejs_version": "~3",
        "data": {"name": "visitgraph", "documents": graph.documents,
                 "fingerprint": meta["fingerprint"]},
        "directed": true,
        "multigraph": crate::export::is_multigraph(graph, dict),
        "elements": {"nodes": nodes, "edges": edges},
    })
}
