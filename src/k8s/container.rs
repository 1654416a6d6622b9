//! Container views and the effective securityContext (pod vs container).

use std::cell::OnceCell;

use super::flags::Flags;
use super::workload::PodSpecView;
use crate::yaml::{Node, YamlPath};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerList {
    Containers,
    InitContainers,
    EphemeralContainers,
}

impl ContainerList {
    pub const ALL: [ContainerList; 3] = [
        ContainerList::Containers,
        ContainerList::InitContainers,
        ContainerList::EphemeralContainers,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ContainerList::Containers => "containers",
            ContainerList::InitContainers => "initContainers",
            ContainerList::EphemeralContainers => "ephemeralContainers",
        }
    }

    /// A human label for messages.
    pub fn noun(self) -> &'static str {
        match self {
            ContainerList::Containers => "container",
            ContainerList::InitContainers => "init container",
            ContainerList::EphemeralContainers => "ephemeral container",
        }
    }
}

#[derive(Clone)]
pub struct ContainerView<'a> {
    pub node: &'a Node,
    pub list: ContainerList,
    pub index: usize,
    /// Path of the container item from the document root.
    pub path: YamlPath,
    /// The component flags (`Flags::of`), parsed on first use: the engine builds a view
    /// once per container and hands it to every rule, and 69 control-plane rules ask for
    /// the flags, so they are parsed once per container instead of once per rule.
    flags: OnceCell<Option<Flags>>,
}

/// The cache is left out: it says only which rules have looked at the container.
impl std::fmt::Debug for ContainerView<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContainerView")
            .field("node", &self.node)
            .field("list", &self.list)
            .field("index", &self.index)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Which securityContext decided an effective value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Pod,
    Container,
}

/// An effective securityContext field: the value node and the path it came from; when
/// neither level sets it, `node` is `None` and `path` names the container-level field.
#[derive(Clone, Debug)]
pub struct Effective<'a> {
    pub node: Option<&'a Node>,
    pub level: Level,
    pub path: YamlPath,
}

impl<'a> ContainerView<'a> {
    /// The view of the container `node`, item `index` of `list`, at `path`.
    pub fn new(node: &'a Node, list: ContainerList, index: usize, path: YamlPath) -> Self {
        ContainerView {
            node,
            list,
            index,
            path,
            flags: OnceCell::new(),
        }
    }

    /// The cached result of parsing this container's component flags, parsed by `parse`
    /// on the first call.
    pub(super) fn flags_with(&self, parse: impl FnOnce() -> Option<Flags>) -> Option<&Flags> {
        self.flags.get_or_init(parse).as_ref()
    }

    pub fn name(&self) -> &'a str {
        self.node.get("name").and_then(Node::as_str).unwrap_or("")
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key)
    }

    /// Path of a field below this container (`c.field_path("securityContext.privileged")`).
    pub fn field_path(&self, dotted: &str) -> YamlPath {
        self.path.join(dotted)
    }

    pub fn security_context(&self) -> Option<&'a Node> {
        self.node.get("securityContext")
    }

    /// A field of the container's securityContext (`sc("privileged")`).
    pub fn sc(&self, field: &str) -> Option<&'a Node> {
        self.security_context()?.get(field)
    }

    /// A field that both PodSecurityContext and SecurityContext carry (runAsUser,
    /// runAsNonRoot, seccompProfile, ...): the container's value overrides the pod's.
    pub fn effective(&self, pod: &PodSpecView<'a>, field: &str) -> Effective<'a> {
        let cpath = self.field_path("securityContext").key(field);
        if let Some(n) = self.sc(field).filter(|n| !n.is_null()) {
            return Effective {
                node: Some(n),
                level: Level::Container,
                path: cpath,
            };
        }
        match pod
            .security_context()
            .and_then(|sc| sc.get(field))
            .filter(|n| !n.is_null())
        {
            Some(n) => Effective {
                node: Some(n),
                level: Level::Pod,
                path: pod.spec_path("securityContext").key(field),
            },
            None => Effective {
                node: None,
                level: Level::Container,
                path: cpath,
            },
        }
    }

    /// Why a field the container should set is absent (`container "app" has no
    /// livenessProbe`, or `... has an empty livenessProbe`); `None` when it is set.
    pub fn lacks(&self, key: &str) -> Option<String> {
        match self.node.get(key) {
            Some(n) if !n.is_empty_value() => None,
            Some(_) => Some(format!("{} has an empty {key}", self.describe())),
            None => Some(format!("{} has no {key}", self.describe())),
        }
    }

    /// A label for messages: `container "app"`.
    pub fn describe(&self) -> String {
        format!("{} \"{}\"", self.list.noun(), self.name())
    }
}
