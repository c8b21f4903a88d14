//! Inputs as analysts have them: legacy encodings, HTML, JSON Lines, and bad files. Every
//! encoded fixture is generated here from the UTF-8 fixture pages; nothing binary is
//! committed. Each bad case checks the message on stderr, the exit status, and what became
//! of an earlier output file.

mod common;
use common::*;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use serde_json::Value;

fn page(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("texts").join(name)).unwrap()
}

/// `extract` with the fixture dictionary over `inputs`, writing to `out` when given.
fn extract(extra: &[&str], inputs: &[&Path], out: Option<&Path>) -> Output {
    let mut c = bin();
    // Quiet: only what went wrong is on stderr (the summary line then only when something
    // was skipped or repaired).
    c.args(["extract", "--quiet", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"))
        .args(extra);
    if let Some(o) = out {
        c.arg("-o").arg(o);
    }
    c.args(inputs).output().expect("run visitgraph")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The reading part of the run's summary line (before `; graph: …`).
fn reading_part(line: &str) -> &str {
    line.split("; graph: ").next().unwrap_or(line)
}

fn graph(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("visitgraph/1 JSON")
}

/// Edges as (source, target, relation, dates, distinct sentences): everything but doc
/// names, offsets and how many documents said so.
type EdgeKey = (String, String, String, Vec<String>, BTreeSet<String>);

fn edges(g: &Value) -> BTreeSet<EdgeKey> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let sentences = e["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ev| s(&ev["sentence"]))
                .collect();
            (
                s(&e["source"]),
                s(&e["target"]),
                s(&e["relation"]),
                e["dates"].as_array().unwrap().iter().map(s).collect(),
                sentences,
            )
        })
        .collect()
}

fn docs(g: &Value) -> BTreeSet<String> {
    g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["evidence"].as_array().unwrap().iter())
        .map(|ev| ev["doc"].as_str().unwrap().to_string())
        .collect()
}

fn utf16(text: &str, le: bool) -> Vec<u8> {
    let mut b = if le {
        vec![0xff, 0xfe]
    } else {
        vec![0xfe, 0xff]
    };
    for u in text.encode_utf16() {
        b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    b
}

fn legacy(enc: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    let (b, _, unmappable) = enc.encode(text);
    assert!(!unmappable, "{} cannot hold the fixture", enc.name());
    b.into_owned()
}

/// Run one page saved as `page.txt` in a fresh folder; the output must be clean.
fn run_saved(bytes: &[u8]) -> Vec<u8> {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("page.txt");
    std::fs::write(&p, bytes).unwrap();
    let o = extract(&[], &[&p], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    o.stdout
}

#[test]
fn the_same_article_in_every_encoding_gives_the_same_graph() {
    let f01 = page("F01.txt");
    let want = run_saved(f01.as_bytes());
    assert!(!edges(&graph(&want)).is_empty());
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(f01.as_bytes());
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("UTF-8 with BOM", bom),
        ("GBK", legacy(encoding_rs::GBK, &f01)),
        ("GB18030", legacy(encoding_rs::GB18030, &f01)),
        ("UTF-16LE", utf16(&f01, true)),
        ("UTF-16BE", utf16(&f01, false)),
    ];
    for (name, bytes) in variants {
        assert_eq!(
            String::from_utf8_lossy(&run_saved(&bytes)),
            String::from_utf8_lossy(&want),
            "{name}"
        );
    }
    // Traditional pages in Big5 (three characters Big5 lacks written in forms it has).
    let f02 = page("F02.txt")
        .replace('爲', "為")
        .replace('羣', "群")
        .replace('舾', "安");
    let want = run_saved(f02.as_bytes());
    assert!(!edges(&graph(&want)).is_empty());
    assert_eq!(run_saved(&legacy(encoding_rs::BIG5, &f02)), want, "Big5");
}

/// F01 as a scraped HTML page: head with title and date meta, navigation, scripts, styles,
/// a comment, the headline in `<h1>`, one `<p>` per paragraph (hard-wrapped, with
/// character references), and a footer.
fn f01_html() -> String {
    let f01 = page("F01.txt");
    let lines: Vec<&str> = f01.lines().collect();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('调', "&#35843;")
            .replace('研', "&#x7814;")
    };
    let mut h = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>庞翊川调研智能传感和新能源重点企业_常州市武进区人民政府</title>\n\
         <meta property=\"article:published_time\" content=\"2024-10-17T08:45:00+08:00\">\n\
         <style>body { font: 14px/1.5 sans-serif } p > a { color: red }</style>\n\
         <script>var nav = '<p>市长到某公司调研</p>'; if (a < b && c > d) {}</script>\n\
         </head>\n<body>\n<!-- 顶部导航 <p>不是正文</p> -->\n\
         <div class=\"top\"><ul><li><a href=\"/\">首页</a></li><li>新闻中心</li></ul></div>\n",
    );
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        if i == 2 {
            h.push_str(&format!("<h1 class=\"title\">{}</h1>\n", esc(l)));
        } else {
            // Hard-wrap long paragraphs between two Chinese characters, as editors do.
            let chars: Vec<char> = l.chars().collect();
            let cut = chars
                .iter()
                .enumerate()
                .skip(20)
                .find(|(j, c)| !c.is_ascii() && chars.get(j + 1).is_some_and(|n| !n.is_ascii()))
                .map(|(j, _)| j + 1);
            let text = match cut {
                Some(j) if chars.len() > 40 => format!(
                    "{}\n    {}",
                    esc(&chars[..j].iter().collect::<String>()),
                    esc(&chars[j..].iter().collect::<String>())
                ),
                _ => esc(l),
            };
            h.push_str(&format!("<p style=\"text-indent:2em\">{text}</p>\n"));
        }
    }
    h.push_str(
        "<noscript>请开启JavaScript</noscript>\n<script src=\"x.js\"></script>\n\
         <div class=\"footer\">版权所有&copy;常州市武进区人民政府</div>\n</body>\n</html>\n",
    );
    h
}

#[test]
fn html_pages_give_the_same_edges_as_the_text() {
    let d = tempfile::tempdir().unwrap();
    let txt = d.path().join("F01.txt");
    std::fs::write(&txt, page("F01.txt")).unwrap();
    let want = extract(&[], &[&txt], None);
    let want = edges(&graph(&want.stdout));
    assert!(!want.is_empty());
    let html = f01_html();
    let plain = d.path().join("a.html");
    std::fs::write(&plain, &html).unwrap();
    // The same page in GB2312, declared in the page as scrapers save it.
    let gbk = d.path().join("b.htm");
    let declared = html.replace("charset=\"utf-8\"", "charset=\"gb2312\"");
    std::fs::write(&gbk, legacy(encoding_rs::GBK, &declared)).unwrap();
    for p in [&plain, &gbk] {
        let o = extract(&[], &[p], None);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(o.stderr.is_empty(), "{}", stderr(&o));
        assert_eq!(edges(&graph(&o.stdout)), want, "{}", p.display());
    }
    // Without the date in the text, the meta tag gives it; without the headline line, the
    // <title> does.
    let bare = html
        .lines()
        .filter(|l| !l.contains("发布时间") && !l.starts_with("<h1"))
        .collect::<Vec<_>>()
        .join("\n");
    let p = d.path().join("c.html");
    std::fs::write(&p, bare).unwrap();
    let o = extract(&[], &[&p], None);
    assert_eq!(edges(&graph(&o.stdout)), want);
}

#[test]
fn jsonl_records_are_documents_named_by_their_id() {
    let d = tempfile::tempdir().unwrap();
    let (f01, f02) = (page("F01.txt"), page("F02.txt"));
    let t1 = d.path().join("F01.txt");
    let t2 = d.path().join("F02.txt");
    std::fs::write(&t1, &f01).unwrap();
    std::fs::write(&t2, &f02).unwrap();
    let want = edges(&graph(&extract(&[], &[&t1, &t2], None).stdout));
    let jsonl = [
        serde_json::json!({"id": "wj-2024-1017", "url": "http://www.wj.gov.cn/a.html", "text": f01}),
        serde_json::json!({"id": 2, "html": f01_html().replace(&f01.lines().nth(2).unwrap().replace('调', "&#35843;").replace('研', "&#x7814;"), "x"), "published": "2024-10-17", "title": "无关"}),
        serde_json::json!({"id": "nt-0418", "title": "市委书记调研", "published": "2024年4月18日", "text": f02}),
    ]
    .iter()
    .map(|v| v.to_string())
    .collect::<Vec<_>>()
    .join("\n");
    let p = d.path().join("export.jsonl");
    std::fs::write(&p, format!("{jsonl}\n")).unwrap();
    let o = extract(&[], &[&p], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let g = graph(&o.stdout);
    assert_eq!(edges(&g), want);
    assert_eq!(
        docs(&g),
        ["2", "nt-0418", "wj-2024-1017"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    // The same on stdin with --jsonl.
    let mut child = bin()
        .args(["extract", "--jsonl", "--no-builtin", "--dict"])
        .arg(fixtures().join("dict"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(jsonl.as_bytes())
        .unwrap();
    let o2 = child.wait_with_output().unwrap();
    assert_eq!(o2.status.code(), Some(0), "{}", stderr(&o2));
    assert_eq!(o2.stdout, o.stdout);
}

#[test]
fn folders_are_searched_for_txt_html_htm_and_jsonl() {
    let d = tempfile::tempdir().unwrap();
    let sub = d.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(d.path().join("a.txt"), page("F01.txt")).unwrap();
    std::fs::write(sub.join("b.HTML"), f01_html()).unwrap();
    std::fs::write(sub.join("c.htm"), f01_html()).unwrap();
    let rec = serde_json::json!({"id": "d", "text": page("F01.txt")}).to_string();
    std::fs::write(sub.join("d.jsonl"), rec).unwrap();
    std::fs::write(sub.join("notes.md"), "not a page").unwrap();
    let o = extract(&[], &[d.path()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let docs = docs(&graph(&o.stdout));
    assert_eq!(
        docs,
        ["a.txt", "d", "sub/b.HTML", "sub/c.htm"]
            .map(String::from)
            .into_iter()
            .collect()
    );
}

/// A folder with one good page and an earlier output file.
struct Run {
    dir: tempfile::TempDir,
    out: PathBuf,
    good: PathBuf,
}

fn setup() -> Run {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, page("F01.txt")).unwrap();
    let out = dir.path().join("graph.json");
    std::fs::write(&out, "previous graph").unwrap();
    Run { dir, out, good }
}

impl Run {
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Run with `bad` beside the good page; the output is replaced by the good page's graph.
    fn run(&self, extra: &[&str], bad: &Path, code: i32) -> String {
        let o = extract(extra, &[&self.good, bad], Some(&self.out));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(code), "{err}");
        assert!(
            !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
            "{err}"
        );
        let g = graph(&std::fs::read(&self.out).expect("output written"));
        assert!(!edges(&g).is_empty(), "the good page still counts");
        err
    }
}

fn one_skip(err: &str, bad: &Path, reason: &str, summary: &str) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one line for the file, one summary: {err}");
    assert!(
        lines[0].starts_with(&format!("visitgraph: skipped {}", bad.display()))
            && lines[0].contains(reason),
        "{err}"
    );
    assert_eq!(
        reading_part(lines[1]),
        format!("visitgraph: {summary}"),
        "{err}"
    );
}

fn noise(n: usize) -> Vec<u8> {
    let mut x: u32 = 2024;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect()
}

#[test]
fn a_binary_file_is_skipped_with_exit_3() {
    let r = setup();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec();
    png.extend(noise(30_000));
    let bad = r.file("scan.txt", &png);
    let err = r.run(&[], &bad, 3);
    one_skip(
        &err,
        &bad,
        ": binary data, not text (",
        "1 document read, 1 skipped (1 binary)",
    );
    // A file of NUL bytes is binary too.
    let zeros = r.file("zeros.txt", &[0u8; 4096]);
    let err = r.run(&[], &zeros, 3);
    one_skip(
        &err,
        &zeros,
        "binary",
        "1 document read, 1 skipped (1 binary)",
    );
}

#[test]
fn empty_and_blank_files_are_skipped_with_exit_3() {
    let r = setup();
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("blank.txt", b"  \r\n\t\n"),
        ("bom.txt", b"\xef\xbb\xbf\n"),
        ("empty.html", b"<html><script>x()</script></html>"),
    ] {
        let bad = r.file(name, bytes);
        let err = r.run(&[], &bad, 3);
        one_skip(&err, &bad, "empty", "1 document read, 1 skipped (1 empty)");
        let _ = std::fs::remove_file(&bad);
    }
}

#[test]
fn a_file_over_the_size_limit_is_skipped_quickly() {
    let r = setup();
    // A single 10 KB line against a 4 KiB limit.
    let line = "区委书记庞翊川调研".repeat(400);
    let bad = r.file("huge.txt", line.as_bytes());
    let err = r.run(&["--max-bytes", "4K"], &bad, 3);
    one_skip(
        &err,
        &bad,
        ": larger than the 4 KiB limit (10800 bytes, raise it with --max-bytes)",
        "1 document read, 1 skipped (1 too large)",
    );
    // 200 MB (sparse: nothing is written to disk) against the default 8 MiB.
    let big = r.dir.path().join("dump.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    let t = std::time::Instant::now();
    let err = r.run(&[], &big, 3);
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
    one_skip(
        &err,
        &big,
        "larger than the 8 MiB limit (200000000 bytes",
        "1 document read, 1 skipped (1 too large)",
    );
    // In JSON Lines the limit is per line: the long record is skipped, the others count.
    let long = serde_json::json!({"id": "long", "text": line}).to_string();
    let good = serde_json::json!({"id": "ok", "text": page("F02.txt")}).to_string();
    let bad = r.file("dump.jsonl", format!("{good}\n{long}\n").as_bytes());
    let err = r.run(&["--max-bytes", "4K"], &bad, 3);
    one_skip(
        &err,
        Path::new(&format!("{}:2", bad.display())),
        ": line longer than the 4 KiB limit (raise it with --max-bytes)",
        "2 documents read, 1 skipped (1 too large)",
    );
    // Standard input stops reading at the limit.
    let mut child = bin()
        .args(["extract", "--max-bytes", "1K", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(line.as_bytes());
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).starts_with("visitgraph: skipped -: larger than the 1 KiB limit"));
    // A bad size is a usage error.
    let o = extract(&["--max-bytes", "lots"], &[&r.good], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn invalid_bytes_are_replaced_with_a_warning_and_exit_0() {
    let r = setup();
    let text = page("F01.txt");
    // Break a character in the site name and put stray bytes between paragraphs.
    let mut bytes = text.as_bytes().to_vec();
    bytes.truncate(text.find('\n').unwrap());
    bytes.pop();
    bytes.extend(b"\xff\xfe");
    bytes.extend(&text.as_bytes()[text.find('\n').unwrap()..]);
    let bad = r.file("broken.txt", &bytes);
    let err = r.run(&[], &bad, 0);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with(&format!("visitgraph: warning: {}: ", bad.display()))
            && lines[0].contains("invalid byte sequence")
            && lines[0].contains("U+FFFD"),
        "{err}"
    );
    assert_eq!(
        reading_part(lines[1]),
        "visitgraph: 2 documents read, 0 skipped, 1 repaired"
    );
    let g = graph(&std::fs::read(&r.out).unwrap());
    let alone = graph(&extract(&[], &[&r.good], None).stdout);
    assert_eq!(
        edges(&g),
        edges(&alone),
        "the repaired page gives the same edges"
    );
    assert!(docs(&g).contains("broken.txt"));
}

#[test]
fn nul_bytes_are_removed_with_a_warning_and_exit_0() {
    let r = setup();
    let text = page("F01.txt")
        .replace("调研", "调\0研")
        .replacen('\n', "\0\0\n", 3);
    let bad = r.file("nul.txt", text.as_bytes());
    let err = r.run(&[], &bad, 0);
    assert!(
        err.lines().next().unwrap().contains(&format!(
            "warning: {}: {} NUL bytes removed",
            bad.display(),
            text.matches('\0').count()
        )),
        "{err}"
    );
    let g = graph(&std::fs::read(&r.out).unwrap());
    assert!(docs(&g).contains("nul.txt"));
    let alone = graph(&extract(&[], &[&r.good], None).stdout);
    assert_eq!(edges(&g), edges(&alone));
}

#[test]
fn a_truncated_jsonl_line_is_skipped_and_named_with_exit_3() {
    let r = setup();
    let full = serde_json::json!({"id": "n1", "text": page("F02.txt")}).to_string();
    let cut: String = full.chars().take(full.chars().count() / 2).collect();
    let body = format!("{full}\n\n{{\"id\": \"x\"}}\n{cut}");
    let bad = r.file("export.jsonl", body.as_bytes());
    let o = extract(&[], &[&r.good, &bad], Some(&r.out));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    let p = bad.display();
    assert!(
        lines[0].starts_with(&format!("visitgraph: skipped {p}:3: no `id`"))
            || lines[0].starts_with(&format!("visitgraph: skipped {p}:3: neither `text`")),
        "{err}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "visitgraph: skipped {p}:4: truncated JSON record (EOF while parsing"
        )),
        "{err}"
    );
    assert_eq!(
        reading_part(lines[2]),
        "visitgraph: 2 documents read, 2 skipped (2 bad JSONL line)"
    );
    let g = graph(&std::fs::read(&r.out).unwrap());
    assert!(docs(&g).contains("n1"), "the whole lines still count");
}

#[test]
fn every_bad_file_at_once_one_line_each() {
    let r = setup();
    let bad = [
        r.file("a-binary.txt", &noise(5000)),
        r.file("b-empty.txt", b""),
        r.file("c-cut.jsonl", b"{\"id\":\"q\",\"text\":\"\xe5\x8c"),
        r.file("d-binary.jsonl", &noise(100_000)),
        r.file("e-blank.jsonl", b"\n\r\n\n"),
    ];
    let mut inputs: Vec<&Path> = vec![&r.good];
    inputs.extend(bad.iter().map(|p| p.as_path()));
    let o = extract(&[], &inputs, Some(&r.out));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 6, "{err}");
    assert!(
        reading_part(err.lines().last().unwrap_or("")).ends_with(
            "visitgraph: 1 document read, 5 skipped (2 empty, 2 binary, 1 bad JSONL line)"
        ),
        "{err}"
    );
    assert!(!edges(&graph(&std::fs::read(&r.out).unwrap())).is_empty());
}

#[test]
fn fatal_errors_exit_2_and_leave_the_earlier_output() {
    let r = setup();
    let bad = r.file("scan.txt", &noise(1000));
    // A bad dictionary.
    let dict = r.dir.path().join("dict");
    std::fs::create_dir(&dict).unwrap();
    std::fs::write(
        dict.join("officials.tsv"),
        "id\tname\taliases\nzhang\t张三\t\n",
    )
    .unwrap();
    std::fs::write(
        dict.join("posts.tsv"),
        "official\ttitle\tjurisdiction\tfrom\tto\nzhang\t市长\tchina\t2020-13\t\n",
    )
    .unwrap();
    let o = bin()
        .arg("extract")
        .arg("--dict")
        .arg(&dict)
        .arg("-o")
        .arg(&r.out)
        .arg(&r.good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("posts.tsv:2:"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&r.out).unwrap(), "previous graph");
    // An unwritable output: the target is a folder.
    let folder = r.dir.path().join("out.json");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("keep"), "x").unwrap();
    let o = extract(&[], &[&r.good, &bad], Some(&folder));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).lines().last().unwrap().contains("out.json"));
    assert_eq!(std::fs::read_to_string(folder.join("keep")).unwrap(), "x");
    let leftovers: Vec<_> = std::fs::read_dir(r.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left behind");
    // Refusing to write over an input.
    let o = extract(&[], &[&r.good, &bad], Some(&r.good));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&r.good).unwrap(), page("F01.txt"));
}

#[test]
fn a_page_without_a_year_takes_it_from_the_records_url() {
    // F01 without its 发布时间 line: the page says 10月16日 and shows no year.
    let text: String = page("F01.txt")
        .lines()
        .filter(|l| !l.starts_with("发布时间"))
        .map(|l| format!("{l}\n"))
        .collect();
    let urls = [
        (
            "slash-month",
            "http://www.news.cn/local/2017-10/17/c_1121800000.htm",
            "2017-10-16",
        ),
        (
            "month-run",
            "http://paper.ce.cn/html/201810/17/content_3.htm",
            "2018-10-16",
        ),
        (
            "t-prefix",
            "http://www.ce.cn/xwzx/201910/17/t20191017_33.shtml",
            "2019-10-16",
        ),
        (
            "t-only",
            "http://www.wj.gov.cn/xwzx/t20161017_4512.html",
            "2016-10-16",
        ),
        (
            "year-monthday",
            "http://cz.people.com.cn/n2/2015/1017/c1-2.html",
            "2015-10-16",
        ),
        (
            "compact",
            "https://news.qq.com/a/20141017/012345.htm",
            "2014-10-16",
        ),
        (
            "iso",
            "https://x.cn/news/2013-10-17/doc-ifym.shtml",
            "2013-10-16",
        ),
        // An article id is no date: no year, so no date.
        ("id", "https://x.cn/a/1234567890.html", ""),
    ];
    let jsonl: String = urls
        .iter()
        .map(|(id, url, _)| {
            format!(
                "{}\n",
                serde_json::json!({"id": id, "url": url, "text": text})
            )
        })
        .collect();
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("crawl.jsonl");
    std::fs::write(&p, jsonl).unwrap();
    let o = extract(&[], &[&p], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let g = graph(&o.stdout);
    let mut dates: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for e in g["edges"].as_array().unwrap() {
        if e["relation"] != "visited" {
            continue;
        }
        for ev in e["evidence"].as_array().unwrap() {
            dates
                .entry(ev["doc"].as_str().unwrap().to_string())
                .or_default()
                .insert(ev["date"].as_str().unwrap_or("").to_string());
        }
    }
    for (id, url, want) in urls {
        let got = dates.get(id).cloned().unwrap_or_default();
        assert_eq!(got, BTreeSet::from([want.to_string()]), "{id}: {url}");
    }
}
