//! The engine: load each source, find objects and pod specs, dispatch rules, position
//! findings. Rayon over documents; output order never depends on scheduling.

use std::sync::Arc;

use rayon::prelude::*;

use crate::k8s::{ObjectView, PodSpecView, WORKLOAD_KINDS, WorkloadKind};
use crate::packs;
use crate::report::{Finding, LintError, ObjectRef, Report, Summary};
use crate::rule::{RawFinding, Rule, RuleContext, Sink};
use crate::source::SourceFile;
use crate::yaml::load::{Document, load_stream};
use crate::yaml::{YamlPath, locate};

/// Documents linted together in parallel; bounds the trees alive at once.
const BATCH: usize = 256;

/// Kinds that are configuration for tools, not objects the API server stores.
fn is_tool_config(obj: &ObjectView<'_>) -> bool {
    obj.group() == "kustomize.config.k8s.io"
}

pub struct Engine {
    rules: Vec<&'static dyn Rule>,
    cx: RuleContext,
    kinds: Vec<WorkloadKind>,
}

/// What linting one document produced.
#[derive(Default)]
struct DocOutcome {
    findings: Vec<Finding>,
    objects: usize,
    skipped: usize,
}

impl Engine {
    pub fn new(rules: Vec<&'static dyn Rule>, cx: RuleContext) -> Self {
        Engine {
            rules,
            cx,
            kinds: WORKLOAD_KINDS.to_vec(),
        }
    }

    pub fn rules(&self) -> &[&'static dyn Rule] {
        &self.rules
    }

    /// Lint every source; the report is sorted.
    pub fn lint(&self, sources: &[Arc<SourceFile>]) -> Report {
        let parts: Vec<(Vec<Finding>, Vec<LintError>, Summary)> =
            sources.par_iter().map(|s| self.lint_one(s)).collect();
        let controls = packs::controls_by_rule();
        let mut report = Report {
            rules: self.rules.iter().map(|r| r.meta()).collect(),
            rule_controls: self
                .rules
                .iter()
                .filter_map(|r| Some((r.meta().id, controls.get(r.meta().id)?.clone())))
                .collect(),
            ..Report::default()
        };
        for (findings, errors, s) in parts {
            report.findings.extend(findings);
            report.errors.extend(errors);
            report.summary.files += s.files;
            report.summary.documents += s.documents;
            report.summary.objects += s.objects;
            report.summary.skipped_documents += s.skipped_documents;
        }
        report.sort();
        report
    }

    fn lint_one(&self, src: &Arc<SourceFile>) -> (Vec<Finding>, Vec<LintError>, Summary) {
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        let mut summary = Summary {
            files: 1,
            ..Summary::default()
        };
        let mut batch: Vec<Document> = Vec::new();
        let flush = |batch: &mut Vec<Document>, findings: &mut Vec<Finding>, s: &mut Summary| {
            let outcomes: Vec<DocOutcome> = batch
                .par_iter()
                .map(|d| self.lint_document(src, d))
                .collect();
            for o in outcomes {
                findings.extend(o.findings);
                s.objects += o.objects;
                s.skipped_documents += o.skipped;
            }
            s.documents += batch.len();
            batch.clear();
        };
        load_stream(src, |res| match res {
            Ok(doc) => {
                batch.push(doc);
                if batch.len() >= BATCH {
                    flush(&mut batch, &mut findings, &mut summary);
                }
            }
            Err(e) => {
                let pos = src.position(e.span.start);
                summary.documents += 1;
                errors.push(LintError {
                    path: src.path.clone(),
                    line: pos.line,
                    column: pos.column,
                    message: e.message,
                    source: Some(src.clone()),
                    span: Some(e.span),
                });
            }
        });
        flush(&mut batch, &mut findings, &mut summary);
        (findings, errors, summary)
    }

    fn lint_document(&self, src: &Arc<SourceFile>, doc: &Document) -> DocOutcome {
        let mut out = DocOutcome::default();
        let root_path = YamlPath::root();
        let obj = ObjectView::new(doc, &doc.root, &root_path);
        for rule in &self.rules {
            let mut sink = Sink::new(rule.meta());
            rule.check_document(&self.cx, doc, &mut sink);
            if !sink.findings.is_empty() {
                self.collect(src, doc, obj.as_ref(), &mut sink, &mut out);
            }
        }
        let Some(obj) = obj.filter(|o| !is_tool_config(o)) else {
            out.skipped += 1;
            return out;
        };
        let is_list = obj.kind().ends_with("List") && doc.root.get("items").is_some();
        if !is_list {
            self.lint_object(src, &obj, &mut out);
            return out;
        }
        let items = doc.root.get("items").map(|n| n.items()).unwrap_or(&[]);
        for (i, item) in items.iter().enumerate() {
            let base = YamlPath::root().key("items").index(i);
            match ObjectView::new(doc, item, &base) {
                Some(o) => self.lint_object(src, &o, &mut out),
                None => out.skipped += 1,
            }
        }
        out
    }

    fn lint_object(&self, src: &Arc<SourceFile>, obj: &ObjectView<'_>, out: &mut DocOutcome) {
        out.objects += 1;
        let pod = PodSpecView::of(obj, &self.kinds);
        let containers = pod.as_ref().map(|p| p.containers()).unwrap_or_default();
        for rule in &self.rules {
            let mut sink = Sink::new(rule.meta());
            rule.check_object(&self.cx, obj, &mut sink);
            if let Some(pod) = &pod {
                rule.check_pod(&self.cx, pod, &mut sink);
                for c in &containers {
                    rule.check_container(&self.cx, pod, c, &mut sink);
                }
            }
            if !sink.findings.is_empty() {
                self.collect(src, obj.doc, Some(obj), &mut sink, out);
            }
        }
    }

    /// Turn raw findings into positioned ones.
    fn collect(
        &self,
        src: &Arc<SourceFile>,
        doc: &Document,
        obj: Option<&ObjectView<'_>>,
        sink: &mut Sink,
        out: &mut DocOutcome,
    ) {
        let object = obj.map(|o| ObjectRef {
            api_version: o.api_version().to_string(),
            kind: o.kind().to_string(),
            namespace: o.namespace().map(str::to_string),
            name: o.name().map(str::to_string),
        });
        for raw in sink.findings.drain(..) {
            out.findings
                .push(self.position(src, doc, object.clone(), raw));
        }
    }

    fn position(
        &self,
        src: &Arc<SourceFile>,
        doc: &Document,
        object: Option<ObjectRef>,
        raw: RawFinding,
    ) -> Finding {
        let span = raw
            .span
            .unwrap_or_else(|| locate(&doc.root, &raw.path).span);
        let rule = raw.rule;
        Finding {
            rule,
            severity: rule.severity,
            message: raw.message,
            source: src.clone(),
            span,
            start: src.position(span.start),
            end: src.position(span.end),
            document: doc.index,
            object,
            yaml_path: raw.path.to_string(),
            controls: packs::controls_by_rule()
                .get(rule.id)
                .cloned()
                .unwrap_or_default(),
            origin: None,
        }
    }
}

/// Lint one source with the given rules (the fixture harness and library users).
pub fn lint_source(src: Arc<SourceFile>, rules: &[&'static dyn Rule], cx: &RuleContext) -> Report {
    Engine::new(rules.to_vec(), cx.clone()).lint(&[src])
}
