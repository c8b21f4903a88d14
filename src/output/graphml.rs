//! GraphML: every attribute declared with a typed `<key>`, for Gephi, yEd, Cytoscape and
//! networkx's `read_graphml`. Lists (aliases, dates, evidence) are flattened into strings:
//! GraphML has no list type.

use std::collections::BTreeSet;

use super::edge_dates;
use super::xml::esc;
use crate::corpus::graph::GraphView;
use crate::dict::Dictionary;

/// Node attributes every node has, before the dictionary's own columns.
const NODE_KEYS: &[&str] = &["label", "type", "aliases"];

/// Edge attributes: (name, GraphML type).
const EDGE_KEYS: &[(&str, &str)] = &[
    ("relation", "string"),
    ("weight", "int"),
    ("dates", "string"),
    ("first_date", "string"),
    ("last_date", "string"),
    ("docs", "string"), // one per line
    ("evidence", "string"),
    ("ambiguous", "string"),
];

/// Write the graph as GraphML: the keys and nodes, then one edge at a time as the graph
/// gives them.
pub fn write_graphml<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let nodes = graph.sorted_nodes(dict);
    // Node keys: the fixed ones, then every dictionary column present, in name order.
    let mut extra: BTreeSet<&str> = BTreeSet::new();
    for &i in &nodes {
        for k in dict.entities[i].attrs.keys() {
            if !NODE_KEYS.contains(&k.as_str()) && k != "name" && k != "id" {
                extra.insert(k);
            }
        }
    }
    let node_keys: Vec<&str> = NODE_KEYS.iter().copied().chain(extra).collect();
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    s.push_str(&format!(
        "  <!-- visitgraph {}: {} documents -->\n",
        env!("CARGO_PKG_VERSION"),
        graph.document_count()
    ));
    for (n, k) in node_keys.iter().enumerate() {
        s.push_str(&format!(
            "  <key id=\"n{n}\" for=\"node\" attr.name=\"{}\" attr.type=\"string\"/>\n",
            esc(k)
        ));
    }
    for (n, (k, ty)) in EDGE_KEYS.iter().enumerate() {
        s.push_str(&format!(
            "  <key id=\"e{n}\" for=\"edge\" attr.name=\"{k}\" attr.type=\"{ty}\"/>\n"
        ));
    }
    s.push_str("  <graph id=\"visitgraph\" edgedefault=\"directed\">\n");
    for &i in &nodes {
        let e = &dict.entities[i];
        s.push_str(&format!("    <node id=\"{}\">\n", esc(&e.id)));
        for (n, k) in node_keys.iter().enumerate() {
            let v = match *k {
                "label" => e.name.clone(),
                "type" => e.ty.as_str().to_string(),
                "aliases" => e.aliases.join("|"),
                k => e.attr(k).to_string(),
            };
            if !v.is_empty() {
                s.push_str(&format!("      <data key=\"n{n}\">{}</data>\n", esc(&v)));
            }
        }
        s.push_str("    </node>\n");
        w.write_all(s.as_bytes())?;
        s.clear();
    }
    w.write_all(s.as_bytes())?;
    let mut n = 0usize;
    graph.for_each_edge(dict, |a, b, d| {
        s.clear();
        s.push_str(&format!(
            "    <edge id=\"e{n}\" source=\"{}\" target=\"{}\">\n",
            esc(&dict.entities[a].id),
            esc(&dict.entities[b].id)
        ));
        n += 1;
        let dates = edge_dates(d);
        let (docs, evidence) = super::edge_docs_and_evidence(d);
        let ambiguous: Vec<&str> = d
            .ambiguous
            .iter()
            .map(|&i| dict.entities[i].id.as_str())
            .collect();
        let values = [
            d.rel.as_str().to_string(),
            d.evidence.len().to_string(),
            dates.join(" "),
            dates.first().copied().unwrap_or("").to_string(),
            dates.last().copied().unwrap_or("").to_string(),
            docs.into_iter().collect::<Vec<_>>().join("\n"),
            evidence.join("\n"),
            ambiguous.join(" "),
        ];
        for (k, v) in values.iter().enumerate() {
            if !v.is_empty() {
                s.push_str(&format!("      <data key=\"e{k}\">{}</data>\n", esc(v)));
            }
        }
        s.push_str("    </edge>\n");
        w.write_all(s.as_bytes())
    })?;
    w.write_all(b"  </graph>\n</graphml>\n")
}
