//! From rendered template files to release manifests, as `helm template` orders them:
//! each file split into documents, each document's head (apiVersion, kind, name,
//! annotations) read, hooks set apart, then a stable sort by Helm's install order of kinds.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::options::Compat;

/// The fields of a document Helm reads to sort it (`SimpleHead`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    pub api_version: String,
    pub kind: String,
    /// `None` when the document has no `metadata` mapping.
    pub name: Option<String>,
    pub annotations: BTreeMap<String, String>,
}

/// A document of a rendered template that is not a hook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The template's path (`chart/templates/x.yaml`).
    pub path: String,
    pub content: String,
    pub head: Head,
    /// Byte offset of `content` in the rendered template file.
    pub offset: usize,
}

/// A document carrying a known `helm.sh/hook` annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    pub path: String,
    pub content: String,
    pub kind: String,
    pub name: String,
    pub events: Vec<String>,
    pub weight: i64,
    pub offset: usize,
}

impl Hook {
    pub fn is_test(&self) -> bool {
        self.events.iter().any(|e| e == "test")
    }
}

/// Hook events Helm knows (`test-success` is Helm 2's name for `test`).
const EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
];

/// Helm's install order of kinds; kinds not listed come after, by name.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// A document of a stream with its byte offset in the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub offset: usize,
}

fn is_go_space(c: char) -> bool {
    // Go's unicode.IsSpace.
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || c.is_whitespace()
}

/// Helm 3's document separator, `(?:^|\s*\n)---\s*` with RE2's ASCII `\s`: it eats the
/// whitespace before `---` too.
static SEPARATOR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").ok());

/// Helm 4.2's: `---` at the start of a line; the document before keeps its newline.
static SEPARATOR_4: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?m)^---[\t\n\x0C\r ]*").ok());

fn separators(text: &str, compat: Compat) -> Vec<(usize, usize)> {
    let re = match compat {
        Compat::Helm3 => &SEPARATOR,
        Compat::Helm4 => &SEPARATOR_4,
    };
    re.as_ref().map_or_else(Vec::new, |re| {
        re.find_iter(text).map(|m| (m.start(), m.end())).collect()
    })
}

/// Split a rendered file into documents as Helm's `SplitManifests` does. Helm 3 trims each
/// document; Helm 4.2 only trims its start, so a document keeps its trailing newline.
pub fn split_manifests(text: &str, compat: Compat) -> Vec<Piece> {
    let lead = text.len() - text.trim_start_matches(is_go_space).len();
    let body = match compat {
        Compat::Helm3 => text[lead..].trim_end_matches(is_go_space),
        Compat::Helm4 => &text[lead..],
    };
    let mut out = Vec::new();
    let mut prev = 0;
    let mut parts = Vec::new();
    for (s, e) in separators(body, compat) {
        parts.push((prev, s));
        prev = e;
    }
    parts.push((prev, body.len()));
    for (s, e) in parts {
        let d = &body[s..e];
        let keep = match compat {
            Compat::Helm3 => !d.is_empty(),
            Compat::Helm4 => !d.trim_matches(is_go_space).is_empty(),
        };
        if !keep {
            continue;
        }
        let trimmed_start = d.trim_start_matches(is_go_space);
        let skip = d.len() - trimmed_start.len();
        let doc = match compat {
            Compat::Helm3 => trimmed_start.trim_end_matches(is_go_space),
            Compat::Helm4 => trimmed_start,
        };
        out.push(Piece {
            text: doc.to_string(),
            offset: lead + s + skip,
        });
    }
    out
}

/// Why a rendered file could not be sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortError {
    pub path: String,
    /// Helm's message (`YAML parse error on chart/templates/x.yaml: ...`).
    pub message: String,
}

/// Rendered files (path -> text) sorted into hooks and manifests as Helm does. `parse_head`
/// reads a document's head (sigs.k8s.io/yaml semantics; its error text follows Helm's
/// `YAML parse error on <path>: `).
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
    compat: Compat,
    parse_head: &dyn Fn(&str) -> Result<Head, String>,
) -> Result<(Vec<Hook>, Vec<Manifest>), SortError> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    // BTreeMap iterates in byte order of the path, as Go's sort.Strings.
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim_matches(is_go_space).is_empty() {
            continue;
        }
        for piece in split_manifests(content, compat) {
            let head = parse_head(&piece.text).map_err(|e| SortError {
                path: path.clone(),
                message: format!("YAML parse error on {path}: {e}"),
            })?;
            let Some(hook_types) = head.annotations.get("helm.sh/hook") else {
                generic.push(Manifest {
                    path: path.clone(),
                    content: piece.text,
                    head,
                    offset: piece.offset,
                });
                continue;
            };
            let mut events = Vec::new();
            let mut unknown = false;
            for t in hook_types.split(',') {
                let t = t.trim().to_lowercase();
                let t = if t == "test-success" {
                    "test".to_string()
                } else {
                    t
                };
                if !EVENTS.contains(&t.as_str()) {
                    unknown = true;
                    break;
                }
                events.push(t);
            }
            // Helm logs and drops a document with an unknown hook.
            if unknown {
                continue;
            }
            let weight = head
                .annotations
                .get("helm.sh/hook-weight")
                .and_then(|w| go_atoi(w))
                .unwrap_or(0);
            hooks.push(Hook {
                path: path.clone(),
                content: piece.text,
                kind: head.kind.clone(),
                name: head.name.clone().unwrap_or_default(),
                events,
                weight,
                offset: piece.offset,
            });
        }
    }
    sort_by_kind(&mut generic, |m| m.head.kind.as_str());
    sort_by_kind(&mut hooks, |h| h.kind.as_str());
    Ok((hooks, generic))
}

/// Go's strconv.Atoi: optional sign, decimal digits, 64-bit range.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Stable sort by install order; unknown kinds last, by kind name.
fn sort_by_kind<T>(items: &mut [T], kind: impl Fn(&T) -> &str) {
    let rank = |k: &str| INSTALL_ORDER.iter().position(|o| *o == k);
    items.sort_by(|a, b| {
        let (ka, kb) = (kind(a), kind(b));
        match (rank(ka), rank(kb)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ka.cmp(kb),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(v: Vec<Piece>) -> Vec<String> {
        v.into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn helm3_trims_documents_and_splits_on_glued_separators() {
        let t = "\n---\na: 1\n\n---\nb: 2\n---c: 3\n  \n";
        assert_eq!(
            texts(split_manifests(t, Compat::Helm3)),
            vec!["a: 1", "b: 2", "c: 3"]
        );
    }

    #[test]
    fn helm4_documents_keep_their_trailing_newline() {
        let t = "a: 1\n---\nb: 2\n\n";
        let p = split_manifests(t, Compat::Helm4);
        assert_eq!(texts(p.clone()), vec!["a: 1\n", "b: 2\n\n"]);
        assert_eq!(p[1].offset, 9);
        assert_eq!(
            texts(split_manifests("---\n \n---\nx", Compat::Helm4)),
            vec!["x"]
        );
        assert_eq!(
            texts(split_manifests("x\n---\n \n", Compat::Helm4)),
            vec!["x\n"]
        );
        // Helm 3: a separator eats the blank lines after it, so a following `---` is
        // content.
        assert_eq!(
            texts(split_manifests("---\n \n---\nx", Compat::Helm3)),
            vec!["---\nx"]
        );
    }

    #[test]
    fn offsets_point_into_the_file() {
        let t = "  \nkind: A\n---\n\nkind: B\n";
        for p in split_manifests(t, Compat::Helm3) {
            assert!(t[p.offset..].starts_with(&p.text));
        }
    }

    fn head_of(text: &str) -> Result<Head, String> {
        let mut h = Head::default();
        for line in text.lines() {
            if let Some(k) = line.strip_prefix("kind: ") {
                h.kind = k.to_string();
            }
            if let Some(v) = line.strip_prefix("hook: ") {
                h.annotations.insert("helm.sh/hook".into(), v.into());
            }
            if line == "bad" {
                return Err("boom".into());
            }
        }
        Ok(h)
    }

    #[test]
    fn kinds_sort_by_install_order_then_name_stably() {
        let mut files = BTreeMap::new();
        files.insert(
            "c/templates/b.yaml".to_string(),
            "kind: Deployment\n---\nkind: Zeta\n---\nkind: Alpha\n---\nkind: Service".to_string(),
        );
        files.insert(
            "c/templates/a.yaml".to_string(),
            "kind: Deployment\n---\nkind: Namespace".to_string(),
        );
        files.insert("c/templates/_h.tpl".to_string(), "kind: Secret".to_string());
        files.insert(
            "c/templates/t.yaml".to_string(),
            "kind: Pod\nhook: test\n---\nkind: Job\nhook: nope".to_string(),
        );
        let (hooks, m) = sort_manifests(&files, Compat::Helm3, &head_of).unwrap();
        let got: Vec<(String, String)> = m
            .iter()
            .map(|m| (m.path.clone(), m.head.kind.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("c/templates/a.yaml".into(), "Namespace".into()),
                ("c/templates/b.yaml".into(), "Service".into()),
                ("c/templates/a.yaml".into(), "Deployment".into()),
                ("c/templates/b.yaml".into(), "Deployment".into()),
                ("c/templates/b.yaml".into(), "Alpha".into()),
                ("c/templates/b.yaml".into(), "Zeta".into()),
            ]
        );
        assert_eq!(hooks.len(), 1);
        assert!(hooks[0].is_test());
        files.insert("c/templates/z.yaml".to_string(), "bad".to_string());
        let err = sort_manifests(&files, Compat::Helm3, &head_of).unwrap_err();
        assert_eq!(err.message, "YAML parse error on c/templates/z.yaml: boom");
    }
}
