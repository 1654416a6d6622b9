//! `--fix` over real-world manifests (KSPM_CORPUS=../shared/corpus): every manifest of
//! corpus/real-world is copied to a temporary folder and fixed there with every rule's
//! safe and unsafe fixes, as `kspm lint --pack all --fix --unsafe-fixes` does file by file.
//! Each result must load, differ from the original only at the fixed fields, and lint
//! without the fixed findings. The corpus is never modified.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use kspm::engine::{Engine, lint_source};
use kspm::fix::Applicability;
use kspm::fix::run::fix_source;
use kspm::fix::verify;
use kspm::registry;
use kspm::rule::RuleContext;
use kspm::source::SourceFile;
use kspm::yaml::YamlPath;

fn manifests(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            manifests(&p, out);
        } else if p
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(p);
        }
    }
}

#[test]
fn fix_real_world_manifests() {
    let Some(corpus) = std::env::var_os("KSPM_CORPUS") else {
        println!("KSPM_CORPUS is not set: the real-world --fix test is skipped");
        return;
    };
    let root = PathBuf::from(corpus).join("real-world");
    assert!(
        root.is_dir(),
        "KSPM_CORPUS is set but {} is missing",
        root.display()
    );
    let mut files = Vec::new();
    manifests(&root, &mut files);
    assert!(!files.is_empty(), "no manifests under {}", root.display());

    let tmp = tempfile::tempdir().unwrap();
    let cx = RuleContext::default();
    let engine = Engine::new(registry::all().to_vec(), cx.clone());
    let take = |a: Applicability| a != Applicability::Display;
    let mut failures = Vec::new();
    let mut unfixed: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut changed, mut safe, mut unsafe_, mut skipped, mut without_fix) = (0, 0, 0, 0, 0);
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap();
        let copy = tmp.path().join(rel);
        fs::create_dir_all(copy.parent().unwrap()).unwrap();
        fs::copy(file, &copy).unwrap();
        let text = fs::read_to_string(&copy).unwrap_or_default();
        let name = rel.display().to_string();
        let out = fix_source(&engine, &name, &text, &take);
        // Findings of rules that have fixes, for which no fix could be laid out.
        let report = engine.lint(&[SourceFile::new(name.clone(), text.clone())]);
        for f in report.findings.iter() {
            if f.rule.fix.is_some_and(take) && f.fix.is_none() {
                without_fix += 1;
                *unfixed.entry(f.rule.id).or_insert(0usize) += 1;
            }
        }
        skipped += out.skipped.len();
        for s in &out.skipped {
            println!(
                "skipped: {name}: {} at {}: {}",
                s.key.rule, s.key.yaml_path, s.reason
            );
        }
        if out.text == text {
            continue;
        }
        fs::write(&copy, &out.text).unwrap();
        changed += 1;
        let mut allowed: BTreeMap<usize, Vec<YamlPath>> = BTreeMap::new();
        for a in &out.applied {
            match a.applicability {
                Applicability::Safe => safe += 1,
                _ => unsafe_ += 1,
            }
            allowed
                .entry(a.key.document)
                .or_default()
                .extend(a.paths.iter().cloned());
        }
        let fixed = fs::read_to_string(&copy).unwrap();
        if let Err(r) = verify::check(&text, &fixed, &allowed) {
            failures.push(format!("{name}: {r}"));
        }
        let after = lint_source(SourceFile::new(name.clone(), fixed), registry::all(), &cx);
        let before = lint_source(
            SourceFile::new(name.clone(), text.clone()),
            registry::all(),
            &cx,
        );
        if after.errors.len() > before.errors.len() {
            failures.push(format!("{name}: new load errors {:?}", after.errors));
        }
        for a in &out.applied {
            if after.findings.iter().any(|f| {
                f.rule.id == a.key.rule
                    && f.document == a.key.document
                    && f.yaml_path == a.key.yaml_path
            }) {
                failures.push(format!(
                    "{name}: {} at {} remains",
                    a.key.rule, a.key.yaml_path
                ));
            }
        }
    }
    println!(
        "fixed {changed} of {} manifests: {safe} safe and {unsafe_} unsafe fixes applied, \
         {skipped} skipped; {without_fix} findings of fixable rules had no fix",
        files.len()
    );
    println!("findings without a fix, by rule: {unfixed:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(changed > 0, "no manifest was fixed");
}
