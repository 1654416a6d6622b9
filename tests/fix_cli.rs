//! `kspm lint --diff` / `--fix` / `--unsafe-fixes` end to end, through the binary. The
//! diffs are reviewed as insta snapshots (tests/snapshots/fix_cli__*.snap).

mod common;

use std::fs;
use std::path::Path;

use common::{assert_exit, kspm, stderr, stdout};

const CLI: &str = "testdata/fix/cli";

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn diff_shows_safe_fixes_and_exits_as_lint() {
    let o = kspm(&["lint", "--pack", "all", "--diff", CLI]);
    // Findings remain in the (unchanged) files: exit 1 as lint would.
    assert_exit(&o, 1);
    insta::assert_snapshot!("diff_safe", stdout(&o));
    assert!(
        stderr(&o).contains("more with --unsafe-fixes"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diff_with_unsafe_fixes() {
    let o = kspm(&["lint", "--pack", "all", "--unsafe-fixes", "--diff", CLI]);
    assert_exit(&o, 1);
    // CRLF lines keep their `\r`; show it so the snapshot proves it.
    insta::assert_snapshot!("diff_unsafe", stdout(&o).replace('\r', "␍"));
}

#[test]
fn fix_writes_in_place_keeps_style_and_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("cli");
    copy_dir(Path::new(CLI), &dir);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join("flush.yaml");
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let d = dir.to_str().unwrap();
    let diff = stdout(&kspm(&[
        "lint",
        "--pack",
        "all",
        "--unsafe-fixes",
        "--diff",
        d,
    ]));
    let o = kspm(&[
        "lint",
        "--pack",
        "all",
        "--unsafe-fixes",
        "--fix",
        "--format",
        "json",
        d,
    ]);
    assert!(stderr(&o).contains("kspm: fixed "), "{}", stderr(&o));
    // What --diff showed is what --fix wrote.
    let crlf = fs::read_to_string(dir.join("crlf-no-newline.yaml")).unwrap();
    let original = fs::read_to_string(Path::new(CLI).join("crlf-no-newline.yaml")).unwrap();
    assert!(diff.contains("+              allowPrivilegeEscalation: false\r\n"));
    assert!(crlf.contains("allowPrivilegeEscalation: false\r\n"));
    assert_eq!(
        crlf.matches('\n').count(),
        crlf.matches("\r\n").count(),
        "{crlf:?}"
    );
    assert!(!crlf.ends_with('\n') && !original.ends_with('\n'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.join("flush.yaml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The report after --fix lists what remains: none of the fixed rules' findings on the
    // fixed fields.
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let remaining: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f.get("fix")
                .is_some_and(|x| x["applicability"] != "display")
        })
        .map(|f| format!("{} {}", f["rule"], f["yaml_path"]))
        .collect();
    assert!(remaining.is_empty(), "{remaining:#?}");
    // Idempotent: a second run changes nothing.
    let read_all = || -> Vec<String> {
        [
            "deployment.yaml",
            "flush.yaml",
            "pod.json",
            "crlf-no-newline.yaml",
        ]
        .iter()
        .map(|f| fs::read_to_string(dir.join(f)).unwrap())
        .collect()
    };
    let before = read_all();
    let again = kspm(&["lint", "--pack", "all", "--unsafe-fixes", "--fix", d]);
    assert!(
        stderr(&again).contains("fixed 0 findings"),
        "{}",
        stderr(&again)
    );
    assert_eq!(before, read_all());
    insta::assert_snapshot!("fixed_deployment", &before[0]);
}

#[test]
fn json_carries_the_edits() {
    let o = kspm(&[
        "lint",
        "--rule",
        "privileged-container",
        "--format",
        "json",
        &format!("{CLI}/deployment.yaml"),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["findings"][0];
    insta::assert_json_snapshot!("json_fix", f["fix"]);
    let e = &f["fix"]["edits"][0];
    let text = fs::read_to_string(format!("{CLI}/deployment.yaml")).unwrap();
    let (s, end) = (
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..end], "true");
}

#[test]
fn rendered_objects_are_shown_never_applied() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    for sub in ["base", "overlays/prod", "components/debug"] {
        copy_dir(
            &Path::new("testdata/kustomize/app").join(sub),
            &app.join(sub),
        );
    }
    let build = app.join("overlays/prod");
    let b = build.to_str().unwrap();
    let o = kspm(&["lint", "--rule", "allow-privilege-escalation", "--diff", b]);
    let out = stdout(&o);
    assert!(
        out.contains("fixes not applied: the objects are built by Kustomize"),
        "{out}"
    );
    assert!(
        out.contains("base/deployment.yaml:22:11: allow-privilege-escalation"),
        "{out}"
    );
    assert!(
        out.contains("+          allowPrivilegeEscalation: false"),
        "{out}"
    );
    let base = fs::read_to_string(app.join("base/deployment.yaml")).unwrap();
    let o = kspm(&["lint", "--rule", "allow-privilege-escalation", "--fix", b]);
    assert!(stderr(&o).contains("not applied"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(app.join("base/deployment.yaml")).unwrap(),
        base
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn human_report_hints_at_fix() {
    let o = kspm(&[
        "lint",
        "--rule",
        "privileged-container",
        "--rule",
        "image-pull-policy",
        CLI,
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("fix: run `kspm lint --fix` to set imagePullPolicy: Always"),
        "{out}"
    );
    assert!(
        out.contains("unsafe fix: run `kspm lint --fix --unsafe-fixes` to set privileged: false"),
        "{out}"
    );
}

#[test]
fn diffs_mask_secrets_like_every_output() {
    let o = kspm(&[
        "lint",
        "--rule",
        "hardcoded-secret-env",
        "--rule",
        "allow-privilege-escalation",
        "--diff",
        "testdata/fix/cli-secret.yaml",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("+        allowPrivilegeEscalation: false"),
        "{out}"
    );
    assert!(out.contains("value: ****"), "{out}");
    assert!(!out.contains("hunter2"), "{out}");
}
