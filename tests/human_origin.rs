//! The human report says how a finding on a rendered object reached its source line.

use std::process::Command;

#[test]
fn a_patched_field_names_the_build_and_the_patch() {
    let out = Command::new(env!("CARGO_BIN_EXE_kspm"))
        .args(["lint", "--rule", "privileged-container", "--color", "never"])
        .arg("testdata/kustomize/app/overlays/prod")
        .env("COLUMNS", "300")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("testdata/kustomize/app/overlays/prod/privileged.yaml:11:13"),
        "{text}"
    );
    // The help text wraps at the terminal width: compare without whitespace.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let want = "rendered by kustomize from testdata/kustomize/app/overlays/prod, set by a \
                strategic-merge patch on testdata/kustomize/app/base/deployment.yaml";
    assert!(squash(&text).contains(&squash(want)), "{text}");
}
