//! Input: command-line paths in, [`Source`] pages out.
//!
//! Files are taken as given, folders are walked recursively for `*.txt`, and `-` reads
//! standard input. The list is sorted by path, so the output does not depend on the order
//! in which the filesystem lists a folder.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where a page comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// A file; `name` is its path relative to the folder given (or its file name).
    File(PathBuf),
    /// Standard input.
    Stdin,
}

/// A page to read, with the name its evidence will carry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    /// Name used as the evidence `doc`.
    pub name: String,
    /// Where to read it.
    pub origin: Origin,
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<Source>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let p = entry.path();
        let ft = entry.file_type().map_err(|e| Error::io(&p, e))?;
        if ft.is_dir() {
            walk(&p, root, out)?;
        } else if p.extension().is_some_and(|x| x == "txt") {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            out.push(Source {
                name: rel.to_string_lossy().replace('\\', "/"),
                origin: Origin::File(p.clone()),
            });
        }
    }
    Ok(())
}

/// Expand the command line's inputs into sorted sources.
pub fn gather(inputs: &[PathBuf]) -> Result<Vec<Source>> {
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
    out.sort();
    out.dedup();
    Ok(out)
}

/// One document read from a source: a file is one record, a JSON Lines file one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Name used as the evidence `doc` (the file name, or the JSONL record's `id`).
    pub name: String,
    /// The page as text (HTML already reduced to text).
    pub text: String,
    /// Headline given by the source (HTML `<title>`, JSONL `title`), if any.
    pub title: Option<String>,
    /// Publication date given by the source (`YYYY-MM-DD`), if any.
    pub published: Option<String>,
}

/// Something in a source that could not be read; the rest of the source still counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// `file` or `file:line`.
    pub what: String,
    /// Why, in a few words.
    pub reason: String,
}

/// What reading a source gave.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The documents.
    pub records: Vec<Record>,
    /// Parts skipped (a bad JSONL line…).
    pub skipped: Vec<Skip>,
}

/// Read a source. An `Err` means the whole source was skipped (the error names it).
pub fn read(src: &Source) -> Result<Loaded> {
    let bytes = match &src.origin {
        Origin::File(p) => std::fs::read(p).map_err(|e| Error::io(p, e))?,
        Origin::Stdin => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| Error::io(Path::new("-"), e))?;
            b
        }
    };
    let bytes = bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&bytes)
        .to_vec();
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::input(
            &src.name,
            format!(
                "not valid UTF-8 (first bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    Ok(Loaded {
        records: vec![Record {
            name: src.name.clone(),
            text,
            title: None,
            published: None,
        }],
        skipped: Vec::new(),
    })
}
