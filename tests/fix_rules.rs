//! Proof of the fixes, rule by rule: for every fixable rule, each of its fail fixtures
//! (testdata/rules/<id>/fail*.yaml) and fix fixtures (testdata/fix/<id>/*.yaml) is fixed
//! with every fix the rule offers, and then
//! - the result loads, with the same documents;
//! - its data differs from the original only at the fixed fields (parsed trees compared);
//! - the rule no longer reports the fixed findings;
//! - fixing again changes nothing (idempotent).
//!
//! A meta-test checks that the fixes a rule attaches match what its metadata (and so its
//! docs) say.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use kspm::engine::{Engine, lint_source};
use kspm::fix::Applicability;
use kspm::fix::run::fix_source;
use kspm::fix::verify;
use kspm::registry;
use kspm::rule::{Rule, RuleContext};
use kspm::source::SourceFile;
use kspm::yaml::YamlPath;

fn yaml_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(rd) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with(prefix)
                && (n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json"))
        })
        .collect();
    files.sort();
    files
}

/// The rule context a fixture asks for in its header lines.
fn context(text: &str) -> RuleContext {
    let mut cx = RuleContext::default();
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(v) = line.strip_prefix("# kspm: kube-version ") {
            let minor = v.trim().trim_start_matches('v').strip_prefix("1.").unwrap();
            cx.kube_minor = minor.parse().unwrap();
        }
        if let Some(o) = line.strip_prefix("# kspm: rule-option ") {
            cx.options.set(o.trim()).unwrap();
        }
    }
    cx
}

fn fixtures(id: &str) -> Vec<PathBuf> {
    let mut files = yaml_files(&Path::new("testdata/rules").join(id), "fail");
    files.extend(yaml_files(&Path::new("testdata/fix").join(id), ""));
    files
}

/// Fix one fixture with every fix of `rule` and check the properties; returns how many
/// fixes were applied, or the problems.
fn prove(rule: &'static dyn Rule, path: &Path) -> Result<usize, String> {
    let name = path.display().to_string();
    let text = fs::read_to_string(path).unwrap();
    let cx = context(&text);
    let engine = Engine::new(vec![rule], cx.clone());
    let all = |_: Applicability| true;
    let out = fix_source(&engine, &name, &text, &all);
    let mut problems = Vec::new();
    for s in &out.skipped {
        problems.push(format!("{name}: skipped {:?}: {}", s.key, s.reason));
    }
    // Loads, and differs only at the fixed fields.
    let mut allowed: BTreeMap<usize, Vec<YamlPath>> = BTreeMap::new();
    for a in &out.applied {
        allowed
            .entry(a.key.document)
            .or_default()
            .extend(a.paths.iter().cloned());
    }
    if let Err(r) = verify::check(&text, &out.text, &allowed) {
        problems.push(format!("{name}: {r}\n{}", out.text));
    }
    let after = lint_source(
        SourceFile::new(name.clone(), out.text.clone()),
        &[rule],
        &cx,
    );
    if !after.errors.is_empty() {
        problems.push(format!(
            "{name}: the fixed text has errors {:?}",
            after.errors
        ));
    }
    // The fixed findings are gone (display fixes write placeholders, which other rules or
    // the same one may still report).
    if rule.meta().fix != Some(Applicability::Display) {
        for a in &out.applied {
            if after.findings.iter().any(|f| {
                f.rule.id == a.key.rule
                    && f.document == a.key.document
                    && f.yaml_path == a.key.yaml_path
            }) {
                problems.push(format!(
                    "{name}: {} still reported after its fix\n{}",
                    a.key.yaml_path, out.text
                ));
            }
        }
        let again = fix_source(&engine, &name, &out.text, &all);
        if again.text != out.text {
            problems.push(format!(
                "{name}: a second --fix changed the text again:\n{}",
                kspm::fix::diff::unified(&name, &out.text, &again.text)
            ));
        }
    }
    if problems.is_empty() {
        Ok(out.applied.len())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn every_fixable_rule_fixes_its_fixtures() {
    let mut failures = Vec::new();
    let mut summary = Vec::new();
    for rule in registry::all().iter().copied() {
        let m = rule.meta();
        if m.fix.is_none() {
            continue;
        }
        let mut applied = 0;
        for f in fixtures(m.id) {
            match prove(rule, &f) {
                Ok(n) => applied += n,
                Err(e) => failures.push(e),
            }
        }
        if applied == 0 {
            failures.push(format!(
                "{}: declares a fix but none of its fixtures got one applied",
                m.id
            ));
        }
        summary.push(format!(
            "{} {}: {applied}",
            m.id,
            m.fix.map_or("", |a| a.as_str())
        ));
    }
    println!("{}", summary.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn fixes_match_the_rule_metadata() {
    let mut failures = Vec::new();
    for rule in registry::all().iter().copied() {
        let m = rule.meta();
        let dir = Path::new("testdata/rules").join(m.id);
        let mut files = yaml_files(&dir, "fail");
        files.extend(yaml_files(&dir, "pass"));
        files.extend(yaml_files(&Path::new("testdata/fix").join(m.id), ""));
        for f in files {
            let text = fs::read_to_string(&f).unwrap();
            let cx = context(&text);
            let report = lint_source(SourceFile::new(f.display().to_string(), text), &[rule], &cx);
            for finding in &report.findings {
                let Some(fix) = &finding.fix else { continue };
                match m.fix {
                    None => failures.push(format!(
                        "{}: {} attaches a fix but its metadata says it has none",
                        f.display(),
                        m.id
                    )),
                    Some(a) if fix.applicability > a => failures.push(format!(
                        "{}: {} attaches a {} fix but declares {}",
                        f.display(),
                        m.id,
                        fix.applicability.as_str(),
                        a.as_str()
                    )),
                    _ => {}
                }
                if fix.edits.is_empty() || fix.paths.is_empty() {
                    failures.push(format!(
                        "{}: {} fix without edits or paths",
                        f.display(),
                        m.id
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
