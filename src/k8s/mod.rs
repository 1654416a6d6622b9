//! Kubernetes views over the spanned tree: objects, workloads, pod specs, containers, and
//! the lint context cross-object rules read.

mod component;
mod container;
mod context;
mod image;
mod object;
mod resources;
mod scope;
mod selector;
mod workload;

pub use component::{is_component_config, is_control_plane_static_pod};
pub use container::{ContainerList, ContainerView, Effective, Level};
pub use context::{ContextObject, LintContext, prune};
pub use image::{DEFAULT_REGISTRY, ImageRef, registry_allowed};
pub use object::ObjectView;
pub use resources::{ResourceGap, is_zero_quantity, resource_gap};
pub use scope::{effective_namespace, is_cluster_scoped};
pub use selector::{LabelSelector, Requirement, labels_of};
pub use workload::{PodSpecView, WORKLOAD_KINDS, WorkloadKind};
