//! Nodes of the spanned tree and the accessors rules use.

/// A byte range into the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// How a scalar was written; plain scalars are the only ones that resolve to
/// non-string types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// The type a scalar resolves to under Kubernetes' YAML 1.1 dialect (sigs.k8s.io/yaml).
#[derive(Clone, Debug, PartialEq)]
pub enum ScalarKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// An unquoted `YYYY-MM-DD...` timestamp; the text is kept.
    Timestamp,
    Str,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The scalar's content after unescaping and folding (not the resolved value).
    pub text: String,
    pub kind: ScalarKind,
    pub style: ScalarStyle,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key as the API server sees it once converted to JSON (`y` -> `"true"`).
    pub key_str: String,
    pub key: Node,
    pub value: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

impl Node {
    pub fn scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The entry for `key`; with duplicate keys the last one wins, as in the API server's
    /// YAML-to-JSON conversion.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key_str == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follow a chain of keys.
    pub fn get_path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, k| node.get(k))
    }

    pub fn is_null(&self) -> bool {
        matches!(
            self.scalar(),
            Some(Scalar {
                kind: ScalarKind::Null,
                ..
            })
        )
    }

    /// A string value (a scalar that resolves to a string; quoted or not).
    pub fn as_str(&self) -> Option<&str> {
        match self.scalar()? {
            Scalar {
                kind: ScalarKind::Str | ScalarKind::Timestamp,
                text,
                ..
            } => Some(text),
            _ => None,
        }
    }

    /// The scalar's text whatever its type (`true`, `0755`, `"x"` -> `x`).
    pub fn scalar_text(&self) -> Option<&str> {
        self.scalar().map(|s| s.text.as_str())
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.scalar()?.kind {
            ScalarKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self.scalar()?.kind {
            ScalarKind::Int(i) => Some(i),
            ScalarKind::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    /// True for a missing-in-effect value: null, an empty map or an empty sequence.
    pub fn is_empty_value(&self) -> bool {
        match &self.value {
            Value::Scalar(s) => s.kind == ScalarKind::Null,
            Value::Seq(s) => s.is_empty(),
            Value::Map(m) => m.is_empty(),
        }
    }

    /// Items of a sequence (an empty slice for anything else, including null).
    pub fn items(&self) -> &[Node] {
        self.as_seq().unwrap_or(&[])
    }

    /// Entries of a mapping (an empty slice for anything else, including null).
    pub fn entries(&self) -> &[Entry] {
        self.as_map().unwrap_or(&[])
    }
}
