//! Input shapes: the same invented pages as plain files, compressed (gzip, zstd), as
//! compressed JSON Lines and inside WARC crawls (plain, gzip per record as Common Crawl
//! writes it, gzip whole, zstd) must give the same graph; damaged files are skipped by name
//! (exit 3, the rest still written); nothing to read is a usage error (exit 2).
//!
//! Every compressed file and WARC is built here from `tests/fixtures/shapes/pages` (invented
//! articles) by hand: nothing binary is committed. The dictionary is
//! `tests/fixtures/shapes/dict`, without the built-in entities.
//!
//! What "the same graph" means: a document's name is its file's name (`a.txt.gz` stays
//! `a.txt.gz`), a WARC page's is its `WARC-Target-URI`, and a WARC page carries that URI as
//! its `url`. So the compressed files are compared byte for byte with the plain files after
//! mapping the names back, files that hold compressed bytes under their plain names byte for
//! byte as they are, and a WARC byte for byte with JSON Lines records whose `id` and `url`
//! are the same URIs and whose `text`/`html` are the same pages.

mod common;
use common::*;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

/// The plain pages: a text file, two HTML pages with dates of their own.
const PAGES: &[&str] = &["a.txt", "b.html", "d.html"];

fn shapes() -> PathBuf {
    fixtures().join("shapes")
}

fn page(name: &str) -> Vec<u8> {
    std::fs::read(shapes().join("pages").join(name)).unwrap()
}

/// A page with no date anywhere (its year comes from elsewhere, or nowhere).
fn undated() -> Vec<u8> {
    page("c.html")
}

/// `extract` with the shapes dictionary over `inputs`, writing to `out` when given.
fn extract(inputs: &[&Path], out: Option<&Path>) -> Output {
    let mut c = bin();
    // Quiet: only what went wrong (and the reading summary when something did) on stderr.
    c.args(["extract", "--quiet", "--no-builtin", "--dict"])
        .arg(shapes().join("dict"));
    if let Some(o) = out {
        c.arg("-o").arg(o);
    }
    run(c.args(inputs))
}

/// A clean run: exit 0, stdout the graph; stderr as given back.
fn clean(inputs: &[&Path]) -> (Vec<u8>, String) {
    let o = extract(inputs, None);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    (o.stdout, err)
}

fn gz(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

fn zst(b: &[u8]) -> Vec<u8> {
    zstd::encode_all(b, 3).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The plain pages in a fresh folder, and their graph.
fn plain_graph() -> (tempfile::TempDir, Vec<u8>) {
    let d = tempfile::tempdir().unwrap();
    for p in PAGES {
        write(d.path(), p, &page(p));
    }
    let (g, err) = clean(&[d.path()]);
    assert!(err.is_empty(), "{err}");
    assert!(String::from_utf8_lossy(&g).contains("\"relation\": \"visited\""));
    (d, g)
}

fn edges_of(g: &[u8]) -> usize {
    let v: Value = serde_json::from_slice(g).unwrap();
    v["edges"].as_array().unwrap().len()
}

#[test]
fn compressed_pages_give_the_graph_of_the_plain_files() {
    let (_plain, want) = plain_graph();
    for (suffix, pack) in [(".gz", gz as fn(&[u8]) -> Vec<u8>), (".zst", zst)] {
        // Named as compressed files are: found in the folder, named as they are named.
        let d = tempfile::tempdir().unwrap();
        for p in PAGES {
            write(d.path(), &format!("{p}{suffix}"), &pack(&page(p)));
        }
        let (got, err) = clean(&[d.path()]);
        assert!(err.is_empty(), "{suffix}: {err}");
        let got = String::from_utf8(got).unwrap();
        for p in PAGES {
            assert!(
                got.contains(&format!("\"doc\": \"{p}{suffix}\"")),
                "{suffix}: {p}"
            );
        }
        assert_eq!(
            got.replace(suffix, ""),
            String::from_utf8_lossy(&want),
            "{suffix}"
        );
        // Compressed bytes under the plain names: recognised by content, the same bytes out.
        let d = tempfile::tempdir().unwrap();
        for p in PAGES {
            write(d.path(), p, &pack(&page(p)));
        }
        assert_eq!(clean(&[d.path()]).0, want, "{suffix} under plain names");
    }
    // Named on the command line, one of each.
    let d = tempfile::tempdir().unwrap();
    let a = write(d.path(), "a.txt.gz", &gz(&page("a.txt")));
    let b = write(d.path(), "b.html.zst", &zst(&page("b.html")));
    let c = write(d.path(), "d.html", &page("d.html"));
    let (got, _) = clean(&[&a, &b, &c]);
    let got = String::from_utf8(got).unwrap();
    assert_eq!(
        got.replace(".gz", "").replace(".zst", ""),
        String::from_utf8_lossy(&want)
    );
}

/// The plain pages as JSON Lines records, `id` and `url` as given for each page.
fn jsonl(names: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (file, id) in names {
        let body = String::from_utf8(page(file)).unwrap();
        let field = if file.ends_with(".txt") {
            "text"
        } else {
            "html"
        };
        let rec = serde_json::json!({ "id": id, "url": id, field: body });
        out.extend(serde_json::to_vec(&rec).unwrap());
        out.push(b'\n');
    }
    out
}

#[test]
fn compressed_json_lines_give_the_same_graph() {
    let names: Vec<(&str, &str)> = PAGES.iter().map(|p| (*p, *p)).collect();
    let lines = jsonl(&names);
    let d = tempfile::tempdir().unwrap();
    let plain = write(d.path(), "pages.jsonl", &lines);
    let (want, _) = clean(&[&plain]);
    assert_eq!(edges_of(&want), 5);
    // Two gzip members in a row (a file appended to) read as one stream.
    let half = lines.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut members = gz(&lines[..half]);
    members.extend(gz(&lines[half..]));
    for (name, bytes) in [
        ("pages.jsonl.gz", gz(&lines)),
        ("members.jsonl.gz", members),
        ("pages.jsonl.zst", zst(&lines)),
    ] {
        let e = tempfile::tempdir().unwrap();
        write(e.path(), name, &bytes);
        let (got, err) = clean(&[e.path()]);
        assert!(err.is_empty(), "{name}: {err}");
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn compressed_standard_input_is_read_as_a_stream() {
    let names: Vec<(&str, &str)> = PAGES.iter().map(|p| (*p, *p)).collect();
    let lines = jsonl(&names);
    let piped = |bytes: &[u8], jsonl: bool| -> Output {
        let mut c = bin();
        c.args(["extract", "--quiet", "--no-builtin", "--dict"])
            .arg(shapes().join("dict"));
        if jsonl {
            c.arg("--jsonl");
        }
        let mut child = c
            .arg("-")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(bytes).unwrap();
        child.wait_with_output().unwrap()
    };
    let want = piped(&lines, true);
    assert_eq!(want.status.code(), Some(0));
    assert_eq!(edges_of(&want.stdout), 5);
    for bytes in [gz(&lines), zst(&lines)] {
        let o = piped(&bytes, true);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(o.stdout, want.stdout);
    }
    let text = piped(&page("a.txt"), false);
    assert_eq!(piped(&gz(&page("a.txt")), false).stdout, text.stdout);
    // Cut short on standard input (which cannot be read twice): the records before the cut
    // count, the cut is named with its line.
    let packed = gz(&lines);
    let o = piped(&packed[..packed.len() - 10], true);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("visitgraph: skipped -:"), "{err}");
    assert!(err.contains("corrupt or truncated gzip data"), "{err}");
}

/// A WARC record: version line, headers, `Content-Length`, the block, two CRLFs.
fn record(kind: &str, uri: Option<&str>, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut h = format!("WARC/1.0\r\nWARC-Type: {kind}\r\n");
    if let Some(u) = uri {
        h.push_str(&format!("WARC-Target-URI: {u}\r\n"));
    }
    h.push_str(&format!(
        "WARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len() * 31 + kind.len(),
        block.len()
    ));
    let mut r = h.into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// A stored HTTP response: status line, headers (CRLF-ended lines), blank line, body.
fn http(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 200 OK\r\nServer: test\r\n{headers}\r\n").into_bytes();
    r.extend_from_slice(body);
    r
}

fn response(uri: &str, date: &str, http_block: Vec<u8>) -> Vec<u8> {
    record(
        "response",
        Some(uri),
        date,
        "application/http; msgtype=response",
        &http_block,
    )
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in body.chunks(100) {
        out.extend(format!("{:X}\r\n", c.len()).into_bytes());
        out.extend_from_slice(c);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

const URI_A: &str = "https://news.example/a.txt";
const URI_B: &str = "https://news.example/b.html";
const URI_D: &str = "https://news.example/d.html";
const URI_DATED: &str = "https://news.example/2023-06/01/c.html";

/// A crawl of the three pages, as records (each compressed on its own or not): the text page
/// as it is, the first HTML page chunked and gzipped as a server sent it, the second in GBK
/// with its charset only in the HTTP header; around them the records that are no pages.
fn crawl() -> Vec<Vec<u8>> {
    let date = "2024-07-01T02:03:04Z";
    let d_page = String::from_utf8(page("d.html")).unwrap();
    let (d_gbk, _, unmappable) = encoding_rs::GBK.encode(&d_page);
    assert!(!unmappable);
    let d_gbk = d_gbk.into_owned();
    assert!(!d_gbk.windows(7).any(|w| w.eq_ignore_ascii_case(b"charset")));
    vec![
        record(
            "warcinfo",
            None,
            date,
            "application/warc-fields",
            b"software: hand-made\r\nformat: WARC File Format 1.0\r\n",
        ),
        record(
            "request",
            Some(URI_A),
            date,
            "application/http; msgtype=request",
            b"GET /a.txt HTTP/1.1\r\nHost: news.example\r\n\r\n",
        ),
        response(
            URI_A,
            date,
            http(
                "Content-Type: text/plain; charset=utf-8\r\n",
                &page("a.txt"),
            ),
        ),
        record(
            "metadata",
            Some(URI_A),
            date,
            "application/warc-fields",
            b"fetchTimeMs: 12\r\n",
        ),
        response(
            URI_B,
            date,
            http(
                "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
                &chunked(&gz(&page("b.html"))),
            ),
        ),
        response(
            "https://news.example/logo.png",
            date,
            http(
                "Content-Type: image/png\r\n",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            ),
        ),
        record(
            "revisit",
            Some(URI_B),
            date,
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
        ),
        response(
            URI_D,
            date,
            http("Content-Type: text/html; charset=GBK\r\n", &d_gbk),
        ),
    ]
}

/// The crawl's pages as JSON Lines named by their URIs: the fair run to compare with.
fn crawl_as_jsonl() -> Vec<u8> {
    jsonl(&[("a.txt", URI_A), ("b.html", URI_B), ("d.html", URI_D)])
}

#[test]
fn a_warc_crawl_gives_the_graph_of_its_pages() {
    let d = tempfile::tempdir().unwrap();
    let (want, _) = clean(&[&write(d.path(), "crawl.jsonl", &crawl_as_jsonl())]);
    assert_eq!(edges_of(&want), 5);
    let recs = crawl();
    let plain = recs.concat();
    let per_record: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
    for (name, bytes) in [
        ("crawl.warc", plain.clone()),
        ("crawl.warc.gz", per_record),
        ("whole.warc.gz", gz(&plain)),
        ("crawl.warc.zst", zst(&plain)),
    ] {
        let e = tempfile::tempdir().unwrap();
        let p = write(e.path(), name, &bytes);
        let (got, err) = clean(&[e.path()]);
        assert_eq!(got, want, "{name}");
        assert_eq!(
            err.trim_end(),
            format!(
                "visitgraph: warning: {}: 3 pages, 5 records skipped (1 metadata, 1 not HTML, 1 request, 1 revisit, 1 warcinfo)",
                p.display()
            ),
            "{name}"
        );
    }
    // Against the plain files: the same graph once each URI is mapped to its file's name
    // and the `url` (which plain files have not) is left out.
    let (_plain, files) = plain_graph();
    let e = tempfile::tempdir().unwrap();
    let (got, _) = clean(&[&write(e.path(), "crawl.warc", &plain)]);
    let mut got: Value = serde_json::from_slice(&got).unwrap();
    for edge in got["edges"].as_array_mut().unwrap() {
        for ev in edge["evidence"].as_array_mut().unwrap() {
            let ev = ev.as_object_mut().unwrap();
            let doc = ev["doc"].as_str().unwrap().to_string();
            assert_eq!(ev.remove("url"), Some(Value::String(doc.clone())));
            let file = doc.strip_prefix("https://news.example/").unwrap();
            ev.insert("doc".into(), Value::String(file.into()));
        }
    }
    assert_eq!(got, serde_json::from_slice::<Value>(&files).unwrap());
}

#[test]
fn the_warc_date_stands_in_only_for_a_page_without_a_date() {
    let d = tempfile::tempdir().unwrap();
    let file = write(d.path(), "c.html", &undated());
    let (plain, _) = clean(&[&file]);
    assert!(String::from_utf8_lossy(&plain).contains("\"dates\": [],"));
    let warc = [
        response(
            "https://news.example/c.html",
            "2024-05-21T01:00:00Z",
            http("Content-Type: text/html; charset=utf-8\r\n", &undated()),
        ),
        // A dated page keeps its own year although the crawl came years later.
        response(
            URI_A,
            "2031-01-02T00:00:00Z",
            http("Content-Type: text/plain\r\n", &page("a.txt")),
        ),
        // An address with a date beats the crawl's: the year-less 5月20日 is of 2023.
        response(
            URI_DATED,
            "2024-05-21T01:00:00Z",
            http("Content-Type: text/html; charset=utf-8\r\n", &undated()),
        ),
    ]
    .concat();
    let (got, err) = clean(&[&write(d.path(), "crawl.warc", &warc)]);
    assert!(err.is_empty(), "{err}");
    let g: Value = serde_json::from_slice(&got).unwrap();
    let dates = |doc: &str| -> Vec<String> {
        g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["evidence"].as_array().unwrap().iter())
            .filter(|ev| ev["doc"] == doc)
            .map(|ev| ev["date"].as_str().unwrap_or("none").to_string())
            .collect()
    };
    assert_eq!(dates("https://news.example/c.html"), ["2024-05-20"]);
    assert_eq!(dates(URI_DATED), ["2023-05-20"]);
    assert!(
        dates(URI_A).iter().all(|d| d == "2024-03-05"),
        "{:?}",
        dates(URI_A)
    );
}

fn stderr_lines(o: &Output) -> Vec<String> {
    String::from_utf8_lossy(&o.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn damaged_compressed_files_are_skipped_by_name_and_the_rest_is_written() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(&input, "a.txt.gz", &gz(&page("a.txt")));
    // A damaged member: its checksum no longer matches.
    let mut bad = gz(&page("b.html"));
    let n = bad.len();
    bad[n - 6] ^= 0xff;
    write(&input, "b.html.gz", &bad);
    // JSON Lines cut inside the stream: the whole file goes, not the lines before the cut.
    let lines = jsonl(&[("d.html", "d-record"), ("c.html", "c-record")]);
    let packed = gz(&lines);
    write(&input, "cut.jsonl.gz", &packed[..packed.len() * 2 / 3]);
    let z = zst(&page("d.html"));
    write(&input, "d.html.zst", &z[..z.len() - 9]);
    write(&input, "e.txt.zst", b"\x28\xb5\x2f\xfdnot zstd at all");
    let out = d.path().join("graph.json");
    let o = extract(&[&input], Some(&out));
    assert_eq!(o.status.code(), Some(3), "{:?}", stderr_lines(&o));
    let lines = stderr_lines(&o);
    let skipped = |file: &str, what: &str| {
        let head = format!("visitgraph: skipped {}: {what}", input.join(file).display());
        assert!(
            lines.iter().any(|l| l.starts_with(&head)),
            "{head}\n{lines:#?}"
        );
    };
    skipped("b.html.gz", "corrupt or truncated gzip data");
    skipped("cut.jsonl.gz", "corrupt or truncated gzip data");
    skipped("d.html.zst", "corrupt or truncated zstd data");
    skipped("e.txt.zst", "corrupt or truncated zstd data");
    assert_eq!(
        lines.last().unwrap().split("; graph: ").next(),
        Some("visitgraph: 1 document read, 4 skipped (4 corrupt or truncated)")
    );
    assert_eq!(lines.len(), 5, "{lines:#?}");
    let g = std::fs::read_to_string(&out).unwrap();
    assert!(g.contains("\"doc\": \"a.txt.gz\""));
    assert!(!g.contains("d-record") && !g.contains("c-record"));
}

#[test]
fn a_truncated_warc_keeps_its_pages_before_the_cut() {
    let recs = crawl();
    let d = tempfile::tempdir().unwrap();
    // Plain: the last record's block ends early.
    let mut plain = recs.concat();
    plain.truncate(plain.len() - 40);
    // gzip per record: the last member is cut inside.
    let mut members: Vec<u8> = recs[..recs.len() - 1].iter().flat_map(|r| gz(r)).collect();
    let last = gz(recs.last().unwrap());
    members.extend(&last[..last.len() / 2]);
    for (name, bytes, why) in [
        ("cut.warc", plain, "https://news.example/d.html truncated"),
        ("cut.warc.gz", members, "corrupt or truncated gzip data"),
    ] {
        let p = write(d.path(), name, &bytes);
        let out = d.path().join(format!("{name}.json"));
        let o = extract(&[&p], Some(&out));
        let lines = stderr_lines(&o);
        assert_eq!(o.status.code(), Some(3), "{name}: {lines:#?}");
        let head = format!("visitgraph: skipped {}: record 8: {why}", p.display());
        assert!(
            lines.iter().any(|l| l.starts_with(&head)),
            "{head}\n{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.ends_with("1 truncated or corrupt, 1 warcinfo)"))
        );
        let g = std::fs::read_to_string(&out).unwrap();
        assert!(
            g.contains(URI_A) && g.contains(URI_B) && !g.contains(URI_D),
            "{name}"
        );
    }
}

#[test]
fn nothing_to_read_is_a_usage_error_naming_what_is_read() {
    let d = tempfile::tempdir().unwrap();
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let other = d.path().join("other");
    std::fs::create_dir(&other).unwrap();
    write(
        &other,
        "notes.md",
        "3月5日,市长张三到甲乙科技有限公司调研。".as_bytes(),
    );
    write(&other, "page.pdf.gz", &gz(b"%PDF-1.4"));
    write(&other, "archive.gz", &gz(b"x"));
    for dir in [&empty, &other] {
        let out = d.path().join("graph.json");
        let o = extract(&[dir], Some(&out));
        let lines = stderr_lines(&o);
        assert_eq!(o.status.code(), Some(2), "{lines:#?}");
        assert_eq!(lines.len(), 1, "{lines:#?}");
        let want = format!(
            "nothing to read in {}: no *.txt, *.html, *.htm, *.jsonl, *.warc files (plain, or compressed as .gz or .zst)",
            dir.display()
        );
        assert!(lines[0].ends_with(&want), "{lines:#?}");
        assert!(!out.exists());
    }
    // A file named on the command line is read whatever its name, as plain text.
    let (g, err) = clean(&[&other.join("notes.md")]);
    assert!(err.is_empty(), "{err}");
    assert!(String::from_utf8_lossy(&g).contains("\"doc\": \"notes.md\""));
}
