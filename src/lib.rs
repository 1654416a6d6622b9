//! kspm: an offline Kubernetes Security Posture Management linter.

pub mod baseline;
pub mod cli;
pub mod config;
pub mod discover;
pub mod docs;
pub mod docs_packs;
pub mod engine;
pub mod fix;
pub mod k8s;
pub mod lint_stream;
pub mod options;
pub mod packs;
pub mod parse_only;
pub mod registry;
pub mod render;
pub mod report;
pub mod rule;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod timings;
pub mod yaml;
