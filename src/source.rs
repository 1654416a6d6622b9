//! Source text and the one place where byte offsets become lines and columns.
//!
//! Columns are 1-based and count Unicode scalar values (characters), the unit
//! editors, SARIF (`columnKind: unicodeCodePoints`) and the corpus scorer use.

use std::sync::Arc;

/// A 1-based line and character column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One input file (or stdin, or a rendered stream), with a line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as reached from the command-line argument, with `/` separators.
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        // Sized exactly: for a large stream the index is a third of the text's size, and
        // growing it by doubling would hold up to twice that.
        let mut line_starts = Vec::with_capacity(text.bytes().filter(|&b| b == b'\n').count() + 1);
        line_starts.push(0);
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Arc::new(SourceFile {
            path: path.into(),
            text,
            line_starts,
        })
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset of the start of 1-based `line` (clamped to the text).
    pub fn line_start(&self, line: usize) -> usize {
        let i = line.saturating_sub(1).min(self.line_starts.len() - 1);
        self.line_starts[i]
    }

    /// The text of 1-based `line`, without its line terminator.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// Line and character column of a byte offset (clamped; snapped back to a char boundary).
    pub fn position(&self, byte: usize) -> Position {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line_idx = match self.line_starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_idx];
        let column = self.text[start..byte].chars().count() + 1;
        Position {
            line: line_idx + 1,
            column,
        }
    }

    /// Byte offset of a 1-based line and a 0-based character column (saphyr's markers),
    /// clamped to the end of that line.
    pub fn byte_at(&self, line: usize, char_col: usize) -> usize {
        let start = self.line_start(line);
        let rest = &self.text[start..];
        let line_len = rest.find('\n').unwrap_or(rest.len());
        rest[..line_len]
            .char_indices()
            .nth(char_col)
            .map_or(start + line_len, |(i, _)| start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let src = SourceFile::new("x.yaml", "a: 1\nname: \"héllo wörld\"\nz: 2\n");
        let byte = src.text.find("wörld").unwrap();
        assert_eq!(
            src.position(byte),
            Position {
                line: 2,
                column: 14
            }
        );
        let z = src.text.find("z:").unwrap();
        assert_eq!(src.position(z), Position { line: 3, column: 1 });
        assert_eq!(src.byte_at(2, 13), byte);
        assert_eq!(src.line_text(2), "name: \"héllo wörld\"");
    }

    #[test]
    fn crlf_lines() {
        let src = SourceFile::new("x.yaml", "a: 1\r\nb: 2\r\n");
        assert_eq!(src.line_text(1), "a: 1");
        let b = src.text.find('b').unwrap();
        assert_eq!(src.position(b), Position { line: 2, column: 1 });
    }
}
