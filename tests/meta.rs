//! Conventions every rule and pack must follow.

use std::collections::BTreeSet;

use kspm::{packs, registry};

#[test]
fn ids_and_codes_are_unique_and_well_formed() {
    let mut ids = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let id_re = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    let code_re = regex::Regex::new(r"^KSPM\d{3,4}$").unwrap();
    for m in registry::metas() {
        assert!(ids.insert(m.id), "duplicate id {}", m.id);
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(id_re.is_match(m.id), "id not kebab-case: {}", m.id);
        assert!(code_re.is_match(m.code), "bad code {}", m.code);
        assert!(
            !m.title.is_empty() && !m.help.is_empty(),
            "{}: title and help",
            m.id
        );
    }
}

#[test]
fn docs_have_every_heading() {
    for m in registry::metas() {
        for h in [
            "## What it does",
            "## Why is this bad",
            "## Example",
            "## References",
        ] {
            assert!(m.docs.contains(h), "{}: docs lack `{h}`", m.id);
        }
        assert!(
            m.docs.contains("```yaml"),
            "{}: example must be a yaml block",
            m.id
        );
    }
}

#[test]
fn peers_use_the_contract_tool_names() {
    let tools = [
        "kube-linter",
        "checkov",
        "trivy",
        "kubescape",
        "polaris",
        "kube-score",
        "kubesec",
    ];
    for m in registry::metas() {
        for (tool, names) in m.peers {
            assert!(tools.contains(tool), "{}: unknown peer tool {tool}", m.id);
            assert!(!names.is_empty(), "{}: empty peer list for {tool}", m.id);
        }
    }
}

#[test]
fn every_builtin_pack_parses_and_resolves() {
    assert_eq!(
        packs::builtin().len(),
        packs::PACK_FILES.len(),
        "a pack file failed to parse"
    );
    for (path, body) in packs::PACK_FILES {
        packs::parse_pack(path, body).unwrap();
    }
    let known: BTreeSet<&str> = registry::metas().map(|m| m.id).collect();
    let mut pack_ids = BTreeSet::new();
    for p in packs::builtin() {
        assert!(pack_ids.insert(p.id.as_str()), "duplicate pack {}", p.id);
        assert!(
            !p.title.is_empty() && !p.version.is_empty(),
            "{}: title/version",
            p.id
        );
        for r in p.direct_rules() {
            assert!(known.contains(r), "pack {} names unknown rule {r}", p.id);
        }
        let resolved = packs::resolve(std::slice::from_ref(&p.id), &[]).unwrap();
        assert!(!resolved.is_empty(), "pack {} selects nothing", p.id);
    }
    assert!(pack_ids.contains(packs::DEFAULT_PACK));
}

#[test]
fn pss_restricted_includes_baseline() {
    let b = packs::resolve(&["pss-baseline".into()], &[]).unwrap();
    let r = packs::resolve(&["pss-restricted".into()], &[]).unwrap();
    assert!(b.is_subset(&r));
    assert!(r.len() > b.len());
}

#[test]
fn restricted_checks_replace_their_baseline_twins_by_version() {
    let all: Vec<&str> = registry::metas().map(|m| m.id).collect();
    let sel = |ids: &[&str], minor| {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        packs::select(&ids, &all, minor).unwrap()
    };
    let latest = sel(&["pss-restricted"], 37);
    assert!(!latest.contains("caps-baseline") && !latest.contains("seccomp-unconfined"));
    assert!(latest.contains("caps-add-restricted") && latest.contains("seccomp-required"));
    // Before the restricted twin existed, the baseline check still applies.
    assert!(sel(&["pss-restricted"], 21).contains("caps-baseline"));
    assert!(sel(&["pss-restricted"], 18).contains("seccomp-unconfined"));
    // Baseline alone, or `all`, keeps it; a second pack naming the twin does not bring it
    // back (it would report the same field twice).
    assert!(sel(&["pss-baseline"], 37).contains("caps-baseline"));
    assert!(sel(&["pss-restricted", "all"], 37).contains("caps-baseline"));
    assert!(!sel(&["pss-restricted", "pss-baseline"], 37).contains("caps-baseline"));
    assert!(sel(&["recommended"], 37).contains("seccomp-required"));
    assert!(!sel(&["recommended"], 37).contains("seccomp-unconfined"));
}

#[test]
fn findings_list_the_controls_of_the_selected_packs() {
    let rec = packs::controls_for(&[]);
    let p = &rec["privileged-container"];
    assert!(p.iter().any(|c| c == "pss-baseline:privileged"), "{p:?}");
    assert!(!p.iter().any(|c| c.starts_with("cis-1.12:")), "{p:?}");
    let cis = packs::controls_for(&["cis-1.12".into()]);
    assert_eq!(
        cis["privileged-container"],
        vec!["cis-1.12:5.2.2".to_string()]
    );
    let all = packs::controls_for(&["all".into()]);
    assert!(all["privileged-container"].len() > 5);
}
