//! The lint result model and its renderers.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
mod json_finding;
pub mod json_stream;
pub mod junit;
pub mod sarif;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use crate::rule::{RuleMeta, Severity};
use crate::source::{Position, SourceFile};
use crate::yaml::Span;

/// The object a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
}

/// A positioned finding.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub source: Arc<SourceFile>,
    /// Byte span of the offending field (or its nearest existing parent).
    pub span: Span,
    pub start: Position,
    pub end: Position,
    /// Index of the YAML document in the file (non-empty documents, 0-based).
    pub document: usize,
    /// Shared by the findings of one object.
    pub object: Option<Arc<ObjectRef>>,
    pub yaml_path: String,
    /// `pack:control` ids that reference this rule (`cis-1.12:5.2.2`).
    /// Shared per rule: a large report holds one list per rule, not one per finding.
    pub controls: Arc<[String]>,
    /// The rendered-from trail for Helm/Kustomize input; `None` for plain files.
    pub origin: Option<serde_json::Value>,
    /// A secret value in the source; every rendering of the source shows it masked.
    pub secret: Option<Span>,
    /// The edits that resolve the finding (byte spans in `source`), when the rule knows them.
    pub fix: Option<Box<crate::fix::Fix>>,
}

impl Finding {
    pub fn path(&self) -> &str {
        &self.source.path
    }

    /// The total order every output uses: path, position, rule, message.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str, &str) {
        (
            self.path(),
            self.start.line,
            self.start.column,
            self.rule.id,
            self.yaml_path.as_str(),
            self.message.as_str(),
        )
    }

    /// `sort_key` order, without comparing the paths of findings on the same source.
    pub fn cmp_order(&self, other: &Finding) -> std::cmp::Ordering {
        let path = if Arc::ptr_eq(&self.source, &other.source) {
            std::cmp::Ordering::Equal
        } else {
            self.path().cmp(other.path())
        };
        path.then_with(|| self.sort_key().cmp(&other.sort_key()))
    }
}

/// Sort findings into `sort_key` order, stably. A finding is a few hundred bytes: the sort
/// orders indexes and then moves each finding once, so it needs 8 bytes of scratch per
/// finding rather than half the findings' size (100 MB for 600k findings).
pub fn sort_findings(findings: &mut [Finding]) {
    if findings.is_sorted_by(|a, b| a.cmp_order(b).is_le()) {
        return;
    }
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| findings[a].cmp_order(&findings[b]));
    // Apply the permutation in place, one cycle at a time: slot `i` receives the finding
    // that was at `order[i]`; a placed slot is marked by `order[i] == i`.
    for start in 0..order.len() {
        let mut cur = start;
        while order[cur] != start {
            let next = order[cur];
            findings.swap(cur, next);
            order[cur] = cur;
            cur = next;
        }
        order[cur] = cur;
    }
}

/// A finding to print, with its suppression when suppressed findings are listed.
pub type Listed<'a> = (&'a Finding, Option<&'a Suppressed>);

/// The findings a report prints, in report order: the reported ones (sorted) and, when
/// `show_suppressed`, the suppressed ones (sorted) merged in, the reported first on ties.
pub fn listed<'a>(
    kept: &'a [Finding],
    suppressed: &'a [SuppressedFinding],
    show_suppressed: bool,
) -> Vec<Listed<'a>> {
    let mut items: Vec<Listed<'a>> = kept.iter().map(|f| (f, None)).collect();
    if show_suppressed && !suppressed.is_empty() {
        items.extend(suppressed.iter().map(|s| (&s.finding, Some(&s.suppressed))));
        items.sort_by(|a, b| a.0.sort_key().cmp(&b.0.sort_key()));
    }
    items
}

/// Sort errors by path, position and message.
pub fn sort_errors(errors: &mut [LintError]) {
    errors.sort_by(|a, b| {
        (a.path.as_str(), a.line, a.column, a.message.as_str()).cmp(&(
            b.path.as_str(),
            b.line,
            b.column,
            b.message.as_str(),
        ))
    });
}

/// Where a suppression is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SuppressedBy {
    /// `ignore.kspm.dev/<rule>` on the object.
    Annotation,
    /// `# kspm-ignore...` in the source.
    Comment,
    /// An `ignore:` entry of `.kspm.yaml`.
    Config,
    /// An entry of the `--baseline` file.
    Baseline,
}

impl SuppressedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressedBy::Annotation => "annotation",
            SuppressedBy::Comment => "comment",
            SuppressedBy::Config => "config",
            SuppressedBy::Baseline => "baseline",
        }
    }

    /// Whether the suppression sits in the linted source itself (SARIF `inSource`) rather
    /// than beside it (`external`).
    pub fn in_source(self) -> bool {
        matches!(self, SuppressedBy::Annotation | SuppressedBy::Comment)
    }
}

/// Why a finding is not reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub by: SuppressedBy,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day the suppression applies.
    pub until: Option<String>,
    /// Where the suppression is written: path, 1-based line and column.
    pub location: Option<(String, usize, usize)>,
}

/// A finding a suppression hides; `--show-suppressed` (JSON) and SARIF show it.
#[derive(Clone, Debug)]
pub struct SuppressedFinding {
    pub finding: Finding,
    pub suppressed: Suppressed,
}

/// An input that could not be linted (unreadable, unparsable, unrenderable).
#[derive(Clone, Debug)]
pub struct LintError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The source and span, when the error sits in readable text.
    pub source: Option<Arc<SourceFile>>,
    pub span: Option<Span>,
}

/// Counters for the summary line and the JSON `summary`.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    /// Documents without apiVersion/kind (not Kubernetes objects).
    pub skipped_documents: usize,
    pub elapsed: Duration,
}

/// Everything a run produced, sorted.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<LintError>,
    /// Informational notes (e.g. a Helm chart's templates were skipped).
    pub notes: Vec<String>,
    pub summary: Summary,
    /// The rules that ran (SARIF lists them as the driver's rules).
    pub rules: Vec<&'static RuleMeta>,
    /// `pack:control` ids per rule id, from the selected packs, so SARIF can tag rules that
    /// produced no finding; renderers fall back to the findings' `controls`.
    pub rule_controls: BTreeMap<&'static str, Vec<String>>,
}

impl Report {
    pub fn count_by_severity(&self, sev: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == sev).count()
    }

    /// Finding counts per severity, most severe first (the order summaries print).
    pub fn severity_counts(&self) -> [(Severity, usize); 5] {
        let mut counts = Severity::ALL.map(|s| (s, 0));
        counts.reverse();
        for f in &self.findings {
            if let Some(c) = counts.iter_mut().find(|(s, _)| *s == f.severity) {
                c.1 += 1;
            }
        }
        counts
    }

    /// `rules` plus any rule that has a finding but was not listed, sorted by id, so an
    /// index into this list identifies every finding's rule.
    pub fn all_rules(&self) -> Vec<&'static RuleMeta> {
        let mut rules: Vec<&'static RuleMeta> = self.rules.clone();
        rules.extend(self.findings.iter().map(|f| f.rule));
        rules.sort_by_key(|r| r.id);
        rules.dedup_by_key(|r| r.id);
        rules
    }

    /// The `pack:control` ids that reference a rule: from `rule_controls`, else from the
    /// findings of that rule. Sorted, without duplicates.
    pub fn controls_of(&self, rule_id: &str) -> Vec<String> {
        let mut controls: Vec<String> = match self.rule_controls.get(rule_id) {
            Some(c) => c.clone(),
            None => self
                .findings
                .iter()
                .filter(|f| f.rule.id == rule_id)
                .flat_map(|f| f.controls.iter().cloned())
                .collect(),
        };
        controls.sort();
        controls.dedup();
        controls
    }

    /// Sort findings and errors into the stable order every format prints.
    pub fn sort(&mut self) {
        sort_findings(&mut self.findings);
        sort_errors(&mut self.errors);
        self.notes.sort();
        self.notes.dedup();
        self.rules.sort_by_key(|r| r.id);
        self.rules.dedup_by_key(|r| r.id);
    }
}

/// The report formats this module renders (the CLI adds the others).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        [Format::Human, Format::Json, Format::Sarif]
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_findings_is_the_stable_sort_by_sort_key() {
        let a = SourceFile::new("a.yaml", "x\n".repeat(50));
        let b = SourceFile::new("b.yaml", "x\n".repeat(50));
        let rules: Vec<_> = crate::registry::all().iter().map(|r| r.meta()).collect();
        // Many equal keys (the message is not part of the identity checked below).
        let mut findings: Vec<Finding> = (0..500usize)
            .map(|i| {
                let src = if (i * 7) % 3 == 0 { &a } else { &b };
                let line = (i * 31) % 17;
                Finding {
                    rule: rules[(i * 13) % 4],
                    severity: Severity::Low,
                    message: String::new(),
                    source: src.clone(),
                    span: Span::new(0, 1),
                    start: src.position(src.line_start(line + 1)),
                    end: src.position(src.line_start(line + 1)),
                    document: i,
                    object: None,
                    yaml_path: String::new(),
                    controls: Arc::from(Vec::new()),
                    origin: None,
                    secret: None,
                    fix: None,
                }
            })
            .collect();
        let mut expected = findings.clone();
        expected.sort_by(|x, y| x.sort_key().cmp(&y.sort_key()));
        sort_findings(&mut findings);
        let docs = |f: &[Finding]| f.iter().map(|f| f.document).collect::<Vec<_>>();
        assert_eq!(docs(&findings), docs(&expected));
        sort_findings(&mut findings);
        assert_eq!(docs(&findings), docs(&expected));
    }
}
