//! Provenance: a JSON Lines record's `url` travels with every piece of evidence read in it,
//! through the spill to disk, into the JSON graph, the events table, the Cytoscape and Neo4j
//! evidence, `merge` and `diff`; pages with no address (plain files) carry no `url` at all.
//!
//! The pages are our own writing: invented officials of an invented city
//! (`tests/fixtures/provenance`: the dictionary, `pages.jsonl`, and three of the same stories
//! as plain `.txt` files).

mod common;

use std::path::{Path, PathBuf};

use common::{bin, fixtures, ok, read_csv};
use serde_json::Value;

const A1: &str = "https://news.lanchuan.example/2025/0312/a1.html";
const B2: &str = "https://news.lanchuan.example/2025/0420/b2.html";

fn set() -> PathBuf {
    fixtures().join("provenance")
}

/// `extract` over the set's dictionary with `args`, its output bytes.
fn extract(args: &[&str], input: &Path) -> Vec<u8> {
    ok(bin()
        .args(["extract", "--quiet", "--no-builtin", "--dict"])
        .arg(set().join("dict"))
        .args(args)
        .arg(input))
    .stdout
}

fn jsonl() -> PathBuf {
    set().join("pages.jsonl")
}

/// Every piece of evidence of a graph as (doc, url or None), with its edge's source.
fn evidence(g: &Value) -> Vec<(String, String, Option<String>)> {
    let mut v = Vec::new();
    for e in g["edges"].as_array().expect("edges") {
        for ev in e["evidence"].as_array().expect("evidence") {
            v.push((
                e["source"].as_str().unwrap_or_default().to_string(),
                ev["doc"].as_str().unwrap_or_default().to_string(),
                ev.get("url")
                    .map(|u| u.as_str().expect("a url is a string").to_string()),
            ));
        }
    }
    v
}

fn url_of(doc: &str) -> Option<String> {
    match doc {
        "lc-0312" => Some(A1.into()),
        "lc-0420" => Some(B2.into()),
        "lc-0603" => Some("javascript:alert(1)".into()),
        _ => None,
    }
}

#[test]
fn json_evidence_carries_the_record_s_url_and_text_files_none() {
    let g: Value = serde_json::from_slice(&extract(&[], &jsonl())).unwrap();
    let ev = evidence(&g);
    // All four records gave edges; three with an address.
    let docs: std::collections::BTreeSet<&str> = ev.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        docs.into_iter().collect::<Vec<_>>(),
        ["lc-0312", "lc-0420", "lc-0515", "lc-0603"]
    );
    for (_, doc, url) in &ev {
        assert_eq!(*url, url_of(doc), "{doc}");
    }
    // The companion's evidence too.
    assert!(
        ev.iter()
            .any(|(s, d, u)| s == "ji-shuyao" && d == "lc-0312" && u.as_deref() == Some(A1))
    );
    // `url` comes last in an evidence object, after `marks`.
    let text = String::from_utf8(extract(&[], &jsonl())).unwrap();
    assert!(text.contains(&format!(
        "\n          }},\n          \"url\": \"{A1}\"\n        }}"
    )));

    // The same stories as plain files: the same edges, and no `url` key anywhere.
    let out = extract(&[], &set().join("texts"));
    let t: Value = serde_json::from_slice(&out).unwrap();
    let ev = evidence(&t);
    assert!(ev.len() >= 4, "{ev:?}");
    assert!(ev.iter().all(|e| e.2.is_none()));
    assert!(!String::from_utf8(out).unwrap().contains("\"url\""));
}

#[test]
fn the_url_survives_the_spill_to_disk() {
    let d = tempfile::tempdir().unwrap();
    let tmp = d.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let run = |extra: &[&str]| {
        let o = ok(bin()
            .env("TMPDIR", &tmp)
            .args(["extract", "--quiet", "--stats", "--no-builtin", "--dict"])
            .arg(set().join("dict"))
            .args(extra)
            .arg(jsonl()));
        let stats: Value = String::from_utf8_lossy(&o.stderr)
            .lines()
            .find_map(|l| serde_json::from_str(l).ok())
            .expect("a --stats line");
        (o.stdout, stats)
    };
    let (plain, s) = run(&[]);
    assert_eq!(s["spilled_runs"], 0);
    // A limit of a few bytes spills after every batch; one job makes every page a batch.
    let (spilled, s) = run(&["--spill-limit", "1", "--jobs", "1"]);
    assert!(s["spilled_runs"].as_u64() >= Some(2), "{s}");
    assert!(plain == spilled, "the bytes differ after a spill");
    let g: Value = serde_json::from_slice(&spilled).unwrap();
    let ev = evidence(&g);
    assert!(ev.iter().any(|e| e.2.as_deref() == Some(B2)));
    for (_, doc, url) in &ev {
        assert_eq!(*url, url_of(doc), "{doc}");
    }
    // The events table sorts through runs of its own: the url is in them too.
    let csv = |extra: &[&str]| run(&[&["--format", "events-csv"], extra].concat()).0;
    let events = csv(&[]);
    assert!(events == csv(&["--spill-limit", "1", "--jobs", "1"]));
    assert!(String::from_utf8(events).unwrap().contains(A1));
}

#[test]
fn the_events_table_has_a_url_column_after_the_evidence() {
    let (header, rows) = read_csv(&extract(&["--format", "events-csv"], &jsonl()));
    // `url` came after `evidence`, and later columns after it: none before moves.
    assert_eq!(header[10..], ["evidence", "url", "date_source", "text"]);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (doc, url, acc) = (col("doc"), col("url"), col("accompanying_ids"));
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert_eq!(
            Some(r[url].clone()),
            url_of(&r[doc]).or(Some(String::new()))
        );
    }
    let first = rows.iter().find(|r| r[doc] == "lc-0312").unwrap();
    assert_eq!(
        (first[acc].as_str(), first[url].as_str()),
        ("ji-shuyao", A1)
    );

    // JSON Lines: `url` when the record had one, no key otherwise.
    let out = extract(&["--format", "events-jsonl"], &jsonl());
    let events: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 4);
    for e in &events {
        let doc = e["doc"].as_str().unwrap();
        assert_eq!(
            e.get("url").and_then(Value::as_str).map(String::from),
            url_of(doc)
        );
    }

    // Plain files: the column is there, empty.
    let (header, rows) = read_csv(&extract(&["--format", "events-csv"], &set().join("texts")));
    let url = header.iter().position(|h| h == "url").expect("url column");
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r[url].is_empty()));
}

#[test]
fn cytoscape_and_neo4j_evidence_carry_the_url() {
    let g: Value = serde_json::from_slice(&extract(&["--format", "cytoscape"], &jsonl())).unwrap();
    let edges: Vec<&Value> = g["elements"]["edges"].as_array().unwrap().iter().collect();
    assert_eq!(edges.len(), 5);
    let with = edges
        .iter()
        .filter(|e| e["data"].get("urls").is_some())
        .count();
    assert_eq!(with, 4);
    for e in &edges {
        let d = &e["data"];
        let docs = d["docs"].as_array().unwrap();
        let want: Vec<Option<String>> = docs.iter().map(|x| url_of(x.as_str().unwrap())).collect();
        // `urls` beside `docs` when some evidence of the edge has an address ("" for none).
        match d.get("urls") {
            None => assert!(want.iter().all(Option::is_none), "{d}"),
            Some(urls) => {
                let urls: Vec<&str> = urls
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(Value::as_str)
                    .collect();
                let want: Vec<String> = want.into_iter().map(Option::unwrap_or_default).collect();
                assert_eq!(urls, want);
            }
        }
    }
    let t: Value =
        serde_json::from_slice(&extract(&["--format", "cytoscape"], &set().join("texts"))).unwrap();
    assert!(
        t["elements"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["data"].get("urls").is_none())
    );

    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("neo");
    ok(bin()
        .args(["extract", "--quiet", "--no-builtin", "--dict"])
        .arg(set().join("dict"))
        .args(["--format", "neo4j", "-o"])
        .arg(&out)
        .arg(jsonl()));
    let (header, rows) = read_csv(&std::fs::read(out.join("relationships.csv")).unwrap());
    let ev = header.iter().position(|h| h == "evidence").unwrap();
    let mut seen = 0;
    for r in &rows {
        let list: Vec<Value> = serde_json::from_str(&r[ev]).unwrap();
        for e in list {
            let doc = e["doc"].as_str().unwrap();
            assert_eq!(
                e.get("url").and_then(Value::as_str).map(String::from),
                url_of(doc)
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 6);
}

#[test]
fn merge_keeps_and_diff_compares_the_url() {
    let d = tempfile::tempdir().unwrap();
    // Two shards: the records split in two files.
    let lines: Vec<String> = std::fs::read_to_string(jsonl())
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let mut shards = Vec::new();
    for (i, part) in lines.chunks(2).enumerate() {
        let input = d.path().join(format!("part{i}.jsonl"));
        std::fs::write(&input, part.join("\n") + "\n").unwrap();
        let shard = d.path().join(format!("shard{i}.json"));
        std::fs::write(&shard, extract(&[], &input)).unwrap();
        shards.push(shard);
    }
    let merged = ok(bin().arg("merge").args(&shards)).stdout;
    let whole = extract(&[], &jsonl());
    assert!(merged == whole, "merged shards differ from one run");

    // The same graph but one page's address changed: diff sees the edges that changed.
    let old = d.path().join("old.json");
    std::fs::write(&old, &whole).unwrap();
    let moved = String::from_utf8(whole)
        .unwrap()
        .replace(B2, "https://news.lanchuan.example/moved/b2.html");
    let new = d.path().join("new.json");
    std::fs::write(&new, moved).unwrap();
    let o = common::run(bin().arg("diff").arg(&old).arg(&new));
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("~ edge lou-chengze -[visited]-> qinghe"),
        "{out}"
    );
    assert!(out.contains("edges +0 -0 ~1"), "{out}");
}
