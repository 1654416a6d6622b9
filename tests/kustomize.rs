//! Kustomize input: builds (through `kustomize build` or `kubectl kustomize`), findings
//! traced to the resource, patch or transformer field a person edits, discovery of build
//! roots, and errors located in kustomization files.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{assert_exit, capture, json_of, kspm, kspm_cmd, kspm_in};
use kspm::render::kustomize;
use kspm::render::{MapRequest, RenderFailure, Rendered, parse_yaml_path};
use kspm::yaml::load::load_all;
use serde_json::Value;

const PROD: &str = "testdata/kustomize/app/overlays/prod";

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().unwrap()
}

/// The one finding of `rule` on `yaml_path`.
fn finding<'a>(v: &'a Value, rule: &str, yaml_path: &str) -> &'a Value {
    findings(v)
        .iter()
        .find(|f| f["rule"] == rule && f["yaml_path"] == yaml_path)
        .unwrap_or_else(|| panic!("no {rule} finding at {yaml_path}: {v:#}"))
}

fn line_at(path: &Path, line: u64) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .nth(line as usize - 1)
        .unwrap_or_else(|| panic!("{}: no line {line}", path.display()))
        .trim()
        .to_string()
}

/// (path, line, trimmed text of the line) of a finding.
fn at(f: &Value) -> (String, u64, String) {
    let path = f["path"].as_str().unwrap().to_string();
    let line = f["line"].as_u64().unwrap();
    let text = line_at(Path::new(&path), line);
    (path, line, text)
}

fn lint_prod() -> Value {
    let out = kspm(&["lint", "--pack", "all", "--format", "json", PROD]);
    assert_exit(&out, 1);
    let v = json_of(&out);
    assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{v:#}");
    v
}

#[test]
fn strategic_merge_patch_files_are_where_their_fields_are_reported() {
    let v = lint_prod();
    let f = finding(
        &v,
        "privileged-container",
        "spec.template.spec.containers[0].securityContext.privileged",
    );
    assert_eq!(
        at(f),
        (
            format!("{PROD}/privileged.yaml"),
            11,
            "privileged: true".into()
        )
    );
    assert_eq!(f["origin"]["via"], "patch");
    assert_eq!(f["origin"]["patch"]["type"], "strategic-merge");
    assert_eq!(f["origin"]["patch"]["field"], "patchesStrategicMerge");
    assert_eq!(
        f["origin"]["resource"],
        "testdata/kustomize/app/base/deployment.yaml"
    );
    assert_eq!(f["origin"]["build"], PROD);
    // The object as built: prefix, suffix and namespace applied.
    assert_eq!(f["object"]["name"], "prod-web-v1");
    assert_eq!(f["object"]["namespace"], "shop");
    // Where it sits in the build output.
    assert_eq!(f["origin"]["rendered"]["path"], PROD);
    assert!(f["origin"]["rendered"]["line"].as_u64().unwrap() > 1);
}

#[test]
fn inline_patches_point_into_the_kustomization() {
    let v = lint_prod();
    let kust = format!("{PROD}/kustomization.yaml");
    // An inline strategic merge patch (`patches: - patch: |-`).
    let f = finding(&v, "host-network", "spec.template.spec.hostNetwork");
    assert_eq!(at(f), (kust.clone(), 29, "hostNetwork: true".into()));
    assert_eq!(f["column"], 13);
    assert_eq!(f["origin"]["patch"]["inline"], true);
    // An inline JSON 6902 patch: the operation's value.
    let f = finding(&v, "host-ipc", "spec.template.spec.hostIPC");
    assert_eq!(at(f), (kust, 36, "value: true".into()));
    assert_eq!(f["origin"]["patch"]["type"], "json6902");
}

#[test]
fn json6902_patch_files_point_at_the_operation() {
    let v = lint_prod();
    let ops = format!("{PROD}/volumes.yaml");
    let f = finding(&v, "host-path", "spec.template.spec.volumes[0].hostPath");
    assert_eq!(at(f), (ops.clone(), 5, "hostPath:".into()));
    assert_eq!(f["origin"]["patch"]["field"], "patchesJson6902");
    let f = finding(&v, "host-pid", "spec.template.spec.hostPID");
    assert_eq!(at(f), (ops, 9, "value: true".into()));
}

#[test]
fn components_transformers_and_resources() {
    let v = lint_prod();
    // A container a Component's patch adds (matched by name, not by index: the build puts
    // it between the base's two containers).
    let f = finding(
        &v,
        "caps-add-restricted",
        "spec.template.spec.containers[1].securityContext.capabilities.add[0]",
    );
    assert_eq!(
        at(f),
        (
            "testdata/kustomize/app/components/debug/kustomization.yaml".into(),
            19,
            "add: [\"SYS_ADMIN\"]".into()
        )
    );
    // `replicas:` in the overlay set the count.
    let f = finding(&v, "replicas-min", "spec.replicas");
    assert_eq!(
        at(f),
        (format!("{PROD}/kustomization.yaml"), 17, "count: 1".into())
    );
    assert_eq!(f["origin"]["via"], "transformer");
    assert_eq!(f["origin"]["transformer"]["field"], "replicas");
    // A base container the overlay never touched: its own line in the base.
    let f = finding(
        &v,
        "run-as-non-root",
        "spec.template.spec.containers[2].securityContext.runAsNonRoot",
    );
    assert_eq!(
        at(f),
        (
            "testdata/kustomize/app/base/deployment.yaml".into(),
            25,
            "- name: metrics".into()
        )
    );
    assert_eq!(f["origin"]["via"], "resource");
    // A resource a Component brings.
    let f = finding(&v, "rbac-exec", "rules[0].resources[0]");
    assert_eq!(
        at(f).0,
        "testdata/kustomize/app/components/debug/debug-role.yaml"
    );
}

fn build(dir: &str) -> Rendered {
    match kustomize::build(Path::new(dir), dir) {
        Ok(r) => r,
        Err(RenderFailure::Errors(e)) => panic!("{dir}: {e:?}"),
        Err(RenderFailure::Note(n)) => panic!("{dir}: {n}"),
    }
}

/// Map `path` of the rendered document of `kind`/`name` with the build's own mapper.
fn map(r: &Rendered, kind: &str, name: &str, path: &str) -> (String, usize, String, Value) {
    let docs = load_all(&r.source);
    let doc = docs
        .iter()
        .filter_map(|d| d.as_ref().ok())
        .find(|d| {
            d.root.get("kind").and_then(|k| k.as_str()) == Some(kind)
                && d.root
                    .get_path(&["metadata", "name"])
                    .and_then(|n| n.as_str())
                    == Some(name)
        })
        .unwrap_or_else(|| panic!("no {kind} {name} in\n{}", r.source.text));
    let p = parse_yaml_path(path).unwrap();
    let span = kspm::yaml::locate(&doc.root, &p).span;
    let m = r
        .mapper
        .map(&MapRequest {
            rendered: &r.source,
            path: &p,
            span,
        })
        .unwrap();
    let loc = m.location.unwrap();
    let pos = loc.source.position(loc.span.start);
    (
        loc.source.path.clone(),
        pos.line,
        loc.source.line_text(pos.line).trim().to_string(),
        m.origin,
    )
}

#[test]
fn transformer_fields_own_what_they_change() {
    let r = build(PROD);
    let kust = format!("{PROD}/kustomization.yaml");
    let container = "spec.template.spec.containers";
    let (path, line, text, origin) = map(
        &r,
        "Deployment",
        "prod-web-v1",
        &format!("{container}[0].image"),
    );
    assert_eq!(
        (path.as_str(), line, text.as_str()),
        (kust.as_str(), 14, "newTag: \"1.27\"")
    );
    assert_eq!(origin["transformer"]["field"], "images");
    assert_eq!(origin["transformer"]["key"], "newTag");
    // An image no `images:` entry names stays in the base.
    let (path, _, text, _) = map(
        &r,
        "Deployment",
        "prod-web-v1",
        &format!("{container}[2].image"),
    );
    assert_eq!(
        (path.as_str(), text.as_str()),
        (
            "testdata/kustomize/app/base/deployment.yaml",
            "image: prom/exporter:1.0"
        )
    );
    let (path, line, text, _) = map(&r, "Service", "prod-web-v1", "metadata.namespace");
    assert_eq!(
        (path.as_str(), line, text.as_str()),
        (kust.as_str(), 9, "namespace: shop")
    );
    let (_, line, text, _) = map(&r, "Service", "prod-web-v1", "metadata.name");
    assert_eq!((line, text.as_str()), (7, "namePrefix: prod-"));
    let (_, line, text, _) = map(&r, "Service", "prod-web-v1", "metadata.labels.env");
    assert_eq!((line, text.as_str()), (11, "env: prod"));
    // A field only the base writes, on an object whose name carries prefix and suffix.
    let (path, line, text, origin) = map(&r, "Service", "prod-web-v1", "spec.ports[0].port");
    assert_eq!(
        (path.as_str(), line, text.as_str()),
        ("testdata/kustomize/app/base/service.yaml", 9, "- port: 80")
    );
    assert_eq!(origin["via"], "resource");
    assert_eq!(origin["exact"], true);
}

#[test]
fn generated_objects_point_at_their_generator_entry() {
    let r = build(PROD);
    let cm = load_all(&r.source)
        .into_iter()
        .filter_map(Result::ok)
        .find(|d| d.root.get("kind").and_then(|k| k.as_str()) == Some("ConfigMap"))
        .expect("the generated ConfigMap");
    let name = cm
        .root
        .get_path(&["metadata", "name"])
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert!(name.starts_with("prod-web-config-v1-"), "{name}");
    let (path, line, text, origin) = map(&r, "ConfigMap", &name, "data.FEATURE_X");
    assert_eq!(
        (path.as_str(), line, text.as_str()),
        (
            "testdata/kustomize/app/base/kustomization.yaml",
            10,
            "- FEATURE_X=on"
        )
    );
    assert_eq!(origin["via"], "generator");
}

#[test]
fn origin_annotations_never_reach_the_rules() {
    let r = build(PROD);
    assert!(!r.source.text.contains("config.kubernetes.io/origin"));
    // Objects without other annotations lose the emptied `annotations:` key too.
    assert!(!r.source.text.contains("annotations:"), "{}", r.source.text);
    let v = lint_prod();
    assert!(findings(&v).iter().all(|f| {
        !f["yaml_path"]
            .as_str()
            .unwrap()
            .contains("config.kubernetes.io")
    }),);
    // The build never writes next to the user's files.
    let listing: Vec<String> = std::fs::read_dir(PROD)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mut listing = listing;
    listing.sort();
    assert_eq!(
        listing,
        ["kustomization.yaml", "privileged.yaml", "volumes.yaml"]
    );
}

#[test]
fn a_walk_builds_roots_and_lints_consumed_files_only_through_them() {
    let out = kspm(&[
        "lint",
        "--pack",
        "all",
        "--format",
        "json",
        "testdata/kustomize/app",
    ]);
    let v = json_of(&out);
    assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{v:#}");
    // base/ and components/debug/ are included by overlays/prod: one build, one file.
    assert_eq!(v["summary"]["files"], 1);
    for f in findings(&v) {
        assert_eq!(f["origin"]["build"], PROD, "{f:#}");
    }
    // The patch files are read by the build, not linted as partial objects of their own.
    assert!(
        findings(&v)
            .iter()
            .filter(|f| f["path"] == format!("{PROD}/privileged.yaml"))
            .all(|f| f["origin"]["via"] == "patch")
    );
    // Named on the command line, a kustomization file is its folder's build.
    let out = kspm(&[
        "lint",
        "--rule",
        "host-pid",
        "--format",
        "json",
        &format!("{PROD}/kustomization.yaml"),
    ]);
    let v = json_of(&out);
    assert_eq!(findings(&v)[0]["origin"]["build"], PROD);
}

fn error_of(dir: &str) -> Value {
    let out = kspm(&["lint", "--format", "json", dir]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json_of(&out);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].clone()
}

#[test]
fn a_remote_base_is_refused_naming_the_url() {
    let e = error_of("testdata/kustomize/errors/remote");
    assert_eq!(
        e["path"],
        "testdata/kustomize/errors/remote/kustomization.yaml"
    );
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3), Some(5))
    );
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("github.com/example/platform//base?ref=v1.2.0"),
        "{msg}"
    );
    assert!(msg.contains("offline"), "{msg}");
}

#[test]
fn build_errors_are_located_in_the_kustomization() {
    let e = error_of("testdata/kustomize/errors/missing");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert!(e["message"].as_str().unwrap().contains("not-there.yaml"));
    // kustomize itself refuses this one; the field it names is found in the file.
    let e = error_of("testdata/kustomize/errors/invalid");
    assert_eq!(
        e["path"],
        "testdata/kustomize/errors/invalid/kustomization.yaml"
    );
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(7), Some(7))
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("kustomize build failed:")
    );
    let e = error_of("testdata/kustomize/errors/helm");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(e["message"].as_str().unwrap().contains("helmCharts"));
}

// ---------------------------------------------------------------------------------------
// The offline-buildable kustomizations of the corpus (KSPM_CORPUS).

/// Whether the finding's line names its field: a key of its path (the field, or the parent
/// that exists when the field is missing), an item of it, or the transformer field that set
/// it.
fn names_the_field(f: &Value, text: &str) -> bool {
    let origin = &f["origin"];
    if origin["via"] == "transformer" {
        let key = origin["transformer"]["key"].as_str().unwrap();
        return text.contains(&format!("{key}:"));
    }
    if origin["via"] == "generator" {
        return true;
    }
    let path = parse_yaml_path(f["yaml_path"].as_str().unwrap()).unwrap();
    text.starts_with("- ")
        || text.starts_with('-') && text.len() == 1
        || path.segs().iter().any(|s| match s {
            kspm::yaml::Seg::Key(k) => {
                text.starts_with(&format!("{k}:")) || text.starts_with(&format!("\"{k}\":"))
            }
            kspm::yaml::Seg::Index(_) => false,
        })
        // A flow collection (`{name: x, image: y}`) names its keys inside.
        || text.contains('{')
}

#[test]
fn corpus_builds_lint_with_findings_at_source_lines() {
    let Some(corpus) = std::env::var_os("KSPM_CORPUS") else {
        println!("KSPM_CORPUS is not set: the kustomize corpus test is skipped");
        return;
    };
    let corpus = Path::new(&corpus);
    let tsv = corpus.join("kustomize-builds.tsv");
    let rows = std::fs::read_to_string(&tsv)
        .unwrap_or_else(|e| panic!("KSPM_CORPUS is set but {} is missing: {e}", tsv.display()));
    let mut builds = 0;
    let mut skipped = 0;
    let mut by_via: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for row in rows.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [dir, result, documents, ..] = cols[..] else {
            panic!("bad row: {row}");
        };
        if result != "ok" {
            continue;
        }
        if !corpus.join(dir).is_dir() {
            // The oracle suites hold a share of their fixtures; the real-world folders are
            // the material itself and must be there.
            assert!(
                !dir.starts_with("real-world/"),
                "{dir} is missing from the corpus"
            );
            println!("{dir}: listed in kustomize-builds.tsv but not in this corpus share");
            skipped += 1;
            continue;
        }
        // The kustomization file names exactly this build (the folder may hold other
        // roots, as provider/aws holds provider/aws/nlb-with-tls-termination).
        let file = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
            .iter()
            .map(|n| format!("{dir}/{n}"))
            .find(|f| corpus.join(f).is_file())
            .unwrap_or_else(|| panic!("{dir}: no kustomization file"));
        let out = kspm_in(
            corpus,
            &["lint", "--pack", "all", "--format", "json", &file],
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{dir}: exit {:?}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout)
        );
        let v = json_of(&out);
        assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{dir}: {v:#}");
        assert_eq!(
            v["summary"]["documents"].to_string(),
            documents,
            "{dir}: the build's documents"
        );
        builds += 1;
        for f in findings(&v) {
            total += 1;
            let path = corpus.join(f["path"].as_str().unwrap());
            assert!(
                path.is_file(),
                "{dir}: {} is not a file: {f:#}",
                path.display()
            );
            let text = line_at(&path, f["line"].as_u64().unwrap());
            assert!(
                names_the_field(f, &text),
                "{dir}: line `{text}` does not name {}: {f:#}",
                f["yaml_path"]
            );
            let via = f["origin"]["via"].as_str().unwrap_or("plain").to_string();
            *by_via.entry(via).or_default() += 1;
        }
    }
    println!("kustomize corpus: {builds} builds linted, {total} findings by origin: {by_via:?}");
    assert!(
        builds >= 20 && skipped <= 2,
        "{builds} corpus builds, {skipped} missing"
    );
    assert!(total > 0);
}

/// `kustomize` on PATH is preferred to `kubectl kustomize`. The stand-in records what kspm
/// hands it and prints a build of the fixture: this tests kspm's side (arguments, the
/// temporary overlay, the offline environment, reading the output), not kustomize.
#[test]
fn kustomize_runs_offline_through_a_temporary_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let script = format!(
        r#"#!/bin/sh
PATH=/usr/bin:/bin
printf '%s\n' "$@" > '{log}.args'
cat "$4/kustomization.yaml" > '{log}.overlay'
env > '{log}.env'
rel=$(sed -n 's/^- "\(.*\)"$/\1/p' "$4/kustomization.yaml")
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: %s/pod.yaml\n  name: tools\nspec:\n  containers:\n  - image: registry.example/tools:1.0\n    name: tools\n  hostPID: true\n' "$rel"
"#,
        log = log.display()
    );
    let exe = dir.path().join("kustomize");
    std::fs::write(&exe, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = capture(
        kspm_cmd()
            .args([
                "lint",
                "--rule",
                "host-pid",
                "--format",
                "json",
                "testdata/kustomize/standin",
            ])
            .env("PATH", dir.path()),
    );
    let v = json_of(&out);
    let read = |ext: &str| std::fs::read_to_string(format!("{}.{ext}", log.display())).unwrap();
    let args: Vec<String> = read("args").lines().map(str::to_string).collect();
    assert_eq!(
        args[..3],
        ["build", "--load-restrictor", "LoadRestrictionsRootOnly"]
    );
    assert!(
        !args[3].contains("testdata"),
        "the overlay lives in a temporary folder: {args:?}"
    );
    let overlay = read("overlay");
    assert!(
        overlay.contains("buildMetadata: [originAnnotations]"),
        "{overlay}"
    );
    assert!(
        overlay.contains("testdata/kustomize/standin\""),
        "{overlay}"
    );
    let env = read("env");
    for var in [
        "GIT_ALLOW_PROTOCOL=file",
        "HTTPS_PROXY=http://127.0.0.1:9",
        "KUBECONFIG=/dev/null",
    ] {
        assert!(env.lines().any(|l| l == var), "{var} not set for the build");
    }
    let f = finding(&v, "host-pid", "spec.hostPID");
    assert_eq!(
        at(f),
        (
            "testdata/kustomize/standin/pod.yaml".into(),
            6,
            "hostPID: true".into()
        )
    );
    // The temporary overlay is gone.
    assert!(!Path::new(&args[3]).exists());
}
