//! The loaded chart tree, as Helm's `chart.Chart`.

use std::path::PathBuf;

use kspm_gotmpl::Value;

use crate::metadata::Metadata;
use crate::vals;

/// A file of the chart: path relative to the chart root (`templates/x.yaml`,
/// `files/a.txt`), `/`-separated, and its bytes (a leading UTF-8 BOM removed, as Helm does).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub data: Vec<u8>,
}

/// Where a chart was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A chart folder.
    Dir(PathBuf),
    /// A `.tgz` archive.
    Archive(PathBuf),
    /// A sibling chart folder used for a dependency missing from `charts/`.
    Sibling(PathBuf),
    /// Built in memory (tests, table rows).
    Memory,
}

/// A chart as Helm loads it.
#[derive(Clone, Debug)]
pub struct Chart {
    /// Chart.yaml (v1 charts: with requirements.yaml's dependencies). For a dependency with
    /// an alias, `metadata.name` is the alias (Helm renders it under that name).
    pub metadata: Metadata,
    /// Every file under `templates/` (partials `_*.tpl` included), in path order.
    pub templates: Vec<File>,
    /// Helm's `chart.Files`: every other file except Chart.yaml, Chart.lock,
    /// values.yaml, values.schema.json, requirements.yaml/lock (v2 only) and `charts/`
    /// contents (`.prov` files under charts/ are kept). `crds/` files are here too.
    pub files: Vec<File>,
    /// values.yaml, decoded (a `map[string]interface {}`; empty when absent).
    pub values: Value,
    /// values.yaml as read, for mapping values back to their lines.
    pub values_raw: Option<File>,
    /// values.schema.json bytes.
    pub schema: Option<Vec<u8>>,
    /// Subcharts (from `charts/`, or siblings), in load order; after
    /// [`crate::process_dependencies`] only the enabled ones, aliased.
    pub dependencies: Vec<Chart>,
    pub origin: Origin,
    /// Notes for the user (a sibling chart used for a missing dependency).
    pub notes: Vec<String>,
}

/// A CRD file of the chart tree, as Helm's `CRDObjects`.
#[derive(Clone, Debug)]
pub struct Crd<'a> {
    /// Name inside its chart (`crds/a.yaml`).
    pub name: &'a str,
    /// `<chart path>/crds/a.yaml` with chart names (`parent/charts/sub/crds/a.yaml`).
    pub filename: String,
    pub file: &'a File,
}

impl Chart {
    /// An empty chart with the given metadata (for building charts in memory).
    pub fn new(metadata: Metadata) -> Chart {
        Chart {
            metadata,
            templates: Vec::new(),
            files: Vec::new(),
            values: vals::new_map(),
            values_raw: None,
            schema: None,
            dependencies: Vec::new(),
            origin: Origin::Memory,
            notes: Vec::new(),
        }
    }

    /// The chart's name (its alias when loaded as an aliased dependency).
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_library(&self) -> bool {
        self.metadata.is_library()
    }

    /// Helm's `CheckIfInstallable`: only application charts can be rendered.
    pub fn check_installable(&self) -> Result<(), crate::Error> {
        match self.metadata.chart_type.as_str() {
            "" | "application" => Ok(()),
            t => Err(crate::Error::new(format!("{t} charts are not installable"))),
        }
    }

    /// CRD files (`crds/*.yaml|yml|json`) of this chart and its dependencies, with their
    /// paths below the root chart (`root_path` is this chart's path, e.g. its name).
    pub fn crd_objects(&self, root_path: &str) -> Vec<Crd<'_>> {
        let mut out = Vec::new();
        for f in &self.files {
            if f.name.starts_with("crds/")
                && [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|ext| f.name.ends_with(ext))
            {
                out.push(Crd {
                    name: &f.name,
                    filename: format!("{root_path}/{}", f.name),
                    file: f,
                });
            }
        }
        for d in &self.dependencies {
            out.extend(d.crd_objects(&format!("{root_path}/charts/{}", d.name())));
        }
        out
    }

    /// Notes of this chart and its dependencies.
    pub fn all_notes(&self) -> Vec<String> {
        let mut out = self.notes.clone();
        for d in &self.dependencies {
            out.extend(d.all_notes());
        }
        out
    }
}
