//! WARC files (web archives, ISO 28500: what Heritrix, wget `--warc-file` and Common Crawl
//! write): every `response` record holding an HTML or plain-text page becomes a page, and
//! so does a `resource` record of such a page.
//!
//! Why our own reader: the format is small (a version line, `Name: value` headers, a
//! `Content-Length` block, two CRLFs), and reading it here keeps every error ours: a record
//! cut short or a header that does not parse is one [`Skip`] naming the file and the
//! record, never a panic, and the pages before it are kept. `fuzz/fuzz_targets/warc.rs`
//! feeds it arbitrary bytes. Compression is below it ([`super::compress`]): a `.warc.gz`
//! compressed record by record (Common Crawl) or whole reads the same.
//!
//! A page:
//!
//! - **name** and **url**: the record's `WARC-Target-URI` (the evidence `doc` and `url`).
//! - **date anchor**: the page's own date when it shows one (the document stage finds it in
//!   the text; an HTML page's meta date as for a file); otherwise a date in its address
//!   (`/2024-07/03/`), else the day of `WARC-Date` (UTC, as the crawler wrote it), as
//!   [`Record::published`], which stands in only when the page has no date. It is not written into the text, so a page reads exactly as the same
//!   bytes saved as a file.
//! - **payload**: the HTTP body, de-chunked (`Transfer-Encoding: chunked`) and decompressed
//!   (`Content-Encoding: gzip`, `deflate`, `zstd`) when the crawler stored it as received;
//!   when the body is not what the header says (a crawler that decoded it but kept the
//!   header), it is read as it is. The `Content-Type` charset is a hint for decoding
//!   ([`super::decode::decode_hinted`]).
//!
//! Records that are no pages (`request`, `metadata`, `warcinfo`, `revisit`, non-HTML
//! payloads, redirects and errors, pages without text) are counted, not skipped as errors:
//! one line per file says how many (`x.warc.gz: 12 pages, 3 records skipped (2 not HTML, 1
//! revisit)`) and the exit status stays 0. A truncated or unparsable record, a page larger
//! than `--max-bytes` or in an encoding we cannot undo are [`Skip`]s (exit 3).

use std::collections::BTreeMap;
use std::io::{BufRead, Read};

use encoding_rs::Encoding;

use super::compress::Codec;
use super::{Cause, Kind, Loaded, Record, Skip};
use crate::page::date;

/// The longest header line, and all of a record's (or an HTTP response's) header.
const MAX_HEADER: usize = 1 << 16;

/// One record's WARC header, the fields we use.
#[derive(Debug, Default)]
struct Header {
    /// `WARC-Type`, lowercase.
    kind: String,
    /// `WARC-Target-URI`, without the `<…>` some writers put around it.
    uri: Option<String>,
    /// `WARC-Date`'s day, `YYYY-MM-DD`.
    day: Option<String>,
    /// `Content-Type`, lowercase.
    content_type: String,
    /// `Content-Length`.
    length: Option<u64>,
}

/// What reading one WARC stream gives, beyond [`Loaded`]: the counts for its summary line.
struct Reader<'a> {
    what: &'a str,
    codec: Codec,
    max: u64,
    out: Loaded,
    pages: usize,
    /// Records that were no pages, by why.
    passed: BTreeMap<&'static str, usize>,
    /// Records read so far (for messages).
    n: usize,
}

/// Read a WARC stream, handing each page to `each` as it is read; stops when `each` returns
/// false. `codec` (the compression below) tells damaged data from an unreadable file.
pub(crate) fn read_each(
    what: &str,
    r: &mut dyn BufRead,
    codec: Codec,
    max: u64,
    each: &mut dyn FnMut(Record) -> bool,
) -> Loaded {
    let mut rd = Reader {
        what,
        codec,
        max,
        out: Loaded::default(),
        pages: 0,
        passed: BTreeMap::new(),
        n: 0,
    };
    loop {
        match rd.record(r, each) {
            Ok(true) => {}
            Ok(false) => break,
            Err((cause, why)) => {
                rd.count("truncated or corrupt");
                let at = if rd.n == 0 {
                    what.to_string()
                } else {
                    format!("{what}: record {}", rd.n)
                };
                rd.out.skipped.push(Skip {
                    what: at,
                    reason: format!("{why}; the rest of the file is not read"),
                    cause,
                });
                break;
            }
        }
    }
    rd.finish()
}

/// Why a record stops the reading of its file.
type Stop = (Cause, String);

impl Reader<'_> {
    fn count(&mut self, why: &'static str) {
        *self.passed.entry(why).or_default() += 1;
    }

    /// An I/O error as a reason: damaged compressed data, or a file that cannot be read.
    fn io(&self, e: &std::io::Error) -> Stop {
        match self.codec {
            Codec::Plain => (Cause::Unreadable, e.to_string()),
            _ => (Cause::Corrupt, e.to_string()),
        }
    }

    /// Read one record: `Ok(false)` at the end (or when `each` wants no more pages).
    fn record(
        &mut self,
        r: &mut dyn BufRead,
        each: &mut dyn FnMut(Record) -> bool,
    ) -> Result<bool, Stop> {
        let version = loop {
            match read_line(r).map_err(|e| self.io(&e))? {
                None => return Ok(false),
                Some(l) if l.trim_ascii().is_empty() => continue,
                Some(l) => break l,
            }
        };
        self.n += 1;
        if !version.starts_with(b"WARC/") {
            let why = if self.n == 1 {
                "not a WARC file (it does not start with a WARC/1.x line)"
            } else {
                "no WARC/1.x line where the record should start"
            };
            return Err((Cause::Corrupt, why.into()));
        }
        let h = self.header(r)?;
        let len = h.length.ok_or_else(|| {
            (
                Cause::Corrupt,
                "no Content-Length in the record header".to_string(),
            )
        })?;
        let page = matches!(h.kind.as_str(), "response" | "resource");
        // A block we read: a page's, up to the limit (a larger one is read in part, to see
        // what it is). Any other block is passed over unread.
        let keep = if page {
            len.min(self.max.saturating_add(MAX_HEADER as u64))
        } else {
            0
        };
        let mut block = Vec::new();
        let got = (&mut *r)
            .take(keep)
            .read_to_end(&mut block)
            .map_err(|e| self.io(&e))? as u64;
        let rest = std::io::copy(&mut (&mut *r).take(len - got), &mut std::io::sink())
            .map_err(|e| self.io(&e))?;
        if got + rest < len {
            return Err((
                Cause::Corrupt,
                format!(
                    "{} truncated: {} of its {len} bytes",
                    h.uri.as_deref().unwrap_or("the record"),
                    got + rest
                ),
            ));
        }
        if !page {
            let why = match h.kind.as_str() {
                "request" => "request",
                "revisit" => "revisit",
                "metadata" => "metadata",
                "warcinfo" => "warcinfo",
                _ => "other WARC type",
            };
            self.count(why);
            return Ok(true);
        }
        Ok(self.page(&h, &block, len, each))
    }

    /// The header lines after the version line, up to the blank line.
    fn header(&mut self, r: &mut dyn BufRead) -> Result<Header, Stop> {
        let mut h = Header::default();
        let mut size = 0usize;
        loop {
            let Some(line) = read_line(r).map_err(|e| self.io(&e))? else {
                return Err((
                    Cause::Corrupt,
                    "the file ends inside a record header".into(),
                ));
            };
            size += line.len();
            if size > MAX_HEADER {
                return Err((Cause::Corrupt, "a record header longer than 64 KiB".into()));
            }
            if line.trim_ascii().is_empty() {
                return Ok(h);
            }
            let line = String::from_utf8_lossy(&line);
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "warc-type" => h.kind = value.to_ascii_lowercase(),
                "warc-target-uri" => {
                    let v = value.trim_start_matches('<').trim_end_matches('>').trim();
                    h.uri = (!v.is_empty()).then(|| v.to_string());
                }
                "warc-date" => h.day = date::full_date_in(value).map(date::format),
                "content-type" => h.content_type = value.to_ascii_lowercase(),
                "content-length" => {
                    let n = value.parse::<u64>().map_err(|_| {
                        (
                            Cause::Corrupt,
                            format!("Content-Length `{value}` is not a number"),
                        )
                    })?;
                    h.length = Some(n);
                }
                _ => {}
            }
        }
    }

    /// A `response` or `resource` block as a page, or counted as no page. Always goes on
    /// reading unless `each` wants no more.
    fn page(
        &mut self,
        h: &Header,
        block: &[u8],
        len: u64,
        each: &mut dyn FnMut(Record) -> bool,
    ) -> bool {
        let uri = h
            .uri
            .clone()
            .unwrap_or_else(|| format!("{}#{}", self.what, self.n));
        let at = format!("{}: {uri}", self.what);
        let payload = if h.kind == "response" {
            match http(block) {
                Ok(p) => p,
                Err(why) => {
                    self.count(why);
                    return true;
                }
            }
        } else {
            Payload {
                content_type: h.content_type.clone(),
                encoding: None,
                chunked: false,
                body: block,
            }
        };
        let Some(kind) = page_kind(&payload.content_type, payload.body) else {
            self.count("not HTML");
            return true;
        };
        if len > self.max.saturating_add(MAX_HEADER as u64) {
            self.out
                .skipped
                .push(super::too_large(&at, Some(len), self.max).skipped.remove(0));
            self.count("too large");
            return true;
        }
        let body = match payload.decoded(self.max) {
            Ok(b) => b,
            Err(why) => {
                self.out.skipped.push(Skip {
                    what: at,
                    reason: why,
                    cause: Cause::Unreadable,
                });
                self.count("unreadable payload");
                return true;
            }
        };
        if body.len() as u64 > self.max {
            self.out
                .skipped
                .push(super::too_large(&at, None, self.max).skipped.remove(0));
            self.count("too large");
            return true;
        }
        let hint = charset(&payload.content_type);
        let mut l = super::load_page(&at, &uri, kind, &body, hint);
        self.out.warnings.append(&mut l.warnings);
        if !l.skipped.is_empty() {
            self.count("no text");
        }
        for mut rec in l.records {
            rec.url = Some(uri.clone());
            // The page's own date, else one in its address, else the day it was crawled.
            rec.published = rec
                .published
                .or_else(|| url_day(&uri))
                .or_else(|| h.day.clone());
            self.pages += 1;
            self.out.streamed += 1;
            if !each(rec) {
                return false;
            }
        }
        true
    }

    /// The result, with the file's summary line when some records were no pages.
    fn finish(mut self) -> Loaded {
        let passed: usize = self.passed.values().sum();
        if self.pages == 0 && self.out.skipped.is_empty() {
            let why = if self.n == 0 {
                "empty file (no WARC record)".to_string()
            } else {
                format!("no HTML or text page among its {} records", self.n)
            };
            return super::skip_all(self.what, Cause::Empty, why);
        }
        if passed > 0 {
            let why: Vec<String> = self
                .passed
                .iter()
                .map(|(w, n)| format!("{n} {w}"))
                .collect();
            self.out.warnings.push(format!(
                "{}: {} page{}, {passed} record{} skipped ({})",
                self.what,
                self.pages,
                if self.pages == 1 { "" } else { "s" },
                if passed == 1 { "" } else { "s" },
                why.join(", ")
            ));
            self.out.notes += 1;
        }
        self.out
    }
}

/// One line with its end (`\n`), at most [`MAX_HEADER`] bytes kept; `None` at the end.
fn read_line(r: &mut dyn BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let n = (&mut *r)
        .take(MAX_HEADER as u64)
        .read_until(b'\n', &mut line)?;
    Ok((n > 0).then_some(line))
}

/// An HTTP response's parts, as stored.
struct Payload<'a> {
    /// `Content-Type`, lowercase.
    content_type: String,
    /// `Content-Encoding`, lowercase, when not `identity`.
    encoding: Option<String>,
    /// `Transfer-Encoding: chunked`.
    chunked: bool,
    /// The body as stored.
    body: &'a [u8],
}

/// Split a stored HTTP response into its header fields and body; an error says why it is no
/// page (not HTTP, a redirect or an error status).
fn http(block: &[u8]) -> Result<Payload<'_>, &'static str> {
    if !block.starts_with(b"HTTP/") {
        return Err("not HTTP");
    }
    let Some((end, body_at)) = header_end(&block[..block.len().min(MAX_HEADER)]) else {
        return Err("not HTTP");
    };
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok());
    if !status.is_some_and(|s| (200..300).contains(&s)) {
        return Err("redirect or error status");
    }
    let mut p = Payload {
        content_type: String::new(),
        encoding: None,
        chunked: false,
        body: &block[body_at..],
    };
    for l in lines {
        let Some((name, value)) = l.split_once(':') else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => p.content_type = value,
            "content-encoding" if !value.is_empty() && value != "identity" => {
                p.encoding = Some(value)
            }
            "transfer-encoding" => p.chunked = value.contains("chunked"),
            _ => {}
        }
    }
    Ok(p)
}

/// Where an HTTP header ends (before its blank line) and the body starts: the first empty
/// line, `\r\n` or `\n` ended (a crawler may have rewritten the line ends).
fn header_end(b: &[u8]) -> Option<(usize, usize)> {
    for i in memchr::memchr_iter(b'\n', b) {
        match &b[i + 1..] {
            [b'\n', ..] => return Some((i, i + 2)),
            [b'\r', b'\n', ..] => return Some((i, i + 3)),
            _ => {}
        }
    }
    None
}

impl Payload<'_> {
    /// The body de-chunked and decompressed (at most `max` + 1 bytes); as stored when it is
    /// not what the header says. An error names an encoding we cannot undo, or a damaged one.
    fn decoded(&self, max: u64) -> Result<Vec<u8>, String> {
        let dechunked = if self.chunked {
            dechunk(self.body)
        } else {
            None
        };
        let body = dechunked.as_deref().unwrap_or(self.body);
        let Some(enc) = &self.encoding else {
            return Ok(body.to_vec());
        };
        let mut out = Vec::new();
        let limit = max.saturating_add(1);
        let res = match enc.as_str() {
            "gzip" | "x-gzip" if body.starts_with(&[0x1f, 0x8b]) => {
                flate2::read::MultiGzDecoder::new(body)
                    .take(limit)
                    .read_to_end(&mut out)
            }
            "deflate" if body.first().is_some_and(|b| b & 0x0f == 8) => {
                flate2::read::ZlibDecoder::new(body)
                    .take(limit)
                    .read_to_end(&mut out)
            }
            "deflate" => flate2::read::DeflateDecoder::new(body)
                .take(limit)
                .read_to_end(&mut out),
            "zstd" if body.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) => {
                zstd::stream::read::Decoder::new(body)
                    .and_then(|d| d.take(limit).read_to_end(&mut out))
            }
            // Stored already decoded.
            "gzip" | "x-gzip" | "zstd" => return Ok(body.to_vec()),
            other => return Err(format!("Content-Encoding `{other}` is not supported")),
        };
        match res {
            Ok(_) => Ok(out),
            Err(e) => Err(format!("corrupt {enc} Content-Encoding ({e})")),
        }
    }
}

/// A chunked body put together; `None` when it is not chunked after all. A body cut short
/// keeps the chunks it has.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    let mut first = true;
    loop {
        let Some(nl) = memchr::memchr(b'\n', b) else {
            return (!first).then_some(out);
        };
        let line = std::str::from_utf8(&b[..nl]).ok()?;
        let size = line.split(';').next()?.trim();
        let Ok(n) = usize::from_str_radix(size, 16) else {
            return (!first).then_some(out);
        };
        first = false;
        b = &b[nl + 1..];
        if n == 0 {
            return Some(out);
        }
        let take = n.min(b.len());
        out.extend_from_slice(&b[..take]);
        b = &b[take..];
        b = b
            .strip_prefix(b"\r\n")
            .or_else(|| b.strip_prefix(b"\n"))
            .unwrap_or(b);
    }
}

/// The kind of page a payload is, by its media type (sniffed when there is none); `None`
/// for anything else.
fn page_kind(content_type: &str, body: &[u8]) -> Option<Kind> {
    let media = content_type.split(';').next().unwrap_or("").trim();
    match media {
        "text/html" | "application/xhtml+xml" => Some(Kind::Html),
        "text/plain" => Some(Kind::Text),
        "" if super::sniff_html(body) => Some(Kind::Html),
        _ => None,
    }
}

/// The `charset` of a `Content-Type`, when it names an encoding.
fn charset(content_type: &str) -> Option<&'static Encoding> {
    let at = content_type.find("charset=")?;
    let v = content_type[at + "charset=".len()..]
        .split(';')
        .next()?
        .trim()
        .trim_matches(['"', '\'']);
    Encoding::for_label(v.as_bytes())
}

/// The day a page's address gives (`/2024-07/03/`, `t20240703_1.html`), `YYYY-MM-DD`.
fn url_day(uri: &str) -> Option<String> {
    date::url_date_in(uri).map(date::format)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-05T08:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn read(bytes: &[u8]) -> (Vec<Record>, Loaded) {
        let mut recs = Vec::new();
        let mut r = bytes;
        let l = read_each("t.warc", &mut r, Codec::Plain, 1 << 20, &mut |rec| {
            recs.push(rec);
            true
        });
        (recs, l)
    }

    #[test]
    fn pages_are_responses_and_the_rest_is_counted() {
        let html = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>3月5日,市长张三到甲乙科技有限公司调研。</p>";
        let mut w = record("warcinfo", "", b"software: x\r\n");
        w.extend(record(
            "request",
            "https://a.example/1",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        w.extend(record("response", "<https://a.example/1>", html.as_bytes()));
        w.extend(record(
            "response",
            "https://a.example/2",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ));
        w.extend(record(
            "response",
            "https://a.example/3",
            b"HTTP/1.1 301 Moved\r\nLocation: /\r\n\r\n",
        ));
        let (recs, l) = read(&w);
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].name, "https://a.example/1");
        assert_eq!(recs[0].url.as_deref(), Some("https://a.example/1"));
        assert_eq!(recs[0].published.as_deref(), Some("2024-03-05"));
        assert!(recs[0].text.contains("市长张三"));
        assert!(l.skipped.is_empty(), "{:?}", l.skipped);
        assert_eq!(
            l.warnings,
            [
                "t.warc: 1 page, 4 records skipped (1 not HTML, 1 redirect or error status, 1 request, 1 warcinfo)"
            ]
        );
        assert_eq!(l.notes, 1);
    }

    #[test]
    fn chunked_and_gzipped_bodies_are_undone() {
        use std::io::Write;
        let page = "<p>市长张三调研。</p>".as_bytes();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(page).unwrap();
        let gz = gz.finish().unwrap();
        let mut body = format!("{:x}\r\n", 10).into_bytes();
        body.extend(&gz[..10]);
        body.extend(format!("\r\n{:x};ext=1\r\n", gz.len() - 10).into_bytes());
        body.extend(&gz[10..]);
        body.extend(b"\r\n0\r\n\r\n");
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(body);
        let (recs, l) = read(&record("response", "https://a.example/z", &block));
        assert_eq!(recs.len(), 1, "{:?}", l.skipped);
        assert_eq!(recs[0].text, "市长张三调研。\n");
    }

    #[test]
    fn a_truncated_record_keeps_the_pages_before_it() {
        let html =
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>市长张三调研。</p>".as_bytes();
        let mut w = record("response", "https://a.example/1", html);
        let second = record("response", "https://a.example/2", html);
        w.extend(&second[..second.len() - 20]);
        let (recs, l) = read(&w);
        assert_eq!(recs.len(), 1);
        assert_eq!(l.skipped.len(), 1);
        assert_eq!(l.skipped[0].cause, Cause::Corrupt);
        assert!(l.skipped[0].what.contains("record 2"), "{:?}", l.skipped);
        let (_, l) = read(b"<html>not a warc</html>");
        assert!(
            l.skipped[0].reason.starts_with("not a WARC file"),
            "{:?}",
            l.skipped
        );
    }

    #[test]
    fn an_http_header_ends_at_its_first_blank_line() {
        assert_eq!(
            header_end(b"HTTP/1.1 200 OK\nA: b\n\nbody\r\n\r\nmore"),
            Some((20, 22))
        );
        assert_eq!(header_end(b"HTTP/1.1 200 OK\r\n\r\nbody"), Some((16, 19)));
        assert_eq!(header_end(b"HTTP/1.1 200 OK\r\nA: b"), None);
        let block = "HTTP/1.1 200 OK\nContent-Type: text/plain\n\n市长张三调研。\r\n\r\n第二段。"
            .as_bytes();
        let (recs, _) = read(&record("response", "https://a.example/lf", block));
        assert_eq!(recs[0].text, "市长张三调研。\r\n\r\n第二段。");
    }

    #[test]
    fn resources_are_pages_and_unreadable_pages_are_skips() {
        let mut w = b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: file:///a.txt\r\nContent-Type: text/plain\r\nContent-Length: 21\r\n\r\n".to_vec();
        w.extend("市长张三调研。".as_bytes());
        w.extend(b"\r\n\r\n");
        let br =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\n\x1b\x03";
        w.extend(record("response", "https://a.example/br", br));
        let big = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>{}</p>",
            "字".repeat(1 << 19)
        );
        w.extend(record("response", "https://a.example/big", big.as_bytes()));
        let (recs, l) = read(&w);
        assert_eq!(recs.len(), 1);
        assert_eq!(
            (recs[0].name.as_str(), recs[0].published.as_deref()),
            ("file:///a.txt", None)
        );
        let skipped: Vec<(&str, Cause)> = l
            .skipped
            .iter()
            .map(|s| (s.what.as_str(), s.cause))
            .collect();
        assert_eq!(
            skipped,
            [
                ("t.warc: https://a.example/br", Cause::Unreadable),
                ("t.warc: https://a.example/big", Cause::TooLarge)
            ]
        );
        assert!(l.skipped[0].reason.contains("`br` is not supported"));
    }

    #[test]
    fn the_http_charset_is_a_hint() {
        let (gbk, _, _) = encoding_rs::GBK.encode("市长张三到甲乙科技有限公司调研。");
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=\"GBK\"\r\n\r\n".to_vec();
        block.extend(gbk.iter());
        let (recs, _) = read(&record("response", "https://a.example/g", &block));
        assert_eq!(recs[0].text, "市长张三到甲乙科技有限公司调研。");
    }
}
