//! visitgraph: who visited what, from Chinese news pages.
//!
//! The pipeline reads as the modules are listed: [`input`] gathers pages; [`page`] runs
//! each through its stages ([`page::normalize`] rewrites it to simplified, pinyin-free text
//! with a map back, then `document` finds the body, `matcher` finds names and cues and
//! [`page::relate`] turns them into visits and companions); [`corpus`] merges the pages'
//! relations into one graph (in memory or spilled to disk), unites shard graphs and
//! compares two; `output` writes a graph in one of nine formats (JSON, DOT, Cytoscape,
//! GraphML, GEXF, Neo4j, events CSV and JSON Lines, HTML) through optional filters. [`dict`]
//! holds the dictionaries every stage reads (with their checks, the trigger vocabulary and
//! the discovery of new names), `eval` scores a graph against a gold file, and [`cli`]
//! holds one file per command.
//!
//! # Library surface
//!
//! Everything else is `pub(crate)`, so the compiler reports what nothing uses. What stays
//! public is what the binary, `tests/`, `fuzz/` and a program embedding the extractor need:
//!
//! - [`cli::run`]: the whole command line (`src/main.rs` calls only this).
//! - [`dict::DictionaryBuilder`] and [`dict::Layer`] (the built-in layer, a folder, or files
//!   in memory) build a [`dict::Dictionary`]; its [`dict::Entity`]s (id, type, name,
//!   aliases) are what edges point at. [`dict::triggers::CUE_NAMES`] is the vocabulary of
//!   `triggers.tsv`'s `relation` column.
//! - [`page::Extractor`]: a dictionary compiled for matching; `extract` turns one page's
//!   text into [`page::Found`] relations ([`page::relate::Rel`], with their
//!   [`page::Evidence`]), `explain` also gives the relate stage's trace.
//! - [`page::normalize::normalize`]: the text the pipeline reads, with the map back to the
//!   original ([`page::normalize::Normalized`]).
//! - [`input::load`]: the bytes of one source ([`input::Kind`]: text, HTML, JSON Lines) as
//!   [`input::Record`]s, with what was skipped.
//! - [`corpus::merge::write_merged`] and [`corpus::merge::write_merged_with`]: unite shard
//!   graphs (`visitgraph/1` JSON files) into one, streaming.
//! - [`error::Error`] and [`error::Result`], the errors all of these return.
//!
//! ```
//! use visitgraph::dict::{DictionaryBuilder, Layer};
//! use visitgraph::page::{Extractor, relate::Rel};
//! let layer = Layer::from_texts(
//!     "mem",
//!     &[
//!         ("officials.tsv", "id\tname\taliases\nli-ming\t李明\t\n"),
//!         ("organizations.tsv", "id\tname\taliases\tkind\tplace\nacme\t澎芯半导体有限公司\t澎芯半导体\tcompany\t\n"),
//!     ],
//! );
//! let dict = DictionaryBuilder::new().no_builtin(true).layer(layer).build().unwrap();
//! let ex = Extractor::new(dict).unwrap();
//! let found = ex.extract("a.txt", "李明调研\n发布时间:2025-01-03\n\n1月2日,李明来到澎芯半导体有限公司调研。\n");
//! let names: Vec<(&str, &str, Rel)> = found
//!     .iter()
//!     .map(|f| (ex.dict.entities[f.source].name.as_str(), ex.dict.entities[f.target].name.as_str(), f.rel))
//!     .collect();
//! assert_eq!(names, [("李明", "澎芯半导体有限公司", Rel::Visited)]);
//! ```

pub mod cli;
pub mod corpus;
pub mod dict;
pub mod error;
pub(crate) mod eval;
pub mod input;
pub(crate) mod output;
pub mod page;
pub(crate) mod store;
