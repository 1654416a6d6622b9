//! The spanned loader on arbitrary bytes: never panics, every span it returns lies inside
//! the text on character boundaries, no tree is deeper than the limit, and cutting the
//! stream into ranges (as the engine does) loads the same documents and errors.

#![no_main]

use kspm::source::SourceFile;
use kspm::yaml::load::{Document, LoadError, load_all, load_range, split_ranges};
use kspm::yaml::{Node, Span, Value};
use libfuzzer_sys::fuzz_target;

fn check_span(text: &str, span: Span) {
    assert!(span.start <= span.end, "inverted span {span:?}");
    assert!(
        span.end <= text.len(),
        "span {span:?} past the end ({})",
        text.len()
    );
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
}

fn check_node(text: &str, node: &Node, depth: usize) {
    check_span(text, node.span);
    assert!(
        depth <= kspm::yaml::load::MAX_DEPTH + 1,
        "deeper than the limit"
    );
    match &node.value {
        Value::Scalar(_) => {}
        Value::Seq(items) => items.iter().for_each(|n| check_node(text, n, depth + 1)),
        Value::Map(entries) => {
            for e in entries {
                check_node(text, &e.key, depth + 1);
                check_node(text, &e.value, depth + 1);
            }
        }
    }
}

/// What a document loaded to, comparable across loads.
fn summary(d: &Result<Document, LoadError>) -> String {
    match d {
        Ok(d) => format!("{:?} {:?}", d.root, d.duplicate_keys),
        Err(e) => format!("{:?} {}", e.span, e.message),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let src = SourceFile::new("fuzz.yaml", text.into_owned());
    let docs = load_all(&src);
    // The engine cuts large streams into ranges at document boundaries: a cut must not
    // change what loads (small ranges here, so that short inputs are cut too).
    let mut cut = Vec::new();
    for range in split_ranges(&src.text, 61) {
        load_range(&src, range, |d| cut.push(summary(&d)));
    }
    let whole: Vec<String> = docs.iter().map(summary).collect();
    assert_eq!(whole, cut, "cutting the stream changed what loads");
    for doc in docs {
        match doc {
            Ok(d) => {
                check_node(&src.text, &d.root, 0);
                for k in &d.duplicate_keys {
                    check_span(&src.text, k.first);
                    check_span(&src.text, k.duplicate);
                }
            }
            Err(e) => {
                check_span(&src.text, e.span);
                let pos = src.position(e.span.start);
                assert!(pos.line >= 1 && pos.line <= src.line_count());
            }
        }
    }
});
