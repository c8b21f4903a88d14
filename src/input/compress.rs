//! Compressed sources: gzip and zstd, recognised by their first bytes and read as a stream.
//!
//! Why by content and not by name: a crawler's `page.html` may hold gzip bytes, and a file
//! named `.gz` may have been decompressed already; the magic numbers (gzip `1f 8b`, zstd
//! `28 b5 2f fd`) cannot be mistaken for text. The *name* still gives the kind: the
//! extension under a `.gz`/`.zst` suffix (`page.html.gz` is HTML, `shard.jsonl.zst` JSON
//! Lines, `crawl.warc.gz` WARC), see [`inner_extension`].
//!
//! Why a stream: a JSON Lines or WARC file of any size is decompressed as it is read and never
//! held whole; gzip is read as a series of members (`MultiGzDecoder`), which is both a file
//! compressed whole and a WARC file compressed record by record as Common Crawl writes it;
//! zstd reads every frame.
//!
//! Errors: the decoders report corrupt data and a stream that ends inside a member or frame
//! as an I/O error; [`Codec::describe`] turns one into the reason a skip gives.

use std::io::BufRead;
use std::path::Path;

/// How a source's bytes are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Codec {
    /// Not compressed.
    Plain,
    /// gzip (one or more members).
    Gzip,
    /// zstd (one or more frames).
    Zstd,
}

/// The suffixes a compressed file's name may end with (lowercase, no dot).
pub(crate) const SUFFIXES: &[&str] = &["gz", "zst"];

/// Suffixes also recognised when a file is named on the command line.
const SUFFIXES_NAMED: &[&str] = &["gz", "gzip", "zst", "zstd"];

impl Codec {
    /// The codec the first bytes of a source show.
    pub(crate) fn sniff(head: &[u8]) -> Codec {
        if head.starts_with(&[0x1f, 0x8b]) {
            Codec::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Codec::Zstd
        } else {
            Codec::Plain
        }
    }

    /// The reason given when reading through this codec failed with `e`.
    fn describe(self, e: &std::io::Error) -> String {
        match self {
            Codec::Plain => e.to_string(),
            Codec::Gzip => format!("corrupt or truncated gzip data ({e})"),
            Codec::Zstd => format!("corrupt or truncated zstd data ({e})"),
        }
    }
}

/// A decoder whose errors say what they are (`corrupt or truncated gzip data (…)`), whoever
/// reports them: the text reader, the JSON Lines reader (`file:line`), the WARC reader.
struct Described<R> {
    inner: R,
    codec: Codec,
}

impl<R: std::io::Read> std::io::Read for Described<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::Interrupted {
                e
            } else {
                std::io::Error::new(e.kind(), self.codec.describe(&e))
            }
        })
    }
}

/// The extension that gives a file's kind: the last one, or the one before a compression
/// suffix (`a.html.gz` → `html`); lowercase. `None` when there is none (`notes`, `a.gz`).
pub(crate) fn inner_extension(p: &Path) -> Option<String> {
    let ext = p.extension()?.to_str()?.to_ascii_lowercase();
    if SUFFIXES_NAMED.contains(&ext.as_str()) {
        let stem = Path::new(p.file_stem()?);
        return Some(stem.extension()?.to_str()?.to_ascii_lowercase());
    }
    Some(ext)
}

/// `r` decompressed when its first bytes are gzip or zstd, as it is otherwise; with the codec
/// found. Fails only when the first bytes cannot be read or a decoder cannot start. A
/// decompressed stream's errors name the codec (`corrupt or truncated gzip data (…)`).
pub(crate) fn wrap<'a, R: BufRead + 'a>(
    mut r: R,
) -> std::io::Result<(Codec, Box<dyn BufRead + 'a>)> {
    let head = loop {
        match r.fill_buf() {
            Ok(h) => break h,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    };
    let codec = Codec::sniff(head);
    let out: Box<dyn BufRead + 'a> = match codec {
        Codec::Plain => Box::new(r),
        Codec::Gzip => Box::new(std::io::BufReader::with_capacity(
            1 << 18,
            Described {
                inner: flate2::bufread::MultiGzDecoder::new(r),
                codec,
            },
        )),
        Codec::Zstd => Box::new(std::io::BufReader::with_capacity(
            1 << 18,
            Described {
                inner: zstd::stream::read::Decoder::with_buffer(r)?,
                codec,
            },
        )),
    };
    Ok((codec, out))
}

/// A file opened and, when compressed, decompressed on the fly.
pub(crate) fn open(p: &Path) -> std::io::Result<(Codec, Box<dyn BufRead>)> {
    let f = std::fs::File::open(p)?;
    wrap(std::io::BufReader::with_capacity(1 << 18, f))
}

/// Read a compressed file through to its end without keeping anything: `Err` with the
/// reason when it is corrupt or truncated. A JSON Lines file is checked so before its records
/// are handed on, so that a damaged file is skipped whole and never counted by halves.
pub(crate) fn verify(p: &Path) -> std::io::Result<std::result::Result<(), String>> {
    let (codec, mut r) = open(p)?;
    if codec == Codec::Plain {
        return Ok(Ok(()));
    }
    Ok(std::io::copy(&mut r, &mut std::io::sink())
        .map(drop)
        .map_err(|e| e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn gzip(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn all(b: &[u8]) -> (Codec, std::io::Result<Vec<u8>>) {
        let (c, mut r) = wrap(b).unwrap();
        let mut out = Vec::new();
        let res = r.read_to_end(&mut out).map(|_| out);
        (c, res)
    }

    #[test]
    fn kinds_come_from_under_the_suffix() {
        let k = |s: &str| inner_extension(Path::new(s));
        assert_eq!(k("a/page.HTML.gz").as_deref(), Some("html"));
        assert_eq!(k("shard.jsonl.zst").as_deref(), Some("jsonl"));
        assert_eq!(k("crawl.warc.gz").as_deref(), Some("warc"));
        assert_eq!(k("page.txt").as_deref(), Some("txt"));
        assert_eq!(k("page.gz"), None);
        assert_eq!(k("notes"), None);
    }

    #[test]
    fn members_and_frames_are_read_in_a_row_and_damage_is_an_error() {
        let mut two = gzip("甲乙".as_bytes());
        two.extend(gzip("丙丁".as_bytes()));
        let (c, got) = all(&two);
        assert_eq!(
            (c, got.unwrap()),
            (Codec::Gzip, "甲乙丙丁".as_bytes().to_vec())
        );
        let z = zstd::encode_all(&b"plain words"[..], 3).unwrap();
        assert_eq!(all(&z).1.unwrap(), b"plain words");
        assert_eq!(all(b"plain").0, Codec::Plain);
        let cut = &two[..two.len() - 5];
        assert!(all(cut).1.is_err(), "a truncated gzip member is an error");
        let cut = &z[..z.len() - 3];
        assert!(all(cut).1.is_err(), "a truncated zstd frame is an error");
        let mut bad = gzip("甲乙".as_bytes());
        let n = bad.len();
        bad[n / 2] ^= 0x55;
        bad[n - 6] ^= 0x55;
        assert!(all(&bad).1.is_err(), "a damaged gzip member is an error");
    }
}
