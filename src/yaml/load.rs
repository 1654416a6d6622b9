//! The spanned loader: saphyr-parser events -> our tree, one document at a time.

use saphyr_parser::{Event, Parser, ScalarStyle as PStyle, Span as PSpan};

use super::{Entry, Node, Scalar, ScalarKind, ScalarStyle, Span, Value, YamlPath};
use crate::source::SourceFile;

/// One non-empty YAML document of a stream.
#[derive(Debug)]
pub struct Document {
    /// Index among the stream's non-empty documents (0-based).
    pub index: usize,
    pub root: Node,
    pub duplicate_keys: Vec<DuplicateKey>,
}

/// A key that appears twice in one mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    pub first: Span,
    pub duplicate: Span,
    /// The path of the duplicated field (its parent path plus the key).
    pub path: YamlPath,
}

/// A document that could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    /// Index the document would have had.
    pub document: usize,
    pub span: Span,
    pub message: String,
}

/// Load every document of `src`, calling `on_doc` for each one as soon as it is built, so
/// that only one document's tree is alive at a time.
pub fn load_stream(src: &SourceFile, mut on_doc: impl FnMut(Result<Document, LoadError>)) {
    let text = src.text.as_str();
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::new(src);
    let mut index = 0;
    loop {
        match parser.next_event() {
            None => break,
            Some(Err(e)) => {
                let m = e.marker();
                let byte = src.byte_at(m.line(), m.col());
                on_doc(Err(LoadError {
                    document: index,
                    span: Span::new(byte, byte),
                    message: e.info().to_string(),
                }));
                break;
            }
            Some(Ok((ev, span))) => {
                if let Some(root) = builder.event(ev, span) {
                    if !root.is_null() {
                        on_doc(Ok(Document {
                            index,
                            root,
                            duplicate_keys: std::mem::take(&mut builder.duplicates),
                        }));
                        index += 1;
                    }
                    builder.duplicates.clear();
                }
            }
        }
    }
}

enum Frame {
    Seq(Span, Vec<Node>),
    Map(Span, Vec<Entry>, Option<Node>),
}

struct Builder<'a> {
    src: &'a SourceFile,
    stack: Vec<Frame>,
    duplicates: Vec<DuplicateKey>,
}

impl<'a> Builder<'a> {
    fn new(src: &'a SourceFile) -> Self {
        Builder {
            src,
            stack: Vec::new(),
            duplicates: Vec::new(),
        }
    }

    fn byte(&self, m: &saphyr_parser::Marker) -> usize {
        self.src.byte_at(m.line(), m.col())
    }

    fn span(&self, s: &PSpan) -> Span {
        Span::new(self.byte(&s.start), self.byte(&s.end))
    }

    /// Feed one event; returns the root when a document ends.
    fn event(&mut self, ev: Event<'_>, span: PSpan) -> Option<Node> {
        let sp = self.span(&span);
        let node = match ev {
            Event::Scalar(text, style, _anchor, _tag) => {
                let style = match style {
                    PStyle::Plain => ScalarStyle::Plain,
                    PStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    PStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    PStyle::Literal => ScalarStyle::Literal,
                    PStyle::Folded => ScalarStyle::Folded,
                };
                let kind = if style == ScalarStyle::Plain {
                    resolve_plain(&text)
                } else {
                    ScalarKind::Str
                };
                Node {
                    span: sp,
                    value: Value::Scalar(Scalar {
                        text: text.into_owned(),
                        kind,
                        style,
                    }),
                }
            }
            Event::SequenceStart(..) => {
                self.stack.push(Frame::Seq(sp, Vec::new()));
                return None;
            }
            Event::MappingStart(..) => {
                self.stack.push(Frame::Map(sp, Vec::new(), None));
                return None;
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop()? {
                Frame::Seq(start, items) => Node {
                    span: Span::new(start.start, sp.end.max(start.start)),
                    value: Value::Seq(items),
                },
                Frame::Map(start, entries, _) => Node {
                    span: Span::new(start.start, sp.end.max(start.start)),
                    value: Value::Map(entries),
                },
            },
            _ => return None,
        };
        self.push(node)
    }

    fn push(&mut self, node: Node) -> Option<Node> {
        match self.stack.last_mut() {
            None => Some(node),
            Some(Frame::Seq(_, items)) => {
                items.push(node);
                None
            }
            Some(Frame::Map(_, entries, pending)) => {
                match pending.take() {
                    None => *pending = Some(node),
                    Some(key) => {
                        let key_str = key_string(&key);
                        if let Some(first) = entries.iter().find(|e| e.key_str == key_str) {
                            self.duplicates.push(DuplicateKey {
                                key: key_str.clone(),
                                first: first.key.span,
                                duplicate: key.span,
                                path: YamlPath::root().key(&key_str),
                            });
                        }
                        entries.push(Entry {
                            key_str,
                            key,
                            value: node,
                        });
                    }
                }
                None
            }
        }
    }
}

/// The JSON key a YAML key becomes.
fn key_string(key: &Node) -> String {
    match &key.value {
        Value::Scalar(s) => match s.kind {
            ScalarKind::Bool(b) => b.to_string(),
            ScalarKind::Int(i) => i.to_string(),
            ScalarKind::Null => "null".to_string(),
            _ => s.text.clone(),
        },
        _ => String::new(),
    }
}

/// Resolve a plain scalar the way sigs.k8s.io/yaml (go-yaml v2, YAML 1.1) does.
pub fn resolve_plain(text: &str) -> ScalarKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => ScalarKind::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            ScalarKind::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            ScalarKind::Bool(false)
        }
        _ => text
            .parse::<i64>()
            .map(ScalarKind::Int)
            .unwrap_or(ScalarKind::Str),
    }
}
