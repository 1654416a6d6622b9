//! Helm input: rendered streams (`# Source:` comments) mapped back to templates and values,
//! charts rendered through `helm template` (exercised with a stand-in executable), and the
//! clear error when no renderer exists.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;

use common::{assert_exit, capture, json_of, kspm_cmd, kspm_in, run_with_stdin, stderr};
use kspm::render::helm::stream::HelmMapper;
use kspm::render::helm::{ChartTree, ValuesFile};
use kspm::render::{Location, MapRequest, Mapping, OriginMapper};
use kspm::source::SourceFile;
use kspm::yaml::load::load_all;
use kspm::yaml::{Node, Seg, Span, Value as YValue, YamlPath};
use serde_json::Value;

const RENDERED: &str = "testdata/helm/web.rendered.yaml";
const CHART: &str = "testdata/helm/web";

fn kspm_with(args: &[&str], path: Option<&Path>, stdin: Option<&str>) -> Output {
    let mut cmd = kspm_cmd();
    cmd.args(args);
    if let Some(p) = path {
        cmd.env("PATH", p);
    }
    match stdin {
        Some(text) => run_with_stdin(&mut cmd, text.as_bytes()),
        None => capture(&mut cmd),
    }
}

fn finding<'a>(v: &'a Value, rule: &str) -> &'a Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {v:#}"))
}

fn line_at(path: &str, line: u64) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .nth(line as usize - 1)
        .unwrap_or("")
        .trim()
        .to_string()
}

const RULES: [&str; 6] = [
    "--rule",
    "privileged-container",
    "--rule",
    "host-pid",
    "--rule",
    "run-as-user-root",
];

#[test]
fn a_rendered_file_keeps_its_positions_and_names_the_template() {
    let mut args = vec!["lint", "--format", "json"];
    args.extend(RULES);
    args.push(RENDERED);
    let v = json_of(&kspm_with(&args, None, None));
    let f = finding(&v, "host-pid");
    // Without the chart, the rendered file is the only real text: the finding stays there.
    assert_eq!(f["path"], RENDERED);
    assert_eq!(
        line_at(RENDERED, f["line"].as_u64().unwrap()),
        "hostPID: true"
    );
    assert_eq!(f["origin"]["renderer"], "helm");
    assert_eq!(f["origin"]["template"], "web/templates/deployment.yaml");
    assert_eq!(f["origin"]["via"], "rendered");
    let cache = finding(&v, "run-as-user-root");
    assert_eq!(
        cache["origin"]["template"],
        "web/charts/cache/templates/pod.yaml"
    );
}

/// With `--chart-dir`, each finding lands on the line a person edits: a field written in a
/// template on the template's line, a value injected with `toYaml` on the values line.
fn assert_mapped_into_the_chart(v: &Value) {
    let pid = finding(v, "host-pid");
    assert_eq!(pid["path"], "testdata/helm/web/templates/deployment.yaml");
    // The `else` branch rendered; the literal of the `if` branch does not match.
    assert_eq!(pid["line"], 24);
    assert_eq!(pid["origin"]["via"], "template");
    assert_eq!(pid["origin"]["exact"], true);
    assert_eq!(pid["origin"]["rendered"]["path"], RENDERED);

    let privileged = finding(v, "privileged-container");
    assert_eq!(privileged["path"], "testdata/helm/web/values.yaml");
    assert_eq!(privileged["line"], 11);
    assert_eq!(
        line_at("testdata/helm/web/values.yaml", 11),
        "privileged: true"
    );
    assert_eq!(privileged["origin"]["via"], "values");
    assert_eq!(
        privileged["origin"]["values"]["path"],
        "securityContext.privileged"
    );
    // Written by `toYaml` in a named template the deployment includes.
    assert_eq!(
        privileged["origin"]["injected_at"]["file"],
        "testdata/helm/web/templates/_helpers.tpl"
    );

    // A subchart's value set by the parent chart (`cache:` in the parent's values.yaml).
    let root = finding(v, "run-as-user-root");
    assert_eq!(root["path"], "testdata/helm/web/values.yaml");
    assert_eq!(
        line_at(
            "testdata/helm/web/values.yaml",
            root["line"].as_u64().unwrap()
        ),
        "runAsUser: 0"
    );
    assert_eq!(
        root["origin"]["values"]["path"],
        "cache.securityContext.runAsUser"
    );
}

#[test]
fn chart_dir_maps_a_rendered_file_to_templates_and_values() {
    let mut args = vec!["lint", "--format", "json", "--chart-dir", CHART];
    args.extend(RULES);
    args.push(RENDERED);
    let out = kspm_with(&args, None, None);
    assert_eq!(out.status.code(), Some(1));
    assert_mapped_into_the_chart(&json_of(&out));
}

#[test]
fn a_stream_on_stdin_maps_the_same_way() {
    let text = std::fs::read_to_string(RENDERED).unwrap();
    let mut args = vec!["lint", "--format", "json", "--chart-dir", CHART];
    args.extend(RULES);
    args.push("-");
    let v = json_of(&kspm_with(&args, None, Some(&text)));
    let pid = finding(&v, "host-pid");
    assert_eq!(pid["path"], "testdata/helm/web/templates/deployment.yaml");
    assert_eq!(pid["origin"]["rendered"]["path"], "<stdin>");
}

#[test]
fn chart_dir_must_be_a_chart() {
    let out = kspm_with(
        &["lint", "--chart-dir", "testdata/helm", RENDERED],
        None,
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no Chart.yaml"));
}

#[test]
fn without_helm_on_path_charts_render_natively() {
    // An empty PATH: no helm, whatever the machine has; kspm renders the chart itself.
    let empty = tempfile::tempdir().unwrap();
    let mut args = vec!["lint", "--format", "json"];
    args.extend(RULES);
    args.push(CHART);
    let out = kspm_with(&args, Some(empty.path()), None);
    assert_exit(&out, 1);
    let v = json_of(&out);
    assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{}", v["errors"]);
    // A field the template writes itself: the trace points at the template's own text.
    let pid = finding(&v, "host-pid");
    assert_eq!(pid["path"], "testdata/helm/web/templates/deployment.yaml");
    assert_eq!(pid["line"], 24);
    assert_eq!(
        line_at("testdata/helm/web/templates/deployment.yaml", 24).trim(),
        "hostPID: true"
    );
    assert_eq!(pid["origin"]["via"], "template");
    assert_eq!(pid["origin"]["exact"], true);
    assert_eq!(pid["origin"]["traced"], true);
    assert_eq!(pid["origin"]["render"], "kspm template: release-name");
    // A value printed by `toYaml`: the values line.
    let privileged = finding(&v, "privileged-container");
    assert_eq!(privileged["path"], "testdata/helm/web/values.yaml");
    assert_eq!(privileged["line"], 11);
    assert_eq!(privileged["origin"]["via"], "values");
    let root = finding(&v, "run-as-user-root");
    assert_eq!(root["path"], "testdata/helm/web/values.yaml");
    assert_eq!(
        root["origin"]["values"]["path"],
        "cache.securityContext.runAsUser"
    );
}

/// The native trail of a value printed inside a named template: the values line, the
/// helper action that printed it, and the include that ran the helper.
#[test]
fn native_trail_names_the_action_and_the_include() {
    let empty = tempfile::tempdir().unwrap();
    let mut args = vec!["lint", "--format", "json"];
    args.extend(RULES);
    args.push(CHART);
    let out = kspm_with(&args, Some(empty.path()), None);
    let v = json_of(&out);
    let privileged = finding(&v, "privileged-container");
    assert_eq!(privileged["origin"]["traced"], true);
    assert_eq!(
        privileged["origin"]["values"]["path"],
        "securityContext.privileged"
    );
    let action = &privileged["origin"]["injected_at"];
    assert_eq!(action["file"], "testdata/helm/web/templates/_helpers.tpl");
    assert_eq!(
        line_at("testdata/helm/web/templates/_helpers.tpl", 17).trim(),
        "{{- toYaml .Values.securityContext | nindent 4 }}"
    );
    assert_eq!(action["line"], 17);
    let include = &privileged["origin"]["included_at"][0];
    assert_eq!(
        include["file"],
        "testdata/helm/web/templates/deployment.yaml"
    );
    assert_eq!(include["line"], 27);
}

#[test]
fn renderer_helm_without_helm_is_a_located_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = kspm_with(
        &["lint", "--format", "json", "--renderer", "helm", CHART],
        Some(empty.path()),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let v = json_of(&out);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], "testdata/helm/web/Chart.yaml");
    assert_eq!(errors[0]["line"], 2, "at the chart's name");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("no Helm renderer"),
        "{errors:?}"
    );
    // A template named on the command line stands for its chart: same error, no YAML
    // error from the template text.
    let out = kspm_with(
        &[
            "lint",
            "--format",
            "json",
            "--renderer",
            "helm",
            "testdata/helm/web/templates/deployment.yaml",
        ],
        Some(empty.path()),
        None,
    );
    let v = json_of(&out);
    assert_eq!(v["errors"].as_array().unwrap().len(), 1);
    assert_eq!(v["errors"][0]["path"], "testdata/helm/web/Chart.yaml");
}

#[test]
fn a_native_render_error_is_located_in_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("c");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required \"name is required\" .Values.name }}\n",
    )
    .unwrap();
    let out = kspm_in(dir.path(), &["template", "c"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("Error: execution error at (c/templates/cm.yaml:4:11): name is required"),
        "{err}"
    );
    assert!(err.contains("--> c/templates/cm.yaml:4:12"), "{err}");
}

/// A folder holding a `helm` stand-in: a shell script that records its arguments and
/// prints `RENDERED`, or fails like Helm does. This tests kspm's side of the contract
/// with `helm template` (the arguments it passes, reading its stdout and its errors), not
/// Helm: no helm binary is available on these machines.
fn stand_in_helm(script_body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("args.txt");
    let script = format!(
        "#!/bin/sh\nPATH=/usr/bin:/bin\nprintf '%s\\n' \"$@\" > '{}'\n{script_body}\n",
        log.display()
    );
    let helm = dir.path().join("helm");
    std::fs::write(&helm, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helm, std::fs::Permissions::from_mode(0o755)).unwrap();
    (dir, log)
}

#[test]
fn charts_render_through_helm_template() {
    let rendered = std::fs::canonicalize(RENDERED).unwrap();
    let (dir, log) = stand_in_helm(&format!("cat '{}'", rendered.display()));
    let mut args = vec![
        "lint",
        "--format",
        "json",
        "--release-name",
        "rel",
        "--namespace",
        "shop",
        "--values",
        "testdata/helm/prod-values.yaml",
        "--set",
        "replicaCount=1",
        "--kube-version",
        "1.29",
    ];
    args.extend(RULES);
    args.push(CHART);
    let out = kspm_with(&args, Some(dir.path()), None);
    assert_exit(&out, 1);
    let recorded = std::fs::read_to_string(&log).unwrap();
    let recorded: Vec<&str> = recorded.lines().collect();
    assert_eq!(
        recorded,
        [
            "template",
            "rel",
            CHART,
            "--include-crds",
            "--namespace",
            "shop",
            "--values",
            "testdata/helm/prod-values.yaml",
            "--set",
            "replicaCount=1",
            "--kube-version",
            "1.29",
        ]
    );
    let v = json_of(&out);
    assert_mapped_into_the_chart_with_values_file(&v);
    let pid = finding(&v, "host-pid");
    assert_eq!(pid["origin"]["chart"], CHART);
    assert_eq!(
        pid["origin"]["render"],
        "helm template: rel -n shop -f testdata/helm/prod-values.yaml --set replicaCount=1"
    );
    assert_eq!(pid["origin"]["rendered"]["path"], CHART);
}

/// As `assert_mapped_into_the_chart`, but the render's own values file (`-f`) wins where
/// it sets the field.
fn assert_mapped_into_the_chart_with_values_file(v: &Value) {
    let privileged = finding(v, "privileged-container");
    assert_eq!(privileged["path"], "testdata/helm/prod-values.yaml");
    assert_eq!(
        line_at(
            "testdata/helm/prod-values.yaml",
            privileged["line"].as_u64().unwrap()
        ),
        "privileged: true"
    );
    let pid = finding(v, "host-pid");
    assert_eq!(pid["path"], "testdata/helm/web/templates/deployment.yaml");
    assert_eq!(pid["line"], 24);
}

#[test]
fn a_helm_error_is_located_in_the_template() {
    let (dir, _) = stand_in_helm(
        "echo 'Error: template: web/templates/deployment.yaml:8:22: executing \"web/templates/deployment.yaml\" at <.Values.replicaCount>: wrong type' >&2\nexit 1",
    );
    let out = kspm_with(&["lint", "--format", "json", CHART], Some(dir.path()), None);
    assert_eq!(out.status.code(), Some(2));
    let v = json_of(&out);
    let e = &v["errors"][0];
    assert_eq!(e["path"], "testdata/helm/web/templates/deployment.yaml");
    assert_eq!(e["line"], 8);
    // Go's column 22 is a 0-based byte offset: `.replicaCount`, column 23.
    assert_eq!(e["column"], 23);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("helm template failed: template:")
    );
}

#[test]
fn a_walk_renders_each_chart_once_and_never_reads_templates_as_yaml() {
    let rendered = std::fs::canonicalize(RENDERED).unwrap();
    let (dir, log) = stand_in_helm(&format!("cat '{}'", rendered.display()));
    let out = kspm_with(
        &[
            "lint",
            "--format",
            "json",
            "--rule",
            "host-pid",
            "testdata/helm",
        ],
        Some(dir.path()),
        None,
    );
    let v = json_of(&out);
    assert_eq!(v["errors"].as_array().unwrap().len(), 0, "{v:#}");
    // The chart was rendered (its subchart is part of it, not a chart of its own), and the
    // hand-written rendered file next to it is linted as what it is.
    let recorded = std::fs::read_to_string(&log).unwrap();
    assert!(recorded.contains(CHART), "{recorded}");
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [RENDERED, "testdata/helm/web/templates/deployment.yaml"]
    );
}

// ---------------------------------------------------------------------------------------
// Precision on real `helm template` output (KSPM_CORPUS).

fn leaves(n: &Node, p: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, Span)>) {
    match &n.value {
        YValue::Map(m) if !m.is_empty() => {
            for e in m {
                p.push(Seg::Key(e.key_str.clone()));
                leaves(&e.value, p, out);
                p.pop();
            }
        }
        YValue::Seq(s) if !s.is_empty() => {
            for (i, x) in s.iter().enumerate() {
                p.push(Seg::Index(i));
                leaves(x, p, out);
                p.pop();
            }
        }
        _ => out.push((p.clone(), n.span)),
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The `--values`/`-f` files of a case's args.txt (the cases use plain words).
fn values_files(case: &Path) -> Vec<ValuesFile> {
    let args = std::fs::read_to_string(case.join("args.txt")).unwrap();
    let words: Vec<&str> = args.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let f = if *w == "-f" || *w == "--values" {
            words.get(i + 1).copied()
        } else {
            w.strip_prefix("--values=")
        };
        if let Some(f) = f {
            let text = std::fs::read_to_string(case.join(f)).unwrap();
            out.push(ValuesFile::new(SourceFile::new(f.to_string(), text)));
        }
    }
    out
}

/// A rendered leaf field (path, span) and where a mapper put it.
type MappedLeaf = (Vec<Seg>, Span, Option<(Mapping, Location)>);

/// Every leaf field of the rendered documents (path, span) with where `mapper` puts it
/// (`None`: not mapped, or mapped without a location).
fn mapped_leaves(src: &Arc<SourceFile>, mapper: &dyn OriginMapper) -> Vec<MappedLeaf> {
    let mut out = Vec::new();
    for doc in load_all(src).into_iter().filter_map(Result::ok) {
        let mut fields = Vec::new();
        leaves(&doc.root, &mut Vec::new(), &mut fields);
        for (segs, span) in fields {
            let path = YamlPath(segs.clone());
            let mapped = mapper
                .map(&MapRequest {
                    rendered: src,
                    path: &path,
                    span,
                })
                .and_then(|mut m| {
                    let loc = m.location.take()?;
                    Some((m, loc))
                });
            out.push((segs, span, mapped));
        }
    }
    out
}

/// The helm-golden cases that hold a chart, sorted; `None` (the `what` test is skipped)
/// without KSPM_CORPUS.
fn golden_chart_cases(what: &str) -> Option<Vec<PathBuf>> {
    let Some(corpus) = std::env::var_os("KSPM_CORPUS") else {
        println!("KSPM_CORPUS is not set: the {what} test is skipped");
        return None;
    };
    let cases = Path::new(&corpus).join("helm-golden/cases");
    assert!(
        cases.is_dir(),
        "KSPM_CORPUS is set but {} is missing",
        cases.display()
    );
    let mut names: Vec<PathBuf> = std::fs::read_dir(&cases)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("chart/Chart.yaml").is_file())
        .collect();
    names.sort();
    Some(names)
}

/// Whether the source `line` a field was mapped to names it: the field's key (or, traced
/// into values, the values key), or the list item it is.
fn names_field(origin: &Value, segs: &[Seg], line: &str) -> bool {
    let key = if origin["via"] == "values" {
        origin["values"]["path"]
            .as_str()
            .and_then(kspm::render::parse_yaml_path)
            .and_then(|p| p.0.last().cloned())
    } else {
        segs.last().cloned()
    };
    match key {
        Some(Seg::Key(k)) => {
            line.contains(&format!("{k}:"))
                || line.contains(&format!("\"{k}\":"))
                // A key the template computes: `{{ include "x.key" . }}: |-`.
                || line.trim_start().starts_with("{{")
        }
        Some(Seg::Index(_)) => line.trim_start().starts_with('-') || line.contains('['),
        None => true,
    }
}

/// Every leaf field of every document `helm template` wrote for the helm-golden cases is
/// mapped; the line it lands on must name the field (its key, or the values key it comes
/// from). Prints the measured precision.
#[test]
fn helm_golden_fields_map_to_lines_that_name_them() {
    let Some(names) = golden_chart_cases("helm-golden precision") else {
        return;
    };
    assert!(
        names.len() >= 20,
        "too few helm-golden cases: {}",
        names.len()
    );
    let (mut total, mut named, mut exact, mut values, mut unmapped) = (0, 0, 0, 0, 0);
    for case in &names {
        let tree = Arc::new(ChartTree::load(&case.join("chart"), "chart").unwrap());
        let mut text = String::new();
        if case.join("expected.yaml").is_file() {
            text = std::fs::read_to_string(case.join("expected.yaml")).unwrap();
        } else {
            let mut files = Vec::new();
            files_under(&case.join("expected"), &mut files);
            files.sort();
            for f in files {
                text.push_str(&std::fs::read_to_string(f).unwrap());
                text.push('\n');
            }
        }
        let src = SourceFile::new("rendered", text);
        let mapper = HelmMapper::new(&src, Some(tree), values_files(case), None, None);
        for (segs, _, mapped) in mapped_leaves(&src, &mapper) {
            total += 1;
            let Some((m, loc)) = mapped else {
                unmapped += 1;
                continue;
            };
            let line = loc
                .source
                .line_text(loc.source.position(loc.span.start).line);
            values += usize::from(m.origin["via"] == "values");
            exact += usize::from(m.origin["exact"] == true);
            named += usize::from(names_field(&m.origin, &segs, line));
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / total as f64;
    println!(
        "helm-golden: {} cases, {total} rendered fields: {named} ({:.1}%) on a line naming the field, {exact} ({:.1}%) exact, {values} ({:.1}%) traced into values files, {unmapped} unmapped",
        names.len(),
        pct(named),
        pct(exact),
        pct(values)
    );
    assert!(pct(named) >= 97.0, "precision fell to {:.1}%", pct(named));
    assert!(
        pct(exact) >= 90.0,
        "exact mappings fell to {:.1}%",
        pct(exact)
    );
}

/// Every leaf field of every document kspm renders itself for the helm-golden cases goes
/// through the traced mapper; the line it lands on must name the field. Prints the measured
/// precision and how many fields the trace placed on the template's own text.
#[test]
fn natively_rendered_fields_map_to_lines_that_name_them() {
    use clap::Parser;
    use kspm::render::helm::native::{TemplateArgs, TracedMapper};

    #[derive(Parser)]
    struct Words {
        #[command(flatten)]
        args: TemplateArgs,
    }

    let Some(names) = golden_chart_cases("native precision") else {
        return;
    };
    let (mut total, mut named, mut traced, mut exact, mut unmapped) = (0, 0, 0, 0, 0);
    for case in &names {
        // The case's own arguments (plain words), printed to a stream instead of a tree.
        let line = std::fs::read_to_string(case.join("args.txt")).unwrap();
        let mut words: Vec<String> = Vec::new();
        let mut it = line.split_whitespace().skip(1);
        while let Some(w) = it.next() {
            match w {
                "--output-dir" => {
                    it.next();
                }
                w => words.push(w.trim_matches('\'').to_string()),
            }
        }
        let Ok(parsed) =
            Words::try_parse_from(std::iter::once("template".to_string()).chain(words))
        else {
            continue;
        };
        let opts = parsed.args.options().unwrap();
        let cwd = case.clone();
        let out = kspm_helm::template(&opts, &cwd).unwrap();
        let value_files: Vec<PathBuf> = opts.values_files.iter().map(|f| cwd.join(f)).collect();
        let (text, native) =
            kspm::render::helm::native::NativeTrace::from_output(out, &value_files);
        let src = SourceFile::new("rendered", text);
        let tree = Arc::new(ChartTree::load(&case.join("chart"), "chart").unwrap());
        let inner = HelmMapper::new(&src, Some(tree), values_files(case), None, None);
        let root = kspm::render::DisplayRoot::new(case, "case");
        let mapper = TracedMapper::new(inner, native, &root);
        for (segs, span, mapped) in mapped_leaves(&src, &mapper) {
            total += 1;
            let path = YamlPath(segs.clone());
            let Some((m, loc)) = mapped else {
                unmapped += 1;
                continue;
            };
            traced += usize::from(m.origin["traced"] == true);
            if m.origin["traced"] != true && std::env::var_os("KSPM_DEBUG_TRACE").is_some() {
                let seg = mapper.trace.segment(span.start);
                let node_line = src.line_text(src.position(span.start).line);
                let act = seg.map(|s| {
                    let t = mapper.sources.get(&s.template).map(|f| {
                        let e = (s.offset + 60).min(f.text.len());
                        let mut e2 = e;
                        while !f.text.is_char_boundary(e2) {
                            e2 -= 1;
                        }
                        f.text[s.offset..e2].replace('\n', "⏎")
                    });
                    format!(
                        "{} lit={} fields={:?} calls={} :: {:?}",
                        s.template,
                        s.literal,
                        s.fields,
                        s.calls.len(),
                        t
                    )
                });
                eprintln!(
                    "UNTRACED {} {} | {} | {:?}",
                    case.file_name().unwrap().to_string_lossy(),
                    path,
                    node_line.trim(),
                    act
                );
            }
            exact += usize::from(m.origin["exact"] == true);
            let line = loc
                .source
                .line_text(loc.source.position(loc.span.start).line);
            let names_it = names_field(&m.origin, &segs, line);
            named += usize::from(names_it);
            if !names_it {
                println!(
                    "  not named:  {} {} -> {} | {} | {}",
                    case.file_name().unwrap().to_string_lossy(),
                    path,
                    loc.source.path,
                    line.trim(),
                    m.origin
                );
            }
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    println!(
        "native helm-golden: {} cases, {total} rendered fields: {named} ({:.1}%) on a line naming the field, {exact} ({:.1}%) exact, {traced} ({:.1}%) placed by the trace (template or helper text, or the values line), {unmapped} unmapped",
        names.len(),
        pct(named),
        pct(exact),
        pct(traced)
    );
    // Ratchet: the numbers reached when values and include output were traced.
    assert!(pct(named) >= 99.8, "precision fell to {:.1}%", pct(named));
    assert!(
        pct(exact) >= 99.7,
        "exact mappings fell to {:.1}%",
        pct(exact)
    );
    assert!(
        pct(traced) >= 99.7,
        "fields placed by the trace fell to {:.1}%",
        pct(traced)
    );
}
