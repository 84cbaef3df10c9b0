//! Brigade's benchmarks, kept out of the library that the app links: the figures of
//! BENCHMARKS.md (`figures`), the databases they run on (`dataset`), the bare-SQLite floors
//! (`floor`) and the parts that run in a process of their own (`probes`). The `brigade-bench`
//! binary (`main.rs`) runs them; `benches/` holds the criterion versions of the hot paths.

pub mod dataset;
pub mod figures;
pub mod floor;
pub mod latency;
pub mod postgres;
pub mod probes;
