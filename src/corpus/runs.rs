//! Sorted runs, shared by everything that sorts or merges more than memory holds: the
//! spilled graph's evidence ([`crate::corpus::spill`]), the events table's external sort
//! (`output::events`) and the union of shard graphs ([`crate::corpus::merge`]).
//!
//! - **Runs.** A [`Run`] is a sorted sequence of records in an anonymous temporary file
//!   (deleted by the OS however the process ends), written by a [`RunWriter`] and read back
//!   from its start by a [`RunReader`] (positional reads: several walks may read one run).
//!   The record format is the caller's; both ends speak little-endian lengths and integers.
//! - **K-way merge.** [`KWay`] merges sorted [`Sorted`] sources by their items' [`Keyed`]
//!   keys, the earlier source first among equal keys: item by item
//!   ([`KWay::for_each`], reusing each source's item), or a key at a time with equal keys
//!   united ([`KWay::next_group`]).
//! - **Fan-in.** [`compact_runs`] keeps runs few as they are written (LSM-style: `fan_in`
//!   runs of one level become one run of the next), and [`fan_in_levels`] brings a known
//!   list of inputs down to `fan_in` by merging consecutive groups, level by level.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

/// A sorted run in an anonymous temporary file (gone however the process ends).
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) file: File,
    /// Bytes written.
    pub(crate) len: u64,
    /// Compaction level (see [`compact_runs`]).
    pub(crate) level: u32,
}

/// `e` with what was being done and where.
pub(crate) fn ctx(e: io::Error, what: &str, dir: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{what} in {}: {e}", dir.display()))
}

/// The error of a record that does not read back as written.
pub(crate) fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "corrupt record")
}

/// Writes one run.
pub(crate) struct RunWriter<'a> {
    w: BufWriter<File>,
    len: u64,
    dir: &'a Path,
    /// What the run holds, for messages (`evidence`, `the events table`).
    holds: &'static str,
}

impl<'a> RunWriter<'a> {
    /// A run in a new anonymous file in `dir`, holding `holds`, written `why` (both for
    /// messages).
    pub(crate) fn holding(
        dir: &'a Path,
        holds: &'static str,
        why: &str,
    ) -> io::Result<RunWriter<'a>> {
        let file = tempfile::tempfile_in(dir).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot create a temporary file in {} {why} (set TMPDIR to a writable \
                     folder): {e}",
                    dir.display()
                ),
            )
        })?;
        Ok(RunWriter {
            w: BufWriter::with_capacity(1 << 18, file),
            len: 0,
            dir,
            holds,
        })
    }

    /// Append bytes.
    pub(crate) fn put(&mut self, b: &[u8]) -> io::Result<()> {
        self.len += b.len() as u64;
        let holds = self.holds;
        self.w.write_all(b).map_err(|e| {
            ctx(
                e,
                &format!("cannot write a temporary file of {holds}"),
                self.dir,
            )
        })
    }

    /// Append a length or index as 4 bytes, little-endian.
    pub(crate) fn put_u32(&mut self, n: usize) -> io::Result<()> {
        let n = u32::try_from(n).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a field is too large for a temporary file of {}",
                    self.holds
                ),
            )
        })?;
        self.put(&n.to_le_bytes())
    }

    /// Append bytes after their length (4 bytes).
    pub(crate) fn put_bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.put_u32(b.len())?;
        self.put(b)
    }

    /// The run, at compaction `level`.
    pub(crate) fn finish(self, level: u32) -> io::Result<Run> {
        let (dir, holds) = (self.dir, self.holds);
        let file = self.w.into_inner().map_err(|e| {
            ctx(
                e.into_error(),
                &format!("cannot write a temporary file of {holds}"),
                dir,
            )
        })?;
        Ok(Run {
            file,
            len: self.len,
            level,
        })
    }
}

/// Reads a run from its start, without moving the file's cursor (positional reads), so
/// several walks may read the same run.
struct At<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.end.saturating_sub(self.pos);
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if n == 0 {
            return Ok(0);
        }
        let got = read_at(self.file, &mut buf[..n], self.pos)?;
        self.pos += got as u64;
        Ok(got)
    }
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(f, buf, pos)
}

#[cfg(windows)]
fn read_at(f: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(f, buf, pos)
}

#[cfg(not(any(unix, windows)))]
fn read_at(mut f: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    use std::io::Seek;
    f.seek(io::SeekFrom::Start(pos))?;
    f.read(buf)
}

/// Reads a run's records back: the primitives [`RunWriter`] writes. Errors are the bare
/// I/O errors; the caller says what it was reading ([`ctx`]).
pub(crate) struct RunReader<'a> {
    r: BufReader<At<'a>>,
}

impl<'a> RunReader<'a> {
    pub(crate) fn new(run: &'a Run) -> RunReader<'a> {
        RunReader {
            r: BufReader::with_capacity(
                1 << 16,
                At {
                    file: &run.file,
                    pos: 0,
                    end: run.len,
                },
            ),
        }
    }

    /// Is the whole run read?
    pub(crate) fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.r.fill_buf()?.is_empty())
    }

    pub(crate) fn u8(&mut self) -> io::Result<u8> {
        let mut b = [0u8; 1];
        self.r.read_exact(&mut b)?;
        Ok(b[0])
    }

    pub(crate) fn u32(&mut self) -> io::Result<usize> {
        let mut b = [0u8; 4];
        self.r.read_exact(&mut b)?;
        usize::try_from(u32::from_le_bytes(b)).map_err(|_| corrupt())
    }

    pub(crate) fn u64(&mut self) -> io::Result<usize> {
        let mut b = [0u8; 8];
        self.r.read_exact(&mut b)?;
        usize::try_from(u64::from_le_bytes(b)).map_err(|_| corrupt())
    }

    /// Bytes after their length (as [`RunWriter::put_bytes`] wrote them), into `v`
    /// (replacing what it held).
    pub(crate) fn bytes_into(&mut self, v: &mut Vec<u8>) -> io::Result<()> {
        let n = self.u32()?;
        // A length past the run's end is a corrupt run (and no huge allocation).
        if n as u64 > self.r.get_ref().end {
            return Err(corrupt());
        }
        v.clear();
        v.resize(n, 0);
        self.r.read_exact(v)
    }

    /// A string after its length.
    pub(crate) fn string(&mut self) -> io::Result<String> {
        let mut v = Vec::new();
        self.bytes_into(&mut v)?;
        // Checked with SIMD: the standard check ran at ~1.4 GB/s on CJK sentences, a tenth
        // of writing a large graph.
        simdutf8::basic::from_utf8(&v).map_err(|_| corrupt())?;
        // SAFETY: `v` was just checked to be UTF-8.
        #[allow(unsafe_code)]
        let s = unsafe { String::from_utf8_unchecked(v) };
        Ok(s)
    }
}

/// What a merge orders items by.
pub(crate) trait Keyed {
    type Key: Ord + ?Sized;
    fn key(&self) -> &Self::Key;
}

impl Keyed for Vec<u8> {
    type Key = [u8];
    fn key(&self) -> &[u8] {
        self
    }
}

/// A sorted source of items for [`KWay`].
pub(crate) trait Sorted {
    type Item: Keyed + Default;
    type Error;
    /// The next item into `item` (its buffers may be reused); false at the end.
    fn next_into(&mut self, item: &mut Self::Item) -> Result<bool, Self::Error>;
}

/// A source's current item, ordered so that `BinaryHeap` pops the smallest key (and,
/// among equal keys, the earliest source).
struct Head<T> {
    item: T,
    src: usize,
}

impl<T: Keyed> Ord for Head<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .item
            .key()
            .cmp(self.item.key())
            .then_with(|| other.src.cmp(&self.src))
    }
}

impl<T: Keyed> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Keyed> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T: Keyed> Eq for Head<T> {}

/// The k-way merge of sorted sources.
pub(crate) struct KWay<S: Sorted> {
    sources: Vec<S>,
    heap: BinaryHeap<Head<S::Item>>,
}

impl<S: Sorted> KWay<S> {
    /// Read every source's first item.
    pub(crate) fn new(mut sources: Vec<S>) -> Result<KWay<S>, S::Error> {
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (src, s) in sources.iter_mut().enumerate() {
            let mut item = S::Item::default();
            if s.next_into(&mut item)? {
                heap.push(Head { item, src });
            }
        }
        Ok(KWay { sources, heap })
    }

    /// The smallest head, its source refilled.
    fn pop(&mut self) -> Result<Option<S::Item>, S::Error> {
        let Some(Head { item, src }) = self.heap.pop() else {
            return Ok(None);
        };
        let mut next = S::Item::default();
        if self.sources[src].next_into(&mut next)? {
            self.heap.push(Head { item: next, src });
        }
        Ok(Some(item))
    }

    /// Call `f` on every item in order, equal keys each once per source, reusing each
    /// source's item (no allocation per item beyond the source's own).
    pub(crate) fn for_each<E: From<S::Error>>(
        mut self,
        mut f: impl FnMut(&S::Item) -> Result<(), E>,
    ) -> Result<(), E> {
        while let Some(mut h) = self.heap.pop() {
            f(&h.item)?;
            if self.sources[h.src].next_into(&mut h.item)? {
                self.heap.push(h);
            }
        }
        Ok(())
    }

    /// The next key's item: every head with the smallest key, united into the earliest
    /// source's by `unite(into, later)` in source order; with whether any was united.
    pub(crate) fn next_group(
        &mut self,
        mut unite: impl FnMut(&mut S::Item, S::Item),
    ) -> Result<Option<(S::Item, bool)>, S::Error> {
        let Some(mut first) = self.pop()? else {
            return Ok(None);
        };
        let mut united = false;
        while self
            .heap
            .peek()
            .is_some_and(|h| h.item.key() == first.key())
        {
            if let Some(other) = self.pop()? {
                unite(&mut first, other);
                united = true;
            }
        }
        Ok(Some((first, united)))
    }
}

/// LSM-style compaction of sorted runs: while `fan_in` runs of the newest level pile up,
/// `merge(them, next level)` makes them one run of the next level, so a small memory limit
/// opens few files and rewrites each record only log_fan_in(runs) times.
pub(crate) fn compact_runs<R>(
    runs: &mut Vec<R>,
    fan_in: usize,
    level: impl Fn(&R) -> u32,
    mut merge: impl FnMut(&mut [R], u32) -> io::Result<R>,
) -> io::Result<()> {
    loop {
        let Some(top) = runs.last().map(&level) else {
            return Ok(());
        };
        let same = runs.iter().rev().take_while(|r| level(r) == top).count();
        if same < fan_in {
            return Ok(());
        }
        let start = runs.len() - same;
        let run = merge(&mut runs[start..], top + 1)?;
        runs.truncate(start);
        runs.push(run);
    }
}

/// Bring `inputs` down to at most `fan_in` (at least 2): while there are more, each
/// consecutive group of `fan_in` is merged into one by `merge(level, group)` (level 0 reads
/// the inputs themselves), keeping their order. The result is what the last merge reads.
pub(crate) fn fan_in_levels<R, E>(
    mut inputs: Vec<R>,
    fan_in: usize,
    mut merge: impl FnMut(usize, &[R]) -> Result<R, E>,
) -> Result<Vec<R>, E> {
    let fan_in = fan_in.max(2);
    let mut level = 0;
    while inputs.len() > fan_in {
        inputs = inputs
            .chunks(fan_in)
            .map(|group| merge(level, group))
            .collect::<Result<_, E>>()?;
        level += 1;
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sorted list as a source.
    struct List(std::vec::IntoIter<Vec<u8>>);

    impl Sorted for List {
        type Item = Vec<u8>;
        type Error = io::Error;
        fn next_into(&mut self, item: &mut Vec<u8>) -> io::Result<bool> {
            Ok(self.0.next().map(|v| *item = v).is_some())
        }
    }

    fn lists() -> Vec<List> {
        [
            vec![vec![1], vec![2], vec![2, 1]],
            vec![],
            vec![vec![0], vec![2]],
        ]
        .into_iter()
        .map(|l| List(l.into_iter()))
        .collect()
    }

    #[test]
    fn merges_item_by_item_or_key_by_key() {
        let mut all = Vec::new();
        KWay::new(lists())
            .unwrap()
            .for_each(|x| {
                all.push(x.clone());
                io::Result::Ok(())
            })
            .unwrap();
        assert_eq!(all, [vec![0], vec![1], vec![2], vec![2], vec![2, 1]]);
        let mut k = KWay::new(lists()).unwrap();
        let mut groups = Vec::new();
        while let Some(g) = k.next_group(|a, b| a.push(b.len() as u8 + 10)).unwrap() {
            groups.push(g);
        }
        let want = [
            (vec![0], false),
            (vec![1], false),
            (vec![2, 11], true),
            (vec![2, 1], false),
        ];
        assert_eq!(groups, want);
    }

    #[test]
    fn fan_in_levels_merge_consecutive_groups() {
        let r: Result<Vec<Vec<u32>>, ()> =
            fan_in_levels((0..9).map(|i| vec![i]).collect(), 2, |_, g: &[Vec<u32>]| {
                Ok(g.concat())
            });
        assert_eq!(r.unwrap(), [(0..8).collect::<Vec<_>>(), vec![8]]);
        let r: Result<Vec<u32>, ()> = fan_in_levels(vec![1, 2, 3], 3, |_, _| Err(()));
        assert_eq!(r.unwrap(), [1, 2, 3]);
    }

    #[test]
    fn runs_read_back_as_written() {
        let dir = std::env::temp_dir();
        let mut w = RunWriter::holding(&dir, "tests", "to test").unwrap();
        w.put_u32(7).unwrap();
        w.put_bytes("文字".as_bytes()).unwrap();
        w.put(&[3]).unwrap();
        w.put(&9u64.to_le_bytes()).unwrap();
        let run = w.finish(0).unwrap();
        for _ in 0..2 {
            let mut r = RunReader::new(&run);
            assert_eq!(r.u32().unwrap(), 7);
            assert_eq!(r.string().unwrap(), "文字");
            assert_eq!(r.u8().unwrap(), 3);
            assert!(!r.at_end().unwrap());
            assert_eq!(r.u64().unwrap(), 9);
            assert!(r.at_end().unwrap());
        }
    }
}
