//! Hard-coded secrets never reach any output: messages say `****` and every snippet of the
//! source shows the value masked (DESIGN principle 8).

use std::process::Command;

const FIXTURE: &str = "testdata/rules/hardcoded-secret-env/fail.yaml";
const SECRETS: &[&str] = &[
    "hunter2",
    "0123456789abcdef",
    "ghp_notarealtoken",
    "bm90IGEga2V5",
];

fn lint(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kspm"))
        .args(["lint", "--pack", "all", "--format", format, FIXTURE])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn no_format_prints_a_secret_value() {
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    for s in SECRETS {
        assert!(fixture.contains(s), "fixture changed: {s}");
    }
    for format in ["human", "json", "sarif"] {
        let mut out = lint(format);
        if format == "sarif" {
            // Rule help quotes example values such as `hunter2`: check the results only.
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            out = v["runs"][0]["results"].to_string();
        }
        assert!(out.contains("hardcoded-secret-env"), "{format}: no finding");
        for s in SECRETS {
            assert!(!out.contains(s), "{format} prints the secret {s}:\n{out}");
        }
    }
    // Only the value is masked: the comment after it still shows.
    assert!(lint("human").contains("value: ****************** # kspm: expect"));
}

/// Every secret value of the fixture (the last two only appear in their own documents).
const ALL_SECRETS: &[&str] = &[
    "hunter2",
    "0123456789abcdef",
    "ghp_notarealtoken",
    "bm90IGEga2V5",
    "wJalrXUtnFEMI/K7MDENG",
    "AKIAIOSFODNN7EXAMPLE",
    "s3cr3t",
];

fn assert_no_secret(what: &str, text: &str) {
    for s in ALL_SECRETS {
        assert!(!text.contains(s), "{what} prints the secret {s}:\n{text}");
    }
}

/// SARIF without the rule descriptors, whose help quotes example values.
fn sarif_results(text: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    let run = &mut v["runs"][0];
    assert!(run["tool"]["driver"]["rules"].is_array());
    run["tool"] = serde_json::Value::Null;
    v.to_string()
}

/// Every format, with the findings reported, suppressed (and shown), and baselined; the
/// report written with --output and the baseline file included.
#[test]
fn no_output_of_any_kind_prints_a_secret_value() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    for s in ALL_SECRETS {
        assert!(fixture.contains(s), "fixture changed: {s}");
    }
    std::fs::write(dir.path().join("app.yaml"), &fixture).unwrap();
    // A ConfigMap credential too (the other rule that masks a value).
    std::fs::write(
        dir.path().join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  password: s3cr3t\n  aws: AKIAIOSFODNN7EXAMPLE\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kspm"))
            .current_dir(dir.path())
            .args(args)
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_STEP_SUMMARY")
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        (stdout, stderr)
    };
    let (baseline, stderr) = run(&["baseline", "--pack", "all", "--output", "base.json", "."]);
    assert_no_secret("kspm baseline", &(baseline + &stderr));
    let base_file = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(base_file.contains("hardcoded-secret-env"), "{base_file}");
    assert_no_secret("the baseline file", &base_file);
    std::fs::write(
        dir.path().join("suppress.yaml"),
        "ignore:\n  - rules: [hardcoded-secret-env, configmap-secret]\n    reason: test\n",
    )
    .unwrap();

    let formats = ["human", "json", "sarif", "github", "gitlab", "junit"];
    let modes: [&[&str]; 3] = [
        &[],
        &["--config", "suppress.yaml", "--show-suppressed"],
        &["--baseline", "base.json", "--show-suppressed"],
    ];
    for format in formats {
        for mode in modes {
            let mut args = vec!["lint", "--pack", "all", "--format", format];
            args.extend_from_slice(mode);
            args.push(".");
            let what = format!("kspm {}", args.join(" "));
            let (out, err) = run(&args);
            let out = if format == "sarif" {
                sarif_results(&out)
            } else {
                out
            };
            // Shown suppressed findings are checked too (JSON and SARIF list them).
            if mode.is_empty() || matches!(format, "json" | "sarif") {
                assert!(
                    out.contains("hardcoded-secret-env"),
                    "{what}: no finding\n{out}"
                );
                assert!(
                    out.contains("configmap-secret"),
                    "{what}: no finding\n{out}"
                );
            }
            assert_no_secret(&what, &out);
            assert_no_secret(&format!("{what} (stderr)"), &err);
            // The same report written to a file (the renderer is the same in every mode).
            if !mode.is_empty() {
                continue;
            }
            let mut to_file = args.clone();
            to_file.splice(1..1, ["--output", "report.out"]);
            run(&to_file);
            let written = std::fs::read_to_string(dir.path().join("report.out")).unwrap();
            let written = if format == "sarif" {
                sarif_results(&written)
            } else {
                written
            };
            assert_no_secret(&format!("{what} --output"), &written);
        }
    }
}
