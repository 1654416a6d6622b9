//! Fixes on rendered objects (Helm, Kustomize), made in the files the objects came from.
//!
//! A rule's fix is laid out on the rendered stream. Where kspm traced the changed bytes
//! exactly, the same change is made in the traced file instead:
//!
//! - a replaced scalar that is a template's own text, or a value a values file, a
//!   Kustomize resource or patch writes (the source must hold the same scalar);
//! - removed lines that are a template's own lines, or a values line `toYaml` printed
//!   whole (key and value), in the root chart's only values file;
//! - inserted lines next to template text that writes the line's indentation;
//! - a Kustomize object whose fixed fields all come from its resource file: the rule's
//!   own fix on that file, laid out as for any plain file.
//!
//! Everything else stays a change of the rendered output, with the reason. None of it is
//! applied: a template line or values entry may produce many objects.

mod kustomize;
mod text;
mod trace;

use std::collections::HashMap;
use std::sync::Arc;

use super::Edit;
use crate::engine::Engine;
use crate::render::{Mapping, OriginMapper};
use crate::report::Finding;
use crate::source::SourceFile;
use crate::yaml::Node;
use crate::yaml::load::load_all;
pub(crate) use text::{fits_before, indent, outdent};
use trace::Cx;

/// What a source edit's file is to the renderer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    Template,
    Values,
    Resource,
    Patch,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Template => "template",
            SourceKind::Values => "values",
            SourceKind::Resource => "resource",
            SourceKind::Patch => "patch",
        }
    }
}

/// The edits of one fix in one source file.
#[derive(Clone, Debug)]
pub struct SourceEdits {
    pub source: Arc<SourceFile>,
    pub kind: SourceKind,
    /// Sorted, not overlapping.
    pub edits: Vec<Edit>,
    /// For a Kustomize resource fixed by the rule itself: the finding's document and
    /// `yaml_path` in that file, so that `--diff` can fix the file round by round.
    pub base: Option<(usize, String)>,
}

/// Where a fix on a rendered object can be made.
#[derive(Clone, Debug)]
pub enum OriginFix {
    /// In these source files, the whole fix.
    Source(Vec<SourceEdits>),
    /// Only on the rendered output, for this reason.
    Rendered(String),
}

/// Traces the fixes of one lint run's rendered findings; caches the parsed rendered
/// documents and the lint of Kustomize resource files.
pub struct Tracer<'a> {
    engine: Option<&'a Engine>,
    docs: HashMap<*const SourceFile, Vec<Node>>,
    bases: HashMap<String, Vec<Finding>>,
}

type Traced = Result<(Arc<SourceFile>, SourceKind, Vec<Edit>), String>;

const KUSTOMIZE_LINES: &str = "it adds or removes lines, which kspm makes only in a \
                               resource file whose fixed fields no patch or transformer \
                               wrote";

const NO_TRACE: &str = "the helm binary rendered it without a byte trace (kspm's own \
                        renderer, --renderer native, traces templates)";

impl<'a> Tracer<'a> {
    pub fn new(engine: Option<&'a Engine>) -> Self {
        Tracer {
            engine,
            docs: HashMap::new(),
            bases: HashMap::new(),
        }
    }

    /// Where the fix of `f` (still on the rendered stream) can be made; `None` when it has
    /// no fix. `mapping` is where the finding itself was mapped.
    pub fn trace(
        &mut self,
        f: &Finding,
        mapper: &dyn OriginMapper,
        mapping: &Mapping,
    ) -> Option<OriginFix> {
        let fix = f.fix.as_deref()?;
        let rendered = fix.source.as_ref()?;
        let first = fix.edits.first()?;
        let kustomize = mapping.origin["renderer"] == "kustomize";
        if kustomize && let Some(s) = self.kustomize_resource(f, mapper, mapping) {
            return Some(OriginFix::Source(vec![s]));
        }
        let docs = self.docs.entry(Arc::as_ptr(rendered)).or_insert_with(|| {
            load_all(rendered)
                .into_iter()
                .filter_map(Result::ok)
                .map(|d| d.root)
                .collect()
        });
        let Some(root) = docs
            .iter()
            .find(|r| r.span.start <= first.span.start && first.span.start <= r.span.end)
        else {
            return Some(OriginFix::Rendered(
                "its change is outside the rendered object".to_string(),
            ));
        };
        let cx = Cx {
            rendered,
            root,
            mapper,
            kustomize,
        };
        let mut out: Vec<SourceEdits> = Vec::new();
        for e in &fix.edits {
            let (source, kind, edits) = match cx.edit(e) {
                Ok(t) => t,
                Err(why) => return Some(OriginFix::Rendered(why)),
            };
            match out.iter_mut().find(|s| s.source.path == source.path) {
                Some(s) => s.edits.extend(edits),
                None => out.push(SourceEdits {
                    source,
                    kind,
                    edits,
                    base: None,
                }),
            }
        }
        for s in &mut out {
            s.edits.sort();
            s.edits.dedup();
            if s.edits.windows(2).any(|w| w[0].span.end > w[1].span.start) {
                return Some(OriginFix::Rendered(format!(
                    "its changes overlap in {}",
                    s.source.path
                )));
            }
        }
        Some(OriginFix::Source(out))
    }
}
