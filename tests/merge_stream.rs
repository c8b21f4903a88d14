//! `visitgraph merge` streams: shards extracted from the fixture pages merge to the bytes of
//! one run whatever their order, key order or the fan-in, and a bad shard is named (with
//! its line) without leaving output behind.

mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

fn texts() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("texts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn extract(pages: &[PathBuf], out: Option<&Path>) -> Output {
    let mut c = bin();
    c.args(["extract", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"));
    if let Some(out) = out {
        c.arg("-o").arg(out);
    }
    ok(c.args(pages))
}

/// One shard per fixture page (and the plain run over all of them).
fn shards(dir: &Path) -> (Vec<PathBuf>, Vec<u8>) {
    let pages = texts();
    let shards: Vec<PathBuf> = pages
        .iter()
        .enumerate()
        .map(|(k, page)| {
            let out = dir.join(format!("shard{k:02}.json"));
            extract(std::slice::from_ref(page), Some(&out));
            out
        })
        .collect();
    (shards, extract(&pages, None).stdout)
}

fn merged_in_process(shards: &[PathBuf], fan_in: usize) -> Vec<u8> {
    let mut out = Vec::new();
    visitgraph::corpus::merge::write_merged_with(shards, fan_in, &mut out).unwrap();
    out
}

/// A one-line error naming `file`, exit status 2.
fn refused(o: &Output, file: &Path) -> String {
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// No output file, and no temporary file left beside it.
fn nothing_written(dir: &Path, out: &Path) {
    assert!(!out.exists());
    let left: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn fixture_shards_merge_to_the_bytes_of_one_run() {
    let d = tempfile::tempdir().unwrap();
    let (mut shards, one) = shards(d.path());
    assert!(shards.len() >= 10);
    let edges = serde_json::from_slice::<Value>(&one).unwrap()["edges"]
        .as_array()
        .unwrap()
        .len();
    assert!(edges > 10, "the fixtures give edges: {edges}");
    let merged = ok(bin().arg("merge").args(&shards)).stdout;
    assert!(merged == one, "merge differs from one run");
    // Any order, any fan-in (several levels of temporary files at 2), to a file.
    shards.reverse();
    let out = d.path().join("merged.json");
    ok(bin().arg("merge").args(&shards).arg("-o").arg(&out));
    assert!(std::fs::read(&out).unwrap() == one);
    for fan_in in [2, 3, 5] {
        assert!(merged_in_process(&shards, fan_in) == one, "fan-in {fan_in}");
    }
    // One shard alone is itself; a merged graph is a shard.
    assert!(ok(bin().arg("merge").arg(&out)).stdout == one);
    let half = shards.len() / 2;
    let (a, b) = (d.path().join("a.json"), d.path().join("b.json"));
    ok(bin().arg("merge").args(&shards[..half]).arg("-o").arg(&a));
    ok(bin().arg("merge").args(&shards[half..]).arg("-o").arg(&b));
    assert!(ok(bin().arg("merge").arg(&b).arg(&a)).stdout == one);
}

#[test]
fn key_order_and_layout_do_not_matter() {
    let d = tempfile::tempdir().unwrap();
    let (shards, one) = shards(d.path());
    // The top-level keys reversed (`edges` first, `format` last) and each edge's (the merge
    // rebuilds edges; nodes, meta and evidence are copied as they are), written compact.
    fn reversed(v: Value) -> Value {
        let Value::Object(m) = v else { return v };
        let mut entries: Vec<(String, Value)> = m.into_iter().collect();
        entries.reverse();
        Value::Object(entries.into_iter().collect())
    }
    let moved: Vec<PathBuf> = shards
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut g: Value = serde_json::from_slice(&std::fs::read(s).unwrap()).unwrap();
            for e in g["edges"].as_array_mut().unwrap() {
                *e = reversed(e.take());
            }
            let text = serde_json::to_string(&reversed(g)).unwrap();
            assert!(text.starts_with("{\"edges\""), "{}", &text[..20]);
            let p = d.path().join(format!("moved{k:02}.json"));
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    assert!(ok(bin().arg("merge").args(&moved)).stdout == one);
    // Mixed with shards as written.
    let mixed: Vec<PathBuf> = shards
        .iter()
        .zip(&moved)
        .enumerate()
        .map(|(k, (s, m))| if k % 2 == 0 { s.clone() } else { m.clone() })
        .collect();
    assert!(ok(bin().arg("merge").args(&mixed)).stdout == one);
    assert!(merged_in_process(&mixed, 2) == one);
}

#[test]
fn a_bad_shard_is_named_and_nothing_is_written() {
    let d = tempfile::tempdir().unwrap();
    let (shards, _) = shards(d.path());
    let out = d.path().join("out.json");
    let merge_to_out = |bad: &Path| {
        let mut args = shards.clone();
        args.insert(1, bad.to_path_buf());
        bin()
            .arg("merge")
            .args(&args)
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap()
    };
    // Not JSON: file and line.
    let text = std::fs::read_to_string(&shards[0]).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[4] = "  \"meta\" {";
    let bad = d.path().join("bad.json");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let err = refused(&merge_to_out(&bad), &bad);
    assert!(err.contains(": line 5: not JSON: "), "{err}");
    nothing_written(d.path(), &out);
    // Truncated in the middle of its edges, after the others began to stream.
    let big = shards
        .iter()
        .max_by_key(|s| std::fs::metadata(s).unwrap().len())
        .unwrap();
    let text = std::fs::read_to_string(big).unwrap();
    let edges_at = text.find("\"edges\"").unwrap();
    let cut_at = edges_at + (text.len() - edges_at) / 2;
    let cut = d.path().join("cut.json");
    std::fs::write(&cut, &text.as_bytes()[..cut_at]).unwrap();
    let err = refused(&merge_to_out(&cut), &cut);
    assert!(err.contains("not JSON: EOF while parsing"), "{err}");
    nothing_written(d.path(), &out);
    // Not a graph; missing.
    let other = d.path().join("other.json");
    std::fs::write(&other, r#"{"format": "something/2", "edges": []}"#).unwrap();
    let err = refused(&merge_to_out(&other), &other);
    assert!(err.contains("not a visitgraph/1 graph"), "{err}");
    let missing = d.path().join("missing.json");
    refused(&merge_to_out(&missing), &missing);
    nothing_written(d.path(), &out);
    // Other dictionaries (meta.fingerprint differs): refused, as before.
    let mut g: Value = serde_json::from_str(&std::fs::read_to_string(&shards[2]).unwrap()).unwrap();
    g["meta"]["fingerprint"] = Value::from("0000000000000000");
    let foreign = d.path().join("foreign.json");
    std::fs::write(&foreign, serde_json::to_string_pretty(&g).unwrap()).unwrap();
    let err = refused(&merge_to_out(&foreign), &foreign);
    assert!(
        err.contains(&format!(
            "built from other dictionaries than {} (meta.fingerprint differs)",
            shards[0].display()
        )),
        "{err}"
    );
    nothing_written(d.path(), &out);
}
