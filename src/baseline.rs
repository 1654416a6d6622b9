//! Baselines: `kspm baseline [PATH]... --output FILE` records the current findings;
//! `kspm lint --baseline FILE` hides exactly those.
//!
//! A finding is recorded by a fingerprint of its rule, its file (relative to the baseline's
//! folder, so the same baseline works from any working directory), its object (kind,
//! namespace, name; the document index for an unnamed object), its yaml path and a hash of
//! the value at that path. Lines and columns are left out, so unrelated edits and line
//! shifts keep the fingerprint; a change to the offending value makes the finding new.
//! The value hash is over the parsed value (keys sorted), so comments and formatting do not
//! count either. Each entry hides one finding, so a second identical finding is new.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::config::{display_path, normalize, path_from};
use crate::report::{Finding, Suppressed, SuppressedBy, SuppressedFinding};
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, ScalarKind, Seg, Span, Value, YamlPath};

/// Bump when the fingerprint recipe changes: old baselines then stop matching, loudly.
const RECIPE: &str = "kspm-baseline/v1";
const VERSION: i64 = 1;

/// A loaded baseline.
#[derive(Clone, Debug)]
pub struct Baseline {
    pub source: Arc<SourceFile>,
    /// Absolute folder of the file; recorded paths are relative to it.
    pub dir: PathBuf,
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: String,
    /// The entry in the baseline file (for the finding about stale entries).
    pub span: Span,
}

/// Where the first stale entry is.
#[derive(Clone, Debug)]
pub struct EntryAt {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub yaml_path: String,
}

/// Parse a path as `Finding::yaml_path` prints it (`a.b[0]["c.d"]`).
pub fn parse_yaml_path(s: &str) -> Option<YamlPath> {
    let mut segs = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' if i > 0 => i += 1,
            b'[' if b.get(i + 1) == Some(&b'"') => {
                let mut key = String::new();
                let mut j = i + 2;
                let mut chars = s[j..].char_indices();
                loop {
                    let (k, c) = chars.next()?;
                    match c {
                        '\\' => {
                            let (_, e) = chars.next()?;
                            key.push(e);
                        }
                        '"' => {
                            j += k + 1;
                            break;
                        }
                        _ => key.push(c),
                    }
                }
                if b.get(j) != Some(&b']') {
                    return None;
                }
                segs.push(Seg::Key(key));
                i = j + 1;
            }
            b'[' => {
                let end = s[i..].find(']')? + i;
                segs.push(Seg::Index(s[i + 1..end].parse().ok()?));
                i = end + 1;
            }
            _ => {
                let end = s[i..].find(['.', '[']).map_or(s.len(), |k| i + k);
                if end == i {
                    return None;
                }
                segs.push(Seg::Key(s[i..end].to_string()));
                i = end;
            }
        }
    }
    Some(YamlPath(segs))
}

fn lookup<'a>(root: &'a Node, path: &YamlPath) -> Option<&'a Node> {
    path.segs().iter().try_fold(root, |n, seg| match seg {
        Seg::Key(k) => n.get(k),
        Seg::Index(i) => n.as_seq()?.get(*i),
    })
}

/// Hash a value by content: scalars by what they resolve to (`yes` and `true` are one
/// value to the API server), mappings with keys sorted.
fn hash_value(h: &mut Sha256, n: &Node) {
    match &n.value {
        Value::Scalar(s) => {
            let canonical = match s.kind {
                ScalarKind::Null => "n".to_string(),
                ScalarKind::Bool(b) => format!("b{b}"),
                ScalarKind::Int(i) => format!("i{i}"),
                ScalarKind::Float(f) => format!("f{f}"),
                ScalarKind::Timestamp | ScalarKind::Str => format!("s{}", s.text),
            };
            h.update(canonical.as_bytes());
            h.update([0]);
        }
        Value::Seq(items) => {
            h.update(b"[");
            for it in items {
                hash_value(h, it);
            }
            h.update(b"]");
        }
        Value::Map(entries) => {
            let mut sorted: Vec<_> = entries.iter().collect();
            sorted.sort_by(|a, b| a.key_str.cmp(&b.key_str));
            h.update(b"{");
            for e in sorted {
                h.update(e.key_str.as_bytes());
                h.update([0]);
                hash_value(h, &e.value);
            }
            h.update(b"}");
        }
    }
}

/// Per finding, the hash of the value at its yaml path (`None`: the field is missing).
/// Each source is parsed once, sources in parallel.
fn value_hashes(findings: &[&Finding]) -> Vec<Option<[u8; 32]>> {
    let mut groups: HashMap<usize, (Arc<SourceFile>, Vec<usize>)> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        groups
            .entry(Arc::as_ptr(&f.source) as usize)
            .or_insert_with(|| (f.source.clone(), Vec::new()))
            .1
            .push(i);
    }
    let groups: Vec<(Arc<SourceFile>, Vec<usize>)> = groups.into_values().collect();
    let hashed: Vec<Vec<(usize, Option<[u8; 32]>)>> = groups
        .par_iter()
        .map(|(src, idx)| {
            let docs: HashMap<usize, Node> = load_all(src)
                .into_iter()
                .flatten()
                .map(|d| (d.index, d.root))
                .collect();
            idx.iter()
                .map(|&i| {
                    let f = findings[i];
                    let node = docs
                        .get(&f.document)
                        .zip(parse_yaml_path(&f.yaml_path))
                        .and_then(|(root, p)| lookup(root, &p));
                    let digest = node.map(|n| {
                        let mut h = Sha256::new();
                        hash_value(&mut h, n);
                        h.finalize().into()
                    });
                    (i, digest)
                })
                .collect()
        })
        .collect();
    let mut out = vec![None; findings.len()];
    for (i, d) in hashed.into_iter().flatten() {
        out[i] = d;
    }
    out
}

/// The fingerprint of each finding; `dir` is the baseline's folder, `cwd` the folder the
/// finding paths are relative to.
pub fn fingerprints(findings: &[&Finding], dir: &Path, cwd: &Path) -> Vec<String> {
    let values = value_hashes(findings);
    findings
        .iter()
        .zip(values)
        .map(|(f, value)| {
            let mut h = Sha256::new();
            let document = format!("#{}", f.document);
            let (kind, namespace, name) = match &f.object {
                Some(o) => (
                    o.kind.as_str(),
                    o.namespace.as_deref().unwrap_or(""),
                    o.name.as_deref().unwrap_or(document.as_str()),
                ),
                None => ("", "", document.as_str()),
            };
            let path = path_from(f.path(), cwd, dir);
            for part in [
                RECIPE,
                f.rule.id,
                &path,
                kind,
                namespace,
                name,
                &f.yaml_path,
            ] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            match value {
                Some(v) => h.update(v),
                None => h.update(b"absent"),
            }
            let digest = h.finalize();
            let mut hex = String::with_capacity(32);
            for b in &digest[..16] {
                let _ = write!(hex, "{b:02x}");
            }
            hex
        })
        .collect()
}

#[derive(Serialize)]
struct FileOut<'a> {
    version: i64,
    tool: &'static str,
    findings: Vec<EntryOut<'a>>,
}

/// An entry: the fingerprint decides; the rest is for the people who review the file.
#[derive(Serialize)]
struct EntryOut<'a> {
    fingerprint: String,
    rule: &'a str,
    path: String,
    object: Option<String>,
    yaml_path: &'a str,
    message: &'a str,
}

/// The baseline file for `findings` (sorted as the report is), to be written at `file`
/// (`None`: standard output; paths are then relative to `cwd`).
pub fn render(findings: &[&Finding], file: Option<&Path>, cwd: &Path) -> String {
    let dir = file.map_or_else(|| cwd.to_path_buf(), |f| baseline_dir(f, cwd));
    let fps = fingerprints(findings, &dir, cwd);
    let out = FileOut {
        version: VERSION,
        tool: "kspm",
        findings: findings
            .iter()
            .zip(fps)
            .map(|(f, fingerprint)| EntryOut {
                fingerprint,
                rule: f.rule.id,
                path: path_from(f.path(), cwd, &dir),
                object: f.object.as_ref().map(|o| {
                    let name = o.name.as_deref().unwrap_or("?");
                    match &o.namespace {
                        Some(ns) => format!("{} {ns}/{name}", o.kind),
                        None => format!("{} {name}", o.kind),
                    }
                }),
                yaml_path: &f.yaml_path,
                message: &f.message,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}

fn baseline_dir(file: &Path, cwd: &Path) -> PathBuf {
    normalize(&cwd.join(file))
        .parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
}

impl Baseline {
    /// Read a baseline; a file that is not one is an error naming the line.
    pub fn load(file: &Path, cwd: &Path) -> Result<Baseline, String> {
        let abs = normalize(&cwd.join(file));
        let display = display_path(&abs, cwd);
        let text = std::fs::read_to_string(&abs)
            .map_err(|e| format!("cannot read baseline {display}: {e}"))?;
        Baseline::parse(SourceFile::new(display, text), &baseline_dir(file, cwd))
    }

    pub fn parse(src: Arc<SourceFile>, dir: &Path) -> Result<Baseline, String> {
        let fail = |span: Span, m: &str| {
            let p = src.position(span.start);
            format!(
                "{}:{}:{}: not a kspm baseline: {m}",
                src.path, p.line, p.column
            )
        };
        let docs = load_all(&src);
        let root = match docs.into_iter().next() {
            Some(Ok(d)) => d.root,
            Some(Err(e)) => return Err(fail(e.span, &e.message)),
            None => return Err(fail(Span::default(), "the file is empty")),
        };
        match root.get("version").and_then(Node::as_i64) {
            Some(VERSION) => {}
            _ => {
                return Err(fail(
                    root.get("version").map_or(root.span, |n| n.span),
                    "expected \"version\": 1",
                ));
            }
        }
        let Some(items) = root.get("findings").and_then(Node::as_seq) else {
            return Err(fail(root.span, "expected a \"findings\" list"));
        };
        let mut entries = Vec::with_capacity(items.len());
        for item in items {
            let fp = item
                .get("fingerprint")
                .and_then(Node::as_str)
                .ok_or_else(|| fail(item.span, "an entry without a \"fingerprint\" string"))?;
            entries.push(Entry {
                fingerprint: fp.to_string(),
                span: item.span,
            });
        }
        Ok(Baseline {
            source: src,
            dir: dir.to_path_buf(),
            entries,
        })
    }

    /// Split `findings` into those the baseline does not know and those it hides; also the
    /// first entry that matched nothing and how many did not.
    pub fn apply(
        &self,
        findings: Vec<Finding>,
        cwd: &Path,
    ) -> (
        Vec<Finding>,
        Vec<SuppressedFinding>,
        Option<(EntryAt, usize)>,
    ) {
        let mut free: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in self.entries.iter().enumerate().rev() {
            free.entry(e.fingerprint.as_str()).or_default().push(i);
        }
        let refs: Vec<&Finding> = findings.iter().collect();
        let fps = fingerprints(&refs, &self.dir, cwd);
        let mut kept = Vec::new();
        let mut hidden = Vec::new();
        for (f, fp) in findings.into_iter().zip(fps) {
            match free.get_mut(fp.as_str()).and_then(Vec::pop) {
                Some(i) => {
                    let p = self.source.position(self.entries[i].span.start);
                    hidden.push(SuppressedFinding {
                        finding: f,
                        suppressed: Suppressed {
                            by: SuppressedBy::Baseline,
                            reason: format!("recorded in the baseline {}", self.source.path),
                            until: None,
                            location: Some((self.source.path.clone(), p.line, p.column)),
                        },
                    });
                }
                None => kept.push(f),
            }
        }
        let mut stale: Vec<usize> = free.into_values().flatten().collect();
        stale.sort_unstable();
        let first = stale.first().map(|&i| {
            (
                EntryAt {
                    source: self.source.clone(),
                    span: self.entries[i].span,
                    yaml_path: format!("findings[{i}]"),
                },
                stale.len(),
            )
        });
        (kept, hidden, first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_paths_round_trip() {
        for p in [
            "spec.template.spec.containers[0].securityContext.privileged",
            "metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/app\"]",
            "items[3].spec",
            "a[\"q\\\"uote\"].b",
            "",
        ] {
            let parsed = parse_yaml_path(p).unwrap();
            assert_eq!(parsed.to_string(), p);
        }
        assert!(parse_yaml_path("a[x]").is_none());
        assert!(parse_yaml_path("a[\"unterminated").is_none());
    }
}
