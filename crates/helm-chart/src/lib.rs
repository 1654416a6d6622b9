//! Helm charts as Helm loads them: Chart.yaml (v1/v2), requirements.yaml, `charts/`
//! folders and `.tgz` archives, `.helmignore`, dependencies resolved offline (sibling
//! charts), the `.Files` and `.Chart` objects, values coalescing (globals, subchart
//! scoping, condition/tags, import-values, null deletion; Helm 3 vs 4.2), `--set`/`-f`
//! user values and values.schema.json validation. See API.md.

mod archive;
mod chart;
mod chart_object;
mod coalesce;
mod deps;
mod error;
mod files;
mod glob;
mod helmignore;
mod loader;
mod metadata;
mod origin;
mod render_values;
mod resolve;
mod schema;
pub mod vals;
mod values;
mod yaml;

pub use archive::read_archive;
pub use chart::{Chart, Crd, File, Origin};
pub use chart_object::{ChartObject, MetadataObject, marshal_object, metadata_map};
pub use coalesce::{
    GLOBAL_KEY, HelmCompat, coalesce_tables, coalesce_values, merge_tables, merge_values,
};
pub use deps::{missing_dependencies, process_dependencies};
pub use error::{Error, Result};
pub use files::Files;
pub use glob::{Glob, go_match};
pub use helmignore::Rules as HelmIgnore;
pub use loader::{load_archive, load_dir, load_files, load_path};
pub use metadata::{API_VERSION_V1, API_VERSION_V2, Dependency, Maintainer, Metadata};
pub use origin::{ValueOrigin, locate_value, locate_value_in, yaml_key_line};
pub use render_values::{
    ReleaseOptions, as_values_type, chart_value, chart_value_for, to_render_values,
};
pub use resolve::{load, missing_message, resolve_local_dependencies};
pub use schema::{validate_single, validate_values};
pub use values::{ValuesOptions, merge_maps};
