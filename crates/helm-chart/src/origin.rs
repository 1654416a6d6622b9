//! Where a value templates see came from: the values file and line of its key, following
//! Helm's precedence (the last `-f` file, then the root chart's values.yaml down to the
//! chart's own; `global.*` from the top). Used to point findings that come from
//! `toYaml .Values.x` at the line a user can edit.

use std::path::{Path, PathBuf};

use saphyr_parser::{Event, Parser};

use crate::chart::{Chart, Origin};

/// A values file and the 1-based line of a key in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueOrigin {
    pub file: PathBuf,
    pub line: usize,
}

/// A container being read: a mapping with the key whose value is being read (None: the
/// next scalar is a key), or a list with the index of the item being read.
enum Frame {
    Map(Option<String>),
    Seq(usize),
}

/// The path elements leading to the innermost container.
fn container_path(stack: &[Frame]) -> Vec<String> {
    let outer = stack.len().saturating_sub(1);
    stack[..outer]
        .iter()
        .map(|f| match f {
            Frame::Map(k) => k.clone().unwrap_or_default(),
            Frame::Seq(i) => i.to_string(),
        })
        .collect()
}

/// A value finished: a map waits for its next key, a list moves to its next item.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map(key)) => *key = None,
        Some(Frame::Seq(index)) => *index += 1,
        None => {}
    }
}

/// The 1-based line of the key at `path` (map keys, list indexes as numbers) in the first
/// YAML document of `text`.
pub fn yaml_key_line(text: &str, path: &[&str]) -> Option<usize> {
    let (last, parent) = path.split_last()?;
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    while let Some(Ok((ev, span))) = parser.next_event() {
        match ev {
            Event::DocumentEnd => return None,
            Event::MappingStart(..) => stack.push(Frame::Map(None)),
            Event::SequenceStart(..) => stack.push(Frame::Seq(0)),
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                advance(&mut stack);
            }
            Event::Scalar(value, ..) => {
                if matches!(stack.last(), Some(Frame::Map(None))) {
                    if value.as_ref() == *last
                        && container_path(&stack)
                            .iter()
                            .map(String::as_str)
                            .eq(parent.iter().copied())
                    {
                        return Some(span.start.line());
                    }
                    if let Some(Frame::Map(key)) = stack.last_mut() {
                        *key = Some(value.to_string());
                    }
                } else {
                    advance(&mut stack);
                }
            }
            Event::Alias(_) => advance(&mut stack),
            _ => {}
        }
    }
    None
}

fn values_file_of(chart: &Chart) -> Option<PathBuf> {
    match &chart.origin {
        Origin::Dir(d) | Origin::Sibling(d) => Some(d.join("values.yaml")),
        _ => None,
    }
}

/// Where the value at `key` of the chart reached by `chain` (dependency names below the
/// root, empty for the root chart) was set: the last `-f` file that sets it, else the
/// highest chart values.yaml that does. `None`: it came from `--set`, an archive, or a
/// computed default.
pub fn locate_value(
    chart: &Chart,
    value_files: &[PathBuf],
    chain: &[&str],
    key: &[&str],
) -> Option<ValueOrigin> {
    let global = key.first() == Some(&"global");
    let scoped: Vec<&str> = chain.iter().chain(key.iter()).copied().collect();
    let find = |text: &str, rel: &[&str]| yaml_key_line(text, rel);
    for f in value_files.iter().rev() {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let hit = if global { find(&text, key) } else { None }.or_else(|| find(&text, &scoped));
        if let Some(line) = hit {
            return Some(ValueOrigin {
                file: f.clone(),
                line,
            });
        }
    }
    // Chart defaults, from the root down to the chart itself.
    let mut cur = chart;
    for level in 0..=chain.len() {
        if let (Some(raw), Some(file)) = (&cur.values_raw, values_file_of(cur)) {
            let text = String::from_utf8_lossy(&raw.data);
            let rel: Vec<&str> = chain[level..].iter().chain(key.iter()).copied().collect();
            let hit = if global { find(&text, key) } else { None }.or_else(|| find(&text, &rel));
            if let Some(line) = hit {
                return Some(ValueOrigin { file, line });
            }
        }
        let Some(next) = chain.get(level) else { break };
        cur = cur.dependencies.iter().find(|d| d.name() == *next)?;
    }
    None
}

/// `locate_value` for a values file path relative to `base` (the `-f` paths as given).
pub fn locate_value_in(
    chart: &Chart,
    base: &Path,
    value_files: &[PathBuf],
    chain: &[&str],
    key: &[&str],
) -> Option<ValueOrigin> {
    let files: Vec<PathBuf> = value_files.iter().map(|f| base.join(f)).collect();
    locate_value(chart, &files, chain, key)
}
