//! Helm's template engine and `helm template` output, natively: renders charts with
//! kspm-gotmpl, Sprig and Helm's functions.

pub mod caps;
pub mod glob;
pub mod manifest;
pub mod options;
pub mod output;

pub use options::{Compat, TemplateOptions};
