//! Kinds that embed a pod template, and the pod spec view.

use super::container::{ContainerList, ContainerView};
use super::object::ObjectView;
use crate::yaml::{Node, YamlPath};

/// A kind that embeds a pod spec, and where.
#[derive(Clone, Debug)]
pub struct WorkloadKind {
    /// API groups this kind lives in (`""` is core); empty matches any group.
    pub groups: &'static [&'static str],
    pub kind: &'static str,
    /// Keys from the object root to the pod spec.
    pub pod_spec: &'static [&'static str],
    /// Keys from the object root to the pod template's metadata.
    pub pod_metadata: &'static [&'static str],
}

/// Built-in workload kinds. Users extend this through configuration.
pub const WORKLOAD_KINDS: &[WorkloadKind] = &[
    WorkloadKind {
        groups: &[""],
        kind: "Pod",
        pod_spec: &["spec"],
        pod_metadata: &["metadata"],
    },
    WorkloadKind {
        groups: &[""],
        kind: "PodTemplate",
        pod_spec: &["template", "spec"],
        pod_metadata: &["template", "metadata"],
    },
    WorkloadKind {
        groups: &[""],
        kind: "ReplicationController",
        pod_spec: &["spec", "template", "spec"],
        pod_metadata: &["spec", "template", "metadata"],
    },
    WorkloadKind {
        groups: &["apps", "extensions"],
        kind: "Deployment",
        pod_spec: &["spec", "template", "spec"],
        pod_metadata: &["spec", "template", "metadata"],
    },
    WorkloadKind {
        groups: &["apps", "extensions"],
        kind: "ReplicaSet",
        pod_spec: &["spec", "template", "spec"],
        pod_metadata: &["spec", "template", "metadata"],
    },
    WorkloadKind {
        groups: &["apps", "extensions"],
        kind: "DaemonSet",
        pod_spec: &["spec", "template", "spec"],
        pod_metadata: &["spec", "template", "metadata"],
    },
    WorkloadKind {
        groups: &["apps"],
        kind: "StatefulSet",
        pod_spec: &["spec", "template", "spec"],
        pod_metadata: &["spec", "template", "metadata"],
    },
    WorkloadKind {
        groups: &["batch"],
        kind: "Job",
        pod_spec: &["spec", "template", "spec"],
        pod_metadata: &["spec", "template", "metadata"],
    },
    WorkloadKind {
        groups: &["batch"],
        kind: "CronJob",
        pod_spec: &["spec", "jobTemplate", "spec", "template", "spec"],
        pod_metadata: &["spec", "jobTemplate", "spec", "template", "metadata"],
    },
    WorkloadKind {
        groups: &["argoproj.io"],
        kind: "Rollout",
        pod_spec: &["spec", "template", "spec"],
        pod_metadata: &["spec", "template", "metadata"],
    },
    WorkloadKind {
        groups: &["apps.openshift.io", ""],
        kind: "DeploymentConfig",
        pod_spec: &["spec", "template", "spec"],
        pod_metadata: &["spec", "template", "metadata"],
    },
];

impl WorkloadKind {
    pub fn matches(&self, obj: &ObjectView<'_>) -> bool {
        self.kind == obj.kind() && (self.groups.is_empty() || self.groups.contains(&obj.group()))
    }
}

/// The pod spec embedded in a workload object.
#[derive(Clone, Debug)]
pub struct PodSpecView<'a> {
    pub object: ObjectView<'a>,
    pub workload: &'a WorkloadKind,
    /// The pod spec mapping.
    pub spec: &'a Node,
    /// Path of the pod spec from the document root.
    pub path: YamlPath,
    /// The pod template's metadata (annotations live there), if present.
    pub metadata: Option<&'a Node>,
    pub metadata_path: YamlPath,
}

impl<'a> PodSpecView<'a> {
    /// The pod spec of `obj`, when its kind is in `kinds` and the spec is a mapping.
    pub fn of(obj: &ObjectView<'a>, kinds: &'a [WorkloadKind]) -> Option<Self> {
        let workload = kinds.iter().find(|w| w.matches(obj))?;
        let spec = obj.root.get_path(workload.pod_spec)?;
        spec.as_map()?;
        let mut path = obj.base.clone();
        for k in workload.pod_spec {
            path = path.key(k);
        }
        let mut metadata_path = obj.base.clone();
        for k in workload.pod_metadata {
            metadata_path = metadata_path.key(k);
        }
        Some(PodSpecView {
            object: *obj,
            workload,
            spec,
            path,
            metadata: obj.root.get_path(workload.pod_metadata),
            metadata_path,
        })
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.spec.get(key)
    }

    /// Path of a field below the pod spec (`spec_path("securityContext.runAsUser")`).
    pub fn spec_path(&self, dotted: &str) -> YamlPath {
        self.path.join(dotted)
    }

    /// The pod-level securityContext.
    pub fn security_context(&self) -> Option<&'a Node> {
        self.spec.get("securityContext")
    }

    /// Pod template annotations.
    pub fn annotations(&self) -> Option<&'a Node> {
        self.metadata?.get("annotations")
    }

    /// `spec.os.name == windows` (PSS exempts such pods from some restricted checks).
    pub fn is_windows(&self) -> bool {
        self.spec.get_path(&["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// Whether the pod runs to completion (a Job, a CronJob, or `restartPolicy` Never or
    /// OnFailure), where long-running checks such as probes matter little.
    pub fn runs_to_completion(&self) -> bool {
        matches!(self.workload.kind, "Job" | "CronJob")
            || matches!(
                self.spec.get("restartPolicy").and_then(Node::as_str),
                Some("Never" | "OnFailure")
            )
    }

    /// `hostUsers: false`: the pod runs in a user namespace.
    pub fn host_users_false(&self) -> bool {
        self.spec.get("hostUsers").and_then(Node::as_bool) == Some(false)
    }

    /// Every container in `containers`, `initContainers` and `ephemeralContainers`, in that
    /// order (PSA's visitContainers walks all three).
    pub fn containers(&self) -> Vec<ContainerView<'a>> {
        ContainerList::ALL
            .iter()
            .flat_map(|list| self.containers_in(*list))
            .collect()
    }

    pub fn containers_in(&self, list: ContainerList) -> Vec<ContainerView<'a>> {
        let Some(items) = self.spec.get(list.key()).and_then(Node::as_seq) else {
            return Vec::new();
        };
        let list_path = self.path.key(list.key());
        items
            .iter()
            .enumerate()
            .filter(|(_, n)| n.as_map().is_some())
            .map(|(i, node)| ContainerView::new(node, list, i, list_path.index(i)))
            .collect()
    }
}
