//! Visit events: the table analysts paste into a spreadsheet. One event is one visitor's
//! visit in one document on one date: `visited` evidence grouped by (doc, date, source);
//! the companions are the `accompanied` edges into that visitor read in the same document on
//! the same date; the place is where the targets are (an organization's `place`, or the
//! visited place itself).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::neo4j::csv_writer;
use crate::dictionary::{Dictionary, EntityType};
use crate::graph::GraphView;
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
///
/// An event gathers evidence from several edges, so this is the one output that holds a
/// table as the graph is read: one row per visit event, not the graph.
pub fn events<G: GraphView>(graph: &G, dict: &Dictionary) -> std::io::Result<Vec<Event>> {
    type Key = (String, Option<String>, usize);
    // (doc, date, visitor) → targets, sentences (by start offset)
    let mut visits: BTreeMap<Key, (BTreeSet<usize>, BTreeMap<usize, String>)> = BTreeMap::new();
    // (doc, date, lead) → companions
    let mut companions: BTreeMap<Key, BTreeSet<usize>> = BTreeMap::new();
    graph.for_each_edge(dict, |a, b, d| {
        for ev in &d.evidence {
            let key = (
                ev.doc.clone(),
                ev.date.clone(),
                match d.rel {
                    Rel::Visited => a,
                    Rel::Accompanied => b,
                },
            );
            match d.rel {
                Rel::Visited => {
                    let v = visits.entry(key).or_default();
                    v.0.insert(b);
                    v.1.insert(ev.start, ev.sentence.clone());
                }
                Rel::Accompanied => {
                    companions.entry(key).or_default().insert(a);
                }
            }
        }
        Ok(())
    })?;
    let mut out: Vec<Event> = visits
        .into_iter()
        .map(|(key, (targets, sentences))| {
            let companions = companions.remove(&key).unwrap_or_default();
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
            let mut accompanying: Vec<Named> =
                companions.into_iter().map(|c| named(dict, c)).collect();
            accompanying.sort();
            let mut evidence: Vec<String> = Vec::new();
            for s in sentences.into_values() {
                if !evidence.contains(&s) {
                    evidence.push(s);
                }
            }
            Event {
                date,
                visitor: named(dict, visitor),
                targets,
                places: places.into_iter().collect(),
                accompanying,
                doc,
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
    Ok(out)
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

/// Write the events as CSV (UTF-8, header row; lists of ids joined by `;`, names by `、`,
/// sentences by a space).
pub fn write_csv<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let events = events(graph, dict)?;
    let mut out = csv_writer(w);
    out.write_record(CSV_HEADER)?;
    for e in events {
        out.write_record([
            e.date.as_deref().unwrap_or_default(),
            &e.visitor.id,
            &e.visitor.name,
            &ids(&e.targets),
            &names(&e.targets),
            &ids(&e.places),
            &names(&e.places),
            &ids(&e.accompanying),
            &names(&e.accompanying),
            &e.doc,
            &e.evidence.join(" "),
        ])?;
    }
    out.flush()
}

/// Write the events as JSON Lines: one object per event.
pub fn write_jsonl<G: GraphView>(
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for e in events(graph, dict)? {
        serde_json::to_writer(&mut *w, &e)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
