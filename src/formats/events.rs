//! Visit events: the table analysts paste into a spreadsheet. One event is one visitor's
//! visit in one document on one date: `visited` evidence grouped by (doc, date, source);
//! the companions are the `accompanied` edges into that visitor read in the same document on
//! the same date; the place is where the targets are (an organization's `place`, or the
//! visited place itself).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::neo4j::csv_bytes;
use crate::dictionary::{Dictionary, EntityType};
use crate::error::{Error, Result};
use crate::graph::VisitGraph;
use crate::relate::Rel;

/// An id and the name it stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Named {
    /// Dictionary id.
    pub id: String,
    /// Canonical name.
    pub name: String,
}

/// One visit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Event date `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// The visiting official.
    pub visitor: Named,
    /// What was visited, by id.
    pub targets: Vec<Named>,
    /// Where the targets are.
    pub places: Vec<Named>,
    /// Officials who went along.
    pub accompanying: Vec<Named>,
    /// Document name.
    pub doc: String,
    /// The evidence sentences, in document order (distinct).
    pub evidence: Vec<String>,
}

fn named(dict: &Dictionary, i: usize) -> Named {
    let e = &dict.entities[i];
    Named {
        id: e.id.clone(),
        name: e.name.clone(),
    }
}

/// The events of a graph, ordered by date (undated last), document, visitor id.
pub fn events(graph: &VisitGraph, dict: &Dictionary) -> Vec<Event> {
    type Key<'a> = (&'a str, Option<&'a str>, usize);
    // (doc, date, visitor) → targets, sentences (by start offset)
    let mut visits: BTreeMap<Key, (BTreeSet<usize>, BTreeMap<usize, &str>)> = BTreeMap::new();
    // (doc, date, lead) → companions
    let mut companions: BTreeMap<Key, BTreeSet<usize>> = BTreeMap::new();
    for (a, b, d) in graph.sorted_edges(dict) {
        for ev in &d.evidence {
            let key = (
                ev.doc.as_str(),
                ev.date.as_deref(),
                match d.rel {
                    Rel::Visited => a,
                    Rel::Accompanied => b,
                },
            );
            match d.rel {
                Rel::Visited => {
                    let v = visits.entry(key).or_default();
                    v.0.insert(b);
                    v.1.insert(ev.start, ev.sentence.as_str());
                }
                Rel::Accompanied => {
                    companions.entry(key).or_default().insert(a);
                }
            }
        }
    }
    let mut out: Vec<Event> = visits
        .into_iter()
        .map(|(key, (targets, sentences))| {
            let (doc, date, visitor) = key;
            let mut places: BTreeSet<Named> = BTreeSet::new();
            for &t in &targets {
                let p = match dict.entities[t].ty {
                    EntityType::Place => Some(t),
                    _ => dict.parent(t),
                };
                match p {
                    Some(p) => {
                        places.insert(named(dict, p));
                    }
                    None => {
                        let raw = dict.entities[t].attr("place");
                        if !raw.is_empty() {
                            places.insert(Named {
                                id: raw.to_string(),
                                name: raw.to_string(),
                            });
                        }
                    }
                }
            }
            let mut targets: Vec<Named> = targets.into_iter().map(|t| named(dict, t)).collect();
            targets.sort();
            let mut accompanying: Vec<Named> = companions
                .get(&key)
                .into_iter()
                .flatten()
                .map(|&c| named(dict, c))
                .collect();
            accompanying.sort();
            let mut evidence: Vec<String> = Vec::new();
            for s in sentences.into_values() {
                if !evidence.iter().any(|e| e == s) {
                    evidence.push(s.to_string());
                }
            }
            Event {
                date: date.map(str::to_string),
                visitor: named(dict, visitor),
                targets,
                places: places.into_iter().collect(),
                accompanying,
                doc: doc.to_string(),
                evidence,
            }
        })
        .collect();
    out.sort_by(|x, y| {
        (x.date.is_none(), &x.date, &x.doc, &x.visitor.id).cmp(&(
            y.date.is_none(),
            &y.date,
            &y.doc,
            &y.visitor.id,
        ))
    });
    out
}

fn ids(v: &[Named]) -> String {
    v.iter()
        .map(|n| n.id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

fn names(v: &[Named]) -> String {
    v.iter()
        .map(|n| n.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// Column names of the CSV table.
pub const CSV_HEADER: &[&str] = &[
    "date",
    "visitor_id",
    "visitor",
    "target_ids",
    "targets",
    "place_ids",
    "places",
    "accompanying_ids",
    "accompanying",
    "doc",
    "evidence",
];

/// The events as CSV (UTF-8, header row; lists of ids joined by `;`, names by `、`,
/// sentences by a space).
pub fn to_csv(graph: &VisitGraph, dict: &Dictionary) -> Result<Vec<u8>> {
    let mut rows: Vec<Vec<String>> = vec![CSV_HEADER.iter().map(|s| s.to_string()).collect()];
    for e in events(graph, dict) {
        rows.push(vec![
            e.date.clone().unwrap_or_default(),
            e.visitor.id.clone(),
            e.visitor.name.clone(),
            ids(&e.targets),
            names(&e.targets),
            ids(&e.places),
            names(&e.places),
            ids(&e.accompanying),
            names(&e.accompanying),
            e.doc.clone(),
            e.evidence.join(" "),
        ]);
    }
    csv_bytes(&rows)
}

/// The events as JSON Lines: one object per event.
pub fn to_jsonl(graph: &VisitGraph, dict: &Dictionary) -> Result<String> {
    let mut s = String::new();
    for e in events(graph, dict) {
        s.push_str(
            &serde_json::to_string(&e)
                .map_err(|e| Error::Usage(format!("cannot serialize an event: {e}")))?,
        );
        s.push('\n');
    }
    Ok(s)
}
