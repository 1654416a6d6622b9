//! Legacy control-plane checks are opt-in: `--legacy`, or `--pack all` (every rule).

use std::process::Command;

fn rules_fired(args: &[&str]) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_kspm"))
        .args(["lint", "--format", "json"])
        .args(args)
        .arg("testdata/rules/kubelet-protect-kernel-defaults/pass-without-legacy.yaml")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn legacy_rules_run_with_the_flag_or_the_all_pack_only() {
    let id = "kubelet-protect-kernel-defaults".to_string();
    assert!(!rules_fired(&["--rule", &id]).contains(&id));
    assert!(!rules_fired(&["--pack", "cis-1.12"]).contains(&id));
    assert!(rules_fired(&["--rule", &id, "--legacy"]).contains(&id));
    assert!(rules_fired(&["--pack", "all"]).contains(&id));
}
