//! `kspm lint --format json` over plain manifests, written while linting: the engine lints
//! a window of the input at a time (`engine::stream`), each part's findings are suppressed
//! and rendered on the pool and spooled in report order (`report::json_stream`), and the
//! findings only known at the end (cross-object rules, unused suppressions) are merged in
//! when the report is written. The run holds a window's findings instead of all of them;
//! the bytes are those of the collecting path (`cli::lint`), which the tests compare.

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::engine::{ContextSource, Engine, UnitOutcome};
use crate::report::json_stream::{self, Counts, JsonStream, Rest, RuleFragments};
use crate::report::{LintError, Summary, sort_errors, sort_findings};
use crate::suppress::{MetaRules, Suppressor, suppressed_note};
use crate::timings::Phases;

/// What the run needs besides the sources: the other inputs' errors and notes.
pub struct Extra {
    pub errors: Vec<LintError>,
    pub notes: Vec<String>,
    /// Inputs that could not be read or rendered at all (counted as files).
    pub failed_files: usize,
}

/// What the exit status is decided on.
pub struct Outcome {
    pub counts: Counts,
    pub errors: usize,
}

/// Lint `sources` (in report order: `engine::in_report_order`) and write the JSON report
/// to `out`. The outcome is known before the report is written, so it comes back even when
/// writing fails (a closed pipe). `Err` when the findings could not be spooled: no report
/// is written then.
#[allow(clippy::too_many_arguments)]
pub fn write_json(
    engine: &Engine,
    sources: &[ContextSource],
    mut suppressor: Suppressor,
    meta: MetaRules,
    show_suppressed: bool,
    extra: Extra,
    phases: &mut Option<Phases>,
    out: &mut impl Write,
) -> Result<(Outcome, io::Result<()>), String> {
    let fragments = RuleFragments::all();
    let mut stream = JsonStream::new();
    let mut used = Vec::new();
    let mut errors = extra.errors;
    let streamed = engine.lint_in_order(
        sources,
        |u: UnitOutcome| {
            let m = suppressor.match_batch(u.findings);
            let rendered = json_stream::render_unit(
                u.source,
                &m.kept,
                &m.suppressed,
                show_suppressed,
                &fragments,
            );
            (rendered, m.used, u.errors)
        },
        |(rendered, u, errs)| {
            stream.push(rendered);
            used.push(u);
            errors.extend(errs);
        },
        phases,
    );
    if let Some(e) = stream.spool_error() {
        return Err(e);
    }
    used.into_iter().for_each(|u| suppressor.record(u));
    let (mut late_kept, mut late_suppressed) =
        suppressor.take(suppressor.match_batch(streamed.context_findings));
    let ran: BTreeSet<&str> = engine.rules().iter().map(|r| r.meta().id).collect();
    late_kept.extend(suppressor.finish(&ran, meta, None, None));
    sort_findings(&mut late_kept);
    late_suppressed.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    stream.count(&late_kept, &late_suppressed);

    let summary = Summary {
        files: streamed.summary.files + extra.failed_files,
        ..streamed.summary
    };
    sort_errors(&mut errors);
    let mut notes = extra.notes;
    notes.sort();
    notes.dedup();
    notes.extend(suppressed_note(&stream.counts().suppressed));
    let outcome = Outcome {
        counts: stream.counts().clone(),
        errors: errors.len(),
    };
    let paths: Vec<&str> = sources.iter().map(|s| s.source.path.as_str()).collect();
    let written = stream.finish(
        &late_kept,
        &late_suppressed,
        show_suppressed,
        &paths,
        Rest {
            errors: &errors,
            notes: &notes,
            summary: &summary,
        },
        out,
    );
    if let Some(p) = phases.as_mut() {
        p.mark("suppressions, cross-object findings and the rest of the report");
    }
    Ok((outcome, written))
}
