//! After every run `extract` says what happened in one line (pages read and skipped, the
//! graph's nodes by type, visits, companions, undated evidence), and why an empty graph may
//! be empty; `--quiet` keeps stderr for what went wrong.

mod common;

use common::{bin, fixtures, ok};

/// Pieces of evidence without a date in a graph's JSON.
fn undated_evidence(g: &serde_json::Value) -> usize {
    g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .flat_map(|e| e["evidence"].as_array().cloned().unwrap_or_default())
        .filter(|ev| ev["date"].is_null())
        .count()
}

#[test]
fn the_summary_line_counts_what_the_graph_holds() {
    let o = ok(bin()
        .args(["extract", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"))
        .arg(fixtures().join("texts")));
    let g: serde_json::Value = serde_json::from_slice(&o.stdout).expect("graph");
    let count = |ty: &str| {
        g["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter(|n| n["type"] == ty)
            .count()
    };
    let evidence = |rel: &str| -> usize {
        g["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .filter(|e| e["relation"] == rel)
            .map(|e| e["evidence"].as_array().map_or(0, Vec::len))
            .sum()
    };
    let undated = undated_evidence(&g);
    let err = String::from_utf8_lossy(&o.stderr);
    let docs = g["meta"]["documents"].as_u64().expect("documents");
    let want = format!(
        "visitgraph: {docs} documents read, 0 skipped; graph: {} officials, {} organizations, {} places; {} visits, {} companions ({undated} undated)",
        count("official"),
        count("organization"),
        count("place"),
        evidence("visited"),
        evidence("accompanied"),
    );
    assert_eq!(err.trim_end(), want);
    // Quiet: nothing on stderr when nothing went wrong.
    let q = ok(bin()
        .args(["extract", "--quiet", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"))
        .arg(fixtures().join("texts")));
    assert!(
        q.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&q.stderr)
    );
}

#[test]
fn an_empty_graph_says_why_and_what_would_find_names() {
    let d = tempfile::tempdir().expect("tmp");
    let page = d.path().join("p.txt");
    std::fs::write(
        &page,
        "区委书记温砚舟调研企业\n发布时间:2025-03-06\n\n3月5日,区委书记温砚舟到青禾微电子有限公司调研。\n",
    )
    .expect("page");
    let o = ok(bin().args(["extract"]).arg(&page));
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].contains("graph: 0 officials"), "{err}");
    assert!(
        lines[1].starts_with("visitgraph: no visit found with the built-in dictionaries only: `visitgraph candidates` finds "),
        "{err}"
    );
    // With a dictionary that names nobody on the page, and nothing to discover either.
    let blank = d.path().join("blank.txt");
    std::fs::write(&blank, "天气\n\n今天晴。\n").expect("page");
    let o = ok(bin()
        .args(["extract", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"))
        .arg(&blank));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.contains("no official of the dictionaries visits on these pages")),
        "{err}"
    );
}

#[test]
fn a_date_filter_says_how_much_undated_evidence_it_left_out() {
    // The fixtures, and one of them once more without its publication line: its 近日 visit
    // then has no date at all (with the line, it takes the publication date).
    let d = tempfile::tempdir().expect("temp dir");
    let pages = d.path().join("pages");
    std::fs::create_dir(&pages).expect("pages folder");
    for e in std::fs::read_dir(fixtures().join("texts")).expect("fixtures") {
        let p = e.expect("entry").path();
        std::fs::copy(&p, pages.join(p.file_name().expect("name"))).expect("copy");
    }
    let f10 = std::fs::read_to_string(fixtures().join("texts/F10.txt")).expect("F10");
    let undated_page: String = f10
        .lines()
        .filter(|l| !l.starts_with("发布时间"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(pages.join("F10-undated.txt"), undated_page).expect("page");
    let all = ok(bin()
        .args(["extract", "--quiet", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"))
        .arg(&pages));
    let g: serde_json::Value = serde_json::from_slice(&all.stdout).expect("graph");
    let undated = undated_evidence(&g);
    assert!(
        undated > 0,
        "the page without a publication date is undated"
    );
    let o = ok(bin()
        .args(["extract", "--since", "2000", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"))
        .arg(&pages));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "--since/--until left out {undated} pieces of evidence with no date"
        )),
        "{err}"
    );
    // Without a date filter nothing is said of it.
    let o = ok(bin()
        .args(["extract", "--relation", "visited", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"))
        .arg(&pages));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("left out"));
}
