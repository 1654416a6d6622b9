//! The helm-golden charts read in place: every case chart loads, its dependencies process
//! and its values coalesce and pass its values.schema.json (all cases are valid input);
//! the error cases fail to load with Helm's message.

mod common;

use std::path::Path;

use kspm_gotmpl::Value;
use kspm_helm_chart::{
    HelmCompat, ReleaseOptions, ValuesOptions, load, process_dependencies, to_render_values,
};

/// Cases passing today; only ever raised.
const FLOOR: usize = 41;

/// POSIX shell word splitting (quotes and backslashes; no expansion).
fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut it = s.chars();
    while let Some(c) = it.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in it.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = it.next() {
                    match c {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = it.next() {
                                if !matches!(n, '"' | '\\' | '$' | '`') {
                                    cur.push('\\');
                                }
                                cur.push(n);
                            }
                        }
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = it.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

struct Args {
    chart: String,
    value_files: Vec<String>,
    sets: Vec<String>,
    set_strings: Vec<String>,
    set_files: Vec<String>,
    set_jsons: Vec<String>,
}

fn parse_args(words: &[String]) -> Args {
    let mut a = Args {
        chart: String::new(),
        value_files: Vec::new(),
        sets: Vec::new(),
        set_strings: Vec::new(),
        set_files: Vec::new(),
        set_jsons: Vec::new(),
    };
    let mut i = 1;
    let mut positional = Vec::new();
    while i < words.len() {
        let w = &words[i];
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (w.clone(), None),
        };
        let takes_value = matches!(
            flag.as_str(),
            "-f" | "--values"
                | "--set"
                | "--set-string"
                | "--set-file"
                | "--set-json"
                | "--namespace"
                | "-n"
                | "--kube-version"
                | "--api-versions"
                | "-a"
                | "--output-dir"
                | "--show-only"
                | "-s"
                | "--name-template"
        );
        if flag.starts_with('-') {
            let value = if takes_value {
                inline.or_else(|| {
                    i += 1;
                    words.get(i).cloned()
                })
            } else {
                None
            };
            match flag.as_str() {
                "-f" | "--values" => a.value_files.extend(value),
                "--set" => a.sets.extend(value),
                "--set-string" => a.set_strings.extend(value),
                "--set-file" => a.set_files.extend(value),
                "--set-json" => a.set_jsons.extend(value),
                _ => {}
            }
        } else {
            positional.push(w.clone());
        }
        i += 1;
    }
    a.chart = positional.last().cloned().unwrap_or_default();
    a
}

fn user_values(case: &Path, args: &Args) -> Result<Value, String> {
    let opts = ValuesOptions {
        value_files: args.value_files.iter().map(|f| case.join(f)).collect(),
        values: args.sets.clone(),
        string_values: args.set_strings.clone(),
        file_values: args
            .set_files
            .iter()
            .map(|s| match s.split_once('=') {
                Some((k, p)) => format!("{k}={}", case.join(p).display()),
                None => s.clone(),
            })
            .collect(),
        json_values: args.set_jsons.clone(),
        ..Default::default()
    };
    opts.merge_values().map_err(|e| e.to_string())
}

#[test]
fn golden_case_charts_load_and_coalesce() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let root = corpus.join("helm-golden/cases");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    cases.sort();
    let (mut pass, mut failing) = (0, Vec::new());
    for case in &cases {
        let id = case
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let args_text = std::fs::read_to_string(case.join("args.txt")).unwrap_or_default();
        let args = parse_args(&shell_words(args_text.trim()));
        let compat = if id.starts_with("helm4-") {
            HelmCompat::V4
        } else {
            HelmCompat::V3
        };
        let result = (|| -> Result<(), String> {
            let mut chart = load(&case.join(&args.chart)).map_err(|e| e.to_string())?;
            let user = user_values(case, &args)?;
            process_dependencies(&mut chart, &user, compat).map_err(|e| e.to_string())?;
            to_render_values(
                &chart,
                &user,
                &ReleaseOptions::default(),
                Value::Nil,
                compat,
                false,
            )
            .map_err(|e| e.to_string())?;
            Ok(())
        })();
        match result {
            Ok(()) => pass += 1,
            Err(e) => failing.push(format!("{id}: {e}")),
        }
    }
    println!(
        "golden case charts: {pass}/{} load, coalesce and validate",
        cases.len()
    );
    for f in &failing {
        println!("  FAIL {f}");
    }
    assert!(pass >= FLOOR, "{pass}/{} pass, floor {FLOOR}", cases.len());
}

#[test]
fn golden_error_cases() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let root = corpus.join("helm-golden/error-cases");
    for (id, fails_to_load) in [
        ("helm3-error-chart-bad-type", true),
        ("helm3-error-lib-chart", true),
        ("helm4-error-invalid-yaml", false),
    ] {
        let case = root.join(id);
        if !case.is_dir() {
            continue;
        }
        let expected =
            std::fs::read_to_string(case.join("expected-output.txt")).unwrap_or_default();
        match load(&case.join("chart")) {
            Err(e) => {
                assert!(fails_to_load, "{id}: unexpected error {e}");
                assert_eq!(
                    format!("Error: {e}"),
                    expected.lines().next().unwrap_or_default(),
                    "{id}"
                );
            }
            Ok(_) => assert!(!fails_to_load, "{id}: loaded, expected {expected}"),
        }
    }
}

#[test]
fn shell_splitting() {
    assert_eq!(
        shell_words(
            r#"template ./chart --name-template='foobar-{{ b64enc "abc" | lower }}-baz' --set '$x=true' a\ b"#
        ),
        [
            "template",
            "./chart",
            "--name-template=foobar-{{ b64enc \"abc\" | lower }}-baz",
            "--set",
            "$x=true",
            "a b"
        ]
    );
}

#[test]
fn schema_rejects_bad_values() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let case = corpus.join("helm-golden/cases/otel-collector-deployment-only");
    if !case.is_dir() {
        return;
    }
    let mut chart = load(&case.join("chart")).unwrap();
    let user =
        kspm_godata::yaml::unmarshal_map("mode: bogus\nreplicaCount: many\nnotAKey: 1\n").unwrap();
    process_dependencies(&mut chart, &user, HelmCompat::V3).unwrap();
    let err = to_render_values(
        &chart,
        &user,
        &ReleaseOptions::default(),
        Value::Nil,
        HelmCompat::V3,
        false,
    )
    .unwrap_err();
    println!("{err}");
    assert!(err.message.starts_with(
        "values don't meet the specifications of the schema(s) in the following chart(s):\nopentelemetry-collector:\n"
    ));
    assert!(
        err.message
            .contains("- at '/replicaCount': got string, want integer"),
        "{err}"
    );
    assert!(
        to_render_values(
            &chart,
            &user,
            &ReleaseOptions::default(),
            Value::Nil,
            HelmCompat::V3,
            true
        )
        .is_ok()
    );
}
