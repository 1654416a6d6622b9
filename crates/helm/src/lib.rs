//! Helm's template engine and `helm template` output, natively: renders charts with
//! kspm-gotmpl, Sprig and Helm's functions.

pub mod caps;
pub mod engine;
pub mod errors;
pub mod funcs;
pub mod glob;
pub mod manifest;
pub mod nested;
pub mod options;
pub mod output;
pub mod scope;
pub mod template;
pub mod trace;
pub mod values;

pub use options::{Compat, TemplateOptions};

pub use errors::TemplateError;
/// The chart loader, for callers that trace values back to their files.
pub use kspm_helm_chart;
pub use template::{TemplateOutput, template};
