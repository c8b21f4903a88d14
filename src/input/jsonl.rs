//! JSON Lines: one record per line, `{"id": …, "text": …}` or `{"id": …, "html": …}`, with
//! optional `url`, `published` and `title`. The record's `id` (a string or a number) is the
//! evidence `doc`. Blank lines are ignored; a line that is not such a record (truncated,
//! malformed, no `id`, neither `text` nor `html`, empty text) is skipped and named as
//! `file:line`, and the other lines still count.
//!
//! `text` is kept exactly as given (evidence offsets count its characters); `html` goes
//! through [`super::html`] like an HTML file. `published` is read as `YYYY-MM-DD` from any
//! full date it holds (`2024-10-17T08:45:00+08:00`, `2024年10月17日`…); without it, a date
//! in the `url` path counts.

use std::io::{BufRead, Read};

use serde_json::Value;

use super::{Cause, Loaded, Record, Skip, decode, html_record};
use crate::page::date;

/// After this many bad lines and no good one, the file is not JSON Lines at all.
const GIVE_UP: usize = 10;

/// Read a JSON Lines stream into records (all of them in [`Loaded::records`]).
pub fn read<R: BufRead>(what: &str, r: R, max: u64) -> Loaded {
    let mut records = Vec::new();
    let mut out = read_each(what, r, max, &mut |rec| {
        records.push(rec);
        true
    });
    out.records = records;
    out.streamed = 0;
    out
}

/// Read a JSON Lines stream one line at a time, handing each record to `each` as soon as it
/// is read (counted in [`Loaded::streamed`]), so neither the file's size nor its number of
/// records matters: only a line longer than `max` bytes is skipped. Reading stops when
/// `each` returns false. Lines are UTF-8 as JSON Lines requires, but a line in another
/// encoding is detected like a file; a file starting with a UTF-16 byte-order mark is read
/// whole (up to `max`) and decoded first.
pub fn read_each<R: BufRead>(
    what: &str,
    mut r: R,
    max: u64,
    each: &mut dyn FnMut(Record) -> bool,
) -> Loaded {
    let mut out = Loaded::default();
    let mut sink = Sink {
        each,
        stopped: false,
    };
    let head = match r.fill_buf() {
        Ok(h) => h,
        Err(e) => return super::skip_all(what, Cause::Unreadable, e.to_string()),
    };
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        let mut all = Vec::new();
        if let Err(e) = r.take(max.saturating_add(1)).read_to_end(&mut all) {
            return super::skip_all(what, Cause::Unreadable, e.to_string());
        }
        if all.len() as u64 > max {
            return super::too_large(what, None, max);
        }
        match decode::decode(&all, false) {
            Ok(d) => {
                if let Some(r) = d.repairs() {
                    out.warnings.push(format!("{what}: {r}"));
                }
                for (i, l) in d.text.split('\n').enumerate() {
                    line(&|| format!("{what}:{}", i + 1), l, &mut out, &mut sink);
                    if sink.stopped {
                        break;
                    }
                }
            }
            Err(decode::Reject::Empty) => {
                return super::skip_all(what, Cause::Empty, "empty file (no text)".into());
            }
            Err(decode::Reject::Binary(why)) => {
                return super::skip_all(what, Cause::Binary, why);
            }
        }
        return out;
    }
    if let Err(decode::Reject::Binary(why)) = decode::decode(&head[..head.len().min(8192)], false) {
        return super::skip_all(what, Cause::Binary, why);
    }
    let mut buf = Vec::new();
    let mut n = 0usize;
    let mut bad = 0usize;
    let mut nonblank = 0usize;
    loop {
        buf.clear();
        let too_long = match read_line(&mut r, max, &mut buf) {
            Ok(None) => break,
            Ok(Some(too_long)) => too_long,
            Err(e) => {
                out.skipped.push(Skip {
                    what: format!("{what}:{}", n + 1),
                    reason: e.to_string(),
                    cause: Cause::Unreadable,
                });
                break;
            }
        };
        n += 1;
        // `file:line`, made only for a message.
        let at = || format!("{what}:{n}");
        let before = out.skipped.len();
        if too_long {
            out.skipped.push(Skip {
                what: at(),
                reason: format!(
                    "line longer than the {} limit (raise it with --max-bytes)",
                    super::human(max)
                ),
                cause: Cause::TooLarge,
            });
        } else {
            let mut bytes = &buf[..];
            if n == 1 {
                bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            }
            if bytes.trim_ascii().is_empty() {
                continue;
            }
            nonblank += 1;
            // SIMD validation: the scalar check ran at ~1.4 GB/s on CJK text, a third of
            // the reader thread's time.
            match simdutf8::basic::from_utf8(bytes) {
                Ok(s) => line(&at, s, &mut out, &mut sink),
                Err(_) => match decode::decode(bytes, false) {
                    Ok(d) => {
                        if let Some(r) = d.repairs() {
                            out.warnings.push(format!("{}: {r}", at()));
                        }
                        line(&at, &d.text, &mut out, &mut sink);
                    }
                    Err(decode::Reject::Empty) => {}
                    Err(decode::Reject::Binary(why)) => out.skipped.push(Skip {
                        what: at(),
                        reason: why,
                        cause: Cause::BadRecord,
                    }),
                },
            }
        }
        if sink.stopped {
            break;
        }
        if out.streamed == 0 && out.skipped.len() > before {
            bad += 1;
            if bad >= GIVE_UP {
                out.skipped.push(Skip {
                    what: what.to_string(),
                    reason: format!(
                        "not JSON Lines (the first {GIVE_UP} lines are not records); the rest is ignored"
                    ),
                    cause: Cause::BadRecord,
                });
                break;
            }
        }
    }
    if nonblank == 0 && out.streamed == 0 && out.skipped.is_empty() {
        return super::skip_all(what, Cause::Empty, "empty file (no text)".into());
    }
    out
}

/// Read one line (with its `\n`) into `buf`, keeping at most `max` + 1 bytes: `None` at
/// the end of the stream, `Some(true)` when the line was longer (and dropped).
fn read_line<R: BufRead>(r: &mut R, max: u64, buf: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    let mut got = false;
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(got.then_some(too_long));
        }
        got = true;
        let (len, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        if !too_long {
            if (buf.len() + len) as u64 > max.saturating_add(1) {
                too_long = true;
                buf.clear();
                buf.shrink_to(0);
            } else {
                buf.extend_from_slice(&avail[..len]);
            }
        }
        r.consume(len);
        if done {
            return Ok(Some(too_long));
        }
    }
}

/// Where records go, and whether the taker wants no more.
struct Sink<'a> {
    each: &'a mut dyn FnMut(Record) -> bool,
    stopped: bool,
}

/// One line of a JSON Lines file: a record into `sink` (counted in `out`), or a skip
/// naming `at()` (`file:line`). Blank lines are nothing.
fn line(at: &dyn Fn() -> String, line: &str, out: &mut Loaded, sink: &mut Sink<'_>) {
    let line = line.trim_end_matches(['\r', '\n']);
    let line = line.trim_start_matches('\u{feff}');
    if line.trim().is_empty() {
        return;
    }
    match record(line) {
        Ok((mut rec, nuls)) => {
            if nuls > 0 {
                out.warnings.push(format!(
                    "{}: {nuls} NUL character{} removed",
                    at(),
                    if nuls == 1 { "" } else { "s" }
                ));
            }
            if rec.text.trim().is_empty() {
                out.skipped.push(Skip {
                    what: at(),
                    reason: "the record has no text".into(),
                    cause: Cause::Empty,
                });
            } else {
                // Unescaped text keeps the literal's length as capacity: a little slack is
                // cheaper than copying every page again.
                if rec.text.capacity() - rec.text.len() > rec.text.len() / 8 {
                    rec.text.shrink_to_fit();
                }
                out.streamed += 1;
                sink.stopped = !(sink.each)(rec);
            }
        }
        Err(reason) => out.skipped.push(Skip {
            what: at(),
            reason,
            cause: Cause::BadRecord,
        }),
    }
}

fn string(v: &Value, key: &str) -> Option<String> {
    match v.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// The usual record, read straight into its fields (no JSON tree, no copy of the text).
/// Anything else (a field of another type, not an object, broken JSON) goes the general
/// way, which names what is wrong.
///
/// `text` is taken raw and unescaped by [`unescape`]: serde would unescape a string with
/// escapes (every page has `\n`) into a scratch buffer grown by doubling, copy it out and
/// free it, for every line — half of the reader thread's time.
#[derive(serde::Deserialize)]
struct Typed<'a> {
    id: Option<TypedId>,
    #[serde(borrow)]
    text: Option<&'a serde_json::value::RawValue>,
    html: Option<String>,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum TypedId {
    Text(String),
    Number(serde_json::Number),
}

/// One line to a record (and the NUL characters removed from it), or why not.
fn record(line: &str) -> Result<(Record, usize), String> {
    // Only an object: serde would also read a struct from an array of values.
    if line.trim_start().starts_with('{')
        && let Ok(t) = serde_json::from_str::<Typed>(line)
        // A `text` that is not a string goes the general way (`html` may stand in for it).
        && let Some(text) = t.text.map_or(Some(None), |raw| unescape(raw.get()).map(Some))
    {
        let id = match t.id {
            Some(TypedId::Text(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(TypedId::Number(n)) => n.to_string(),
            _ => return Err("no `id` (a string or a number)".into()),
        };
        let nonblank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        return build(
            id,
            text,
            t.html,
            nonblank(t.url),
            nonblank(t.title),
            nonblank(t.published),
        );
    }
    let v: Value = serde_json::from_str(line).map_err(|e| {
        if e.is_eof() {
            format!("truncated JSON record ({e})")
        } else {
            format!("not a JSON record ({e})")
        }
    })?;
    if !v.is_object() {
        return Err("not a JSON object".into());
    }
    let id = match v.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err("no `id` (a string or a number)".into()),
    };
    build(
        id,
        v.get("text").and_then(Value::as_str).map(str::to_string),
        v.get("html").and_then(Value::as_str).map(str::to_string),
        string(&v, "url"),
        string(&v, "title"),
        string(&v, "published"),
    )
}

/// A JSON string literal as the parser passed it (quotes, escapes checked) to its value;
/// `None` if `raw` is not a string, or holds a lone surrogate (the general path names it).
/// The value is built in one allocation of the literal's length, its upper bound.
fn unescape(raw: &str) -> Option<String> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let b = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'\\', &b[i..]) {
        // `\\` is ASCII, so both ends are character boundaries.
        out.push_str(body.get(i..i + k)?);
        let e = *b.get(i + k + 1)?;
        i += k + 2;
        let c = match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = hex4(b.get(i..i + 4)?)?;
                i += 4;
                let cp = match hi {
                    0xD800..=0xDBFF => {
                        let lo = match b.get(i..i + 6)? {
                            [b'\\', b'u', h @ ..] => hex4(h)?,
                            _ => return None,
                        };
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return None;
                        }
                        i += 6;
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return None,
                    _ => hi,
                };
                char::from_u32(cp)?
            }
            _ => return None,
        };
        out.push(c);
    }
    out.push_str(body.get(i..)?);
    Some(out)
}

/// Four hex digits.
fn hex4(h: &[u8]) -> Option<u32> {
    h.iter()
        .try_fold(0u32, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
}

/// A record from its fields (`url`, `title`, `published` already non-blank or `None`).
fn build(
    id: String,
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
) -> Result<(Record, usize), String> {
    let title = title.map(|t| t.trim().to_string());
    let published = published
        .and_then(|p| date::full_date_in(&p))
        .or_else(|| url.as_deref().and_then(date::url_date_in))
        .map(date::format);
    let strip = |s: String| -> (String, usize) {
        let n = s.matches('\0').count();
        if n > 0 {
            (s.replace('\0', ""), n)
        } else {
            (s, 0)
        }
    };
    let (mut rec, nuls) = if let Some(text) = text {
        let (text, n) = strip(text);
        (
            Record {
                name: id,
                text,
                title,
                published,
                url: None,
            },
            n,
        )
    } else if let Some(page) = html {
        let (page, n) = strip(page);
        let rec = html_record(&id, &page, title.clone(), published.clone()).unwrap_or(Record {
            name: id,
            text: String::new(),
            title,
            published,
            url: None,
        });
        (rec, n)
    } else {
        return Err("neither `text` nor `html` (a string)".into());
    };
    rec.url = url;
    Ok((rec, nuls))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of a JSON string literal's body: text, every escape, surrogate pairs whole and
    /// halved, and broken escapes.
    fn literal_body() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[a-z文字。 ]{1,4}",
            Just("\\\"".to_string()),
            Just("\\\\".to_string()),
            prop::sample::select(vec!["\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0000"])
                .prop_map(str::to_string),
            "\\\\u[0-9a-fA-F]{4}",
            "\\\\u[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2}",
            "\\\\u[dD][89abAB][0-9a-fA-F]{2}",
            "\\\\u[dD][c-fC-F][0-9a-fA-F]{2}",
            "\\\\[ux0-9]{0,3}",
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\u{1}".to_string()),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]
        /// Whatever the parser passes as a raw string, `unescape` gives what serde gives,
        /// and refuses what serde refuses.
        #[test]
        fn unescape_is_serdes_string(body in literal_body()) {
            let lit = format!("\"{body}\"");
            let ours = serde_json::from_str::<&serde_json::value::RawValue>(&lit)
                .ok()
                .and_then(|r| unescape(r.get()));
            prop_assert_eq!(ours, serde_json::from_str::<String>(&lit).ok());
        }
    }

    #[test]
    fn raw_values_that_are_not_strings_are_not_unescaped() {
        for raw in ["5", "null", "[\"a\"]", "{}", "\"", "\"a\\\""] {
            assert_eq!(unescape(raw), None, "{raw}");
        }
        assert_eq!(unescape("\"\\ud83d\\ude00\\n\"").as_deref(), Some("😀\n"));
    }

    #[test]
    fn only_objects_are_records_whichever_way_they_are_read() {
        // The typed fast path would read a struct from an array; the general path names it.
        let text = "[\"a\",\"正文。\"]\n{\"id\":\"b\",\"text\":5,\"html\":\"<p>段落。</p>\"}\n{\"id\":\"c\",\"text\":\"正文。\",\"title\":7}\n";
        let out = read("g.jsonl", text.as_bytes(), 1 << 20);
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].what, "g.jsonl:1");
        assert!(out.skipped[0].reason.contains("not a JSON object"));
        // A field of another type falls back to the general reading: `html` stands in for
        // a non-string `text`, a non-string `title` is ignored.
        assert_eq!(out.records.len(), 2);
        assert_eq!(out.records[0].name, "b");
        assert!(out.records[0].text.contains("段落。"));
        assert_eq!(out.records[1].name, "c");
        assert_eq!(out.records[1].title, None);
    }

    #[test]
    fn lines_become_records_or_named_skips() {
        let text = concat!(
            "{\"id\":\"a\",\"text\":\"正文。\",\"published\":\"2024-10-17T08:45:00+08:00\",\"title\":\"标题\"}\r\n",
            "\n",
            "{\"id\":7,\"html\":\"<p>段落。</p>\",\"url\":\"http://x.cn/2023/0608/c1.html\"}\n",
            "[1,2]\n",
            "{\"text\":\"无名\"}\n",
            "{\"id\":\"b\"}\n",
            "{\"id\":\"c\",\"text\":\"  \"}\n",
            "{\"id\":\"d\",\"text\":\"截断",
        );
        let out = read("f.jsonl", text.as_bytes(), 1 << 20);
        assert_eq!(out.records.len(), 2);
        assert_eq!(out.records[0].name, "a");
        assert_eq!(out.records[0].text, "正文。");
        assert_eq!(out.records[0].published.as_deref(), Some("2024-10-17"));
        assert_eq!(out.records[1].name, "7");
        assert_eq!(out.records[1].published.as_deref(), Some("2023-06-08"));
        assert_eq!(out.records[1].text, "发布时间:2023-06-08\n\n段落。\n");
        let skips: Vec<(&str, Cause)> = out
            .skipped
            .iter()
            .map(|s| (s.what.as_str(), s.cause))
            .collect();
        assert_eq!(
            skips,
            [
                ("f.jsonl:4", Cause::BadRecord),
                ("f.jsonl:5", Cause::BadRecord),
                ("f.jsonl:6", Cause::BadRecord),
                ("f.jsonl:7", Cause::Empty),
                ("f.jsonl:8", Cause::BadRecord),
            ]
        );
        assert!(out.skipped[4].reason.starts_with("truncated JSON record"));
    }

    #[test]
    fn a_date_in_the_url_is_the_publication_date_when_published_is_absent() {
        for (url, want) in [
            (
                "http://www.news.cn/2017-09/27/c_1121.htm",
                Some("2017-09-27"),
            ),
            (
                "http://paper.ce.cn/html/201709/27/content_3.htm",
                Some("2017-09-27"),
            ),
            ("http://www.ce.cn/a/t20170927_33.shtml", Some("2017-09-27")),
            (
                "http://cz.people.com.cn/n2/2017/0927/c1-2.html",
                Some("2017-09-27"),
            ),
            (
                "https://news.qq.com/a/20170927/012345.htm",
                Some("2017-09-27"),
            ),
            (
                "https://x.cn/news/2017-09-27/doc-ifym.shtml",
                Some("2017-09-27"),
            ),
            ("https://x.cn/a/1234567890.html", None),
        ] {
            let line = serde_json::json!({"id": "a", "url": url, "text": "9月3日,正文。"});
            let out = read("f.jsonl", format!("{line}\n").as_bytes(), 1 << 20);
            assert_eq!(out.records[0].published.as_deref(), want, "{url}");
            assert_eq!(out.records[0].url.as_deref(), Some(url));
        }
        // `published` wins over the URL.
        let line = serde_json::json!({"id": "a", "url": "http://x.cn/t20170927_1.html",
            "published": "2018-01-02 10:00", "text": "正文。"});
        let out = read("f.jsonl", format!("{line}\n").as_bytes(), 1 << 20);
        assert_eq!(out.records[0].published.as_deref(), Some("2018-01-02"));
    }

    #[test]
    fn records_are_handed_over_as_they_are_read_until_the_taker_stops() {
        let text = "{\"id\":\"a\",\"text\":\"一。\"}\nnot json\n{\"id\":\"b\",\"text\":\"二。\"}\n{\"id\":\"c\",\"text\":\"三。\"}\n";
        let mut got = Vec::new();
        let out = read_each("f.jsonl", text.as_bytes(), 1 << 20, &mut |r| {
            got.push(r.name);
            got.len() < 2
        });
        assert_eq!(got, ["a", "b"]);
        assert_eq!(
            (out.streamed, out.records.len(), out.skipped.len()),
            (2, 0, 1)
        );
        let mut tally = super::super::Tally::default();
        tally.add(&out);
        assert_eq!((tally.read, tally.total_skipped()), (2, 1));
        // `read` keeps them all instead.
        let all = read("f.jsonl", text.as_bytes(), 1 << 20);
        assert_eq!((all.streamed, all.records.len()), (0, 3));
    }

    #[test]
    fn long_lines_are_skipped_without_holding_them() {
        let long = format!("{{\"id\":\"l\",\"text\":\"{}\"}}", "文".repeat(1000));
        let text = format!(
            "{{\"id\":\"a\",\"text\":\"短。\"}}\n{long}\n{{\"id\":\"b\",\"text\":\"又。\"}}"
        );
        let out = read(
            "f.jsonl",
            std::io::BufReader::with_capacity(16, text.as_bytes()),
            100,
        );
        assert_eq!(out.records.len(), 2);
        assert_eq!(out.skipped.len(), 1);
        assert_eq!(out.skipped[0].what, "f.jsonl:2");
        assert_eq!(out.skipped[0].cause, Cause::TooLarge);
    }

    #[test]
    fn text_that_is_not_jsonl_is_given_up_after_a_few_lines() {
        let text = "这不是 JSON\n".repeat(1000);
        let out = read("f.jsonl", text.as_bytes(), 1 << 20);
        assert_eq!(out.skipped.len(), GIVE_UP + 1);
        assert_eq!(out.skipped[GIVE_UP].what, "f.jsonl");
        let out = read("g.jsonl", &b"\n\n  \n"[..], 1 << 20);
        assert_eq!(out.skipped[0].cause, Cause::Empty);
    }
}
