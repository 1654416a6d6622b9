//! Kubernetes views over the spanned tree: objects, workloads, pod specs, containers.

mod container;
mod object;
mod workload;

pub use container::{ContainerList, ContainerView, Effective, Level};
pub use object::ObjectView;
pub use workload::{PodSpecView, WORKLOAD_KINDS, WorkloadKind};
