//! An external sort of byte records, for the events table: records are ordered by their
//! bytes (`memcmp`), so the caller encodes its sort key first. At most about `limit` bytes
//! are held in memory; past that, the buffer is sorted and written as one *run* to an
//! anonymous temporary file (deleted by the OS however the process ends), and
//! [`Sorter::finish`] k-way merges the runs and the last buffer. As in [`crate::corpus::spill`], when
//! `fan_in` runs of one level pile up they are merged into one run of the next level, so a
//! tiny limit opens few files.
//!
//! Run format: records one after another, each a little-endian `u32` length and its bytes.
//! (Runs, their k-way merge and their compaction are [`crate::corpus::runs`]'s.)

use std::io;
use std::path::PathBuf;

use crate::corpus::runs::{KWay, Run, RunReader, RunWriter, Sorted, compact_runs, ctx};

/// Bytes of memory an index entry costs beside its record.
const ENTRY_BYTES: usize = std::mem::size_of::<(usize, usize)>();

/// Sorts byte records in bounded memory.
pub(super) struct Sorter {
    /// The records of the buffer, end to end.
    buf: Vec<u8>,
    /// (start, end) of each record in `buf`.
    idx: Vec<(usize, usize)>,
    limit: usize,
    fan_in: usize,
    dir: PathBuf,
    /// Runs, oldest first; levels never increase along the list.
    runs: Vec<Run>,
    /// Runs written, counting those merged away since.
    spilled: usize,
}

impl Sorter {
    /// A sorter holding about `limit` bytes before it spills into `dir`, merging `fan_in`
    /// runs of a level into one (at least 2).
    pub(super) fn new(limit: usize, dir: PathBuf, fan_in: usize) -> Sorter {
        Sorter {
            buf: Vec::new(),
            idx: Vec::new(),
            limit,
            fan_in: fan_in.max(2),
            dir,
            runs: Vec::new(),
            spilled: 0,
        }
    }

    /// Runs written so far (including those since merged into bigger runs).
    pub(super) fn spilled_runs(&self) -> usize {
        self.spilled
    }

    /// Add one record, written by `encode` at the end of the buffer it is given.
    pub(super) fn push(&mut self, encode: impl FnOnce(&mut Vec<u8>)) -> io::Result<()> {
        let start = self.buf.len();
        encode(&mut self.buf);
        let end = self.buf.len();
        if u32::try_from(end - start).is_err() {
            self.buf.truncate(start);
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a record is too large for a temporary file of the events table",
            ));
        }
        self.idx.push((start, end));
        if self.buf.len() + self.idx.len() * ENTRY_BYTES > self.limit {
            self.spill()?;
        }
        Ok(())
    }

    fn sort_buffer(&mut self) {
        let buf = &self.buf;
        self.idx
            .sort_unstable_by(|x, y| buf[x.0..x.1].cmp(&buf[y.0..y.1]));
    }

    /// Write the buffer as one run.
    fn spill(&mut self) -> io::Result<()> {
        if self.idx.is_empty() {
            return Ok(());
        }
        self.sort_buffer();
        let mut w = run_writer(&self.dir)?;
        for &(s, e) in &self.idx {
            w.put_bytes(&self.buf[s..e])?;
        }
        self.buf.clear();
        self.idx.clear();
        self.runs.push(w.finish(0)?);
        self.spilled += 1;
        self.compact()
    }

    /// Merge the newest runs while `fan_in` of them share a level.
    fn compact(&mut self) -> io::Result<()> {
        let dir = &self.dir;
        compact_runs(
            &mut self.runs,
            self.fan_in,
            |r| r.level,
            |group, level| {
                let mut w = run_writer(dir)?;
                let sources = group.iter().map(|r| Source::Run(RunReader::new(r), dir));
                KWay::new(sources.collect())?.for_each(|rec| w.put_bytes(rec))?;
                w.finish(level)
            },
        )
    }

    /// Call `f` on every record, in byte order (equal records each once per push).
    pub(super) fn finish(mut self, mut f: impl FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        self.sort_buffer();
        if self.runs.is_empty() {
            for &(s, e) in &self.idx {
                f(&self.buf[s..e])?;
            }
            return Ok(());
        }
        let (buf, idx, dir) = (&self.buf, &self.idx, &self.dir);
        let mut sources: Vec<Source> = self
            .runs
            .iter()
            .map(|r| Source::Run(RunReader::new(r), dir))
            .collect();
        sources.push(Source::Mem(buf, idx.iter()));
        KWay::new(sources)?.for_each(|rec| f(rec))
    }
}

/// Where a merge reads records from: a run, or the sorted buffer.
enum Source<'a> {
    Run(RunReader<'a>, &'a std::path::Path),
    Mem(&'a [u8], std::slice::Iter<'a, (usize, usize)>),
}

impl Sorted for Source<'_> {
    type Item = Vec<u8>;
    type Error = io::Error;

    /// The next record into `rec` (replacing it); false at the end.
    fn next_into(&mut self, rec: &mut Vec<u8>) -> io::Result<bool> {
        match self {
            Source::Run(r, dir) => {
                let read = |r: &mut RunReader, rec: &mut Vec<u8>| {
                    if r.at_end()? {
                        return Ok(false);
                    }
                    r.bytes_into(rec).map(|()| true)
                };
                read(r, rec).map_err(|e| ctx(e, READ, dir))
            }
            Source::Mem(buf, it) => Ok(match it.next() {
                Some(&(s, e)) => {
                    rec.clear();
                    rec.extend_from_slice(&buf[s..e]);
                    true
                }
                None => false,
            }),
        }
    }
}

const READ: &str = "cannot read back a temporary file of the events table";

/// A run of the events table, each record as its length (4 bytes) then its bytes.
fn run_writer(dir: &std::path::Path) -> io::Result<RunWriter<'_>> {
    RunWriter::holding(dir, "the events table", "to sort the events table")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(n: usize, seed: u64) -> Vec<Vec<u8>> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let len = ((x >> 40) % 6) as usize;
                (0..len).map(|k| ((x >> (8 * k)) % 4) as u8).collect()
            })
            .collect()
    }

    fn sorted(recs: &[Vec<u8>], limit: usize, fan_in: usize) -> (Vec<Vec<u8>>, usize) {
        let mut s = Sorter::new(limit, std::env::temp_dir(), fan_in);
        for r in recs {
            s.push(|b| b.extend_from_slice(r)).unwrap();
        }
        let spilled = s.spilled_runs();
        let mut out = Vec::new();
        s.finish(|r| {
            out.push(r.to_vec());
            Ok(())
        })
        .unwrap();
        (out, spilled)
    }

    #[test]
    fn sorts_at_any_limit() {
        for (seed, n) in [(1, 0), (2, 1), (3, 500), (4, 2000)] {
            let recs = records(n, seed);
            let mut want = recs.clone();
            want.sort();
            for (limit, fan_in) in [(0, 2), (0, 3), (100, 2), (1000, 16), (usize::MAX, 16)] {
                let (got, spilled) = sorted(&recs, limit, fan_in);
                assert_eq!(got, want, "seed {seed} limit {limit} fan-in {fan_in}");
                if limit == 0 {
                    assert_eq!(spilled, n);
                }
                if limit == usize::MAX {
                    assert_eq!(spilled, 0);
                }
            }
        }
    }

    #[test]
    fn an_unwritable_folder_is_an_error_naming_it() {
        let mut s = Sorter::new(0, "/nonexistent/visitgraph-events".into(), 2);
        let err = s.push(|b| b.push(1)).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/visitgraph-events"), "{err}");
        assert!(err.contains("TMPDIR"), "{err}");
    }
}
