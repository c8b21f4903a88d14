//! Output formats and the graph filters shared by every format.
//!
//! [`Filters::view`] narrows any [`GraphView`] (dates, relations, one entity's
//! neighbourhood) into another; [`write_limited`] writes one in a [`Format`], one node or
//! edge at a time as the view gives them, so a spilled graph is never held whole: the
//! `visitgraph/1` node-link JSON ([`json`]) and DOT ([`dot`]), Cytoscape elements JSON,
//! GraphML, GEXF 1.3, a Neo4j import folder ([`write_folder_with`]), a table of visit events
//! (CSV or JSON Lines) and a self-contained HTML page.
//! Every string is escaped for its format: names and sentences are hostile input.

use std::io::Write;
use std::path::Path;

use crate::corpus::graph::GraphView;
use crate::dict::Dictionary;
use crate::error::{Error, Result};

mod cytoscape;
pub(crate) mod dot;
mod events;
mod filter;
mod gexf;
mod graphml;
mod html;
pub(crate) mod json;
mod neo4j;
pub(crate) mod readable;
mod xml;

pub(crate) use filter::{Filters, Relation};

/// Output format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Node-link JSON (`visitgraph/1`): networkx, D3.
    Json,
    /// Graphviz DOT: clusters by place, dates on edges.
    Dot,
    /// Cytoscape.js / Cytoscape desktop elements JSON.
    Cytoscape,
    /// GraphML with typed attributes: Gephi, yEd, Cytoscape.
    Graphml,
    /// GEXF 1.3 with edge dates as spells: Gephi's timeline.
    Gexf,
    /// A folder of `nodes.csv` and `relationships.csv` for `neo4j-admin database import`.
    Neo4j,
    /// One CSV row per visit event.
    EventsCsv,
    /// One JSON object per line per visit event.
    EventsJsonl,
    /// One self-contained HTML page: force layout, search, date range, evidence.
    Html,
}

impl Format {
    /// Does this format write a folder (several files) rather than one file?
    pub fn is_folder(self) -> bool {
        self == Format::Neo4j
    }

    /// The format a file name's extension names, in any case: `.json` (the `visitgraph/1`
    /// graph), `.dot` and `.gv`, `.graphml`, `.gexf`, `.cyjs` (Cytoscape), `.html` and
    /// `.htm`, `.csv` (the events table) and `.jsonl` (the events as JSON Lines). Anything
    /// else (and Neo4j's folder, which has no extension) is `None`.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "json" => Format::Json,
            "dot" | "gv" => Format::Dot,
            "graphml" => Format::Graphml,
            "gexf" => Format::Gexf,
            "cyjs" => Format::Cytoscape,
            "html" | "htm" => Format::Html,
            "csv" => Format::EventsCsv,
            "jsonl" => Format::EventsJsonl,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod format_tests {
    use super::Format;
    use std::path::Path;

    #[test]
    fn extensions_name_formats() {
        for (name, want) in [
            ("g.json", Some(Format::Json)),
            ("out/g.dot", Some(Format::Dot)),
            ("g.gv", Some(Format::Dot)),
            ("g.GraphML", Some(Format::Graphml)),
            ("g.gexf", Some(Format::Gexf)),
            ("g.cyjs", Some(Format::Cytoscape)),
            ("g.html", Some(Format::Html)),
            ("g.htm", Some(Format::Html)),
            ("events.csv", Some(Format::EventsCsv)),
            ("events.jsonl", Some(Format::EventsJsonl)),
            ("g.txt", None),
            ("neo4j-folder", None),
            (".json", None),
            ("g.json.tmp", None),
        ] {
            assert_eq!(Format::from_path(Path::new(name)), want, "{name}");
        }
    }
}

/// A rendered graph: one file, or a folder of named files.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rendered {
    /// The bytes of one file.
    File(Vec<u8>),
    /// File name → bytes, for a folder.
    Folder(Vec<(String, Vec<u8>)>),
}

/// Render a graph in one format, in memory (the tests compare the formats' bytes over
/// different views).
#[cfg(test)]
pub(crate) fn render<G: GraphView>(
    format: Format,
    graph: &G,
    dict: &Dictionary,
) -> std::io::Result<Rendered> {
    if format == Format::Neo4j {
        let mut files = Vec::new();
        for name in FOLDER_FILES {
            let mut b = Vec::new();
            neo4j::write_file(name, graph, dict, &mut b)?;
            files.push((name.to_string(), b));
        }
        return Ok(Rendered::Folder(files));
    }
    let mut b = Vec::new();
    write(format, graph, dict, &mut b)?;
    Ok(Rendered::File(b))
}

/// [`write_limited`] with the default spill limit.
#[cfg(test)]
pub(crate) fn write<G: GraphView>(
    format: Format,
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    write_limited(format, graph, dict, w, crate::corpus::spill::DEFAULT_LIMIT)
}

/// Write a graph in one file format, one node or edge at a time as the graph gives them:
/// a graph spilled to disk is read back once or twice, never held whole, and neither is the
/// output. (`events-*` gather each event's evidence across edges with an external sort, in
/// bounded memory too, holding about `spill_limit` bytes of rows, as `--spill-limit` says
/// for the graph.) Neo4j writes a folder: see [`write_folder_with`].
pub fn write_limited<G: GraphView>(
    format: Format,
    graph: &G,
    dict: &Dictionary,
    w: &mut dyn Write,
    spill_limit: usize,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write_json(graph, dict, w),
        Format::Dot => dot::write_dot(graph, dict, w),
        Format::Cytoscape => cytoscape::write_cytoscape(graph, dict, w),
        Format::Graphml => graphml::write_graphml(graph, dict, w),
        Format::Gexf => gexf::write_gexf(graph, dict, w),
        Format::Neo4j => Err(std::io::Error::other(
            "neo4j writes a folder of files, not one file",
        )),
        Format::EventsCsv => events::write_csv(graph, dict, w, spill_limit),
        Format::EventsJsonl => events::write_jsonl(graph, dict, w, spill_limit),
        Format::Html => html::write_html(graph, dict, w),
    }
}

/// Write a folder format (Neo4j) atomically into `dir`, each file streamed from the graph:
/// into a temporary folder beside `dir`, then renamed into place. An existing `dir` is
/// replaced only if it holds nothing but files this tool writes; anything else is refused.
pub fn write_folder_with<G: GraphView>(dir: &Path, graph: &G, dict: &Dictionary) -> Result<()> {
    write_folder_files(dir, FOLDER_FILES, |name, w| {
        neo4j::write_file(name, graph, dict, w)
    })
}

/// An io error from a serializer or a CSV writer.
pub(crate) fn io_err(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// The distinct evidence dates of an edge, sorted.
pub(crate) fn edge_dates(d: &crate::corpus::graph::EdgeData) -> Vec<&str> {
    let set: std::collections::BTreeSet<&str> = d
        .evidence
        .iter()
        .filter_map(|e| e.date.as_deref())
        .collect();
    set.into_iter().collect()
}

/// The documents an edge was read in, and its evidence as `[doc date] sentence` lines
/// (the text form GraphML and GEXF carry).
pub(crate) fn edge_docs_and_evidence(
    d: &crate::corpus::graph::EdgeData,
) -> (std::collections::BTreeSet<&str>, Vec<String>) {
    let docs = d.evidence.iter().map(|e| e.doc.as_str()).collect();
    let lines = d
        .evidence
        .iter()
        .map(|e| {
            format!(
                "[{} {}] {}",
                e.doc,
                e.date.as_deref().unwrap_or("undated"),
                e.sentence
            )
        })
        .collect();
    (docs, lines)
}

/// The file names a folder format writes; an existing folder is replaced only if it holds
/// nothing else (so `-o` never swallows a folder of pages).
const FOLDER_FILES: &[&str] = &["nodes.csv", "relationships.csv"];

/// Write the files `names` atomically into the folder `dir` (see [`write_folder_with`]),
/// each file's bytes produced by `produce(name, writer)` as they come.
fn write_folder_files(
    dir: &Path,
    names: &[&str],
    mut produce: impl FnMut(&str, &mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let parent = dir
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Usage(format!("`{}` is not a folder name", dir.display())))?;
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "{} exists and is not a folder (this format writes a folder)",
                dir.display()
            )));
        }
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        for ent in entries {
            let ent = ent.map_err(|e| Error::io(dir, e))?;
            let n = ent.file_name().to_string_lossy().into_owned();
            if !FOLDER_FILES.contains(&n.as_str()) {
                return Err(Error::Usage(format!(
                    "refusing to replace {}: it holds {n}, which this tool did not write",
                    dir.display()
                )));
            }
        }
    }
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.tmp{pid}"));
    let old = parent.join(format!(".{name}.old{pid}"));
    let res = (|| -> std::io::Result<()> {
        std::fs::create_dir(&tmp)?;
        for &n in names {
            let f = std::fs::File::create(tmp.join(n))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            produce(n, &mut w)?;
            let f = w.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()?;
        }
        if dir.exists() {
            std::fs::rename(dir, &old)?;
            if let Err(e) = std::fs::rename(&tmp, dir) {
                let _ = std::fs::rename(&old, dir);
                return Err(e);
            }
            std::fs::remove_dir_all(&old)
        } else {
            std::fs::rename(&tmp, dir)
        }
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(Error::io(dir, e));
    }
    Ok(())
}
