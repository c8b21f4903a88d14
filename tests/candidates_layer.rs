//! `visitgraph candidates -o DIR`: the candidates written as a dictionary layer folder, which
//! `check` passes and which gives `extract --dict DIR` the graph `extract --discover` gives.
//! The pages (`tests/fixtures/discover`) are our own writing, every name in them invented
//! and in no dictionary.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn pages() -> PathBuf {
    fixtures().join("discover")
}

/// The layer files every candidates layer has (a later one may add more, e.g. posts.tsv).
const LAYER_FILES: [&str; 3] = ["officials.tsv", "organizations.tsv", "places.tsv"];

/// The base dictionaries each test runs over: the built-in ones, and our fixture
/// dictionary alone.
fn bases() -> Vec<Vec<String>> {
    let fixture_dict = fixtures().join("dict").display().to_string();
    vec![
        vec![],
        vec!["--no-builtin".into(), "--dict".into(), fixture_dict],
    ]
}

fn graph(args: &[&str], base: &[String]) -> Value {
    let o = ok(bin().arg("extract").args(base).args(args).arg(pages()));
    serde_json::from_slice(&o.stdout).expect("visitgraph/1 JSON")
}

fn edge_keys(g: &Value) -> BTreeSet<(String, String, String)> {
    g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().expect(k).to_string();
            (s("source"), s("target"), s("relation"))
        })
        .collect()
}

/// The file names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_candidates_layer_checks_clean_and_gives_the_discover_graph() {
    for base in bases() {
        let d = tempfile::tempdir().unwrap();
        // Not there yet, nor its parent: created.
        let layer = d.path().join("new").join("layer");
        ok(bin()
            .arg("candidates")
            .args(&base)
            .arg("-o")
            .arg(&layer)
            .arg(pages()));
        let files = listing(&layer);
        for f in LAYER_FILES {
            assert!(files.contains(&f.to_string()), "{f} in {files:?}");
        }
        assert!(
            files
                .iter()
                .all(|f| f.ends_with(".tsv") && !f.starts_with('.')),
            "no temporary file is left: {files:?}"
        );
        let read = |f: &str| std::fs::read_to_string(layer.join(f)).unwrap();
        let officials = read("officials.tsv");
        assert!(officials.starts_with("id\tname\taliases"), "{officials}");
        for row in [
            "ke-mingyuan\t柯明远\t\ttrue",
            "wei-sicheng\t韦思成\t\ttrue",
            "qiu-jiahe\t仇嘉禾\t\ttrue",
        ] {
            assert!(officials.lines().any(|l| l == row), "{row} in\n{officials}");
        }
        assert!(read("organizations.tsv").contains("\t苏州芯岚微电子有限公司\t"));
        assert!(read("places.tsv").contains("\t白沙溪镇\t"));

        // `check` passes on the layer alone over the base, and over the built-in one.
        ok(bin().arg("check").args(&base).arg("--dict").arg(&layer));
        ok(bin().arg("check").arg("--dict").arg(&layer));

        // The layer laid on top gives the edges --discover gives: the same ids and
        // relations, and (the same dictionary, so) the same evidence and nodes.
        let layer_arg = layer.display().to_string();
        let with_layer = graph(&["--dict", &layer_arg], &base);
        let discovered = graph(&["--discover"], &base);
        let keys = edge_keys(&with_layer);
        assert_eq!(keys, edge_keys(&discovered), "base {base:?}");
        assert_eq!(with_layer["edges"], discovered["edges"], "base {base:?}");
        assert_eq!(with_layer["nodes"], discovered["nodes"], "base {base:?}");
        for want in [
            (
                "ke-mingyuan",
                "su-zhou-xin-lan-wei-dian-zi-you-xian-gong-si",
                "visited",
            ),
            ("wei-sicheng", "ke-mingyuan", "accompanied"),
            ("nie-qinghe", "bai-sha-xi-zhen", "visited"),
        ] {
            let k = (want.0.into(), want.1.into(), want.2.into());
            assert!(keys.contains(&k), "{want:?} in {keys:?} (base {base:?})");
        }
        // Where discovery also gives posts (a title seen with its place: 宜兴市委书记蒯承宇、
        // 市长訾云舟), the layer carries them, and a title-only visitor (市长一行) resolves
        // through them with the layer as with --discover.
        if files.iter().any(|f| f == "posts.tsv") && base.is_empty() {
            let posts = read("posts.tsv");
            assert!(
                posts.lines().any(|l| l.starts_with("zi-yunzhou\t市长\t")),
                "{posts}"
            );
            assert!(
                keys.iter()
                    .any(|(s, t, r)| s == "zi-yunzhou" && t.contains("tao-dou") && r == "visited"),
                "{keys:?}"
            );
        }
        let node = with_layer["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == "ke-mingyuan")
            .expect("柯明远's node");
        assert_eq!(node["candidate"], Value::Bool(true));
    }
}

#[test]
fn min_count_holds_for_the_layer() {
    // What discovery counts is its own business (and changes as it learns): the listing
    // says it, and the layer must keep exactly the listed names seen twice or more.
    let o = ok(bin().args(["candidates", "--format", "json"]).arg(pages()));
    let listed: Vec<Value> = serde_json::from_slice(&o.stdout).expect("JSON listing");
    let file_of = |kind: &str| match kind {
        "official" => Some("officials.tsv"),
        "organization" => Some("organizations.tsv"),
        "place" => Some("places.tsv"),
        _ => None, // executives are not written to a layer
    };
    let want = |file: &str| -> BTreeSet<String> {
        listed
            .iter()
            .filter(|c| file_of(c["kind"].as_str().unwrap()) == Some(file))
            .filter(|c| c["count"].as_u64().unwrap() >= 2)
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let count = |id: &str| {
        listed
            .iter()
            .find(|c| c["id"] == id)
            .and_then(|c| c["count"].as_u64())
            .unwrap_or_else(|| panic!("{id} listed"))
    };
    // The threshold cuts: 柯明远 is named three times, 仇嘉禾 once.
    assert!(count("ke-mingyuan") >= 2 && count("qiu-jiahe") == 1);

    let d = tempfile::tempdir().unwrap();
    let layer = d.path().join("layer");
    ok(bin()
        .args(["candidates", "--min-count", "2", "-o"])
        .arg(&layer)
        .arg(pages()));
    let ids = |f: &str| -> BTreeSet<String> {
        std::fs::read_to_string(layer.join(f))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    for f in LAYER_FILES {
        assert_eq!(ids(f), want(f), "{f}");
    }
    assert!(ids("officials.tsv").contains("ke-mingyuan"));
    assert!(!ids("officials.tsv").contains("qiu-jiahe"));
    // Every file of the layer is written, with its header, even when no row is left
    // (白沙溪镇 is the only place, named once).
    assert_eq!(count("bai-sha-xi-zhen"), 1);
    assert_eq!(
        std::fs::read_to_string(layer.join("places.tsv"))
            .unwrap()
            .lines()
            .count(),
        1
    );
}

#[test]
fn an_existing_layer_is_refused_unless_forced() {
    let d = tempfile::tempdir().unwrap();
    let layer = d.path().join("layer");
    std::fs::create_dir(&layer).unwrap();
    let mine = "id\tname\taliases\nmy-own\t自己的\t\n";
    std::fs::write(layer.join("officials.tsv"), mine).unwrap();
    std::fs::write(layer.join("notes.txt"), "keep me").unwrap();
    let o = run(bin().arg("candidates").arg("-o").arg(&layer).arg(pages()));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(&layer.display().to_string()) && err.contains("officials.tsv"),
        "names the folder and the file: {err}"
    );
    assert!(err.contains("--force"), "says how to go on: {err}");
    assert_eq!(
        std::fs::read_to_string(layer.join("officials.tsv")).unwrap(),
        mine
    );
    assert_eq!(listing(&layer), ["notes.txt", "officials.tsv"]);

    // --force replaces the layer's files and leaves the others alone.
    ok(bin()
        .args(["candidates", "--force", "-o"])
        .arg(&layer)
        .arg(pages()));
    let officials = std::fs::read_to_string(layer.join("officials.tsv")).unwrap();
    assert!(!officials.contains("my-own") && officials.contains("ke-mingyuan"));
    assert_eq!(
        std::fs::read_to_string(layer.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert!(listing(&layer).iter().all(|f| !f.starts_with('.')));

    // A folder without any layer file is written into without --force.
    let other = d.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("README"), "x").unwrap();
    ok(bin().arg("candidates").arg("-o").arg(&other).arg(pages()));
    assert!(other.join("organizations.tsv").is_file());
}

#[test]
fn unusable_outputs_are_one_line_errors() {
    let d = tempfile::tempdir().unwrap();
    // -o names a file, not a folder.
    let file = d.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = run(bin().arg("candidates").arg("-o").arg(&file).arg(pages()));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("a-file"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    // A layer file that is a folder is refused even with --force (before any is written).
    let layer = d.path().join("layer");
    std::fs::create_dir_all(layer.join("places.tsv")).unwrap();
    let o = run(bin()
        .args(["candidates", "--force", "-o"])
        .arg(&layer)
        .arg(pages()));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("places.tsv"), "{}", stderr(&o));
    assert_eq!(listing(&layer), ["places.tsv"], "nothing written");
    // -o writes a layer, not a listing: --format makes no sense with it; --force needs -o.
    for args in [
        vec!["candidates", "--format", "json", "-o", "x"],
        vec!["candidates", "--force"],
    ] {
        let o = run(bin().current_dir(d.path()).args(&args).arg(pages()));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    assert!(!d.path().join("x").exists());
}

#[test]
fn help_documents_the_layer_folder() {
    let o = ok(bin().args(["candidates", "--help"]));
    let s = String::from_utf8_lossy(&o.stdout);
    for want in [
        "-o, --output <DIR>",
        "--force",
        "check --dict DIR",
        "--min-count",
    ] {
        assert!(s.contains(want), "{want} in\n{s}");
    }
}
