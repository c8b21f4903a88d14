//! Filters shared by every format: event dates, relations, one entity's neighbourhood.

use std::collections::HashSet;

#[cfg(test)]
use crate::corpus::graph::VisitGraph;
use crate::corpus::graph::{EdgeData, EvidenceSet, GraphView};
use crate::dict::{Dictionary, Lookup, parse_bound};
use crate::error::{Error, Result};
use crate::page::Evidence;
use crate::page::date::Day;
use crate::page::relate::Rel;

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

    /// The entity `--around` names: an id, a name or an alias (see [`Dictionary::lookup`]).
    /// A name several entities share is an error listing them; an unknown one, an error with
    /// the closest id or name.
    pub(crate) fn centre(&self, dict: &Dictionary) -> Result<Option<usize>> {
        let Some(query) = &self.around else {
            return Ok(None);
        };
        let show = |i: usize| {
            let e = &dict.entities[i];
            format!("{} `{}` ({})", e.ty.as_str(), e.id, e.name)
        };
        match dict.lookup(query) {
            Lookup::Found(i) => Ok(Some(i)),
            Lookup::Ambiguous(all) => {
                let list: Vec<String> = all.iter().map(|&i| show(i)).collect();
                Err(Error::Usage(format!(
                    "--around `{query}` is ambiguous: it names {} entities: {}; give one of these ids",
                    all.len(),
                    list.join(", ")
                )))
            }
            Lookup::Unknown(near) => Err(Error::Usage(format!(
                "--around `{query}`: no official, organization or place with id or name `{query}` in the dictionaries{}",
                near.map(|i| format!(" (did you mean {}?)", show(i)))
                    .unwrap_or_default()
            ))),
        }
    }

    /// Check the values before any work starts: bad dates, `--until` before `--since`, an
    /// `--around` that names no entity, or several.
    pub fn validate(&self, dict: &Dictionary) -> Result<()> {
        self.centre(dict)?;
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

    /// The filtered graph, in memory (see [`Filters::view`] for what survives): what the
    /// tests hold views to.
    #[cfg(test)]
    pub(crate) fn apply(&self, graph: &VisitGraph, dict: &Dictionary) -> Result<VisitGraph> {
        let view = self.view(graph, dict)?;
        let mut out = VisitGraph::new();
        view.for_each_edge(dict, |a, b, d| {
            out.insert_edge(a, b, d.clone());
            Ok(())
        })
        .expect("a graph in memory reads without errors");
        out.documents = graph.documents;
        Ok(out)
    }

    /// The filtered graph as a view of `graph`, read edge by edge like the graph itself (a
    /// spilled graph is never held whole). An edge survives a date filter if at least one of
    /// its evidence dates is in range, and keeps only that evidence (undated evidence goes);
    /// `around` keeps the nodes within `hops` of the id, ignoring direction, and the edges
    /// between them. An id not in the dictionary, or with no edge left, is an error.
    ///
    /// One walk of the graph here finds the surviving nodes (and the neighbourhood): it
    /// keeps two ids per edge, never evidence.
    pub fn view<'g, G: GraphView>(
        &self,
        graph: &'g G,
        dict: &Dictionary,
    ) -> Result<Filtered<'g, G>> {
        self.validate(dict)?;
        let (since, until) = self.date_range()?;
        let mut view = Filtered {
            inner: graph,
            since,
            until,
            rels: self.relations.iter().map(|r| r.rel()).collect(),
            near: None,
            nodes: Vec::new(),
            multigraph: false,
            undated: 0,
        };
        // Edges left after the date and relation filters: their ends (and relation).
        let mut ends: Vec<(usize, usize, Rel)> = Vec::new();
        graph
            .for_each_edge(dict, |a, b, d| {
                if view.dated() && (view.rels.is_empty() || view.rels.contains(&d.rel)) {
                    view.undated += d.evidence.iter().filter(|e| e.date.is_none()).count();
                }
                if view.keeps(d) {
                    ends.push((a, b, d.rel));
                }
                Ok(())
            })
            .map_err(|e| Error::io(&std::env::temp_dir(), e))?;
        if let Some(centre) = self.centre(dict)? {
            let id = &dict.entities[centre].id;
            // The neighbourhood is a shortest-path question on the undirected graph.
            let mut g: petgraph::graphmap::UnGraphMap<usize, ()> = Default::default();
            for (a, b, _) in &ends {
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
            let near: HashSet<usize> = dist.into_keys().collect();
            ends.retain(|(a, b, _)| near.contains(a) && near.contains(b));
            view.near = Some(near);
        }
        let mut pairs = HashSet::new();
        view.multigraph = ends.iter().any(|&(a, b, _)| !pairs.insert((a, b)));
        let mut nodes: Vec<usize> = ends.iter().flat_map(|&(a, b, _)| [a, b]).collect();
        nodes.sort_unstable();
        nodes.dedup();
        nodes.sort_by(|a, b| dict.entities[*a].id.cmp(&dict.entities[*b].id));
        view.nodes = nodes;
        Ok(view)
    }

    fn is_dated_or_related(&self) -> bool {
        self.since.is_some() || self.until.is_some() || !self.relations.is_empty()
    }
}

/// A graph seen through [`Filters`] (from [`Filters::view`]): the same [`GraphView`], with
/// the edges, evidence and nodes that survive.
pub struct Filtered<'g, G> {
    inner: &'g G,
    since: Option<Day>,
    until: Option<Day>,
    /// Relations kept (empty: all).
    rels: Vec<Rel>,
    /// The neighbourhood kept by `--around`.
    near: Option<HashSet<usize>>,
    /// The ends of the surviving edges, sorted by id.
    nodes: Vec<usize>,
    multigraph: bool,
    /// Undated evidence a date filter left out (of the relations kept).
    undated: usize,
}

impl<G> Filtered<'_, G> {
    /// How many pieces of undated evidence `--since`/`--until` left out.
    pub fn undated_dropped(&self) -> usize {
        self.undated
    }

    fn dated(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Is this piece of evidence inside the date range?
    fn keeps_evidence(&self, e: &Evidence) -> bool {
        if !self.dated() {
            return true;
        }
        let Some(day) = e.date.as_deref().and_then(|d| parse_bound(d, false)) else {
            return false;
        };
        self.since.is_none_or(|s| day >= s) && self.until.is_none_or(|u| day <= u)
    }

    /// Does an edge survive the relation and date filters?
    fn keeps(&self, d: &EdgeData) -> bool {
        (self.rels.is_empty() || self.rels.contains(&d.rel))
            && d.evidence.iter().any(|e| self.keeps_evidence(e))
    }
}

impl<G: GraphView> GraphView for Filtered<'_, G> {
    fn document_count(&self) -> usize {
        self.inner.document_count()
    }

    fn sorted_nodes(&self, _dict: &Dictionary) -> Vec<usize> {
        self.nodes.clone()
    }

    fn is_multigraph(&self) -> bool {
        self.multigraph
    }

    fn for_each_edge<F>(&self, dict: &Dictionary, mut f: F) -> std::io::Result<()>
    where
        F: FnMut(usize, usize, &EdgeData) -> std::io::Result<()>,
    {
        self.inner.for_each_edge(dict, |a, b, d| {
            if !self.keeps(d)
                || self
                    .near
                    .as_ref()
                    .is_some_and(|n| !n.contains(&a) || !n.contains(&b))
            {
                return Ok(());
            }
            if !self.dated() {
                return f(a, b, d);
            }
            let kept = EdgeData {
                rel: d.rel,
                evidence: EvidenceSet::from_sorted(
                    d.evidence
                        .iter()
                        .filter(|e| self.keeps_evidence(e))
                        .cloned()
                        .collect(),
                ),
                ambiguous: d.ambiguous.clone(),
            };
            f(a, b, &kept)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dict::{DictionaryBuilder, Layer};
    use crate::page::Found;

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
                date_source: date.map(|_| crate::page::DateSource::Text),
                sentence: format!("{s}{t}"),
                start: 0,
                end: 2,
                url: None,
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
        assert!(err.contains("no official, organization or place"), "{err}");
        // A name, an alias, traditional script; a shared name; a near miss.
        let by = |q: &str| {
            Filters {
                around: Some(q.into()),
                hops: 1,
                ..Filters::default()
            }
            .centre(&d)
        };
        assert_eq!(by("某公司").unwrap(), Some(d.by_id["x"]));
        assert_eq!(by("某研究所").unwrap(), Some(d.by_id["y"]));
        let err = by("某研究").unwrap_err().to_string();
        assert!(err.contains("did you mean organization `y`"), "{err}");
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
