//! A folder for `neo4j-admin database import full`: `nodes.csv` (`id:ID`, `:LABEL`, name,
//! type, aliases, dictionary columns) and `relationships.csv` (`:START_ID`, `:END_ID`,
//! `:TYPE` = `VISITED` / `ACCOMPANIED`, `weight:int`, `dates:date[]`, and the evidence as a
//! JSON list, one string, so no sentence is split by the array delimiter or a line break).

use std::collections::BTreeSet;

use serde_json::json;

use super::edge_dates;
use crate::dictionary::{Dictionary, EntityType};
use crate::error::{Error, Result};
use crate::graph::VisitGraph;

fn csv_err(e: impl std::fmt::Display) -> Error {
    Error::Usage(format!("cannot write CSV: {e}"))
}

/// Write rows with the csv crate (RFC 4180 quoting, `""` inside quotes, as neo4j-admin reads).
pub(crate) fn csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r).map_err(csv_err)?;
    }
    w.into_inner().map_err(csv_err)
}

fn label(t: EntityType) -> &'static str {
    match t {
        EntityType::Official => "Official",
        EntityType::Organization => "Organization",
        EntityType::Place => "Place",
    }
}

/// `nodes.csv` and `relationships.csv`.
pub fn to_neo4j(graph: &VisitGraph, dict: &Dictionary) -> Result<Vec<(String, Vec<u8>)>> {
    let nodes = graph.sorted_nodes(dict);
    let extra: BTreeSet<&str> = nodes
        .iter()
        .flat_map(|&i| dict.entities[i].attrs.keys().map(String::as_str))
        .filter(|k| !["id", "name", "type", "aliases"].contains(k) && !k.contains(':'))
        .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head: Vec<String> = ["id:ID", ":LABEL", "name", "type", "aliases"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    head.extend(extra.iter().map(|k| k.to_string()));
    rows.push(head);
    for &i in &nodes {
        let e = &dict.entities[i];
        let mut r = vec![
            e.id.clone(),
            label(e.ty).to_string(),
            e.name.clone(),
            e.ty.as_str().to_string(),
            e.aliases.join("|"),
        ];
        r.extend(extra.iter().map(|k| e.attr(k).to_string()));
        rows.push(r);
    }
    let nodes_csv = csv_bytes(&rows)?;
    let mut rows: Vec<Vec<String>> = vec![
        [
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "weight:int",
            "dates:date[]",
            "evidence",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    ];
    for (a, b, d) in graph.sorted_edges(dict) {
        let ev = serde_json::to_string(&json!(d.evidence))
            .map_err(|e| Error::Usage(format!("cannot serialize evidence: {e}")))?;
        rows.push(vec![
            dict.entities[a].id.clone(),
            dict.entities[b].id.clone(),
            d.rel.as_str().to_uppercase(),
            d.evidence.len().to_string(),
            edge_dates(d).join(";"),
            ev,
        ]);
    }
    Ok(vec![
        ("nodes.csv".to_string(), nodes_csv),
        ("relationships.csv".to_string(), csv_bytes(&rows)?),
    ])
}
