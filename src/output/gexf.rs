//! GEXF 1.3 for Gephi: node and edge attributes, colours by node type, and every edge
//! (and node) spelled with its visit dates, so Gephi's timeline plays the visits in order.
//! networkx's `read_gexf` reads it back (dates as `spells`).

use std::collections::{BTreeMap, BTreeSet};

use super::edge_dates;
use super::xml::esc;
use crate::corpus::graph::GraphView;
use crate::dict::{Dictionary, EntityType};

const EDGE_ATTRS: &[&str] = &["relation", "dates", "docs", "evidence"];

fn spells(s: &mut String, indent: &str, dates: &BTreeSet<&str>) {
    if dates.is_empty() {
        return;
    }
    s.push_str(&format!("{indent}<spells>\n"));
    for d in dates {
        let d = esc(d);
        s.push_str(&format!("{indent}  <spell start=\"{d}\" end=\"{d}\"/>\n"));
    }
    s.push_str(&format!("{indent}</spells>\n"));
}

fn attvalues(s: &mut String, indent: &str, values: &[(usize, String)]) {
    if values.iter().all(|(_, v)| v.is_empty()) {
        return;
    }
    s.push_str(&format!("{indent}<attvalues>\n"));
    for (k, v) in values {
        if !v.is_empty() {
            s.push_str(&format!(
                "{indent}  <attvalue for=\"{k}\" value=\"{}\"/>\n",
                esc(v)
            ));
        }
    }
    s.push_str(&format!("{indent}</attvalues>\n"));
}

/// Write the graph as GEXF 1.3. The graph is walked twice: once for the dates each node
/// lives on (its spells, written before the edges), once to write the edges.
pub fn write_gexf<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let nodes = graph.sorted_nodes(dict);
    // Node attributes: type, aliases, then every dictionary column present.
    let mut node_attrs: Vec<&str> = vec!["type", "aliases"];
    let extra: BTreeSet<&str> = nodes
        .iter()
        .flat_map(|&i| dict.entities[i].attrs.keys().map(String::as_str))
        .filter(|k| !["type", "aliases", "label", "id", "name"].contains(k))
        .collect();
    node_attrs.extend(extra);
    // A node lives on the dates of its edges.
    let mut node_dates: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    graph.for_each_edge(dict, |a, b, d| {
        for day in edge_dates(d) {
            for n in [a, b] {
                let set = node_dates.entry(n).or_default();
                if !set.contains(day) {
                    set.insert(day.to_string());
                }
            }
        }
        Ok(())
    })?;
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
    );
    s.push_str(&format!(
        "  <meta>\n    <creator>visitgraph {}</creator>\n    <description>Inspection visits from {} documents</description>\n  </meta>\n",
        env!("CARGO_PKG_VERSION"),
        graph.document_count()
    ));
    s.push_str(
        "  <graph defaultedgetype=\"directed\" mode=\"dynamic\" timeformat=\"date\" timerepresentation=\"interval\">\n",
    );
    s.push_str("    <attributes class=\"node\" mode=\"static\">\n");
    for (n, k) in node_attrs.iter().enumerate() {
        s.push_str(&format!(
            "      <attribute id=\"{n}\" title=\"{}\" type=\"string\"/>\n",
            esc(k)
        ));
    }
    s.push_str("    </attributes>\n");
    s.push_str("    <attributes class=\"edge\" mode=\"static\">\n");
    for (n, k) in EDGE_ATTRS.iter().enumerate() {
        s.push_str(&format!(
            "      <attribute id=\"{n}\" title=\"{k}\" type=\"string\"/>\n"
        ));
    }
    s.push_str("    </attributes>\n    <nodes>\n");
    for &i in &nodes {
        let e = &dict.entities[i];
        s.push_str(&format!(
            "      <node id=\"{}\" label=\"{}\">\n",
            esc(&e.id),
            esc(&e.name)
        ));
        let values: Vec<(usize, String)> = node_attrs
            .iter()
            .enumerate()
            .map(|(n, k)| {
                let v = match *k {
                    "type" => e.ty.as_str().to_string(),
                    "aliases" => e.aliases.join("|"),
                    k => e.attr(k).to_string(),
                };
                (n, v)
            })
            .collect();
        attvalues(&mut s, "        ", &values);
        let dates: BTreeSet<&str> = node_dates
            .get(&i)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        spells(&mut s, "        ", &dates);
        let (r, g, b) = match e.ty {
            EntityType::Official => (77, 139, 255),
            EntityType::Organization => (255, 165, 64),
            EntityType::Place => (64, 170, 110),
        };
        s.push_str(&format!(
            "        <viz:color r=\"{r}\" g=\"{g}\" b=\"{b}\"/>\n      </node>\n"
        ));
        w.write_all(s.as_bytes())?;
        s.clear();
    }
    s.push_str("    </nodes>\n    <edges>\n");
    w.write_all(s.as_bytes())?;
    let mut n = 0usize;
    graph.for_each_edge(dict, |a, b, d| {
        s.clear();
        s.push_str(&format!(
            "      <edge id=\"{n}\" source=\"{}\" target=\"{}\" label=\"{}\" weight=\"{}\">\n",
            esc(&dict.entities[a].id),
            esc(&dict.entities[b].id),
            d.rel.as_str(),
            d.evidence.len()
        ));
        n += 1;
        let dates = edge_dates(d);
        let (docs, evidence) = super::edge_docs_and_evidence(d);
        let values = vec![
            (0, d.rel.as_str().to_string()),
            (1, dates.join(" ")),
            (2, docs.into_iter().collect::<Vec<_>>().join("\n")),
            (3, evidence.join("\n")),
        ];
        attvalues(&mut s, "        ", &values);
        spells(&mut s, "        ", &dates.into_iter().collect());
        s.push_str("      </edge>\n");
        w.write_all(s.as_bytes())
    })?;
    w.write_all(b"    </edges>\n  </graph>\n</gexf>\n")
}
