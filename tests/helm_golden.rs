//! `kspm template` against the real `helm template` (../shared/corpus/helm-golden): every
//! case's output compared byte for byte after the upstream post-processing, every error
//! case must fail with Helm's message, and the engine table's rows run end to end. Prints
//! the pass counts per family and asserts floors that only ratchet up.

#[path = "helm_golden/engine_cases.rs"]
mod engine_cases;
#[path = "helm_golden/postprocess.rs"]
mod postprocess;
#[path = "helm_golden/shell.rs"]
mod shell;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Cases that must keep passing (raise when more pass; never lower).
const CASES_FLOOR: usize = 41;
const ERROR_CASES_FLOOR: usize = 3;
const ENGINE_ROWS_FLOOR: usize = 46;

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("KSPM_CORPUS") {
        Some(c) => {
            let p = Path::new(&c).join("helm-golden");
            assert!(
                p.is_dir(),
                "KSPM_CORPUS is set but {} is missing",
                p.display()
            );
            Some(p)
        }
        None => {
            let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/helm-golden");
            p.is_dir().then_some(p)
        }
    }
}

/// The family of a case: the part of its name before the first `-` (`helm3`, `alloy`).
fn family(name: &str) -> String {
    name.split('-').next().unwrap_or(name).to_string()
}

/// The arguments of `kspm template` for a case: args.txt without its `template` word, the
/// output dir moved to `out`, and what the README says about the Helm that produced the
/// family: Helm's own test binaries (`helm3-*`, `helm4-*`) report Kubernetes v1.20.0, and
/// `helm4-*` goldens follow Helm 4.2's output convention.
fn case_args(name: &str, words: &[String], out: Option<&Path>) -> Vec<String> {
    let mut args: Vec<String> = Vec::new();
    let mut it = words.iter().skip(1);
    while let Some(w) = it.next() {
        if w == "--output-dir" {
            it.next();
            if let Some(o) = out {
                args.extend(["--output-dir".into(), o.display().to_string()]);
            }
        } else if w.starts_with("--output-dir=") {
            if let Some(o) = out {
                args.push(format!("--output-dir={}", o.display()));
            }
        } else {
            args.push(w.clone());
        }
    }
    let fam = family(name);
    if fam == "helm3" || fam == "helm4" {
        if !words.iter().any(|w| w.starts_with("--kube-version")) {
            args.extend(["--kube-version".into(), "1.20.0".into()]);
        }
        args.extend(["--helm-compat".into(), fam[4..].to_string()]);
    }
    args
}

fn kspm_template(cwd: &Path, args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kspm"))
        .arg("template")
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run kspm")
}

fn files_under(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(root, &p, out);
        } else {
            let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
            out.insert(rel, std::fs::read_to_string(&p).unwrap_or_default());
        }
    }
}

/// A short unified diff (first differing lines).
fn short_diff(expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::from_lines(expected, actual);
    let mut out = String::new();
    let mut n = 0;
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Equal => continue,
            similar::ChangeTag::Delete => "-",
            similar::ChangeTag::Insert => "+",
        };
        out.push_str(&format!("      {sign}{}", change.value()));
        if !change.value().ends_with('\n') {
            out.push_str("⏎(no newline)\n");
        }
        n += 1;
        if n >= 8 {
            out.push_str("      ...\n");
            break;
        }
    }
    out
}

/// Run one case; `Err` holds why it fails.
fn run_case(dir: &Path, name: &str) -> Result<(), String> {
    let line = std::fs::read_to_string(dir.join("args.txt")).map_err(|e| e.to_string())?;
    let words = shell::split(line.trim())?;
    let steps = match std::fs::read_to_string(dir.join("postprocess.txt")) {
        Ok(t) => postprocess::parse(&t)?,
        Err(_) => Vec::new(),
    };
    let tree = dir.join("expected").is_dir();
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out_dir = tmp.path().join("out");
    let args = case_args(name, &words, tree.then_some(out_dir.as_path()));
    let out = kspm_template(dir, &args);
    if !out.status.success() {
        return Err(format!(
            "exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    if tree {
        let mut want = BTreeMap::new();
        files_under(&dir.join("expected"), &dir.join("expected"), &mut want);
        let mut got = BTreeMap::new();
        files_under(&out_dir, &out_dir, &mut got);
        let mut problems = String::new();
        for (path, text) in &want {
            match got.get(path) {
                None => problems.push_str(&format!("    missing {path}\n")),
                Some(ours) => {
                    let ours = postprocess::apply_to_output(&steps, ours);
                    let theirs = postprocess::ignore(&steps, text);
                    if ours != theirs {
                        problems.push_str(&format!(
                            "    differs {path}\n{}",
                            short_diff(&theirs, &ours)
                        ));
                    }
                }
            }
        }
        for path in got.keys().filter(|p| !want.contains_key(*p)) {
            problems.push_str(&format!("    extra {path}\n"));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    } else {
        let expected =
            std::fs::read_to_string(dir.join("expected.yaml")).map_err(|e| e.to_string())?;
        let ours = postprocess::apply_to_output(&steps, &String::from_utf8_lossy(&out.stdout));
        let theirs = postprocess::ignore(&steps, &expected);
        if ours == theirs {
            Ok(())
        } else {
            Err(short_diff(&theirs, &ours))
        }
    }
}

/// An error case passes when kspm fails (exit 2) and prints Helm's message.
fn run_error_case(dir: &Path) -> Result<(), String> {
    let line = std::fs::read_to_string(dir.join("args.txt")).map_err(|e| e.to_string())?;
    let words = shell::split(line.trim())?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let args = case_args(&name, &words, None);
    let out = kspm_template(dir, &args);
    let expected = std::fs::read_to_string(dir.join("expected-output.txt")).unwrap_or_default();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2) {
        return Err(format!("exit {:?}, expected 2", out.status.code()));
    }
    if !stderr.contains(expected.trim_end()) {
        return Err(format!(
            "stderr differs:\n{}",
            short_diff(&expected, &stderr)
        ));
    }
    Ok(())
}

fn case_dirs(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn helm_golden_cases_render_like_helm_template() {
    let Some(corpus) = corpus() else {
        println!("KSPM_CORPUS is not set and ../shared is absent: helm-golden skipped");
        return;
    };
    let mut by_family: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut passed = 0;
    let cases = case_dirs(&corpus.join("cases"));
    for dir in &cases {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let entry = by_family.entry(family(&name)).or_default();
        entry.1 += 1;
        match run_case(dir, &name) {
            Ok(()) => {
                entry.0 += 1;
                passed += 1;
            }
            Err(why) => failures.push(format!("  FAIL {name}\n{why}")),
        }
    }
    for f in &failures {
        println!("{f}");
    }
    for (fam, (ok, n)) in &by_family {
        println!("helm-golden {fam}: {ok}/{n} pass");
    }
    println!("helm-golden cases: {passed}/{} pass", cases.len());

    let errors = case_dirs(&corpus.join("error-cases"));
    let mut err_passed = 0;
    for dir in &errors {
        match run_error_case(dir) {
            Ok(()) => err_passed += 1,
            Err(why) => println!("  FAIL {}\n    {why}", dir.display()),
        }
    }
    println!(
        "helm-golden error-cases: {err_passed}/{} pass",
        errors.len()
    );
    assert!(
        passed >= CASES_FLOOR,
        "cases: {passed} pass, floor {CASES_FLOOR}"
    );
    assert!(
        err_passed >= ERROR_CASES_FLOOR,
        "error cases: {err_passed} pass, floor {ERROR_CASES_FLOOR}"
    );
}

#[test]
fn helm_engine_table_rows_pass() {
    let Some(corpus) = corpus() else {
        println!("KSPM_CORPUS is not set and ../shared is absent: engine-cases skipped");
        return;
    };
    let text = std::fs::read_to_string(corpus.join("engine-cases.tsv")).expect("engine-cases.tsv");
    let rows = engine_cases::parse(&text);
    let mut by_mode: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut passed = 0;
    for row in &rows {
        let entry = by_mode.entry(row.mode.clone()).or_default();
        entry.1 += 1;
        match engine_cases::run(row) {
            Ok(()) => {
                entry.0 += 1;
                passed += 1;
            }
            Err(why) => println!("  FAIL {}: {why}", row.id),
        }
    }
    for (mode, (ok, n)) in &by_mode {
        println!("engine-cases {mode}: {ok}/{n} pass");
    }
    println!("engine-cases: {passed}/{} pass", rows.len());
    assert!(
        passed >= ENGINE_ROWS_FLOOR,
        "engine rows: {passed} pass, floor {ENGINE_ROWS_FLOOR}"
    );
}
