//! The object view: apiVersion, kind, metadata.

use super::scope;
use crate::yaml::{Node, YamlPath};

/// A Kubernetes object: a document (or `List` item) with `apiVersion` and `kind`.
#[derive(Clone, Copy, Debug)]
pub struct ObjectView<'a> {
    /// The object's own mapping.
    pub root: &'a Node,
    /// Where `root` sits in its document (empty, or `items[N]` for a `List` item).
    pub base: &'a YamlPath,
    /// Index of the document in its file.
    pub document: usize,
}

impl<'a> ObjectView<'a> {
    /// An object view when `root` has string `apiVersion` and `kind`.
    pub fn new(root: &'a Node, base: &'a YamlPath, document: usize) -> Option<Self> {
        root.get("apiVersion")?.as_str()?;
        root.get("kind")?.as_str()?;
        Some(ObjectView {
            root,
            base,
            document,
        })
    }

    pub fn api_version(&self) -> &'a str {
        self.root
            .get("apiVersion")
            .and_then(Node::as_str)
            .unwrap_or("")
    }

    /// The API group (`apps` for `apps/v1`, empty for core `v1`).
    pub fn group(&self) -> &'a str {
        self.api_version().rsplit_once('/').map_or("", |(g, _)| g)
    }

    pub fn kind(&self) -> &'a str {
        self.root.get("kind").and_then(Node::as_str).unwrap_or("")
    }

    pub fn metadata(&self) -> Option<&'a Node> {
        self.root.get("metadata")
    }

    pub fn name(&self) -> Option<&'a str> {
        self.metadata()?.get("name")?.as_str()
    }

    pub fn namespace(&self) -> Option<&'a str> {
        self.metadata()?.get("namespace")?.as_str()
    }

    /// The namespace the object lands in when applied without `-n` (`default` when
    /// unset); `None` for cluster-scoped kinds.
    pub fn effective_namespace(&self) -> Option<&'a str> {
        scope::effective_namespace(self.kind(), self.namespace())
    }

    pub fn annotations(&self) -> Option<&'a Node> {
        self.metadata()?.get("annotations")
    }

    pub fn labels(&self) -> Option<&'a Node> {
        self.metadata()?.get("labels")
    }

    /// A path below this object's root, from the document root.
    pub fn path(&self, dotted: &str) -> YamlPath {
        self.base.join(dotted)
    }
}
