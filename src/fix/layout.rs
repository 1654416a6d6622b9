//! Reading the layout of the text around an edit: lines, columns, line endings, and the
//! indentation and sequence style the person uses.

use std::collections::BTreeMap;

use super::value::Style;

/// The file's line ending: CRLF when its first line ends so.
pub fn eol(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

pub fn line_start(text: &str, pos: usize) -> usize {
    text[..pos.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// Where the line holding `pos` ends, before its `\r\n` or `\n` (the text's end for the
/// last line).
pub fn line_end(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    let nl = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    if nl > pos && text.as_bytes()[nl - 1] == b'\r' {
        nl - 1
    } else {
        nl
    }
}

/// The start of the line after the one holding `pos` (the text's end for the last line).
pub fn next_line(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// Characters between the line start and `pos`.
pub fn column(text: &str, pos: usize) -> usize {
    text[line_start(text, pos)..pos].chars().count()
}

/// Only spaces between the line start and `pos`.
pub fn blank_before(text: &str, pos: usize) -> bool {
    text[line_start(text, pos)..pos].bytes().all(|b| b == b' ')
}

/// Only blanks, or a comment, between `pos` and the line end.
pub fn blank_after(text: &str, pos: usize) -> bool {
    let rest = text[pos..line_end(text, pos)].trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.starts_with('#')
}

/// The `- ` of a block sequence item starting at `item`: the dash's offset, when only
/// spaces precede it on the line.
pub fn dash_before(text: &str, item: usize) -> Option<usize> {
    let start = line_start(text, item);
    let before = &text[start..item];
    let trimmed = before.trim_end_matches(' ');
    if !trimmed.ends_with('-') || trimmed.len() == before.len() {
        return None;
    }
    let dash = start + trimmed.len() - 1;
    blank_before(text, dash).then_some(dash)
}

/// The `:` after a key (skipping blanks), if any.
pub fn colon_after(text: &str, key_end: usize) -> Option<usize> {
    let rest = &text[key_end..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    (rest[skipped..].starts_with(':')).then_some(key_end + skipped)
}

/// A line's content: indentation and text without a trailing comment.
fn content(line: &str) -> Option<(usize, &str)> {
    let line = line.trim_end_matches('\r');
    let body = line.trim_start_matches(' ');
    if body.is_empty() || body.starts_with('#') {
        return None;
    }
    let body = match body.find(" #") {
        Some(i) => &body[..i],
        None => body,
    };
    Some((
        line.len() - line.trim_start_matches(' ').len(),
        body.trim_end(),
    ))
}

/// The column of the innermost key on a line (`- - name:` counts its dashes).
fn key_col(indent: usize, body: &str) -> usize {
    let mut col = indent;
    let mut b = body;
    while let Some(rest) = b.strip_prefix('-') {
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if spaces == 0 {
            break;
        }
        col += 1 + spaces;
        b = &rest[spaces..];
    }
    col
}

/// How far around an edit the style is read from: the document region matters, not the
/// whole of a large stream.
const WINDOW: usize = 32 * 1024;

/// The indentation unit and sequence style of the text around `at` (defaults: 2 and
/// indented sequences).
pub fn style_at(text: &str, at: usize, json: bool) -> Style {
    let mut from = at.saturating_sub(WINDOW);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    // Only this document of a stream: scanning a whole window for every fix of a large
    // stream made fixes the largest cost of a run (timed with `kspm lint --timings`).
    let (from, to) = match (text.get(from..at), text.get(at..to)) {
        (Some(before), Some(after)) => (
            before.rfind("\n---").map_or(from, |i| from + i + 1),
            after.find("\n---").map_or(to, |i| at + i),
        ),
        _ => (from, to),
    };
    let from = line_start(text, from);
    let lines: Vec<(usize, &str)> = text[from..to].split('\n').filter_map(content).collect();
    let mut indents: BTreeMap<usize, usize> = BTreeMap::new();
    let mut seqs: BTreeMap<usize, usize> = BTreeMap::new();
    for pair in lines.windows(2) {
        let ((ia, a), (ib, b)) = (pair[0], pair[1]);
        if !a.ends_with(':') {
            continue;
        }
        let col = key_col(ia, a);
        if b.starts_with("- ") || b == "-" {
            if ib >= col {
                *seqs.entry(ib - col).or_default() += 1;
            }
        } else if ib > col {
            *indents.entry(ib - col).or_default() += 1;
        }
    }
    let most = |m: &BTreeMap<usize, usize>| {
        m.iter()
            .filter(|(k, _)| **k <= 8)
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(k, _)| *k)
    };
    // Without a nested mapping to read, a sequence indented under its key says the unit.
    let indent = most(&indents)
        .or_else(|| most(&seqs))
        .filter(|&i| i > 0)
        .unwrap_or(2);
    Style {
        indent,
        seq_indent: most(&seqs).unwrap_or(indent),
        json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_indent_and_sequence_style() {
        let flush = "a:\n    b: 1\n    c:\n    - x\n    d:\n    - y\n";
        let st = style_at(flush, 0, false);
        assert_eq!((st.indent, st.seq_indent), (4, 0));
        let indented = "spec:\n  containers:\n    - name: a\n      env:\n        - name: X\n";
        let st = style_at(indented, 0, false);
        assert_eq!((st.indent, st.seq_indent), (2, 2));
    }

    #[test]
    fn lines_and_endings() {
        let t = "a: 1\r\nb: 2";
        assert_eq!(eol(t), "\r\n");
        assert_eq!(line_end(t, 0), 4);
        assert_eq!(next_line(t, 0), 6);
        assert_eq!(line_end(t, 7), t.len());
        assert_eq!(dash_before("  - x", 4), Some(2));
        assert_eq!(dash_before("a: - x", 5), None);
    }
}
