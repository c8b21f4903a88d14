//! The analyst's day: `--around` by name or alias (simplified or traditional), an ambiguous
//! or unknown name; an output folder that does not exist; `-o`'s extension choosing the
//! format for `merge`; shell completions and the man page.

mod common;

use common::{bin, ok, run};
use std::path::Path;

/// A dictionary layer (an official, two firms sharing the alias 华星) and a page where the
/// official visits one of them.
fn world() -> tempfile::TempDir {
    common::world(
        &[
            (
                "officials.tsv",
                "id\tname\taliases\nzhang-sanfeng\t张三丰\t\n",
            ),
            (
                "organizations.tsv",
                "id\tname\taliases\tkind\tplace\n\
                 huaxing-gd\t华星光电科技有限公司\t华星光电|华星\tcompany\t\n\
                 huaxing-dz\t华星电子有限公司\t华星电子|华星\tcompany\t\n",
            ),
        ],
        &[(
            "a.txt",
            "2024年3月5日，张三丰到华星光电科技有限公司调研。\n",
        )],
    )
}

/// `extract --no-builtin --dict W/dict ARGS W/pages`.
fn extract(w: &Path, args: &[&str]) -> std::process::Output {
    run(bin()
        .args(["extract", "--no-builtin", "--dict"])
        .arg(w.join("dict"))
        .args(args)
        .arg(w.join("pages")))
}

/// The ids of a `visitgraph/1` graph's nodes.
fn node_ids(json: &[u8]) -> Vec<String> {
    let g: serde_json::Value = serde_json::from_slice(json).expect("graph JSON");
    g["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn around_takes_a_name_or_an_alias_in_either_script() {
    let w = world();
    let by_id = extract(w.path(), &["--around", "huaxing-gd"]);
    assert!(by_id.status.success());
    let want = node_ids(&by_id.stdout);
    assert_eq!(want, ["huaxing-gd", "zhang-sanfeng"]);
    for q in [
        "华星光电科技有限公司",
        "华星光电",
        "華星光電",
        "张三丰",
        "張三豐",
    ] {
        let o = extract(w.path(), &["--around", q]);
        assert!(
            o.status.success(),
            "--around {q}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(node_ids(&o.stdout), want, "--around {q}");
    }
}

#[test]
fn an_ambiguous_name_lists_the_candidates() {
    let w = world();
    let o = extract(w.path(), &["--around", "华星"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("ambiguous"), "{err}");
    assert!(
        err.contains("`huaxing-dz` (华星电子有限公司)")
            && err.contains("`huaxing-gd` (华星光电科技有限公司)"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn an_unknown_name_says_so_and_suggests_the_closest() {
    let w = world();
    let o = extract(w.path(), &["--around", "华星光"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no official, organization or place with id or name `华星光`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean organization `huaxing-gd`"),
        "{err}"
    );
    let o = extract(w.path(), &["--around", "nobody-at-all"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no official, organization or place with id or name `nobody-at-all`"),
        "{err}"
    );
}

#[test]
fn a_missing_output_folder_is_named() {
    let w = world();
    let o = extract(w.path(), &["-o", "/nonexistent/dir/g.json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot write g.json: the folder /nonexistent/dir does not exist"),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn merge_checks_its_output_before_reading_the_shards() {
    let w = world();
    let shard = w.path().join("shard.json");
    ok(bin()
        .args(["extract", "--no-builtin", "--dict"])
        .arg(w.path().join("dict"))
        .arg("-o")
        .arg(&shard)
        .arg(w.path().join("pages")));
    let o = run(bin()
        .arg("merge")
        .arg(&shard)
        .arg("-o")
        .arg(w.path().join("all.dot")));
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("merge writes visitgraph/1 JSON"), "{err}");
    assert!(!w.path().join("all.dot").exists());
    let o = run(bin()
        .arg("merge")
        .arg(&shard)
        .arg("-o")
        .arg("/nonexistent/dir/all.json"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot write all.json: the folder /nonexistent/dir does not exist"),
        "{err}"
    );
    ok(bin()
        .arg("merge")
        .arg(&shard)
        .arg("-o")
        .arg(w.path().join("all.json")));
}

#[test]
fn completions_for_bash_name_the_command() {
    let o = ok(bin().args(["completions", "bash"]));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("visitgraph"), "{s}");
    assert!(s.contains("complete "), "{s}");
    // Every command is offered.
    for c in ["extract", "check", "merge", "completions", "man"] {
        assert!(s.contains(c), "{c} missing");
    }
}

#[test]
fn the_man_page_is_roff() {
    let o = ok(bin().arg("man"));
    let s = String::from_utf8_lossy(&o.stdout);
    let th = s
        .lines()
        .find(|l| l.starts_with(".TH"))
        .unwrap_or_else(|| panic!("no .TH header in\n{s}"));
    assert!(th.starts_with(".TH visitgraph 1"), "{th}");
    assert!(s.starts_with('.'), "{s}");
    assert!(
        s.contains("EXIT STATUS"),
        "the manual's text is in the page"
    );
    // -o writes it to a file.
    let d = tempfile::tempdir().expect("temp dir");
    let p = d.path().join("visitgraph.1");
    ok(bin().arg("man").arg("-o").arg(&p));
    let written = std::fs::read_to_string(&p).expect("man page written");
    assert_eq!(written, s);
}

/// `-o`'s extension picks the format when `--format` is not given, and an explicit
/// `--format` it contradicts is a usage error.
#[test]
fn the_extension_of_o_picks_the_format() {
    let w = world();
    for (name, starts) in [
        ("g.dot", "digraph"),
        ("g.gv", "digraph"),
        ("g.graphml", "<?xml"),
        ("e.csv", "date,"),
        ("e.jsonl", "{\"date\""),
        ("g.html", "<!DOCTYPE html>"),
        ("g.txt", "{"),
    ] {
        let p = w.path().join(name);
        let o = extract(w.path(), &["-o", p.to_str().expect("utf-8 path")]);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = std::fs::read_to_string(&p).expect("output written");
        assert!(
            text.starts_with(starts),
            "{name}: {}",
            &text[..text.len().min(80)]
        );
    }
    let p = w.path().join("g.json");
    let o = extract(
        w.path(),
        &["--format", "dot", "-o", p.to_str().expect("utf-8 path")],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--format dot contradicts the extension of -o"),
        "{err}"
    );
    assert!(!p.exists());
}

/// `-o` onto something that is not a regular file (a FIFO here, as `/dev/null` is a device)
/// writes into it: renaming a finished file over it would replace the device with a file
/// (as root, `-o /dev/null` once turned the machine's `/dev/null` into a regular file).
#[test]
fn output_to_a_fifo_writes_into_it_and_leaves_it_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let w = world();
    let fifo = w.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("read the fifo"))
    };
    let o = extract(w.path(), &["-o", fifo.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Checked before joining: had the FIFO been replaced, its reader would wait forever.
    let kind = std::fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
    let bytes = reader.join().expect("reader thread");
    let graph: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON through the fifo");
    assert_eq!(graph["nodes"].as_array().map(Vec::len), Some(2), "{graph}");
}

/// `-o LINK` where LINK is a symbolic link writes the file it points to, atomically, and
/// leaves the link a link; `--store` on something that is not a regular file is refused.
#[test]
fn output_through_a_link_keeps_the_link_and_a_store_must_be_a_file() {
    let w = world();
    let real = w.path().join("real.json");
    std::fs::write(&real, "old").expect("write");
    let link = w.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let o = extract(w.path(), &["-o", link.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::symlink_metadata(&link).expect("link").is_symlink());
    let graph: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&real).expect("real file")).expect("JSON");
    assert_eq!(graph["nodes"].as_array().map(Vec::len), Some(2), "{graph}");

    let o = extract(w.path(), &["--store", "/dev/null"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("/dev/null: not a regular file"), "{err}");
}

/// The README is a user guide first (run, inputs, output, tools, the dictionary loop, the
/// store, a cluster), then what happens inside (speed, rules, scores).
#[test]
fn the_readme_reads_as_a_user_guide_first() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    let at = |h: &str| {
        readme
            .find(&format!("\n{h}\n"))
            .unwrap_or_else(|| panic!("README heading {h:?}"))
    };
    let order = [
        "## Run it",
        "## Inputs",
        "## Output: `visitgraph/1` JSON",
        "## Open it in your tool",
        "## The dictionary loop",
        "## The store",
        "## Running on a cluster",
        "# Inside visitgraph",
        "## Speed",
        "## What the rules decide, and why an edge is there",
        "## Scores",
    ];
    let places: Vec<usize> = order.iter().map(|h| at(h)).collect();
    assert!(
        places.windows(2).all(|w| w[0] < w[1]),
        "{order:?} at {places:?}"
    );
}

/// The package says what it is and under which licenses (both license files ship).
#[test]
fn the_package_carries_its_metadata() {
    assert!(env!("CARGO_PKG_DESCRIPTION").contains("Chinese news pages"));
    assert_eq!(env!("CARGO_PKG_LICENSE"), "MIT OR Apache-2.0");
    for f in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(common::root().join(f).is_file(), "{f}");
    }
    let manifest = std::fs::read_to_string(common::root().join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("\nkeywords = [") && manifest.contains("\ncategories = ["));
}
