//! Helm's template engine and `helm template` output, natively: renders charts with
//! kspm-gotmpl, Sprig and Helm's functions.

pub mod caps;
pub mod errors;
pub mod glob;
pub mod manifest;
pub mod options;
pub mod output;
pub mod scope;

pub use options::{Compat, TemplateOptions};
