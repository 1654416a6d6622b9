//! Kubernetes views over the spanned tree: objects, workloads, pod specs, containers, and
//! the lint context cross-object rules read.

mod capabilities;
mod component;
mod container;
mod context;
mod flag_fix;
mod flags;
pub mod hostpath;
mod image;
mod object;
mod rbac;
mod resources;
mod scope;
pub mod secrets;
mod selector;
mod workload;

pub use capabilities::report_added_capabilities;
pub use component::{is_component_config, is_control_plane_static_pod};
pub use container::{ContainerList, ContainerView, Effective, Level};
pub use context::{ContextObject, LintContext, prune};
pub use flag_fix::FIX_CIPHERS;
pub use flags::{
    Component, Flag, Flags, KubeletFlags, STRONG_CIPHERS, forbid_kubelet_config_false,
    is_config_kind, is_kubelet_config, is_loopback, is_strong_cipher, parse_go_bool,
    parse_go_duration,
};
pub use image::{DEFAULT_REGISTRY, ImageRef, registry_allowed};
pub use object::ObjectView;
pub use rbac::{
    Grant, PolicyRule, RBAC_KINDS, ResourceGrant, RoleRef, Subject, any_verb_resource_grants,
    checked_roles, describe_role, describe_subjects, for_each_policy_rule, is_binding,
    is_bootstrap, is_builtin_cluster_admin_binding, is_default_binding, is_role, join,
    policy_rules, resolve_role_ref, resource_grants, role_ref, subjects,
};
pub use resources::{ResourceGap, is_zero_quantity, report_resource_gap, resource_gap};
pub use scope::{effective_namespace, is_cluster_scoped};
pub use selector::{LabelSelector, Requirement, labels_of};
pub use workload::{PodSpecView, WORKLOAD_KINDS, WorkloadKind};
