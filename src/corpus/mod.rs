//! Many pages into one graph: the in-memory [`graph::VisitGraph`] and the spilled
//! [`spill::SpillGraph`] that `extract` builds, the reduce step that unites shard graphs
//! ([`merge`]) and the comparison of two graphs ([`diff`]).

pub mod diff;
pub mod graph;
pub mod merge;
pub mod spill;
