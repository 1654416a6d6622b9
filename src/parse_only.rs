//! The parse-only floor for benchmarks (`kspm debug parse-only`): the inputs are found and
//! read as `lint` reads them, then every source is loaded with the same event loader, cut
//! into the same ranges and run on the same thread pool as the engine, one document tree
//! per worker at a time, and no rule runs. Lint time divided by this time is the cost of
//! the rules and the report.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::engine::RANGE_BYTES;
use crate::source::SourceFile;
use crate::yaml::load::{load_range, split_ranges};

/// What loading the sources found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub files: usize,
    pub bytes: usize,
    pub documents: usize,
    pub errors: usize,
    /// Nodes of every loaded tree, so that the trees are walked and cannot be optimised away.
    pub nodes: usize,
}

impl Counts {
    fn add(mut self, other: Counts) -> Counts {
        self.files += other.files;
        self.bytes += other.bytes;
        self.documents += other.documents;
        self.errors += other.errors;
        self.nodes += other.nodes;
        self
    }
}

/// Load every source, in parallel over sources and ranges as the engine does.
pub fn load_sources(sources: &[&SourceFile]) -> (Counts, Duration) {
    let started = Instant::now();
    let counts = sources
        .par_iter()
        .map(|src| {
            let per_range = split_ranges(&src.text, RANGE_BYTES)
                .into_par_iter()
                .map(|range| {
                    let mut c = Counts::default();
                    load_range(src, range, |res| match res {
                        Ok(doc) => {
                            c.documents += 1;
                            c.nodes += count_nodes(&doc.root);
                        }
                        Err(_) => c.errors += 1,
                    });
                    c
                })
                .reduce(Counts::default, Counts::add);
            Counts {
                files: 1,
                bytes: src.text.len(),
                ..per_range
            }
        })
        .reduce(Counts::default, Counts::add);
    (counts, started.elapsed())
}

fn count_nodes(node: &crate::yaml::Node) -> usize {
    use crate::yaml::Value;
    1 + match &node.value {
        Value::Map(entries) => entries.iter().map(|e| 1 + count_nodes(&e.value)).sum(),
        Value::Seq(items) => items.iter().map(count_nodes).sum(),
        _ => 0,
    }
}
