//! `extract --store`: a rerun extracts only what changed, and its output is the same bytes as
//! a fresh run's, through a sequence of dictionary edits and page changes; a run killed at
//! random points leaves a store the next run completes; another schema is refused; the SQL
//! views answer.

mod common;

use std::path::{Path, PathBuf};

use common::{bin, fixtures, ok, root, run};

/// `../shared`'s dev sets, when they are beside the checkout.
fn shared_set(name: &str) -> Option<PathBuf> {
    let p = root().join("../shared").join(name);
    if p.join("texts").is_dir() {
        return Some(p);
    }
    assert!(
        std::env::var_os("VISITGRAPH_REQUIRE_SHARED").is_none_or(|v| v != "1"),
        "{} is absent and VISITGRAPH_REQUIRE_SHARED=1",
        p.display()
    );
    eprintln!("skipped: {} is absent", p.display());
    None
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        if p.is_file() {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// The outputs compared at every step: three formats and a filtered graph.
const VIEWS: &[&[&str]] = &[
    &["--format", "json"],
    &["--format", "events-csv"],
    &["--format", "dot"],
    &["--relation", "visited", "--since", "2000"],
];

/// Every view of a run over `texts` with `dict`, with `--store` or without; with a store,
/// the `--stats` line of its first run.
fn outputs(dict: &Path, texts: &Path, store: Option<&Path>) -> (Vec<Vec<u8>>, serde_json::Value) {
    let mut outs = Vec::new();
    let mut stats = serde_json::Value::Null;
    for (i, view) in VIEWS.iter().enumerate() {
        let mut cmd = bin();
        cmd.args(["extract", "--no-builtin", "--stats", "--dict"])
            .arg(dict)
            .arg(texts)
            .args(*view);
        if let Some(s) = store {
            cmd.arg("--store").arg(s);
        }
        let o = ok(&mut cmd);
        if i == 0 {
            let err = String::from_utf8_lossy(&o.stderr);
            let line = err
                .lines()
                .find(|l| l.starts_with('{'))
                .expect("stats line");
            stats = serde_json::from_str(line).expect("stats JSON");
        }
        outs.push(o.stdout);
    }
    (outs, stats)
}

fn n(stats: &serde_json::Value, key: &str) -> u64 {
    stats[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} in {stats}"))
}

/// TSV rows of a dictionary file (header first).
fn rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn write_rows(path: &Path, rows: &[Vec<String>]) {
    let text: String = rows.iter().map(|r| r.join("\t") + "\n").collect();
    std::fs::write(path, text).expect("write dictionary");
}

fn all_text(texts: &Path) -> String {
    let mut s = String::new();
    for e in std::fs::read_dir(texts).expect("texts").flatten() {
        s += &std::fs::read_to_string(e.path()).unwrap_or_default();
    }
    s
}

/// What the sequence edits: an official (with their posts) and an organization's alias,
/// both named in the pages (taken out of the first dictionary and put back), and an organization
/// nothing else refers to.
struct Picks {
    official: Vec<String>,
    official_posts: Vec<Vec<String>>,
    alias: (usize, String),
    org_gone: usize,
}

fn picks(dict: &Path, texts: &Path) -> Picks {
    let text = all_text(texts);
    let offs = rows(&dict.join("officials.tsv"));
    let posts = rows(&dict.join("posts.tsv"));
    let orgs = rows(&dict.join("organizations.tsv"));
    let everything: String = ["officials.tsv", "places.tsv", "posts.tsv"]
        .iter()
        .map(|f| std::fs::read_to_string(dict.join(f)).unwrap_or_default())
        .collect();
    let official = offs[1..]
        .iter()
        .find(|r| text.contains(&r[1]))
        .expect("an official named in the pages")
        .clone();
    let official_posts = posts
        .iter()
        .filter(|p| p[0] == official[0])
        .cloned()
        .collect();
    let alias = orgs
        .iter()
        .enumerate()
        .skip(1)
        .find_map(|(i, r)| {
            let a = r.get(2)?.split('|').find(|a| text.contains(*a))?;
            Some((i, a.to_string()))
        })
        .expect("an organization's alias named in the pages");
    let org_gone = (1..orgs.len())
        .find(|&i| {
            let id = &orgs[i][0];
            i != alias.0
                && text.contains(&orgs[i][1])
                && !everything.contains(id.as_str())
                && !orgs.iter().any(|r| r.get(4) == Some(id))
        })
        .expect("an organization nothing refers to");
    Picks {
        official,
        official_posts,
        alias,
        org_gone,
    }
}

fn drop_alias(row: &mut [String], alias: &str) {
    let kept: Vec<&str> = row[2].split('|').filter(|a| *a != alias).collect();
    row[2] = kept.join("|");
}

/// One step: run with the store and fresh, compare every view; give the store run's stats.
fn step(what: &str, dict: &Path, texts: &Path, store: &Path) -> serde_json::Value {
    let (fresh, _) = outputs(dict, texts, None);
    let (kept, stats) = outputs(dict, texts, Some(store));
    for (i, (a, b)) in fresh.iter().zip(&kept).enumerate() {
        assert!(
            a == b,
            "{what}: view {:?} differs from a fresh run ({} vs {} bytes)",
            VIEWS[i],
            a.len(),
            b.len()
        );
    }
    assert!(!fresh[0].is_empty(), "{what}: empty output");
    eprintln!("{what}: {stats}");
    stats
}

/// The whole sequence on one set of pages and dictionary.
fn edit_sequence(dict0: &Path, texts0: &Path) {
    let tmp = tempfile::tempdir().expect("tmp");
    let (dict, texts, store) = (
        tmp.path().join("dict"),
        tmp.path().join("texts"),
        tmp.path().join("vg.db"),
    );
    copy_dir(dict0, &dict);
    copy_dir(texts0, &texts);
    let p = picks(&dict, &texts);
    let (offs_f, orgs_f) = (dict.join("officials.tsv"), dict.join("organizations.tsv"));
    let mut offs = rows(&offs_f);
    let mut orgs = rows(&orgs_f);
    let original_alias_row = orgs[p.alias.0].clone();
    let posts_f = dict.join("posts.tsv");
    let mut posts = rows(&posts_f);
    // The first dictionary lacks the official (and their posts) and the alias.
    offs.retain(|r| r[0] != p.official[0]);
    posts.retain(|r| r[0] != p.official[0]);
    drop_alias(&mut orgs[p.alias.0], &p.alias.1);
    write_rows(&offs_f, &offs);
    write_rows(&orgs_f, &orgs);
    write_rows(&posts_f, &posts);

    let s = step("first run", &dict, &texts, &store);
    let docs = n(&s, "documents");
    assert_eq!((n(&s, "added"), n(&s, "reused")), (docs, 0));

    let s = step("no change", &dict, &texts, &store);
    assert_eq!((n(&s, "reused"), n(&s, "reextracted")), (docs, 0));

    offs.push(p.official.clone());
    posts.extend(p.official_posts.iter().cloned());
    write_rows(&offs_f, &offs);
    write_rows(&posts_f, &posts);
    let s = step("an official added", &dict, &texts, &store);
    assert!(n(&s, "reextracted") >= 1, "the official's pages: {s}");
    assert!(n(&s, "reused") >= 1, "pages without the official: {s}");

    orgs[p.alias.0] = original_alias_row;
    write_rows(&orgs_f, &orgs);
    let s = step("an alias added", &dict, &texts, &store);
    // (An alias that only repeats another in the other script changes nothing the matcher
    // sees: then no page is extracted again, and the output is still the same.)
    assert!(n(&s, "reused") >= 1, "{s}");

    orgs.remove(p.org_gone);
    write_rows(&orgs_f, &orgs);
    let s = step("an organization removed", &dict, &texts, &store);
    assert!(n(&s, "reextracted") >= 1 && n(&s, "reused") >= 1, "{s}");

    posts[1][3] = "2099-01".into();
    write_rows(&posts_f, &posts);
    let s = step("a post's dates changed", &dict, &texts, &store);
    assert!(n(&s, "reextracted") >= 1, "{s}");

    let mut pages: Vec<PathBuf> = std::fs::read_dir(&texts)
        .expect("texts")
        .flatten()
        .map(|e| e.path())
        .collect();
    pages.sort();
    let first = std::fs::read_to_string(&pages[0]).expect("page");
    std::fs::write(texts.join("zz-added.txt"), &first).expect("add a page");
    let s = step("a page added", &dict, &texts, &store);
    assert_eq!((n(&s, "added"), n(&s, "reextracted")), (1, 0), "{s}");

    std::fs::write(&pages[1], first.clone() + "\n附:本文有更正。\n").expect("change a page");
    std::fs::remove_file(&pages[2]).expect("remove a page");
    let s = step("a page changed, one removed", &dict, &texts, &store);
    assert_eq!((n(&s, "reextracted"), n(&s, "removed")), (1, 1), "{s}");

    let triggers = std::fs::read_to_string(root().join("dictionaries/triggers.tsv"))
        .expect("built-in triggers");
    std::fs::write(dict.join("triggers.tsv"), triggers + "专程察看\tvisit\n").expect("triggers");
    let s = step("a trigger added", &dict, &texts, &store);
    assert_eq!(n(&s, "reused"), 0, "every page again: {s}");
}

#[test]
fn edit_sequence_on_the_fixtures_matches_fresh_runs() {
    edit_sequence(&fixtures().join("dict"), &fixtures().join("texts"));
}

#[test]
fn edit_sequence_on_the_dev_sets_matches_fresh_runs() {
    for set in ["dev", "dev2"] {
        if let Some(d) = shared_set(set) {
            edit_sequence(&d.join("dict"), &d.join("texts"));
        }
    }
}

/// A corpus that takes a while: the fixture pages many times over, as JSON Lines.
fn big_jsonl(path: &Path, copies: usize, variant: &str) {
    let mut out = String::new();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(fixtures().join("texts"))
        .expect("texts")
        .flatten()
        .map(|e| e.path())
        .collect();
    pages.sort();
    for c in 0..copies {
        for p in &pages {
            let text = std::fs::read_to_string(p).expect("page");
            let id = format!(
                "{}-{c}",
                p.file_name().unwrap_or_default().to_string_lossy()
            );
            let rec = serde_json::json!({"id": id, "text": format!("{text}\n{variant}")});
            out += &rec.to_string();
            out.push('\n');
        }
    }
    std::fs::write(path, out).expect("corpus");
}

fn extract_to(dict: &Path, corpus: &Path, store: Option<&Path>) -> std::process::Command {
    let mut cmd = bin();
    cmd.args(["extract", "--no-builtin", "--dict"])
        .arg(dict)
        .arg(corpus);
    if let Some(s) = store {
        cmd.arg("--store").arg(s);
    }
    cmd
}

/// kill -9 at pseudo-random moments of runs that change the store (pages and dictionary
/// alternate), then a run to the end: the store opens every time, and the last output is
/// the same bytes as a fresh run's.
#[test]
fn a_run_killed_at_any_moment_leaves_a_store_the_next_run_completes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = tmp.path().join("vg.db");
    let corpus = tmp.path().join("pages.jsonl");
    let dict = tmp.path().join("dict");
    copy_dir(&fixtures().join("dict"), &dict);
    let offs_f = dict.join("officials.tsv");
    let offs = std::fs::read_to_string(&offs_f).expect("officials");
    let mut rng = common::Rng(0x9e37_79b9_7f4a_7c15);
    big_jsonl(&corpus, 60, "");
    // A new store killed while it is written: no store at all (its `.new` file is removed
    // by the next run).
    let mut child = extract_to(&dict, &corpus, Some(&store))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill();
    let _ = child.wait();
    let new_file = tmp.path().join("vg.db.new");
    if store.exists() {
        // (The run finished before the kill: then it is whole.)
        assert!(!new_file.exists());
        let db = rusqlite::Connection::open(&store).expect("open the store");
        let n: i64 = db
            .query_row("SELECT count(*) FROM pages", [], |r| r.get(0))
            .expect("a whole store");
        assert_eq!(n, 960);
    }
    // One full run first, to time a run and to have a previous state.
    let t = std::time::Instant::now();
    ok(&mut extract_to(&dict, &corpus, Some(&store)));
    let full = t.elapsed().as_micros().max(1_000) as u64;
    assert!(
        store.exists() && !new_file.exists(),
        "the new store is in place"
    );
    let mut killed = 0;
    for round in 0..12 {
        big_jsonl(&corpus, 60, &format!("第{round}版。"));
        let edited = if round % 2 == 0 {
            offs.clone()
        } else {
            offs.lines().take(3).collect::<Vec<_>>().join("\n") + "\n"
        };
        std::fs::write(&offs_f, edited).expect("officials");
        let mut child = extract_to(&dict, &corpus, Some(&store))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let wait = rng.next() % (full * 3 / 2);
        std::thread::sleep(std::time::Duration::from_micros(wait));
        if child.kill().is_ok() {
            killed += 1;
        }
        let _ = child.wait();
        // The store is whole: a query on it answers.
        let db = rusqlite::Connection::open(&store).expect("open the store");
        let pages: i64 = db
            .query_row("SELECT count(*) FROM pages", [], |r| r.get(0))
            .expect("the store answers after a kill");
        assert!(pages >= 0);
    }
    assert!(
        killed >= 3,
        "only {killed} runs were killed: the corpus is too small"
    );
    let with = ok(&mut extract_to(&dict, &corpus, Some(&store))).stdout;
    let fresh = ok(&mut extract_to(&dict, &corpus, None)).stdout;
    assert!(
        with == fresh,
        "after the kills the output differs from a fresh run"
    );
}

#[test]
fn a_store_of_another_schema_or_not_a_store_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = tmp.path().join("vg.db");
    let (dict, texts) = (fixtures().join("dict"), fixtures().join("texts"));
    ok(&mut extract_to(&dict, &texts, Some(&store)));
    {
        let db = rusqlite::Connection::open(&store).expect("open");
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'", [])
            .expect("tamper");
    }
    let o = run(&mut extract_to(&dict, &texts, Some(&store)));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("schema 0") && err.contains("new --store file"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(o.stdout.is_empty());

    let not_db = tmp.path().join("notes.txt");
    std::fs::write(
        &not_db,
        "not a database at all, but long enough to have a header",
    )
    .expect("w");
    let o = run(&mut extract_to(&dict, &texts, Some(&not_db)));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("not a visitgraph store"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&not_db).expect("still there"),
        "not a database at all, but long enough to have a header"
    );
}

/// The README's queries, and the views against the graph.
#[test]
fn the_views_answer_what_the_graph_says() {
    let tmp = tempfile::tempdir().expect("tmp");
    let store = tmp.path().join("vg.db");
    let (dict, texts) = (fixtures().join("dict"), fixtures().join("texts"));
    let graph = ok(&mut extract_to(&dict, &texts, Some(&store))).stdout;
    let g: serde_json::Value = serde_json::from_slice(&graph).expect("graph");
    let mut want: Vec<(String, String, String, String)> = Vec::new();
    let mut companions = 0;
    for e in g["edges"].as_array().expect("edges") {
        for ev in e["evidence"].as_array().expect("evidence") {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
            if e["relation"] == "visited" {
                want.push((
                    s(&e["source"]),
                    s(&e["target"]),
                    s(&ev["doc"]),
                    s(&ev["date"]),
                ));
            } else {
                companions += 1;
            }
        }
    }
    want.sort();
    want.dedup();
    let db = rusqlite::Connection::open(&store).expect("open");
    let mut q = db
        .prepare("SELECT DISTINCT visitor_id, target_id, doc, coalesce(date, '') FROM visits")
        .expect("visits");
    let mut got: Vec<(String, String, String, String)> = q
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    got.sort();
    assert_eq!(got, want);
    let c: i64 = db
        .query_row(
            "SELECT count(*) FROM (SELECT DISTINCT companion_id, visitor_id, doc, sentence FROM companions)",
            [],
            |r| r.get(0),
        )
        .expect("companions");
    assert_eq!(c, companions);
    // The README's three queries run.
    for sql in readme_queries() {
        let mut st = db.prepare(&sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let rows = st.query_map([], |_| Ok(())).expect("query").count();
        assert!(rows > 0, "no rows: {sql}");
    }
    let docs: i64 = db
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .expect("documents");
    assert_eq!(docs as u64, g["meta"]["documents"].as_u64().unwrap_or(0));
}

/// The SQL blocks of the README's "The store" section.
fn readme_queries() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("The store"))
        .expect("a README section \"The store\"");
    let queries: Vec<String> = section
        .split("```sql\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .map(str::to_string)
        .collect();
    assert_eq!(queries.len(), 3, "three example queries");
    queries
}
