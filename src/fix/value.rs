//! The small YAML values fixes insert, and how they are written in block, flow and JSON
//! style.

use crate::yaml::ScalarKind;
use crate::yaml::load::resolve_plain;

/// A value a fix writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Val {
    /// A scalar written as is (`false`, `1000`): never quoted.
    Raw(String),
    /// A string: plain when YAML reads it back as the same string, else double-quoted.
    Str(String),
    Seq(Vec<Val>),
    Map(Vec<(String, Val)>),
}

impl Val {
    pub fn raw(s: &str) -> Val {
        Val::Raw(s.to_string())
    }

    pub fn str(s: &str) -> Val {
        Val::Str(s.to_string())
    }

    pub fn bool(b: bool) -> Val {
        Val::Raw(if b { "true" } else { "false" }.to_string())
    }

    /// `[ "A", "B" ]` of strings.
    pub fn strs(items: &[&str]) -> Val {
        Val::Seq(items.iter().map(|s| Val::str(s)).collect())
    }

    pub fn map(entries: &[(&str, Val)]) -> Val {
        Val::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
        )
    }

    /// Wrap in mappings for `keys` (outermost first): `nest(["a","b"], v)` is `{a: {b: v}}`.
    pub fn nest(keys: &[&str], leaf: Val) -> Val {
        keys.iter()
            .rev()
            .fold(leaf, |v, k| Val::Map(vec![((*k).to_string(), v)]))
    }

    pub fn is_scalar(&self) -> bool {
        matches!(self, Val::Raw(_) | Val::Str(_))
    }
}

/// How the surrounding text writes things.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    /// Spaces per nesting level of block mappings.
    pub indent: usize,
    /// Spaces a block sequence's `-` sits right of its key (0: `- ` flush under the key).
    pub seq_indent: usize,
    /// Keys and strings double-quoted (a JSON file).
    pub json: bool,
}

/// A string as a scalar: plain when that reads back as the same string.
pub fn scalar_text(s: &str, json: bool) -> String {
    let plain_ok = !json
        && !s.is_empty()
        && resolve_plain(s) == ScalarKind::Str
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
        && !s.starts_with(['-', '.', '/']);
    if plain_ok {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
    }
}

fn scalar(v: &Val, json: bool) -> Option<String> {
    match v {
        Val::Raw(s) => Some(s.clone()),
        Val::Str(s) => Some(scalar_text(s, json)),
        _ => None,
    }
}

pub fn key_text(k: &str, json: bool) -> String {
    scalar_text(k, json)
}

/// A value on one line: `false`, `[ALL]`, `{a: b}` (JSON: `["ALL"]`, `{"a": "b"}`).
pub fn flow(v: &Val, json: bool) -> String {
    if let Some(s) = scalar(v, json) {
        return s;
    }
    match v {
        Val::Seq(items) => {
            let parts: Vec<String> = items.iter().map(|i| flow(i, json)).collect();
            format!("[{}]", parts.join(", "))
        }
        Val::Map(entries) => {
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| flow_entry(k, v, json))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        _ => String::new(),
    }
}

/// `key: value` on one line.
pub fn flow_entry(k: &str, v: &Val, json: bool) -> String {
    format!("{}: {}", key_text(k, json), flow(v, json))
}

/// `key: value` as block lines, relative to the key's own column (no leading indentation
/// on the first line; later lines carry their offset from the key's column).
pub fn block_entry(k: &str, v: &Val, st: &Style) -> Vec<String> {
    let key = key_text(k, st.json);
    match v {
        Val::Raw(_) | Val::Str(_) => vec![format!("{key}: {}", flow(v, st.json))],
        Val::Seq(items) if items.is_empty() => vec![format!("{key}: []")],
        Val::Map(entries) if entries.is_empty() => vec![format!("{key}: {{}}")],
        _ => {
            let mut lines = vec![format!("{key}:")];
            lines.extend(block_value(v, st, 0));
            lines
        }
    }
}

/// The lines of a collection value written below its key at column `col` (lines carry
/// their full indentation relative to that column).
pub fn block_value(v: &Val, st: &Style, col: usize) -> Vec<String> {
    match v {
        Val::Map(entries) => {
            let pad = " ".repeat(col + st.indent);
            entries
                .iter()
                .flat_map(|(k, v)| {
                    block_entry(k, v, st)
                        .into_iter()
                        .map(|l| format!("{pad}{l}"))
                        .collect::<Vec<_>>()
                })
                .collect()
        }
        Val::Seq(items) => {
            let dash = col + st.seq_indent;
            items.iter().flat_map(|i| block_item(i, st, dash)).collect()
        }
        _ => Vec::new(),
    }
}

/// One `- item` of a block sequence whose dash sits at column `dash`.
pub fn block_item(v: &Val, st: &Style, dash: usize) -> Vec<String> {
    let pad = " ".repeat(dash);
    match v {
        Val::Map(entries) if !entries.is_empty() => {
            let inner = " ".repeat(dash + 2);
            let mut lines = Vec::new();
            for (i, (k, v)) in entries.iter().enumerate() {
                for (j, l) in block_entry(k, v, st).into_iter().enumerate() {
                    let prefix = match (i, j) {
                        (0, 0) => format!("{pad}- "),
                        _ => inner.clone(),
                    };
                    lines.push(format!("{prefix}{l}"));
                }
            }
            lines
        }
        _ => vec![format!("{pad}- {}", flow(v, st.json))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ST: Style = Style {
        indent: 2,
        seq_indent: 2,
        json: false,
    };

    #[test]
    fn strings_stay_plain_when_they_can() {
        assert_eq!(scalar_text("RuntimeDefault", false), "RuntimeDefault");
        assert_eq!(scalar_text("true", false), "\"true\"");
        assert_eq!(scalar_text("0755", false), "\"0755\"");
        assert_eq!(scalar_text("<cpu>", false), "\"<cpu>\"");
        assert_eq!(scalar_text("ALL", true), "\"ALL\"");
    }

    #[test]
    fn nested_block_entry() {
        let v = Val::map(&[
            ("allowPrivilegeEscalation", Val::bool(false)),
            ("capabilities", Val::map(&[("drop", Val::strs(&["ALL"]))])),
        ]);
        assert_eq!(
            block_entry("securityContext", &v, &ST),
            vec![
                "securityContext:",
                "  allowPrivilegeEscalation: false",
                "  capabilities:",
                "    drop:",
                "      - ALL",
            ]
        );
        let flush = Style {
            seq_indent: 0,
            ..ST
        };
        assert_eq!(
            block_entry("drop", &Val::strs(&["ALL"]), &flush),
            vec!["drop:", "- ALL"]
        );
        assert_eq!(
            flow(&v, true),
            r#"{"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}"#
        );
    }
}
