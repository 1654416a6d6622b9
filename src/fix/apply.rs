//! Applying the fixes of one text: non-conflicting fixes together, round by round.
//!
//! Two fixes may want the same place (both insert a missing `securityContext:` into one
//! container). Each round applies every fix whose edits touch no edit already taken, in a
//! fixed order; the text is then linted again and the deferred findings bring fixes
//! computed on the new text (now inserting into the `securityContext:` the first fix
//! wrote). Every round's result is verified; a round that fails is redone one fix at a
//! time, and a fix that fails alone is skipped with a note.

use std::collections::{BTreeMap, BTreeSet};

use super::verify::{self, Refusal};
use super::{Edit, Fix};
use crate::yaml::YamlPath;

/// More rounds than any object needs; a bound so that two fixes that undo each other
/// cannot loop.
pub const MAX_ROUNDS: usize = 25;

/// Which finding a fix belongs to, stable across rounds.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingKey {
    pub rule: &'static str,
    pub document: usize,
    pub yaml_path: String,
}

/// A resolved fix for one finding of the text being fixed.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub key: FindingKey,
    pub fix: Fix,
}

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub key: FindingKey,
    pub description: String,
    /// The fields it changed (see `Fix::paths`).
    pub paths: Vec<YamlPath>,
    pub applicability: super::Applicability,
}

/// A fix that was not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub key: FindingKey,
    pub description: String,
    pub reason: String,
}

/// The fixed text and what happened to each fix.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub text: String,
    pub applied: Vec<Applied>,
    pub skipped: Vec<Skipped>,
}

fn touches(a: &Edit, b: &Edit) -> bool {
    let (x, y) = (a.span, b.span);
    if x.start == x.end || y.start == y.end {
        // An insertion conflicts with anything at or around its point.
        x.start <= y.end && y.start <= x.end
    } else {
        x.start < y.end && y.start < x.end
    }
}

/// Apply sorted, non-overlapping edits.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in edits {
        let start = e.span.start.clamp(pos, text.len());
        out.push_str(&text[pos..start]);
        out.push_str(&e.text);
        pos = e.span.end.clamp(start, text.len());
    }
    out.push_str(&text[pos..]);
    out
}

/// The order fixes are considered in: by position, then rule and path, so that the result
/// never depends on the order findings arrived in.
fn order(cands: &mut [Candidate]) {
    cands.sort_by(|a, b| {
        let pa = a.fix.edits.first().map(|e| e.span);
        let pb = b.fix.edits.first().map(|e| e.span);
        (pa, &a.key).cmp(&(pb, &b.key))
    });
}

/// One round: the fixes that fit together (`taken`), those that touch a taken one
/// (`deferred`), and the edits of the taken ones.
fn select(cands: &[Candidate]) -> (Vec<usize>, Vec<usize>, Vec<Edit>) {
    let mut edits: Vec<Edit> = Vec::new();
    let mut taken = Vec::new();
    let mut deferred = Vec::new();
    let mut seen: BTreeSet<&[Edit]> = BTreeSet::new();
    for (i, c) in cands.iter().enumerate() {
        if c.fix.edits.is_empty() {
            continue;
        }
        if seen.contains(c.fix.edits.as_slice()) {
            // The same edits for another finding (an aliased node): applied once.
            taken.push(i);
            continue;
        }
        if c.fix
            .edits
            .iter()
            .any(|e| edits.iter().any(|t| touches(e, t)))
        {
            deferred.push(i);
            continue;
        }
        seen.insert(&c.fix.edits);
        edits.extend(c.fix.edits.iter().cloned());
        taken.push(i);
    }
    edits.sort();
    (taken, deferred, edits)
}

fn allowed_of<'a>(cands: impl Iterator<Item = &'a Candidate>) -> BTreeMap<usize, Vec<YamlPath>> {
    let mut m: BTreeMap<usize, Vec<YamlPath>> = BTreeMap::new();
    for c in cands {
        m.entry(c.key.document)
            .or_default()
            .extend(c.fix.paths.iter().cloned());
    }
    m
}

/// Fix `original`. `first` are the fixes found by the lint (already filtered to those the
/// run applies); `relint` lints a text and returns its fixes, of which only those for
/// findings of `first` are taken.
pub fn fix_text(
    original: &str,
    first: Vec<Candidate>,
    relint: &dyn Fn(&str) -> Vec<Candidate>,
) -> Outcome {
    let wanted: BTreeSet<FindingKey> = first.iter().map(|c| c.key.clone()).collect();
    let mut descriptions: BTreeMap<FindingKey, String> = first
        .iter()
        .map(|c| (c.key.clone(), c.fix.description.clone()))
        .collect();
    let mut out = Outcome {
        text: original.to_string(),
        ..Outcome::default()
    };
    let mut done: BTreeSet<FindingKey> = BTreeSet::new();
    let mut failed: BTreeMap<FindingKey, String> = BTreeMap::new();
    let mut cands = first;
    for round in 0..MAX_ROUNDS {
        if round > 0 {
            cands = relint(&out.text)
                .into_iter()
                .filter(|c| {
                    wanted.contains(&c.key)
                        && !done.contains(&c.key)
                        && !failed.contains_key(&c.key)
                })
                .collect();
        }
        if cands.is_empty() {
            break;
        }
        order(&mut cands);
        let (taken, deferred, edits) = select(&cands);
        let next = apply_edits(&out.text, &edits);
        let applied: Vec<&Candidate> = taken.iter().map(|&i| &cands[i]).collect();
        let mut retry = false;
        match verify::check(&out.text, &next, &allowed_of(applied.iter().copied())) {
            Ok(()) => {
                for c in applied {
                    done.insert(c.key.clone());
                    out.applied.push(Applied {
                        key: c.key.clone(),
                        description: c.fix.description.clone(),
                        paths: c.fix.paths.clone(),
                        applicability: c.fix.applicability,
                    });
                }
                out.text = next;
            }
            Err(_) => {
                // One at a time, each on this round's text: the first that verifies alone
                // is kept; the ones after it wait for the next round (their offsets are of
                // the text before it).
                for (n, &i) in taken.iter().enumerate() {
                    let c = &cands[i];
                    let alone = apply_edits(&out.text, &c.fix.edits);
                    let allowed = allowed_of(std::iter::once(c));
                    match verify::check(&out.text, &alone, &allowed) {
                        Ok(()) => {
                            done.insert(c.key.clone());
                            out.applied.push(Applied {
                                key: c.key.clone(),
                                description: c.fix.description.clone(),
                                paths: c.fix.paths.clone(),
                                applicability: c.fix.applicability,
                            });
                            out.text = alone;
                            retry = n + 1 < taken.len();
                            break;
                        }
                        Err(r) => {
                            failed.insert(c.key.clone(), refusal(&r));
                        }
                    }
                }
            }
        }
        for &i in &deferred {
            descriptions
                .entry(cands[i].key.clone())
                .or_insert_with(|| cands[i].fix.description.clone());
        }
        if deferred.is_empty() && !retry {
            break;
        }
    }
    for key in wanted {
        if done.contains(&key) {
            continue;
        }
        let description = descriptions.get(&key).cloned().unwrap_or_default();
        if let Some(reason) = failed.remove(&key) {
            out.skipped.push(Skipped {
                key,
                description,
                reason,
            });
        }
        // Otherwise the finding went away with another fix, or its fix kept conflicting:
        // the re-lint reports it if it remains.
    }
    out
}

fn refusal(r: &Refusal) -> String {
    format!("not applied: {r}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Applicability;
    use crate::yaml::Span;

    fn cand(path: &str, edits: Vec<(usize, usize, &str)>) -> Candidate {
        Candidate {
            key: FindingKey {
                rule: "r",
                document: 0,
                yaml_path: path.into(),
            },
            fix: Fix {
                paths: vec![YamlPath::keys(path)],
                ..Fix::from_edits(
                    Applicability::Safe,
                    "d",
                    edits
                        .into_iter()
                        .map(|(s, e, t)| Edit {
                            span: Span::new(s, e),
                            text: t.into(),
                        })
                        .collect(),
                )
            },
        }
    }

    #[test]
    fn conflicting_insertions_wait_for_the_next_round() {
        let text = "a: 1\nb: 2\n";
        let c1 = cand("c", vec![(10, 10, "c: 3\n")]);
        let c2 = cand("d", vec![(10, 10, "d: 4\n")]);
        let relint = |t: &str| {
            // The second fix, recomputed on the new text, inserts after `c`.
            vec![cand("d", vec![(t.len(), t.len(), "d: 4\n")])]
        };
        let out = fix_text(text, vec![c2, c1], &relint);
        assert_eq!(out.text, "a: 1\nb: 2\nc: 3\nd: 4\n");
        assert_eq!(out.applied.len(), 2);
    }

    #[test]
    fn a_fix_that_changes_other_data_is_skipped() {
        let text = "a: 1\nb: 2\n";
        let bad = cand("a", vec![(8, 9, "3")]);
        let out = fix_text(text, vec![bad], &|_| Vec::new());
        assert_eq!(out.text, text);
        assert_eq!(out.skipped.len(), 1);
        assert!(out.skipped[0].reason.contains("`b`"), "{:?}", out.skipped);
    }
}
