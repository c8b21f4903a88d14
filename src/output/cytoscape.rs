//! Cytoscape elements JSON: `{"elements": {"nodes": [{"data": …}], "edges": [{"data": …}]}}`,
//! read by Cytoscape.js (`cytoscape({elements: json.elements})`), Cytoscape desktop
//! (File → Import → Network from File, `.cyjs`) and networkx's `cytoscape_graph`.
//! Values are strings, numbers or lists of strings, the types Cytoscape desktop columns hold.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value, json};

use super::edge_dates;
use super::json::meta;
use crate::corpus::graph::{EdgeData, GraphView};
use crate::dict::Dictionary;

/// One node element.
fn node_element(dict: &Dictionary, i: usize) -> Value {
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
}

/// One edge element, the `n`th.
fn edge_element(dict: &Dictionary, n: usize, a: usize, b: usize, d: &EdgeData) -> Value {
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
    // Pages from JSON Lines records carry their address; plain files none (then no key).
    if ev.iter().any(|e| e.url.is_some()) {
        m.insert(
            "urls".into(),
            json!(
                ev.iter()
                    .map(|e| e.url.as_deref().unwrap_or(""))
                    .collect::<Vec<_>>()
            ),
        );
    }
    if !d.ambiguous.is_empty() {
        let ids: Vec<&str> = d
            .ambiguous
            .iter()
            .map(|&i| dict.entities[i].id.as_str())
            .collect();
        m.insert("ambiguous".into(), json!(ids));
    }
    json!({"data": m, "classes": d.rel.as_str()})
}

/// Write the graph as Cytoscape elements JSON (pretty), one element at a time as the graph
/// gives them: the same bytes as pretty-printing the whole document as one value.
pub fn write_cytoscape<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    struct Nodes<'a, G>(&'a G, &'a Dictionary);
    impl<G: GraphView> Serialize for Nodes<'_, G> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let nodes = self.0.sorted_nodes(self.1);
            let mut seq = s.serialize_seq(Some(nodes.len()))?;
            for i in nodes {
                seq.serialize_element(&node_element(self.1, i))?;
            }
            seq.end()
        }
    }
    struct Edges<'a, G>(&'a G, &'a Dictionary);
    impl<G: GraphView> Serialize for Edges<'_, G> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            super::json::edge_seq(s, self.0, self.1, |seq, n, a, b, d| {
                seq.serialize_element(&edge_element(self.1, n, a, b, d))
            })
        }
    }
    struct Elements<'a, G>(&'a G, &'a Dictionary);
    impl<G: GraphView> Serialize for Elements<'_, G> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(2))?;
            m.serialize_entry("nodes", &Nodes(self.0, self.1))?;
            m.serialize_entry("edges", &Edges(self.0, self.1))?;
            m.end()
        }
    }
    let meta = meta(dict, graph.document_count());
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    let mut m = (&mut ser)
        .serialize_map(Some(7))
        .map_err(std::io::Error::from)?;
    let res = (|| {
        m.serialize_entry("format_version", "1.0")?;
        m.serialize_entry(
            "generated_by",
            &format!("visitgraph {}", env!("CARGO_PKG_VERSION")),
        )?;
        m.serialize_entry("target_cytoscapejs_version", "~3")?;
        m.serialize_entry(
            "data",
            &json!({"name": "visitgraph", "documents": graph.document_count(),
                    "fingerprint": meta["fingerprint"]}),
        )?;
        m.serialize_entry("directed", &true)?;
        m.serialize_entry("multigraph", &graph.is_multigraph())?;
        m.serialize_entry("elements", &Elements(graph, dict))?;
        SerializeMap::end(m)
    })();
    res.map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}
