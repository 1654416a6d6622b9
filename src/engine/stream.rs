//! Linting in order, a window of the input at a time: each window's ranges are linted in
//! parallel, numbered, handed to a caller's `process` (in parallel, e.g. suppressing and
//! rendering) and then to its `deliver` (in input order, e.g. writing), while the next
//! window is being linted. Only a window's findings are ever held, so a run that writes
//! as it goes stays near the memory of parsing alone.

use rayon::prelude::*;
use std::ops::Range;

use super::{ContextSource, Engine, SourceOutcome};
use crate::k8s::ContextObject;
use crate::report::{Finding, LintError, Summary, sort_findings};
use crate::timings::Phases;
use crate::yaml::load::split_ranges;

/// Input bytes linted per window: a few ranges per core, so that uneven ranges still keep
/// every core busy, and few enough that a window's findings stay small. With `--pack all`
/// a KB of real manifests gives ~12 findings (~20 KB as structs, 16 KB as JSON), and two
/// windows are alive at a time (one linted, one written).
pub const WINDOW_BYTES: usize = 4 * super::RANGE_BYTES;

/// A range of one source, cut at document boundaries.
struct Unit {
    source: usize,
    range: Range<usize>,
}

/// What linting one unit produced: its findings sorted in report order, documents numbered
/// within the whole source.
pub struct UnitOutcome {
    pub source: usize,
    pub findings: Vec<Finding>,
    pub errors: Vec<LintError>,
}

/// What a streamed lint leaves once every unit was delivered.
pub struct Streamed {
    pub summary: Summary,
    /// The cross-object rules' findings (sorted); they need every object, so they come last.
    pub context_findings: Vec<Finding>,
}

/// Numbering and collecting across windows (document offsets per source, objects the
/// context rules read).
#[derive(Default)]
struct Progress {
    next_document: Vec<usize>,
    summary: Summary,
    contexts: Vec<(usize, Vec<ContextObject>)>,
}

impl Engine {
    /// Lint `sources` window by window (see the module docs). `process` runs on the pool,
    /// one call per unit; `deliver` gets its results in input order. The findings are
    /// neither mapped to origin files nor masked: the caller streams only plain sources
    /// to a format that prints no source text.
    pub fn lint_in_order<T: Send>(
        &self,
        sources: &[ContextSource],
        process: impl Fn(UnitOutcome) -> T + Sync,
        mut deliver: impl FnMut(T) + Send,
        phases: &mut Option<Phases>,
    ) -> Streamed {
        let units: Vec<Unit> = sources
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                split_ranges(&s.source.text, super::RANGE_BYTES)
                    .into_iter()
                    .map(move |range| Unit { source: i, range })
            })
            .collect();
        let mut progress = Progress {
            next_document: vec![0; sources.len()],
            ..Progress::default()
        };
        // Every source counts as a file, even one with no document (an empty file).
        progress.summary.files = sources.len();
        let mut pending: Vec<T> = Vec::new();
        for window in windows(&units) {
            let ((), processed) = rayon::join(
                || pending.drain(..).for_each(&mut deliver),
                || self.lint_window(window, sources, &mut progress, &process),
            );
            pending = processed;
        }
        pending.into_iter().for_each(&mut deliver);
        if let Some(p) = phases.as_mut() {
            p.mark("load and lint objects, spool their findings");
        }
        let mut context_findings = Vec::new();
        if self.keep_objects {
            let found: Vec<Vec<Finding>> = std::mem::take(&mut progress.contexts)
                .into_par_iter()
                .map(|(_, objects)| self.lint_context(objects, sources))
                .collect();
            context_findings = found.into_iter().flatten().collect();
            sort_findings(&mut context_findings);
            if let Some(p) = phases.as_mut() {
                p.mark("cross-object rules");
            }
        }
        Streamed {
            summary: progress.summary,
            context_findings,
        }
    }

    /// Lint one window's units in parallel, number their documents, then process them in
    /// parallel.
    fn lint_window<T: Send>(
        &self,
        window: &[Unit],
        sources: &[ContextSource],
        progress: &mut Progress,
        process: &(impl Fn(UnitOutcome) -> T + Sync),
    ) -> Vec<T> {
        let parts: Vec<(SourceOutcome, usize)> = window
            .par_iter()
            .map(|u| self.lint_range(u.source, &sources[u.source].source, u.range.clone()))
            .collect();
        let mut outcomes = Vec::with_capacity(parts.len());
        for (unit, (mut part, documents)) in window.iter().zip(parts) {
            let offset = progress.next_document[unit.source];
            progress.next_document[unit.source] += documents;
            part.findings.iter_mut().for_each(|f| f.document += offset);
            part.kept.iter_mut().for_each(|o| o.document += offset);
            let s = &mut progress.summary;
            s.documents += part.summary.documents;
            s.objects += part.summary.objects;
            s.skipped_documents += part.summary.skipped_documents;
            let context = sources[unit.source].context;
            match progress.contexts.iter_mut().find(|(c, _)| *c == context) {
                Some((_, objs)) => objs.append(&mut part.kept),
                None => progress
                    .contexts
                    .push((context, std::mem::take(&mut part.kept))),
            }
            outcomes.push(UnitOutcome {
                source: unit.source,
                findings: part.findings,
                errors: part.errors,
            });
        }
        outcomes
            .into_par_iter()
            .map(|mut o| {
                sort_findings(&mut o.findings);
                process(o)
            })
            .collect()
    }
}

/// Consecutive units of about `WINDOW_BYTES` (at least one each).
fn windows(units: &[Unit]) -> Vec<&[Unit]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, u) in units.iter().enumerate() {
        bytes += u.range.len();
        if bytes >= WINDOW_BYTES {
            out.push(&units[start..=i]);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < units.len() {
        out.push(&units[start..]);
    }
    out
}

/// `sources` in the order their findings are reported, when writing them source by source
/// gives report order: no render whose findings move to other files, no path twice.
pub fn in_report_order(sources: &[ContextSource]) -> Option<Vec<ContextSource>> {
    if sources.iter().any(|s| s.mapper.is_some()) {
        return None;
    }
    let mut sorted = sources.to_vec();
    sorted.sort_by(|a, b| a.source.path.cmp(&b.source.path));
    sorted
        .windows(2)
        .all(|w| w[0].source.path < w[1].source.path)
        .then_some(sorted)
}
