//! visitgraph: who visited what, from Chinese news pages.
//!
//! The pipeline reads as the modules are listed: [`input`] gathers pages,
//! [`normalize`] rewrites each to simplified, pinyin-free text with a map back,
//! [`document`] finds the body, [`matcher`] finds names and cues, [`relate`] turns them
//! into visits and companions, [`graph`] merges documents, and [`export`] writes JSON or
//! DOT. [`eval`] scores a graph against a gold file.

pub mod check;
pub mod cli;
pub mod date;
pub mod dictionary;
pub mod diff;
pub mod discover;
pub mod document;
pub mod error;
pub mod eval;
pub mod export;
pub mod formats;
pub mod graph;
pub mod input;
pub mod matcher;
pub mod merge;
pub mod normalize;
pub mod pipeline;
pub mod relate;
pub mod spill;
