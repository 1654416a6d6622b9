//! Per-rule fixtures: testdata/rules/<rule-id>/{pass,fail}*.yaml. Each line ending in
//! `# kspm: expect` must receive a finding of that rule, and no other line may. A first-line
//! `# kspm: kube-version 1.N` sets the policy version; leading `# kspm: rule-option
//! RULE.KEY=VALUE` lines set rule options. A leading `# kspm: today YYYY-MM-DD` line lints
//! with every rule and then applies suppressions as `kspm lint` does on that day (for the
//! rules about suppressions), keeping the findings of the fixture's rule.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use kspm::engine::lint_source;
use kspm::registry;
use kspm::rule::RuleContext;
use kspm::source::SourceFile;

const MARK: &str = "# kspm: expect";

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<_> = fs::read_dir("testdata/rules")
        .expect("testdata/rules")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            (n.starts_with("pass") || n.starts_with("fail"))
                && (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json"))
        })
        .collect();
    files.sort();
    files
}

fn kube_minor(text: &str) -> u32 {
    text.lines()
        .next()
        .and_then(|l| l.trim().strip_prefix("# kspm: kube-version "))
        .and_then(|v| v.trim().trim_start_matches('v').strip_prefix("1."))
        .map(|m| m.parse().expect("kube-version 1.N"))
        .unwrap_or(kspm::rule::LATEST_KUBE_MINOR)
}

/// Check one fixture; returns a description of the mismatch.
fn check_file(rule_id: &str, path: &Path) -> Option<String> {
    let rule = registry::find(rule_id)?;
    let text = fs::read_to_string(path).unwrap();
    let want: BTreeSet<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(MARK))
        .map(|(i, _)| i + 1)
        .collect();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    if name.starts_with("pass") && !want.is_empty() {
        return Some(format!(
            "{}: a pass fixture has expect markers",
            path.display()
        ));
    }
    if name.starts_with("fail") && want.is_empty() {
        return Some(format!(
            "{}: a fail fixture has no expect marker",
            path.display()
        ));
    }
    let mut cx = RuleContext {
        kube_minor: kube_minor(&text),
        ..RuleContext::default()
    };
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(o) = line.strip_prefix("# kspm: rule-option ") {
            cx.options.set(o.trim()).expect("valid rule option");
        }
    }
    let today = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix("# kspm: today "))
        .map(|d| kspm::suppress::Date::parse(d.trim()).expect("today YYYY-MM-DD"));
    let src = SourceFile::new(path.to_string_lossy(), text);
    let report = match today {
        None => lint_source(src, &[rule], &cx),
        Some(today) => {
            let (mut report, _) = kspm::suppress::lint_source(src, registry::all(), &cx, today);
            report.findings.retain(|f| f.rule.id == rule_id);
            report
        }
    };
    if !report.errors.is_empty() {
        return Some(format!(
            "{}: load errors {:?}",
            path.display(),
            report.errors
        ));
    }
    let got: BTreeSet<usize> = report.findings.iter().map(|f| f.start.line).collect();
    (got != want).then(|| {
        let detail: Vec<String> = report
            .findings
            .iter()
            .map(|f| {
                format!(
                    "  {}:{} {} ({})",
                    f.start.line, f.start.column, f.message, f.yaml_path
                )
            })
            .collect();
        format!(
            "{}: expected findings on lines {want:?}, got {got:?}\n{}",
            path.display(),
            detail.join("\n")
        )
    })
}

#[test]
fn every_fixture_matches_its_markers() {
    let mut failures = Vec::new();
    for dir in fixture_dirs() {
        let rule_id = dir.file_name().unwrap().to_string_lossy().to_string();
        if registry::find(&rule_id).is_none() {
            failures.push(format!("{}: no rule with this id", dir.display()));
            continue;
        }
        for f in fixture_files(&dir) {
            failures.extend(check_file(&rule_id, &f));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let mut missing = Vec::new();
    for m in registry::metas() {
        let dir = Path::new("testdata/rules").join(m.id);
        let files = if dir.is_dir() {
            fixture_files(&dir)
        } else {
            Vec::new()
        };
        let has = |prefix: &str| {
            files
                .iter()
                .any(|f| f.file_name().unwrap().to_string_lossy().starts_with(prefix))
        };
        if !has("pass") || !has("fail") {
            missing.push(m.id);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without pass+fail fixtures: {missing:?}"
    );
}
