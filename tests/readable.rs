//! Evidence an analyst can read (issue 20): a date the text does not give is the page's
//! publication date, marked `"date_source": "published"` (else `"text"`), in the JSON, the
//! events table and past a date filter; beside the verbatim `sentence`, a `text` in
//! simplified script without pinyin and the `marks` of the edge's ends in it. Each case in
//! simplified script, traditional script and with pinyin glosses; the negative (no
//! publication date) keeps the evidence undated.

mod common;

use common::{bin, ok, read_csv};
use serde_json::Value;
use std::path::Path;

/// A layer with one official and one firm, and the pages of the table below.
fn world(pages: &[(&str, &str)]) -> tempfile::TempDir {
    common::world(
        &[
            (
                "officials.tsv",
                "id\tname\taliases\ncao-yanzhou\t曹砚舟\t\n",
            ),
            (
                "organizations.tsv",
                "id\tname\taliases\tkind\tplace\nxc\t芯澄微电子有限公司\t芯澄微电子\tcompany\t\n",
            ),
        ],
        pages,
    )
}

fn extract(w: &Path, args: &[&str]) -> Vec<u8> {
    ok(bin()
        .args(["extract", "--quiet", "--no-builtin", "--dict"])
        .arg(w.join("dict"))
        .args(args)
        .arg(w.join("pages")))
    .stdout
}

/// The visit's one piece of evidence in each page: doc → evidence object.
fn evidence_by_doc(g: &Value) -> std::collections::BTreeMap<String, Value> {
    g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["relation"] == "visited")
        .flat_map(|e| e["evidence"].as_array().cloned().unwrap_or_default())
        .map(|ev| (ev["doc"].as_str().unwrap_or_default().to_string(), ev))
        .collect()
}

/// (file, page, date, date source, readable text)
type Case = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

const CASES: &[Case] = &[
    // 近日 and a publication date: the page's date, said to be so.
    (
        "a.txt",
        "芯澄微电子新闻\n发布时间：2024-07-03 10:00\n\n近日，曹砚舟到芯澄微电子有限公司调研。\n",
        Some("2024-07-03"),
        Some("published"),
        "近日，曹砚舟到芯澄微电子有限公司调研。",
    ),
    // Traditional script, 日前.
    (
        "b.txt",
        "芯澄微電子新聞\n發布時間：2024年7月4日\n\n日前，曹硯舟到芯澄微電子有限公司調研。\n",
        Some("2024-07-04"),
        Some("published"),
        "日前，曹砚舟到芯澄微电子有限公司调研。",
    ),
    // Pinyin glosses and a date in the text: the text's date.
    (
        "c.txt",
        "芯澄微電子新聞\n發布時間：2024-07-05\n\n7月1日，曹硯(yàn)舟到芯澄微電子有限公司調(diào)研。\n",
        Some("2024-07-01"),
        Some("text"),
        "7月1日，曹砚舟到芯澄微电子有限公司调研。",
    ),
    // No date in the text at all: the publication date.
    (
        "d.txt",
        "芯澄微电子新闻\n发布时间：2024-07-06\n\n曹砚舟到芯澄微电子有限公司调研。\n",
        Some("2024-07-06"),
        Some("published"),
        "曹砚舟到芯澄微电子有限公司调研。",
    ),
    // Negative: 近日 and no publication date anywhere stays undated.
    (
        "e.txt",
        "芯澄微电子新闻\n\n近日，曹砚舟到芯澄微电子有限公司调研。\n",
        None,
        None,
        "近日，曹砚舟到芯澄微电子有限公司调研。",
    ),
];

fn pages() -> Vec<(&'static str, &'static str)> {
    CASES.iter().map(|c| (c.0, c.1)).collect()
}

#[test]
fn undated_evidence_takes_the_publication_date_and_says_so() {
    let w = world(&pages());
    let g: Value = serde_json::from_slice(&extract(w.path(), &[])).expect("JSON");
    let ev = evidence_by_doc(&g);
    for &(doc, _, date, source, text) in CASES {
        let e = &ev[doc];
        assert_eq!(e["date"].as_str(), date, "{doc}: {e}");
        assert_eq!(e["date_source"].as_str(), source, "{doc}: {e}");
        // `text` is left out when it is the sentence itself.
        let shown = e["text"].as_str().or(e["sentence"].as_str());
        assert_eq!(shown, Some(text), "{doc}");
        assert_eq!(e["text"].is_null(), e["sentence"] == text, "{doc}");
        // The verbatim quote stays as written.
        let page = CASES.iter().find(|c| c.0 == doc).map_or("", |c| c.1);
        assert!(
            page.contains(e["sentence"].as_str().unwrap_or("?")),
            "{doc}"
        );
    }
}

#[test]
fn marks_point_at_the_names_in_the_readable_text() {
    let w = world(&pages());
    let g: Value = serde_json::from_slice(&extract(w.path(), &[])).expect("JSON");
    for (doc, e) in evidence_by_doc(&g) {
        let shown = e["text"].as_str().or(e["sentence"].as_str());
        let text: Vec<char> = shown.unwrap_or_default().chars().collect();
        let span = |role: &str| -> String {
            let m = &e["marks"][role];
            let (a, b) = (m[0].as_u64(), m[1].as_u64());
            let (a, b) = (a.expect("start") as usize, b.expect("end") as usize);
            text[a..b].iter().collect()
        };
        assert_eq!(span("source"), "曹砚舟", "{doc}");
        assert_eq!(span("target"), "芯澄微电子有限公司", "{doc}");
    }
}

#[test]
fn the_events_table_says_where_the_date_comes_from_and_marks_the_names() {
    let w = world(&pages());
    let (head, rows) = read_csv(&extract(w.path(), &["--format", "events-csv"]));
    let c = |name: &str| head.iter().position(|h| h == name).expect("column");
    assert_eq!(rows.len(), CASES.len());
    for &(doc, _, date, source, _) in CASES {
        let r = rows.iter().find(|r| r[c("doc")] == doc).expect("row");
        assert_eq!(r[c("date")], date.unwrap_or(""), "{doc}");
        assert_eq!(r[c("date_source")], source.unwrap_or(""), "{doc}");
        assert!(
            r[c("text")].contains("【曹砚舟】到【芯澄微电子有限公司】"),
            "{doc}: {}",
            r[c("text")]
        );
    }
}

#[test]
fn a_date_filter_keeps_what_took_the_publication_date() {
    let w = world(&pages());
    let g: Value =
        serde_json::from_slice(&extract(w.path(), &["--since", "2024-07-03"])).expect("JSON");
    let ev = evidence_by_doc(&g);
    // Published 7-03, 7-04 and 7-06 are kept; 7-01 (from the text) and the undated are not.
    let kept: Vec<&str> = ev.keys().map(String::as_str).collect();
    assert_eq!(kept, ["a.txt", "b.txt", "d.txt"]);
}

/// A JSON Lines record without `published` takes its page date from a date in its `url`
/// (the record's `published` wins when there is one; an address without a date gives
/// none): `近日` gets that day, a year-less `7月1日` its year. Simplified, traditional and
/// pinyin texts.
#[test]
fn a_record_s_address_dates_its_page_when_nothing_else_does() {
    let records = [
        (
            "u1",
            r#""url":"http://www.example.gov.cn/xwdt/2024-07/03/content_88.htm""#,
            "近日，曹砚舟到芯澄微电子有限公司调研。",
            Some(("2024-07-03", "published")),
        ),
        (
            "u2",
            r#""url":"https://news.example.com.cn/system/2024/07/05/030412345.shtml""#,
            "7月1日，曹硯舟到芯澄微電子有限公司調研。",
            Some(("2024-07-01", "text")),
        ),
        (
            "u3",
            r#""url":"http://www.example.cn/art/t20240706_123.html""#,
            "日前，曹硯(yàn)舟到芯澄微電子有限公司調(diào)研。",
            Some(("2024-07-06", "published")),
        ),
        (
            "u4",
            r#""url":"http://www.example.cn/a/1234567890.html""#,
            "近日，曹砚舟到芯澄微电子有限公司调研。",
            None,
        ),
        (
            "u5",
            r#""published":"2024-07-08","url":"http://www.example.cn/2024-06/01/c_1.htm""#,
            "近日，曹砚舟到芯澄微电子有限公司调研。",
            Some(("2024-07-08", "published")),
        ),
    ];
    let lines: String = records
        .iter()
        .map(|(id, fields, text, _)| {
            let text = serde_json::to_string(&format!("芯澄微电子新闻\n\n{text}\n")).expect("JSON");
            format!("{{\"id\":\"{id}\",{fields},\"text\":{text}}}\n")
        })
        .collect();
    let w = world(&[("r.jsonl", lines.as_str())]);
    let g: Value = serde_json::from_slice(&extract(w.path(), &[])).expect("JSON");
    let ev = evidence_by_doc(&g);
    for (id, _, _, want) in records {
        let e = &ev[id];
        let got = e["date"].as_str().zip(e["date_source"].as_str());
        assert_eq!(got, want, "{id}: {e}");
    }
}
