//! Loader + engine (every rule) + every reporter on arbitrary bytes: never panics, and
//! every finding and error lies inside the file.

#![no_main]

use kspm::engine::lint_source;
use kspm::registry;
use kspm::report::{github, gitlab, human, json, junit, sarif};
use kspm::rule::RuleContext;
use kspm::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let src = SourceFile::new("fuzz.yaml", text.into_owned());
    let report = lint_source(src.clone(), registry::all(), &RuleContext::default());
    for f in &report.findings {
        assert!(f.span.start <= f.span.end && f.span.end <= f.source.text.len());
        assert!(f.start.line >= 1 && f.start.line <= src.line_count());
        assert!(f.start <= f.end, "finding ends before it starts");
    }
    for e in &report.errors {
        assert!(e.line <= src.line_count());
    }
    let _ = json::render(&report);
    let _ = sarif::render(&report);
    let _ = github::render(&report);
    let _ = gitlab::render(&report);
    let _ = junit::render(&report);
    let _ = human::render(&report, &human::HumanOptions::default());
});
