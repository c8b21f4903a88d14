//! Many pages into one graph: the graph's edges and the walk writers read it by (`graph`)
//! and the spilled graph that `extract` builds (`spill`), the reduce step that unites shard
//! graphs ([`merge`]) and the comparison of two graphs (`diff`); `runs` is the sorted-run
//! machinery (temporary files, k-way merge, fan-in) the spill, the merge and the events
//! table's sort share, and `layout` the `visitgraph/1` JSON layout `extract` and `merge`
//! write. Only [`merge`] is public.

pub(crate) mod diff;
pub(crate) mod graph;
pub(crate) mod layout;
pub mod merge;
pub(crate) mod runs;
pub(crate) mod spill;
