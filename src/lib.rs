//! visitgraph: who visited what, from Chinese news pages.
//!
//! The pipeline reads as the modules are listed: [`input`] gathers pages; [`page`] runs
//! each through its stages ([`page::normalize`] rewrites it to simplified, pinyin-free text
//! with a map back, [`page::document`] finds the body, [`page::matcher`] finds names and
//! cues, [`page::relate`] turns them into visits and companions); [`corpus`] merges the
//! pages' relations into one graph (in memory or spilled to disk), unites shard graphs and
//! compares two; [`output`] writes a graph in one of nine formats (JSON, DOT, Cytoscape,
//! GraphML, GEXF, Neo4j, events CSV and JSON Lines, HTML) through optional filters. [`dict`]
//! holds the dictionaries every stage reads (with their checks, the trigger vocabulary and
//! the discovery of new names), [`eval`] scores a graph against a gold file, and [`cli`]
//! holds one file per command.

pub mod cli;
pub mod corpus;
pub mod dict;
pub mod error;
pub(crate) mod eval;
pub mod input;
pub(crate) mod output;
pub mod page;
