//! `.kspm.yaml`: the project configuration.
//!
//! The file is read with our own spanned loader, so every error names its key, line and
//! column. One description of the format, [`SCHEMA`], drives the checks (an unknown key or a
//! wrong type is an error, as serde's `deny_unknown_fields` would make it, but located) and
//! the published JSON Schema (`docs/kspm.schema.json`, see [`json_schema`]).
//!
//! Command-line flags override the file: `--pack` replaces `packs`, `--rule` replaces the
//! selection, `--exclude-rule` adds to the disabled rules, `--rule-option` is applied after
//! `rules.*.options`, and `--kube-version` / `--fail-on` replace theirs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value as Json, json};

use crate::k8s::WorkloadKind;
use crate::options::{OPTION_SPECS, RuleOptions};
use crate::rule::{Rule, RuleMeta, Severity};
use crate::source::SourceFile;
use crate::yaml::load::load_all;
use crate::yaml::{Node, ScalarKind, Span, Value, YamlPath};
use crate::{packs, registry};

/// File names looked for, in this order, in each folder from the first path upward.
pub const FILE_NAMES: [&str; 2] = [".kspm.yaml", ".kspm.yml"];

const SEVERITIES: &[&str] = &["info", "low", "medium", "high", "critical"];

// ---------------------------------------------------------------------------------------
// The format

/// The shape of a configuration value.
#[derive(Debug)]
pub enum Shape {
    Str,
    Bool,
    Int,
    /// Any scalar, kept as its text (Helm `--set` values).
    Scalar,
    /// `YYYY-MM-DD`; whether it is a real date is checked where it is used.
    Date,
    /// `X.Y` (`1.30`), written as a string or a number.
    KubeVersion,
    Enum(&'static [&'static str]),
    List(&'static Shape),
    /// One value, or a list of them.
    OneOrList(&'static Shape),
    /// A mapping with free keys, each value of this shape.
    Map(&'static Shape),
    Object(&'static [Field]),
    /// The first alternative that fits.
    AnyOf(&'static [Shape]),
}

/// One key of an object.
#[derive(Debug)]
pub struct Field {
    pub key: &'static str,
    pub shape: Shape,
    pub doc: &'static str,
    pub required: bool,
}

impl Field {
    const fn opt(key: &'static str, shape: Shape, doc: &'static str) -> Field {
        Field {
            key,
            shape,
            doc,
            required: false,
        }
    }

    const fn req(key: &'static str, shape: Shape, doc: &'static str) -> Field {
        Field {
            key,
            shape,
            doc,
            required: true,
        }
    }
}

const OPTION_VALUE: Shape = Shape::AnyOf(&[
    Shape::Str,
    Shape::Int,
    Shape::Bool,
    Shape::List(&Shape::Str),
]);

const RULE_FIELDS: &[Field] = &[
    Field::opt(
        "enabled",
        Shape::Bool,
        "true runs the rule even when no selected pack includes it; false never runs it.",
    ),
    Field::opt(
        "severity",
        Shape::Enum(SEVERITIES),
        "Report the rule's findings at this severity instead of its own.",
    ),
    Field::opt(
        "options",
        Shape::Map(&OPTION_VALUE),
        "Rule options, as listed by `kspm explain RULE` (the same as --rule-option RULE.KEY=VALUE).",
    ),
];

const RULE_SETTING: Shape = Shape::AnyOf(&[
    Shape::Bool,
    Shape::Enum(SEVERITIES),
    Shape::Object(RULE_FIELDS),
]);

const IGNORE_FIELDS: &[Field] = &[
    Field::req(
        "rules",
        Shape::OneOrList(&Shape::Str),
        "Rule ids or codes this entry suppresses; `all` for every rule.",
    ),
    Field::req(
        "reason",
        Shape::Str,
        "Why the findings are accepted; shown with every suppressed finding.",
    ),
    Field::opt(
        "until",
        Shape::Date,
        "Last day (YYYY-MM-DD) the entry applies; after it the findings are reported again, and so is the entry (expired-suppression).",
    ),
    Field::opt(
        "paths",
        Shape::OneOrList(&Shape::Str),
        "Globs of files, relative to the folder of this file (`k8s/legacy/**`); a glob without `/` matches at any depth.",
    ),
    Field::opt("kind", Shape::Str, "Only objects of this kind (a glob)."),
    Field::opt(
        "namespace",
        Shape::Str,
        "Only objects in this namespace (a glob).",
    ),
    Field::opt("name", Shape::Str, "Only objects with this name (a glob)."),
];

const KIND_FIELDS: &[Field] = &[
    Field::req("kind", Shape::Str, "The kind (`Workflow`, `ScaledJob`)."),
    Field::opt(
        "group",
        Shape::OneOrList(&Shape::Str),
        "API groups (the part of apiVersion before `/`; \"\" is core). Default: any group.",
    ),
    Field::req(
        "pod-spec",
        Shape::Str,
        "Keys from the object root to the pod spec, dot-separated (`spec.jobTargetRef.template.spec`).",
    ),
    Field::opt(
        "pod-metadata",
        Shape::Str,
        "Keys from the object root to the pod template's metadata. Default: the pod spec path with its last `spec` replaced by `metadata`.",
    ),
];

const HELM_RENDER_FIELDS: &[Field] = &[
    Field::req(
        "name",
        Shape::Str,
        "A label for this render; findings name it.",
    ),
    Field::opt(
        "values",
        Shape::OneOrList(&Shape::Str),
        "Values files, relative to the folder of this file.",
    ),
    Field::opt(
        "set",
        Shape::Map(&Shape::Scalar),
        "Values set on the command line (`--set key=value`).",
    ),
    Field::opt("release-name", Shape::Str, "Release name for this render."),
    Field::opt("namespace", Shape::Str, "Namespace for this render."),
];

const HELM_FIELDS: &[Field] = &[
    Field::opt(
        "release-name",
        Shape::Str,
        "Release name charts are rendered with.",
    ),
    Field::opt(
        "namespace",
        Shape::Str,
        "Namespace charts are rendered into.",
    ),
    Field::opt(
        "values",
        Shape::OneOrList(&Shape::Str),
        "Values files for every chart, relative to the folder of this file.",
    ),
    Field::opt(
        "set",
        Shape::Map(&Shape::Scalar),
        "Values set for every chart (`--set key=value`).",
    ),
    Field::opt(
        "charts",
        Shape::Map(&Shape::List(&Shape::Object(HELM_RENDER_FIELDS))),
        "Per chart (its folder, relative to this file): the renders to lint it with, e.g. one per environment.",
    ),
];

const KUSTOMIZE_FIELDS: &[Field] = &[
    Field::opt(
        "binary",
        Shape::Enum(&["auto", "kustomize", "kubectl"]),
        "What builds kustomizations: `kustomize build`, `kubectl kustomize`, or the first found (auto).",
    ),
    Field::opt(
        "enable-helm",
        Shape::Bool,
        "Let kustomizations inflate `helmCharts:`.",
    ),
];

/// The whole file.
pub const SCHEMA: Shape = Shape::Object(&[
    Field::opt(
        "packs",
        Shape::OneOrList(&Shape::Str),
        "Rule packs to run (`kspm packs`); `all` runs every rule. Default: recommended. --pack replaces this.",
    ),
    Field::opt(
        "rules",
        Shape::Map(&RULE_SETTING),
        "Per rule (id or code): false/off disables it, true/on enables it, a severity overrides its severity, or a mapping with enabled, severity and options.",
    ),
    Field::opt(
        "ignore",
        Shape::List(&Shape::Object(IGNORE_FIELDS)),
        "Suppressions by rule, file glob and object, each with a reason and an optional expiry.",
    ),
    Field::opt(
        "kinds",
        Shape::List(&Shape::Object(KIND_FIELDS)),
        "Kinds that embed a pod template (CRDs), so that pod and container rules check them.",
    ),
    Field::opt(
        "helm",
        Shape::Object(HELM_FIELDS),
        "How Helm charts are rendered.",
    ),
    Field::opt(
        "kustomize",
        Shape::Object(KUSTOMIZE_FIELDS),
        "How kustomizations are built.",
    ),
    Field::opt(
        "kube-version",
        Shape::KubeVersion,
        "Kubernetes version X.Y for the Pod Security Standards policy and API checks. --kube-version replaces this.",
    ),
    Field::opt(
        "fail-on",
        Shape::Enum(SEVERITIES),
        "Exit 1 when a finding at or above this severity remains after suppression. --fail-on replaces this.",
    ),
]);

// ---------------------------------------------------------------------------------------
// The typed configuration

/// A value and where it is written in the configuration file.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A `rules:` entry.
#[derive(Clone, Debug)]
pub struct RuleSetting {
    pub rule: &'static RuleMeta,
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// An `ignore:` entry, as written; `suppress` resolves rules and dates so that a bad one is
/// reported as a malformed suppression rather than stopping the run.
#[derive(Clone, Debug)]
pub struct IgnoreEntry {
    /// `ignore[N]`.
    pub yaml_path: YamlPath,
    pub span: Span,
    pub rules: Vec<Spanned<String>>,
    pub reason: Spanned<String>,
    pub until: Option<Spanned<String>>,
    pub paths: Vec<Spanned<String>>,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
}

/// A `kinds:` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindEntry {
    pub kind: String,
    /// Empty: any group.
    pub groups: Vec<String>,
    pub pod_spec: Vec<String>,
    pub pod_metadata: Vec<String>,
}

/// One Helm render of a chart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelmRender {
    pub name: String,
    /// Absolute paths (resolved against the configuration's folder).
    pub values: Vec<PathBuf>,
    pub set: BTreeMap<String, String>,
    pub release_name: Option<String>,
    pub namespace: Option<String>,
}

/// `helm:` settings; read by the Helm renderer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelmSettings {
    pub release_name: Option<String>,
    pub namespace: Option<String>,
    /// Absolute paths (resolved against the configuration's folder).
    pub values: Vec<PathBuf>,
    pub set: BTreeMap<String, String>,
    /// Chart folder (absolute) -> its renders.
    pub charts: BTreeMap<PathBuf, Vec<HelmRender>>,
}

/// `kustomize:` settings; read by the Kustomize builder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KustomizeSettings {
    /// `auto`, `kustomize` or `kubectl`.
    pub binary: Option<String>,
    pub enable_helm: Option<bool>,
}

/// The loaded configuration (defaults when there is no file).
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file, with its path as displayed (relative to the working directory when under
    /// it); `None` when no file was found.
    pub source: Option<Arc<SourceFile>>,
    /// Absolute folder that relative paths and globs in the file are resolved against (the
    /// working directory when there is no file).
    pub dir: PathBuf,
    pub packs: Vec<String>,
    pub rules: Vec<RuleSetting>,
    /// `RULE.KEY=VALUE` assignments for `RuleOptions::set`, in file order.
    pub options: Vec<String>,
    pub ignore: Vec<IgnoreEntry>,
    pub kinds: Vec<KindEntry>,
    pub helm: HelmSettings,
    pub kustomize: KustomizeSettings,
    pub kube_version: Option<String>,
    pub fail_on: Option<Severity>,
}

/// A located configuration error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.column, self.message
        )
    }
}

/// All errors of a file, one per line, as the command line prints them.
pub fn format_errors(errors: &[ConfigError]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    format!("invalid configuration\n{}", lines.join("\n"))
}

impl Config {
    /// The configuration for a run: `explicit` (`--config FILE`), else the nearest
    /// `.kspm.yaml` from the first path upward (stopping at the repository root), else
    /// defaults.
    pub fn discover(
        explicit: Option<&str>,
        paths: &[String],
        cwd: &Path,
    ) -> Result<Config, String> {
        let file = match explicit {
            Some(p) => Some(cwd.join(p)),
            None => find_upward(paths, cwd),
        };
        match file {
            Some(path) => Config::load(&path, cwd),
            None => Ok(Config {
                dir: cwd.to_path_buf(),
                ..Config::default()
            }),
        }
    }

    /// Read and check one file.
    pub fn load(path: &Path, cwd: &Path) -> Result<Config, String> {
        let abs = normalize(&cwd.join(path));
        let display = display_path(&abs, cwd);
        let text = std::fs::read_to_string(&abs)
            .map_err(|e| format!("cannot read configuration {display}: {e}"))?;
        let dir = abs
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
        Config::parse(SourceFile::new(display, text), &dir).map_err(|e| format_errors(&e))
    }

    /// Parse configuration text; `dir` is the folder relative paths are resolved against.
    pub fn parse(src: Arc<SourceFile>, dir: &Path) -> Result<Config, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let err = |span: Span, message: String| {
            let p = src.position(span.start);
            ConfigError {
                path: src.path.clone(),
                line: p.line,
                column: p.column,
                message,
            }
        };
        let mut root = None;
        for doc in load_all(&src) {
            match doc {
                Ok(d) if root.is_some() => errors.push(err(
                    d.root.span,
                    "a configuration file holds one YAML document".to_string(),
                )),
                Ok(d) => {
                    for dup in &d.duplicate_keys {
                        errors.push(err(dup.duplicate, format!("`{}` is set twice", dup.path)));
                    }
                    root = Some(d.root);
                }
                Err(e) => errors.push(err(e.span, e.message)),
            }
        }
        let mut config = Config {
            source: Some(src.clone()),
            dir: dir.to_path_buf(),
            ..Config::default()
        };
        let Some(root) = root.filter(|r| !r.is_null()) else {
            return if errors.is_empty() {
                Ok(config)
            } else {
                Err(errors)
            };
        };
        let mut problems = Vec::new();
        check(&root, &SCHEMA, &YamlPath::root(), &mut problems);
        // Reading only takes values of the right shape, so it can report what it finds
        // (an unknown rule, say) next to the shape problems.
        config.read(&root, &mut problems);
        problems.sort_by_key(|(span, _)| span.start);
        problems.dedup();
        errors.extend(problems.into_iter().map(|(span, m)| err(span, m)));
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// Fill the typed fields from a tree that passed `check`; semantic problems (an unknown
    /// rule, pack or option) are added to `problems`.
    fn read(&mut self, root: &Node, problems: &mut Vec<(Span, String)>) {
        if let Some(n) = root.get("packs") {
            let known: BTreeSet<&str> = packs::builtin()
                .iter()
                .map(|p| p.id.as_str())
                .chain([packs::ALL_PACK])
                .collect();
            for p in one_or_list(n) {
                let id = p.scalar_text().unwrap_or_default();
                if !known.contains(id) {
                    problems.push((p.span, format!("unknown pack `{id}` (see `kspm packs`)")));
                }
                self.packs.push(id.to_string());
            }
        }
        if let Some(n) = root.get("rules") {
            for e in n.entries() {
                self.read_rule(&e.key_str, e.key.span, &e.value, problems);
            }
        }
        if let Some(n) = root.get("ignore") {
            for (i, item) in n.items().iter().enumerate() {
                self.ignore.push(read_ignore(item, i));
            }
        }
        if let Some(n) = root.get("kinds") {
            // An entry without its required keys is already reported by `check`.
            for item in n.items().iter().filter(|i| i.get("pod-spec").is_some()) {
                match read_kind(item) {
                    Ok(k) => self.kinds.push(k),
                    Err(p) => problems.push(p),
                }
            }
        }
        if let Some(n) = root.get("helm") {
            self.helm = read_helm(n, &self.dir);
        }
        if let Some(n) = root.get("kustomize") {
            self.kustomize = KustomizeSettings {
                binary: str_of(n, "binary"),
                enable_helm: n.get("enable-helm").and_then(Node::as_bool),
            };
        }
        if let Some(n) = root.get("kube-version") {
            self.kube_version = n.scalar_text().map(str::to_string);
        }
        if let Some(n) = root.get("fail-on") {
            self.fail_on = n.scalar_text().and_then(Severity::parse);
        }
    }

    fn read_rule(
        &mut self,
        key: &str,
        key_span: Span,
        value: &Node,
        problems: &mut Vec<(Span, String)>,
    ) {
        let option_group = OPTION_SPECS.iter().any(|s| s.rule == key);
        let rule = registry::find(key).map(|r| r.meta());
        if rule.is_none() && !option_group {
            problems.push((
                key_span,
                format!("unknown rule `{key}` in `rules` (see `kspm rules`)"),
            ));
            return;
        }
        let (enabled, severity, options) = match &value.value {
            Value::Scalar(s) => match s.kind {
                ScalarKind::Bool(b) => (Some(b), None, None),
                _ => (None, Severity::parse(&s.text), None),
            },
            _ => (
                value.get("enabled").and_then(Node::as_bool),
                value
                    .get("severity")
                    .and_then(Node::scalar_text)
                    .and_then(Severity::parse),
                value.get("options"),
            ),
        };
        // The option groups that are not rules (`control-plane`) only take options.
        let Some(rule) = rule else {
            if enabled.is_some() || severity.is_some() {
                problems.push((
                    value.span,
                    format!("`{key}` names a group of rule options, not a rule: only `options` can be set"),
                ));
            }
            self.read_options(key, options, problems);
            return;
        };
        self.rules.push(RuleSetting {
            rule,
            enabled,
            severity,
        });
        self.read_options(rule.id, options, problems);
    }

    fn read_options(
        &mut self,
        rule: &str,
        options: Option<&Node>,
        problems: &mut Vec<(Span, String)>,
    ) {
        let Some(options) = options else { return };
        for e in options.entries() {
            let name = format!("{rule}.{}", e.key_str);
            let Some(spec) = OPTION_SPECS
                .iter()
                .find(|s| s.rule == rule && s.key == e.key_str)
            else {
                let known: Vec<&str> = OPTION_SPECS
                    .iter()
                    .filter(|s| s.rule == rule)
                    .map(|s| s.key)
                    .collect();
                let hint = if known.is_empty() {
                    format!("`{rule}` has no options")
                } else {
                    format!("known: {}", known.join(", "))
                };
                problems.push((e.key.span, format!("unknown option `{name}` ({hint})")));
                continue;
            };
            let v = &e.value;
            let text = match (spec.kind, &v.value) {
                ("list", Value::Seq(items)) => items
                    .iter()
                    .filter_map(Node::scalar_text)
                    .collect::<Vec<_>>()
                    .join(","),
                ("list", _) if v.as_str().is_some() => v.scalar_text().unwrap_or("").to_string(),
                ("int", _) if v.as_i64().is_some() => v.scalar_text().unwrap_or("").to_string(),
                ("bool", _) => match v.as_bool() {
                    Some(b) => b.to_string(),
                    None => {
                        problems.push((v.span, format!("`{name}`: expected true or false")));
                        continue;
                    }
                },
                (kind, _) => {
                    let want = match kind {
                        "list" => "a list of strings",
                        "int" => "an integer",
                        _ => "a value",
                    };
                    problems.push((v.span, format!("`{name}`: expected {want}")));
                    continue;
                }
            };
            let assignment = format!("{name}={text}");
            // Applying to a scratch copy surfaces the option's own checks here, located.
            if let Err(m) = RuleOptions::default().set(&assignment) {
                problems.push((v.span, m));
                continue;
            }
            self.options.push(assignment);
        }
    }

    /// Where the file is, as displayed; `None` without a file.
    pub fn path(&self) -> Option<&str> {
        self.source.as_ref().map(|s| s.path.as_str())
    }

    /// The packs to run: `--pack` when given, else the file's.
    pub fn packs(&self, cli: &[String]) -> Vec<String> {
        if cli.is_empty() {
            self.packs.clone()
        } else {
            cli.to_vec()
        }
    }

    /// Rules the file disables (`enabled: false`).
    pub fn disabled(&self) -> Vec<String> {
        self.rules
            .iter()
            .filter(|r| r.enabled == Some(false))
            .map(|r| r.rule.id.to_string())
            .collect()
    }

    /// The rules a lint runs. `--rule` replaces everything the file selects; otherwise the
    /// packs (flag or file) plus the rules the file enables, minus those it disables and
    /// `--exclude-rule`. Code order, as `cli::select_rules`.
    pub fn select_rules(
        &self,
        cli_packs: &[String],
        cli_only: &[String],
        cli_exclude: &[String],
        kube_minor: u32,
    ) -> Result<Vec<&'static dyn Rule>, String> {
        if !cli_only.is_empty() {
            return crate::cli::select_rules(&[], cli_only, cli_exclude, kube_minor);
        }
        let mut exclude = cli_exclude.to_vec();
        exclude.extend(self.disabled());
        let mut selected =
            crate::cli::select_rules(&self.packs(cli_packs), &[], &exclude, kube_minor)?;
        let excluded: BTreeSet<&str> = cli_exclude
            .iter()
            .filter_map(|r| registry::find(r).map(|r| r.meta().id))
            .collect();
        for s in self.rules.iter().filter(|r| r.enabled == Some(true)) {
            let already = selected.iter().any(|r| r.meta().id == s.rule.id);
            if !already && !excluded.contains(s.rule.id) {
                selected.extend(registry::find(s.rule.id));
            }
        }
        let order: BTreeMap<&str, usize> = registry::all()
            .iter()
            .enumerate()
            .map(|(i, r)| (r.meta().id, i))
            .collect();
        selected.sort_by_key(|r| order.get(r.meta().id).copied().unwrap_or(usize::MAX));
        Ok(selected)
    }

    /// Whether a rule that `suppress` reports (not run by the engine) is on: named by
    /// `--rule` when that is given, and not excluded by `--exclude-rule` or the file.
    pub fn reports_rule(&self, id: &str, cli_only: &[String], cli_exclude: &[String]) -> bool {
        let names = |list: &[String]| {
            list.iter()
                .any(|r| registry::find(r).is_some_and(|r| r.meta().id == id))
        };
        if !cli_only.is_empty() {
            return names(cli_only) && !names(cli_exclude);
        }
        !names(cli_exclude) && !self.disabled().iter().any(|d| d == id)
    }

    /// `--kube-version` when given, else the file's.
    pub fn kube_version<'a>(&'a self, cli: Option<&'a str>) -> Option<&'a str> {
        cli.or(self.kube_version.as_deref())
    }

    /// `--fail-on` when given, else the file's, else `low`.
    pub fn fail_on(&self, cli: Option<Severity>) -> Severity {
        cli.or(self.fail_on).unwrap_or(Severity::Low)
    }

    /// Apply `rules.*.options` (before `--rule-option`, which overrides them).
    pub fn apply_options(&self, options: &mut RuleOptions) -> Result<(), String> {
        for o in &self.options {
            options.set(o)?;
        }
        Ok(())
    }

    /// Severity overrides by rule id.
    pub fn severity_overrides(&self) -> BTreeMap<&'static str, Severity> {
        self.rules
            .iter()
            .filter_map(|r| Some((r.rule.id, r.severity?)))
            .collect()
    }

    /// The `kinds:` entries as workload kinds, to put before the built-in ones (so an entry
    /// for a built-in kind replaces it).
    pub fn workload_kinds(&self) -> Vec<WorkloadKind> {
        self.kinds.iter().map(KindEntry::to_workload_kind).collect()
    }
}

impl KindEntry {
    /// `WorkloadKind` holds `'static` strings (the built-in table is a constant). The
    /// configuration is read once per process, so its few strings are leaked rather than
    /// making the table generic over lifetimes.
    pub fn to_workload_kind(&self) -> WorkloadKind {
        fn leak_all(v: &[String]) -> &'static [&'static str] {
            let strs: Vec<&'static str> = v.iter().map(|s| leak(s)).collect();
            Box::leak(strs.into_boxed_slice())
        }
        fn leak(s: &str) -> &'static str {
            Box::leak(s.to_string().into_boxed_str())
        }
        WorkloadKind {
            groups: leak_all(&self.groups),
            kind: leak(&self.kind),
            pod_spec: leak_all(&self.pod_spec),
            pod_metadata: leak_all(&self.pod_metadata),
        }
    }
}

fn one_or_list(n: &Node) -> Vec<&Node> {
    match &n.value {
        Value::Seq(items) => items.iter().collect(),
        _ => vec![n],
    }
}

fn str_of(n: &Node, key: &str) -> Option<String> {
    n.get(key).and_then(Node::scalar_text).map(str::to_string)
}

fn spanned(n: &Node) -> Spanned<String> {
    Spanned {
        value: n.scalar_text().unwrap_or_default().to_string(),
        span: n.span,
    }
}

fn read_ignore(item: &Node, i: usize) -> IgnoreEntry {
    let list = |key: &str| -> Vec<Spanned<String>> {
        item.get(key)
            .map(|n| one_or_list(n).into_iter().map(spanned).collect())
            .unwrap_or_default()
    };
    IgnoreEntry {
        yaml_path: YamlPath::root().key("ignore").index(i),
        span: item.span,
        rules: list("rules"),
        reason: item.get("reason").map(spanned).unwrap_or(Spanned {
            value: String::new(),
            span: item.span,
        }),
        until: item.get("until").map(spanned),
        paths: list("paths"),
        kind: str_of(item, "kind"),
        namespace: str_of(item, "namespace"),
        name: str_of(item, "name"),
    }
}

fn key_path(n: &Node, what: &str) -> Result<Vec<String>, (Span, String)> {
    let text = n.scalar_text().unwrap_or_default();
    let keys: Vec<String> = text.split('.').map(str::to_string).collect();
    if text.contains(['[', ']', '*']) || keys.iter().any(String::is_empty) {
        return Err((
            n.span,
            format!(
                "`{what}` must be mapping keys joined by `.` (`spec.template.spec`); got `{text}`"
            ),
        ));
    }
    Ok(keys)
}

fn read_kind(item: &Node) -> Result<KindEntry, (Span, String)> {
    let pod_spec_node = item.get("pod-spec").unwrap_or(item);
    let pod_spec = key_path(pod_spec_node, "pod-spec")?;
    let pod_metadata = match item.get("pod-metadata") {
        Some(n) => key_path(n, "pod-metadata")?,
        None => match pod_spec.split_last() {
            Some((last, parent)) if last == "spec" => parent
                .iter()
                .cloned()
                .chain(["metadata".to_string()])
                .collect(),
            _ => {
                return Err((
                    pod_spec_node.span,
                    "`pod-spec` does not end in `spec`: give `pod-metadata` too".to_string(),
                ));
            }
        },
    };
    Ok(KindEntry {
        kind: str_of(item, "kind").unwrap_or_default(),
        groups: item
            .get("group")
            .map(|g| {
                one_or_list(g)
                    .into_iter()
                    .filter_map(Node::scalar_text)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        pod_spec,
        pod_metadata,
    })
}

fn paths_of(n: Option<&Node>, dir: &Path) -> Vec<PathBuf> {
    n.map(|n| {
        one_or_list(n)
            .into_iter()
            .filter_map(Node::scalar_text)
            .map(|p| normalize(&dir.join(p)))
            .collect()
    })
    .unwrap_or_default()
}

fn set_of(n: Option<&Node>) -> BTreeMap<String, String> {
    n.map(|n| {
        n.entries()
            .iter()
            .map(|e| {
                (
                    e.key_str.clone(),
                    e.value.scalar_text().unwrap_or("").to_string(),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

fn read_helm(n: &Node, dir: &Path) -> HelmSettings {
    let charts = n
        .get("charts")
        .map(|c| {
            c.entries()
                .iter()
                .map(|e| {
                    let renders = e
                        .value
                        .items()
                        .iter()
                        .map(|r| HelmRender {
                            name: str_of(r, "name").unwrap_or_default(),
                            values: paths_of(r.get("values"), dir),
                            set: set_of(r.get("set")),
                            release_name: str_of(r, "release-name"),
                            namespace: str_of(r, "namespace"),
                        })
                        .collect();
                    (normalize(&dir.join(&e.key_str)), renders)
                })
                .collect()
        })
        .unwrap_or_default();
    HelmSettings {
        release_name: str_of(n, "release-name"),
        namespace: str_of(n, "namespace"),
        values: paths_of(n.get("values"), dir),
        set: set_of(n.get("set")),
        charts,
    }
}

// ---------------------------------------------------------------------------------------
// Checking a tree against a shape

fn describe(n: &Node) -> String {
    match &n.value {
        Value::Map(_) => "a mapping".to_string(),
        Value::Seq(_) => "a list".to_string(),
        Value::Scalar(s) => match s.kind {
            ScalarKind::Null => "nothing (null)".to_string(),
            ScalarKind::Bool(b) => format!("the boolean {b}"),
            ScalarKind::Int(_) | ScalarKind::Float(_) => format!("the number {}", s.text),
            ScalarKind::Timestamp | ScalarKind::Str => format!("`{}`", s.text),
        },
    }
}

fn expected(shape: &Shape) -> String {
    match shape {
        Shape::Str => "a string".to_string(),
        Shape::Bool => "true or false".to_string(),
        Shape::Int => "an integer".to_string(),
        Shape::Scalar => "a scalar value".to_string(),
        Shape::Date => "a date YYYY-MM-DD".to_string(),
        Shape::KubeVersion => "a Kubernetes version X.Y such as \"1.30\"".to_string(),
        Shape::Enum(values) => format!("one of {}", values.join(", ")),
        Shape::List(item) => format!("a list of {}", plural(item)),
        Shape::OneOrList(item) => format!("{} or a list of them", expected(item)),
        Shape::Map(_) | Shape::Object(_) => "a mapping".to_string(),
        Shape::AnyOf(alts) => {
            let parts: Vec<String> = alts.iter().map(expected).collect();
            parts.join(", or ")
        }
    }
}

fn plural(item: &Shape) -> String {
    match item {
        Shape::Str => "strings".to_string(),
        Shape::Object(_) | Shape::Map(_) => "mappings".to_string(),
        other => expected(other),
    }
}

/// The YAML 1.1 spellings of booleans that YAML 1.2 (editors, the JSON Schema) reads as
/// strings.
const YAML11_BOOLS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// A string, or a YAML 1.1-only boolean spelling (`name: n`, `reason: no`): kspm reads its
/// own file in the API server's YAML 1.1 dialect, where those are booleans, but people and
/// editors read them as the words they are.
fn is_string(n: &Node) -> bool {
    match n.scalar() {
        Some(s) => match s.kind {
            ScalarKind::Str | ScalarKind::Timestamp => true,
            ScalarKind::Bool(_) => YAML11_BOOLS.contains(&s.text.as_str()),
            _ => false,
        },
        None => false,
    }
}

/// Whether `n` fits `shape` at all (no problem anywhere inside).
fn fits(n: &Node, shape: &Shape) -> bool {
    let mut p = Vec::new();
    check(n, shape, &YamlPath::root(), &mut p);
    p.is_empty()
}

/// Add a problem for every place where `n` does not fit `shape`.
fn check(n: &Node, shape: &Shape, path: &YamlPath, out: &mut Vec<(Span, String)>) {
    let name = if path.segs().is_empty() {
        "the configuration".to_string()
    } else {
        format!("`{path}`")
    };
    let wrong = |out: &mut Vec<(Span, String)>| {
        out.push((
            n.span,
            format!(
                "{name}: expected {}, found {}",
                expected(shape),
                describe(n)
            ),
        ));
    };
    match shape {
        Shape::Str | Shape::Date => {
            if !is_string(n) {
                wrong(out);
            }
        }
        Shape::Bool => {
            if n.as_bool().is_none() {
                wrong(out);
            }
        }
        Shape::Int => {
            if !matches!(n.scalar().map(|s| &s.kind), Some(ScalarKind::Int(_))) {
                wrong(out);
            }
        }
        Shape::Scalar => {
            if n.scalar().is_none() || n.is_null() {
                wrong(out);
            }
        }
        Shape::KubeVersion => match n.scalar() {
            Some(s) if !matches!(s.kind, ScalarKind::Null | ScalarKind::Bool(_)) => {
                if let Err(m) = crate::cli::parse_kube_version(&s.text) {
                    out.push((
                        n.span,
                        format!("{name}: {}", m.replace("--kube-version ", "")),
                    ));
                }
            }
            _ => wrong(out),
        },
        Shape::Enum(values) => {
            let ok = is_string(n) && n.scalar_text().is_some_and(|t| values.contains(&t));
            if !ok {
                wrong(out);
            }
        }
        Shape::List(item) => match n.as_seq() {
            Some(items) => {
                for (i, it) in items.iter().enumerate() {
                    check(it, item, &path.index(i), out);
                }
            }
            None => wrong(out),
        },
        Shape::OneOrList(item) => match n.as_seq() {
            Some(items) => {
                for (i, it) in items.iter().enumerate() {
                    check(it, item, &path.index(i), out);
                }
            }
            // A mapping item reports what is wrong inside it; anything else is simply not
            // one of the two forms.
            None if n.as_map().is_some() && matches!(item, Shape::Object(_) | Shape::Map(_)) => {
                check(n, item, path, out)
            }
            None if !fits(n, item) => wrong(out),
            None => {}
        },
        Shape::Map(value) => match n.as_map() {
            Some(entries) => {
                for e in entries {
                    check(&e.value, value, &path.key(&e.key_str), out);
                }
            }
            None => wrong(out),
        },
        Shape::Object(fields) => match n.as_map() {
            Some(entries) => {
                for e in entries {
                    match fields.iter().find(|f| f.key == e.key_str) {
                        Some(f) => check(&e.value, &f.shape, &path.key(&e.key_str), out),
                        None => out.push((e.key.span, unknown_key(&e.key_str, path, fields))),
                    }
                }
                for f in fields.iter().filter(|f| f.required) {
                    if n.get(f.key).is_none() {
                        out.push((n.span, format!("{name}: `{}` is required", f.key)));
                    }
                }
            }
            None => wrong(out),
        },
        Shape::AnyOf(alts) => {
            if alts.iter().any(|a| fits(n, a)) {
                return;
            }
            // A mapping is checked against the mapping alternative, so that the problem
            // inside it (an unknown key, say) is what gets reported.
            let same_kind: Vec<&Shape> = alts
                .iter()
                .filter(|a| {
                    matches!(
                        (a, &n.value),
                        (Shape::Object(_) | Shape::Map(_), Value::Map(_))
                            | (Shape::List(_), Value::Seq(_))
                    )
                })
                .collect();
            match same_kind.as_slice() {
                [only] => check(n, only, path, out),
                _ => wrong(out),
            }
        }
    }
}

fn unknown_key(key: &str, path: &YamlPath, fields: &[Field]) -> String {
    let full = path.key(key);
    let known: Vec<&str> = fields.iter().map(|f| f.key).collect();
    let near = known
        .iter()
        .filter(|k| edit_distance(k, key) <= 2 || (key.len() >= 4 && k.starts_with(key)))
        .min_by_key(|k| edit_distance(k, key));
    match near {
        Some(k) => format!("unknown key `{full}`; did you mean `{k}`?"),
        None => format!(
            "unknown key `{full}` (expected one of: {})",
            known.join(", ")
        ),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---------------------------------------------------------------------------------------
// Finding the file, and paths

/// The nearest configuration file from the first path upward; the search stops after the
/// folder that holds `.git`, so a file outside the repository never applies.
fn find_upward(paths: &[String], cwd: &Path) -> Option<PathBuf> {
    let first = paths
        .first()
        .filter(|p| p.as_str() != crate::discover::STDIN_ARG)
        .map_or_else(|| cwd.to_path_buf(), |p| normalize(&cwd.join(p)));
    let start = if first.is_file() {
        first.parent().map(Path::to_path_buf)?
    } else {
        first
    };
    for dir in start.ancestors() {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Remove `.` and resolve `..` lexically (symlinks are not followed).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base` (both absolute, normalized), `/`-separated, with `..` where
/// `path` is outside `base`.
pub fn relative_to(path: &Path, base: &Path) -> String {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// A path as kspm prints it: relative to the working directory when under it.
pub fn display_path(abs: &Path, cwd: &Path) -> String {
    match abs.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().replace('\\', "/"),
        _ => abs.to_string_lossy().replace('\\', "/"),
    }
}

/// A finding's path (as displayed, relative to `cwd` or absolute) relative to `base`.
pub fn path_from(display: &str, cwd: &Path, base: &Path) -> String {
    if display == crate::discover::STDIN_NAME {
        return display.to_string();
    }
    relative_to(&normalize(&cwd.join(display)), &normalize(base))
}

// ---------------------------------------------------------------------------------------
// JSON Schema and the starter file

fn schema_of(shape: &Shape) -> Json {
    match shape {
        Shape::Str => json!({"type": "string"}),
        // YAML 1.2 readers see `off` and `yes` as strings; kspm reads them as booleans.
        Shape::Bool => json!({
            "anyOf": [{"type": "boolean"}, {"type": "string", "enum": YAML11_BOOLS}],
        }),
        Shape::Int => json!({"type": "integer"}),
        Shape::Scalar => json!({"type": ["string", "number", "boolean"]}),
        Shape::Date => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        Shape::KubeVersion => json!({
            "type": ["string", "number"],
            "pattern": "^v?1\\.[0-9]+(\\.[0-9]+)?$",
        }),
        Shape::Enum(values) => json!({"type": "string", "enum": values}),
        Shape::List(item) => json!({"type": "array", "items": schema_of(item)}),
        Shape::OneOrList(item) => json!({
            "anyOf": [schema_of(item), {"type": "array", "items": schema_of(item)}],
        }),
        Shape::Map(value) => json!({
            "type": "object",
            "additionalProperties": schema_of(value),
        }),
        Shape::Object(fields) => {
            let mut props = Map::new();
            for f in *fields {
                let mut s = schema_of(&f.shape);
                if let Some(o) = s.as_object_mut() {
                    o.insert("description".to_string(), Json::from(f.doc));
                }
                props.insert(f.key.to_string(), s);
            }
            let required: Vec<&str> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.key)
                .collect();
            let mut o = Map::new();
            o.insert("type".to_string(), Json::from("object"));
            o.insert("properties".to_string(), Json::Object(props));
            if !required.is_empty() {
                o.insert("required".to_string(), json!(required));
            }
            o.insert("additionalProperties".to_string(), Json::from(false));
            Json::Object(o)
        }
        Shape::AnyOf(alts) => json!({"anyOf": alts.iter().map(schema_of).collect::<Vec<_>>()}),
    }
}

/// The JSON Schema of `.kspm.yaml` (draft-07, as YAML language servers read it), pretty
/// with a trailing newline. docs/kspm.schema.json is this, checked fresh by a test.
pub fn json_schema() -> String {
    let mut root = Map::new();
    root.insert(
        "$schema".to_string(),
        Json::from("http://json-schema.org/draft-07/schema#"),
    );
    root.insert(
        "$id".to_string(),
        Json::from("https://kspm.dev/schema/kspm.schema.json"),
    );
    root.insert(
        "title".to_string(),
        Json::from("kspm configuration (.kspm.yaml)"),
    );
    if let Json::Object(o) = schema_of(&SCHEMA) {
        root.extend(o);
    }
    let mut s = serde_json::to_string_pretty(&Json::Object(root)).unwrap_or_default();
    s.push('\n');
    s
}

/// What `kspm init` writes: every key, commented, with the defaults.
pub const STARTER: &str = r#"# kspm configuration. kspm reads the nearest .kspm.yaml from the first path it lints
# upward (to the repository root), or the file given with --config. Command-line flags
# override what is set here. JSON Schema: docs/kspm.schema.json in kspm's repository.

# Rule packs to run (`kspm packs`); `all` runs every rule.
packs: [recommended]

# Exit 1 when a finding at or above this severity remains after suppression.
fail-on: low

# Kubernetes version for the Pod Security Standards policy and removed-API checks.
# kube-version: "1.30"

# Per rule (id or code): off, on, a severity, or enabled/severity/options.
rules: {}
#   naked-pod: off
#   image-latest: high
#   image-registry:
#     enabled: true
#     options:
#       allowed: [registry.example.com, ghcr.io]
#   replicas-min:
#     options: {min: 3}

# Accepted findings. Each entry needs a reason; after `until` it stops applying and is
# reported as expired. In manifests, use instead:
#   metadata.annotations:  ignore.kspm.dev/host-network: "until=2026-06-30 node agent"
#   a comment on or above the line:  # kspm-ignore: host-network -- node agent
ignore: []
#   - rules: [host-network, host-pid]
#     paths: ["monitoring/**"]
#     kind: DaemonSet
#     name: node-exporter
#     reason: the node exporter reads host metrics
#     until: 2026-12-31

# Custom resources that embed a pod template, so pod and container rules check them.
kinds: []
#   - kind: ScaledJob
#     group: keda.sh
#     pod-spec: spec.jobTargetRef.template.spec

# How Helm charts are rendered.
# helm:
#   release-name: release
#   namespace: default
#   values: [deploy/values-prod.yaml]
#   charts:
#     charts/web:
#       - {name: staging, values: [charts/web/values-staging.yaml]}
#       - {name: prod, values: [charts/web/values-prod.yaml]}

# How kustomizations are built.
# kustomize:
#   binary: auto
"#;

/// Write the starter file into `dir`; refuses to replace an existing file unless `force`.
pub fn init(dir: &Path, force: bool) -> Result<PathBuf, String> {
    let path = dir.join(FILE_NAMES[0]);
    if path.exists() && !force {
        return Err(format!(
            "{} exists; pass --force to replace it",
            path.display()
        ));
    }
    std::fs::write(&path, STARTER).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<ConfigError>> {
        Config::parse(SourceFile::new(".kspm.yaml", text), Path::new("/repo"))
    }

    #[test]
    fn starter_parses() {
        let c = parse(STARTER).unwrap();
        assert_eq!(c.packs, ["recommended"]);
        assert_eq!(c.fail_on, Some(Severity::Low));
    }

    #[test]
    fn unknown_keys_are_located() {
        let e = parse("packs: [recommended]\nrulez: {}\n").unwrap_err();
        assert_eq!(e[0].line, 2);
        assert_eq!(e[0].column, 1);
        assert!(e[0].message.contains("`rulez`"), "{}", e[0].message);
        assert!(
            e[0].message.contains("did you mean `rules`"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn paths_are_relative() {
        assert_eq!(
            relative_to(Path::new("/a/b/c.yaml"), Path::new("/a")),
            "b/c.yaml"
        );
        assert_eq!(
            relative_to(Path::new("/a/x.yaml"), Path::new("/a/b")),
            "../x.yaml"
        );
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(
            path_from("k8s/web.yaml", Path::new("/r/sub"), Path::new("/r")),
            "sub/k8s/web.yaml"
        );
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("rules", "rulez"), 1);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(edit_distance("kinds", "kinds"), 0);
    }
}
