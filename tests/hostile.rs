//! Hostile input: every case ends with exit 0, 1 or 2, without a panic or a hang, within a
//! memory cap; broken input gives an error at its location while the rest is linted.
//! Inputs are generated in temporary folders at test time (nothing large is committed).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A hang detector, not a speed check: far above any case's real time.
const WATCHDOG: Duration = Duration::from_secs(180);
/// The address-space cap every run gets (`prlimit --as`): a run that tried to hold a 1 GB
/// file or expand an alias bomb would die instead of passing.
const MEMORY_CAP: u64 = 1 << 30;

/// A Deployment with one certain finding (privileged-container) on line 12 of itself.
const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          securityContext:
            privileged: true
";

struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

impl Run {
    fn errors(&self) -> &[Value] {
        self.json["errors"].as_array().map_or(&[], Vec::as_slice)
    }

    fn notes(&self) -> Vec<&str> {
        self.json["notes"]
            .as_array()
            .map(|n| n.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// `(path, line)` of every privileged-container finding.
    fn privileged(&self) -> Vec<(String, u64)> {
        self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "privileged-container")
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    /// The one error whose message contains `needle`, with its line and column.
    fn error(&self, needle: &str) -> (String, u64, u64) {
        let hits: Vec<&Value> = self
            .errors()
            .iter()
            .filter(|e| e["message"].as_str().unwrap().contains(needle))
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "one error with {needle:?} in {:#?}",
            self.errors()
        );
        let e = hits[0];
        (
            e["path"].as_str().unwrap().to_string(),
            e["line"].as_u64().unwrap(),
            e["column"].as_u64().unwrap(),
        )
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .find(|l| l.starts_with("Uid:"))
            .and_then(|l| l.split_whitespace().nth(2))
            == Some("0")
    })
}

/// Run `kspm lint --format json ARGS` in `dir` under the memory cap and the watchdog,
/// feeding `stdin`; `wrap` goes before the binary (e.g. `setpriv ...`).
fn kspm_in(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>, wrap: &[&str]) -> Run {
    let mut full = vec!["--format", "json"];
    full.extend_from_slice(args);
    let (code, stdout, stderr) = lint_capped(dir, &full, stdin, wrap);
    let json = serde_json::from_slice(&stdout).unwrap_or_else(|e| {
        panic!(
            "kspm {args:?}: not JSON ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&stdout)
        )
    });
    Run { code, json, stderr }
}

/// Run `kspm lint ARGS` the same way: exit status (checked: 0, 1 or 2, no panic), stdout
/// and stderr.
fn lint_capped(
    dir: &Path,
    args: &[&str],
    stdin: Option<Vec<u8>>,
    wrap: &[&str],
) -> (i32, Vec<u8>, String) {
    let cap = format!("--as={MEMORY_CAP}");
    let mut cmd = Command::new("prlimit");
    cmd.arg(&cap)
        .arg("--")
        .args(wrap)
        .arg(env!("CARGO_BIN_EXE_kspm"))
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .expect("run kspm under prlimit (util-linux) for the memory cap");
    if let Some(data) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // A refused stream may close the pipe early: a broken pipe is expected then.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&data);
        });
    }
    let started = Instant::now();
    let out_pipe = child.stdout.take().unwrap();
    let err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || read_all(out_pipe));
    let err = std::thread::spawn(move || read_all(err_pipe));
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("kspm {args:?} did not finish within {WATCHDOG:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = out.join().unwrap();
    let stderr = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    let code = status
        .code()
        .unwrap_or_else(|| panic!("kspm {args:?} was killed ({status}): {stderr}"));
    assert!(
        (0..=2).contains(&code),
        "kspm {args:?} exited {code}: {stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "kspm {args:?} panicked: {stderr}"
    );
    (code, stdout, stderr)
}

fn read_all(mut r: impl std::io::Read) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = r.read_to_end(&mut buf);
    buf
}

fn kspm(dir: &Path, args: &[&str]) -> Run {
    kspm_in(dir, args, None, &[])
}

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, data).unwrap();
    p
}

/// `text` followed by a document separator and the Deployment, whose finding must survive.
fn then_deployment(text: &str) -> String {
    format!("{}\n---\n{DEPLOYMENT}", text.trim_end_matches('\n'))
}

/// The line the Deployment's privileged field lands on after `text` and `---`.
fn deployment_line(text: &str) -> u64 {
    (text.lines().count() + 1 + 12) as u64
}

#[test]
fn alias_bomb_is_refused_at_its_alias_and_the_rest_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10u8 {
        let (n, p) = ((b'a' + i) as char, (b'a' + i - 1) as char);
        bomb.push_str(&format!(
            "{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    // A bomb inside a real object too: the object is refused, not half-linted.
    let in_object = format!("{DEPLOYMENT}      volumes: &v [{}]\n", "*v, ".repeat(3));
    write(dir.path(), "bomb.yaml", then_deployment(&bomb));
    write(dir.path(), "recursive.yaml", then_deployment(&in_object));
    let run = kspm(dir.path(), &["--pack", "all", "."]);
    assert_eq!(run.code, 2);
    let (path, line, column) = run.error("alias expansion exceeds budget");
    assert_eq!(path, "bomb.yaml");
    // The first alias that crosses the budget: line 6 holds the 10^5-node level.
    assert_eq!((line, column), (6, 8), "{:#?}", run.errors());
    let (path, line, _) = run.error("recursive alias");
    assert_eq!((path.as_str(), line), ("recursive.yaml", 13));
    assert_eq!(
        run.privileged(),
        [
            ("bomb.yaml".to_string(), deployment_line(&bomb)),
            ("recursive.yaml".to_string(), deployment_line(&in_object)),
        ]
    );
}

#[test]
fn nesting_200k_deep_is_refused_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    let n = 200_000;
    let cases = [
        (
            "flow-seq.yaml",
            format!("a: {}{}", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "flow-map.yaml",
            format!("a: {}1{}", "{a: ".repeat(n), "}".repeat(n)),
        ),
        ("block-seq.yaml", format!("{}x", "- ".repeat(n))),
        ("json.json", format!("{}{}", "[".repeat(n), "]".repeat(n))),
    ];
    for (name, text) in &cases {
        write(dir.path(), name, then_deployment(text));
    }
    let run = kspm(dir.path(), &["--pack", "all", "."]);
    assert_eq!(run.code, 2);
    let errors: Vec<(String, u64)> = run
        .errors()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut names: Vec<&str> = cases.iter().map(|c| c.0).collect();
    names.sort();
    assert_eq!(
        errors,
        names.iter().map(|n| (n.to_string(), 1)).collect::<Vec<_>>(),
        "{:#?}",
        run.errors()
    );
    for e in run.errors() {
        let column = e["column"].as_u64().unwrap();
        assert!(
            column > 100 && column < 2000,
            "the error sits where the depth runs out: {e}"
        );
    }
    assert_eq!(run.privileged().len(), cases.len());
    assert!(run.privileged().iter().all(|(_, line)| *line == 14));
}

#[test]
fn a_50_mb_scalar_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ";
    let mut text = String::with_capacity(50_000_100);
    text.push_str(head);
    text.extend(std::iter::repeat_n("abcdefghij", 5_000_000));
    write(dir.path(), "big.yaml", then_deployment(&text));
    let run = kspm(dir.path(), &["--pack", "all", "big.yaml"]);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert_eq!(run.json["summary"]["objects"], 2);
    assert_eq!(run.privileged(), [("big.yaml".to_string(), 19)]);
}

#[test]
fn a_1_gb_file_is_refused_by_the_size_limit_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse: takes no disk and no time to write; kspm must not read it.
    let f = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    f.set_len(1 << 30).unwrap();
    write(dir.path(), "ok.yaml", DEPLOYMENT);
    let run = kspm(dir.path(), &["."]);
    assert_eq!(run.code, 2);
    let (path, line, _) = run.error("over the 256 MiB limit (--max-file-size)");
    assert_eq!((path.as_str(), line), ("huge.yaml", 0));
    assert!(
        run.errors()[0]["message"]
            .as_str()
            .unwrap()
            .contains("the file is 1 GiB")
    );
    assert_eq!(run.privileged(), [("ok.yaml".to_string(), 12)]);

    // The limit is a flag, for files and streams alike.
    let run = kspm(dir.path(), &["--max-file-size", "100", "ok.yaml"]);
    assert_eq!(run.code, 2);
    run.error("the file is 204 bytes, over the 100 bytes limit");
    let run = kspm_in(
        dir.path(),
        &["--max-file-size", "1K", "-"],
        Some(DEPLOYMENT.repeat(200).into_bytes()),
        &[],
    );
    assert_eq!(run.code, 2);
    let (path, _, _) = run.error("longer than the 1 KiB limit");
    assert_eq!(path, "<stdin>");
    let run = kspm_in(
        dir.path(),
        &["--max-file-size", "0", "-"],
        Some(DEPLOYMENT.into()),
        &[],
    );
    assert_eq!(run.privileged(), [("<stdin>".to_string(), 12)]);
}

#[test]
fn binary_files_are_refused_at_their_first_nul_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((0..4096u32).map(|i| (i * 7919 % 251) as u8));
    write(dir.path(), "image.yaml", &png);
    write(dir.path(), "ok.yaml", DEPLOYMENT);
    let run = kspm(dir.path(), &["."]);
    assert_eq!(run.code, 2);
    let (path, line, column) = run.error("a binary file, not YAML");
    let nul = png.iter().position(|&b| b == 0).unwrap();
    assert_eq!(path, "image.yaml");
    let nl = png[..nul].iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(line, nl + 1);
    assert!(column >= 1);
    assert_eq!(run.privileged(), [("ok.yaml".to_string(), 12)]);
}

#[test]
fn invalid_utf8_is_located_and_the_file_is_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"# caf\xe9 (Latin-1)\n".to_vec();
    bytes.extend_from_slice(DEPLOYMENT.as_bytes());
    bytes.extend_from_slice(b"# \xff\xfe\n");
    write(dir.path(), "latin1.yaml", &bytes);
    let run = kspm(dir.path(), &["latin1.yaml"]);
    assert_eq!(run.code, 2);
    let (_, line, column) = run.error("not valid UTF-8: 3 invalid byte sequences");
    assert_eq!((line, column), (1, 6));
    assert_eq!(run.privileged(), [("latin1.yaml".to_string(), 13)]);
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let mut le = vec![0xFF, 0xFE];
    le.extend(DEPLOYMENT.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "utf16.yaml", &le);
    let run = kspm(dir.path(), &["utf16.yaml"]);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert_eq!(run.privileged(), [("utf16.yaml".to_string(), 12)]);
}

#[test]
fn a_nul_byte_fails_its_document_only() {
    let dir = tempfile::tempdir().unwrap();
    // Past the binary probe (8 KiB), inside the second of three documents.
    let pad = format!("# {}\n", "x".repeat(100)).repeat(90);
    let text =
        format!("{pad}{DEPLOYMENT}---\nkind: ConfigMap\ndata:\n  k: \"a\0b\"\n---\n{DEPLOYMENT}");
    write(dir.path(), "nul.yaml", &text);
    let run = kspm(dir.path(), &["nul.yaml"]);
    assert_eq!(run.code, 2);
    let pad_lines = pad.lines().count() as u64;
    let (_, line, column) = run.error("a NUL byte: YAML does not allow control characters");
    assert_eq!((line, column), (pad_lines + 16, 8));
    assert_eq!(
        run.privileged(),
        [
            ("nul.yaml".to_string(), pad_lines + 12),
            ("nul.yaml".to_string(), pad_lines + 29),
        ]
    );
}

/// `(rule, line, column, end_line, end_column)` of every finding in `path`, sorted.
fn positions(run: &Run, path: &str) -> Vec<(String, u64, u64, u64, u64)> {
    let mut v: Vec<_> = run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| {
            let n = |k: &str| f[k].as_u64().unwrap();
            (
                f["rule"].as_str().unwrap().to_string(),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn bom_crlf_and_tabs() {
    let dir = tempfile::tempdir().unwrap();
    // Columns count characters, and neither a BOM nor a CR is one: every variant's findings
    // sit exactly where the plain file's do.
    let crlf = DEPLOYMENT.replace('\n', "\r\n");
    let variants = [
        ("plain.yaml", DEPLOYMENT.to_string()),
        ("bom.yaml", format!("\u{feff}{DEPLOYMENT}")),
        ("crlf.yaml", crlf.clone()),
        ("bom-crlf.yaml", format!("\u{feff}{crlf}")),
        // A tab after a colon is accepted by the API server (and here).
        (
            "tab-after-colon.yaml",
            DEPLOYMENT.replace("name: web", "name:\tweb"),
        ),
    ];
    for (name, text) in &variants {
        write(dir.path(), name, text);
    }
    // A tab indent is not: an error at the tab, and the next document is linted.
    let tab_indent = then_deployment(&DEPLOYMENT.replace("    spec:", "\tspec:"));
    write(dir.path(), "tab-indent.yaml", &tab_indent);
    // One argument each: each is its own lint context, so context rules report in each.
    let mut args = vec!["--pack", "all", "tab-indent.yaml"];
    args.extend(variants.iter().map(|v| v.0));
    let run = kspm(dir.path(), &args);
    assert_eq!(run.code, 2);
    let (path, line, column) = run.error("tab");
    assert_eq!((path.as_str(), line, column), ("tab-indent.yaml", 7, 1));
    let plain = positions(&run, "plain.yaml");
    assert!(plain.len() > 5);
    for (name, _) in &variants[1..] {
        assert_eq!(positions(&run, name), plain, "{name}");
    }
    assert!(
        run.privileged()
            .contains(&("tab-indent.yaml".to_string(), 25))
    );
}

#[test]
fn duplicate_keys_are_reported_and_the_last_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{DEPLOYMENT}            privileged: false\n");
    write(dir.path(), "dup.yaml", &text);
    let run = kspm(dir.path(), &["--pack", "all", "dup.yaml"]);
    assert!(run.errors().is_empty());
    assert!(
        run.privileged().is_empty(),
        "the API server keeps the last value"
    );
    let dup: Vec<&Value> = run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "duplicate-key")
        .collect();
    assert_eq!(dup.len(), 1, "{dup:#?}");
    assert_eq!(dup[0]["line"], 13);
    assert_eq!(
        dup[0]["yaml_path"],
        "spec.template.spec.containers[0].securityContext.privileged"
    );
}

#[test]
fn empty_and_marker_only_documents() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("empty.yaml", ""),
        ("blank.yaml", "\n\n  \n"),
        ("comment.yaml", "# nothing\n"),
        ("marker.yaml", "---"),
        ("marker-nl.yaml", "---\n"),
        ("markers.yaml", "---\n---\n...\n---\n...\n"),
        ("end-only.yaml", "...\n"),
        ("null.yaml", "~\n"),
        ("empty.json", ""),
    ] {
        write(dir.path(), name, text);
    }
    let run = kspm(dir.path(), &["--pack", "all", "."]);
    assert_eq!(run.code, 0, "{:#?}", run.json);
    assert!(run.errors().is_empty());
    assert_eq!(run.json["summary"]["objects"], 0);
    assert_eq!(run.json["summary"]["files"], 9);
}

#[test]
fn non_mapping_roots_and_wrong_types_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let roots = "hello\n---\n- a\n- b\n---\n[]\n---\n42\n---\n!!null\n---\n\"quoted\"\n";
    let wrong = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector: "x"
  template:
    metadata: []
    spec:
      securityContext: []
      containers: "x"
      initContainers: {a: 1}
      volumes: 3
---
apiVersion: v1
kind: Pod
metadata: []
spec:
  hostNetwork: "yes"
  containers:
    - "x"
    - [1, 2]
    - name: [a]
      image: {repo: x}
      securityContext: []
      ports: "x"
      env: {a: 1}
      resources: 3
      volumeMounts: [1]
    - name: b
      securityContext:
        capabilities: "ALL"
        privileged: "true"
        runAsUser: root
        seccompProfile: []
---
apiVersion: v1
kind: Pod
metadata: {name: [1], namespace: {a: 1}, labels: [x], annotations: "x"}
spec: "x"
---
apiVersion: [1]
kind: {a: 1}
metadata: 3
---
kind: List
items: "x"
---
kind: List
items: [1, "x", [], {kind: 3}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
rules: "x"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
rules: [3, {verbs: "*", resources: 1, apiGroups: {a: 1}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
spec: {podSelector: [], ingress: "x", egress: [3]}
---
apiVersion: v1
kind: Service
spec: {selector: [1], ports: "x", type: []}
"#;
    write(dir.path(), "roots.yaml", then_deployment(roots));
    write(dir.path(), "wrong.yaml", then_deployment(wrong));
    let run = kspm(dir.path(), &["--pack", "all", "."]);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert!(run.code == 1, "{}", run.stderr);
    let privileged = run.privileged();
    assert!(privileged.contains(&("roots.yaml".to_string(), deployment_line(roots))));
    assert!(privileged.contains(&("wrong.yaml".to_string(), deployment_line(wrong))));
    // Every finding is positioned inside its file.
    for f in run.json["findings"].as_array().unwrap() {
        let text = std::fs::read_to_string(dir.path().join(f["path"].as_str().unwrap())).unwrap();
        let line = f["line"].as_u64().unwrap() as usize;
        assert!(line >= 1 && line <= text.lines().count(), "{f}");
    }
}

#[test]
fn the_yaml_1_1_value_tag_scalar_does_not_drop_the_stream() {
    // `=` is YAML 1.1's value key; a Python loader without the constructor fails on it and
    // Checkov drops the whole stream. Here it is a string, and every document is linted.
    let dir = tempfile::tempdir().unwrap();
    let env = DEPLOYMENT.replace(
        "          image: nginx\n",
        "          image: nginx\n          env: [{name: OP, value: =}]\n",
    );
    let text = format!("=\n---\na: =\n---\n= : x\n---\n{env}---\n{DEPLOYMENT}");
    write(dir.path(), "equals.yaml", &text);
    let run = kspm(dir.path(), &["--pack", "all", "equals.yaml"]);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert_eq!(run.json["summary"]["documents"], 5);
    assert_eq!(run.json["summary"]["objects"], 2);
    assert_eq!(run.privileged().len(), 2);
}

#[test]
fn explicit_tags() {
    let dir = tempfile::tempdir().unwrap();
    let tagged = DEPLOYMENT
        .replace("privileged: true", "privileged: !!bool true")
        .replace(
            "name: web",
            "name: !!str web\n  annotations: {a: !Ref x, b: !!binary aGk=, c: !custom {x: 1}}",
        )
        .replace(
            "image: nginx",
            "image: !!str nginx\n          args: !!seq [a]\n          ports: !!set {? 80}",
        );
    let bad = "kind: ConfigMap\ndata:\n  f: !!float x\n";
    write(
        dir.path(),
        "tags.yaml",
        format!("{tagged}---\n{bad}---\n{DEPLOYMENT}"),
    );
    let run = kspm(dir.path(), &["--pack", "all", "tags.yaml"]);
    assert_eq!(run.code, 2);
    let (_, line, column) = run.error("as a !!float");
    let bad_at = tagged.lines().count() as u64 + 4;
    assert_eq!((line, column), (bad_at, 6));
    let privileged = run.privileged();
    let line = tagged
        .lines()
        .position(|l| l.contains("privileged"))
        .unwrap() as u64
        + 1;
    let last = bad_at + 13;
    assert_eq!(
        privileged,
        [
            ("tags.yaml".to_string(), line),
            ("tags.yaml".to_string(), last)
        ]
    );
}

#[test]
fn directives_and_document_end_markers() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "%YAML 1.1\n%TAG !k! tag:kubernetes.io,2024:\n---\n{DEPLOYMENT}...\n%YAML 1.2\n---\n{DEPLOYMENT}...\n# trailing\n"
    );
    write(dir.path(), "directives.yaml", &text);
    let run = kspm(dir.path(), &["directives.yaml"]);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert_eq!(
        run.privileged(),
        [
            ("directives.yaml".to_string(), 15),
            ("directives.yaml".to_string(), 30)
        ]
    );
}

#[test]
fn symlink_loops_and_links_out_of_the_root() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    write(&root, "a/ok.yaml", DEPLOYMENT);
    write(tmp.path(), "outside/secret.yaml", DEPLOYMENT);
    symlink("..", root.join("a/loop")).unwrap();
    symlink("../../outside", root.join("a/out")).unwrap();
    symlink("../../outside/secret.yaml", root.join("a/out.yaml")).unwrap();
    symlink("/", root.join("a/slash")).unwrap();
    symlink("ok.yaml", root.join("a/inside.yaml")).unwrap();
    symlink("self-loop", root.join("a/self-loop")).unwrap();
    symlink("missing", root.join("a/dangling")).unwrap();
    let run = kspm(tmp.path(), &["root"]);
    // Nothing is lost: the loop's target is walked anyway; links out are never followed.
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.privileged(),
        [
            ("root/a/inside.yaml".to_string(), 12),
            ("root/a/ok.yaml".to_string(), 12)
        ]
    );
    let notes = run.notes().join("\n");
    for needle in [
        "root/a/loop: a symbolic link to its ancestor",
        "root/a/out: a symbolic link out of root: not followed",
        "root/a/out.yaml: a symbolic link out of root: not followed",
        "root/a/slash: a symbolic link to its ancestor /: not followed (a loop)",
        "root/a/self-loop: skipped, cannot read",
        "root/a/dangling: skipped, cannot read",
    ] {
        assert!(notes.contains(needle), "{needle:?} not in notes:\n{notes}");
    }
    // A manifest that cannot be read is an error at its path.
    symlink("missing.yaml", root.join("a/dangling.yaml")).unwrap();
    let run = kspm(tmp.path(), &["root"]);
    assert_eq!(run.code, 2);
    let (path, _, _) = run.error("a symbolic link whose target cannot be read");
    assert_eq!(path, "root/a/dangling.yaml");
}

#[test]
fn fifos_and_devices() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.yaml", DEPLOYMENT);
    let fifo = dir.path().join("pipe.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // In a walk a FIFO is never opened (it would block): a note says so.
    let run = kspm(dir.path(), &["."]);
    assert_eq!(run.code, 1);
    assert_eq!(run.privileged(), [("ok.yaml".to_string(), 12)]);
    assert!(
        run.notes()
            .iter()
            .any(|n| n.starts_with("pipe.yaml: not a regular file"))
    );
    // Named on the command line it is read as a stream (`kspm lint <(helm template .)`).
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, DEPLOYMENT).unwrap())
    };
    let run = kspm(dir.path(), &["pipe.yaml"]);
    writer.join().unwrap();
    assert_eq!(run.privileged(), [("pipe.yaml".to_string(), 12)]);
    // Devices: empty, endless text (refused at the limit), endless noise (binary).
    let run = kspm(dir.path(), &["/dev/null"]);
    assert_eq!((run.code, run.errors().len()), (0, 0));
    let run = kspm(dir.path(), &["--max-file-size", "1M", "/dev/zero"]);
    assert_eq!(run.code, 2);
    run.error("longer than the 1 MiB limit");
    let run = kspm(dir.path(), &["/dev/urandom"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.errors().len(), 1, "{:#?}", run.errors());
    assert!(
        run.errors()[0]["message"]
            .as_str()
            .unwrap()
            .contains("binary")
    );
}

#[test]
fn unreadable_files_and_folders_are_errors_at_their_paths() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.yaml", DEPLOYMENT);
    let file = write(dir.path(), "locked.yaml", DEPLOYMENT);
    let folder = dir.path().join("locked");
    write(&folder, "inner.yaml", DEPLOYMENT);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: drop the capabilities that let it (CI runs as root).
    let wrap: &[&str] = if is_root() {
        &[
            "setpriv",
            "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search",
            "--",
        ]
    } else {
        &[]
    };
    let run = kspm_in(dir.path(), &["."], None, wrap);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code, 2);
    let mut paths: Vec<&str> = run
        .errors()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["locked", "locked.yaml"], "{:#?}", run.errors());
    for e in run.errors() {
        assert!(
            e["message"].as_str().unwrap().contains("Permission denied"),
            "{e}"
        );
    }
    assert_eq!(run.privileged(), [("ok.yaml".to_string(), 12)]);
}

#[test]
fn files_that_vanish_or_change_between_the_walk_and_the_read() {
    use kspm::discover::{discover, read_sources};
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "gone.yaml",
        "now-a-folder.yaml",
        "grown.yaml",
        "emptied.yaml",
        "ok.yaml",
    ] {
        write(dir.path(), name, DEPLOYMENT);
    }
    // An absolute argument outside the working directory stays absolute.
    let arg = dir.path().to_string_lossy().into_owned();
    let found = discover(std::slice::from_ref(&arg), Path::new("/nonexistent"));
    assert_eq!(found.inputs.len(), 5);
    std::fs::remove_file(dir.path().join("gone.yaml")).unwrap();
    std::fs::remove_file(dir.path().join("now-a-folder.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("now-a-folder.yaml")).unwrap();
    write(dir.path(), "grown.yaml", DEPLOYMENT.repeat(50));
    write(dir.path(), "emptied.yaml", "");
    let read = read_sources(&found.inputs, &Default::default());
    let name = |p: &str| p.rsplit('/').next().unwrap_or_default().to_string();
    let mut errors: Vec<(String, &str)> = read
        .errors
        .iter()
        .map(|e| (name(&e.path), e.message.as_str()))
        .collect();
    errors.sort();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, "gone.yaml");
    assert!(errors[0].1.contains("No such file"), "{errors:?}");
    assert_eq!(
        errors[1],
        (
            "now-a-folder.yaml".to_string(),
            "cannot read: it is now a folder"
        )
    );
    let mut read_names: Vec<String> = read.sources.iter().map(|s| name(&s.source.path)).collect();
    read_names.sort();
    assert_eq!(read_names, ["emptied.yaml", "grown.yaml", "ok.yaml"]);
}

#[test]
fn paths_with_spaces_and_non_utf8_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "with space/a b.yaml", DEPLOYMENT);
    let raw = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(dir.path().join("with space").join(raw), DEPLOYMENT).unwrap();
    let run = kspm(dir.path(), &["with space"]);
    assert_eq!(run.code, 1);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert_eq!(
        run.privileged(),
        [
            ("with space/a b.yaml".to_string(), 12),
            ("with space/caf\u{fffd}.yaml".to_string(), 12),
        ]
    );
    let run = kspm(dir.path(), &["with space/a b.yaml"]);
    assert_eq!(run.privileged(), [("with space/a b.yaml".to_string(), 12)]);
}

#[test]
fn minified_json_past_column_65535_in_every_format() {
    // `kubectl get -o json | jq -c`: one line, findings far to the right. The human report
    // shows a window of the line (miette cannot pad past column 65535, and printing the
    // whole line per finding is quadratic).
    let dir = tempfile::tempdir().unwrap();
    let item = |i: usize| {
        format!(
            r#"{{"apiVersion":"apps/v1","kind":"Deployment","metadata":{{"name":"w{i}"}},"spec":{{"template":{{"spec":{{"containers":[{{"name":"a","image":"nginx","securityContext":{{"privileged":true}}}}]}}}}}}}}"#
        )
    };
    let items: Vec<String> = (0..500).map(item).collect();
    let text = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        items.join(",")
    );
    assert!(text.len() > 90_000);
    write(dir.path(), "min.json", &text);
    let run = kspm(dir.path(), &["--rule", "privileged-container", "min.json"]);
    let f = run.json["findings"].as_array().unwrap();
    assert_eq!(f.len(), 500);
    let last = f
        .iter()
        .map(|f| f["column"].as_u64().unwrap())
        .max()
        .unwrap();
    assert!(last > 65_535, "{last}");
    for format in ["human", "sarif", "github", "gitlab", "junit"] {
        let args = [
            "--rule",
            "privileged-container",
            "--format",
            format,
            "min.json",
        ];
        let (code, out, _) = lint_capped(dir.path(), &args, None, &[]);
        assert_eq!(code, 1, "{format}");
        // Bounded by the findings, not by findings x line length.
        assert!(out.len() < 500 * 3000, "{format}: {} bytes", out.len());
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("privileged"), "{format}");
        if format == "human" {
            assert!(out.contains(&format!("[min.json:1:{last}]")), "{out}");
        }
    }
}

/// Found by fuzzing (the `loader` target's cut check): a `%` line inside a multi-line
/// quoted scalar is content, not a directive, but the engine cut large streams there, so
/// a file over one range (`RANGE_BYTES`) could fail a valid document that loads whole.
#[test]
fn fuzz_regression_percent_line_inside_a_quoted_scalar() {
    use kspm::source::SourceFile;
    use kspm::yaml::load::{load_all, load_range, split_ranges};
    let text = "a: 1\n---\n[\"x\n%y\", 1]\n---\nb: 2\n";
    let src = SourceFile::new("p.yaml", text);
    let whole: Vec<String> = load_all(&src).iter().map(|d| format!("{d:?}")).collect();
    assert!(whole.iter().all(|d| d.starts_with("Ok")), "{whole:#?}");
    for target in [1, 8, 16, 64] {
        let mut cut = Vec::new();
        for r in split_ranges(&src.text, target) {
            load_range(&src, r, |d| cut.push(d));
        }
        let cut: Vec<String> = cut
            .iter()
            .map(|d| match d {
                // Ranges number their documents from 0.
                Ok(d) => format!("{:?}", (&d.root, &d.duplicate_keys)),
                Err(e) => format!("{e:?}"),
            })
            .collect();
        let whole: Vec<String> = load_all(&src)
            .iter()
            .map(|d| match d {
                Ok(d) => format!("{:?}", (&d.root, &d.duplicate_keys)),
                Err(e) => format!("{e:?}"),
            })
            .collect();
        assert_eq!(cut, whole, "cut at {target}");
    }
    // End to end: the engine cuts a stream after a range's worth; put the `%` line at the cut.
    let dir = tempfile::tempdir().unwrap();
    let pad = format!("a: {}\n", "x".repeat(kspm::engine::RANGE_BYTES - 20));
    let text = format!(
        "{pad}---\n[\"{}\n%y\", 1]\n---\n{DEPLOYMENT}",
        "x".repeat(100)
    );
    write(dir.path(), "big.yaml", &text);
    let run = kspm(dir.path(), &["big.yaml"]);
    assert!(run.errors().is_empty(), "{:#?}", run.errors());
    assert_eq!(run.privileged(), [("big.yaml".to_string(), 17)]);
}
