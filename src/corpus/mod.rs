//! Many pages into one graph: the in-memory [`graph::VisitGraph`] and the spilled
//! [`spill::SpillGraph`] that `extract` builds, the reduce step that unites shard graphs
//! ([`merge`]) and the comparison of two graphs ([`diff`]); [`runs`] is the sorted-run
//! machinery (temporary files, k-way merge, fan-in) the spill, the merge and the events
//! table's sort share, and [`layout`] the `visitgraph/1` JSON layout `extract` and `merge`
//! write.

pub(crate) mod diff;
pub(crate) mod graph;
pub(crate) mod layout;
pub mod merge;
pub(crate) mod runs;
pub(crate) mod spill;
