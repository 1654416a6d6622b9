//! `.kspm.yaml`: located errors (exit 2), discovery, every key, command-line precedence,
//! `kspm init`, and the published JSON Schema agreeing with the checks.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{kspm_dated, repo};
use kspm::config::{Config, ConfigError, STARTER};
use kspm::rule::Severity;
use kspm::source::SourceFile;
use kspm::yaml::{Node, ScalarKind, Value as YValue};
use serde_json::{Value, json};

fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
    Config::parse(SourceFile::new(".kspm.yaml", text), Path::new("/repo"))
}

/// `line:column message` of each error.
fn errors(text: &str) -> Vec<String> {
    parse(text)
        .expect_err("an invalid configuration")
        .iter()
        .map(|e| format!("{}:{} {}", e.line, e.column, e.message))
        .collect()
}

#[test]
fn unknown_keys_and_wrong_types_name_the_key_and_its_line() {
    let got = errors(
        "packs: recommended
fail-on: severe
rules:
  naked-pod: maybe
  image-latest: {enabled: yes, severity: high, colour: red}
ignore:
  - rules: [host-pid]
    reason: r
    paths: 3
kinds:
  - {kind: Workflow}
helm:
  values: [a.yaml]
  release: x
kube-version: true
unknown: 1
",
    );
    assert_eq!(
        got,
        [
            "2:10 `fail-on`: expected one of info, low, medium, high, critical, found `severe`",
            "4:14 `rules.naked-pod`: expected true or false, or one of info, low, medium, high, critical, or a mapping, found `maybe`",
            "5:48 unknown key `rules.image-latest.colour` (expected one of: enabled, severity, options)",
            "9:12 `ignore[0].paths`: expected a string or a list of them, found the number 3",
            "11:5 `kinds[0]`: `pod-spec` is required",
            "14:3 unknown key `helm.release`; did you mean `release-name`?",
            "15:15 `kube-version`: expected a Kubernetes version X.Y such as \"1.30\", found the boolean true",
            "16:1 unknown key `unknown` (expected one of: packs, rules, ignore, kinds, helm, kustomize, kube-version, fail-on)",
        ]
    );
}

#[test]
fn semantic_errors_are_located_too() {
    let got = errors(
        "packs: [recommended, cis-9]
rules:
  no-such-rule: off
  control-plane: {severity: high}
  image-registry:
    options: {allowed: 3, colour: red}
  replicas-min:
    options: {min: many}
kinds:
  - {kind: Workflow, pod-spec: \"spec.templates[*].podSpecPatch\"}
  - {kind: Thing, pod-spec: spec.runner}
kube-version: \"2.1\"
",
    );
    assert_eq!(got.len(), 9, "{got:#?}");
    let has = |prefix: &str, text: &str| {
        assert!(
            got.iter()
                .any(|e| e.starts_with(prefix) && e.contains(text)),
            "{prefix} {text}: {got:#?}"
        )
    };
    has("1:22", "unknown pack `cis-9`");
    has("3:3", "unknown rule `no-such-rule`");
    has("4:18", "names a group of rule options, not a rule");
    has(
        "6:24",
        "`image-registry.allowed`: expected a list of strings",
    );
    has(
        "6:27",
        "unknown option `image-registry.colour` (known: allowed)",
    );
    has("8:20", "replicas-min.min");
    has("10:32", "must be mapping keys joined by `.`");
    has("11:29", "give `pod-metadata` too");
    has("12:15", "`kube-version`: invalid `2.1`");
}

#[test]
fn yaml_problems_are_located() {
    let got = errors("rules:\n  naked-pod: off\n  naked-pod: on\n");
    assert_eq!(got, ["3:3 `rules.naked-pod` is set twice"]);
    let got = errors("packs: [recommended\n");
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with("2:1 "), "{got:?}");
    let got = errors("packs: [all]\n---\npacks: [all]\n");
    assert_eq!(got, ["3:1 a configuration file holds one YAML document"]);
    let got = errors("- packs\n");
    assert!(
        got[0].starts_with("1:1 the configuration: expected a mapping"),
        "{got:?}"
    );
}

#[test]
fn an_empty_file_is_the_defaults() {
    for text in ["", "# only comments\n", "---\n"] {
        let c = parse(text).unwrap();
        assert!(c.packs.is_empty() && c.rules.is_empty() && c.ignore.is_empty());
        assert_eq!(c.fail_on(None), Severity::Low);
    }
}

#[test]
fn every_key_is_read() {
    let c = parse(
        "packs: [pss-restricted, nsa-cisa-1.2]
fail-on: high
kube-version: 1.30
rules:
  naked-pod: off
  KSPM101: on
  image-latest: critical
  image-registry:
    enabled: true
    severity: low
    options: {allowed: [docker.io, ghcr.io]}
  control-plane:
    options: {legacy: true}
  required-labels:
    options: {labels: \"team,app\"}
ignore:
  - rules: [host-pid, KSPM104]
    paths: [\"a/**\", b.yaml]
    kind: DaemonSet
    namespace: ops
    name: node-*
    reason: agents
    until: 2026-01-31
kinds:
  - kind: ScaledJob
    group: keda.sh
    pod-spec: spec.jobTargetRef.template.spec
  - kind: Runner
    group: [example.com, \"\"]
    pod-spec: spec.pod
    pod-metadata: spec.podMetadata
helm:
  release-name: rel
  namespace: apps
  values: [values/common.yaml]
  set: {image.tag: 1.2, debug: false}
  charts:
    charts/web:
      - {name: prod, values: [charts/web/prod.yaml], set: {replicas: 3}, namespace: prod, release-name: web}
kustomize:
  binary: kubectl
  enable-helm: true
",
    )
    .unwrap();
    assert_eq!(c.packs, ["pss-restricted", "nsa-cisa-1.2"]);
    assert_eq!(c.fail_on, Some(Severity::High));
    assert_eq!(
        c.kube_version.as_deref(),
        Some("1.30"),
        "the text, not the float 1.3"
    );
    let rules: Vec<(&str, Option<bool>, Option<Severity>)> = c
        .rules
        .iter()
        .map(|r| (r.rule.id, r.enabled, r.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("naked-pod", Some(false), None),
            ("privileged-container", Some(true), None),
            ("image-latest", None, Some(Severity::Critical)),
            ("image-registry", Some(true), Some(Severity::Low)),
            ("required-labels", None, None),
        ]
    );
    assert_eq!(
        c.options,
        [
            "image-registry.allowed=docker.io,ghcr.io",
            "control-plane.legacy=true",
            "required-labels.labels=team,app"
        ]
    );
    let mut opts = kspm::options::RuleOptions::default();
    c.apply_options(&mut opts).unwrap();
    assert!(opts.legacy);
    assert_eq!(opts.allowed_registries, ["docker.io", "ghcr.io"]);

    let i = &c.ignore[0];
    assert_eq!(i.yaml_path.to_string(), "ignore[0]");
    let names: Vec<&str> = i.rules.iter().map(|r| r.value.as_str()).collect();
    assert_eq!(names, ["host-pid", "KSPM104"]);
    assert_eq!(i.until.as_ref().unwrap().value, "2026-01-31");
    assert_eq!(i.name.as_deref(), Some("node-*"));

    let k = c.workload_kinds();
    assert_eq!(k[0].kind, "ScaledJob");
    assert_eq!(k[0].groups, ["keda.sh"]);
    assert_eq!(k[0].pod_spec, ["spec", "jobTargetRef", "template", "spec"]);
    assert_eq!(
        k[0].pod_metadata,
        ["spec", "jobTargetRef", "template", "metadata"]
    );
    assert_eq!(k[1].groups, ["example.com", ""]);
    assert_eq!(k[1].pod_metadata, ["spec", "podMetadata"]);

    assert_eq!(c.helm.release_name.as_deref(), Some("rel"));
    assert_eq!(c.helm.values, [Path::new("/repo/values/common.yaml")]);
    assert_eq!(c.helm.set.get("image.tag").map(String::as_str), Some("1.2"));
    assert_eq!(c.helm.set.get("debug").map(String::as_str), Some("false"));
    let renders = &c.helm.charts[Path::new("/repo/charts/web")];
    assert_eq!(renders[0].name, "prod");
    assert_eq!(renders[0].values, [Path::new("/repo/charts/web/prod.yaml")]);
    assert_eq!(renders[0].namespace.as_deref(), Some("prod"));
    assert_eq!(
        renders[0].set.get("replicas").map(String::as_str),
        Some("3")
    );
    assert_eq!(c.kustomize.binary.as_deref(), Some("kubectl"));
    assert_eq!(c.kustomize.enable_helm, Some(true));
}

#[test]
fn rule_selection_follows_the_file_and_the_flags() {
    let c = parse("packs: [pss-baseline]\nrules:\n  host-pid: off\n  image-latest: on\n").unwrap();
    let ids = |packs: &[&str], only: &[&str], exclude: &[&str]| -> Vec<&str> {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        c.select_rules(&s(packs), &s(only), &s(exclude), 37)
            .unwrap()
            .iter()
            .map(|r| r.meta().id)
            .collect()
    };
    let from_file = ids(&[], &[], &[]);
    assert!(from_file.contains(&"host-network") && from_file.contains(&"image-latest"));
    assert!(!from_file.contains(&"host-pid"));
    // --exclude-rule adds to the file's disabled rules, and beats its enabled ones.
    let ex = ids(&[], &[], &["image-latest", "host-ipc"]);
    assert!(!ex.contains(&"image-latest") && !ex.contains(&"host-ipc"));
    // --pack replaces the file's packs; the file's rule settings still apply.
    let other = ids(&["nsa-cisa-1.2"], &[], &[]);
    assert!(other.contains(&"image-latest") && !other.contains(&"host-pid"));
    // --rule replaces everything.
    assert_eq!(ids(&[], &["host-pid"], &[]), ["host-pid"]);
    // Code order, as without a file.
    let codes: Vec<&str> = from_file
        .iter()
        .map(|id| kspm::registry::find(id).unwrap().meta().code)
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
}

#[test]
fn the_readme_example_is_valid() {
    let readme = fs::read_to_string("README.md").unwrap();
    let section = readme
        .split("### .kspm.yaml")
        .nth(1)
        .expect("README has a .kspm.yaml section");
    let example = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a yaml example");
    let c = parse(example).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!c.ignore.is_empty() && !c.kinds.is_empty() && !c.rules.is_empty());
}

// -------------------------------------------------------------------------------------
// Through the binary

fn kspm(dir: &Path, args: &[&str]) -> Output {
    kspm_dated(dir, args, "2025-06-01")
}

fn rules_found(out: &Output) -> Vec<String> {
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}@{}",
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect()
}

const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostPID: true
  hostNetwork: true
  containers:
    - name: agent
      image: registry.example/agent:1.0
      securityContext:
        allowPrivilegeEscalation: false
        runAsNonRoot: true
        capabilities: {drop: [ALL]}
        seccompProfile: {type: RuntimeDefault}
";

#[test]
fn a_bad_file_stops_the_run_with_exit_2() {
    let dir = repo(&[
        (".kspm.yaml", "packs: [recommended]\nrulez: {}\n"),
        ("k8s/pod.yaml", POD),
    ]);
    let out = kspm(dir.path(), &["lint", "k8s"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".kspm.yaml:2:1: unknown key `rulez`; did you mean `rules`?"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn found_upward_from_the_first_path_within_the_repository() {
    let cfg = "packs: [pss-baseline]\nrules:\n  host-network: off\n  host-pid: critical\n";
    let dir = repo(&[(".kspm.yaml", cfg), ("deploy/k8s/pod.yaml", POD)]);
    for (cwd, target) in [
        (".", "deploy/k8s"),
        ("deploy", "k8s/pod.yaml"),
        ("deploy/k8s", "."),
    ] {
        let out = kspm(&dir.path().join(cwd), &["lint", "--format", "json", target]);
        assert_eq!(rules_found(&out), ["host-pid:critical@6"], "from {cwd}");
        assert_eq!(out.status.code(), Some(1));
    }
    // A file above the repository root does not apply.
    let outer = tempfile::tempdir().unwrap();
    fs::write(outer.path().join(".kspm.yaml"), "rules: {host-pid: off}\n").unwrap();
    let inner = outer.path().join("repo");
    fs::create_dir_all(inner.join(".git")).unwrap();
    fs::write(inner.join("pod.yaml"), POD).unwrap();
    let out = kspm(
        &inner,
        &[
            "lint",
            "--format",
            "json",
            "--pack",
            "pss-baseline",
            "pod.yaml",
        ],
    );
    assert_eq!(
        rules_found(&out),
        ["host-pid:high@6", "host-network:high@7"]
    );
}

#[test]
fn config_flag_picks_the_file() {
    let dir = repo(&[
        (".kspm.yaml", "rules: {host-pid: off}\n"),
        (
            "ci/strict.yaml",
            "packs: [pss-baseline]\nfail-on: critical\n",
        ),
        ("pod.yaml", POD),
    ]);
    let out = kspm(
        dir.path(),
        &[
            "lint",
            "--format",
            "json",
            "--config",
            "ci/strict.yaml",
            "pod.yaml",
        ],
    );
    assert_eq!(
        rules_found(&out),
        ["host-pid:high@6", "host-network:high@7"]
    );
    assert_eq!(out.status.code(), Some(0), "fail-on critical from the file");
    let out = kspm(
        dir.path(),
        &["lint", "--config", "ci/missing.yaml", "pod.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot read configuration ci/missing.yaml")
    );
}

#[test]
fn flags_override_the_file() {
    let cfg = "packs: [pss-baseline]\nfail-on: critical\nkube-version: \"1.18\"\n";
    let pod = POD.replace("        seccompProfile: {type: RuntimeDefault}\n", "");
    let dir = repo(&[(".kspm.yaml", cfg), ("pod.yaml", &pod)]);
    // fail-on critical: high findings do not fail; --fail-on high does.
    assert_eq!(
        kspm(dir.path(), &["lint", "pod.yaml"]).status.code(),
        Some(0)
    );
    assert_eq!(
        kspm(dir.path(), &["lint", "--fail-on", "high", "pod.yaml"])
            .status
            .code(),
        Some(1)
    );
    let seccomp = |args: &[&str]| {
        let mut a = vec!["lint", "--format", "json"];
        a.extend(args);
        a.push("pod.yaml");
        rules_found(&kspm(dir.path(), &a))
            .iter()
            .any(|r| r.starts_with("seccomp-required"))
    };
    // The file's pack is baseline: no seccomp check.
    assert!(!seccomp(&[]));
    // --pack replaces it, but the file's kube-version 1.18 predates the restricted
    // seccomp control's field form; --kube-version replaces that too.
    assert!(seccomp(&[
        "--pack",
        "pss-restricted",
        "--kube-version",
        "1.30"
    ]));
}

#[test]
fn kinds_make_custom_resources_linted() {
    let crd = "\
apiVersion: keda.sh/v1alpha1
kind: ScaledJob
metadata:
  name: worker
spec:
  jobTargetRef:
    template:
      spec:
        containers:
          - name: worker
            image: registry.example/worker:1.0
            securityContext:
              privileged: true
";
    let dir = repo(&[("jobs/worker.yaml", crd)]);
    let args = [
        "lint",
        "--format",
        "json",
        "--rule",
        "privileged-container",
        "jobs",
    ];
    assert!(rules_found(&kspm(dir.path(), &args)).is_empty());
    fs::write(
        dir.path().join(".kspm.yaml"),
        "kinds:\n  - {kind: ScaledJob, group: keda.sh, pod-spec: spec.jobTargetRef.template.spec}\n",
    )
    .unwrap();
    assert_eq!(
        rules_found(&kspm(dir.path(), &args)),
        ["privileged-container:critical@13"]
    );
}

#[test]
fn rule_options_from_the_file_and_the_flag() {
    let pod = POD.replace("registry.example/agent:1.0", "quay.io/agent:1.0");
    let dir = repo(&[
        (
            ".kspm.yaml",
            "rules:\n  image-registry:\n    enabled: true\n    options: {allowed: [registry.example]}\n",
        ),
        ("pod.yaml", &pod),
    ]);
    let run = |extra: &[&str]| {
        let mut a = vec![
            "lint",
            "--format",
            "json",
            "--pack",
            "pss-baseline",
            "--exclude-rule",
            "host-pid",
            "--exclude-rule",
            "host-network",
        ];
        a.extend(extra);
        a.push("pod.yaml");
        rules_found(&kspm(dir.path(), &a))
    };
    assert_eq!(
        run(&[]).len(),
        1,
        "image-registry enabled by the file: {:?}",
        run(&[])
    );
    assert!(run(&[])[0].starts_with("image-registry"));
    assert!(run(&["--rule-option", "image-registry.allowed=quay.io"]).is_empty());
}

#[test]
fn init_writes_a_commented_starter() {
    let dir = tempfile::tempdir().unwrap();
    let out = kspm(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    let text = fs::read_to_string(dir.path().join(".kspm.yaml")).unwrap();
    assert_eq!(text, STARTER);
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 20
    );
    // It does not replace a file without --force.
    fs::write(dir.path().join(".kspm.yaml"), "packs: [all]\n").unwrap();
    assert_eq!(kspm(dir.path(), &["init"]).status.code(), Some(2));
    assert_eq!(
        kspm(dir.path(), &["init", "--force", "."]).status.code(),
        Some(0)
    );
    // The starter is a valid configuration.
    parse(STARTER).unwrap();
}

// -------------------------------------------------------------------------------------
// The JSON Schema agrees with the checks

fn to_json(n: &Node) -> Value {
    match &n.value {
        YValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|e| (e.key_str.clone(), to_json(&e.value)))
                .collect(),
        ),
        YValue::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        YValue::Scalar(s) => match s.kind {
            ScalarKind::Null => Value::Null,
            // As a YAML 1.2 reader (an editor with the schema) sees it.
            ScalarKind::Bool(b) if s.text.eq_ignore_ascii_case(&b.to_string()) => json!(b),
            ScalarKind::Bool(_) => json!(s.text),
            ScalarKind::Int(i) => json!(i),
            ScalarKind::Float(f) => json!(f),
            ScalarKind::Str | ScalarKind::Timestamp => json!(s.text),
        },
    }
}

/// The subset of JSON Schema draft-07 that docs/kspm.schema.json uses.
fn validates(schema: &Value, v: &Value) -> bool {
    if let Some(alts) = schema.get("anyOf").and_then(Value::as_array) {
        return alts.iter().any(|a| validates(a, v));
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            other => vec![other.as_str().unwrap()],
        };
        let ok = types.iter().any(|t| match *t {
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => panic!("type {t}"),
        });
        if !ok {
            return false;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return false;
    }
    if let (Some(p), Some(s)) = (schema.get("pattern").and_then(Value::as_str), v.as_str())
        && !regex::Regex::new(p).unwrap().is_match(s)
    {
        return false;
    }
    if let (Some(items), Some(a)) = (schema.get("items"), v.as_array())
        && !a.iter().all(|x| validates(items, x))
    {
        return false;
    }
    if let Some(o) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, x) in o {
            let ok = match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => validates(s, x),
                (None, Some(Value::Bool(false))) => false,
                (None, Some(s @ Value::Object(_))) => validates(s, x),
                _ => true,
            };
            if !ok {
                return false;
            }
        }
        if let Some(req) = schema.get("required").and_then(Value::as_array)
            && !req.iter().all(|r| o.contains_key(r.as_str().unwrap()))
        {
            return false;
        }
    }
    true
}

fn yaml_json(text: &str) -> Value {
    let src = SourceFile::new("x.yaml", text);
    let docs = kspm::yaml::load::load_all(&src);
    match docs.into_iter().next() {
        Some(Ok(d)) => to_json(&d.root),
        _ => Value::Null,
    }
}

#[test]
fn the_schema_accepts_what_kspm_accepts_and_rejects_what_it_rejects() {
    let schema: Value = serde_json::from_str(&kspm::config::json_schema()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let good = [
        STARTER,
        "packs: all\nrules:\n  naked-pod: off\n  image-latest: high\n  image-registry: {enabled: true, options: {allowed: [a]}}\n",
        "ignore:\n  - {rules: all, reason: r, until: 2030-01-01, paths: x, kind: Pod, namespace: a, name: b}\n",
        "kinds: [{kind: X, group: [a, b], pod-spec: spec.spec, pod-metadata: spec.m}]\nkube-version: \"1.30\"\n",
        "helm: {values: a.yaml, set: {a: 1, b: true}, charts: {c: [{name: n}]}}\nkustomize: {binary: auto, enable-helm: false}\n",
    ];
    for text in good {
        assert!(parse(text).is_ok(), "kspm rejects {text}");
        assert!(
            validates(&schema, &yaml_json(text)),
            "the schema rejects {text}"
        );
    }
    let bad = [
        "rulez: {}\n",
        "fail-on: severe\n",
        "rules: {naked-pod: maybe}\n",
        "helm: {release-name: 5}\n",
        "rules: {naked-pod: {colour: red}}\n",
        "ignore: [{rules: [a]}]\n",
        "ignore: [{rules: [a], reason: r, until: 5}]\n",
        "kinds: [{kind: X}]\n",
        "helm: {charts: {c: [{values: [a]}]}}\n",
        "kustomize: {binary: make}\n",
        "packs: {a: b}\n",
    ];
    for text in bad {
        assert!(parse(text).is_err(), "kspm accepts {text}");
        assert!(
            !validates(&schema, &yaml_json(text)),
            "the schema accepts {text}"
        );
    }
}
