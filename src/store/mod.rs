//! The store (`extract --store FILE`): every run's pages and relations kept in one SQLite
//! database, so that the next run extracts only what changed, and analysts can query the
//! result in SQL.
//!
//! Takes the dictionary of the run and, page by page, what the reader read; gives each
//! page's stored relations back when they still hold ([`Lookup`], [`codec`]), and keeps
//! what was extracted ([`Store::put`]). The graph of a run with a store is built from
//! exactly the relations a run without one would find (the reused ones read back, the
//! others extracted), so the output is the same bytes.
//!
//! - **What is reused.** A page is known by its name and the number of earlier pages of
//!   the run read under the same name (JSON Lines ids may repeat). Its relations are read
//!   back when it hashes the same (XXH3-128 of a page file's bytes, or of a record's text,
//!   `published`, `url` and `title`) and the dictionary change cannot reach it
//!   ([`delta`]); otherwise it is extracted again.
//! - **What is removed.** A page stored but not read in this run is deleted: the store
//!   mirrors the inputs of its last run, as the output does.
//! - **Safe.** A run is one transaction (`BEGIN IMMEDIATE` … `COMMIT`, in WAL mode): killed
//!   at any moment, the file holds the previous run, and the next run completes it. A
//!   second run on the same store waits (5 s), then stops with a message. A new store is
//!   written without a journal to `FILE.new` (every page once, not once to the log and again
//!   to the file), synced, and renamed into place: until then there is no store, and a
//!   `FILE.new` left by a killed run is removed by the next.
//! - **Versioned.** `meta` holds the schema and the visitgraph version that wrote it; any
//!   other is refused with a message rather than misread.
//!
//! The schema, with its views (`relations`, `visits`, `companions`, `documents`), is
//! `src/store/schema.sql`, applied as written.

pub(crate) mod codec;
pub(crate) mod delta;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::FxHashMap;

use crate::dict::Dictionary;
use crate::error::{Error, Result};
use delta::{Delta, EntityRow};

/// The schema version this build reads and writes.
pub(crate) const SCHEMA: &str = "2";

const SCHEMA_SQL: &str = include_str!("schema.sql");

/// A page's key in the store: its name and how many pages of the run came before it under
/// the same name.
type Key = (String, u32);

/// A stored page as the index holds it: row id and content hash.
type Known = (i64, u128);

/// An open store, inside the run's transaction: the writing side, which the merging
/// thread holds.
pub(crate) struct Store {
    path: PathBuf,
    conn: Connection,
    /// A new store being written (renamed to `path` at the end), removed if the run fails.
    fresh: Option<Fresh>,
    /// The run's row.
    run: i64,
    /// The dictionary as rows.
    rows: Vec<EntityRow>,
}

/// What the store held when the run began, which the reading thread and the workers read.
pub(crate) struct Before {
    path: PathBuf,
    /// Every stored page.
    index: FxHashMap<Key, Known>,
    /// What changed in the dictionary since the last run.
    pub(crate) delta: Delta,
}

/// What a run with a store did, for `--stats`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    /// Pages extracted that the store did not hold.
    pub(crate) added: usize,
    /// Pages the store held and that were extracted again.
    pub(crate) reextracted: usize,
    /// Pages whose stored relations were used.
    pub(crate) reused: usize,
    /// Pages stored but not read this run, deleted.
    pub(crate) removed: usize,
}

/// One page of a run, for the store: its key and content hash, and — when the store holds
/// the same page — its row and stored relations.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prior {
    pub(crate) nth: u32,
    pub(crate) hash: u128,
    /// The stored row of this name, if any.
    pub(crate) row: Option<i64>,
    /// The stored relations, when the row's hash is this page's.
    pub(crate) relations: Option<String>,
}

/// What became of a page in the run.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Its stored relations were used.
    Reused,
    /// Extracted: its relations as the store keeps them.
    Extracted(String),
    /// It gave no page this time (a file now binary or empty): its row goes.
    Dropped,
}

/// What the store keeps of a page after the run.
#[derive(Debug)]
pub(crate) struct PageOut {
    pub(crate) name: String,
    pub(crate) source: String,
    pub(crate) url: Option<String>,
    pub(crate) title: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) size: usize,
    pub(crate) prior: Prior,
    pub(crate) outcome: Outcome,
}

fn sql(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| Error::input(&path.display().to_string(), format!("store: {e}"))
}

/// The content hash of a page file: its bytes as read (compressed or not), so that an
/// unchanged file needs no decoding to be known.
pub(crate) fn raw_hash(bytes: &[u8]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(b"raw\x1f");
    h.update(bytes);
    h.digest128()
}

/// The content hash of a page record (JSON Lines, WARC).
pub(crate) fn page_hash(
    text: &str,
    published: Option<&str>,
    url: Option<&str>,
    title: Option<&str>,
) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [Some(text), published, url, title] {
        match part {
            Some(s) => {
                h.update(b"\x01");
                h.update(s.as_bytes());
            }
            None => h.update(b"\x00"),
        }
        h.update(b"\x1f");
    }
    h.digest128()
}

fn open_conn(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(sql(path))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(sql(path))?;
    Ok(conn)
}

/// Is the schema there, and ours? `Ok(false)` for an empty database.
fn check_schema(conn: &Connection, path: &Path) -> Result<bool> {
    let shown = path.display().to_string();
    let not_ours = |e: rusqlite::Error| {
        Error::input(
            &shown,
            format!("not a visitgraph store ({e}); give --store a new file or an existing store"),
        )
    };
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(not_ours)?;
    if tables == 0 {
        return Ok(false);
    }
    let meta = |k: &str| -> Option<String> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
            .ok()
    };
    let (Some(schema), Some(version)) = (meta("schema"), meta("version")) else {
        return Err(Error::input(
            &shown,
            "not a visitgraph store (an SQLite database without its `meta` table); give --store a new file",
        ));
    };
    let ours = env!("CARGO_PKG_VERSION");
    if schema != SCHEMA || version != ours {
        return Err(Error::input(
            &shown,
            format!(
                "store written by visitgraph {version} (schema {schema}); this is visitgraph {ours} (schema {SCHEMA}): use a new --store file (the old one can still be queried in SQL)"
            ),
        ));
    }
    Ok(true)
}

impl Store {
    /// Open (or create) the store at `path` and begin the run's transaction: the pages it
    /// holds, and what changed in the dictionary since its last run.
    pub(crate) fn open(final_path: &Path, dict: &Dictionary) -> Result<(Store, Before)> {
        // A store is a regular file: SQLite on `/dev/null` or a FIFO would lose the run
        // (and leave its journal files beside the device).
        if final_path.exists() && !final_path.is_file() {
            return Err(Error::input(
                &final_path.display().to_string(),
                "not a regular file: a store is a database file (a new one is created when the path does not exist)",
            ));
        }
        let fresh = (!final_path.exists()).then(|| Fresh::new(final_path));
        let path = fresh.as_ref().map_or(final_path, |f| f.work.as_path());
        let conn = open_conn(path)?;
        let e = sql(final_path);
        // WAL: the reading thread's connection reads the last committed run while this
        // one writes the new run. A new store has no previous run to keep.
        let (journal, sync) = match fresh {
            Some(_) => ("OFF", "OFF"),
            None => ("WAL", "NORMAL"),
        };
        conn.pragma_update(None, "journal_mode", journal)
            .map_err(|err| {
                Error::input(
                    &final_path.display().to_string(),
                    format!("not a visitgraph store, or not writable ({err})"),
                )
            })?;
        conn.pragma_update(None, "synchronous", sync).map_err(&e)?;
        conn.execute_batch("BEGIN IMMEDIATE").map_err(&e)?;
        let existed = check_schema(&conn, final_path)?;
        if !existed {
            conn.execute_batch(SCHEMA_SQL).map_err(&e)?;
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema', ?1), ('version', ?2)",
                params![SCHEMA, env!("CARGO_PKG_VERSION")],
            )
            .map_err(&e)?;
        }
        let rows = delta::rows(dict);
        let rules = delta::rules_fingerprint(dict);
        let fingerprint = delta::dictionary_fingerprint(&rules, &rows);
        let meta = |k: &str| -> Result<Option<String>> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
                .optional()
                .map_err(sql(path))
        };
        let delta = if !existed || meta("rules")?.as_deref() != Some(rules.as_str()) {
            Delta::everything(rows.len())
        } else if meta("fingerprint")?.as_deref() == Some(fingerprint.as_str()) {
            Delta::nothing()
        } else {
            let mut stored = FxHashMap::default();
            let mut q = conn
                .prepare("SELECT id, fingerprint, patterns FROM entities")
                .map_err(&e)?;
            let mut it = q.query([]).map_err(&e)?;
            while let Some(r) = it.next().map_err(&e)? {
                stored.insert(
                    r.get::<_, String>(0).map_err(&e)?,
                    (r.get(1).map_err(&e)?, r.get(2).map_err(&e)?),
                );
            }
            Delta::between(&stored, &rows)
        };
        for (k, v) in [("rules", &rules), ("fingerprint", &fingerprint)] {
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![k, v],
            )
            .map_err(&e)?;
        }
        let index = load_index(&conn, path)?;
        let layers = serde_json::to_string(
            &dict
                .layers
                .iter()
                .map(|l| serde_json::json!({"source": l.source, "fingerprint": l.fingerprint}))
                .collect::<Vec<_>>(),
        )
        .map_err(|err| Error::json("the layers", err))?;
        conn.execute(
            "INSERT INTO runs (finished, version, fingerprint, layers, documents, extracted, reused, removed)
             VALUES ('', ?1, ?2, ?3, 0, 0, 0, 0)",
            params![env!("CARGO_PKG_VERSION"), fingerprint, layers],
        )
        .map_err(&e)?;
        let run = conn.last_insert_rowid();
        let store = Store {
            path: final_path.to_path_buf(),
            conn,
            fresh,
            run,
            rows,
        };
        let before = Before {
            path: final_path.to_path_buf(),
            index,
            delta,
        };
        Ok((store, before))
    }

    /// Keep a page's outcome (in reading order, so row ids do not depend on threads).
    pub(crate) fn put(&mut self, p: &PageOut, counts: &mut Counts) -> Result<()> {
        let e = sql(&self.path);
        let rels = match &p.outcome {
            Outcome::Extracted(rels) => rels,
            Outcome::Reused => {
                counts.reused += 1;
                return Ok(());
            }
            Outcome::Dropped => {
                if let Some(row) = p.prior.row {
                    counts.removed += 1;
                    self.conn
                        .prepare_cached("DELETE FROM pages WHERE id = ?1")
                        .and_then(|mut s| s.execute([row]))
                        .map_err(&e)?;
                }
                return Ok(());
            }
        };
        let hash = format!("{:032x}", p.prior.hash);
        let values = params![
            p.name,
            p.prior.nth,
            p.source,
            p.url,
            p.title,
            p.published,
            hash,
            p.size as i64,
            self.run,
            rels
        ];
        if let Some(row) = p.prior.row {
            counts.reextracted += 1;
            self.conn
                .prepare_cached(
                    "UPDATE pages SET name = ?1, nth = ?2, source = ?3, url = ?4, title = ?5,
                     published = ?6, hash = ?7, size = ?8, run = ?9, relations = ?10 WHERE id = ?11",
                )
                .and_then(|mut s| {
                    let mut v: Vec<&dyn rusqlite::ToSql> = values.to_vec();
                    v.push(&row);
                    s.execute(&*v)
                })
                .map_err(&e)?;
        } else {
            counts.added += 1;
            self.conn
                .prepare_cached(
                    "INSERT INTO pages (name, nth, source, url, title, published, hash, size, run, relations)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .and_then(|mut s| s.execute(values))
                .map_err(&e)?;
        }
        Ok(())
    }

    /// End the run: delete the pages not read (`seen` holds the rows read), write the
    /// dictionary's changed rows and the run's counts, and commit. Gives the store's size in
    /// bytes.
    pub(crate) fn finish(
        self,
        before: &Before,
        mut seen: Vec<i64>,
        counts: &mut Counts,
    ) -> Result<u64> {
        let e = sql(&self.path);
        seen.sort_unstable();
        let mut gone: Vec<i64> = before
            .index
            .values()
            .map(|k| k.0)
            .filter(|r| seen.binary_search(r).is_err())
            .collect();
        gone.sort_unstable();
        {
            let mut del = self
                .conn
                .prepare("DELETE FROM pages WHERE id = ?1")
                .map_err(&e)?;
            for r in &gone {
                del.execute([r]).map_err(&e)?;
            }
            let mut del = self
                .conn
                .prepare("DELETE FROM entities WHERE id = ?1")
                .map_err(&e)?;
            for id in &before.delta.deletes {
                del.execute([id]).map_err(&e)?;
            }
            let mut put = self
                .conn
                .prepare(
                    "INSERT OR REPLACE INTO entities (id, type, name, aliases, kind, place, candidate, fingerprint, patterns)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(&e)?;
            for &i in &before.delta.upserts {
                let r = &self.rows[i];
                put.execute(params![
                    r.id,
                    r.ty,
                    r.name,
                    r.aliases,
                    r.kind,
                    r.place,
                    r.candidate,
                    r.fingerprint,
                    r.patterns
                ])
                .map_err(&e)?;
            }
        }
        counts.removed += gone.len();
        let documents = counts.added + counts.reextracted + counts.reused;
        self.conn
            .execute(
                "UPDATE runs SET finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), documents = ?1,
                 extracted = ?2, reused = ?3, removed = ?4 WHERE id = ?5",
                params![
                    documents as i64,
                    (counts.added + counts.reextracted) as i64,
                    counts.reused as i64,
                    counts.removed as i64,
                    self.run
                ],
            )
            .map_err(&e)?;
        self.conn.execute_batch("COMMIT").map_err(&e)?;
        // Fold the write-ahead log back into the file, so the file alone is the store.
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        drop(self.conn);
        if let Some(f) = self.fresh {
            f.into_place(&self.path)?;
        }
        Ok(std::fs::metadata(&self.path).map_or(0, |m| m.len()))
    }
}

/// A new store's file while it is written: `FILE.new`, removed unless it is put in place.
struct Fresh {
    work: PathBuf,
    placed: bool,
}

impl Fresh {
    fn new(path: &Path) -> Fresh {
        let mut name = path.as_os_str().to_owned();
        name.push(".new");
        let work = PathBuf::from(name);
        // Left by a run that was killed: never a store.
        let _ = std::fs::remove_file(&work);
        Fresh {
            work,
            placed: false,
        }
    }

    /// Sync the finished file and rename it to `path`.
    fn into_place(mut self, path: &Path) -> Result<()> {
        let io = |e| Error::io(path, e);
        std::fs::File::open(&self.work)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        std::fs::rename(&self.work, path).map_err(io)?;
        self.placed = true;
        Ok(())
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.work);
        }
    }
}

impl Before {
    /// The reading side, for the thread that reads the pages: it numbers them, hashes
    /// them, and fetches the stored relations of those unchanged.
    pub(crate) fn lookup(&self) -> Result<Lookup<'_>> {
        Ok(Lookup {
            path: &self.path,
            index: &self.index,
            conn: None,
            nth: FxHashMap::default(),
            fetch: !self.delta.all,
            seen: Vec::new(),
        })
    }
}

/// Every stored page's key, row and hash.
fn load_index(conn: &Connection, path: &Path) -> Result<FxHashMap<Key, Known>> {
    let e = sql(path);
    let mut q = conn
        .prepare("SELECT id, name, nth, hash FROM pages")
        .map_err(&e)?;
    let mut it = q.query([]).map_err(&e)?;
    let mut index = FxHashMap::default();
    while let Some(r) = it.next().map_err(&e)? {
        let hash: String = r.get(3).map_err(&e)?;
        let hash = u128::from_str_radix(&hash, 16).unwrap_or(0);
        index.insert(
            (r.get(1).map_err(&e)?, r.get(2).map_err(&e)?),
            (r.get(0).map_err(&e)?, hash),
        );
    }
    Ok(index)
}

/// The reading thread's side of the store.
pub(crate) struct Lookup<'s> {
    path: &'s Path,
    index: &'s FxHashMap<Key, Known>,
    /// Opened at the first page read back (a new store has none, and no file yet).
    conn: Option<Connection>,
    /// Pages read so far under each name.
    nth: FxHashMap<String, u32>,
    /// Fetch stored relations (not when every page is extracted anyway).
    fetch: bool,
    /// Rows of the pages read.
    pub(crate) seen: Vec<i64>,
}

impl Lookup<'_> {
    /// Number, hash and look up the next page read.
    pub(crate) fn prior(&mut self, name: &str, hash: u128) -> Result<Prior> {
        let nth = match self.nth.get_mut(name) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => {
                self.nth.insert(name.to_string(), 0);
                0
            }
        };
        let mut p = Prior {
            nth,
            hash,
            ..Prior::default()
        };
        if let Some(&(row, stored)) = self.index.get(&(name.to_string(), nth)) {
            self.seen.push(row);
            p.row = Some(row);
            if stored == hash && self.fetch {
                let conn = match &mut self.conn {
                    Some(c) => c,
                    None => self.conn.insert(open_conn(self.path)?),
                };
                let got: String = conn
                    .prepare_cached("SELECT relations FROM pages WHERE id = ?1")
                    .and_then(|mut s| s.query_row([row], |r| r.get(0)))
                    .map_err(sql(self.path))?;
                p.relations = Some(got);
            }
        }
        Ok(p)
    }
}
