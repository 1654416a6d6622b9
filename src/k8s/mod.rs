//! Kubernetes views over the spanned tree: objects, workloads, pod specs, containers, and
//! the lint context cross-object rules read.

mod container;
mod context;
mod object;
mod scope;
mod selector;
mod workload;

pub use container::{ContainerList, ContainerView, Effective, Level};
pub use context::{ContextObject, LintContext, prune};
pub use object::ObjectView;
pub use scope::{effective_namespace, is_cluster_scoped};
pub use selector::{LabelSelector, Requirement, labels_of};
pub use workload::{PodSpecView, WORKLOAD_KINDS, WorkloadKind};
