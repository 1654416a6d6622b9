//! A Kustomize object's fix made in its resource file by the rule itself.

use super::{SourceEdits, SourceKind, Tracer};
use crate::render::{MapRequest, Mapping, OriginMapper, parse_yaml_path};
use crate::report::Finding;
use crate::source::SourceFile;
use crate::yaml::{Seg, YamlPath};

impl Tracer<'_> {
    /// A Kustomize object whose fixed fields all come from its resource file (no patch or
    /// transformer wrote them, nor their nearest existing parent): the rule's fix for the
    /// same finding on that file.
    pub(super) fn kustomize_resource(
        &mut self,
        f: &Finding,
        mapper: &dyn OriginMapper,
        mapping: &Mapping,
    ) -> Option<SourceEdits> {
        let fix = f.fix.as_deref()?;
        let rendered = fix.source.as_ref()?;
        let resource = mapping.origin["resource"].as_str()?;
        let loc = mapping.location.as_ref()?;
        if loc.source.path != resource {
            return None;
        }
        for p in &fix.paths {
            let m = mapper.map(&MapRequest {
                rendered,
                path: p,
                span: f.span,
            })?;
            let at = m.location.as_ref()?;
            if m.origin["via"] != "resource"
                || m.origin["exact"] != true
                || at.source.path != resource
                || at.document != loc.document
            {
                return None;
            }
        }
        let prefix = match mapping.origin.get("item").and_then(|v| v.as_str()) {
            Some(item) => parse_yaml_path(item)?,
            None => YamlPath::root(),
        };
        let joined = |p: &YamlPath| {
            let mut segs = prefix.segs().to_vec();
            segs.extend_from_slice(p.segs());
            YamlPath(segs)
        };
        let path = joined(&parse_yaml_path(&f.yaml_path)?).to_string();
        let engine = self.engine?;
        let found = self.bases.entry(resource.to_string()).or_insert_with(|| {
            let src = SourceFile::new(resource, loc.source.text.clone());
            engine.lint(&[src]).findings
        });
        // The same finding there: on the same field (its list indices may differ when a
        // patch added items before it), or at the same place.
        let shape = |p: &YamlPath| -> Vec<Option<String>> {
            p.segs()
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => Some(k.clone()),
                    Seg::Index(_) => None,
                })
                .collect()
        };
        let same_shape = |a: &[YamlPath], b: &[YamlPath]| {
            a.len() == b.len() && a.iter().all(|p| b.iter().any(|q| shape(q) == shape(p)))
        };
        let joined_paths: Vec<YamlPath> = fix.paths.iter().map(joined).collect();
        let base = found.iter().find(|b| {
            b.rule.id == f.rule.id
                && b.document == loc.document
                && (b.yaml_path == path || b.span == loc.span)
                && b.fix.as_deref().is_some_and(|x| {
                    x.description == fix.description
                        && x.applicability == fix.applicability
                        && same_shape(&x.paths, &joined_paths)
                })
        })?;
        let bfix = base.fix.as_deref()?;
        Some(SourceEdits {
            source: bfix.source.clone()?,
            kind: SourceKind::Resource,
            edits: bfix.edits.clone(),
            base: Some((loc.document, base.yaml_path.clone())),
        })
    }
}
