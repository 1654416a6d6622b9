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
