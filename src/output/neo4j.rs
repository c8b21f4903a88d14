//! A folder for `neo4j-admin database import full`: `nodes.csv` (`id:ID`, `:LABEL`, name,
//! type, aliases, dictionary columns) and `relationships.csv` (`:START_ID`, `:END_ID`,
//! `:TYPE` = `VISITED` / `ACCOMPANIED`, `weight:int`, `dates:date[]`, and the evidence as a
//! JSON list, one string, so no sentence is split by the array delimiter or a line break).

use std::collections::BTreeSet;

use serde_json::json;

use super::edge_dates;
use crate::corpus::graph::GraphView;
use crate::dict::{Dictionary, EntityType};

/// A CSV writer over `w` (RFC 4180 quoting, `""` inside quotes, as neo4j-admin reads).
pub(crate) fn csv_writer(w: &mut dyn std::io::Write) -> csv::Writer<&mut dyn std::io::Write> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(w)
}

fn label(t: EntityType) -> &'static str {
    match t {
        EntityType::Official => "Official",
        EntityType::Organization => "Organization",
        EntityType::Place => "Place",
    }
}

/// Write one file of the folder, `nodes.csv` or `relationships.csv` (one row per edge, as
/// the graph gives them).
pub fn write_file<G: GraphView>(
    name: &str,
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut out = csv_writer(w);
    match name {
        "nodes.csv" => {
            let nodes = graph.sorted_nodes(dict);
            let extra: BTreeSet<&str> = nodes
                .iter()
                .flat_map(|&i| dict.entities[i].attrs.keys().map(String::as_str))
                .filter(|k| !["id", "name", "type", "aliases"].contains(k) && !k.contains(':'))
                .collect();
            let mut head: Vec<&str> = vec!["id:ID", ":LABEL", "name", "type", "aliases"];
            head.extend(extra.iter().copied());
            out.write_record(&head)?;
            for &i in &nodes {
                let e = &dict.entities[i];
                let aliases = e.aliases.join("|");
                let mut r: Vec<&str> = vec![&e.id, label(e.ty), &e.name, e.ty.as_str(), &aliases];
                r.extend(extra.iter().map(|k| e.attr(k)));
                out.write_record(&r)?;
            }
        }
        "relationships.csv" => {
            out.write_record([
                ":START_ID",
                ":END_ID",
                ":TYPE",
                "weight:int",
                "dates:date[]",
                "evidence",
            ])?;
            graph.for_each_edge(dict, |a, b, d| {
                let ev = serde_json::to_string(&json!(d.evidence)).map_err(super::io_err)?;
                out.write_record([
                    dict.entities[a].id.as_str(),
                    dict.entities[b].id.as_str(),
                    &d.rel.as_str().to_uppercase(),
                    &d.evidence.len().to_string(),
                    &edge_dates(d).join(";"),
                    &ev,
                ])?;
                Ok(())
            })?;
        }
        other => {
            return Err(std::io::Error::other(format!(
                "neo4j writes no file `{other}`"
            )));
        }
    }
    out.flush()
}
