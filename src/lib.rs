//! kspm: an offline Kubernetes Security Posture Management linter.

pub mod source;
pub mod yaml;
pub mod k8s;
pub mod rule;
pub mod report;
