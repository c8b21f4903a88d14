//! Every `--format` read back by an independent reader: networkx (`node_link_graph`,
//! `cytoscape_graph`, `read_graphml`, `read_gexf`), `xmllint`, Graphviz `dot`, the csv crate,
//! and headless Chromium for the HTML page. Counts and attribute values are compared with
//! the `visitgraph/1` JSON of the same run. A missing reader fails the test: `.ci/run`
//! installs them all (`VISITGRAPH_PYTHON` names a python with networkx, default `python3`;
//! `VISITGRAPH_CHROMIUM` the browser, default `chromium`).

mod common;
use common::*;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// `extract --no-builtin --dict DICT ARGS… INPUT` on stdout.
fn extract_with(dict: &Path, input: &Path, args: &[&str]) -> Vec<u8> {
    ok(bin()
        .args(["extract", "--no-builtin", "--dict"])
        .arg(dict)
        .args(args)
        .arg(input))
    .stdout
}

/// The fixtures in one format.
fn extract(args: &[&str]) -> Vec<u8> {
    extract_with(&fixtures().join("dict"), &fixtures().join("texts"), args)
}

/// The fixtures as `visitgraph/1` JSON.
fn graph_json(args: &[&str]) -> Value {
    let mut a = vec!["--format", "json"];
    a.extend_from_slice(args);
    serde_json::from_slice(&extract(&a)).expect("visitgraph/1 JSON")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Run a Python script (with networkx) on files; it prints one JSON value.
fn python(script: &str, files: &[&Path]) -> Value {
    let py = std::env::var("VISITGRAPH_PYTHON").unwrap_or_else(|_| "python3".into());
    let o = Command::new(&py)
        .arg("-c")
        .arg(script)
        .args(files)
        .output()
        .unwrap_or_else(|e| {
            panic!("{py} runs ({e}); set VISITGRAPH_PYTHON to a python with networkx")
        });
    assert!(
        o.status.success(),
        "{py} failed (is networkx installed? .ci/run makes a venv):\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("the script prints JSON")
}

fn xmllint(path: &Path) {
    let o = Command::new("xmllint")
        .arg("--noout")
        .arg(path)
        .output()
        .expect("xmllint is installed (Debian libxml2-utils; .ci/run installs it)");
    assert!(
        o.status.success(),
        "xmllint: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn dot_svg(dot: &[u8]) -> String {
    let mut c = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is installed (.ci/run installs it)");
    c.stdin.take().unwrap().write_all(dot).unwrap();
    let o = c.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// What the JSON says: node id → name, and (source, target) → (relation, weight, dates).
struct Expect {
    names: BTreeMap<String, String>,
    edges: BTreeMap<(String, String), (String, u64, Vec<String>)>,
}

fn expect(g: &Value) -> Expect {
    let s = |v: &Value| v.as_str().unwrap().to_string();
    let names = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (s(&n["id"]), s(&n["name"])))
        .collect();
    let edges: BTreeMap<_, _> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                (s(&e["source"]), s(&e["target"])),
                (
                    s(&e["relation"]),
                    e["weight"].as_u64().unwrap(),
                    e["dates"].as_array().unwrap().iter().map(s).collect(),
                ),
            )
        })
        .collect();
    assert_eq!(
        edges.len(),
        g["edges"].as_array().unwrap().len(),
        "one edge per pair"
    );
    Expect { names, edges }
}

/// Prints nodes {id: {attrs}} and edges [[u, v, {attrs}]] of the graph a reader built.
const DUMP: &str = r#"
def dump(g):
    import json
    conv = lambda d: {k: (list(map(list, v)) if k == "spells" else v) for k, v in d.items() if k != "viz"}
    print(json.dumps({"class": type(g).__name__,
        "nodes": {str(n): conv(d) for n, d in g.nodes(data=True)},
        "edges": [[str(u), str(v), conv(d)] for u, v, d in g.edges(data=True)]}))
"#;

#[test]
fn json_builds_a_networkx_digraph_as_it_is() {
    let d = tempfile::tempdir().unwrap();
    let bytes = extract(&["--format", "json"]);
    let g: Value = serde_json::from_slice(&bytes).unwrap();
    let want = expect(&g);
    let f = write(d.path(), "g.json", &bytes);
    let got = python(
        &format!(
            "{DUMP}\nimport sys, json, networkx as nx\n\
             dump(nx.node_link_graph(json.load(open(sys.argv[1], encoding='utf-8')), edges='edges'))"
        ),
        &[&f],
    );
    assert_eq!(got["class"], "DiGraph", "directed, not a multigraph");
    assert_eq!(g["multigraph"], false);
    assert_eq!(got["nodes"].as_object().unwrap().len(), want.names.len());
    assert_eq!(got["edges"].as_array().unwrap().len(), want.edges.len());
    for (id, name) in &want.names {
        assert_eq!(got["nodes"][id]["name"], name.as_str());
    }
    for e in got["edges"].as_array().unwrap() {
        let key = (e[0].as_str().unwrap().into(), e[1].as_str().unwrap().into());
        let (rel, w, dates) = &want.edges[&key];
        assert_eq!(e[2]["relation"], rel.as_str());
        assert_eq!(e[2]["weight"], *w);
        assert_eq!(e[2]["dates"], serde_json::json!(dates));
    }
}

#[test]
fn cytoscape_elements_read_back_with_networkx() {
    let d = tempfile::tempdir().unwrap();
    let want = expect(&graph_json(&[]));
    let bytes = extract(&["--format", "cytoscape"]);
    let cy: Value = serde_json::from_slice(&bytes).unwrap();
    let nodes = cy["elements"]["nodes"].as_array().unwrap();
    let edges = cy["elements"]["edges"].as_array().unwrap();
    assert!(nodes.iter().all(|n| n["data"]["id"].is_string()));
    let ids: BTreeSet<&str> = edges
        .iter()
        .map(|e| e["data"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), edges.len(), "edge ids are unique");
    let f = write(d.path(), "g.cyjs", &bytes);
    let got = python(
        &format!(
            "{DUMP}\nimport sys, json, networkx as nx\n\
             dump(nx.cytoscape_graph(json.load(open(sys.argv[1], encoding='utf-8'))))"
        ),
        &[&f],
    );
    assert_eq!(got["class"], "DiGraph");
    assert_eq!(got["nodes"].as_object().unwrap().len(), want.names.len());
    assert_eq!(got["edges"].as_array().unwrap().len(), want.edges.len());
    for (id, name) in &want.names {
        assert_eq!(got["nodes"][id]["name"], name.as_str());
    }
    for e in got["edges"].as_array().unwrap() {
        let key = (e[0].as_str().unwrap().into(), e[1].as_str().unwrap().into());
        let (rel, w, dates) = &want.edges[&key];
        assert_eq!(e[2]["relation"], rel.as_str());
        assert_eq!(e[2]["weight"], *w);
        assert_eq!(e[2]["dates"], serde_json::json!(dates));
        assert_eq!(
            e[2]["sentences"].as_array().unwrap().len() as u64,
            *w,
            "one sentence per piece of evidence"
        );
    }
}

#[test]
fn graphml_is_well_formed_and_networkx_reads_typed_attributes() {
    let d = tempfile::tempdir().unwrap();
    let g = graph_json(&[]);
    let want = expect(&g);
    let f = write(d.path(), "g.graphml", &extract(&["--format", "graphml"]));
    xmllint(&f);
    let got = python(
        &format!(
            "{DUMP}\nimport sys, networkx as nx\n\
             g = nx.read_graphml(sys.argv[1])\n\
             assert all(type(d['weight']) is int for _, _, d in g.edges(data=True)), 'weight is an int'\n\
             dump(g)"
        ),
        &[&f],
    );
    assert_eq!(got["class"], "DiGraph");
    assert_eq!(got["nodes"].as_object().unwrap().len(), want.names.len());
    assert_eq!(got["edges"].as_array().unwrap().len(), want.edges.len());
    let types: BTreeMap<&str, &str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n["type"].as_str().unwrap()))
        .collect();
    for (id, name) in &want.names {
        assert_eq!(got["nodes"][id]["label"], name.as_str());
        assert_eq!(got["nodes"][id]["type"], types[id.as_str()]);
    }
    for e in got["edges"].as_array().unwrap() {
        let key = (e[0].as_str().unwrap().into(), e[1].as_str().unwrap().into());
        let (rel, w, dates) = &want.edges[&key];
        assert_eq!(e[2]["relation"], rel.as_str());
        assert_eq!(e[2]["weight"], *w);
        if dates.is_empty() {
            assert!(e[2].get("dates").is_none());
        } else {
            assert_eq!(e[2]["dates"], dates.join(" "));
            assert_eq!(e[2]["first_date"], dates[0].as_str());
        }
    }
}

#[test]
fn gexf_is_well_formed_and_edges_keep_their_dates_as_spells() {
    let d = tempfile::tempdir().unwrap();
    let want = expect(&graph_json(&[]));
    let bytes = extract(&["--format", "gexf"]);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("xmlns=\"http://gexf.net/1.3\"") && text.contains("version=\"1.3\""));
    let f = write(d.path(), "g.gexf", &bytes);
    xmllint(&f);
    let got = python(
        &format!(
            "{DUMP}\nimport sys, networkx as nx\n\
             g = nx.read_gexf(sys.argv[1])\n\
             assert g.graph['mode'] == 'dynamic'\n\
             dump(g)"
        ),
        &[&f],
    );
    assert!(got["class"].as_str().unwrap().contains("DiGraph"));
    assert_eq!(got["nodes"].as_object().unwrap().len(), want.names.len());
    assert_eq!(got["edges"].as_array().unwrap().len(), want.edges.len());
    for (id, name) in &want.names {
        assert_eq!(got["nodes"][id]["label"], name.as_str());
    }
    let mut spelled = 0;
    for e in got["edges"].as_array().unwrap() {
        let key = (e[0].as_str().unwrap().into(), e[1].as_str().unwrap().into());
        let (rel, w, dates) = &want.edges[&key];
        assert_eq!(e[2]["label"], rel.as_str());
        assert_eq!(e[2]["relation"], rel.as_str());
        assert_eq!(e[2]["weight"].as_f64().unwrap(), *w as f64);
        let spells: Vec<(String, String)> = e[2]
            .get("spells")
            .map(|s| serde_json::from_value(s.clone()).unwrap())
            .unwrap_or_default();
        let expected: Vec<(String, String)> =
            dates.iter().map(|d| (d.clone(), d.clone())).collect();
        assert_eq!(spells, expected, "{key:?}");
        spelled += usize::from(!spells.is_empty());
    }
    assert!(spelled > 0);
}

#[test]
fn dot_clusters_by_place_and_renders() {
    let bytes = extract(&["--format", "dot"]);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let svg = dot_svg(&bytes);
    let clusters = text.matches("subgraph \"cluster_").count();
    assert!(clusters >= 5, "{clusters} clusters");
    assert_eq!(svg.matches("class=\"cluster\"").count(), clusters);
    assert!(
        svg.contains("宜昌市"),
        "a cluster is labelled with its place"
    );
    assert!(text.contains("fontname=\"Noto Sans CJK SC"));
    assert!(text.contains("2023-08-09"), "dates on edges");
}

#[test]
fn neo4j_folder_has_import_headers_and_one_row_per_node_and_edge() {
    let d = tempfile::tempdir().unwrap();
    let want = expect(&graph_json(&[]));
    let out = d.path().join("neo4j");
    for _ in 0..2 {
        // The second run replaces the folder the first one wrote.
        ok(bin()
            .args(["extract", "--no-builtin", "--format", "neo4j", "--dict"])
            .arg(fixtures().join("dict"))
            .arg("-o")
            .arg(&out)
            .arg(fixtures().join("texts")));
    }
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["nodes.csv", "relationships.csv"]);
    let (head, rows) = read_csv(&std::fs::read(out.join("nodes.csv")).unwrap());
    assert_eq!(head[..5], ["id:ID", ":LABEL", "name", "type", "aliases"]);
    assert_eq!(rows.len(), want.names.len());
    for r in &rows {
        assert_eq!(want.names[&r[0]], r[2]);
        assert!(["Official", "Organization", "Place"].contains(&r[1].as_str()));
    }
    let (head, rows) = read_csv(&std::fs::read(out.join("relationships.csv")).unwrap());
    assert_eq!(
        head,
        [
            ":START_ID",
            ":END_ID",
            ":TYPE",
            "weight:int",
            "dates:date[]",
            "evidence"
        ]
    );
    assert_eq!(rows.len(), want.edges.len());
    for r in &rows {
        let (rel, w, dates) = &want.edges[&(r[0].clone(), r[1].clone())];
        assert_eq!(r[2], rel.to_uppercase());
        assert_eq!(r[3], w.to_string());
        assert_eq!(r[4], dates.join(";"));
        let ev: Vec<Value> = serde_json::from_str(&r[5]).unwrap();
        assert_eq!(ev.len() as u64, *w);
    }

    // A folder needs -o; a folder holding anything else is not replaced.
    let o = bin()
        .args(["extract", "--no-builtin", "--format", "neo4j", "--dict"])
        .arg(fixtures().join("dict"))
        .arg(fixtures().join("texts"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("-o DIR"));
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = bin()
        .args(["extract", "--no-builtin", "--format", "neo4j", "--dict"])
        .arg(fixtures().join("dict"))
        .arg("-o")
        .arg(&out)
        .arg(fixtures().join("texts"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn events_are_one_row_per_visitor_document_and_date() {
    let g = graph_json(&[]);
    // Expected events, from the JSON: visited evidence grouped by (doc, date, visitor).
    let mut groups: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    let mut companions: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    for e in g["edges"].as_array().unwrap() {
        for ev in e["evidence"].as_array().unwrap() {
            let doc = ev["doc"].as_str().unwrap().to_string();
            let date = ev["date"].as_str().unwrap_or("").to_string();
            let (s, t) = (
                e["source"].as_str().unwrap().to_string(),
                e["target"].as_str().unwrap().to_string(),
            );
            if e["relation"] == "visited" {
                groups.entry((doc, date, s)).or_default().insert(t);
            } else {
                companions.entry((doc, date, t)).or_default().insert(s);
            }
        }
    }
    let (head, rows) = read_csv(&extract(&["--format", "events-csv"]));
    assert_eq!(
        head,
        [
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
            "url",
            "date_source",
            "text"
        ]
    );
    let c = |name: &str| head.iter().position(|h| h == name).expect("column");
    assert_eq!(rows.len(), groups.len());
    // Plain files have no address: the column is there, empty.
    assert!(rows.iter().all(|r| r[c("url")].is_empty()));
    for r in &rows {
        let key = (
            r[c("doc")].clone(),
            r[c("date")].clone(),
            r[c("visitor_id")].clone(),
        );
        let targets: Vec<&str> = groups[&key].iter().map(String::as_str).collect();
        assert_eq!(r[c("target_ids")], targets.join(";"));
        let comp: Vec<&str> = companions
            .get(&key)
            .map(|c| c.iter().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(r[c("accompanying_ids")], comp.join(";"));
        assert!(!r[c("evidence")].is_empty());
        // A date says where it comes from; the readable text marks the visitor or a target.
        assert_eq!(
            r[c("date")].is_empty(),
            r[c("date_source")].is_empty(),
            "{r:?}"
        );
        assert!(["", "text", "published"].contains(&r[c("date_source")].as_str()));
        let tones = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ";
        let text = &r[c("text")];
        assert!(
            text.contains('【') && !text.chars().any(|ch| tones.contains(ch)),
            "{r:?}"
        );
    }
    let dates: Vec<&str> = rows
        .iter()
        .map(|r| r[c("date")].as_str())
        .filter(|d| !d.is_empty())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "in date order");
    let f09 = rows
        .iter()
        .find(|r| r[c("visitor_id")] == "shi-mingxuan" && r[c("doc")] == "F09.txt")
        .unwrap();
    assert_eq!(
        (
            f09[c("date")].as_str(),
            f09[c("target_ids")].as_str(),
            f09[c("places")].as_str(),
            f09[c("accompanying_ids")].as_str()
        ),
        ("2023-08-09", "panxi;xiacheng", "宜昌市", "bai-yuqing")
    );
    // JSON Lines: the same events.
    let jsonl = String::from_utf8(extract(&["--format", "events-jsonl"])).unwrap();
    let lines: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rows.len());
    for (l, r) in lines.iter().zip(&rows) {
        assert_eq!(l["visitor"]["id"], r[c("visitor_id")].as_str());
        assert_eq!(l["doc"], r[c("doc")].as_str());
        assert_eq!(l["date"].as_str().unwrap_or(""), r[c("date")]);
        assert!(
            l["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_string)
        );
    }
}

#[test]
fn filters_narrow_every_format() {
    let all = graph_json(&[]);
    let g = graph_json(&["--since", "2024-01-01", "--until", "2024-12"]);
    let mut kept = 0;
    for e in g["edges"].as_array().unwrap() {
        for ev in e["evidence"].as_array().unwrap() {
            let d = ev["date"].as_str().unwrap();
            assert!(("2024-01-01"..="2024-12-31").contains(&d), "{d}");
            kept += 1;
        }
    }
    let expected = all["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["evidence"].as_array().unwrap())
        .filter(|ev| ev["date"].as_str().is_some_and(|d| d.starts_with("2024")))
        .count();
    assert!(kept > 0 && kept == expected);
    assert!(g["edges"].as_array().unwrap().len() < all["edges"].as_array().unwrap().len());

    let g = graph_json(&["--relation", "accompanied"]);
    assert!(
        g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["relation"] == "accompanied")
    );

    let ids = |g: &Value| -> BTreeSet<String> {
        g["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect()
    };
    let g = graph_json(&["--around", "shi-mingxuan"]);
    assert_eq!(
        ids(&g),
        ["bai-yuqing", "panxi", "shi-mingxuan", "xiacheng"]
            .map(String::from)
            .into()
    );
    let two = graph_json(&["--around", "panxi", "--hops", "2"]);
    assert_eq!(ids(&two), ids(&g));
    let one = graph_json(&["--around", "panxi", "--hops", "1"]);
    assert_eq!(ids(&one).len(), 2);
    // Filters apply to the other formats too.
    let (_, rows) = read_csv(&extract(&["--format", "events-csv", "--around", "panxi"]));
    assert_eq!(rows.len(), 1);

    for (args, msg) in [
        (&["--around", "nobody"][..], "--around `nobody`"),
        (&["--since", "2024-13-01"][..], "--since `2024-13-01`"),
        (&["--since", "2025", "--until", "2024"][..], "is after"),
        (&["--hops", "2"][..], "--around"),
    ] {
        let o = bin()
            .args(["extract", "--no-builtin", "--dict"])
            .arg(fixtures().join("dict"))
            .args(args)
            .arg(fixtures().join("texts"))
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(msg), "{args:?}: {err}");
    }
}

const IMG: &str = "<img src=x onerror=alert(1)>\"&\\";
const SCRIPT: &str = "</script><script>alert(1)</script>&'";

/// The fixture dictionary with an official and a firm renamed to markup (their real names
/// kept as aliases, so the pages still match), and F09 under a hostile file name.
fn hostile(dir: &Path) -> (PathBuf, PathBuf) {
    let dict = dir.join("dict");
    std::fs::create_dir(&dict).unwrap();
    for e in std::fs::read_dir(fixtures().join("dict")).unwrap() {
        let e = e.unwrap();
        let text = std::fs::read_to_string(e.path()).unwrap();
        let text = text
            .replace(
                "shi-mingxuan\t时明轩\t",
                &format!("shi-mingxuan\t{IMG}\t时明轩"),
            )
            .replace(
                "panxi\t湖北磐汐生物医药有限公司\t磐汐生物",
                &format!("panxi\t{SCRIPT}\u{7}\t湖北磐汐生物医药有限公司|磐汐生物"),
            );
        std::fs::write(dict.join(e.file_name()), text).unwrap();
    }
    let texts = dir.join("texts");
    std::fs::create_dir(&texts).unwrap();
    for name in ["F09.txt", "F01.txt"] {
        let to = if name == "F09.txt" {
            "F09 <b>&'\".txt"
        } else {
            name
        };
        std::fs::copy(fixtures().join("texts").join(name), texts.join(to)).unwrap();
    }
    (dict, texts)
}

#[test]
fn hostile_names_survive_every_format_as_text() {
    let d = tempfile::tempdir().unwrap();
    let (dict, texts) = hostile(d.path());
    let json: Value = serde_json::from_slice(&extract_with(&dict, &texts, &[])).unwrap();
    let names = expect(&json).names;
    assert_eq!(names["shi-mingxuan"], IMG);
    assert_eq!(names["panxi"], format!("{SCRIPT}\u{7}"));

    let gm = write(
        d.path(),
        "g.graphml",
        &extract_with(&dict, &texts, &["--format", "graphml"]),
    );
    let gx = write(
        d.path(),
        "g.gexf",
        &extract_with(&dict, &texts, &["--format", "gexf"]),
    );
    xmllint(&gm);
    xmllint(&gx);
    let got = python(
        "import sys, json, networkx as nx\n\
         a = nx.read_graphml(sys.argv[1]); b = nx.read_gexf(sys.argv[2])\n\
         print(json.dumps([a.nodes['shi-mingxuan']['label'], a.nodes['panxi']['label'],\n\
                           b.nodes['shi-mingxuan']['label'], b.nodes['panxi']['label'],\n\
                           sorted(d['docs'] for _, _, d in a.edges(data=True))]))",
        &[&gm, &gx],
    );
    // XML 1.0 cannot carry U+0007: it is dropped; everything else comes back exactly.
    assert_eq!(got[0], IMG);
    assert_eq!(got[1], SCRIPT);
    assert_eq!(got[2], IMG);
    assert_eq!(got[3], SCRIPT);
    assert!(
        got[4].to_string().contains("F09 <b>&'\\\".txt"),
        "{}",
        got[4]
    );

    let svg = dot_svg(&extract_with(&dict, &texts, &["--format", "dot"]));
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!svg.contains("<img"));

    let (head, rows) = read_csv(&extract_with(&dict, &texts, &["--format", "events-csv"]));
    let c = |name: &str| head.iter().position(|h| h == name).expect("column");
    let r = rows
        .iter()
        .find(|r| r[c("visitor_id")] == "shi-mingxuan")
        .unwrap();
    assert_eq!(r[c("visitor")], IMG);
    assert_eq!(r[c("doc")], "F09 <b>&'\".txt");

    let cy: Value =
        serde_json::from_slice(&extract_with(&dict, &texts, &["--format", "cytoscape"])).unwrap();
    assert!(
        cy["elements"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["data"]["name"] == IMG)
    );

    let html = String::from_utf8(extract_with(&dict, &texts, &["--format", "html"])).unwrap();
    assert!(!html.contains("<img"), "no markup from the data");
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data and the page's script"
    );
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(html.contains("\\u003cimg src=x onerror=alert(1)\\u003e"));
}

fn chromium() -> String {
    std::env::var("VISITGRAPH_CHROMIUM").unwrap_or_else(|_| "chromium".into())
}

/// Open a page in headless Chromium and return the DOM after its script ran.
fn dump_dom(page: &Path, fragment: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}#{fragment}", page.display());
    let o = Command::new(chromium())
        .args(common::HEADLESS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "{} runs ({e}); .ci/run installs Debian's chromium",
                chromium()
            )
        });
    assert!(
        o.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let log = String::from_utf8_lossy(&o.stderr);
    for bad in ["Uncaught", "Refused to", "Content Security Policy"] {
        assert!(!log.contains(bad), "the page logged an error:\n{log}");
    }
    let dom = String::from_utf8(o.stdout).unwrap();
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script ran to the end:\n{}",
        &dom[..dom.len().min(2000)]
    );
    dom
}

/// Markup with its tags taken out (a sentence with marked names reads whole again).
fn strip_tags(markup: &str) -> String {
    let mut out = String::with_capacity(markup.len());
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text between `<ol id="evidence">` and `</ol>`.
fn evidence_list(dom: &str) -> &str {
    let start = dom.find("<ol id=\"evidence\">").expect("evidence list");
    let rest = &dom[start..];
    &rest[..rest.find("</ol>").unwrap()]
}

#[test]
fn html_page_works_in_a_real_browser() {
    let d = tempfile::tempdir().unwrap();
    let g = graph_json(&[]);
    let page = write(d.path(), "g.html", &extract(&["--format", "html"]));
    let dom = dump_dom(&page, "select=shi-mingxuan");
    let n = g["nodes"].as_array().unwrap().len();
    let m = g["edges"].as_array().unwrap().len();
    assert_eq!(
        dom.matches("<g class=\"node ").count(),
        n,
        "one node per graph node"
    );
    assert_eq!(dom.matches("<g class=\"edge ").count(), m);
    assert!(dom.contains(&format!("data-nodes=\"{n}\" data-edges=\"{m}\"")));
    // The click selected the node and shows its evidence.
    assert!(dom.contains("data-selected=\"shi-mingxuan\""));
    assert!(dom.contains("class=\"node official selected\""));
    let ev = evidence_list(&dom);
    let want: Vec<&str> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == "shi-mingxuan" || e["target"] == "shi-mingxuan")
        .flat_map(|e| e["evidence"].as_array().unwrap())
        .map(|ev| ev["sentence"].as_str().unwrap())
        .collect();
    assert_eq!(want.len(), 3);
    let shown = strip_tags(ev);
    for s in want {
        assert!(shown.contains(s), "{s} shown");
    }
    assert_eq!(ev.matches("<li").count(), 3);
    // The readable text is shown with the edge's ends marked; the quote as written, when it
    // differs (traditional script, pinyin), behind "as written".
    let mut marked = 0;
    for e in g["edges"].as_array().unwrap() {
        if e["source"] != "shi-mingxuan" && e["target"] != "shi-mingxuan" {
            continue;
        }
        for x in e["evidence"].as_array().unwrap() {
            let shown = x["text"].as_str().or(x["sentence"].as_str());
            let text: Vec<char> = shown.unwrap().chars().collect();
            for (_, m) in x["marks"].as_object().unwrap() {
                let (a, b) = (
                    m[0].as_u64().unwrap() as usize,
                    m[1].as_u64().unwrap() as usize,
                );
                let name: String = text[a..b].iter().collect();
                assert!(
                    ev.contains(&format!("<mark class=\"name\">{name}</mark>")),
                    "{name}"
                );
                marked += 1;
            }
            let differs = x.get("text").is_some();
            assert_eq!(differs, ev.contains("as written"), "{x}");
        }
    }
    assert!(marked >= 3, "{marked} marks");

    // A date range and a search, set through the page's deep link.
    let in_2024 = |ev: &Value| ev["date"].as_str().is_some_and(|d| d.starts_with("2024"));
    let edges: Vec<&Value> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["evidence"].as_array().unwrap().iter().any(in_2024))
        .collect();
    let nodes: BTreeSet<&str> = edges
        .iter()
        .flat_map(|e| [e["source"].as_str().unwrap(), e["target"].as_str().unwrap()])
        .collect();
    assert!(!edges.is_empty() && edges.len() < m);
    let dom = dump_dom(
        &page,
        "from=2024-01-01&to=2024-12-31&q=%E6%97%B6%E6%98%8E%E8%BD%A9",
    );
    assert!(dom.contains(&format!(
        "data-nodes=\"{}\" data-edges=\"{}\"",
        nodes.len(),
        edges.len()
    )));
    let hidden = |kinds: &[&str]| -> usize {
        kinds
            .iter()
            .map(|k| dom.matches(&format!("<g class=\"{k} hidden\"")).count())
            .sum()
    };
    assert_eq!(
        hidden(&["node official", "node organization", "node place"]),
        n - nodes.len()
    );
    assert_eq!(
        hidden(&["edge visited", "edge accompanied"]),
        m - edges.len()
    );
    assert!(dom.contains("<span id=\"search-info\" class=\"info\">0 matches</span>"));
    let dom = dump_dom(&page, "q=%E6%97%B6%E6%98%8E%E8%BD%A9");
    assert!(dom.contains("<span id=\"search-info\" class=\"info\">1 match</span>"));
    assert_eq!(dom.matches(" match\" data-id=").count(), 1);
    assert!(dom.contains("<g class=\"node official match\" data-id=\"shi-mingxuan\""));
}

#[test]
fn html_page_shows_hostile_names_as_text() {
    let d = tempfile::tempdir().unwrap();
    let (dict, texts) = hostile(d.path());
    let page = write(
        d.path(),
        "g.html",
        &extract_with(&dict, &texts, &["--format", "html"]),
    );
    let dom = dump_dom(&page, "select=shi-mingxuan");
    assert!(!dom.contains("<img"), "no img element was created");
    assert_eq!(
        dom.matches("<script").count(),
        2,
        "no script element was created"
    );
    // The name is text: in the node label and the panel title, escaped by the serializer.
    let shown = "&lt;img src=x onerror=alert(1)&gt;\"&amp;\\";
    assert!(
        dom.contains(&format!("<h2 id=\"sel-title\">{shown}</h2>")),
        "title"
    );
    assert!(dom.contains("<text x=") && dom.matches(shown).count() >= 3);
    let ev = evidence_list(&dom);
    assert!(ev.contains("F09 &lt;b&gt;&amp;'\".txt"), "{ev}");
    assert!(strip_tags(ev).contains("副市长柏雨晴陪同调研。"));
}

#[test]
fn candidate_nodes_are_marked_in_dot_and_the_page() {
    // Our discovery pages: every name invented, found by --discover as a candidate.
    let pages = fixtures().join("discover");
    let run = |fmt: &str| {
        ok(bin()
            .args(["extract", "--discover", "--format", fmt])
            .arg(&pages))
        .stdout
    };
    let g: Value = serde_json::from_slice(&run("json")).unwrap();
    let nodes = g["nodes"].as_array().unwrap();
    let cands: BTreeSet<&str> = nodes
        .iter()
        .filter(|n| n["candidate"] == Value::Bool(true))
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    let known: BTreeSet<&str> = nodes
        .iter()
        .filter(|n| n.get("candidate").is_none())
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(
        cands.len() >= 5 && cands.contains("ke-mingyuan"),
        "{cands:?}"
    );
    assert!(
        known.contains("changzhou"),
        "a dictionary place too: {known:?}"
    );

    // DOT: a candidate is dashed and says so; a dictionary node is neither.
    let dot = run("dot");
    let text = String::from_utf8(dot.clone()).unwrap();
    let node_line = |id: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("\"{id}\" [")))
            .unwrap_or_else(|| panic!("{id}'s node line"))
            .to_string()
    };
    for id in &cands {
        let l = node_line(id);
        assert!(
            l.contains("style=\"filled,dashed\"") && l.contains("candidate=true"),
            "{l}"
        );
    }
    for id in &known {
        let l = node_line(id);
        assert!(!l.contains("dashed") && !l.contains("candidate"), "{l}");
    }
    // Graphviz draws them dashed: one dashed outline per candidate node.
    let svg = dot_svg(&dot);
    let dashed_nodes = svg
        .split("<g id=\"node")
        .skip(1)
        .filter(|g| {
            let g = &g[..g.find("</g>").unwrap_or(g.len())];
            g.contains("stroke-dasharray")
        })
        .count();
    assert_eq!(dashed_nodes, cands.len());

    // The page: candidate nodes carry the class the style dashes, the legend says what it
    // means, and the panel says it of the selected node.
    let d = tempfile::tempdir().unwrap();
    let page = write(d.path(), "g.html", &run("html"));
    let dom = dump_dom(&page, "select=ke-mingyuan");
    let node_classes = |dom: &str| -> Vec<String> {
        dom.split("<g class=\"node ")
            .skip(1)
            .map(|r| r[..r.find('"').unwrap()].to_string())
            .collect()
    };
    let marked = node_classes(&dom)
        .iter()
        .filter(|c| c.split(' ').any(|w| w == "candidate"))
        .count();
    assert_eq!(marked, cands.len(), "one mark per candidate node");
    assert!(dom.contains("<g class=\"node official candidate selected\" data-id=\"ke-mingyuan\""));
    assert!(dom.contains("<g class=\"node place\" data-id=\"changzhou\""));
    assert!(dom.contains(
        "<span id=\"key-candidate\" class=\"key candidate\">candidate: discovered, not in a dictionary</span>"
    ));
    assert!(dom.contains("<dt>candidate</dt><dd>discovered, not in a dictionary</dd>"));
    // A graph without candidates keeps the legend entry hidden.
    let plain = write(d.path(), "plain.html", &extract(&["--format", "html"]));
    let dom = dump_dom(&plain, "");
    assert!(dom.contains("<span id=\"key-candidate\" class=\"key candidate hidden\">"));
    let classes = node_classes(&dom);
    assert!(!classes.is_empty() && classes.iter().all(|c| !c.contains("candidate")));
}

#[test]
fn html_evidence_links_to_the_record_s_url() {
    // Our invented JSONL records (`tests/fixtures/provenance`): a page with an address on
    // the web, and one whose `url` is a script (hostile input: shown, never linked).
    let set = fixtures().join("provenance");
    let d = tempfile::tempdir().unwrap();
    let page = write(
        d.path(),
        "g.html",
        &extract_with(
            &set.join("dict"),
            &set.join("pages.jsonl"),
            &["--format", "html"],
        ),
    );
    let dom = dump_dom(&page, "select=lou-chengze");
    let ev = evidence_list(&dom);
    assert_eq!(ev.matches("<li").count(), 2, "{ev}");
    let url = "https://news.lanchuan.example/2025/0420/b2.html";
    assert!(
        ev.contains(&format!(
            "<a class=\"doc\" href=\"{url}\" rel=\"noopener noreferrer\" target=\"_blank\">lc-0420</a>"
        )),
        "{ev}"
    );
    assert_eq!(ev.matches("<a ").count(), 1, "{ev}");
    assert!(
        ev.contains("lc-0603") && !ev.contains("javascript:"),
        "{ev}"
    );
}
