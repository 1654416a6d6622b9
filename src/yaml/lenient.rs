//! Rewrites that make saphyr accept what the API server's go-yaml accepts.
//!
//! Two constructs occur in real repositories, load fine with `kubectl apply`, and are
//! rejected by saphyr:
//! - a tab after a mapping colon (`name:\tvalue`);
//! - flow content or a closing bracket indented at or left of the parent key
//!   (`args: [` ... `]` with `]` under `args`); libyaml does not check indentation inside
//!   flow collections;
//! - a multi-line quoted scalar whose continuation lines sit left of the block's
//!   indentation (the Kubernetes kafka example wraps a long `command` string that way).
//!
//! Every rewrite replaces bytes by ASCII spaces and never inserts or removes one, so every
//! byte keeps its offset. The loader only asks for a rewrite after the strict parse failed,
//! and accepts it only if the rewritten text parses further and no changed byte falls inside
//! a scalar (which would change a value); see `load.rs`.

use std::ops::Range;

use saphyr_parser::{Event, Parser};

/// Which construct a rewrite tolerates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LenientKind {
    /// A tab between a mapping `:` and its value.
    TabAfterColon,
    /// Flow content (often the closing `]`/`}`) indented at or left of its parent key.
    FlowIndentation,
    /// Continuation lines of a quoted scalar indented left of the enclosing block.
    QuotedIndentation,
}

/// A candidate rewrite of a document's text.
pub(crate) struct Rewrite {
    pub text: String,
    /// The byte ranges that were replaced by spaces, sorted.
    pub changed: Vec<Range<usize>>,
    pub kind: LenientKind,
    /// A quoted scalar (its byte range, quotes included) whose rewritten text no longer
    /// reads as its value, with the value it has in the original.
    pub value: Option<(Range<usize>, String)>,
}

/// The rewrites worth trying for a parse error at byte `at` of `text`, best first.
/// `flow_start` is the offset of the outermost open `[`/`{` when the error happened inside a
/// flow collection.
pub(crate) fn candidates(
    text: &str,
    at: usize,
    message: &str,
    flow_start: Option<usize>,
) -> Vec<Rewrite> {
    let mut out = Vec::new();
    if message.contains("valid YAML whitespace") || message.contains("tab") {
        // All of them at once, so a file full of tabs costs one extra parse, not one per line.
        out.extend(rewrite(
            text,
            tabs_after_colons(text),
            LenientKind::TabAfterColon,
        ));
        out.extend(rewrite(
            text,
            tab_before(text, at),
            LenientKind::TabAfterColon,
        ));
    }
    if message.contains("indentation in quoted scalar") {
        out.extend(quoted_on_one_line(text, at));
        return out;
    }
    if message.contains("indentation")
        && let Some(start) = flow_start
    {
        out.extend(rewrite(
            text,
            flatten_flow(text, start),
            LenientKind::FlowIndentation,
        ));
        out.extend(rewrite(
            text,
            join_with_previous_line(text, at),
            LenientKind::FlowIndentation,
        ));
    }
    out
}

fn rewrite(text: &str, changed: Vec<Range<usize>>, kind: LenientKind) -> Option<Rewrite> {
    if changed.is_empty() {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in &changed {
        bytes[r.clone()].fill(b' ');
    }
    // Whole characters (tabs, breaks, complete comments) became spaces: still UTF-8.
    let text = String::from_utf8(bytes).ok()?;
    Some(Rewrite {
        text,
        changed,
        kind,
        value: None,
    })
}

/// Put the quoted scalar opening at `at` on one line, and read its value separately with
/// the continuation lines indented (their leading blanks are not content anyway).
fn quoted_on_one_line(text: &str, at: usize) -> Option<Rewrite> {
    let b = text.as_bytes();
    if !matches!(b.get(at), Some(b'"' | b'\'')) {
        return None;
    }
    let end = quoted_end(b, at)?;
    let raw = &text[at..end];
    let value = quoted_value(&format!("k: {}", raw.replace('\n', "\n ")))?;
    let changed: Vec<Range<usize>> = (at..end)
        .filter(|&i| matches!(b[i], b'\n' | b'\r'))
        .map(|i| i..i + 1)
        .collect();
    let mut r = rewrite(text, changed, LenientKind::QuotedIndentation)?;
    r.value = Some((at..end, value));
    Some(r)
}

/// The value of `k` in a one-entry mapping.
fn quoted_value(probe: &str) -> Option<String> {
    let mut scalars = 0;
    for ev in Parser::new_from_str(probe) {
        if let (Event::Scalar(v, ..), _) = ev.ok()? {
            scalars += 1;
            if scalars == 2 {
                return Some(v.into_owned());
            }
        }
    }
    None
}

/// Every tab run between a `:` and a value on the same line.
fn tabs_after_colons(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr(b':', &b[i..]) {
        let colon = i + off;
        let mut j = colon + 1;
        let mut tabs = false;
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            tabs |= b[j] == b'\t';
            j += 1;
        }
        if tabs && j < b.len() && !matches!(b[j], b'\r' | b'\n' | b'#') {
            push_tabs(b, colon + 1..j, &mut out);
        }
        i = j.max(colon + 1);
    }
    out
}

/// The tab run that ends right before `at`, when a `:` precedes it.
fn tab_before(text: &str, at: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let at = at.min(b.len());
    let mut j = at;
    while j > 0 && matches!(b[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    let mut out = Vec::new();
    if j > 0 && b[j - 1] == b':' {
        push_tabs(b, j..at, &mut out);
    }
    out
}

fn push_tabs(b: &[u8], range: Range<usize>, out: &mut Vec<Range<usize>>) {
    for k in range {
        if b[k] == b'\t' {
            out.push(k..k + 1);
        }
    }
}

/// Put a whole flow collection on one line: its line breaks and comments become spaces.
fn flatten_flow(text: &str, start: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    if !matches!(b.get(start), Some(b'[' | b'{')) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut depth = 0usize;
    // The last significant byte outside comments and quotes: a quote opens a quoted scalar
    // only right after an indicator, elsewhere it is part of a plain scalar.
    let mut prev = b'[';
    let mut i = start;
    while i < b.len() {
        let c = b[i];
        match c {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return out;
                }
            }
            b'\n' | b'\r' => out.push(i..i + 1),
            b'#' if i > 0 && matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                let end = line_end(b, i);
                out.push(i..end);
                i = end;
                continue;
            }
            b'"' | b'\'' if matches!(prev, b'[' | b'{' | b',' | b':' | b'?') => {
                match quoted_end(b, i) {
                    Some(end) => {
                        prev = c;
                        i = end;
                        continue;
                    }
                    None => return Vec::new(),
                }
            }
            _ => {}
        }
        if !matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
            prev = c;
        }
        i += 1;
    }
    // No matching bracket: leave it to the parser's own error.
    Vec::new()
}

/// The byte after the quoted scalar opening at `i`.
fn quoted_end(b: &[u8], i: usize) -> Option<usize> {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if q == b'"' => j += 2,
            c if c == q => {
                // `''` is an escaped quote inside a single-quoted scalar.
                if q == b'\'' && b.get(j + 1) == Some(&b'\'') {
                    j += 2;
                } else {
                    return Some(j + 1);
                }
            }
            _ => j += 1,
        }
    }
    None
}

fn line_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && !matches!(b[j], b'\n' | b'\r') {
        j += 1;
    }
    j
}

fn line_start(b: &[u8], i: usize) -> usize {
    b[..i]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1)
}

/// Join the line holding `at` (whose first token is at `at`) with the previous line that has
/// content: the breaks in between, blank and comment-only lines and that line's trailing
/// comment become spaces.
fn join_with_previous_line(text: &str, at: usize) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    if at > b.len() {
        return Vec::new();
    }
    let start = line_start(b, at);
    if start == 0 || !b[start..at].iter().all(|&c| matches!(c, b' ' | b'\t')) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut end = start; // exclusive end of the region to blank
    loop {
        if end == 0 {
            return Vec::new();
        }
        let prev_start = line_start(b, end - 1);
        match content_end(&b[prev_start..end]) {
            Line::Content(e) => {
                push_breaks_and_comments(b, prev_start + e..end, &mut out);
                out.sort_by_key(|r| r.start);
                return out;
            }
            Line::Empty => {
                // Blank or comment-only line: blank it whole and keep looking.
                push_breaks_and_comments(b, prev_start..end, &mut out);
                end = prev_start;
            }
            Line::Unknown => return Vec::new(),
        }
    }
}

/// What a line holds, as far as joining lines cares.
#[derive(Debug, PartialEq)]
enum Line {
    /// Content ends at this offset (before blanks and a trailing comment).
    Content(usize),
    /// Blank or comment-only.
    Empty,
    /// Ends inside a quoted scalar: joining could change its value.
    Unknown,
}

/// Within `range`, record line breaks and `#` comments (through the end of their line).
fn push_breaks_and_comments(b: &[u8], range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let mut i = range.start;
    while i < range.end {
        match b[i] {
            b'\n' | b'\r' => {
                out.push(i..i + 1);
                i += 1;
            }
            b'#' => {
                let e = line_end(b, i).min(range.end);
                out.push(i..e);
                i = e;
            }
            _ => i += 1,
        }
    }
}

/// Where a line's content ends, before blanks and a trailing comment.
fn content_end(line: &[u8]) -> Line {
    let mut quote: Option<u8> = None;
    let mut end = None;
    let mut i = 0;
    while i < line.len() {
        let c = line[i];
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
                end = Some(i + 1);
            }
            None => match c {
                b'#' if i == 0 || matches!(line[i - 1], b' ' | b'\t') => break,
                b'"' | b'\''
                    if i == 0
                        || matches!(line[i - 1], b' ' | b'\t' | b'[' | b'{' | b',' | b':') =>
                {
                    quote = Some(c);
                    end = Some(i + 1);
                }
                b' ' | b'\t' | b'\r' | b'\n' => {}
                _ => end = Some(i + 1),
            },
        }
        i += 1;
    }
    match (quote, end) {
        (Some(_), _) => Line::Unknown,
        (None, Some(e)) => Line::Content(e),
        (None, None) => Line::Empty,
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, changed: Vec<Range<usize>>) -> String {
        rewrite(text, changed, LenientKind::TabAfterColon)
            .map(|r| r.text)
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn tabs_after_colons_keep_offsets() {
        let t = "a:\tb\nc:\t\td\ne: \tf\ng:\t\nh: \"x:\ty\"\n";
        let out = apply(t, tabs_after_colons(t));
        assert_eq!(out.len(), t.len());
        // Trailing tabs are left alone (saphyr accepts them); a quoted `:\t` is rewritten
        // here and caught by the loader's scalar guard.
        assert_eq!(out, "a: b\nc:  d\ne:  f\ng:\t\nh: \"x: y\"\n");
    }

    #[test]
    fn tab_before_the_error_only() {
        let t = "a:\tb\nc:\td\n";
        let at = t.find('d').unwrap();
        assert_eq!(apply(t, tab_before(t, at)), "a:\tb\nc: d\n");
        // Not after a colon: nothing to do.
        let t2 = "a b\tc";
        assert!(tab_before(t2, 4).is_empty());
    }

    #[test]
    fn flatten_a_flow_sequence() {
        let t = "args: [\n  \"--foo\", # first\n  \"--bar\"\n]\nnext: 1\n";
        let start = t.find('[').unwrap();
        let out = apply(t, flatten_flow(t, start));
        assert_eq!(out.len(), t.len());
        assert_eq!(out, "args: [   \"--foo\",           \"--bar\" ]\nnext: 1\n");
    }

    #[test]
    fn flatten_respects_quotes_and_plain_apostrophes() {
        let t = "a: [\"x]#\", don't,\n 'y''z]'\n]\n";
        let start = t.find('[').unwrap();
        let out = apply(t, flatten_flow(t, start));
        assert_eq!(out, "a: [\"x]#\", don't,  'y''z]' ]\n");
        // Unbalanced: nothing.
        assert!(flatten_flow("a: [1, 2\n", 3).is_empty());
    }

    #[test]
    fn join_with_the_previous_content_line() {
        let t = "k:\n  a: [\n    x, # c\n\n    # only a comment\n  ]\n";
        let at = t.rfind(']').unwrap();
        let out = apply(t, join_with_previous_line(t, at));
        assert_eq!(out.len(), t.len());
        assert_eq!(out, "k:\n  a: [\n    x,                             ]\n");
        // The token must be the first on its line.
        assert!(join_with_previous_line("a: [x,\n  y ]\n", 11).is_empty());
    }

    #[test]
    fn comments_are_found_outside_quotes() {
        assert_eq!(content_end(b"  \"a # b\" # c"), Line::Content(9));
        assert_eq!(content_end(b"  x, # c"), Line::Content(4));
        assert_eq!(content_end(b"  # c"), Line::Empty);
        assert_eq!(content_end(b"   \r\n"), Line::Empty);
        assert_eq!(content_end(b"  a#b"), Line::Content(5));
        // Inside an unterminated quote: joining is not safe.
        assert_eq!(content_end(b"  \"abc"), Line::Unknown);
    }

    #[test]
    fn quoted_scalar_on_one_line() {
        let t = "- \"exec a \\\n  --b \\\n  c\"\n- x\n";
        let r = quoted_on_one_line(t, 2).expect("a rewrite");
        assert_eq!(r.text, "- \"exec a \\   --b \\   c\"\n- x\n");
        assert_eq!(
            r.value,
            Some((
                2..t.find("\"\n- x").unwrap() + 1,
                "exec a --b c".to_string()
            ))
        );
        let t = "- 'it''s\n folded'\n";
        let r = quoted_on_one_line(t, 2).expect("a rewrite");
        assert_eq!(r.value.map(|v| v.1).as_deref(), Some("it's folded"));
        assert!(quoted_on_one_line("- x", 2).is_none());
    }

    #[test]
    fn candidates_by_message() {
        let t = "a:\tb\n";
        let c = candidates(
            t,
            3,
            "':' must be followed by a valid YAML whitespace",
            None,
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].text, "a: b\n");
        assert!(candidates(t, 3, "invalid indentation", None).is_empty());
    }
}
