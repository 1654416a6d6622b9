//! Reading the layout of the text around an edit: lines, columns, line endings, and the
//! indentation and sequence style the person uses.

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

/// The style is read per block of the text (the lines near an edit matter, not the whole
/// of a large stream), from the block and a margin on each side.
const BLOCK: usize = 4096;
const MARGIN: usize = 1024;

/// A block's style, remembered per thread: the findings of one object resolve their fixes
/// one after the other in the same block. The key holds the text's address and length and
/// the block's first bytes, so another text never reuses it.
type Cached = (usize, usize, usize, [u8; 32], bool, Style);

thread_local! {
    static LAST: std::cell::Cell<Option<Cached>> = const { std::cell::Cell::new(None) };
}

/// The indentation unit and sequence style of the text around `at` (defaults: 2 and
/// indented sequences). The same for every `at` in one block of the text.
pub fn style_at(text: &str, at: usize, json: bool) -> Style {
    let block = at / BLOCK;
    let start = (block * BLOCK).min(text.len());
    let mut head = [0u8; 32];
    let sample = &text.as_bytes()[start..(start + 32).min(text.len())];
    head[..sample.len()].copy_from_slice(sample);
    let key = (text.as_ptr() as usize, text.len(), block, head, json);
    if let Some((p, l, b, h, j, st)) = LAST.with(|c| c.get())
        && (p, l, b, h, j) == key
    {
        return st;
    }
    let st = read_style(text, start, json);
    LAST.with(|c| c.set(Some((key.0, key.1, key.2, key.3, key.4, st))));
    st
}

fn read_style(text: &str, start: usize, json: bool) -> Style {
    let mut from = start.saturating_sub(MARGIN);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (start + BLOCK + MARGIN).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let from = line_start(text, from);
    // Votes per width 0..=8: nested mappings, and sequences under their key.
    let mut indents = [0usize; 9];
    let mut seqs = [0usize; 9];
    let mut prev: Option<(usize, &str)> = None;
    for line in text[from..to].split('\n') {
        let Some((ib, b)) = content(line) else {
            continue;
        };
        if let Some((ia, a)) = prev
            && a.ends_with(':')
        {
            let col = key_col(ia, a);
            if b.starts_with("- ") || b == "-" {
                if let Some(v) = ib.checked_sub(col).and_then(|d| seqs.get_mut(d)) {
                    *v += 1;
                }
            } else if let Some(v) = ib
                .checked_sub(col)
                .filter(|&d| d > 0)
                .and_then(|d| indents.get_mut(d))
            {
                *v += 1;
            }
        }
        prev = Some((ib, b));
    }
    // The most votes; on a tie the smaller width.
    let most = |m: &[usize; 9]| {
        (0..m.len())
            .filter(|&i| m[i] > 0)
            .max_by(|&a, &b| m[a].cmp(&m[b]).then(b.cmp(&a)))
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
