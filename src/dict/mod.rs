//! Dictionaries: TSV layers in, one resolved [`Dictionary`] out.
//!
//! A layer is a folder of up to five UTF-8 TSV files (`officials.tsv`, `posts.tsv`,
//! `organizations.tsv`, `places.tsv`, `triggers.tsv`). The project's own `dictionaries/`
//! folder is embedded in the binary as the first layer; every `--dict DIR` is laid on top,
//! and a row whose id already exists replaces the earlier row (so an analyst can correct a
//! built-in entry without forking it). A layer's `triggers.tsv` replaces the trigger
//! lexicon as a whole, since cue words only make sense as a set.
//!
//! Files are read forgivingly where that is safe (a BOM, CRLF line ends, `#` comments,
//! blank lines and trailing empty cells from spreadsheet exports are ignored) and strictly
//! where it is not: a missing column, a row with fewer cells than the header has columns (or
//! more non-empty ones: a missing cell in the middle would shift the columns after it), an
//! empty id or name, or a malformed date is an error naming `path:line`. Names are
//! simplified on load, so a row typed in traditional script still matches.

use std::collections::BTreeMap;
use std::collections::hash_map::Entry;
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::page::date::Day;
use crate::page::normalize::simplify;

pub(crate) mod check;
pub(crate) mod discover;
pub(crate) mod surnames;
pub mod triggers;

/// The three kinds of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityType {
    /// A person (an official or anyone else with a post).
    Official,
    /// A firm, institute, lab, park, agency…
    Organization,
    /// A country, province, city, district…
    Place,
}

impl EntityType {
    /// The name used in output (`official`, `organization`, `place`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Official => "official",
            EntityType::Organization => "organization",
            EntityType::Place => "place",
        }
    }
}

/// One dictionary row.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Dictionary id, stable across runs.
    pub id: String,
    /// Node type.
    pub ty: EntityType,
    /// Canonical (full) name, as the dictionary writes it.
    pub name: String,
    /// Other names, as written.
    pub aliases: Vec<String>,
    /// The name and aliases in simplified script, as the matcher sees them.
    pub(crate) match_names: Vec<String>,
    /// Every other column (`kind`, `place`, `level`, `parent`, and any extra ones).
    pub(crate) attrs: Attrs,
    /// The row it was read from (the last one, when a later layer replaced it).
    pub(crate) origin: Origin,
}

/// Where a row was read: an index into [`Dictionary::files`] and a 1-based line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Origin {
    /// The file, an index into [`Dictionary::files`].
    pub(crate) file: u32,
    /// The line in it.
    pub(crate) line: u32,
}

impl Origin {
    fn new(file: usize, line: usize) -> Origin {
        Origin {
            file: u32::try_from(file).unwrap_or(u32::MAX),
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }
    }
}

/// An entity's other columns by name, in name order. A sorted vector rather than a
/// `BTreeMap`, whose first node alone is half a kilobyte: a large dictionary has a million
/// entities with two or three columns each.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Attrs(Vec<(String, String)>);

impl Attrs {
    /// No columns.
    pub(crate) fn new() -> Attrs {
        Attrs::default()
    }

    /// Set a column (a second value for the same name replaces the first, as in a map).
    pub(crate) fn insert(&mut self, key: String, value: String) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// A column's value.
    pub(crate) fn get(&self, key: &str) -> Option<&String> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// The column names, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// `(name, value)` pairs, in name order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a String, &'a String),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl std::fmt::Debug for Attrs {
    /// As a map: `{"kind": "company"}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Entity {
    /// An attribute, or "" when absent.
    pub fn attr(&self, key: &str) -> &str {
        self.attrs.get(key).map(String::as_str).unwrap_or("")
    }
}

/// One post an official holds.
#[derive(Debug, Clone)]
pub(crate) struct Post {
    /// Index of the official in [`Dictionary::entities`].
    pub(crate) official: usize,
    /// Title as written in text (`省委书记`).
    pub(crate) title: String,
    /// Index of the jurisdiction (a place or an organization).
    pub(crate) jurisdiction: usize,
    /// First day held (inclusive), if known.
    pub(crate) from: Option<Day>,
    /// Last day held (inclusive), if known.
    pub(crate) to: Option<Day>,
    /// The posts.tsv row it was read from.
    pub(crate) origin: Origin,
}

impl Post {
    /// Was this post held on `day`? (Open ends count as held; an unknown day matches all.)
    pub(crate) fn held_on(&self, day: Option<Day>) -> bool {
        let Some(d) = day else { return true };
        self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|t| d <= t)
    }
}

/// Where a layer came from, with a fingerprint of its bytes.
#[derive(Debug, Clone)]
pub(crate) struct LayerInfo {
    /// `builtin` or the folder given.
    pub(crate) source: String,
    /// FNV-1a 64 of the layer's files, in hex.
    pub(crate) fingerprint: String,
}

/// All layers resolved.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// Every entity, officials first, then organizations, then places, each by id.
    pub entities: Vec<Entity>,
    /// Id → index into `entities`. (FxHash: a large dictionary has a million ids to hash
    /// on load, and every post and reference looks one up.)
    pub(crate) by_id: FxHashMap<String, usize>,
    /// Every post.
    pub(crate) posts: Vec<Post>,
    /// Post indices by official (entity index), for the per-page lookups.
    posts_by_official: FxHashMap<usize, Vec<usize>>,
    /// Post indices by (the place of the jurisdiction, title number), in post order: a
    /// title written without a name is resolved from the places on the page, so the posts
    /// it can mean are looked up by place rather than scanned (a large dictionary holds
    /// thousands of 副市长).
    posts_by_place_title: FxHashMap<(usize, u32), Vec<usize>>,
    /// Title → number, for the key above.
    title_numbers: FxHashMap<String, u32>,
    /// The trigger lexicon: `(word, relation)`.
    pub(crate) triggers: Vec<(String, String)>,
    /// The layers, in order.
    pub(crate) layers: Vec<LayerInfo>,
    /// Every file read, as `DIR/file.tsv` (`builtin:dictionaries/…` for the built-in
    /// layer): what an [`Origin`] points into.
    pub(crate) files: Vec<String>,
    /// Each entity's parent (a place's parent place, an organization's place), resolved
    /// once: jurisdiction checks follow these links for every candidate pair on a page.
    parents: Vec<Option<usize>>,
    /// Each entity's type and the yes-or-no facts the per-page rules ask of every hit,
    /// resolved once and packed, instead of looking up attributes and posts by name.
    traits: Vec<Traits>,
}

/// What the rules ask of an entity, from its attributes and posts.
#[derive(Debug, Clone, Copy)]
struct Traits {
    ty: EntityType,
    /// A host-side organization (a firm, institute, park, media…, not an authority).
    host: bool,
    /// `kind = media`: never a visit's target.
    media: bool,
    /// `level = country`: never a destination.
    country: bool,
    /// `kind` is `media`, `government` or `agency`: never what `该公司` refers to.
    not_antecedent: bool,
    /// An official whose posts are all inside host-side organizations.
    executive: bool,
}

/// The files whose rows are entities.
const ENTITY_FILES: [&str; 3] = ["officials.tsv", "organizations.tsv", "places.tsv"];

/// The number of lines in a file: a bound on its rows.
fn line_count(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1
}

const FILES: [&str; 5] = [
    "officials.tsv",
    "organizations.tsv",
    "places.tsv",
    "posts.tsv",
    "triggers.tsv",
];

/// The built-in layer, embedded at compile time.
pub(crate) const BUILTIN: [(&str, &str); 5] = [
    (
        "officials.tsv",
        include_str!("../../dictionaries/officials.tsv"),
    ),
    (
        "organizations.tsv",
        include_str!("../../dictionaries/organizations.tsv"),
    ),
    ("places.tsv", include_str!("../../dictionaries/places.tsv")),
    ("posts.tsv", include_str!("../../dictionaries/posts.tsv")),
    (
        "triggers.tsv",
        include_str!("../../dictionaries/triggers.tsv"),
    ),
];

/// The columns of posts.tsv (the first three are required), in the order of [`PostRow`].
const POST_COLUMNS: [&str; 5] = ["official", "title", "jurisdiction", "from", "to"];

/// A posts.tsv row before ids are resolved: file (an index into the paths), line, and the
/// cells of [`POST_COLUMNS`].
type PostRow<'a> = (usize, usize, [&'a str; 5]);

/// Where an id stands while the layers are read.
struct IdSlot {
    /// Its entity in the list being built.
    entity: usize,
    /// The file (an index into the paths) and line of the last row with this id: a second
    /// row in the same file is a duplicate, and is reported against the row before it.
    file: usize,
    line: usize,
}

/// A reference to another entity, checked once all ids are known: file (an index into the
/// paths), line, column name, id.
type Reference<'a> = (usize, usize, &'static str, &'a str);

/// A parsed TSV file: header names and rows of cells, every cell a slice of the file's
/// text. (A large dictionary has millions of cells: copying each into a `String` of its
/// own, and each row into a `Vec` of its own, took much of the load time.)
struct Table<'a> {
    header: Vec<&'a str>,
    /// The cells of every row, one row after the other.
    cells: Vec<&'a str>,
    /// Per row: its line number and the end of its run in `cells` (the previous row's end
    /// is where it starts).
    rows: Vec<(usize, usize)>,
    /// Rows left out because their cells do not line up with the header.
    errors: Vec<Error>,
}

/// A header must name every required column; one typed with spaces between its names
/// (an editor that turned tabs into spaces) is told so.
fn check_header(path: &str, line: usize, header: &[&str], required: &[&str]) -> Result<()> {
    let Some(r) = required.iter().find(|r| !header.contains(r)) else {
        return Ok(());
    };
    let spaced = header
        .iter()
        .any(|c| c.split_whitespace().any(|w| w == *r) && c.contains(char::is_whitespace));
    let msg = if spaced {
        format!(
            "header `{}`: columns are separated by tabs, not spaces (expected {})",
            header.join("\t"),
            required.join(", ")
        )
    } else {
        format!(
            "header lacks the column `{r}` (expected {})",
            required.join(", ")
        )
    };
    Err(Error::dict(path, line, msg))
}

impl<'a> Table<'a> {
    /// Parse a file. A header without a required column is an error for the whole file; a
    /// row whose cells do not line up with the header (fewer cells than columns, or more
    /// non-empty ones) is left out and reported in `errors`, since a missing cell in the
    /// middle would shift every column after it. Trailing empty cells are a spreadsheet's
    /// habit and are accepted beyond the header's width.
    fn parse(path: &str, text: &'a str, required: &[&str]) -> Result<Table<'a>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut header: Option<Vec<&'a str>> = None;
        // Sized once from the line count (and the header's width, below), instead of
        // growing by doubling through a dozen copies.
        let lines = line_count(text);
        let mut rows = Vec::with_capacity(lines);
        let mut cells = Vec::new();
        let mut errors = Vec::new();
        for (i, raw) in text.split('\n').enumerate() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let start = cells.len();
            cells.extend(line.split('\t').map(str::trim));
            let written = cells.len() - start;
            while cells.len() > start + 1 && cells.last().is_some_and(|c| c.is_empty()) {
                cells.pop();
            }
            match &header {
                None => {
                    let h = cells.split_off(start);
                    check_header(path, i + 1, &h, required)?;
                    cells.reserve(lines.saturating_mul(h.len()));
                    header = Some(h);
                }
                Some(h) => {
                    let n = cells.len() - start;
                    if n > h.len() || written < h.len() {
                        let count = if n > h.len() { n } else { written };
                        let spaced = (written == 1 && line.trim().contains(char::is_whitespace))
                            || h.iter().any(|c| c.contains(char::is_whitespace));
                        let hint = if spaced {
                            " (columns are separated by tabs, not spaces)"
                        } else if n > h.len() {
                            ""
                        } else {
                            " (a missing cell shifts the columns after it: leave it empty between tabs)"
                        };
                        errors.push(Error::dict(
                            path,
                            i + 1,
                            format!("{count} cells, the header has {}{hint}", h.len()),
                        ));
                        cells.truncate(start);
                        continue;
                    }
                    rows.push((i + 1, cells.len()));
                }
            }
        }
        Ok(Table {
            header: header.unwrap_or_default(),
            cells,
            rows,
            errors,
        })
    }

    /// Each row as `(line number, cells)`.
    fn rows(&self) -> impl Iterator<Item = (usize, &[&'a str])> {
        let mut start = 0;
        self.rows.iter().map(move |&(line, end)| {
            let cells = &self.cells[start..end];
            start = end;
            (line, cells)
        })
    }

    /// The position of a column, looked up once per file rather than once per cell.
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| *h == name)
    }

    /// A row's cell in a column, or "" when the column or the cell is absent.
    fn cell(cells: &[&'a str], column: Option<usize>) -> &'a str {
        column.and_then(|i| cells.get(i)).copied().unwrap_or("")
    }
}

fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for b in bytes {
        *hash ^= u64::from(*b);
        *hash = hash.wrapping_mul(0x100000001b3);
    }
}

/// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `end` picks the last day of a partial date.
pub(crate) fn parse_bound(s: &str, end: bool) -> Option<Day> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str| {
        p.parse::<u32>()
            .ok()
            .filter(|_| p.chars().all(|c| c.is_ascii_digit()))
    };
    let y = num(parts.first()?)? as i32;
    if !(1900..=2200).contains(&y) || parts[0].len() != 4 {
        return None;
    }
    let (m, d) = match parts.len() {
        1 => (if end { 12 } else { 1 }, if end { 31 } else { 1 }),
        2 => {
            let m = num(parts[1])?;
            (
                m,
                if end {
                    crate::page::date::days_in_month(y, m)
                } else {
                    1
                },
            )
        }
        3 => (num(parts[1])?, num(parts[2])?),
        _ => return None,
    };
    if !(1..=12).contains(&m) || d < 1 || d > crate::page::date::days_in_month(y, m) {
        return None;
    }
    Some((y, m, d))
}

/// A raw layer: file name → text.
pub struct Layer {
    /// Where it came from (for messages and `meta`).
    pub(crate) source: String,
    /// Path prefix for messages (`DIR/` or `builtin:`).
    prefix: String,
    /// File name → contents.
    files: BTreeMap<String, String>,
}

impl Layer {
    /// The embedded built-in layer.
    pub(crate) fn builtin() -> Layer {
        Layer {
            source: "builtin".into(),
            prefix: "builtin:dictionaries/".into(),
            files: BUILTIN
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        }
    }

    /// A layer from in-memory files, e.g. for tests: `(file name, contents)` pairs.
    ///
    /// ```
    /// use visitgraph::dict::{DictionaryBuilder, Layer};
    /// let layer = Layer::from_texts("mem", &[("officials.tsv", "id\tname\taliases\nzhang-san\t张三\t\n")]);
    /// let dict = DictionaryBuilder::new().no_builtin(true).layer(layer).build().unwrap();
    /// assert_eq!(dict.get("zhang-san").unwrap().name, "张三");
    /// ```
    pub fn from_texts(source: &str, files: &[(&str, &str)]) -> Layer {
        Layer {
            source: source.to_string(),
            prefix: format!("{source}/"),
            files: files
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        }
    }

    /// A folder given with `--dict`.
    pub fn from_dir(dir: &Path) -> Result<Layer> {
        if !dir.is_dir() {
            return Err(Error::dict(
                &dir.display().to_string(),
                0,
                "not a directory (--dict takes a folder of TSV files)",
            ));
        }
        let mut files = BTreeMap::new();
        for name in FILES {
            let p = dir.join(name);
            if p.exists() {
                let bytes = std::fs::read(&p).map_err(|e| Error::io(&p, e))?;
                let text = String::from_utf8(bytes).map_err(|e| {
                    Error::dict(&p.display().to_string(), 0, format!("not UTF-8 ({e})"))
                })?;
                files.insert(name.to_string(), text);
            }
        }
        if files.is_empty() {
            return Err(Error::dict(
                &dir.display().to_string(),
                0,
                format!("holds none of {}", FILES.join(", ")),
            ));
        }
        Ok(Layer {
            source: dir.display().to_string(),
            prefix: format!("{}/", dir.display()),
            files,
        })
    }

    fn fingerprint(&self) -> String {
        let mut h = 0xcbf29ce484222325u64;
        for (name, text) in &self.files {
            fnv1a(&mut h, name.as_bytes());
            fnv1a(&mut h, &[0]);
            fnv1a(&mut h, text.as_bytes());
            fnv1a(&mut h, &[0]);
        }
        format!("{h:016x}")
    }
}

/// Builds a [`Dictionary`] from layers.
#[derive(Default)]
pub struct DictionaryBuilder {
    layers: Vec<Layer>,
    /// When true the built-in layer only contributes its triggers.
    no_builtin: bool,
}

impl DictionaryBuilder {
    /// A builder with the built-in layer.
    pub fn new() -> DictionaryBuilder {
        DictionaryBuilder::default()
    }

    /// Drop the built-in entities (its trigger lexicon stays unless a layer has its own).
    pub fn no_builtin(mut self, yes: bool) -> Self {
        self.no_builtin = yes;
        self
    }

    /// Lay a folder on top.
    pub fn layer(mut self, layer: Layer) -> Self {
        self.layers.push(layer);
        self
    }

    /// Resolve all layers; the first fatal problem is an error.
    pub fn build(self) -> Result<Dictionary> {
        let (dict, diags) = self.build_checked();
        match diags.into_iter().find(|d| d.fatal) {
            Some(d) => Err(Error::dict(&d.path, d.line, d.msg)),
            None => Ok(dict),
        }
    }

    /// Resolve all layers, collecting every problem instead of stopping at the first.
    /// Rows with errors are left out; the dictionary is usable unless a diagnostic is
    /// `fatal`.
    ///
    /// In steps: every layer's files are read into rows ([`Reading`]); the entities are
    /// sorted and indexed by id; references and post rows are resolved against them
    /// ([`check_references`], [`resolve_posts`]); and the lookup tables the pipeline reads
    /// are derived ([`index`]).
    pub(crate) fn build_checked(self) -> (Dictionary, Vec<Diagnostic>) {
        let mut all = vec![Layer::builtin()];
        all.extend(self.layers);
        let mut reading = Reading::new(&all, self.no_builtin);
        for (li, layer) in all.iter().enumerate() {
            reading.layer(li, layer);
        }
        let Reading {
            mut diags,
            mut entities,
            ids,
            paths,
            post_rows,
            refs,
            triggers,
            layers,
            ..
        } = reading;
        drop(ids);
        // Ids are unique, so an unstable sort gives the one order there is.
        entities.sort_unstable_by(|a, b| (a.ty, &a.id).cmp(&(b.ty, &b.id)));
        let mut by_id: FxHashMap<String, usize> =
            FxHashMap::with_capacity_and_hasher(entities.len(), Default::default());
        by_id.extend(entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i)));
        check_references(refs, &paths, &by_id, &mut diags);
        let posts = resolve_posts(post_rows, &paths, &by_id, &mut diags);
        let mut dict = index(entities, by_id, posts, triggers, layers);
        dict.files = paths;
        (dict, diags)
    }
}

/// The layers' rows as they are read, before ids are resolved (the first step of
/// [`DictionaryBuilder::build_checked`]).
struct Reading<'a> {
    /// The built-in layer gives only its triggers.
    no_builtin: bool,
    diags: Vec<Diagnostic>,
    /// Entities in the order their ids first appear (a later row with the same id replaces
    /// the earlier one in place), sorted at the end; `ids` finds them by id. (A `BTreeMap`
    /// by id did the sorting, at a random-order insert per row.)
    entities: Vec<Entity>,
    ids: FxHashMap<&'a str, IdSlot>,
    /// Every file read, by index: post rows and references keep the index, not a copy.
    paths: Vec<String>,
    /// Post rows and references are resolved once every entity is known; they keep slices
    /// of the layers' text.
    post_rows: Vec<PostRow<'a>>,
    refs: Vec<Reference<'a>>,
    triggers: Vec<(String, String)>,
    layers: Vec<LayerInfo>,
}

impl<'a> Reading<'a> {
    /// Ready for `all` the layers. The entity list and id map are sized for every entity
    /// file's lines at once: grown file by file, the vector of a million entities was
    /// copied and the map rehashed when the second file came.
    fn new(all: &'a [Layer], no_builtin: bool) -> Reading<'a> {
        let row_bound: usize = all
            .iter()
            .enumerate()
            .filter(|(li, _)| !(*li == 0 && no_builtin))
            .flat_map(|(_, layer)| &layer.files)
            .filter(|(file, _)| ENTITY_FILES.contains(&file.as_str()))
            .map(|(_, text)| line_count(text))
            .sum();
        Reading {
            no_builtin,
            diags: Vec::new(),
            entities: Vec::with_capacity(row_bound),
            ids: FxHashMap::with_capacity_and_hasher(row_bound, Default::default()),
            paths: Vec::new(),
            post_rows: Vec::new(),
            refs: Vec::new(),
            triggers: Vec::new(),
            layers: Vec::new(),
        }
    }

    /// Read the files of layer number `li` (0 is the built-in one).
    fn layer(&mut self, li: usize, layer: &'a Layer) {
        let entities_too = !(li == 0 && self.no_builtin);
        if entities_too {
            self.layers.push(LayerInfo {
                source: layer.source.clone(),
                fingerprint: layer.fingerprint(),
            });
        }
        for (file, text) in &layer.files {
            let path = format!("{}{}", layer.prefix, file);
            let file_index = self.paths.len();
            self.paths.push(path.clone());
            match file.as_str() {
                "triggers.tsv" => self.triggers_file(li, &path, text),
                _ if !entities_too => {}
                "posts.tsv" => self.posts_file(file_index, &path, text),
                _ => self.entity_file(file, file_index, &path, text),
            }
        }
    }

    /// A file parsed, its misaligned rows reported (and left out); `None` (reported) when
    /// its header is unusable.
    fn table(&mut self, path: &str, text: &'a str, required: &[&str]) -> Option<Table<'a>> {
        match Table::parse(path, text, required) {
            Ok(mut t) => {
                let errors = std::mem::take(&mut t.errors);
                self.diags
                    .extend(errors.into_iter().map(Diagnostic::from_error));
                Some(t)
            }
            Err(e) => {
                self.diags.push(Diagnostic::from_error(e));
                None
            }
        }
    }

    fn error(&mut self, path: &str, line: usize, msg: String) {
        self.diags.push(Diagnostic::error(path, line, msg));
    }

    /// A `triggers.tsv`: a layer's own lexicon replaces the one before it (the built-in
    /// one always counts, even empty).
    fn triggers_file(&mut self, li: usize, path: &str, text: &'a str) {
        let Some(t) = self.table(path, text, &["word", "relation"]) else {
            return;
        };
        let (word_col, relation_col) = (t.column("word"), t.column("relation"));
        let mut lex = Vec::new();
        for (line, cells) in t.rows() {
            let w = simplify(Table::cell(cells, word_col));
            let r = Table::cell(cells, relation_col);
            if w.is_empty() || r.is_empty() {
                self.error(path, line, "empty word or relation".into());
                continue;
            }
            if crate::dict::triggers::cue_from_name(r).is_none() {
                let known: Vec<&str> = crate::dict::triggers::CUE_NAMES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                self.error(
                    path,
                    line,
                    format!("unknown relation `{r}` (one of {})", known.join(", ")),
                );
                continue;
            }
            lex.push((w, r.to_string()));
        }
        if li == 0 || !lex.is_empty() {
            self.triggers = lex;
        }
        if li == 0 && self.no_builtin {
            let mut h = 0xcbf29ce484222325u64;
            fnv1a(&mut h, text.as_bytes());
            self.layers.push(LayerInfo {
                source: "builtin:triggers".into(),
                fingerprint: format!("{h:016x}"),
            });
        }
    }

    /// A `posts.tsv`: its rows are kept as slices, resolved once every entity is known.
    fn posts_file(&mut self, file_index: usize, path: &str, text: &'a str) {
        if let Some(t) = self.table(path, text, &POST_COLUMNS[..3]) {
            let cols = POST_COLUMNS.map(|c| t.column(c));
            self.post_rows.reserve(t.rows.len());
            for (line, cells) in t.rows() {
                let values = cols.map(|c| Table::cell(cells, c));
                self.post_rows.push((file_index, line, values));
            }
        }
    }

    /// An `officials.tsv`, `organizations.tsv` or `places.tsv`: one entity a row.
    fn entity_file(&mut self, file: &str, file_index: usize, path: &str, text: &'a str) {
        let (ty, ref_col): (EntityType, Option<&'static str>) = match file {
            "officials.tsv" => (EntityType::Official, None),
            "organizations.tsv" => (EntityType::Organization, Some("place")),
            _ => (EntityType::Place, Some("parent")),
        };
        let Some(t) = self.table(path, text, &["id", "name"]) else {
            return;
        };
        let cols = EntityColumns {
            ty,
            id: t.column("id"),
            name: t.column("name"),
            aliases: t.column("aliases"),
            reference: ref_col.map(|c| (c, t.column(c))),
            // Every other column is an attribute (a later column of the same name wins).
            attrs: t
                .header
                .iter()
                .copied()
                .enumerate()
                .filter(|(_, h)| !matches!(*h, "id" | "name" | "aliases"))
                .collect(),
        };
        for (line, cells) in t.rows() {
            self.entity_row(&cols, file_index, path, line, cells);
        }
    }

    /// One entity row: checked, its id claimed (or the earlier layer's entity replaced),
    /// its reference kept for later.
    fn entity_row(
        &mut self,
        cols: &EntityColumns<'a>,
        file_index: usize,
        path: &str,
        line: usize,
        cells: &[&'a str],
    ) {
        let id = Table::cell(cells, cols.id);
        let name = Table::cell(cells, cols.name);
        if id.is_empty() {
            self.error(path, line, "empty id".into());
            return;
        }
        if name.is_empty() {
            self.error(path, line, format!("empty name for id `{id}`"));
            return;
        }
        let Some(replaces) = self.claim_id(id, cols.ty, file_index, path, line) else {
            return;
        };
        let aliases: Vec<String> = Table::cell(cells, cols.aliases)
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty() && *a != name)
            .map(str::to_string)
            .collect();
        let mut match_names: Vec<String> = Vec::with_capacity(1 + aliases.len());
        for n in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
            let m = simplify(n);
            if !match_names.contains(&m) {
                match_names.push(m);
            }
        }
        let mut attrs = Attrs::new();
        for &(i, h) in &cols.attrs {
            if let Some(v) = cells.get(i).filter(|v| !v.is_empty()) {
                attrs.insert(h.to_string(), v.to_string());
            }
        }
        if let Some((col, index)) = cols.reference {
            let r = Table::cell(cells, index);
            if !r.is_empty() {
                self.refs.push((file_index, line, col, r));
            }
        }
        let e = Entity {
            id: id.to_string(),
            ty: cols.ty,
            name: name.to_string(),
            aliases,
            match_names,
            attrs,
            origin: Origin::new(file_index, line),
        };
        match replaces {
            Some(i) => self.entities[i] = e,
            None => self.entities.push(e),
        }
    }

    /// Claim `id` for a row at `file_index:line`: `Some(None)` for a new id, `Some(Some(i))`
    /// when it replaces entity `i` of an earlier file, `None` (reported) when the row is a
    /// duplicate in the same file or changes the entity's type.
    fn claim_id(
        &mut self,
        id: &'a str,
        ty: EntityType,
        file_index: usize,
        path: &str,
        line: usize,
    ) -> Option<Option<usize>> {
        let slot = match self.ids.entry(id) {
            Entry::Vacant(v) => {
                v.insert(IdSlot {
                    entity: self.entities.len(),
                    file: file_index,
                    line,
                });
                return Some(None);
            }
            Entry::Occupied(o) => o.into_mut(),
        };
        let (prev_file, prev_line) = (slot.file, slot.line);
        (slot.file, slot.line) = (file_index, line);
        let entity = slot.entity;
        if prev_file == file_index {
            self.error(
                path,
                line,
                format!("duplicate id `{id}` (first on line {prev_line})"),
            );
            return None;
        }
        let old_ty = self.entities[entity].ty;
        if old_ty != ty {
            self.error(
                path,
                line,
                format!(
                    "id `{id}` is already a {} in an earlier layer",
                    old_ty.as_str()
                ),
            );
            return None;
        }
        Some(Some(entity))
    }
}

/// Where an entity file's columns are, looked up once per file.
struct EntityColumns<'a> {
    ty: EntityType,
    id: Option<usize>,
    name: Option<usize>,
    aliases: Option<usize>,
    /// The column naming another entity (`place`, `parent`) and where it is.
    reference: Option<(&'static str, Option<usize>)>,
    /// Every other column, an attribute.
    attrs: Vec<(usize, &'a str)>,
}

/// Report each reference to an id no layer defines (the row stays).
fn check_references(
    refs: Vec<Reference<'_>>,
    paths: &[String],
    by_id: &FxHashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    for (file, line, col, r) in refs {
        if !by_id.contains_key(r) {
            diags.push(Diagnostic::reference(
                &paths[file],
                line,
                format!("unknown {col} id `{r}`"),
            ));
        }
    }
}

/// The post rows whose official and jurisdiction exist and whose title and dates are
/// good, in row order; each other row is reported and left out.
fn resolve_posts(
    post_rows: Vec<PostRow<'_>>,
    paths: &[String],
    by_id: &FxHashMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Post> {
    let mut posts = Vec::new();
    for (file, line, [official, title, jurisdiction, from, to]) in post_rows {
        let path = &paths[file];
        let Some(&official) = by_id.get(official) else {
            diags.push(Diagnostic::reference(
                path,
                line,
                format!("unknown official id `{official}`"),
            ));
            continue;
        };
        let Some(&jurisdiction) = by_id.get(jurisdiction) else {
            diags.push(Diagnostic::reference(
                path,
                line,
                format!("unknown jurisdiction id `{jurisdiction}`"),
            ));
            continue;
        };
        let title = simplify(title);
        if title.is_empty() {
            diags.push(Diagnostic::error(path, line, "empty title".into()));
            continue;
        }
        let mut bad = false;
        let mut bound = |k: &str, v: &str, end: bool| -> Option<Day> {
            if v.is_empty() {
                return None;
            }
            let d = parse_bound(v, end);
            if d.is_none() {
                diags.push(Diagnostic::error(
                    path,
                    line,
                    format!("bad `{k}` date `{v}` (want YYYY, YYYY-MM or YYYY-MM-DD)"),
                ));
                bad = true;
            }
            d
        };
        let (from, to) = (bound("from", from, false), bound("to", to, true));
        if bad {
            continue;
        }
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            diags.push(Diagnostic::error(path, line, "`from` is after `to`".into()));
            continue;
        }
        posts.push(Post {
            official,
            title,
            jurisdiction,
            from,
            to,
            origin: Origin::new(file, line),
        });
    }
    posts
}

/// The dictionary, with the tables the pipeline looks things up in: posts by official and
/// by (place, title number), each entity's parent and its [`Traits`].
fn index(
    entities: Vec<Entity>,
    by_id: FxHashMap<String, usize>,
    posts: Vec<Post>,
    triggers: Vec<(String, String)>,
    layers: Vec<LayerInfo>,
) -> Dictionary {
    let mut posts_by_official: FxHashMap<usize, Vec<usize>> = Default::default();
    for (i, p) in posts.iter().enumerate() {
        posts_by_official.entry(p.official).or_default().push(i);
    }
    let parents: Vec<Option<usize>> = entities
        .iter()
        .enumerate()
        .map(|(idx, e)| {
            let key = match e.ty {
                EntityType::Place => "parent",
                EntityType::Organization => "place",
                EntityType::Official => return None,
            };
            by_id.get(e.attr(key)).copied().filter(|&p| p != idx)
        })
        .collect();
    let mut title_numbers: FxHashMap<String, u32> = Default::default();
    let mut posts_by_place_title: FxHashMap<(usize, u32), Vec<usize>> = Default::default();
    for (i, p) in posts.iter().enumerate() {
        // As `place_of`: a place stands for itself, an organization for its place.
        let place = match entities.get(p.jurisdiction).map(|e| e.ty) {
            Some(EntityType::Place) => Some(p.jurisdiction),
            Some(EntityType::Organization) => parents[p.jurisdiction],
            _ => None,
        };
        if let Some(place) = place {
            // Looked up before inserting: most posts repeat a title already numbered,
            // and `entry` would want a copy of it each time.
            let t = match title_numbers.get(p.title.as_str()) {
                Some(&t) => t,
                None => {
                    let t = title_numbers.len() as u32;
                    title_numbers.insert(p.title.clone(), t);
                    t
                }
            };
            posts_by_place_title.entry((place, t)).or_default().push(i);
        }
    }
    let traits = traits(&entities, &posts, &posts_by_official);
    Dictionary {
        entities,
        traits,
        by_id,
        posts,
        posts_by_official,
        posts_by_place_title,
        title_numbers,
        triggers,
        layers,
        parents,
        files: Vec::new(),
    }
}

/// Each entity's [`Traits`]: what the relate stage asks of it, read once here.
fn traits(
    entities: &[Entity],
    posts: &[Post],
    posts_by_official: &FxHashMap<usize, Vec<usize>>,
) -> Vec<Traits> {
    let host: Vec<bool> = entities
        .iter()
        .map(|e| {
            e.ty == EntityType::Organization
                && !matches!(
                    e.attr("kind"),
                    "agency" | "government" | "party" | "legislature" | "committee"
                )
        })
        .collect();
    entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let own = posts_by_official.get(&i).map_or(&[][..], Vec::as_slice);
            Traits {
                ty: e.ty,
                host: host[i],
                media: e.attr("kind") == "media",
                country: e.attr("level") == "country",
                not_antecedent: matches!(e.attr("kind"), "media" | "government" | "agency"),
                // A post in a park's administrative committee is a government post.
                executive: !own.is_empty()
                    && own.iter().all(|&p| {
                        let j = posts[p].jurisdiction;
                        host.get(j).copied().unwrap_or(false) && entities[j].attr("kind") != "park"
                    }),
            }
        })
        .collect()
}

/// How bad a dictionary problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    /// Wrong data: `check` fails.
    Error,
    /// Suspicious data: `check` counts it and passes.
    Warning,
}

/// A dictionary problem at `path:line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    /// Error or warning.
    pub(crate) severity: Severity,
    /// The file.
    pub(crate) path: String,
    /// 1-based line (0: the file as a whole).
    pub(crate) line: usize,
    /// What is wrong.
    pub(crate) msg: String,
    /// `extract` refuses to run: the data cannot be used as written. A reference to an
    /// unknown id is an error for `check` but not fatal: the row (or the link) is left out.
    pub(crate) fatal: bool,
}

impl Diagnostic {
    fn error(path: &str, line: usize, msg: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            line,
            msg,
            fatal: true,
        }
    }

    fn reference(path: &str, line: usize, msg: String) -> Diagnostic {
        Diagnostic {
            fatal: false,
            ..Diagnostic::error(path, line, msg)
        }
    }

    /// A warning.
    pub(crate) fn warning(path: &str, line: usize, msg: String) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            fatal: false,
            ..Diagnostic::error(path, line, msg)
        }
    }

    fn from_error(e: Error) -> Diagnostic {
        match e {
            Error::Dict { path, line, msg } => Diagnostic::error(&path, line, msg),
            other => Diagnostic::error("", 0, other.to_string()),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            write!(f, "{}: {sev}: {}", self.path, self.msg)
        } else {
            write!(f, "{}:{}: {sev}: {}", self.path, self.line, self.msg)
        }
    }
}

/// What a name typed on the command line stands for ([`Dictionary::lookup`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// One entity (an index into [`Dictionary::entities`]).
    Found(usize),
    /// Several entities share that name or alias, in id order.
    Ambiguous(Vec<usize>),
    /// Nothing by that id, name or alias; the closest id or name, if one is close.
    Unknown(Option<usize>),
}

/// Edit distance in characters (the error path only: a typed name against each entity's).
fn edit_distance(a: &[char], b: &str) -> usize {
    let mut prev: Vec<usize> = (0..=a.len()).collect();
    let mut cur = vec![0; a.len() + 1];
    for (j, cb) in b.chars().enumerate() {
        cur[0] = j + 1;
        for (i, &ca) in a.iter().enumerate() {
            let sub = prev[i] + usize::from(ca != cb);
            cur[i + 1] = sub.min(prev[i + 1] + 1).min(cur[i] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[a.len()]
}

impl Dictionary {
    /// An entity by what an analyst types: its id first, then its name, then an alias (names
    /// and aliases compared in simplified script, so `蘇州市` finds `苏州市`). A name or
    /// alias shared by several entities is [`Lookup::Ambiguous`]; nothing found is
    /// [`Lookup::Unknown`] with the closest id or name when one is within a third of the
    /// query's length (an edit distance over every entity: only the error path pays it).
    pub(crate) fn lookup(&self, query: &str) -> Lookup {
        let query = query.trim();
        if let Some(&i) = self.by_id.get(query) {
            return Lookup::Found(i);
        }
        let simple = simplify(query);
        let by_name: Vec<usize> = (0..self.entities.len())
            .filter(|&i| {
                let e = &self.entities[i];
                e.name == query || e.match_names.first().is_some_and(|n| *n == simple)
            })
            .collect();
        let found = if by_name.is_empty() {
            (0..self.entities.len())
                .filter(|&i| self.entities[i].match_names.contains(&simple))
                .collect()
        } else {
            by_name
        };
        match found.as_slice() {
            [one] => return Lookup::Found(*one),
            [_, _, ..] => {
                let mut found = found;
                found.sort_by(|&a, &b| self.entities[a].id.cmp(&self.entities[b].id));
                return Lookup::Ambiguous(found);
            }
            [] => {}
        }
        let q: Vec<char> = simple.chars().collect();
        let limit = (q.len() / 3).max(1);
        // By distance, then a name that holds the query whole (`华星光` → `华星光电`).
        let mut best: Option<((usize, bool), usize)> = None;
        for (i, e) in self.entities.iter().enumerate() {
            for cand in std::iter::once(&e.id).chain(&e.match_names) {
                let len = cand.chars().count();
                if len.abs_diff(q.len()) > limit {
                    continue;
                }
                let d = edit_distance(&q, cand);
                let key = (d, !cand.contains(simple.as_str()));
                if d <= limit && best.is_none_or(|(bk, _)| key < bk) {
                    best = Some((key, i));
                }
            }
        }
        Lookup::Unknown(best.map(|(_, i)| i))
    }

    /// The `path:line` of a row, as messages write it.
    pub(crate) fn location(&self, origin: Origin) -> String {
        let path = self
            .files
            .get(origin.file as usize)
            .map_or("?", String::as_str);
        format!("{path}:{}", origin.line)
    }

    /// Entity by id.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }

    /// The parent place of a place, or the place of an organization.
    pub(crate) fn parent(&self, idx: usize) -> Option<usize> {
        self.parents.get(idx).copied().flatten()
    }

    /// Is `inner` equal to `outer` or inside it (following parent/place links)?
    pub(crate) fn within(&self, inner: usize, outer: usize) -> bool {
        let mut cur = Some(inner);
        for _ in 0..16 {
            match cur {
                Some(c) if c == outer => return true,
                Some(c) => cur = self.parent(c),
                None => return false,
            }
        }
        false
    }

    /// The place a jurisdiction stands for (an organization's place, or the place itself).
    pub(crate) fn place_of(&self, idx: usize) -> Option<usize> {
        match self.entities[idx].ty {
            EntityType::Place => Some(idx),
            EntityType::Organization => self.parent(idx),
            EntityType::Official => None,
        }
    }

    /// Posts of an official.
    pub(crate) fn posts_of(&self, official: usize) -> impl Iterator<Item = &Post> {
        self.posts_by_official
            .get(&official)
            .into_iter()
            .flatten()
            .map(|&i| &self.posts[i])
    }

    /// Indices of the posts with a title whose jurisdiction lies at `place` (as
    /// [`Dictionary::place_of`] gives it), in post order.
    pub(crate) fn posts_titled_at(&self, title: &str, place: usize) -> &[usize] {
        self.title_numbers
            .get(title)
            .and_then(|&t| self.posts_by_place_title.get(&(place, t)))
            .map_or(&[], Vec::as_slice)
    }

    /// Kinds of organization whose staff are the host side, never visitors or companions.
    pub(crate) fn is_host_org(&self, idx: usize) -> bool {
        self.traits.get(idx).is_some_and(|t| t.host)
    }

    /// An entity's type (from a compact table; the same as `entities[idx].ty`).
    pub(crate) fn ty(&self, idx: usize) -> EntityType {
        self.traits[idx].ty
    }

    /// A news outlet (`kind = media`).
    pub(crate) fn is_media(&self, idx: usize) -> bool {
        self.traits.get(idx).is_some_and(|t| t.media)
    }

    /// A news outlet, government or agency (`kind`): never the organization a
    /// back-reference (`该公司`) points to.
    pub(crate) fn is_not_antecedent(&self, idx: usize) -> bool {
        self.traits.get(idx).is_some_and(|t| t.not_antecedent)
    }

    /// A country (`level = country`).
    pub(crate) fn is_country(&self, idx: usize) -> bool {
        self.traits.get(idx).is_some_and(|t| t.country)
    }

    /// An executive: every post this person holds is inside a firm, institute, park, media…
    pub(crate) fn is_executive(&self, official: usize) -> bool {
        self.traits.get(official).is_some_and(|t| t.executive)
    }

    /// The jurisdiction (as a place) of an official on a day: the place of their
    /// highest-level government post.
    pub(crate) fn official_place(&self, official: usize, day: Option<Day>) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for p in self.posts_of(official).filter(|p| p.held_on(day)) {
            if self.is_host_org(p.jurisdiction) {
                continue;
            }
            if let Some(pl) = self.place_of(p.jurisdiction) {
                let depth = self.depth(pl);
                if best.is_none_or(|(d, _)| depth < d) {
                    best = Some((depth, pl));
                }
            }
        }
        best.map(|(_, p)| p)
    }

    /// Number of parent links above a place.
    pub(crate) fn depth(&self, idx: usize) -> usize {
        let mut d = 0;
        let mut cur = self.parent(idx);
        while let Some(c) = cur {
            d += 1;
            cur = self.parent(c);
            if d > 16 {
                break;
            }
        }
        d
    }
}
