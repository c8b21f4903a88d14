//! Output formats and the graph filters shared by every format.
//!
//! [`Filters::apply`] narrows a [`VisitGraph`] (dates, relations, one entity's
//! neighbourhood); [`render`] writes it in one [`Format`]: the `visitgraph/1` node-link JSON
//! and DOT (both in [`crate::export`]), Cytoscape elements JSON, GraphML, GEXF 1.3, a Neo4j
//! import folder, a table of visit events (CSV or JSON Lines) and a self-contained HTML page.
//! Every string is escaped for its format: names and sentences are hostile input.

use std::io::Write;
use std::path::Path;

use crate::dictionary::Dictionary;
use crate::error::{Error, Result};
use crate::export;
use crate::graph::VisitGraph;

mod cytoscape;
mod events;
mod filter;
mod gexf;
mod graphml;
mod html;
mod neo4j;
mod xml;

pub use events::{Event, Named, events};
pub use filter::{Filters, Relation};

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
}

/// A rendered graph: one file, or a folder of named files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    /// The bytes of one file.
    File(Vec<u8>),
    /// File name → bytes, for a folder.
    Folder(Vec<(String, Vec<u8>)>),
}

/// Render a graph in one format.
pub fn render(format: Format, graph: &VisitGraph, dict: &Dictionary) -> Result<Rendered> {
    let file = |s: String| Ok(Rendered::File(s.into_bytes()));
    match format {
        Format::Json => {
            let mut bytes = Vec::new();
            export::write_json(graph, dict, &mut bytes)
                .map_err(|e| crate::error::Error::Usage(format!("cannot write the graph: {e}")))?;
            Ok(Rendered::File(bytes))
        }
        Format::Dot => file(export::to_dot(graph, dict)),
        Format::Cytoscape => file(pretty(&cytoscape::to_cytoscape(graph, dict))?),
        Format::Graphml => file(graphml::to_graphml(graph, dict)),
        Format::Gexf => file(gexf::to_gexf(graph, dict)),
        Format::Neo4j => Ok(Rendered::Folder(neo4j::to_neo4j(graph, dict)?)),
        Format::EventsCsv => Ok(Rendered::File(events::to_csv(graph, dict)?)),
        Format::EventsJsonl => file(events::to_jsonl(graph, dict)?),
        Format::Html => file(html::to_html(graph, dict)?),
    }
}

fn pretty(v: &serde_json::Value) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v)
        .map_err(|e| Error::Usage(format!("cannot serialize the graph: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// The distinct evidence dates of an edge, sorted.
pub(crate) fn edge_dates(d: &crate::graph::EdgeData) -> Vec<&str> {
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
    d: &crate::graph::EdgeData,
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

/// Write a folder of files atomically: into a temporary folder beside `dir`, then renamed
/// into place. An existing `dir` is replaced only if it holds nothing but files this tool
/// writes; anything else is refused.
pub fn write_folder(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
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
        for (n, bytes) in files {
            let mut f = std::fs::File::create(tmp.join(n))?;
            f.write_all(bytes)?;
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
