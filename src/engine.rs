//! The engine: load each source, find objects and pod specs, dispatch rules, position
//! findings; then run cross-object rules over each lint context. Rayon over documents;
//! output order never depends on scheduling.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::k8s::{
    ContextObject, LintContext, ObjectView, PodSpecView, WORKLOAD_KINDS, WorkloadKind, prune,
};
use crate::packs;
use crate::render::{self, OriginMapper};
use crate::report::{Finding, LintError, ObjectRef, Report, Summary};
use crate::rule::{RawFinding, Rule, RuleContext, Sink, Target};
use crate::source::SourceFile;
use crate::timings::{Clock, Phases, RuleTimes};
use crate::yaml::load::{Document, load_range, split_ranges};
use crate::yaml::{Node, Span, YamlPath, locate};

mod stream;
pub use stream::{Streamed, UnitOutcome, WINDOW_BYTES, in_report_order};

/// A large source is cut into ranges of about this size, linted in parallel; each worker
/// holds one document's tree at a time. Small enough that a window of a few ranges keeps
/// every core busy while holding little (`stream::WINDOW_BYTES`).
pub const RANGE_BYTES: usize = 128 * 1024;

/// Kinds that are configuration for tools, not objects the API server stores.
fn is_tool_config(obj: &ObjectView<'_>) -> bool {
    obj.group() == "kustomize.config.k8s.io"
}

/// One source and the lint context (command-line argument) it belongs to.
#[derive(Clone, Debug)]
pub struct ContextSource {
    pub source: Arc<SourceFile>,
    pub context: usize,
    /// For a rendered stream (Kustomize, Helm): moves its findings to the files they came
    /// from. Rules never see it.
    pub mapper: Option<Arc<dyn OriginMapper>>,
}

pub struct Engine {
    rules: Vec<&'static dyn Rule>,
    cx: RuleContext,
    kinds: Vec<WorkloadKind>,
    /// Whether any rule needs a lint context (then objects are kept after linting).
    keep_objects: bool,
    /// The kinds the context rules read; `None` keeps every object.
    kept_kinds: Option<Vec<&'static str>>,
    controls: BTreeMap<&'static str, Arc<[String]>>,
    /// Per-rule CPU time, when `--timings` asked for it.
    timings: Option<RuleTimes>,
    /// Whether fixes keep the fields they change (`Fix::paths`), which only applying and
    /// verifying them (`--fix`, `--diff`) reads.
    fix_paths: bool,
}

/// What linting one document produced.
#[derive(Default)]
struct DocOutcome {
    findings: Vec<Finding>,
    objects: usize,
    skipped: usize,
    kept: Vec<(usize, YamlPath, Node, Option<usize>)>,
}

/// What linting one source produced.
struct SourceOutcome {
    findings: Vec<Finding>,
    errors: Vec<LintError>,
    summary: Summary,
    kept: Vec<ContextObject>,
}

fn object_ref(obj: &ObjectView<'_>) -> Arc<ObjectRef> {
    Arc::new(ObjectRef {
        api_version: obj.api_version().to_string(),
        kind: obj.kind().to_string(),
        namespace: obj.namespace().map(str::to_string),
        name: obj.name().map(str::to_string),
    })
}

/// An object's reference, made once however many findings it has.
struct ObjectFor<'v, 'a> {
    view: &'v ObjectView<'a>,
    made: std::cell::OnceCell<Arc<ObjectRef>>,
}

impl<'v, 'a> ObjectFor<'v, 'a> {
    fn new(view: &'v ObjectView<'a>) -> Self {
        ObjectFor {
            view,
            made: std::cell::OnceCell::new(),
        }
    }

    fn reference(&self) -> Arc<ObjectRef> {
        self.made.get_or_init(|| object_ref(self.view)).clone()
    }
}

impl Engine {
    pub fn new(rules: Vec<&'static dyn Rule>, cx: RuleContext) -> Self {
        let keep_objects = rules.iter().any(|r| r.meta().target == Target::Context);
        let kept_kinds = rules
            .iter()
            .filter(|r| r.meta().target == Target::Context)
            .map(|r| r.context_kinds())
            .try_fold(Vec::new(), |mut all, kinds| {
                all.extend_from_slice(kinds?);
                Some(all)
            });
        let mut engine = Engine {
            rules,
            cx,
            kinds: WORKLOAD_KINDS.to_vec(),
            keep_objects,
            kept_kinds,
            controls: BTreeMap::new(),
            timings: None,
            fix_paths: true,
        };
        engine.set_controls(packs::controls_by_rule());
        engine
    }

    /// The `pack:control` ids findings carry, per rule id (default: every pack's).
    pub fn with_controls(mut self, controls: &BTreeMap<String, Vec<String>>) -> Self {
        self.set_controls(controls);
        self
    }

    fn set_controls(&mut self, controls: &BTreeMap<String, Vec<String>>) {
        self.controls = self
            .rules
            .iter()
            .map(|r| {
                let id = r.meta().id;
                let list = controls.get(id).map(Vec::as_slice).unwrap_or_default();
                (id, Arc::from(list))
            })
            .collect();
    }

    /// Workload kinds from configuration, tried before the built-in ones (so an entry for a
    /// built-in kind replaces it).
    pub fn with_kinds(mut self, kinds: Vec<WorkloadKind>) -> Self {
        self.kinds.splice(0..0, kinds);
        self
    }

    /// Drop what only applying fixes needs from every finding's fix: a report that is only
    /// printed holds hundreds of thousands of them.
    pub fn without_fix_paths(mut self) -> Self {
        self.fix_paths = false;
        self
    }

    pub fn rules(&self) -> &[&'static dyn Rule] {
        &self.rules
    }

    /// Measure the CPU time of each rule (`--timings`); costs two clock reads per rule call.
    pub fn with_timings(mut self) -> Self {
        self.timings = Some(RuleTimes::default());
        self
    }

    /// The per-rule table of `--timings`, after a run.
    pub fn timings_report(&self) -> Option<String> {
        let metas: Vec<_> = self.rules.iter().map(|r| r.meta()).collect();
        Some(self.timings.as_ref()?.render(&metas))
    }

    fn clock(&self) -> Clock {
        Clock::new(self.timings.is_some(), self.rules.len())
    }

    /// Lint sources that form one context.
    pub fn lint(&self, sources: &[Arc<SourceFile>]) -> Report {
        let sources: Vec<ContextSource> = sources
            .iter()
            .map(|s| ContextSource {
                source: s.clone(),
                context: 0,
                mapper: None,
            })
            .collect();
        self.lint_contexts(&sources)
    }

    /// Lint every source, then run context rules per context; the report is sorted.
    pub fn lint_contexts(&self, sources: &[ContextSource]) -> Report {
        self.lint_contexts_timed(sources, &mut None)
    }

    /// `lint_contexts`, marking its phases in `phases` when given (`--timings`).
    pub fn lint_contexts_timed(
        &self,
        sources: &[ContextSource],
        phases: &mut Option<Phases>,
    ) -> Report {
        let mut mark = |name| {
            if let Some(p) = phases.as_mut() {
                p.mark(name);
            }
        };
        let outcomes: Vec<SourceOutcome> = sources
            .par_iter()
            .enumerate()
            .map(|(i, s)| self.lint_one(i, &s.source))
            .collect();
        let mut report = Report {
            rules: self.rules.iter().map(|r| r.meta()).collect(),
            rule_controls: self
                .controls
                .iter()
                .filter(|(_, c)| !c.is_empty())
                .map(|(id, c)| (*id, c.to_vec()))
                .collect(),
            ..Report::default()
        };
        let mut contexts: Vec<(usize, Vec<ContextObject>)> = Vec::new();
        // Findings are the bulk of a large run's memory: never let the list double.
        report
            .findings
            .reserve_exact(outcomes.iter().map(|o| o.findings.len()).sum());
        for (o, s) in outcomes.into_iter().zip(sources) {
            report.findings.extend(o.findings);
            report.errors.extend(o.errors);
            report.summary.files += o.summary.files;
            report.summary.documents += o.summary.documents;
            report.summary.objects += o.summary.objects;
            report.summary.skipped_documents += o.summary.skipped_documents;
            match contexts.iter_mut().find(|(c, _)| *c == s.context) {
                Some((_, objs)) => objs.extend(o.kept),
                None => contexts.push((s.context, o.kept)),
            }
        }
        mark("load and lint objects");
        if self.keep_objects {
            let found: Vec<Vec<Finding>> = contexts
                .into_par_iter()
                .map(|(_, objects)| self.lint_context(objects, sources))
                .collect();
            report
                .findings
                .reserve_exact(found.iter().map(Vec::len).sum());
            report.findings.extend(found.into_iter().flatten());
            mark("cross-object rules");
        }
        // The mapping hook: findings on rendered streams move to their origin files, and a
        // base line reached through several builds is reported once.
        render::map_findings_with(&mut report.findings, sources, Some(self));
        mask_secrets(&mut report.findings);
        report.sort();
        // Only findings moved to an origin file can be duplicates; merging copies the list.
        if report.findings.iter().any(|f| f.origin.is_some()) {
            render::merge_duplicates(&mut report.findings);
        }
        mark("map, mask and sort findings");
        report
    }

    /// Run the context rules over one context's objects, in parallel (a single large
    /// stream is one context, so the rules are the only parallelism left).
    fn lint_context(&self, objects: Vec<ContextObject>, sources: &[ContextSource]) -> Vec<Finding> {
        let ctx = LintContext::new(objects, self.kinds.clone());
        let per_rule: Vec<Vec<Finding>> = self
            .rules
            .par_iter()
            .enumerate()
            .filter(|(_, rule)| rule.meta().target == Target::Context)
            .map(|(r, rule)| {
                let mut findings = Vec::new();
                let mut clock = self.clock();
                clock.time(r, || {
                    let mut sink = Sink::new(rule.meta());
                    rule.check_context(&self.cx, &ctx, &mut sink);
                    for raw in sink.findings {
                        let Some(i) = raw.object.filter(|&i| i < ctx.len()) else {
                            continue;
                        };
                        let view = ctx.view(i);
                        let src = &sources[ctx.objects[i].source].source;
                        let of = ObjectFor::new(&view);
                        findings.push(self.position(src, view.root, view.document, Some(&of), raw));
                    }
                    findings.len()
                });
                if let Some(t) = &self.timings {
                    t.add(&clock, std::time::Duration::ZERO);
                }
                findings
            })
            .collect();
        per_rule.into_iter().flatten().collect()
    }

    /// Lint one source: its ranges (about `RANGE_BYTES` each, cut at document boundaries)
    /// in parallel, each loaded one document at a time; then number documents globally.
    fn lint_one(&self, index: usize, src: &Arc<SourceFile>) -> SourceOutcome {
        let parts: Vec<(SourceOutcome, usize)> = split_ranges(&src.text, RANGE_BYTES)
            .into_par_iter()
            .map(|range| self.lint_range(index, src, range))
            .collect();
        let mut out = SourceOutcome {
            findings: Vec::new(),
            errors: Vec::new(),
            summary: Summary {
                files: 1,
                ..Summary::default()
            },
            kept: Vec::new(),
        };
        out.findings
            .reserve_exact(parts.iter().map(|(p, _)| p.findings.len()).sum());
        let mut offset = 0;
        for (mut part, documents) in parts {
            part.findings.iter_mut().for_each(|f| f.document += offset);
            part.kept.iter_mut().for_each(|o| o.document += offset);
            out.findings.append(&mut part.findings);
            out.kept.append(&mut part.kept);
            out.errors.append(&mut part.errors);
            out.summary.documents += part.summary.documents;
            out.summary.objects += part.summary.objects;
            out.summary.skipped_documents += part.summary.skipped_documents;
            offset += documents;
        }
        out
    }

    /// Lint the documents of one range; returns the outcome and how many documents it
    /// numbered (failed ones included).
    fn lint_range(
        &self,
        index: usize,
        src: &Arc<SourceFile>,
        range: std::ops::Range<usize>,
    ) -> (SourceOutcome, usize) {
        let mut out = SourceOutcome {
            findings: Vec::new(),
            errors: Vec::new(),
            summary: Summary::default(),
            kept: Vec::new(),
        };
        let mut numbered = 0;
        let started = std::time::Instant::now();
        let mut clock = self.clock();
        load_range(src, range, |res| {
            numbered += 1;
            out.summary.documents += 1;
            match res {
                Ok(doc) => {
                    let o = self.lint_document(src, &doc, &mut clock);
                    out.findings.extend(o.findings);
                    out.summary.objects += o.objects;
                    out.summary.skipped_documents += o.skipped;
                    out.kept
                        .extend(o.kept.into_iter().map(|(document, base, root, workload)| {
                            ContextObject {
                                source: index,
                                document,
                                base,
                                root,
                                workload,
                            }
                        }));
                }
                Err(e) => {
                    let pos = src.position(e.span.start);
                    out.errors.push(LintError {
                        path: src.path.clone(),
                        line: pos.line,
                        column: pos.column,
                        message: e.message,
                        source: Some(src.clone()),
                        span: Some(e.span),
                    });
                }
            }
        });
        if let Some(t) = &self.timings {
            t.add(&clock, started.elapsed().saturating_sub(clock.charged()));
        }
        (out, numbered)
    }

    fn lint_document(
        &self,
        src: &Arc<SourceFile>,
        doc: &Document,
        clock: &mut Clock,
    ) -> DocOutcome {
        let mut out = DocOutcome::default();
        let root_path = YamlPath::root();
        let obj = ObjectView::new(&doc.root, &root_path, doc.index);
        let of = obj.as_ref().map(ObjectFor::new);
        for (r, rule) in self.rules.iter().enumerate() {
            clock.time(r, || {
                let mut sink = Sink::new(rule.meta());
                rule.check_document(&self.cx, doc, &mut sink);
                let n = sink.findings.len();
                for raw in sink.findings {
                    out.findings
                        .push(self.position(src, &doc.root, doc.index, of.as_ref(), raw));
                }
                n
            });
        }
        drop(of);
        let Some(obj) = obj.filter(|o| !is_tool_config(o)) else {
            out.skipped += 1;
            return out;
        };
        let is_list = obj.kind().ends_with("List") && doc.root.get("items").is_some();
        if !is_list {
            self.lint_object(src, &obj, &mut out, clock);
            return out;
        }
        let items = doc.root.get("items").map(|n| n.items()).unwrap_or(&[]);
        for (i, item) in items.iter().enumerate() {
            let base = YamlPath::root().key("items").index(i);
            match ObjectView::new(item, &base, doc.index) {
                Some(o) => self.lint_object(src, &o, &mut out, clock),
                None => out.skipped += 1,
            }
        }
        out
    }

    fn lint_object(
        &self,
        src: &Arc<SourceFile>,
        obj: &ObjectView<'_>,
        out: &mut DocOutcome,
        clock: &mut Clock,
    ) {
        out.objects += 1;
        let workload = self.kinds.iter().position(|w| w.matches(obj));
        let pod = workload.and_then(|w| PodSpecView::of(obj, &self.kinds[w..=w]));
        let containers = pod.as_ref().map(|p| p.containers()).unwrap_or_default();
        let of = ObjectFor::new(obj);
        for (r, rule) in self.rules.iter().enumerate() {
            clock.time(r, || {
                let mut sink = Sink::new(rule.meta());
                rule.check_object(&self.cx, obj, &mut sink);
                if let Some(pod) = &pod {
                    rule.check_pod(&self.cx, pod, &mut sink);
                    for c in &containers {
                        rule.check_container(&self.cx, pod, c, &mut sink);
                    }
                }
                let n = sink.findings.len();
                for raw in sink.findings {
                    out.findings
                        .push(self.position(src, obj.root, obj.document, Some(&of), raw));
                }
                n
            });
        }
        let wanted = self
            .kept_kinds
            .as_ref()
            .is_none_or(|k| k.contains(&obj.kind()));
        if self.keep_objects && wanted {
            let w = workload.filter(|_| pod.is_some());
            out.kept.push((
                obj.document,
                obj.base.clone(),
                prune(obj, w.map(|i| &self.kinds[i])),
                w,
            ));
        }
    }

    /// Position a raw finding. Paths are from the document root; `root` is the object's
    /// own node (or the document's when there is no object), so the object's base is
    /// stripped before locating.
    fn position(
        &self,
        src: &Arc<SourceFile>,
        root: &Node,
        document: usize,
        obj: Option<&ObjectFor<'_, '_>>,
        raw: RawFinding,
    ) -> Finding {
        let span = raw.span.unwrap_or_else(|| {
            let rel = obj
                .and_then(|o| raw.path.strip_prefix(o.view.base))
                .unwrap_or_else(|| raw.path.clone());
            locate(root, &rel).span
        });
        let rule = raw.rule;
        Finding {
            rule,
            severity: rule.severity,
            message: raw.message,
            source: src.clone(),
            span,
            start: src.position(span.start),
            end: src.position(span.end),
            document,
            object: obj.map(ObjectFor::reference),
            yaml_path: raw.path.to_string(),
            controls: self
                .controls
                .get(rule.id)
                .cloned()
                .unwrap_or_else(|| Arc::from(Vec::new())),
            origin: None,
            secret: raw.secret,
            // The rule described its fix on the tree; lay it out in this text now.
            fix: raw.fix.and_then(|f| f.resolve(src)).map(|mut f| {
                if !self.fix_paths {
                    f.paths = Vec::new();
                }
                f
            }),
        }
    }
}

/// Replace every secret value with `*` in the sources findings show, so that no snippet
/// prints one (DESIGN principle 8). One masked copy per source that holds a secret; byte
/// offsets and lines are kept. A finding moved to an origin file masks the rest of its line
/// there (the value follows its key).
fn mask_secrets(findings: &mut [Finding]) {
    let mut spans: HashMap<*const SourceFile, Vec<Span>> = HashMap::new();
    for f in findings.iter().filter(|f| f.secret.is_some()) {
        let span = match (f.secret, &f.origin) {
            (Some(s), None) => s,
            _ => {
                let line_end = f.source.line_start(f.end.line + 1);
                Span::new(f.span.end, line_end.max(f.span.end))
            }
        };
        spans.entry(Arc::as_ptr(&f.source)).or_default().push(span);
    }
    if spans.is_empty() {
        return;
    }
    let mut masked: HashMap<*const SourceFile, Arc<SourceFile>> = HashMap::new();
    for f in findings.iter_mut() {
        let key = Arc::as_ptr(&f.source);
        let Some(secret_spans) = spans.get(&key) else {
            continue;
        };
        let copy = masked
            .entry(key)
            .or_insert_with(|| mask_source(&f.source, secret_spans));
        f.source = copy.clone();
    }
}

fn mask_source(src: &SourceFile, spans: &[Span]) -> Arc<SourceFile> {
    let mut bytes = src.text.clone().into_bytes();
    for s in spans {
        let end = s.end.min(bytes.len());
        for b in bytes.get_mut(s.start.min(end)..end).into_iter().flatten() {
            // Every byte of a character becomes one `*`, so offsets stay valid UTF-8.
            if !matches!(*b, b'\n' | b'\r') {
                *b = b'*';
            }
        }
    }
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    SourceFile::new(src.path.clone(), text)
}

/// Lint one source with the given rules (the fixture harness and library users).
pub fn lint_source(src: Arc<SourceFile>, rules: &[&'static dyn Rule], cx: &RuleContext) -> Report {
    Engine::new(rules.to_vec(), cx.clone()).lint(&[src])
}
