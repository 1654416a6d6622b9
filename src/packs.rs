//! Packs: versioned data files mapping framework controls to rule ids (`rules/*.yaml`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use crate::source::SourceFile;
use crate::yaml::Node;
use crate::yaml::load::load_stream;

/// The pack files compiled into the binary. A test checks this lists every `rules/*.yaml`.
pub const PACK_FILES: &[(&str, &str)] = &[
    (
        "rules/pss-baseline.yaml",
        include_str!("../rules/pss-baseline.yaml"),
    ),
    (
        "rules/pss-restricted.yaml",
        include_str!("../rules/pss-restricted.yaml"),
    ),
    (
        "rules/cis-1.12.yaml",
        include_str!("../rules/cis-1.12.yaml"),
    ),
    (
        "rules/cis-1.11.yaml",
        include_str!("../rules/cis-1.11.yaml"),
    ),
    (
        "rules/cis-1.10.yaml",
        include_str!("../rules/cis-1.10.yaml"),
    ),
    ("rules/cis-1.9.yaml", include_str!("../rules/cis-1.9.yaml")),
    (
        "rules/nsa-cisa-1.2.yaml",
        include_str!("../rules/nsa-cisa-1.2.yaml"),
    ),
    (
        "rules/pci-dss-4.0.yaml",
        include_str!("../rules/pci-dss-4.0.yaml"),
    ),
    ("rules/hipaa.yaml", include_str!("../rules/hipaa.yaml")),
    ("rules/gdpr.yaml", include_str!("../rules/gdpr.yaml")),
    ("rules/soc2.yaml", include_str!("../rules/soc2.yaml")),
    (
        "rules/nist-800-53.yaml",
        include_str!("../rules/nist-800-53.yaml"),
    ),
    (
        "rules/nist-800-190.yaml",
        include_str!("../rules/nist-800-190.yaml"),
    ),
    (
        "rules/best-practice.yaml",
        include_str!("../rules/best-practice.yaml"),
    ),
    (
        "rules/recommended.yaml",
        include_str!("../rules/recommended.yaml"),
    ),
];

/// The synthetic pack holding every rule.
pub const ALL_PACK: &str = "all";
pub const DEFAULT_PACK: &str = "recommended";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub rules: Vec<String>,
    /// Rules this control supersedes from a policy version on (PSA's restricted checks
    /// override their baseline twins): `(rule id, first Kubernetes minor)`.
    pub replaces: Vec<(String, u32)>,
    /// Risk classes (A-J) the control's rules were chosen by; regulatory packs only.
    pub classes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub framework: String,
    pub version: String,
    pub description: String,
    pub url: String,
    /// The control mapping is an interpretation (regulatory packs): a finding is evidence
    /// toward a control, not proof of compliance. Docs print a disclaimer for these.
    pub interpretive: bool,
    pub includes: Vec<String>,
    pub controls: Vec<Control>,
    /// Rules listed without a framework control.
    pub rules: Vec<String>,
}

impl Pack {
    /// Rule ids this pack names directly (not through `includes`).
    pub fn direct_rules(&self) -> impl Iterator<Item = &str> {
        self.controls
            .iter()
            .flat_map(|c| c.rules.iter())
            .chain(self.rules.iter())
            .map(String::as_str)
    }
}

fn text(node: &Node, key: &str) -> String {
    node.get(key)
        .and_then(Node::scalar_text)
        .unwrap_or("")
        .to_string()
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(|n| {
        n.items()
            .iter()
            .filter_map(|i| i.scalar_text().map(str::to_string))
            .collect()
    })
    .unwrap_or_default()
}

/// `replaces: {rule-id: v1.N}`.
fn replaces(path: &str, control: &Node) -> Result<Vec<(String, u32)>, String> {
    control
        .get("replaces")
        .map(|m| m.entries())
        .unwrap_or_default()
        .iter()
        .map(|e| {
            let v = e.value.scalar_text().unwrap_or("");
            let minor = v
                .trim_start_matches('v')
                .strip_prefix("1.")
                .and_then(|m| m.parse().ok())
                .ok_or_else(|| {
                    format!(
                        "{path}: replaces.{}: want a version v1.N, got `{v}`",
                        e.key_str
                    )
                })?;
            Ok((e.key_str.clone(), minor))
        })
        .collect()
}

/// Parse one pack file; errors name the file.
pub fn parse_pack(path: &str, body: &str) -> Result<Pack, String> {
    let src: Arc<SourceFile> = SourceFile::new(path, body);
    let mut root = None;
    let mut err = None;
    load_stream(&src, |d| match d {
        Ok(doc) if root.is_none() => root = Some(doc.root),
        Ok(_) => err = Some(format!("{path}: a pack file holds one document")),
        Err(e) => err = Some(format!("{path}: {}", e.message)),
    });
    if let Some(e) = err {
        return Err(e);
    }
    let root = root.ok_or_else(|| format!("{path}: empty pack file"))?;
    let id = text(&root, "id");
    if id.is_empty() {
        return Err(format!("{path}: pack has no id"));
    }
    let controls = root
        .get("controls")
        .map(|c| {
            c.items()
                .iter()
                .map(|c| {
                    Ok(Control {
                        id: text(c, "id"),
                        title: text(c, "title"),
                        rules: strings(c.get("rules")),
                        replaces: replaces(path, c)?,
                        classes: strings(c.get("classes")),
                    })
                })
                .collect::<Result<Vec<_>, String>>()
        })
        .transpose()?
        .unwrap_or_default();
    Ok(Pack {
        id,
        title: text(&root, "title"),
        framework: text(&root, "framework"),
        version: text(&root, "version"),
        description: text(&root, "description"),
        url: text(&root, "url"),
        interpretive: root
            .get("interpretive")
            .and_then(Node::as_bool)
            .unwrap_or(false),
        includes: strings(root.get("includes")),
        controls,
        rules: strings(root.get("rules")),
    })
}

/// Every built-in pack, parsed once. A malformed built-in pack is a bug caught by tests;
/// at run time it is skipped rather than aborting.
pub fn builtin() -> &'static [Pack] {
    static PACKS: OnceLock<Vec<Pack>> = OnceLock::new();
    PACKS.get_or_init(|| {
        PACK_FILES
            .iter()
            .filter_map(|(p, b)| parse_pack(p, b).ok())
            .collect()
    })
}

pub fn find(id: &str) -> Option<&'static Pack> {
    builtin().iter().find(|p| p.id == id)
}

/// Resolve pack ids to the set of rule ids they select (following `includes`).
/// `all` selects every rule in `all_rules`.
pub fn resolve(ids: &[String], all_rules: &[&str]) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<String> = ids.to_vec();
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        if id == ALL_PACK {
            out.extend(all_rules.iter().map(|r| r.to_string()));
            continue;
        }
        let pack = find(&id).ok_or_else(|| {
            let known: Vec<&str> = builtin().iter().map(|p| p.id.as_str()).collect();
            format!("unknown pack `{id}` (known: {}, all)", known.join(", "))
        })?;
        out.extend(pack.direct_rules().map(str::to_string));
        stack.extend(pack.includes.iter().cloned());
    }
    Ok(out)
}

/// The rules a run of `ids` evaluates for Kubernetes minor `kube_minor`: `resolve`, minus
/// every rule that a selected pack's control replaces at that version (its twin is then
/// selected too, and reports the same field). Only the `all` pack keeps every rule.
pub fn select(
    ids: &[String],
    all_rules: &[&str],
    kube_minor: u32,
) -> Result<BTreeSet<String>, String> {
    let mut rules = resolve(ids, all_rules)?;
    let selected = visited(ids);
    if selected.contains(ALL_PACK) {
        return Ok(rules);
    }
    for pack in selected.iter().filter_map(|id| find(id)) {
        for c in &pack.controls {
            for (rule, from) in &c.replaces {
                if kube_minor >= *from {
                    rules.remove(rule);
                }
            }
        }
    }
    Ok(rules)
}

/// Pack ids reachable from `ids` through `includes` (unknown ids kept as given).
fn visited(ids: &[String]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = ids.to_vec();
    while let Some(id) = stack.pop() {
        if seen.insert(id.clone())
            && let Some(p) = find(&id)
        {
            stack.extend(p.includes.iter().cloned());
        }
    }
    seen
}

/// The `pack:control` ids findings list when `ids` are selected: the controls of those packs
/// and the packs they include (every pack's for `all`).
pub fn controls_for(ids: &[String]) -> BTreeMap<String, Vec<String>> {
    let default = [DEFAULT_PACK.to_string()];
    let selected = visited(if ids.is_empty() { &default } else { ids });
    if selected.contains(ALL_PACK) {
        return controls_by_rule().clone();
    }
    let prefixes: Vec<String> = selected.iter().map(|p| format!("{p}:")).collect();
    controls_by_rule()
        .iter()
        .map(|(rule, controls)| {
            let mine = controls
                .iter()
                .filter(|c| prefixes.iter().any(|p| c.starts_with(p.as_str())))
                .cloned()
                .collect::<Vec<_>>();
            (rule.clone(), mine)
        })
        .filter(|(_, c)| !c.is_empty())
        .collect()
}

/// For every rule id, the `pack:control` ids that name it directly, sorted.
pub fn controls_by_rule() -> &'static BTreeMap<String, Vec<String>> {
    static MAP: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for pack in builtin() {
            for c in &pack.controls {
                for r in &c.rules {
                    map.entry(r.clone())
                        .or_default()
                        .push(format!("{}:{}", pack.id, c.id));
                }
            }
        }
        for v in map.values_mut() {
            v.sort();
            v.dedup();
        }
        map
    })
}

/// Packs (with `includes` followed) that select a rule, sorted; `all` excluded.
pub fn packs_of_rule(rule: &str) -> Vec<String> {
    let mut out: Vec<String> = builtin()
        .iter()
        .filter(|p| {
            resolve(std::slice::from_ref(&p.id), &[])
                .map(|s| s.contains(rule))
                .unwrap_or(false)
        })
        .map(|p| p.id.clone())
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn control<'a>(pack: &str, id: &str) -> &'a Control {
        find(pack)
            .and_then(|p| p.controls.iter().find(|c| c.id == id))
            .unwrap_or_else(|| panic!("{pack}:{id} missing"))
    }

    #[test]
    fn cis_packs_keep_each_versions_numbering() {
        // v1.12 dropped 5.2.9 "added capabilities" and moved the rest up.
        assert_eq!(control("cis-1.12", "5.2.9").rules, ["caps-drop-all"]);
        assert_eq!(control("cis-1.12", "5.2.12").rules, ["host-port"]);
        assert!(find("cis-1.12").is_some_and(|p| p.controls.iter().all(|c| c.id != "5.2.13")));
        for v in ["cis-1.9", "cis-1.10", "cis-1.11"] {
            assert_eq!(control(v, "5.2.9").rules, ["caps-added"], "{v}");
            assert_eq!(control(v, "5.2.10").rules, ["caps-drop-all"], "{v}");
            assert_eq!(control(v, "5.2.13").rules, ["host-port"], "{v}");
        }
        // General Policies: 5.7.x up to v1.10, 5.6.x from v1.11.
        assert_eq!(control("cis-1.9", "5.7.2").rules, ["seccomp-required"]);
        assert_eq!(control("cis-1.10", "5.7.4").rules, ["default-namespace"]);
        assert_eq!(control("cis-1.11", "5.6.2").rules, ["seccomp-required"]);
        assert_eq!(control("cis-1.12", "5.6.4").rules, ["default-namespace"]);
        // New in v1.11.
        for (v, has) in [("cis-1.10", false), ("cis-1.11", true), ("cis-1.12", true)] {
            let p = find(v).expect(v);
            assert_eq!(p.controls.iter().any(|c| c.id == "1.2.30"), has, "{v}");
            assert_eq!(p.controls.iter().any(|c| c.id == "4.2.14"), has, "{v}");
        }
    }

    #[test]
    fn regulatory_packs_are_interpretive_and_classed() {
        for id in [
            "pci-dss-4.0",
            "hipaa",
            "gdpr",
            "soc2",
            "nist-800-53",
            "nist-800-190",
        ] {
            let p = find(id).expect(id);
            assert!(
                p.interpretive && p.description.contains("interpretive"),
                "{id}"
            );
            assert!(!p.url.is_empty() && !p.version.is_empty(), "{id}");
            for c in &p.controls {
                assert!(
                    !c.classes.is_empty() && !c.rules.is_empty(),
                    "{id}:{}",
                    c.id
                );
            }
        }
        assert!(!find("cis-1.12").expect("cis").interpretive);
    }

    #[test]
    fn a_pack_alone_reports_a_field_once_per_psa_twin() {
        // The regulatory and NSA packs name both twins; the restricted one wins from its version.
        let all = ["seccomp-unconfined", "seccomp-required"];
        let sel = |pack: &str, minor| select(&[pack.to_string()], &all, minor).unwrap_or_default();
        for pack in ["nsa-cisa-1.2", "pci-dss-4.0", "soc2"] {
            assert!(!sel(pack, 37).contains("seccomp-unconfined"), "{pack}");
            assert!(sel(pack, 18).contains("seccomp-unconfined"), "{pack}");
        }
    }

    #[test]
    fn recommended_stays_curated() {
        let rec = resolve(&[DEFAULT_PACK.to_string()], &[]).unwrap_or_default();
        for noisy in [
            "image-digest",
            "image-pull-policy",
            "high-uid-gid",
            "required-labels",
            "default-sa-used",
        ] {
            assert!(!rec.contains(noisy), "{noisy} is opt-in, not default");
        }
        for must in [
            "runtime-socket-mount",
            "sensitive-host-path",
            "hardcoded-secret-env",
            "rbac-escalate",
            "rbac-wildcard",
            "rbac-cluster-admin",
            "deprecated-api",
            "duplicate-key",
            "selector-mismatch",
            "svc-external-ips",
            "ingress-nginx-snippet",
            "caps-drop-all",
        ] {
            assert!(rec.contains(must), "{must}");
        }
    }
}
