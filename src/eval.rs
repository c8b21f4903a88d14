//! Scoring: a gold file (`visitgraph-gold/1`) and a graph (`visitgraph/1` JSON) in, precision,
//! recall and F1 for `visited` and `accompanied` edges, the share of right event dates and
//! the violations out, per document and overall.
//!
//! The rules are those of the independent scorer `../shared/tools/score.py`: edges are
//! compared by node *names* per document (the evidence's file name); `visits_optional` edges
//! and `optional` companions are neither rewarded nor penalised; a violation is a
//! `not_visitors` name that is the source of a visited edge. A right visit's date is right
//! when the date it wants is among the dates of the edge's evidence in that document; the date
//! it wants is the visit's own `date` when the visit has the key (`null` accepts any date),
//! else the article's `date` (none accepts any date).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::error::{Error, Result};

type Pair = (String, String);

/// Precision, recall, F1 with their counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Prf {
    /// Precision.
    pub p: f64,
    /// Recall.
    pub r: f64,
    /// F1.
    pub f1: f64,
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Prf {
    fn new(tp: usize, fp: usize, fn_: usize) -> Prf {
        let p = if tp + fp > 0 {
            tp as f64 / (tp + fp) as f64
        } else {
            1.0
        };
        let r = if tp + fn_ > 0 {
            tp as f64 / (tp + fn_) as f64
        } else {
            1.0
        };
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            p,
            r,
            f1,
            tp,
            fp,
            fn_,
        }
    }
}

/// One document's errors.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DocReport {
    /// Document name.
    pub doc: String,
    /// Gold visits not found.
    pub visits_missed: Vec<Pair>,
    /// Visits found that the gold lacks.
    pub visits_extra: Vec<Pair>,
    /// Gold companions not found.
    pub accompanied_missed: Vec<Pair>,
    /// Companions found that the gold lacks.
    pub accompanied_extra: Vec<Pair>,
    /// Right visits with a wrong date.
    pub date_wrong: Vec<Pair>,
    /// `not_visitors` who are sources of visited edges.
    pub violations: Vec<String>,
    /// Gold visits, and how many were found.
    pub visits_counts: (usize, usize),
    /// Gold companions, and how many were found.
    pub accompanied_counts: (usize, usize),
}

/// The whole score.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Visited edges.
    pub visits: Prf,
    /// Accompanied edges.
    pub accompanied: Prf,
    /// Right dates among right visits.
    pub dates_ok: usize,
    /// Right visits.
    pub dates_n: usize,
    /// Violations.
    pub violations: usize,
    /// Per document.
    pub docs: Vec<DocReport>,
}

fn load(path: &str) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io(std::path::Path::new(path), e))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::input(path, format!("line {}: not JSON: {e}", e.line())))
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn pairs(v: &Value, key: &str, a: &str, b: &str) -> BTreeSet<Pair> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|arr| {
            arr.iter()
                .map(|x| (str_of(x, a).to_string(), str_of(x, b).to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Python's truth value of a JSON value: `null`, `false`, `0`, `""`, `[]` and `{}` are false.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

fn basename(s: &str) -> &str {
    s.rsplit(['/', '\\']).next().unwrap_or(s)
}

/// A graph's edges by document (the evidence's file name), as names.
#[derive(Default)]
struct Graph {
    visits: BTreeMap<String, BTreeSet<Pair>>,
    accomp: BTreeMap<String, BTreeSet<Pair>>,
    /// Evidence dates of each visit as JSON values (`null` for an undated edge), compared
    /// with the gold's as score.py compares them: by equality.
    dates: BTreeMap<(String, Pair), Vec<Value>>,
}

/// The edges of a `visitgraph/1` JSON graph, read as score.py reads them.
fn read_graph(graph: &Value, graph_path: &str) -> Result<Graph> {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for n in graph
        .get("nodes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = str_of(n, "id").to_string();
        // score.py: `name`, else `label`, else the id.
        let name = [str_of(n, "name"), str_of(n, "label")]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or(&id)
            .to_string();
        names.insert(id, name);
    }
    let edges = graph
        .get("edges")
        .or(graph.get("links"))
        .and_then(Value::as_array)
        .ok_or_else(|| Error::input(graph_path, "no `edges` array (expected visitgraph/1 JSON)"))?;
    let mut g = Graph::default();
    for e in edges {
        // score.py: `relation`, else `type`, else `label` (the first that is truthy).
        let rel = ["relation", "type", "label"]
            .iter()
            .map(|k| str_of(e, k))
            .find(|r| !r.is_empty())
            .unwrap_or("");
        let name = |k: &str| {
            let id = str_of(e, k);
            names.get(id).cloned().unwrap_or_else(|| id.to_string())
        };
        let pair = (name("source"), name("target"));
        for ev in e
            .get("evidence")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let doc = basename(str_of(ev, "doc")).to_string();
            match rel {
                "visited" => {
                    g.visits
                        .entry(doc.clone())
                        .or_default()
                        .insert(pair.clone());
                    let seen = g.dates.entry((doc, pair.clone())).or_default();
                    let date = ev.get("date").cloned().unwrap_or(Value::Null);
                    if !seen.contains(&date) {
                        seen.push(date);
                    }
                }
                "accompanied" => {
                    g.accomp.entry(doc).or_default().insert(pair.clone());
                }
                _ => {}
            }
        }
    }
    Ok(g)
}

/// The date each gold visit of article `a` wants: its own `date` when it has the key (a
/// tour over several days), which wins over the article's; `null` or an empty date accepts
/// any. When a pair is listed twice, its last entry counts (score.py builds a dict).
fn wanted_dates(a: &Value) -> BTreeMap<Pair, Value> {
    let article_date = a.get("date").cloned().unwrap_or(Value::Null);
    let mut want = BTreeMap::new();
    for v in a
        .get("visits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let pair = (
            str_of(v, "visitor").to_string(),
            str_of(v, "target").to_string(),
        );
        want.insert(pair, v.get("date").unwrap_or(&article_date).clone());
    }
    want
}

/// Score `graph_path` against `gold_path`.
pub fn evaluate(gold_path: &str, graph_path: &str) -> Result<Report> {
    let gold = load(gold_path)?;
    let graph = load(graph_path)?;
    let articles = gold
        .get("articles")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::input(
                gold_path,
                "no `articles` array (expected visitgraph-gold/1)",
            )
        })?;
    let Graph {
        visits,
        accomp,
        dates,
    } = read_graph(&graph, graph_path)?;
    let mut rep = Report::default();
    let (mut vt, mut vfp, mut vfn, mut at, mut afp, mut afn) = (0, 0, 0, 0, 0, 0);
    for a in articles {
        let doc = a
            .get("doc")
            .or(a.get("file"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let g_v = pairs(a, "visits", "visitor", "target");
        let opt_v = pairs(a, "visits_optional", "visitor", "target");
        let p_v: BTreeSet<Pair> = visits
            .get(&doc)
            .cloned()
            .unwrap_or_default()
            .difference(&opt_v)
            .cloned()
            .collect();
        let strs = |k: &str| -> BTreeSet<String> {
            a.get(k)
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
        };
        let opt = strs("optional");
        let not_visitors = strs("not_visitors");
        let g_a = pairs(a, "accompanied", "official", "lead");
        let p_a: BTreeSet<Pair> = accomp
            .get(&doc)
            .map(|s| s.iter().filter(|x| !opt.contains(&x.0)).cloned().collect())
            .unwrap_or_default();
        let tp: BTreeSet<Pair> = g_v.intersection(&p_v).cloned().collect();
        vt += tp.len();
        vfp += p_v.difference(&g_v).count();
        vfn += g_v.difference(&p_v).count();
        at += g_a.intersection(&p_a).count();
        afp += p_a.difference(&g_a).count();
        afn += g_a.difference(&p_a).count();
        let want = wanted_dates(a);
        let mut date_wrong = Vec::new();
        for x in &tp {
            rep.dates_n += 1;
            let ok = match want.get(x) {
                Some(d) if truthy(d) => dates
                    .get(&(doc.clone(), x.clone()))
                    .is_some_and(|seen| seen.contains(d)),
                _ => true,
            };
            if ok {
                rep.dates_ok += 1;
            } else {
                date_wrong.push(x.clone());
            }
        }
        let bad: BTreeSet<String> = p_v
            .iter()
            .filter(|(s, _)| not_visitors.contains(s))
            .map(|(s, _)| s.clone())
            .collect();
        rep.violations += bad.len();
        rep.docs.push(DocReport {
            doc,
            visits_missed: g_v.difference(&p_v).cloned().collect(),
            visits_extra: p_v.difference(&g_v).cloned().collect(),
            accompanied_missed: g_a.difference(&p_a).cloned().collect(),
            accompanied_extra: p_a.difference(&g_a).cloned().collect(),
            date_wrong,
            violations: bad.into_iter().collect(),
            visits_counts: (g_v.len(), tp.len()),
            accompanied_counts: (g_a.len(), g_a.intersection(&p_a).count()),
        });
    }
    rep.visits = Prf::new(vt, vfp, vfn);
    rep.accompanied = Prf::new(at, afp, afn);
    Ok(rep)
}

impl Report {
    /// The human-readable report: one line per document with errors, then the summary.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let fmt_pairs = |v: &[Pair]| {
            v.iter()
                .map(|(a, b)| format!("{a}→{b}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for d in &self.docs {
            let mut parts = Vec::new();
            for (label, v) in [
                ("visits missed", &d.visits_missed),
                ("visits extra", &d.visits_extra),
                ("accompanied missed", &d.accompanied_missed),
                ("accompanied extra", &d.accompanied_extra),
                ("date wrong", &d.date_wrong),
            ] {
                if !v.is_empty() {
                    parts.push(format!("{label}: {}", fmt_pairs(v)));
                }
            }
            if !d.violations.is_empty() {
                parts.push(format!("violations: {}", d.violations.join(", ")));
            }
            let counts = format!(
                "visits {}/{} accompanied {}/{}",
                d.visits_counts.1,
                d.visits_counts.0,
                d.accompanied_counts.1,
                d.accompanied_counts.0
            );
            if parts.is_empty() {
                let _ = writeln!(s, "{}\t{counts}\tok", d.doc);
            } else {
                let _ = writeln!(s, "{}\t{counts}\t{}", d.doc, parts.join(" | "));
            }
        }
        let (v, a) = (&self.visits, &self.accompanied);
        let _ = writeln!(
            s,
            "visits P={:.3} R={:.3} F1={:.3} (tp {} fp {} fn {}) | accompanied P={:.3} R={:.3} F1={:.3} (tp {} fp {} fn {}) | dates {}/{} | violations {}",
            v.p,
            v.r,
            v.f1,
            v.tp,
            v.fp,
            v.fn_,
            a.p,
            a.r,
            a.f1,
            a.tp,
            a.fp,
            a.fn_,
            self.dates_ok,
            self.dates_n,
            self.violations
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(gold: &str, graph: &str) -> Report {
        let d = tempfile::tempdir().unwrap();
        let (g, p) = (d.path().join("gold.json"), d.path().join("g.json"));
        std::fs::write(&g, gold).unwrap();
        std::fs::write(&p, graph).unwrap();
        evaluate(g.to_str().unwrap(), p.to_str().unwrap()).unwrap()
    }

    const GRAPH: &str = r#"{"nodes": [{"id": "p:a", "name": "甲"}, {"id": "o:x", "name": "X厂"},
        {"id": "o:y", "name": "Y厂"}, {"id": "o:z", "name": "Z厂"}, {"id": "o:w", "name": "W厂"}],
      "edges": [
        {"source": "p:a", "target": "o:x", "relation": "visited",
         "evidence": [{"doc": "t/A.txt", "date": "2024-04-16"}, {"doc": "t/A.txt", "date": "2024-04-17"}]},
        {"source": "p:a", "target": "o:y", "relation": "visited",
         "evidence": [{"doc": "t/A.txt", "date": "2024-04-16"}]},
        {"source": "p:a", "target": "o:z", "relation": "visited",
         "evidence": [{"doc": "t/A.txt", "date": null}]},
        {"source": "p:a", "target": "o:w", "relation": "visited",
         "evidence": [{"doc": "t/A.txt"}]}]}"#;

    #[test]
    fn a_visit_date_wins_over_the_article_date_and_null_accepts_any() {
        let gold = r#"{"format": "visitgraph-gold/1", "articles": [{"doc": "A.txt", "date": "2024-04-16",
            "visits": [
              {"visitor": "甲", "target": "X厂", "date": "2024-04-17"},
              {"visitor": "甲", "target": "Y厂", "date": "2024-04-17"},
              {"visitor": "甲", "target": "Z厂", "date": null},
              {"visitor": "甲", "target": "W厂"}],
            "accompanied": []}]}"#;
        let r = score(gold, GRAPH);
        assert_eq!(r.visits.tp, 4);
        // X: one of its evidence dates is the visit's own; Y: only the article's, which the
        // visit's date overrides; Z: any date; W: the article's date, never given.
        assert_eq!((r.dates_ok, r.dates_n), (2, 4));
        let wrong: Vec<&str> = r.docs[0].date_wrong.iter().map(|p| p.1.as_str()).collect();
        assert_eq!(wrong, ["W厂", "Y厂"]);
    }

    #[test]
    fn no_date_anywhere_or_an_empty_one_accepts_any_and_the_last_listing_counts() {
        let gold = r#"{"articles": [{"doc": "A.txt",
            "visits": [
              {"visitor": "甲", "target": "X厂", "date": "1999-01-01"},
              {"visitor": "甲", "target": "X厂", "date": "2024-04-16"},
              {"visitor": "甲", "target": "Y厂", "date": ""},
              {"visitor": "甲", "target": "Z厂"},
              {"visitor": "甲", "target": "W厂", "date": "2024-04-16"}],
            "accompanied": []}]}"#;
        let r = score(gold, GRAPH);
        assert_eq!(
            (r.dates_ok, r.dates_n),
            (3, 4),
            "{:?}",
            r.docs[0].date_wrong
        );
        assert_eq!(r.docs[0].date_wrong, [("甲".into(), "W厂".into())]);
    }
}
