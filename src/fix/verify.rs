//! Checking a fixed text: it still loads, has the same documents, and its data differs
//! from the original only at the fields the applied fixes name.

use std::collections::BTreeMap;

use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, ScalarKind, Value, YamlPath};

/// Why a fixed text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A document that loaded before does not load after (or the count changed).
    Parse(String),
    /// The data of a document changed at a field no fix names.
    Changed { document: usize, path: String },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Parse(m) => write!(f, "the fixed text would not load: {m}"),
            Refusal::Changed { document, path } => write!(
                f,
                "the fix would also change `{path}` in document {document}"
            ),
        }
    }
}

/// The loaded documents of a text, by index (`None` for one that failed).
fn documents(text: &str) -> Vec<Option<Node>> {
    let src = SourceFile::new("", text);
    load_all(&src)
        .into_iter()
        .map(|d| d.ok().map(|d| d.root))
        .collect()
}

/// Check `after` against `before`: `allowed` lists, per document index, the paths whose
/// data may change (with everything below them, and the parents created on the way).
pub fn check(
    before: &str,
    after: &str,
    allowed: &BTreeMap<usize, Vec<YamlPath>>,
) -> Result<(), Refusal> {
    let b = documents(before);
    let a = documents(after);
    if a.len() != b.len() {
        return Err(Refusal::Parse(format!(
            "{} documents instead of {}",
            a.len(),
            b.len()
        )));
    }
    let none: Vec<YamlPath> = Vec::new();
    for (i, (db, da)) in b.iter().zip(&a).enumerate() {
        match (db, da) {
            (Some(nb), Some(na)) => {
                let paths = allowed.get(&i).unwrap_or(&none);
                if let Err(path) = same_except(nb, na, &YamlPath::root(), paths) {
                    return Err(Refusal::Changed {
                        document: i,
                        path: path.to_string(),
                    });
                }
            }
            (Some(_), None) => {
                return Err(Refusal::Parse(format!("document {i} no longer loads")));
            }
            _ => {}
        }
    }
    Ok(())
}

fn under(path: &YamlPath, allowed: &[YamlPath]) -> bool {
    allowed.iter().any(|p| path.segs().starts_with(p.segs()))
}

fn on_route(path: &YamlPath, allowed: &[YamlPath]) -> bool {
    allowed.iter().any(|p| p.segs().starts_with(path.segs()))
}

/// The entries of a mapping as the API server reads them (the last duplicate wins).
fn effective(node: &Node) -> BTreeMap<&str, &Node> {
    node.entries()
        .iter()
        .map(|e| (e.key_str.as_str(), &e.value))
        .collect()
}

fn same_scalar(a: &Node, b: &Node) -> bool {
    match (a.scalar(), b.scalar()) {
        (Some(x), Some(y)) => match (&x.kind, &y.kind) {
            (ScalarKind::Str | ScalarKind::Timestamp, ScalarKind::Str | ScalarKind::Timestamp) => {
                x.text == y.text
            }
            (ScalarKind::Float(f), ScalarKind::Float(g)) => f == g || (f.is_nan() && g.is_nan()),
            (k, l) => k == l,
        },
        _ => false,
    }
}

/// Compare two trees; `Err` names the first field that differs outside `allowed`.
pub fn same_except(
    before: &Node,
    after: &Node,
    path: &YamlPath,
    allowed: &[YamlPath],
) -> Result<(), YamlPath> {
    if under(path, allowed) {
        return Ok(());
    }
    let route = on_route(path, allowed);
    match (&before.value, &after.value) {
        (Value::Map(_), Value::Map(_)) => maps(before, after, path, allowed),
        // A parent the fix created where the field was null.
        (Value::Scalar(_), Value::Map(_)) if route && before.is_null() => {
            maps(before, after, path, allowed)
        }
        (Value::Seq(x), Value::Seq(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                same_except(p, q, &path.index(i), allowed)?;
            }
            Ok(())
        }
        (Value::Scalar(_), Value::Scalar(_)) if same_scalar(before, after) => Ok(()),
        _ => Err(path.clone()),
    }
}

fn maps(
    before: &Node,
    after: &Node,
    path: &YamlPath,
    allowed: &[YamlPath],
) -> Result<(), YamlPath> {
    let (mb, ma) = (effective(before), effective(after));
    for (k, vb) in &mb {
        let child = path.key(k);
        match ma.get(k) {
            Some(va) => same_except(vb, va, &child, allowed)?,
            None if under(&child, allowed) => {}
            None => return Err(child),
        }
    }
    for k in ma.keys().filter(|k| !mb.contains_key(*k)) {
        let child = path.key(k);
        if !under(&child, allowed) && !on_route(&child, allowed) {
            return Err(child);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(paths: &[&str]) -> BTreeMap<usize, Vec<YamlPath>> {
        BTreeMap::from([(0, paths.iter().map(|p| YamlPath::keys(p)).collect())])
    }

    #[test]
    fn allows_only_the_fixed_fields() {
        let before = "a:\n  b: 1\nc: 2\n";
        let ok = "a:\n  b: 1\n  d:\n    e: true\nc: 2\n";
        assert_eq!(check(before, ok, &allow(&["a.d.e"])), Ok(()));
        let bad = "a:\n  b: 1\n  d:\n    e: true\nc: 3\n";
        assert_eq!(
            check(before, bad, &allow(&["a.d.e"])),
            Err(Refusal::Changed {
                document: 0,
                path: "c".into()
            })
        );
        assert!(matches!(
            check(before, "a: [\n", &allow(&[])),
            Err(Refusal::Parse(_))
        ));
        // Quoting and flow style are not data.
        assert_eq!(check(before, "{a: {b: 1}, \"c\": 2}", &allow(&[])), Ok(()));
    }
}
