//! The spanned YAML loader: positions, streams, error isolation, YAML 1.1 scalars, anchors,
//! merges, duplicate keys and the constructs the API server accepts but strict parsers
//! reject. Fixtures live in testdata/loaders/.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kspm::source::{Position, SourceFile};
use kspm::yaml::load::{Document, LenientKind, LoadError, load_all};
use kspm::yaml::{Node, ScalarKind, ScalarStyle, Span, YamlPath};

fn fixture(name: &str) -> Arc<SourceFile> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/loaders")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    SourceFile::new(name, text)
}

fn docs(src: &SourceFile) -> Vec<Document> {
    load_all(src)
        .into_iter()
        .map(|d| d.unwrap_or_else(|e| panic!("{}: {e:?}", src.path)))
        .collect()
}

fn one(src: &SourceFile) -> Document {
    let mut all = docs(src);
    assert_eq!(all.len(), 1, "{}: one document", src.path);
    all.remove(0)
}

fn src(text: &str) -> Arc<SourceFile> {
    SourceFile::new("t.yaml", text)
}

/// 1-based line and character column of a span's start.
fn at(src: &SourceFile, span: Span) -> (usize, usize) {
    let Position { line, column } = src.position(span.start);
    (line, column)
}

fn text(src: &SourceFile, span: Span) -> &str {
    &src.text[span.start..span.end]
}

fn node<'a>(root: &'a Node, path: &[&str]) -> &'a Node {
    let mut n = root;
    for seg in path {
        n = match seg.parse::<usize>() {
            Ok(i) => &n.items()[i],
            Err(_) => n.get(seg).unwrap_or_else(|| panic!("no {seg} in {path:?}")),
        };
    }
    n
}

fn key_span(root: &Node, path: &[&str]) -> Span {
    let (last, parent) = path.split_last().expect("non-empty path");
    node(root, parent)
        .entry(last)
        .unwrap_or_else(|| panic!("no {last}"))
        .key
        .span
}

// ---------------------------------------------------------------------------------------
// Positions

#[test]
fn keys_values_and_items_have_exact_positions() {
    let s = src(
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      image: nginx:1.25\n      args: [a, \"b c\"]\n",
    );
    let d = one(&s);
    let image = node(&d.root, &["spec", "containers", "0", "image"]);
    assert_eq!(at(&s, image.span), (6, 14));
    assert_eq!(text(&s, image.span), "nginx:1.25");
    assert_eq!(image.span.start, s.text.find("nginx").unwrap());
    let key = key_span(&d.root, &["spec", "containers", "0", "image"]);
    assert_eq!((at(&s, key), text(&s, key)), ((6, 7), "image"));
    let container = node(&d.root, &["spec", "containers", "0"]);
    assert_eq!(at(&s, container.span), (5, 7));
    let args = node(&d.root, &["spec", "containers", "0", "args"]);
    assert_eq!(text(&s, args.span), "[a, \"b c\"]");
    assert_eq!(text(&s, args.items()[0].span), "a");
    assert_eq!(text(&s, args.items()[1].span), "\"b c\"");
    assert_eq!(at(&s, args.items()[1].span), (7, 17));
    let containers = node(&d.root, &["spec", "containers"]);
    // A block sequence starts at its first `-` and ends with its last content byte.
    assert_eq!(at(&s, containers.span), (5, 5));
    assert_eq!(containers.span.end, s.text.find("\"]").unwrap() + 2);
}

#[test]
fn block_collections_do_not_swallow_trailing_comments_and_blank_lines() {
    let s = src("spec:\n  a: 1\n  b:\n    - x\n\n  # trailing comment\n\n# another\nnext: 2\n");
    let d = one(&s);
    let spec = node(&d.root, &["spec"]);
    assert_eq!(text(&s, spec.span), "a: 1\n  b:\n    - x");
    let b = node(&d.root, &["spec", "b"]);
    assert_eq!(text(&s, b.span), "- x");
    assert_eq!(
        text(&s, d.root.span),
        &s.text[..s.text.find("2\n").unwrap() + 1]
    );
}

#[test]
fn flow_collections_span_their_brackets() {
    let s = src("a: &x {k: [1, 2], m: {}}\nb: !!seq [3]\n");
    let d = one(&s);
    assert_eq!(text(&s, node(&d.root, &["a"]).span), "{k: [1, 2], m: {}}");
    assert_eq!(text(&s, node(&d.root, &["a", "k"]).span), "[1, 2]");
    assert_eq!(text(&s, node(&d.root, &["a", "m"]).span), "{}");
    assert_eq!(text(&s, node(&d.root, &["b"]).span), "[3]");
}

#[test]
fn multibyte_text_keeps_byte_spans_and_character_columns() {
    let s = src("name: \"héllo wörld\"\nnext: ü\nflow: {a: \"ä\", b: ö, c: x}\n");
    let d = one(&s);
    let name = node(&d.root, &["name"]);
    assert_eq!(name.as_str(), Some("héllo wörld"));
    assert_eq!(text(&s, name.span), "\"héllo wörld\"");
    let next = key_span(&d.root, &["next"]);
    assert_eq!(next.start, s.text.find("next").unwrap());
    assert_eq!(at(&s, next), (2, 1));
    let u = node(&d.root, &["next"]);
    assert_eq!((text(&s, u.span), at(&s, u.span)), ("ü", (2, 7)));
    // After multi-byte characters on the same line.
    let c = key_span(&d.root, &["flow", "c"]);
    assert_eq!(text(&s, c), "c");
    assert_eq!(at(&s, c), (3, 22));
    let cv = node(&d.root, &["flow", "c"]);
    assert_eq!((text(&s, cv.span), at(&s, cv.span)), ("x", (3, 25)));
}

#[test]
fn block_scalars_start_at_their_indicator() {
    let s = fixture("block-scalars.yaml");
    let d = one(&s);
    let script = node(&d.root, &["data", "script"]);
    assert_eq!(script.scalar().map(|x| x.style), Some(ScalarStyle::Literal));
    assert_eq!(script.as_str(), Some("echo one\necho two\n"));
    // On the key's line, through the last content character.
    assert_eq!(at(&s, script.span), (2, 11));
    assert_eq!(text(&s, script.span), "|\n    echo one\n    echo two");
    let folded = node(&d.root, &["data", "folded"]);
    assert_eq!(at(&s, folded.span), (6, 11));
    assert_eq!(text(&s, folded.span), ">-\n    folded\n    text");
    assert_eq!(folded.as_str(), Some("folded text"));
    // With an anchor the span starts at the anchor, still on the key's line.
    let anchored = node(&d.root, &["data", "anchored"]);
    assert_eq!(at(&s, anchored.span), (10, 13));
    assert_eq!(node(&d.root, &["data", "last"]).as_str(), Some("value"));
    // Sequence items too.
    let s2 = src("args:\n- |\n  x\n- >\n  y\n");
    let d2 = one(&s2);
    let items = node(&d2.root, &["args"]).items();
    assert_eq!(at(&s2, items[0].span), (2, 3));
    assert_eq!(at(&s2, items[1].span), (4, 3));
}

#[test]
fn empty_values_point_at_their_key() {
    let s = src("a:\nb: # comment\n\nc: 1\n");
    let d = one(&s);
    for k in ["a", "b"] {
        let v = node(&d.root, &[k]);
        assert!(v.is_null());
        assert_eq!(
            s.position(v.span.start).line,
            s.position(key_span(&d.root, &[k]).start).line
        );
    }
}

// ---------------------------------------------------------------------------------------
// Streams, encodings, JSON

#[test]
fn crlf_positions() {
    let s = fixture("crlf.yaml");
    let d = one(&s);
    let name = node(&d.root, &["metadata", "name"]);
    assert_eq!((text(&s, name.span), at(&s, name.span)), ("crlf", (4, 9)));
    let key = node(&d.root, &["data", "key"]);
    assert_eq!(key.as_str(), Some("line one\nline two\n"));
    assert_eq!(at(&s, key.span), (6, 8));
    assert_eq!(text(&s, key.span), "|\r\n    line one\r\n    line two");
    let other = node(&d.root, &["data", "other"]);
    assert_eq!(
        (text(&s, other.span), at(&s, other.span)),
        ("value", (9, 10))
    );
}

#[test]
fn bom_is_skipped() {
    let s = fixture("bom.yaml");
    let d = one(&s);
    let api = d.root.entries().first().expect("an entry");
    assert_eq!(api.key_str, "apiVersion");
    assert_eq!(api.key.span.start, 3);
    assert_eq!(at(&s, api.key.span), (1, 2));
    let name = node(&d.root, &["metadata", "name"]);
    assert_eq!((text(&s, name.span), at(&s, name.span)), ("bom", (4, 9)));
}

#[test]
fn json_loads_with_positions() {
    let s = fixture("deployment.json");
    let d = one(&s);
    let p = node(
        &d.root,
        &[
            "spec",
            "template",
            "spec",
            "containers",
            "0",
            "securityContext",
            "privileged",
        ],
    );
    assert_eq!(p.as_bool(), Some(true));
    assert_eq!(at(&s, p.span), (10, 84));
    assert_eq!(node(&d.root, &["spec", "replicas"]).as_i64(), Some(2));
    let key = key_span(&d.root, &["metadata", "name"]);
    assert_eq!(text(&s, key), "\"name\"");
    assert_eq!(at(&s, key), (4, 16));

    let t = fixture("tab-indented.json");
    let d = one(&t);
    let name = node(&d.root, &["metadata", "name"]);
    assert_eq!(
        (text(&t, name.span), at(&t, name.span)),
        ("\"tabbed\"", (5, 11))
    );
}

#[test]
fn long_single_line_json_is_linear() {
    // ~600 KB on one line with multi-byte text: quadratic conversion would take minutes.
    let items: Vec<String> = (0..20_000)
        .map(|i| format!("{{\"k\": \"välue-{i}\", \"n\": {i}}}"))
        .collect();
    let json = format!("{{\"items\": [{}]}}\n", items.join(", "));
    let s = src(&json);
    let t = Instant::now();
    let d = one(&s);
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    let last = node(&d.root, &["items", "19999", "n"]);
    assert_eq!(last.as_i64(), Some(19_999));
    assert_eq!(text(&s, last.span), "19999");
    assert_eq!(
        s.text[..last.span.start].rfind("\"n\"").map(|i| i + 5),
        Some(last.span.start)
    );
}

#[test]
fn multi_document_stream_isolates_the_broken_document() {
    let s = fixture("multi-doc-broken.yaml");
    let all = load_all(&s);
    assert_eq!(all.len(), 4, "{all:#?}");
    let name = |r: &Result<Document, LoadError>| {
        r.as_ref()
            .ok()
            .and_then(|d| d.root.get_path(&["metadata", "name"]))
            .and_then(Node::as_str)
            .map(str::to_string)
    };
    assert_eq!(name(&all[0]).as_deref(), Some("first"));
    let err = all[1].as_ref().expect_err("the middle document is broken");
    assert_eq!(err.document, 1);
    // The unterminated flow mapping is reported where the parser gives up: `spec:` is read
    // as part of the mapping and its colon is out of place.
    assert_eq!(
        s.position(err.span.start),
        Position {
            line: 14,
            column: 5
        }
    );
    assert!(
        err.message.contains("did not find expected ',' or '}'"),
        "{}",
        err.message
    );
    assert_eq!(name(&all[2]).as_deref(), Some("third"));
    assert_eq!(all[2].as_ref().map(|d| d.index).ok(), Some(2));
    assert_eq!(name(&all[3]).as_deref(), Some("fourth"));
    assert_eq!(all[3].as_ref().map(|d| d.index).ok(), Some(3));
    let third = all[2].as_ref().expect("third loads");
    let svc = node(&third.root, &["metadata", "name"]);
    assert_eq!(at(&s, svc.span), (20, 9));
}

#[test]
fn syntax_error_positions() {
    let s = src("a: 1\n---\nb: 2\n  c: 3\n---\nd: 4\n");
    let all = load_all(&s);
    assert_eq!(all.len(), 3);
    let err = all[1].as_ref().expect_err("bad indentation");
    assert_eq!(s.position(err.span.start), Position { line: 4, column: 4 });
    assert_eq!(
        err.message,
        "mapping values are not allowed in this context; a value that contains \": \" must be \
         quoted, or this line is indented too far"
    );
    assert!(all[2].is_ok());
    // An error in the first document of a stream, and in the last one.
    let s = src("a: [1\n---\nb: 2\n---\nc: {\n");
    let all = load_all(&s);
    assert_eq!(all.len(), 3);
    assert!(all[0].is_err() && all[1].is_ok() && all[2].is_err());
    assert_eq!(all[2].as_ref().err().map(|e| e.document), Some(2));
}

#[test]
fn empty_documents_are_skipped() {
    let s = src("---\n---\n# c\n---\n~\n---\na: 1\n...\n---\nb: 2\n");
    let all = docs(&s);
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].index, all[1].index), (0, 1));
    assert!(docs(&src("")).is_empty());
    assert!(docs(&src("# only a comment\n")).is_empty());
}

#[test]
fn directives_start_documents() {
    let s = src("%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n---\nb: 2\n");
    let all = docs(&s);
    assert_eq!(all.len(), 2);
    assert_eq!(node(&all[1].root, &["b"]).as_i64(), Some(2));
}

// ---------------------------------------------------------------------------------------
// Anchors, aliases, merges

#[test]
fn aliases_are_deep_copies_with_the_anchor_spans() {
    let s = src("a: &x {k: [1, 2]}\nb: *x\nc: &s str\nd: *s\n");
    let d = one(&s);
    let a = node(&d.root, &["a"]);
    let b = node(&d.root, &["b"]);
    assert_eq!(a, b);
    assert_eq!(b.span, a.span);
    assert_eq!(node(&d.root, &["b", "k", "1"]).as_i64(), Some(2));
    assert_eq!(node(&d.root, &["d"]).as_str(), Some("str"));
    // The mapping ends with its own last content, the alias, not the anchored node.
    assert_eq!(d.root.span.end, s.text.rfind("*s").unwrap() + 2);
}

#[test]
fn undefined_alias_is_an_error_at_the_alias() {
    let s = src("a: 1\n---\nb: *nope\n---\nc: 3\n");
    let all = load_all(&s);
    assert_eq!(all.len(), 3);
    let err = all[1].as_ref().expect_err("undefined alias");
    assert_eq!(s.position(err.span.start), Position { line: 3, column: 4 });
    assert!(err.message.contains("*nope"), "{}", err.message);
    assert!(all[2].is_ok());
    // Anchors do not carry over to the next document.
    let s = src("a: &x 1\n---\nb: *x\n");
    assert!(load_all(&s)[1].is_err());
}

#[test]
fn recursive_alias_is_an_error() {
    let s = src("a: &x [1, *x]\n");
    let err = load_all(&s).remove(0).expect_err("recursive");
    assert!(err.message.contains("recursive"), "{}", err.message);
}

#[test]
fn alias_bomb_is_rejected_quickly() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text.push_str("---\nafter: ok\n");
    let s = src(&text);
    let t = Instant::now();
    let all = load_all(&s);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "took {:?}",
        t.elapsed()
    );
    let err = all[0].as_ref().expect_err("bomb");
    assert!(
        err.message.contains("alias expansion exceeds budget"),
        "{}",
        err.message
    );
    assert!(s.position(err.span.start).line > 1);
    assert_eq!(
        all[1]
            .as_ref()
            .ok()
            .and_then(|d| d.root.get("after"))
            .and_then(Node::as_str),
        Some("ok")
    );
}

#[test]
fn reasonable_alias_use_is_not_a_bomb() {
    // 50 containers sharing an env block of 200 variables: 50 * 601 nodes through aliases.
    let mut text = String::from("env: &env\n");
    for i in 0..200 {
        text.push_str(&format!("  - {{name: V{i}, value: x}}\n"));
    }
    text.push_str("containers:\n");
    for i in 0..50 {
        text.push_str(&format!("  - name: c{i}\n    env: *env\n"));
    }
    let d = one(&src(&text));
    assert_eq!(
        node(&d.root, &["containers", "49", "env"]).items().len(),
        200
    );
}

#[test]
fn merge_keys() {
    let s = fixture("anchors-merge.yaml");
    let d = one(&s);
    let app = node(&d.root, &["spec", "containers", "0"]);
    // Explicit keys win over merged ones, wherever they are written.
    assert_eq!(
        node(app, &["imagePullPolicy"]).as_str(),
        Some("IfNotPresent")
    );
    assert_eq!(
        app.entries()
            .iter()
            .filter(|e| e.key_str == "imagePullPolicy")
            .count(),
        1
    );
    assert!(app.get("<<").is_none());
    // Merged entries keep the spans of their definition.
    let limits = app.entry("resources").expect("merged resources");
    assert_eq!(at(&s, limits.key.span), (3, 3));
    assert_eq!(
        node(app, &["resources", "limits", "cpu"]).as_str(),
        Some("500m")
    );
    // A list of maps: earlier maps win over later ones.
    let sc = node(app, &["securityContext"]);
    assert_eq!(node(sc, &["privileged"]).as_bool(), Some(false));
    assert_eq!(node(sc, &["runAsNonRoot"]).as_bool(), Some(true));
    assert_eq!(node(sc, &["readOnlyRootFilesystem"]).as_bool(), Some(true));
    let p = sc.entry("privileged").expect("privileged");
    assert_eq!(at(&s, p.key.span), (7, 3));
    // No duplicate is reported for merged keys.
    assert!(d.duplicate_keys.is_empty(), "{:?}", d.duplicate_keys);

    let s = src("base: &b {a: 1, b: 2}\nm:\n  b: 3\n  <<: *b\n  c: 4\n");
    let m = node(&one(&s).root, &["m"]).clone();
    let keys: Vec<&str> = m.entries().iter().map(|e| e.key_str.as_str()).collect();
    assert_eq!(keys, ["b", "a", "c"]);
    assert_eq!(node(&m, &["b"]).as_i64(), Some(3));

    let bad = load_all(&src("a:\n  <<: 1\n")).remove(0);
    assert!(bad.expect_err("scalar merge").message.contains("merge"));
    // A quoted `<<` is an ordinary key.
    let q = one(&src("\"<<\": {a: 1}\n"));
    assert!(q.root.get("<<").is_some());
}

// ---------------------------------------------------------------------------------------
// Scalars as the API server reads them

#[test]
fn yaml_1_1_scalars_and_keys() {
    let s = fixture("yaml11-scalars.yaml");
    let d = one(&s);
    let bools: Vec<Option<bool>> = node(&d.root, &["bools"])
        .items()
        .iter()
        .map(Node::as_bool)
        .collect();
    assert_eq!(bools.iter().filter(|b| **b == Some(true)).count(), 11);
    assert_eq!(bools.iter().filter(|b| **b == Some(false)).count(), 11);
    assert!(node(&d.root, &["nulls"]).items().iter().all(Node::is_null));
    let ints: Vec<Option<i64>> = node(&d.root, &["ints"])
        .items()
        .iter()
        .map(Node::as_i64)
        .collect();
    assert_eq!(ints, [493, 493, 31, 5, 1000, 12, -12, 0].map(Some).to_vec());
    let floats = node(&d.root, &["floats"]).items();
    assert_eq!(
        floats[0].scalar().map(|x| &x.kind),
        Some(&ScalarKind::Float(1.5))
    );
    assert_eq!(
        floats[1].scalar().map(|x| &x.kind),
        Some(&ScalarKind::Float(f64::INFINITY))
    );
    assert_eq!(
        floats[2].scalar().map(|x| &x.kind),
        Some(&ScalarKind::Float(f64::NEG_INFINITY))
    );
    assert!(
        matches!(floats[3].scalar().map(|x| &x.kind), Some(ScalarKind::Float(f)) if f.is_nan())
    );
    assert_eq!(floats[4].as_i64(), Some(1000));
    let strings: Vec<Option<&str>> = node(&d.root, &["strings"])
        .items()
        .iter()
        .map(Node::as_str)
        .collect();
    assert_eq!(
        strings,
        ["yes", "on", "nginx", "0755", "10Gi", "500m"]
            .map(Some)
            .to_vec()
    );
    let stamp = node(&d.root, &["stamp"]);
    assert_eq!(
        stamp.scalar().map(|x| &x.kind),
        Some(&ScalarKind::Timestamp)
    );
    assert_eq!(stamp.as_str(), Some("2024-01-02"));
    let tagged = node(&d.root, &["tagged"]).items();
    assert_eq!(tagged[0].as_str(), Some("yes"));
    assert_eq!(tagged[1].as_i64(), Some(42));
    assert_eq!(tagged[2].as_bool(), Some(true));
    assert_eq!(
        tagged[3].scalar().map(|x| &x.kind),
        Some(&ScalarKind::Float(3.0))
    );
    assert!(tagged[4].is_null());
    // Keys become the JSON keys the API server produces.
    assert_eq!(
        d.root.get("true").and_then(Node::as_str),
        Some("short-bool key")
    );
    assert_eq!(d.root.get("493").and_then(Node::as_str), Some("octal key"));
    assert_eq!(d.root.get("null").and_then(Node::as_str), Some("null key"));
    assert_eq!(d.root.get("1").and_then(Node::as_str), Some("float key"));
    let y = d.root.entry("true").expect("y key");
    assert_eq!(y.key.scalar_text(), Some("y"));
    assert_eq!(at(&s, y.key.span), (8, 1));
}

#[test]
fn a_tag_that_cannot_hold_its_value_is_an_error() {
    let s = src("a: !!int abc\n---\nb: 1\n");
    let all = load_all(&s);
    let err = all[0].as_ref().expect_err("bad tag");
    assert_eq!(err.message, "cannot decode !!str `abc` as a !!int");
    assert_eq!(s.position(err.span.start), Position { line: 1, column: 4 });
    assert!(all[1].is_ok());
}

#[test]
fn collection_keys_are_errors() {
    let err = load_all(&src("? [a, b]\n: c\n"))
        .remove(0)
        .expect_err("complex key");
    assert!(err.message.contains("mapping key"), "{}", err.message);
}

// ---------------------------------------------------------------------------------------
// What the API server accepts and saphyr does not

#[test]
fn tab_after_colon() {
    let s = fixture("tab-after-colon.yaml");
    let d = one(&s);
    let name = node(&d.root, &["metadata", "name"]);
    assert_eq!((name.as_str(), at(&s, name.span)), (Some("web"), (4, 9)));
    let app = node(&d.root, &["metadata", "labels", "app"]);
    assert_eq!((app.as_str(), at(&s, app.span)), (Some("web"), (6, 11)));
    // A tab inside a quoted value stays.
    assert_eq!(
        node(&d.root, &["metadata", "labels", "note"]).as_str(),
        Some("keep\tthis tab")
    );
    let port = node(&d.root, &["spec", "ports", "0", "port"]);
    assert_eq!((port.as_i64(), at(&s, port.span)), (Some(80), (10, 11)));
    assert_eq!(
        node(&d.root, &["spec", "ports", "0", "name"]).as_str(),
        Some("http")
    );
    assert!(
        d.lenient
            .iter()
            .all(|l| l.kind == LenientKind::TabAfterColon)
    );
    let tabs: Vec<(usize, usize)> = d.lenient.iter().map(|l| at(&s, l.span)).collect();
    assert_eq!(tabs, [(4, 8), (6, 9), (6, 10), (10, 10)]);
}

#[test]
fn tab_after_colon_inside_a_block_scalar_is_kept() {
    // The first strict error is at `b:\tx`; the tab in the block scalar must survive.
    let s = src("a: |\n  key:\tvalue\nb:\tx\n");
    let d = one(&s);
    assert_eq!(node(&d.root, &["a"]).as_str(), Some("key:\tvalue\n"));
    assert_eq!(node(&d.root, &["b"]).as_str(), Some("x"));
    assert_eq!(d.lenient.len(), 1);
    assert_eq!(at(&s, d.lenient[0].span), (3, 3));
}

#[test]
fn flow_closed_at_parent_indentation() {
    let s = fixture("flow-closing-bracket.yaml");
    let d = one(&s);
    let c = node(&d.root, &["spec", "containers", "0"]);
    let args = node(c, &["args"]);
    let vals: Vec<Option<&str>> = args.items().iter().map(Node::as_str).collect();
    assert_eq!(vals, [Some("--foo"), Some("--bar")]);
    assert_eq!(at(&s, args.span), (10, 13));
    assert_eq!(
        s.position(args.span.end),
        Position {
            line: 13,
            column: 8
        }
    );
    assert_eq!(at(&s, args.items()[1].span), (12, 9));
    let env = node(c, &["env"]);
    assert_eq!(env.items().len(), 2);
    assert_eq!(node(env, &["1", "value"]).as_str(), Some("2"));
    assert_eq!(at(&s, node(env, &["1", "name"]).span), (16, 14));
    let port = node(c, &["ports", "0", "containerPort"]);
    assert_eq!((port.as_i64(), at(&s, port.span)), (Some(80), (18, 31)));
    assert!(!d.lenient.is_empty());
    assert!(
        d.lenient
            .iter()
            .all(|l| l.kind == LenientKind::FlowIndentation)
    );
}

#[test]
fn closing_bracket_after_a_comment_line() {
    let s =
        src("spec:\n  args: [\n    \"a\",  # first\n    # more\n    \"b\" # last\n  ]\n  x: 1\n");
    let d = one(&s);
    let args = node(&d.root, &["spec", "args"]);
    assert_eq!(args.items().len(), 2);
    assert_eq!(node(&d.root, &["spec", "x"]).as_i64(), Some(1));
    assert_eq!(at(&s, node(&d.root, &["spec", "x"]).span), (7, 6));
}

#[test]
fn lenient_rewrites_never_change_a_multi_line_quoted_value() {
    // Flattening would fold this scalar differently: the loader joins only the `]` line.
    let s = src("k:\n  a: [\"x\n    y\",\n  ]\n");
    let d = one(&s);
    assert_eq!(node(&d.root, &["k", "a", "0"]).as_str(), Some("x y"));
}

#[test]
fn quoted_scalar_continued_left_of_its_block() {
    // The shape of the Kubernetes kafka example: a long command wrapped at a lower indentation.
    let s = fixture("quoted-continuation.yaml");
    let d = one(&s);
    let c = node(&d.root, &["spec", "containers", "0"]);
    let cmd = node(c, &["command", "2"]);
    assert_eq!(
        cmd.as_str(),
        Some(
            "exec kafka-server-start.sh /opt/kafka/config/server.properties --override \
             broker.id=${HOSTNAME##*-} --override log.dir=/var/lib/kafka"
        )
    );
    assert_eq!(at(&s, cmd.span), (11, 11));
    assert_eq!(
        s.position(cmd.span.end),
        Position {
            line: 13,
            column: 41
        }
    );
    let image = node(c, &["image"]);
    assert_eq!(
        (image.as_str(), at(&s, image.span)),
        (Some("kafka:3"), (14, 14))
    );
    assert_eq!(d.lenient.len(), 1);
    assert_eq!(d.lenient[0].kind, LenientKind::QuotedIndentation);
}

#[test]
fn lenient_documents_inside_a_stream() {
    let s = src("a: 1\n---\nname:\tweb\nargs: [\n  \"x\"\n]\n---\nafter: [1,\n  2]\nz: \"é\"\n");
    let all = docs(&s);
    assert_eq!(all.len(), 3);
    assert_eq!(node(&all[1].root, &["name"]).as_str(), Some("web"));
    assert_eq!(node(&all[1].root, &["args"]).items().len(), 1);
    let kinds: Vec<LenientKind> = all[1].lenient.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [LenientKind::TabAfterColon, LenientKind::FlowIndentation]
    );
    assert!(all[0].lenient.is_empty() && all[2].lenient.is_empty());
    let z = node(&all[2].root, &["z"]);
    assert_eq!((text(&s, z.span), at(&s, z.span)), ("\"é\"", (10, 4)));
    assert_eq!(all[2].index, 2);
}

#[test]
fn an_error_after_a_tolerated_construct_is_the_one_reported() {
    let s = src("a:\tb\nc: [1,\nd: 2\n");
    let err = load_all(&s).remove(0).expect_err("unterminated flow");
    assert!(s.position(err.span.start).line >= 2, "{err:?}");
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let mut text = String::new();
    for depth in 0..600 {
        text.push_str(&" ".repeat(depth));
        text.push_str("k:\n");
    }
    text.push_str("---\nafter: 1\n");
    let all = load_all(&src(&text));
    let err = all[0].as_ref().expect_err("too deep");
    assert!(err.message.contains("nesting"), "{}", err.message);
    assert!(all[1].is_ok());
    let flow = format!("{}{}", "[".repeat(300), "]".repeat(300));
    assert!(load_all(&src(&flow))[0].is_err());
}

#[test]
fn genuine_errors_stay_errors() {
    for bad in [
        "a: [1, 2\nb: 3\n",
        "a:\n  b: 1\n c: 2\n",
        "a: \"unterminated\n",
        "- a\nb: c\n",
        "a: b: c\n",
    ] {
        let all = load_all(&src(bad));
        assert!(all.iter().any(Result::is_err), "{bad:?} loaded: {all:#?}");
    }
}

// ---------------------------------------------------------------------------------------
// Duplicate keys

#[test]
fn duplicate_keys_are_recorded_with_full_paths() {
    let s = fixture("duplicates.yaml");
    let d = one(&s);
    let paths: Vec<String> = d
        .duplicate_keys
        .iter()
        .map(|k| k.path.to_string())
        .collect();
    assert_eq!(
        paths,
        ["metadata.name", "spec.template.spec.containers[0].image"]
    );
    let img = &d.duplicate_keys[1];
    assert_eq!(img.key, "image");
    assert_eq!(at(&s, img.first), (11, 11));
    assert_eq!(at(&s, img.duplicate), (12, 11));
    assert_eq!(
        img.path,
        YamlPath::keys("spec.template.spec")
            .key("containers")
            .index(0)
            .key("image")
    );
    // The last value wins in lookups.
    assert_eq!(
        node(
            &d.root,
            &["spec", "template", "spec", "containers", "0", "image"]
        )
        .as_str(),
        Some("nginx:latest")
    );
    assert_eq!(node(&d.root, &["metadata", "name"]).as_str(), Some("dup2"));
}

#[test]
fn duplicate_keys_compare_resolved_keys_and_scale() {
    // `y` and `true` are the same JSON key; `"1"` and `1` are too.
    let d = one(&src("m:\n  y: a\n  true: b\n  \"1\": c\n  1: d\n"));
    let keys: Vec<&str> = d.duplicate_keys.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys, ["true", "1"]);
    // A large mapping (hash path) still finds its duplicate.
    let mut text = String::from("data:\n");
    for i in 0..5000 {
        text.push_str(&format!("  k{i}: v\n"));
    }
    text.push_str("  k17: again\n");
    let d = one(&src(&text));
    assert_eq!(d.duplicate_keys.len(), 1);
    assert_eq!(d.duplicate_keys[0].path.to_string(), "data.k17");
}

#[test]
fn duplicate_key_paths_inside_sequences_and_flow() {
    let d = one(&src(
        "items:\n  - a: 1\n  - {b: 1, b: 2}\n  - - c: 1\n      c: 2\n",
    ));
    let paths: Vec<String> = d
        .duplicate_keys
        .iter()
        .map(|k| k.path.to_string())
        .collect();
    assert_eq!(paths, ["items[1].b", "items[2][0].c"]);
}

// ---------------------------------------------------------------------------------------
// Real-world material

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.is_dir().then_some(p)
}

#[test]
fn real_world_trailing_tabs() {
    // argocd-example-apps: every line but the last ends with a tab (`metadata:\t`).
    let Some(corpus) = corpus() else {
        return;
    };
    let path =
        corpus.join("real-world/argocd-example-apps/kustomize-guestbook/guestbook-ui-svc.yaml");
    let s = SourceFile::new("svc.yaml", std::fs::read_to_string(path).expect("file"));
    let d = one(&s);
    let name = node(&d.root, &["metadata", "name"]);
    assert_eq!(
        (text(&s, name.span), at(&s, name.span)),
        ("guestbook-ui", (4, 9))
    );
    let port = node(&d.root, &["spec", "ports", "0", "targetPort"]);
    assert_eq!((port.as_i64(), text(&s, port.span)), (Some(80), "80"));
    assert_eq!(
        node(&d.root, &["spec", "selector", "app"]).as_str(),
        Some("guestbook-ui")
    );
}

#[test]
fn big_public_stream_matches_its_document_counts() {
    let Some(corpus) = corpus() else {
        return;
    };
    let text = std::fs::read_to_string(corpus.join("big/public.yaml")).expect("big stream");
    let tsv = std::fs::read_to_string(corpus.join("big/public.files.tsv")).expect("tsv");
    let expected: usize = tsv
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(1)?.parse::<usize>().ok())
        .sum();
    let s = SourceFile::new("big/public.yaml", text);
    let all = load_all(&s);
    let errors: Vec<&LoadError> = all.iter().filter_map(|d| d.as_ref().err()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(all.len(), expected);
    // Indices are consecutive.
    for (i, d) in all.iter().enumerate() {
        assert_eq!(d.as_ref().map(|d| d.index).ok(), Some(i));
    }
}

#[test]
fn real_world_manifests_load() {
    let Some(corpus) = corpus() else {
        return;
    };
    let mut files = Vec::new();
    let mut stack = vec![
        corpus.join("real-world"),
        corpus.join("rendered"),
        corpus.join("oracles"),
        corpus.join("helm-golden"),
    ];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                // Helm chart sources are not YAML until rendered; their output is.
                let rendered = p.components().any(|c| c.as_os_str() == "expected");
                if rendered
                    || p.file_name()
                        .is_some_and(|n| n != "templates" && n != "chart")
                {
                    stack.push(p);
                }
            } else if p
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 100, "{} files", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        // Template placeholders (`{{config_data}}`) are not manifests, and kubesec's
        // `file=` form-prefix fixture is deliberately not YAML.
        if text.contains("{{") || f.ends_with("form-prefix-file.json") {
            continue;
        }
        let s = SourceFile::new(f.display().to_string(), text);
        for d in load_all(&s) {
            if let Err(e) = d {
                let p = s.position(e.span.start);
                failures.push(format!("{}:{}:{}: {}", s.path, p.line, p.column, e.message));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn ranges_load_the_same_documents_as_the_whole_stream() {
    use kspm::yaml::load::{load_range, split_ranges};
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!(
            "---\n# doc {i}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  k: |\n    line\n    --- not a marker inside\n"
        ));
        if i == 77 {
            text.push_str("---\nbroken: [unclosed\n");
        }
    }
    let src = SourceFile::new("big.yaml", text);
    let whole: Vec<_> = load_all(&src);
    let ranges = split_ranges(&src.text, 600);
    assert!(ranges.len() > 10, "{}", ranges.len());
    assert_eq!(ranges.first().unwrap().start, 0);
    assert_eq!(ranges.last().unwrap().end, src.text.len());
    assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    let mut pieced = Vec::new();
    for r in ranges {
        let base = pieced.len();
        load_range(&src, r, |d| {
            pieced.push(match d {
                Ok(mut doc) => {
                    doc.index += base;
                    Ok(doc)
                }
                Err(mut e) => {
                    e.document += base;
                    Err(e)
                }
            })
        });
    }
    assert_eq!(whole.len(), 201);
    assert_eq!(pieced.len(), whole.len());
    for (a, b) in whole.iter().zip(&pieced) {
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.index, b.index);
                assert_eq!(a.root, b.root);
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            _ => panic!("ranges and stream disagree: {a:?} vs {b:?}"),
        }
    }
}

#[test]
fn quoted_scalars_end_at_their_closing_quote_not_at_a_comment() {
    let src = SourceFile::new(
        "q.yaml",
        "a:\n  v: \"01\\\"23\" # c\n  w: 'it''s'   # c\n  x: [\"a\" , 'b' ]\n",
    );
    let docs = load_all(&src);
    let root = &docs[0].as_ref().unwrap().root;
    let text = |n: &Node| &src.text[n.span.start..n.span.end];
    let a = root.get("a").unwrap();
    assert_eq!(text(a.get("v").unwrap()), "\"01\\\"23\"");
    assert_eq!(text(a.get("w").unwrap()), "'it''s'");
    let items = a.get("x").unwrap().items();
    assert_eq!(text(&items[0]), "\"a\"");
    assert_eq!(text(&items[1]), "'b'");
}
