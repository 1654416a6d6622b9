//! Property tests: for generated YAML in many layouts (block and flow, every scalar style,
//! indent widths, comments, CRLF, a BOM, Unicode), the loader rebuilds exactly the tree that
//! was written, every span lies inside the file on character boundaries, a path locates the
//! key that names its field, and every finding of every rule lies inside the file, at the
//! field its `yaml_path` names (or that field's nearest existing parent).

use std::sync::Arc;

use kspm::engine::lint_source;
use kspm::registry;
use kspm::rule::RuleContext;
use kspm::source::SourceFile;
use kspm::yaml::load::load_all;
use kspm::yaml::{Node, Seg, Span, Value, YamlPath, locate};
use proptest::prelude::*;

/// A tree to write out.
#[derive(Clone, Debug)]
enum M {
    Scalar(String),
    Map(Vec<(String, M)>),
    Seq(Vec<M>),
}

/// How to write it.
#[derive(Clone, Debug)]
struct Layout {
    indent: usize,
    /// Block sequences under a key start at the key's column (`key:\n- a`).
    compact_seq: bool,
    crlf: bool,
    bom: bool,
    marker: bool,
    /// Per-node choices, consumed in order (cycled).
    choices: Vec<u8>,
}

struct Writer<'l> {
    layout: &'l Layout,
    out: String,
    next: usize,
}

/// Keys and values: Kubernetes words, Unicode, and texts that need quoting. No YAML 1.1
/// boolean words as keys (`y:` would be the key `"true"`).
const KEYS: &[&str] = &[
    "name",
    "image",
    "securityContext",
    "privileged",
    "runAsUser",
    "labels",
    "app.kubernetes.io/name",
    "héllo",
    "ключ",
    "数据",
    "with space",
    "a-b_c",
    "x1",
    "emoji😀",
    "command",
];
const VALUES: &[&str] = &[
    "nginx",
    "true",
    "false",
    "0755",
    "3",
    "-1",
    "1.5",
    "~",
    "",
    "=",
    "x y",
    "héllo wörld",
    "ünï ✓",
    "a: b",
    "# not a comment",
    "- item",
    "[x]",
    "quote ' and \" both",
    "tab\there",
    "line one\nline two",
    "trailing space ",
    "*alias",
    "&anchor",
    "!tag",
    "%pct",
    "@at",
    "`tick",
    "1:2",
    "yes",
];

fn plain_ok(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '/' | '.'))
        && !s.starts_with(['-', ' ', '.'])
        && !s.ends_with(' ')
        && s.chars().next().is_some_and(|c| !c.is_ascii_digit())
        && ![
            "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
        ]
        .contains(&s.to_ascii_lowercase().as_str())
}

fn double_quoted(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

impl Writer<'_> {
    fn choice(&mut self) -> u8 {
        let c = self.layout.choices[self.next % self.layout.choices.len()];
        self.next += 1;
        c
    }

    fn nl(&mut self) {
        self.out
            .push_str(if self.layout.crlf { "\r\n" } else { "\n" });
    }

    fn pad(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
    }

    fn key(&mut self, k: &str) -> String {
        if plain_ok(k) && !self.choice().is_multiple_of(4) {
            k.to_string()
        } else if self.choice().is_multiple_of(2) && !k.contains(['\'', '\n', '\t']) {
            format!("'{k}'")
        } else {
            double_quoted(k)
        }
    }

    /// A scalar that fits on the current line (flow context or after `key: `).
    fn inline_scalar(&mut self, s: &str, flow: bool) -> String {
        let c = self.choice();
        if plain_ok(s) && !c.is_multiple_of(3) && !(flow && s.contains(['[', ']', '{', '}', ','])) {
            s.to_string()
        } else if c % 3 == 1 && !s.contains(['\'', '\n', '\t']) {
            format!("'{s}'")
        } else {
            double_quoted(s)
        }
    }

    fn comment(&mut self) {
        if self.choice().is_multiple_of(5) {
            self.out.push_str(" # note: ü");
        }
    }

    fn flow(&mut self, m: &M) {
        match m {
            M::Scalar(s) => {
                let t = self.inline_scalar(s, true);
                self.out.push_str(&t);
            }
            M::Map(es) => {
                self.out.push('{');
                for (i, (k, v)) in es.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let k = self.key(k);
                    self.out.push_str(&k);
                    self.out.push_str(": ");
                    self.flow(v);
                }
                self.out.push('}');
            }
            M::Seq(items) => {
                self.out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.flow(v);
                }
                self.out.push(']');
            }
        }
    }

    /// Write the value of a key (the key and `:` are written) at block indentation `ind`.
    fn value_after_key(&mut self, v: &M, ind: usize) {
        let step = self.layout.indent;
        match v {
            M::Scalar(s) if s.contains('\n') && self.choice().is_multiple_of(2) => {
                self.out.push_str(" |-");
                self.comment();
                for line in s.split('\n') {
                    self.nl();
                    self.pad(ind + step);
                    self.out.push_str(line);
                }
                self.nl();
            }
            M::Scalar(s) => {
                self.out.push(' ');
                let t = self.inline_scalar(s, false);
                self.out.push_str(&t);
                self.comment();
                self.nl();
            }
            _ if self.choice().is_multiple_of(4) || is_empty(v) => {
                self.out.push(' ');
                self.flow(v);
                self.comment();
                self.nl();
            }
            M::Map(_) => {
                self.comment();
                self.nl();
                self.block(v, ind + step);
            }
            M::Seq(_) => {
                self.comment();
                self.nl();
                let at = if self.layout.compact_seq {
                    ind
                } else {
                    ind + step
                };
                self.block(v, at);
            }
        }
    }

    /// Write a block collection whose lines start at column `ind`.
    fn block(&mut self, m: &M, ind: usize) {
        match m {
            M::Map(es) => {
                for (k, v) in es {
                    self.pad(ind);
                    let k = self.key(k);
                    self.out.push_str(&k);
                    self.out.push(':');
                    self.value_after_key(v, ind);
                }
            }
            M::Seq(items) => {
                for v in items {
                    self.pad(ind);
                    self.out.push('-');
                    match v {
                        // `- key: v` with the rest of the map under the first key.
                        M::Map(es) if !es.is_empty() && !self.choice().is_multiple_of(3) => {
                            self.out.push(' ');
                            let inner = ind + 2;
                            for (i, (k, val)) in es.iter().enumerate() {
                                if i > 0 {
                                    self.pad(inner);
                                }
                                let k = self.key(k);
                                self.out.push_str(&k);
                                self.out.push(':');
                                self.value_after_key(val, inner);
                            }
                        }
                        M::Map(_) | M::Seq(_) if !is_empty(v) => {
                            self.nl();
                            self.block(v, ind + 2);
                        }
                        _ => self.value_after_key(v, ind),
                    }
                }
            }
            M::Scalar(_) => unreachable!("scalars are written by their parent"),
        }
    }
}

fn is_empty(m: &M) -> bool {
    match m {
        M::Map(e) => e.is_empty(),
        M::Seq(s) => s.is_empty(),
        M::Scalar(_) => false,
    }
}

fn render(root: &M, layout: &Layout) -> String {
    let mut w = Writer {
        layout,
        out: String::new(),
        next: 0,
    };
    if layout.bom {
        w.out.push('\u{feff}');
    }
    if layout.marker {
        w.out.push_str("--- # doc");
        w.nl();
    }
    w.block(root, 0);
    w.out
}

fn scalar() -> impl Strategy<Value = M> {
    prop_oneof![
        prop::sample::select(VALUES).prop_map(|s| M::Scalar(s.to_string())),
        "[a-zA-Zéü0-9 ]{1,12}".prop_map(M::Scalar),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(KEYS).prop_map(str::to_string),
        "[a-z][a-zA-Z0-9]{0,8}",
    ]
}

/// A mapping with unique keys.
fn map_of(inner: impl Strategy<Value = M>) -> impl Strategy<Value = M> {
    prop::collection::vec((key(), inner), 0..5).prop_map(|es| {
        let mut seen = std::collections::HashSet::new();
        M::Map(
            es.into_iter()
                .filter(|(k, _)| seen.insert(k.clone()))
                .collect(),
        )
    })
}

fn tree() -> impl Strategy<Value = M> {
    let leaf = scalar();
    let node = leaf.prop_recursive(5, 40, 5, |inner| {
        prop_oneof![
            map_of(inner.clone()),
            prop::collection::vec(inner, 0..4).prop_map(M::Seq),
        ]
    });
    // The root is a non-empty mapping.
    prop::collection::vec((key(), node), 1..6).prop_map(|es| {
        let mut seen = std::collections::HashSet::new();
        M::Map(
            es.into_iter()
                .filter(|(k, _)| seen.insert(k.clone()))
                .collect(),
        )
    })
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::sample::select(&[2usize, 3, 4][..]),
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.3),
        prop::collection::vec(any::<u8>(), 1..64),
    )
        .prop_map(|(indent, compact_seq, crlf, bom, marker, choices)| Layout {
            indent,
            compact_seq,
            crlf,
            bom,
            marker,
            choices,
        })
}

fn check_span(text: &str, s: Span) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{s:?} in {}",
        text.len()
    );
    assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
}

/// The loaded tree equals the model, and every span is sane and nested in its parent's.
fn same_tree(text: &str, model: &M, node: &Node, parent: Span) {
    check_span(text, node.span);
    assert!(
        node.span.start >= parent.start && node.span.end <= parent.end,
        "{:?} outside its parent {parent:?}",
        node.span
    );
    match (model, &node.value) {
        (M::Scalar(s), Value::Scalar(got)) => assert_eq!(&got.text, s),
        (M::Map(es), Value::Map(got)) => {
            assert_eq!(es.len(), got.len());
            for ((k, v), e) in es.iter().zip(got) {
                assert_eq!(&e.key_str, k);
                check_span(text, e.key.span);
                same_tree(text, v, &e.value, Span::new(0, text.len()));
            }
        }
        (M::Seq(items), Value::Seq(got)) => {
            assert_eq!(items.len(), got.len());
            for (v, n) in items.iter().zip(got) {
                same_tree(text, v, n, node.span);
            }
        }
        (m, v) => panic!("model {m:?} loaded as {v:?}"),
    }
}

/// Every path to a node of the model.
fn paths(m: &M, here: &YamlPath, out: &mut Vec<YamlPath>) {
    out.push(here.clone());
    match m {
        M::Scalar(_) => {}
        M::Map(es) => es.iter().for_each(|(k, v)| paths(v, &here.key(k), out)),
        M::Seq(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| paths(v, &here.index(i), out)),
    }
}

/// The text at `at` names key `k`: plain, or opening its quoted form.
fn names_key(text: &str, at: usize, k: &str) -> bool {
    let rest = &text[at..];
    rest.starts_with(k) || rest.starts_with(&format!("'{k}")) || {
        let dq = double_quoted(k);
        rest.starts_with(&dq[..dq.len() - 1])
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn loaded_tree_spans_and_paths(model in tree(), layout in layout()) {
        let text = render(&model, &layout);
        let src = SourceFile::new("p.yaml", text.clone());
        let docs = load_all(&src);
        prop_assert_eq!(docs.len(), 1, "{}", text);
        let doc = docs.into_iter().next().unwrap().unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        same_tree(&src.text, &model, &doc.root, Span::new(0, src.text.len()));
        let mut all = Vec::new();
        paths(&model, &YamlPath::root(), &mut all);
        for p in all.iter().filter(|p| !p.segs().is_empty()) {
            let l = locate(&doc.root, p);
            prop_assert!(l.exact, "{p} not found\n{text}");
            check_span(&src.text, l.span);
            // Lines and columns of the span are inside the file.
            let (start, end) = (src.position(l.span.start), src.position(l.span.end));
            prop_assert!(start.line >= 1 && end.line <= src.line_count());
            prop_assert!(start <= end);
            prop_assert!(start.column <= src.line_text(start.line).chars().count() + 1);
            if let Some(Seg::Key(k)) = p.segs().last() {
                prop_assert!(
                    names_key(&src.text, l.span.start, k),
                    "{p} located at {:?}: {:?}\n{text}",
                    start,
                    &src.text[l.span.start..l.span.end]
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Findings on generated workloads

fn s(v: &str) -> M {
    M::Scalar(v.to_string())
}

fn map(es: Vec<(&str, M)>) -> M {
    M::Map(es.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Optional fields a container may set, with the values that make rules fire or not.
fn container() -> impl Strategy<Value = M> {
    let sc = (
        prop::option::of(prop::sample::select(
            &["true", "false", "yes", "\"true\""][..],
        )),
        prop::option::of(prop::sample::select(&["0", "1000", "root"][..])),
        prop::option::of(prop::sample::select(&["true", "false"][..])),
        prop::option::of(prop::collection::vec(
            prop::sample::select(&["NET_ADMIN", "SYS_ADMIN", "ALL", "NET_RAW"][..]),
            0..3,
        )),
    );
    (
        "[a-z]{1,6}",
        prop::sample::select(&["nginx", "nginx:latest", "r.example/app@sha256:abc", "x:1"][..]),
        prop::option::of(sc),
        prop::option::of(prop::sample::select(&["100m", "1", "{}"][..])),
        any::<bool>(),
    )
        .prop_map(|(name, image, sc, cpu, env)| {
            let mut es = vec![("name", s(&name)), ("image", s(image))];
            if let Some((privileged, user, ape, add)) = sc {
                let mut c = Vec::new();
                if let Some(p) = privileged {
                    c.push(("privileged", s(p)));
                }
                if let Some(u) = user {
                    c.push(("runAsUser", s(u)));
                }
                if let Some(a) = ape {
                    c.push(("allowPrivilegeEscalation", s(a)));
                }
                if let Some(add) = add {
                    let add = M::Seq(add.into_iter().map(s).collect());
                    c.push(("capabilities", map(vec![("add", add)])));
                }
                es.push(("securityContext", map(c)));
            }
            if let Some(cpu) = cpu {
                es.push((
                    "resources",
                    map(vec![("limits", map(vec![("cpu", s(cpu))]))]),
                ));
            }
            if env {
                let var = map(vec![("name", s("DB_PASSWORD")), ("value", s("hunter2"))]);
                es.push(("env", M::Seq(vec![var])));
            }
            map(es)
        })
}

fn workload() -> impl Strategy<Value = M> {
    (
        prop::sample::select(&["Deployment", "Pod", "DaemonSet", "Job", "CronJob"][..]),
        prop::collection::vec(container(), 1..3),
        prop::option::of(prop::sample::select(&["true", "false"][..])),
        prop::option::of("[a-z]{1,8}"),
    )
        .prop_map(|(kind, containers, host_network, ns)| {
            let mut pod = vec![("containers", M::Seq(containers))];
            if let Some(h) = host_network {
                pod.push(("hostNetwork", s(h)));
            }
            let pod = map(pod);
            let mut meta = vec![("name", s("w"))];
            if let Some(ns) = &ns {
                meta.push(("namespace", s(ns)));
            }
            let template = map(vec![("spec", pod.clone())]);
            let (api, spec) = match kind {
                "Pod" => ("v1", pod),
                "Job" => ("batch/v1", map(vec![("template", template)])),
                "CronJob" => (
                    "batch/v1",
                    map(vec![
                        ("schedule", s("* * * * *")),
                        (
                            "jobTemplate",
                            map(vec![("spec", map(vec![("template", template)]))]),
                        ),
                    ]),
                ),
                _ => ("apps/v1", map(vec![("template", template)])),
            };
            map(vec![
                ("apiVersion", s(api)),
                ("kind", s(kind)),
                ("metadata", map(meta)),
                ("spec", spec),
            ])
        })
}

/// Parse a JSON `yaml_path` (`a.b[0]["c.d"]`).
fn parse_path(p: &str) -> YamlPath {
    let mut segs = Vec::new();
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'[' if b.get(i + 1) == Some(&b'"') => {
                let end = p[i + 2..].find("\"]").map(|e| i + 2 + e).unwrap();
                segs.push(Seg::Key(p[i + 2..end].replace("\\\"", "\"")));
                i = end + 2;
            }
            b'[' => {
                let end = p[i..].find(']').map(|e| i + e).unwrap();
                segs.push(Seg::Index(p[i + 1..end].parse().unwrap()));
                i = end + 1;
            }
            _ => {
                let end = p[i..].find(['.', '[']).map_or(p.len(), |e| i + e);
                segs.push(Seg::Key(p[i..end].to_string()));
                i = end;
            }
        }
    }
    YamlPath(segs)
}

/// The longest prefix of `path` that exists in `root`.
fn existing_prefix(root: &Node, path: &YamlPath) -> YamlPath {
    let segs = path.segs();
    (0..=segs.len())
        .rev()
        .map(|n| YamlPath(segs[..n].to_vec()))
        .find(|p| locate(root, p).exact)
        .unwrap_or_else(YamlPath::root)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn findings_lie_inside_the_file_at_the_field_they_name(
        docs in prop::collection::vec((workload(), layout()), 1..3),
    ) {
        let text: String = docs
            .iter()
            .enumerate()
            .map(|(i, (m, l))| {
                let l = Layout { bom: l.bom && i == 0, marker: l.marker || i > 0, ..l.clone() };
                render(m, &l)
            })
            .collect();
        let src: Arc<SourceFile> = SourceFile::new("w.yaml", text.clone());
        let loaded: Vec<Node> = load_all(&src)
            .into_iter()
            .map(|d| d.unwrap_or_else(|e| panic!("{e:?}\n{text}")).root)
            .collect();
        prop_assert_eq!(loaded.len(), docs.len());
        let report = lint_source(src.clone(), registry::all(), &RuleContext::default());
        prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        prop_assert!(!report.findings.is_empty());
        for f in &report.findings {
            let ctx = format!("{} {} at {:?}\n{text}", f.rule.id, f.yaml_path, f.start);
            // Inside the file, in order, on characters that exist.
            prop_assert!(f.start.line >= 1 && f.end.line <= src.line_count(), "{}", ctx);
            prop_assert!(f.start <= f.end, "{}", ctx);
            for p in [f.start, f.end] {
                let len = src.line_text(p.line).chars().count();
                prop_assert!(p.column >= 1 && p.column <= len + 1, "{}", ctx);
            }
            check_span(&src.text, f.span);
            // At the field the path names, or its nearest existing parent.
            let root = &loaded[f.document];
            prop_assert!(
                f.span.start >= root.span.start && f.span.end <= root.span.end,
                "outside its document: {}", ctx
            );
            let path = parse_path(&f.yaml_path);
            let found = existing_prefix(root, &path);
            prop_assert_eq!(
                f.span.start,
                locate(root, &found).span.start,
                "{}: not at {} ({:?})", ctx, found, &src.text[f.span.start..f.span.end]
            );
            if let Some(Seg::Key(k)) = found.segs().last() {
                prop_assert!(names_key(&src.text, f.span.start, k), "{}", ctx);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Large streams are cut into ranges loaded in parallel: the cut changes nothing

/// What a document loaded to, comparable across loads: its root span and tree, or its
/// error.
fn summary(d: &Result<kspm::yaml::load::Document, kspm::yaml::load::LoadError>) -> String {
    match d {
        Ok(d) => format!("ok {:?} {:?}", d.root.span, d.root),
        Err(e) => format!("err {:?} {}", e.span, e.message),
    }
}

/// Pieces a stream is made of: documents, and the junk between them.
fn stream_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (tree(), layout()).prop_map(|(m, l)| render(&m, &Layout { bom: false, ..l })),
        1 => Just("# a comment\n".to_string()),
        1 => Just("...\n".to_string()),
        1 => Just("%YAML 1.1\n".to_string()),
        1 => Just("--- |\n  block\n".to_string()),
        1 => Just("a: [1, 2\n".to_string()),
        1 => Just("b: \"open\n".to_string()),
        1 => Just("k: *nowhere\n".to_string()),
        1 => Just("x: 1\nx: 2\n".to_string()),
        1 => Just("\n".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn cutting_a_stream_into_ranges_changes_nothing(
        pieces in prop::collection::vec(stream_piece(), 1..8),
        separators in prop::collection::vec(
            prop::sample::select(&["---\n", "--- # x\n", "...\n---\n", "---\n\n"][..]),
            8,
        ),
        target in prop::sample::select(&[1usize, 16, 64, 256, 4096][..]),
    ) {
        let mut text = String::new();
        for (i, p) in pieces.iter().enumerate() {
            if i > 0 {
                text.push_str(separators[i % separators.len()]);
            }
            text.push_str(p);
        }
        let src = SourceFile::new("s.yaml", text.clone());
        let whole: Vec<String> = load_all(&src).iter().map(summary).collect();
        let ranges = kspm::yaml::load::split_ranges(&src.text, target);
        // The ranges tile the text.
        prop_assert_eq!(ranges.first().map(|r| r.start), Some(0));
        prop_assert_eq!(ranges.last().map(|r| r.end), Some(src.text.len()));
        for w in ranges.windows(2) {
            prop_assert_eq!(w[0].end, w[1].start);
        }
        let mut cut = Vec::new();
        for r in ranges {
            kspm::yaml::load::load_range(&src, r, |d| cut.push(summary(&d)));
        }
        prop_assert_eq!(whole, cut, "{}", text);
    }
}
