//! Input: command-line paths in, [`Source`] pages out, then each source read into
//! [`Record`]s — or skipped with a reason, never stopping the run.
//!
//! Files are taken as given, folders are walked recursively for `*.txt`, `*.html`, `*.htm`,
//! `*.jsonl` and `*.warc`, each also compressed (`*.html.gz`, `*.jsonl.zst`, `*.warc.gz`…),
//! and `-` reads standard input. The list is sorted by path, so the output does not depend
//! on the order in which the filesystem lists a folder. When nothing at all is left to read
//! (an empty folder, a folder of other files) `gather` says so as a usage error: an empty
//! graph would look like pages without visits.
//!
//! Reading a source (`read_each`, `read_with`):
//!
//! - **Compression** is detected from the first bytes, not the name (`compress`: gzip,
//!   zstd) and undone as the source is read. The document name stays the file's name
//!   (`a.txt.gz`). A corrupt or truncated compressed file is skipped whole, naming it (a
//!   JSON Lines file is checked to its end before its first record is handed on); a WARC
//!   file, and standard input (which cannot be read twice), keep what came before the
//!   damage, and the damage is a skip.
//! - **Size.** A plain-text or HTML source larger than [`Options::max_bytes`] (default
//!   [`DEFAULT_MAX_BYTES`], 8 MiB; `--max-bytes`) is skipped before it is read (stdin, and a
//!   compressed file, stop reading at the limit, counted in decompressed bytes). JSON Lines
//!   and WARC are streamed record by record: only a line (one record) or a WARC page over the
//!   limit is skipped, whatever the size of the file.
//! - **Encoding** is detected from the bytes (see [`decode`]): BOM, UTF-8, the charset a WARC
//!   response's HTTP header declares, an HTML page's declared charset, then chardetng among
//!   GBK/GB18030, Big5 and the rest. A few invalid sequences are replaced by U+FFFD and NUL
//!   bytes are removed, each with a warning; a file that is mostly control or undecodable
//!   bytes is skipped as binary; an empty or whitespace-only file is skipped as empty.
//! - **Kind** by extension, under a `.gz`/`.zst` suffix if there is one:
//!   `*.html`/`*.htm` (and `*.xhtml`/`*.shtml` when named) are HTML ([`html`]), `*.jsonl`
//!   (and `*.ndjson` when named) is JSON Lines ([`jsonl`]), `*.warc` a web archive whose
//!   HTML and text responses are the pages (`warc`); anything else (and stdin) is plain
//!   text unless it starts like an HTML document (`<!DOCTYPE html`, `<html`). Stdin is JSON
//!   Lines with `--jsonl`.
//!
//! Evidence offsets count Unicode characters of [`Record::text`]: the decoded file for plain
//! text (after NUL removal), the record's `text` for JSON Lines, and the text extracted from
//! the page for HTML (including the headline/date lines put in front, see [`Record::text`]).

use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub(crate) mod compress;
pub(crate) mod decode;
pub(crate) mod html;
pub(crate) mod jsonl;
pub(crate) mod warc;

/// Where a page comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    /// A file; `name` is its path relative to the folder given (or its file name).
    File(PathBuf),
    /// Standard input.
    Stdin,
    /// Standard input, copied whole to a temporary file by [`spool_stdin`] so that it can be
    /// read twice (`extract --discover`); read and named exactly as `Stdin`.
    StdinCopy(PathBuf),
}

/// A page to read, with the name its evidence will carry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Source {
    /// Name used as the evidence `doc`.
    pub(crate) name: String,
    /// Where to read it.
    pub(crate) origin: Origin,
}

/// File extensions picked up when a folder is searched, each also under a compression
/// suffix ([`compress::SUFFIXES`]: `page.html.gz`, `shard.jsonl.zst`, `crawl.warc.gz`).
pub(crate) const EXTENSIONS: &[&str] = &["txt", "html", "htm", "jsonl", "warc"];

/// Is this a file a folder search picks up?
fn accepted(p: &Path) -> bool {
    let Some(last) = p.extension().and_then(|x| x.to_str()) else {
        return false;
    };
    let last = last.to_ascii_lowercase();
    EXTENSIONS.contains(&last.as_str())
        || (compress::SUFFIXES.contains(&last.as_str())
            && compress::inner_extension(p).is_some_and(|x| EXTENSIONS.contains(&x.as_str())))
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<Source>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let p = entry.path();
        let ft = entry.file_type().map_err(|e| Error::io(&p, e))?;
        if ft.is_dir() {
            walk(&p, root, out)?;
        } else if accepted(&p) {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            out.push(Source {
                name: rel.to_string_lossy().replace('\\', "/"),
                origin: Origin::File(p.clone()),
            });
        }
    }
    Ok(())
}

/// Expand the command line's inputs into sorted sources. A folder is searched for the
/// [`EXTENSIONS`] (plain or compressed); a file named on the command line is read whatever
/// its name (an unknown extension is plain text). When nothing at all is left to read (only
/// empty folders, or folders of other files) this is a usage error naming what is accepted,
/// and not an empty graph.
pub(crate) fn gather(inputs: &[PathBuf]) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    for inp in inputs {
        if inp.as_os_str() == "-" {
            out.push(Source {
                name: "-".into(),
                origin: Origin::Stdin,
            });
        } else if inp.is_dir() {
            let mut v = Vec::new();
            walk(inp, inp, &mut v)?;
            v.sort();
            out.extend(v);
        } else if inp.is_file() {
            let name = inp
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| inp.display().to_string());
            out.push(Source {
                name,
                origin: Origin::File(inp.clone()),
            });
        } else {
            return Err(Error::io(
                inp,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            ));
        }
    }
    if out.is_empty() {
        return Err(Error::Usage(nothing_to_read(inputs)));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// `nothing to read in DIR: no *.txt, … files (plain, or compressed as .gz or .zst)`.
fn nothing_to_read(inputs: &[PathBuf]) -> String {
    let places: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let kinds: Vec<String> = EXTENSIONS.iter().map(|x| format!("*.{x}")).collect();
    let suffixes: Vec<String> = compress::SUFFIXES.iter().map(|x| format!(".{x}")).collect();
    format!(
        "nothing to read{}: no {} files (plain, or compressed as {})",
        if places.is_empty() {
            String::new()
        } else {
            format!(" in {}", places.join(", "))
        },
        kinds.join(", "),
        suffixes.join(" or ")
    )
}

/// Copy standard input, when it is among `sources`, to a temporary file and read it from
/// there: `extract --discover` reads its sources twice (discovery, then extraction), and
/// stdin can only be read once. The copy is deleted when the returned path is dropped.
pub(crate) fn spool_stdin(sources: &mut [Source]) -> Result<Option<tempfile::TempPath>> {
    let Some(src) = sources.iter_mut().find(|s| s.origin == Origin::Stdin) else {
        return Ok(None);
    };
    let tmp = std::env::temp_dir();
    let mut file = tempfile::NamedTempFile::new().map_err(|e| Error::io(&tmp, e))?;
    std::io::copy(&mut std::io::stdin().lock(), &mut file)
        .map_err(|e| Error::io(Path::new("-"), e))?;
    let path = file.into_temp_path();
    src.origin = Origin::StdinCopy(path.to_path_buf());
    Ok(Some(path))
}

/// Standard input, or its copy.
fn open_stdin(origin: &Origin) -> std::io::Result<Box<dyn BufRead>> {
    match origin {
        Origin::StdinCopy(p) => Ok(Box::new(std::io::BufReader::with_capacity(
            1 << 18,
            std::fs::File::open(p)?,
        ))),
        _ => Ok(Box::new(std::io::stdin().lock())),
    }
}

/// One document read from a source: a file is one record, a JSON Lines file one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Name used as the evidence `doc` (the file name, or the JSONL record's `id`).
    pub name: String,
    /// The page as text; evidence offsets are Unicode-character offsets into it.
    ///
    /// For HTML (a `*.html` file or a JSONL record's `html`) this is the text extracted from
    /// the page, not the markup. When the page's headline (`<h1>`/`<title>`, or the record's
    /// `title`) does not appear as a line of that text it is put in front as the first line,
    /// and when the publication date (meta tags, or the record's `published`) does not
    /// appear in the text a `发布时间:YYYY-MM-DD` line follows it, so the document stage
    /// finds both. Plain-text and JSONL `text` records are kept exactly as given.
    pub text: String,
    /// Headline given by the source (HTML `<h1>`/`<title>`, JSONL `title`), if any.
    pub title: Option<String>,
    /// Publication date given by the source (`YYYY-MM-DD`), if any: HTML meta tags, JSONL
    /// `published` (or a date in the JSONL `url`).
    pub published: Option<String>,
    /// The page's address (JSONL `url`), if any.
    pub url: Option<String>,
}

/// Why something was skipped (for the run's summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// The file could not be read (permissions, a vanished file…).
    Unreadable,
    /// Larger than `--max-bytes`.
    TooLarge,
    /// Empty or whitespace only.
    Empty,
    /// Mostly control or undecodable bytes.
    Binary,
    /// A JSON Lines line that is not a usable record (truncated, malformed, no `id`…).
    BadRecord,
    /// Compressed data that is corrupt or cut short, or a WARC file whose records are (a
    /// record cut short, a header that does not parse).
    Corrupt,
}

impl Cause {
    /// A few words for the summary.
    pub fn label(self) -> &'static str {
        match self {
            Cause::Unreadable => "unreadable",
            Cause::TooLarge => "too large",
            Cause::Empty => "empty",
            Cause::Binary => "binary",
            Cause::BadRecord => "bad JSONL line",
            Cause::Corrupt => "corrupt or truncated",
        }
    }
}

/// Something in a source that could not be read; the rest of the source still counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// `file` or `file:line`.
    pub what: String,
    /// Why, in a few words.
    pub reason: String,
    /// The kind of reason.
    pub cause: Cause,
}

/// What reading a source gave.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The documents.
    pub records: Vec<Record>,
    /// Documents handed to the caller one at a time as they were read
    /// ([`read_each`]), and so not in `records`.
    pub(crate) streamed: usize,
    /// Parts skipped (the whole file, or a bad JSONL line…).
    pub skipped: Vec<Skip>,
    /// Repairs made to documents that were kept, one line each (`file: 2 NUL bytes
    /// removed`); they do not change the exit status. A WARC file adds one line counting the
    /// records that were no pages (`x.warc.gz: 12 pages, 3 records skipped (2 not HTML, 1
    /// revisit)`), which is no repair: see `notes`.
    pub warnings: Vec<String>,
    /// How many of `warnings` are such counts and not repairs (not counted as repaired).
    pub(crate) notes: usize,
}

/// The default limit on the size of one document: 8 MiB (a plain-text or HTML file, or one
/// JSON Lines line). Larger documents are skipped: news pages are far smaller, and the
/// pipeline's time grows faster than linearly with one document's length (a 16 MiB
/// single-line page takes minutes).
pub(crate) const DEFAULT_MAX_BYTES: u64 = 8 << 20;

/// How to read sources.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Plain-text and HTML files, and JSON Lines lines, longer than this many bytes are
    /// skipped. JSON Lines files are streamed, so their total size is not limited.
    pub(crate) max_bytes: u64,
    /// Standard input is JSON Lines (`--jsonl`).
    pub(crate) stdin_jsonl: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_bytes: DEFAULT_MAX_BYTES,
            stdin_jsonl: false,
        }
    }
}

/// What a source holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text (or HTML recognised by its first bytes).
    Text,
    /// An HTML page.
    Html,
    /// JSON Lines records.
    Jsonl,
    /// A WARC file (web archive): its HTML and text responses are the pages (`warc`).
    Warc,
}

impl Kind {
    /// The kind a file name implies, from the extension under a compression suffix when
    /// there is one (`page.html.gz` is HTML).
    pub fn of_path(p: &Path) -> Kind {
        match compress::inner_extension(p).as_deref() {
            Some("html" | "htm" | "xhtml" | "shtml") => Kind::Html,
            Some("jsonl" | "ndjson") => Kind::Jsonl,
            Some("warc") => Kind::Warc,
            _ => Kind::Text,
        }
    }
}

/// `64M`, `1G`, `500k`, `1000`: a size in bytes (binary multiples).
pub(crate) fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let lower = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (num, mult) = match lower.chars().last() {
        Some('k') => (&lower[..lower.len() - 1], 1u64 << 10),
        Some('m') => (&lower[..lower.len() - 1], 1 << 20),
        Some('g') => (&lower[..lower.len() - 1], 1 << 30),
        _ => (lower, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{t}` is not a size (try 64M, 500K or a number of bytes)"))
}

pub(crate) fn human(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

pub(crate) fn too_large(what: &str, size: Option<u64>, max: u64) -> Loaded {
    let size = size.map(|s| format!("{s} bytes, ")).unwrap_or_default();
    skip_all(
        what,
        Cause::TooLarge,
        format!(
            "larger than the {} limit ({size}raise it with --max-bytes)",
            human(max)
        ),
    )
}

pub(crate) fn skip_all(what: &str, cause: Cause, reason: String) -> Loaded {
    Loaded {
        skipped: vec![Skip {
            what: what.to_string(),
            reason,
            cause,
        }],
        ..Loaded::default()
    }
}

/// Read a source with the default [`Options`].
pub(crate) fn read(src: &Source) -> Result<Loaded> {
    read_with(src, &Options::default())
}

/// Read a source, handing each document to `each` as soon as it is read: a JSON Lines or
/// WARC file of any size is never held whole, compressed or not (a file of another kind is
/// one document). The result has the skips and warnings, and `streamed` counts the
/// documents; reading stops early when `each` returns false.
///
/// A compressed JSON Lines file is first read through once to check it (see
/// [`compress::verify`]): a corrupt or truncated one is skipped whole, none of its records
/// counted. A WARC file keeps the pages read before a damaged record (each record stands
/// alone; the damage is a skip).
pub(crate) fn read_each(
    src: &Source,
    opts: &Options,
    each: &mut dyn FnMut(Record) -> bool,
) -> Result<Loaded> {
    let max = opts.max_bytes;
    let (what, kind, opened) = match &src.origin {
        Origin::File(p) => {
            let what = p.display().to_string();
            let kind = Kind::of_path(p);
            let opened = compress::open(p);
            if let Ok((codec, _)) = &opened {
                if *codec == compress::Codec::Plain && matches!(kind, Kind::Text | Kind::Html) {
                    let size = std::fs::metadata(p).map(|m| m.len()).ok();
                    if size.is_some_and(|s| s > max) {
                        return Ok(too_large(&what, size, max));
                    }
                } else if *codec != compress::Codec::Plain && kind == Kind::Jsonl {
                    match compress::verify(p) {
                        Ok(Ok(())) => {}
                        Ok(Err(why)) => return Ok(corrupt_file(&what, why)),
                        Err(e) => return Ok(skip_all(&what, Cause::Unreadable, e.to_string())),
                    }
                }
            }
            (what, kind, opened)
        }
        Origin::Stdin | Origin::StdinCopy(_) => {
            let kind = if opts.stdin_jsonl {
                Kind::Jsonl
            } else {
                Kind::Text
            };
            let opened = open_stdin(&src.origin).and_then(compress::wrap);
            ("-".to_string(), kind, opened)
        }
    };
    Ok(match opened {
        Ok((codec, r)) => read_stream(&what, &src.name, kind, codec, r, max, each),
        Err(e) => skip_all(&what, Cause::Unreadable, e.to_string()),
    })
}

/// Read a page file's bytes as they are on disk, to be loaded elsewhere with [`load_raw`]
/// (`extract` reads on one thread and decodes on every core). `None` for a source that is
/// not one page (JSON Lines, WARC, standard input) or that is larger than the limit on disk
/// (read it with [`read_each`], which decides from what it decompresses); a skip when the
/// file cannot be read.
pub(crate) fn read_raw(
    src: &Source,
    opts: &Options,
) -> Option<std::result::Result<Vec<u8>, Loaded>> {
    let Origin::File(p) = &src.origin else {
        return None;
    };
    if !matches!(Kind::of_path(p), Kind::Text | Kind::Html) {
        return None;
    }
    let what = || p.display().to_string();
    let size = match std::fs::metadata(p) {
        Ok(m) => m.len(),
        Err(e) => return Some(Err(skip_all(&what(), Cause::Unreadable, e.to_string()))),
    };
    if size > opts.max_bytes {
        return None;
    }
    Some(std::fs::read(p).map_err(|e| skip_all(&what(), Cause::Unreadable, e.to_string())))
}

/// A page file's bytes (from [`read_raw`]) as [`read_each`] would have read the file:
/// decompressed, decoded, its text extracted from HTML; its record, or its skip.
pub(crate) fn load_raw(src: &Source, bytes: &[u8], opts: &Options) -> Loaded {
    let (what, kind) = match &src.origin {
        Origin::File(p) => (p.display().to_string(), Kind::of_path(p)),
        Origin::Stdin | Origin::StdinCopy(_) => ("-".to_string(), Kind::Text),
    };
    let (codec, r) = match compress::wrap(bytes) {
        Ok(x) => x,
        Err(e) => return corrupt_file(&what, e.to_string()),
    };
    let mut records = Vec::new();
    let mut l = read_stream(
        &what,
        &src.name,
        kind,
        codec,
        r,
        opts.max_bytes,
        &mut |rec| {
            records.push(rec);
            true
        },
    );
    l.records = records;
    l.streamed = 0;
    l
}

/// A compressed file skipped whole: `what` and why, in one line.
fn corrupt_file(what: &str, why: String) -> Loaded {
    skip_all(
        what,
        Cause::Corrupt,
        format!("{why}; the whole file is skipped"),
    )
}

/// Read one source's (decompressed) stream: JSON Lines and WARC record by record, a text or
/// HTML page whole (at most `max` bytes). `codec` tells a damaged file from an unreadable one.
fn read_stream(
    what: &str,
    name: &str,
    kind: Kind,
    codec: compress::Codec,
    mut r: Box<dyn BufRead + '_>,
    max: u64,
    each: &mut dyn FnMut(Record) -> bool,
) -> Loaded {
    match kind {
        Kind::Jsonl => jsonl::read_each(what, r, max, each),
        Kind::Warc => warc::read_each(what, &mut *r, codec, max, each),
        Kind::Text | Kind::Html => {
            let mut b = Vec::new();
            if let Err(e) = r.take(max.saturating_add(1)).read_to_end(&mut b) {
                return match codec {
                    compress::Codec::Plain => skip_all(what, Cause::Unreadable, e.to_string()),
                    _ => corrupt_file(what, e.to_string()),
                };
            }
            if b.len() as u64 > max {
                return too_large(what, None, max);
            }
            let mut l = load_page(what, name, kind, &b, None);
            for rec in std::mem::take(&mut l.records) {
                l.streamed += 1;
                if !each(rec) {
                    break;
                }
            }
            l
        }
    }
}

/// Read a source whole (its records in [`Loaded::records`]). Every problem with the source
/// itself (unreadable, too large, binary, empty, corrupt, bad JSONL lines) is a [`Skip`] in
/// the result, so this returns `Ok` in practice; the `Result` is kept for callers that treat
/// an `Err` as one skipped source.
pub(crate) fn read_with(src: &Source, opts: &Options) -> Result<Loaded> {
    let mut records = Vec::new();
    let mut l = read_each(src, opts, &mut |rec| {
        records.push(rec);
        true
    })?;
    l.records = records;
    l.streamed = 0;
    Ok(l)
}

/// Turn the bytes of one source into records. `what` names the source in messages,
/// `name` is the evidence `doc` of a plain-text or HTML source. Compressed bytes (gzip,
/// zstd) are decompressed first, a page to at most `DEFAULT_MAX_BYTES`. Never panics.
pub fn load(what: &str, name: &str, kind: Kind, bytes: &[u8]) -> Loaded {
    let (codec, r) = match compress::wrap(bytes) {
        Ok(x) => x,
        Err(e) => return corrupt_file(what, e.to_string()),
    };
    if codec != compress::Codec::Plain || kind == Kind::Warc {
        let mut records = Vec::new();
        let mut l = read_stream(what, name, kind, codec, r, DEFAULT_MAX_BYTES, &mut |rec| {
            records.push(rec);
            true
        });
        l.records = records;
        l.streamed = 0;
        return l;
    }
    if kind == Kind::Jsonl {
        return jsonl::read(what, bytes, u64::MAX);
    }
    load_page(what, name, kind, bytes, None)
}

/// One plain-text or HTML page's bytes as a record (or a skip). `hint` is an encoding the
/// page's transport declared (a WARC response's `Content-Type` charset), see
/// [`decode::decode_hinted`].
pub(crate) fn load_page(
    what: &str,
    name: &str,
    kind: Kind,
    bytes: &[u8],
    hint: Option<&'static encoding_rs::Encoding>,
) -> Loaded {
    let looks_html = kind == Kind::Html || (kind != Kind::Jsonl && sniff_html(bytes));
    let d = match decode::decode_hinted(bytes, looks_html, hint) {
        Ok(d) => d,
        Err(decode::Reject::Empty) => {
            return skip_all(what, Cause::Empty, "empty file (no text)".into());
        }
        Err(decode::Reject::Binary(why)) => return skip_all(what, Cause::Binary, why),
    };
    let mut loaded = Loaded::default();
    if let Some(r) = d.repairs() {
        loaded.warnings.push(format!("{what}: {r}"));
    }
    if looks_html {
        match html_record(name, &d.text, None, None) {
            Some(rec) => loaded.records.push(rec),
            None => {
                return skip_all(what, Cause::Empty, "no text in the HTML page".into());
            }
        }
    } else {
        loaded.records.push(Record {
            name: name.to_string(),
            text: d.text,
            title: None,
            published: None,
            url: None,
        });
    }
    loaded
}

/// Does this plain-text source start like an HTML document?
fn sniff_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || matches!(b, 0xef | 0xbb | 0xbf))
        .take(15)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
}

/// An HTML page as a record: text extracted, headline and date put in front when the text
/// lacks them. `title`/`published` given by a JSONL record win over the page's own.
/// `None` when the page has no text at all.
pub(crate) fn html_record(
    name: &str,
    page: &str,
    title: Option<String>,
    published: Option<String>,
) -> Option<Record> {
    let p = html::to_text(page);
    let title = title.or(p.title);
    let published = published.or(p.published);
    let mut front = String::new();
    if let Some(t) = &title {
        let t = t.trim();
        if !t.is_empty() && !p.text.lines().any(|l| l.trim() == t) {
            front.push_str(t);
            front.push('\n');
        }
    }
    if let Some(d) = &published {
        let day = crate::page::date::full_date_in(d);
        let present = day.is_some_and(|day| {
            p.text
                .lines()
                .any(|l| crate::page::date::full_date_in(l) == Some(day))
        });
        if day.is_some() && !present {
            front.push_str("发布时间:");
            front.push_str(d);
            front.push('\n');
        }
    }
    if p.text.trim().is_empty() && front.is_empty() {
        return None;
    }
    if !front.is_empty() {
        front.push('\n');
    }
    front.push_str(&p.text);
    Some(Record {
        name: name.to_string(),
        text: front,
        title,
        published,
        url: None,
    })
}

/// Counts for the end-of-run summary.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
    /// Documents read.
    pub(crate) read: usize,
    /// Files or lines skipped, by cause.
    pub(crate) skipped: BTreeMap<Cause, usize>,
    /// Documents kept after a repair (bad bytes replaced, NULs removed).
    pub(crate) repaired: usize,
}

impl Tally {
    /// Count what a source gave.
    pub(crate) fn add(&mut self, l: &Loaded) {
        self.read += l.records.len() + l.streamed;
        self.repaired += l.warnings.len().saturating_sub(l.notes);
        for s in &l.skipped {
            *self.skipped.entry(s.cause).or_default() += 1;
        }
    }

    /// Count a source that failed as a whole with an error.
    pub(crate) fn add_error(&mut self) {
        *self.skipped.entry(Cause::Unreadable).or_default() += 1;
    }

    /// Files or lines skipped.
    pub(crate) fn total_skipped(&self) -> usize {
        self.skipped.values().sum()
    }

    /// Anything worth a summary line (something skipped or repaired)?
    pub(crate) fn noteworthy(&self) -> bool {
        self.total_skipped() > 0 || self.repaired > 0
    }

    /// `12 documents read, 3 skipped (1 binary, 2 bad JSONL line), 1 repaired`.
    pub(crate) fn summary(&self) -> String {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut s = format!(
            "{} document{} read, {} skipped",
            self.read,
            plural(self.read),
            self.total_skipped()
        );
        if !self.skipped.is_empty() {
            let why: Vec<String> = self
                .skipped
                .iter()
                .map(|(c, n)| format!("{n} {}", c.label()))
                .collect();
            s.push_str(&format!(" ({})", why.join(", ")));
        }
        if self.repaired > 0 {
            s.push_str(&format!(", {} repaired", self.repaired));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("0").is_err() && parse_size("lots").is_err());
        assert!(parse_size("99999999999G").is_err());
    }

    #[test]
    fn html_gets_headline_and_date_in_front_only_when_missing() {
        let page = "<title>庞翊川调研重点企业_武进</title><meta name=\"pubdate\" content=\"2024-10-17\"><p>10月16日下午,区委书记庞翊川调研。</p>";
        let r = html_record("a.html", page, None, None).unwrap();
        assert_eq!(
            r.text,
            "庞翊川调研重点企业\n发布时间:2024-10-17\n\n10月16日下午,区委书记庞翊川调研。\n"
        );
        let page = "<h1>庞翊川调研重点企业</h1><p>发布时间:2024-10-17 08:45</p><p>正文。</p>";
        let r = html_record("a.html", page, None, Some("2024-10-17".into())).unwrap();
        assert!(
            r.text
                .starts_with("庞翊川调研重点企业\n\n发布时间:2024-10-17 08:45")
        );
        assert!(html_record("a.html", "<script>x</script>", None, None).is_none());
    }

    #[test]
    fn summary_counts_why() {
        let mut t = Tally::default();
        let mut l = load(
            "a.jsonl",
            "a.jsonl",
            Kind::Jsonl,
            b"{\"id\":\"x\",\"text\":\"\xe6\x96\x87\"}\n{\"id\":",
        );
        l.skipped.push(Skip {
            what: "b".into(),
            reason: "r".into(),
            cause: Cause::Binary,
        });
        t.add(&l);
        assert_eq!(
            t.summary(),
            "1 document read, 2 skipped (1 binary, 1 bad JSONL line)"
        );
    }
}
