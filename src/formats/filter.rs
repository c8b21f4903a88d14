//! Filters shared by every format: event dates, relations, one entity's neighbourhood.

use std::collections::{BTreeSet, HashSet};

use crate::dictionary::{Day, Dictionary, parse_bound};
use crate::error::{Error, Result};
use crate::graph::VisitGraph;
use crate::pipeline::{Evidence, Found};
use crate::relate::Rel;

/// An edge that survived: source, target, relation, evidence kept, ambiguous readings.
type KeptEdge = (usize, usize, Rel, Vec<Evidence>, BTreeSet<usize>);

/// A relation, as named on the command line (`--relation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Relation {
    /// Official → organization or place.
    Visited,
    /// Official → the lead official of a visit.
    Accompanied,
}

impl Relation {
    fn rel(self) -> Rel {
        match self {
            Relation::Visited => Rel::Visited,
            Relation::Accompanied => Rel::Accompanied,
        }
    }
}

/// What to keep of a graph. The default keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Keep evidence dated on or after this day (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Keep evidence dated on or before this day (a partial date means its last day).
    pub until: Option<String>,
    /// Keep only these relations (empty: all).
    pub relations: Vec<Relation>,
    /// Keep only the neighbourhood of this node id.
    pub around: Option<String>,
    /// How many hops (ignoring direction) around `around`.
    pub hops: usize,
}

fn bound(flag: &str, s: &str, end: bool) -> Result<Day> {
    parse_bound(s, end).ok_or_else(|| {
        Error::Usage(format!(
            "{flag} `{s}`: expected a date as YYYY-MM-DD (or YYYY-MM, YYYY)"
        ))
    })
}

impl Filters {
    /// Does this keep everything?
    pub fn is_empty(&self) -> bool {
        self.since.is_none()
            && self.until.is_none()
            && self.relations.is_empty()
            && self.around.is_none()
    }

    /// Check the values before any work starts: bad dates, `--until` before `--since`, an
    /// `--around` id the dictionaries do not have.
    pub fn validate(&self, dict: &Dictionary) -> Result<()> {
        if let Some(id) = &self.around
            && dict.get(id).is_none()
        {
            return Err(Error::Usage(format!(
                "--around `{id}`: no such id in the dictionaries"
            )));
        }
        let (since, until) = self.date_range()?;
        if let (Some(a), Some(b)) = (since, until)
            && a > b
        {
            return Err(Error::Usage(format!(
                "--since {} is after --until {}",
                self.since.as_deref().unwrap_or(""),
                self.until.as_deref().unwrap_or("")
            )));
        }
        Ok(())
    }

    /// The `--since` and `--until` bounds as days.
    fn date_range(&self) -> Result<(Option<Day>, Option<Day>)> {
        let since = self
            .since
            .as_deref()
            .map(|s| bound("--since", s, false))
            .transpose()?;
        let until = self
            .until
            .as_deref()
            .map(|s| bound("--until", s, true))
            .transpose()?;
        Ok((since, until))
    }

    /// The filtered graph. An edge survives a date filter if at least one of its evidence
    /// dates is in range, and keeps only that evidence (undated evidence goes); `around`
    /// keeps the nodes within `hops` of the id, ignoring direction, and the edges between
    /// them. An id not in the dictionary, or with no edge left, is an error.
    pub fn apply(&self, graph: &VisitGraph, dict: &Dictionary) -> Result<VisitGraph> {
        self.validate(dict)?;
        let (since, until) = self.date_range()?;
        let dated = since.is_some() || until.is_some();
        let rels: HashSet<Rel> = self.relations.iter().map(|r| r.rel()).collect();
        let keep_ev = |e: &Evidence| -> bool {
            if !dated {
                return true;
            }
            let Some(day) = e.date.as_deref().and_then(|d| parse_bound(d, false)) else {
                return false;
            };
            since.is_none_or(|s| day >= s) && until.is_none_or(|u| day <= u)
        };
        // Edges left after the date and relation filters.
        let mut edges: Vec<KeptEdge> = Vec::new();
        for (a, b, d) in graph.sorted_edges(dict) {
            if !rels.is_empty() && !rels.contains(&d.rel) {
                continue;
            }
            let ev: Vec<Evidence> = d.evidence.iter().filter(|e| keep_ev(e)).cloned().collect();
            if ev.is_empty() {
                continue;
            }
            edges.push((a, b, d.rel, ev, d.ambiguous.clone()));
        }
        if let Some(id) = &self.around {
            let Some(&centre) = dict.by_id.get(id.as_str()) else {
                return Err(Error::Usage(format!(
                    "--around `{id}`: no such id in the dictionaries"
                )));
            };
            // The neighbourhood is a shortest-path question on the undirected graph.
            let mut g: petgraph::graphmap::UnGraphMap<usize, ()> = Default::default();
            for (a, b, ..) in &edges {
                g.add_edge(*a, *b, ());
            }
            if !g.contains_node(centre) {
                let what = if self.is_dated_or_related() {
                    " within the --since/--until/--relation filters"
                } else {
                    ""
                };
                return Err(Error::Usage(format!(
                    "--around `{id}` ({}): no edge in the graph{what}",
                    dict.entities[centre].name
                )));
            }
            let mut dist = petgraph::algo::dijkstra(&g, centre, None, |_| 1usize);
            dist.retain(|_, d| *d <= self.hops);
            edges.retain(|(a, b, ..)| dist.contains_key(a) && dist.contains_key(b));
        }
        let mut out = VisitGraph::new();
        let found: Vec<Found> = edges
            .into_iter()
            .flat_map(|(a, b, rel, ev, amb)| {
                let amb: Vec<usize> = amb.into_iter().collect();
                ev.into_iter().map(move |evidence| Found {
                    source: a,
                    target: b,
                    rel,
                    evidence,
                    ambiguous: amb.clone(),
                })
            })
            .collect();
        out.add_document(found);
        out.documents = graph.documents;
        Ok(out)
    }

    fn is_dated_or_related(&self) -> bool {
        self.since.is_some() || self.until.is_some() || !self.relations.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::{DictionaryBuilder, Layer};

    fn dict() -> Dictionary {
        DictionaryBuilder::new()
            .no_builtin(true)
            .layer(Layer::from_texts(
                "t",
                &[
                    ("officials.tsv", "id\tname\taliases\na\t甲甲\t\nb\t乙乙\t\nc\t丙丙\t\n"),
                    (
                        "organizations.tsv",
                        "id\tname\taliases\tkind\tplace\nx\t某公司\t\tcompany\t\ny\t某研究所\t\tinstitute\t\n",
                    ),
                ],
            ))
            .build()
            .unwrap()
    }

    fn found(d: &Dictionary, s: &str, t: &str, rel: Rel, date: Option<&str>) -> Found {
        Found {
            source: d.by_id[s],
            target: d.by_id[t],
            rel,
            evidence: Evidence {
                doc: "d.txt".into(),
                date: date.map(str::to_string),
                sentence: format!("{s}{t}"),
                start: 0,
                end: 2,
            },
            ambiguous: vec![],
        }
    }

    fn graph(d: &Dictionary) -> VisitGraph {
        let mut g = VisitGraph::new();
        g.add_document(vec![
            found(d, "a", "x", Rel::Visited, Some("2025-01-02")),
            found(d, "a", "x", Rel::Visited, Some("2025-03-04")),
            found(d, "b", "a", Rel::Accompanied, Some("2025-01-02")),
            found(d, "c", "y", Rel::Visited, None),
        ]);
        g
    }

    #[test]
    fn dates_keep_only_evidence_in_range() {
        let d = dict();
        let f = Filters {
            since: Some("2025-02".into()),
            ..Filters::default()
        };
        let g = f.apply(&graph(&d), &d).unwrap();
        let e = g.sorted_edges(&d);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].2.evidence.len(), 1);
        assert_eq!(
            e[0].2.evidence.first().unwrap().date.as_deref(),
            Some("2025-03-04")
        );
        assert_eq!(g.sorted_nodes(&d).len(), 2);
        let f = Filters {
            until: Some("2025-01".into()),
            ..Filters::default()
        };
        assert_eq!(f.apply(&graph(&d), &d).unwrap().sorted_edges(&d).len(), 2);
    }

    #[test]
    fn relations_and_neighbourhoods() {
        let d = dict();
        let f = Filters {
            relations: vec![Relation::Accompanied],
            ..Filters::default()
        };
        assert_eq!(f.apply(&graph(&d), &d).unwrap().sorted_edges(&d).len(), 1);
        let f = Filters {
            around: Some("x".into()),
            hops: 1,
            ..Filters::default()
        };
        let g = f.apply(&graph(&d), &d).unwrap();
        assert_eq!(g.sorted_edges(&d).len(), 1);
        let f = Filters {
            around: Some("x".into()),
            hops: 2,
            ..Filters::default()
        };
        assert_eq!(f.apply(&graph(&d), &d).unwrap().sorted_edges(&d).len(), 2);
        let f = Filters {
            around: Some("nobody".into()),
            hops: 1,
            ..Filters::default()
        };
        let err = f.apply(&graph(&d), &d).unwrap_err().to_string();
        assert!(err.contains("no such id"), "{err}");
        assert!(
            Filters {
                since: Some("2025-13".into()),
                ..Filters::default()
            }
            .validate(&d)
            .is_err()
        );
    }
}
