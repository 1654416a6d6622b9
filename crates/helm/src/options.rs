//! What `helm template` is asked to do: the flags of the command, as plain data.

use std::path::PathBuf;

/// Which Helm's output and values conventions to follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Compat {
    /// Helm 3.x and 4.0–4.1: documents are trimmed; chart `null`s delete keys.
    #[default]
    Helm3,
    /// Helm 4.2: documents keep their trailing newline; chart `null`s are not copied.
    Helm4,
}

impl Compat {
    /// `3` or `4` (as `--helm-compat` takes it).
    pub fn parse(s: &str) -> Result<Compat, String> {
        match s.trim() {
            "3" => Ok(Compat::Helm3),
            "4" | "4.2" => Ok(Compat::Helm4),
            other => Err(format!("invalid --helm-compat {other:?}: expected 3 or 4")),
        }
    }

    /// The version `.Capabilities.HelmVersion` reports.
    pub fn helm_version(self) -> &'static str {
        match self {
            Compat::Helm3 => "v3.21.4",
            Compat::Helm4 => "v4.2.4",
        }
    }
}

/// The arguments of one `helm template` run.
#[derive(Clone, Debug, Default)]
pub struct TemplateOptions {
    /// The chart folder or `.tgz` archive.
    pub chart: PathBuf,
    /// The release name given as first argument.
    pub release_name: Option<String>,
    /// `--name-template`: the release name is this template's output.
    pub name_template: Option<String>,
    /// `--generate-name`.
    pub generate_name: bool,
    /// `--namespace`; `default` when unset.
    pub namespace: Option<String>,
    /// `-f/--values`, in order.
    pub values_files: Vec<PathBuf>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    pub set_file: Vec<String>,
    pub set_json: Vec<String>,
    pub set_literal: Vec<String>,
    /// `--kube-version` (`1.16.0`, `v1.29`).
    pub kube_version: Option<String>,
    /// `--api-versions`, each entry possibly a comma list.
    pub api_versions: Vec<String>,
    pub include_crds: bool,
    pub skip_tests: bool,
    pub is_upgrade: bool,
    /// `--no-hooks`.
    pub no_hooks: bool,
    /// `--show-only` globs over template paths (`templates/x.yaml`).
    pub show_only: Vec<String>,
    pub output_dir: Option<PathBuf>,
    /// `--release-name`: put the output-dir tree under the release name.
    pub use_release_name: bool,
    /// `--debug`: print the rendered manifests even when they are not valid YAML.
    pub debug: bool,
    pub compat: Compat,
    /// The Kubernetes version when `--kube-version` is absent.
    pub default_kube_version: Option<String>,
}

impl TemplateOptions {
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    /// Every `--api-versions` entry, comma lists split (pflag's string slice).
    pub fn extra_api_versions(&self) -> Vec<String> {
        self.api_versions
            .iter()
            .flat_map(|v| v.split(','))
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }
}
