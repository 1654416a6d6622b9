//! Chart loading on our fixtures: files sorted as Helm sorts them, .helmignore, archives,
//! aliases, conditions, tags, import-values, globals, sibling dependencies, errors.

mod common;

use std::path::{Path, PathBuf};

use kspm_gotmpl::Value;
use kspm_helm_chart::{
    Files, HelmCompat, Origin, coalesce_values, load, load_path, missing_dependencies,
    process_dependencies, vals,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A gzipped tar of `files` under the folder `top/`.
fn tgz(top: &str, files: &[(&str, &str)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut b = tar::Builder::new(gz);
    for (name, text) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(text.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, format!("{top}/{name}"), text.as_bytes())
            .unwrap();
    }
    b.into_inner().unwrap().finish().unwrap()
}

/// The parent fixture plus a packaged dependency, in a temporary folder.
fn parent_with_archive() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("parent");
    copy_dir(&fixture("parent"), &dir);
    let archive = tgz(
        "packed",
        &[
            (
                "Chart.yaml",
                "apiVersion: v2\nname: packed\nversion: 1.0.0\n",
            ),
            (
                "values.yaml",
                "exports:\n  shared:\n    sharedKey: from-packed\nown: packed\n",
            ),
            ("templates/deploy.yaml", "kind: Deployment\n"),
            ("templates/.keep", ""),
        ],
    );
    std::fs::write(dir.join("charts/packed-1.0.0.tgz"), archive).unwrap();
    (tmp, dir)
}

fn names(files: &[kspm_helm_chart::File]) -> Vec<&str> {
    files.iter().map(|f| f.name.as_str()).collect()
}

fn at(v: &Value, path: &str) -> Option<Value> {
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    let t = if parent.is_empty() {
        Some(v.clone())
    } else {
        vals::table(v, parent)
    };
    t.and_then(|t| vals::get(&t, key))
}

fn s(v: Option<Value>) -> String {
    v.map(|v| kspm_gotmpl::fmt::sprint(&[v]))
        .unwrap_or_else(|| "<missing>".into())
}

#[test]
fn loads_files_as_helm_sorts_them() {
    let (_tmp, dir) = parent_with_archive();
    let chart = load(&dir).unwrap();
    assert_eq!(chart.name(), "parent");
    assert_eq!(chart.metadata.app_version, "4.5");
    // Metadata strings have white space turned into spaces.
    assert_eq!(chart.metadata.description, "A parent chart with two lines ");
    assert_eq!(
        chart.metadata.annotations.get("team").map(String::as_str),
        Some("core")
    );
    assert_eq!(
        names(&chart.templates),
        ["templates/_helpers.tpl", "templates/cm.yaml"]
    );
    assert_eq!(
        names(&chart.files),
        [
            ".helmignore",
            "crds/README.md",
            "crds/crd.yaml",
            "files/captain.txt",
            "files/lines.txt"
        ]
    );
    let crds = chart.crd_objects(chart.name());
    assert_eq!(crds.len(), 1);
    assert_eq!(crds[0].filename, "parent/crds/crd.yaml");
    let deps: Vec<&str> = chart.dependencies.iter().map(|d| d.name()).collect();
    assert_eq!(deps, ["lib", "packed", "sub"]);
    let packed = &chart.dependencies[1];
    // Archives keep every file (no .helmignore, no default rule).
    assert_eq!(
        names(&packed.templates),
        ["templates/deploy.yaml", "templates/.keep"]
    );
    assert!(chart.dependencies[0].is_library());
    assert!(chart.check_installable().is_ok());
    assert_eq!(
        chart.dependencies[0]
            .check_installable()
            .unwrap_err()
            .message,
        "library charts are not installable"
    );
    assert!(matches!(chart.origin, Origin::Dir(_)));
}

#[test]
fn dependencies_aliases_conditions_tags_imports() {
    let (_tmp, dir) = parent_with_archive();
    let mut chart = load(&dir).unwrap();
    let user = vals::new_map();
    process_dependencies(&mut chart, &user, HelmCompat::V3).unwrap();
    let deps: Vec<&str> = chart.dependencies.iter().map(|d| d.name()).collect();
    // `second` is disabled by tags.extra=false; `first` is `sub` under its alias.
    assert_eq!(deps, ["first", "packed", "lib"]);
    let values = coalesce_values(&chart, &user, HelmCompat::V3).unwrap();
    assert_eq!(s(at(&values, "first.greeting")), "hello-from-parent");
    // A parent null deletes the subchart default.
    assert_eq!(s(at(&values, "first.dropped")), "<missing>");
    // Globals: the parent's win, the subchart's own are kept.
    assert_eq!(s(at(&values, "first.global.region")), "eu");
    assert_eq!(s(at(&values, "first.global.zone")), "a");
    assert_eq!(s(at(&values, "global.region")), "eu");
    // import-values: child/parent form below the parent's own values, and exports form.
    assert_eq!(s(at(&values, "fromFirst.own")), "parent-wins");
    assert_eq!(s(at(&values, "fromFirst.other")), "child-other");
    assert_eq!(s(at(&values, "sharedKey")), "from-packed");
    assert_eq!(s(at(&values, "packed.own")), "packed");
    assert_eq!(s(at(&values, "second")), "map[greeting:second-parent]");
}

#[test]
fn user_values_override_and_delete() {
    let (_tmp, dir) = parent_with_archive();
    let mut chart = load(&dir).unwrap();
    let user = kspm_godata::yaml::unmarshal_map(
        "first:\n  greeting: from-file\n  enabled: false\ntags:\n  extra: true\n",
    )
    .unwrap();
    process_dependencies(&mut chart, &user, HelmCompat::V3).unwrap();
    let deps: Vec<&str> = chart.dependencies.iter().map(|d| d.name()).collect();
    assert_eq!(deps, ["second", "packed", "lib"]);
}

#[test]
fn files_object() {
    let chart = load_path(&fixture("parent")).unwrap();
    let files = Files::new(&chart);
    assert_eq!(files.get("files/captain.txt"), "The Captain\n");
    assert_eq!(files.get("missing"), "");
    assert_eq!(files.glob("files/*").len(), 2);
    assert_eq!(files.glob("**.txt").len(), 2);
    assert_eq!(files.glob("[").len(), files.len());
    assert_eq!(files.lines("files/lines.txt").unwrap(), ["line1", "line2"]);
    assert_eq!(
        files.glob("files/captain.txt").as_config(),
        "captain.txt: |\n  The Captain"
    );
    assert_eq!(
        files.glob("files/captain.txt").as_secrets(),
        "captain.txt: VGhlIENhcHRhaW4K"
    );
    assert_eq!(files.glob("nothing").as_config(), "{}");
}

#[test]
fn sibling_dependency_is_used_with_a_note() {
    let chart = load(&fixture("mono/app")).unwrap();
    assert_eq!(chart.dependencies.len(), 1);
    assert_eq!(chart.dependencies[0].name(), "common");
    assert!(matches!(chart.dependencies[0].origin, Origin::Sibling(_)));
    let notes = chart.all_notes();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].contains("dependency common 2.31.4"),
        "{}",
        notes[0]
    );
    assert!(notes[0].contains("helm dependency build"), "{}", notes[0]);
}

#[test]
fn missing_dependency_is_helms_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("app");
    copy_dir(&fixture("mono/app"), &dir);
    let chart = load_path(&dir).unwrap();
    assert_eq!(missing_dependencies(&chart), ["common"]);
    let err = load(&dir).unwrap_err();
    assert_eq!(
        err.message,
        "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: common"
    );
}

#[test]
fn v1_chart_with_requirements() {
    let mut chart = load(&fixture("v1chart")).unwrap();
    assert_eq!(chart.metadata.api_version, "v1");
    assert_eq!(chart.metadata.dependencies.len(), 1);
    assert!(chart.files.iter().any(|f| f.name == "requirements.yaml"));
    process_dependencies(&mut chart, &vals::new_map(), HelmCompat::V3).unwrap();
    assert!(
        chart.dependencies.is_empty(),
        "dep.enabled=false disables it"
    );
    let mut chart = load(&fixture("v1chart")).unwrap();
    let user = vals::new_map();
    vals::set(&user, "dep", Value::map(Default::default()));
    if let Some(dep) = vals::get(&user, "dep") {
        vals::set(&dep, "enabled", Value::Bool(true));
    }
    process_dependencies(&mut chart, &user, HelmCompat::V3).unwrap();
    assert_eq!(chart.dependencies.len(), 1);
}

#[test]
fn validation_errors() {
    let err = load(&fixture("badtype")).unwrap_err();
    assert_eq!(
        err.message,
        "validation: chart.metadata.type must be application or library"
    );
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("values.yaml"), "a: 1\n").unwrap();
    assert_eq!(
        load(tmp.path()).unwrap_err().message,
        "Chart.yaml file is missing"
    );
    std::fs::write(tmp.path().join("Chart.yaml"), "name: x\nversion: 1.0\n").unwrap();
    let err = load(tmp.path()).unwrap_err();
    assert!(
        err.message.starts_with("cannot load Chart.yaml: "),
        "{}",
        err.message
    );
    std::fs::write(
        tmp.path().join("Chart.yaml"),
        "name: x\nversion: notsemver\n",
    )
    .unwrap();
    assert_eq!(
        load(tmp.path()).unwrap_err().message,
        "validation: chart.metadata.version \"notsemver\" is invalid"
    );
}

#[test]
fn helm4_drops_default_nulls() {
    // Without dependency processing `first` is a plain table of the parent's defaults.
    let chart = load_path(&fixture("parent")).unwrap();
    let user = vals::new_map();
    let v3 = coalesce_values(&chart, &user, HelmCompat::V3).unwrap();
    let v4 = coalesce_values(&chart, &user, HelmCompat::V4).unwrap();
    // Helm 3 copies the default `first.dropped: null`, Helm 4.2 leaves it out.
    assert!(matches!(at(&v3, "first.dropped"), Some(Value::Nil)));
    assert!(at(&v4, "first.dropped").is_none());
    // A user null still deletes a default in both.
    let user = vals::new_map();
    let first = vals::new_map();
    vals::set(&first, "greeting", Value::Nil);
    vals::set(&user, "first", first);
    for compat in [HelmCompat::V3, HelmCompat::V4] {
        let v = coalesce_values(&chart, &user, compat).unwrap();
        assert!(at(&v, "first.greeting").is_none(), "{compat:?}");
    }
}

#[test]
fn values_flags_in_helms_order() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.yaml");
    let b = tmp.path().join("b.yaml");
    let text = tmp.path().join("cert.pem");
    std::fs::write(&a, "x:\n  keep: 1\n  over: a\nlist: [1, 2]\n").unwrap();
    std::fs::write(&b, "x:\n  over: b\n  gone: null\nlist: [3]\n").unwrap();
    std::fs::write(&text, "PEM\n").unwrap();
    let opts = kspm_helm_chart::ValuesOptions {
        value_files: vec![a, b],
        json_values: vec![r#"j={"k":[1,2]}"#.into()],
        values: vec!["x.over=set,n=10,t=true".into()],
        string_values: vec!["s=10".into()],
        file_values: vec![format!("f={}", text.display())],
        literal_values: vec!["lit=a,b=c".into()],
    };
    let v = opts.merge_values().unwrap();
    assert_eq!(s(at(&v, "x.keep")), "1");
    assert_eq!(s(at(&v, "x.over")), "set");
    assert!(
        matches!(at(&v, "x.gone"), Some(Value::Nil)),
        "nulls are kept for coalescing"
    );
    assert_eq!(s(at(&v, "list")), "[3]");
    assert_eq!(s(at(&v, "j.k")), "[1 2]");
    assert_eq!(
        at(&v, "n").map(|n| n.type_name()),
        Some("int64".to_string())
    );
    assert_eq!(
        at(&v, "s").map(|n| n.type_name()),
        Some("string".to_string())
    );
    assert_eq!(s(at(&v, "t")), "true");
    assert_eq!(s(at(&v, "f")), "PEM\n");
    assert_eq!(s(at(&v, "lit")), "a,b=c");
    let bad = kspm_helm_chart::ValuesOptions {
        values: vec!["a".into()],
        ..Default::default()
    };
    assert_eq!(
        bad.merge_values().unwrap_err().message,
        "failed parsing --set data: key \"a\" has no value"
    );
    let missing = kspm_helm_chart::ValuesOptions {
        value_files: vec![PathBuf::from("/nonexistent/v.yaml")],
        ..Default::default()
    };
    assert_eq!(
        missing.merge_values().unwrap_err().message,
        "open /nonexistent/v.yaml: no such file or directory"
    );
}

#[test]
fn user_null_without_default() {
    // A user null for a key the defaults lack: Helm 3 drops it, Helm 4.2 keeps the null.
    let chart = load_path(&fixture("parent")).unwrap();
    let user = kspm_godata::yaml::unmarshal_map("fromFirst:\n  nothere: null\n").unwrap();
    let v3 = coalesce_values(&chart, &user, HelmCompat::V3).unwrap();
    let v4 = coalesce_values(&chart, &user, HelmCompat::V4).unwrap();
    assert!(at(&v3, "fromFirst.nothere").is_none());
    assert!(matches!(at(&v4, "fromFirst.nothere"), Some(Value::Nil)));
    assert_eq!(s(at(&v3, "fromFirst.own")), "parent-wins");
}

#[test]
fn path_errors() {
    let err = load(Path::new("/nonexistent/chart")).unwrap_err();
    assert_eq!(err.message, "path \"/nonexistent/chart\" not found");
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("chart.tgz");
    std::fs::write(&f, "not an archive\n").unwrap();
    assert_eq!(
        load(&f).unwrap_err().message,
        format!(
            "file '{}' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'",
            f.display()
        )
    );
    // A packaged chart loads from its archive.
    std::fs::write(
        &f,
        tgz(
            "mini",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: mini\nversion: 0.1.0\n"),
                ("templates/a.yaml", "a: 1\n"),
            ],
        ),
    )
    .unwrap();
    let chart = load(&f).unwrap();
    assert_eq!(chart.name(), "mini");
    assert!(matches!(chart.origin, Origin::Archive(_)));
}

#[test]
fn chart_yaml_type_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |text: &str| std::fs::write(tmp.path().join("Chart.yaml"), text).unwrap();
    write(
        "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n  - name: d\n    version: 1.0\n",
    );
    assert_eq!(
        load(tmp.path()).unwrap_err().message,
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field Dependency.dependencies.version of type string"
    );
    write("apiVersion: v2\nname: x\nversion: 1.0.0\nappVersion: 1.10\n");
    assert_eq!(
        load(tmp.path()).unwrap_err().message,
        "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go struct field Metadata.appVersion of type string"
    );
    write("apiVersion: v2\nname: x\nversion: 1.0.0\nmaintainers:\n  - name: a\n  - email: b\n");
    assert_eq!(
        load(tmp.path()).unwrap_err().message,
        "validation: maintainers must have a name"
    );
}

#[test]
fn chart_and_files_encode_as_helm() {
    let chart = load_path(&fixture("parent")).unwrap();
    let v = kspm_helm_chart::chart_value(&chart, true);
    let json = kspm_godata::json::marshal(&v).unwrap();
    assert!(
        json.starts_with(
            r#"{"IsRoot":true,"annotations":{"team":"core"},"apiVersion":"v2","appVersion":"4.5","#
        ),
        "{json}"
    );
    let files = Value::Object(std::rc::Rc::new(
        Files::new(&chart).glob("files/captain.txt"),
    ));
    assert_eq!(
        kspm_godata::json::marshal(&files).unwrap(),
        r#"{"files/captain.txt":"VGhlIENhcHRhaW4K"}"#
    );
}

#[test]
fn chart_object_per_helm_version() {
    let chart = load_path(&fixture("parent")).unwrap();
    let run = |dot: Value, text: &str| {
        let mut t = kspm_gotmpl::Template::new("gotpl");
        t.parse("t", text)
            .and_then(|_| t.execute("t", dot))
            .map_err(|e| e.to_string())
    };
    let wrap = |c: Value| {
        let mut m = std::collections::BTreeMap::new();
        m.insert("Chart".to_string(), c);
        Value::map(m)
    };
    let text = "{{ .Chart.Name }} {{ .Chart.AppVersion }} {{ .Chart.IsRoot }} {{ .Chart.Annotations.team }} {{ (index .Chart.Maintainers 0).Name }}";
    let v3 = wrap(kspm_helm_chart::chart_value_for(
        &chart,
        true,
        HelmCompat::V3,
    ));
    let v4 = wrap(kspm_helm_chart::chart_value_for(
        &chart,
        true,
        HelmCompat::V4,
    ));
    assert_eq!(
        run(v3.clone(), text).unwrap(),
        "parent 4.5 true core someone"
    );
    assert_eq!(
        run(v4.clone(), text).unwrap(),
        "parent 4.5 true core someone"
    );
    // Helm 3's struct has no such field; Helm 4's map has no such key.
    assert!(run(v3, "{{ .Chart.Nope }}").is_err());
    assert_eq!(run(v4, "{{ .Chart.Nope }}").unwrap(), "<no value>");
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_walked_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    std::fs::create_dir_all(dir.join("files")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("files/a.txt"), "a").unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("files/loop")).unwrap();
    let chart = load(&dir).unwrap();
    assert_eq!(names(&chart.files), ["files/a.txt"]);
}

#[test]
fn range_over_files_glob() {
    let chart = load_path(&fixture("parent")).unwrap();
    let mut dot = std::collections::BTreeMap::new();
    dot.insert(
        "Files".to_string(),
        Value::Object(std::rc::Rc::new(Files::new(&chart))),
    );
    let mut t = kspm_gotmpl::Template::new("gotpl");
    let text = r#"{{ range $path, $bytes := .Files.Glob "files/*" }}{{ $path }}={{ len $bytes }};{{ end }}{{ index .Files "files/lines.txt" | printf "%s" }}"#;
    let out = t
        .parse("t", text)
        .and_then(|_| t.execute("t", Value::map(dot)))
        .unwrap();
    assert_eq!(
        out,
        "files/captain.txt=12;files/lines.txt=12;line1\nline2\n"
    );
}
