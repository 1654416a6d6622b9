//! YAML embedded in a block scalar (`patch: |-` in a kustomization): parsed on its own, its
//! spans are moved back into the file that holds it.

use std::sync::Arc;

use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, ScalarStyle, Span};

/// The text of a literal block scalar, parsed as its own source, with the line offset and
/// indentation that place it in the outer file.
#[derive(Debug)]
pub struct Embedded {
    pub inner: Arc<SourceFile>,
    /// Documents of the inner text (index, root).
    pub docs: Vec<(usize, Node)>,
    outer: Arc<SourceFile>,
    /// Outer line of the inner text's first line.
    first_line: usize,
    /// Characters of indentation the outer lines add.
    indent: usize,
}

impl Embedded {
    /// `value` must be a literal block scalar of `outer` whose lines, minus one common
    /// indentation, are exactly the scalar's text; anything else (folded, quoted, escaped)
    /// gives `None` and callers point at the scalar as a whole.
    pub fn new(outer: &Arc<SourceFile>, value: &Node) -> Option<Embedded> {
        let scalar = value.scalar()?;
        if scalar.style != ScalarStyle::Literal {
            return None;
        }
        let header = outer.position(value.span.start).line;
        let first_line = header + 1;
        let inner_lines: Vec<&str> = scalar.text.split('\n').collect();
        let first_content = inner_lines.iter().position(|l| !l.trim().is_empty())?;
        let outer_first = outer.line_text(first_line + first_content);
        let inner_first = inner_lines[first_content];
        let indent = outer_first
            .chars()
            .count()
            .checked_sub(inner_first.chars().count())?;
        // Every non-blank line must sit at that indentation, byte for byte.
        for (i, line) in inner_lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let o = outer.line_text(first_line + i);
            let rest: String = o.chars().skip(indent).collect();
            if rest != *line || !o.chars().take(indent).all(|c| c == ' ') {
                return None;
            }
        }
        let inner = SourceFile::new(outer.path.clone(), scalar.text.clone());
        let docs = load_all(&inner)
            .into_iter()
            .filter_map(Result::ok)
            .map(|d| (d.index, d.root))
            .collect();
        Some(Embedded {
            inner,
            docs,
            outer: outer.clone(),
            first_line,
            indent,
        })
    }

    /// An inner span as a span of the outer file.
    pub fn outer_span(&self, span: Span) -> Span {
        Span::new(self.outer_byte(span.start), self.outer_byte(span.end))
    }

    fn outer_byte(&self, inner_byte: usize) -> usize {
        let pos = self.inner.position(inner_byte);
        self.outer
            .byte_at(self.first_line + pos.line - 1, self.indent + pos.column - 1)
    }

    pub fn outer(&self) -> &Arc<SourceFile> {
        &self.outer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_move_back_into_the_outer_file() {
        let text = "patches:\n- patch: |-\n    kind: Deployment\n    spec:\n      replicas: 3\n  target: {kind: Deployment}\n";
        let outer = SourceFile::new("k/kustomization.yaml", text);
        let doc = load_all(&outer).remove(0).unwrap();
        let value = doc.root.get("patches").unwrap().items()[0]
            .get("patch")
            .unwrap()
            .clone();
        let e = Embedded::new(&outer, &value).unwrap();
        let replicas = e.docs[0].1.get_path(&["spec", "replicas"]).unwrap();
        let span = e.outer_span(replicas.span);
        assert_eq!(&outer.text[span.start..span.end], "3");
        assert_eq!(outer.position(span.start).line, 5);
        assert_eq!(outer.position(span.start).column, 17);
    }

    #[test]
    fn folded_scalars_are_not_embedded() {
        let outer = SourceFile::new("k.yaml", "patch: >\n  kind: X\n");
        let doc = load_all(&outer).remove(0).unwrap();
        assert!(Embedded::new(&outer, doc.root.get("patch").unwrap()).is_none());
    }
}
