//! `Chart.yaml` as Helm reads it into `chart.Metadata` (through YAML → JSON → struct, so a
//! field of the wrong type is an error with Go's `encoding/json` wording), and Helm's
//! metadata validation.

use std::collections::BTreeMap;

use kspm_gotmpl::Value;
use kspm_semver::Version;

use crate::error::{Error, Result};
use crate::vals;

/// `apiVersion: v1` (Helm 2 charts, dependencies in requirements.yaml).
pub const API_VERSION_V1: &str = "v1";
/// `apiVersion: v2` (Helm 3 charts).
pub const API_VERSION_V2: &str = "v2";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// One entry of `dependencies:` (Chart.yaml v2 or requirements.yaml v1).
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Each entry a string (`exports.<name>` form) or a `{child, parent}` map.
    pub import_values: Vec<Value>,
    pub alias: String,
}

/// Helm's `chart.Metadata`: every field of Chart.yaml.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    pub annotations: BTreeMap<String, String>,
    pub kube_version: String,
    pub dependencies: Vec<Dependency>,
    /// `application`, `library` or empty (= application).
    pub chart_type: String,
}

/// Go's `encoding/json` name for a value's JSON type, as its unmarshal errors print it.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Uint(..) | Value::Float(..) => "number",
        Value::String(_) => "string",
        Value::List(_) => "array",
        Value::Map(_) => "object",
        _ => "null",
    }
}

struct Decoder<'a> {
    /// Go struct name for error messages (`Metadata`, `Dependency`, `Maintainer`).
    go_struct: &'a str,
    /// Field path prefix as Go prints it (`dependencies.` for nested structs).
    prefix: String,
}

impl Decoder<'_> {
    fn type_error(&self, field: &str, v: &Value, go_type: &str) -> Error {
        Error::new(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {}.{}{} of type {}",
            json_kind(v),
            self.go_struct,
            self.prefix,
            field,
            go_type
        ))
    }

    fn string(&self, map: &Value, field: &str) -> Result<String> {
        match vals::get(map, field) {
            None | Some(Value::Nil) | Some(Value::Invalid) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.to_string()),
            Some(v) => Err(self.type_error(field, &v, "string")),
        }
    }

    fn boolean(&self, map: &Value, field: &str) -> Result<bool> {
        match vals::get(map, field) {
            None | Some(Value::Nil) | Some(Value::Invalid) => Ok(false),
            Some(Value::Bool(b)) => Ok(b),
            Some(v) => Err(self.type_error(field, &v, "bool")),
        }
    }

    fn strings(&self, map: &Value, field: &str) -> Result<Vec<String>> {
        match vals::get(map, field) {
            None | Some(Value::Nil) | Some(Value::Invalid) => Ok(Vec::new()),
            Some(Value::List(l)) => l
                .items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.to_string()),
                    Value::Nil => Ok(String::new()),
                    other => Err(self.type_error(field, other, "string")),
                })
                .collect(),
            Some(v) => Err(self.type_error(field, &v, "[]string")),
        }
    }

    fn list(&self, map: &Value, field: &str, go_type: &str) -> Result<Vec<Value>> {
        match vals::get(map, field) {
            None | Some(Value::Nil) | Some(Value::Invalid) => Ok(Vec::new()),
            Some(Value::List(l)) => Ok(l.items.clone()),
            Some(v) => Err(self.type_error(field, &v, go_type)),
        }
    }
}

impl Maintainer {
    fn from_value(v: &Value) -> Result<Option<Self>> {
        if vals::is_nil(v) {
            return Ok(None);
        }
        if !vals::is_table(v) {
            let outer = Decoder {
                go_struct: "Metadata",
                prefix: String::new(),
            };
            return Err(outer.type_error("maintainers", v, "chart.Maintainer"));
        }
        // Go names the innermost struct and the field path from the document root.
        let d = Decoder {
            go_struct: "Maintainer",
            prefix: "maintainers.".into(),
        };
        Ok(Some(Maintainer {
            name: d.string(v, "name")?,
            email: d.string(v, "email")?,
            url: d.string(v, "url")?,
        }))
    }
}

impl Dependency {
    /// A dependency from its decoded YAML map; `go_struct` names the struct holding the
    /// list, for errors.
    fn from_value(v: &Value, go_struct: &str) -> Result<Option<Self>> {
        if vals::is_nil(v) {
            return Ok(None);
        }
        if !vals::is_table(v) {
            let outer = Decoder {
                go_struct,
                prefix: String::new(),
            };
            return Err(outer.type_error("dependencies", v, "chart.Dependency"));
        }
        let d = Decoder {
            go_struct: "Dependency",
            prefix: "dependencies.".into(),
        };
        Ok(Some(Dependency {
            name: d.string(v, "name")?,
            version: d.string(v, "version")?,
            repository: d.string(v, "repository")?,
            condition: d.string(v, "condition")?,
            tags: d.strings(v, "tags")?,
            enabled: d.boolean(v, "enabled")?,
            import_values: d.list(v, "import-values", "[]interface {}")?,
            alias: d.string(v, "alias")?,
        }))
    }

    /// The name the dependency is rendered under: its alias, else its name.
    pub fn effective_name(&self) -> &str {
        if self.alias.is_empty() {
            &self.name
        } else {
            &self.alias
        }
    }
}

/// Dependencies from a decoded `dependencies:` list.
pub(crate) fn dependencies_from(map: &Value, go_struct: &str) -> Result<Vec<Dependency>> {
    let d = Decoder {
        go_struct,
        prefix: String::new(),
    };
    let mut out = Vec::new();
    for item in d.list(map, "dependencies", "[]*chart.Dependency")? {
        if let Some(dep) = Dependency::from_value(&item, go_struct)? {
            out.push(dep);
        }
    }
    Ok(out)
}

impl Metadata {
    /// Metadata from the decoded Chart.yaml document (a map, or nil for an empty file).
    pub fn from_value(v: &Value) -> Result<Self> {
        let d = Decoder {
            go_struct: "Metadata",
            prefix: String::new(),
        };
        if vals::is_nil(v) {
            return Ok(Metadata::default());
        }
        if !vals::is_table(v) {
            return Err(Error::new(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type chart.Metadata",
                json_kind(v)
            )));
        }
        let mut maintainers = Vec::new();
        for m in d.list(v, "maintainers", "[]*chart.Maintainer")? {
            if let Some(m) = Maintainer::from_value(&m)? {
                maintainers.push(m);
            }
        }
        let mut annotations = BTreeMap::new();
        match vals::get(v, "annotations") {
            None | Some(Value::Nil) => {}
            Some(a @ Value::Map(_)) => {
                for (k, val) in vals::entries(&a) {
                    match val {
                        Value::String(s) => {
                            annotations.insert(k, s.to_string());
                        }
                        Value::Nil => {
                            annotations.insert(k, String::new());
                        }
                        other => {
                            return Err(d.type_error("annotations", &other, "string"));
                        }
                    }
                }
            }
            Some(other) => return Err(d.type_error("annotations", &other, "map[string]string")),
        }
        Ok(Metadata {
            name: d.string(v, "name")?,
            home: d.string(v, "home")?,
            sources: d.strings(v, "sources")?,
            version: d.string(v, "version")?,
            description: d.string(v, "description")?,
            keywords: d.strings(v, "keywords")?,
            maintainers,
            icon: d.string(v, "icon")?,
            api_version: d.string(v, "apiVersion")?,
            condition: d.string(v, "condition")?,
            tags: d.string(v, "tags")?,
            app_version: d.string(v, "appVersion")?,
            deprecated: d.boolean(v, "deprecated")?,
            annotations,
            kube_version: d.string(v, "kubeVersion")?,
            dependencies: dependencies_from(v, "Metadata")?,
            chart_type: d.string(v, "type")?,
        })
    }

    pub fn is_library(&self) -> bool {
        self.chart_type == "library"
    }

    /// Helm's `Metadata.Validate`: control characters are dropped from the text fields,
    /// then the required fields, the version, the type and the dependency names are
    /// checked. Errors read `validation: ...`.
    pub fn validate(&mut self) -> Result<()> {
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            sanitize(s);
        }
        for s in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            sanitize(s);
        }
        let fail = |m: String| Err(Error::new(format!("validation: {m}")));
        if self.api_version.is_empty() {
            return fail("chart.metadata.apiVersion is required".into());
        }
        if self.name.is_empty() {
            return fail("chart.metadata.name is required".into());
        }
        if self.name.contains('/')
            || self.name.contains('\\')
            || self.name == "."
            || self.name == ".."
        {
            return fail(format!("chart.metadata.name {:?} is invalid", self.name));
        }
        if self.version.is_empty() {
            return fail("chart.metadata.version is required".into());
        }
        if Version::parse(&self.version).is_err() {
            return fail(format!(
                "chart.metadata.version {:?} is invalid",
                self.version
            ));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return fail("chart.metadata.type must be application or library".into());
        }
        for m in &mut self.maintainers {
            sanitize(&mut m.name);
            sanitize(&mut m.email);
            sanitize(&mut m.url);
            if m.name.is_empty() {
                return fail("maintainers must have a name".into());
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for d in &mut self.dependencies {
            for s in [
                &mut d.name,
                &mut d.version,
                &mut d.repository,
                &mut d.condition,
            ] {
                sanitize(s);
            }
            for t in &mut d.tags {
                sanitize(t);
            }
            if !d.alias.is_empty()
                && !d
                    .alias
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return fail(format!(
                    "dependency {:?} has disallowed characters in the alias",
                    d.name
                ));
            }
            let key = d.effective_name().to_string();
            if !seen.insert(key.clone()) {
                return fail(format!(
                    "more than one dependency with name or alias {key:?}"
                ));
            }
        }
        Ok(())
    }
}

/// Helm's metadata sanitizing: every white space becomes a plain space, other
/// non-printable characters are dropped.
fn sanitize(s: &mut String) {
    if s.chars()
        .any(|c| c.is_control() || (c.is_whitespace() && c != ' '))
    {
        *s = s
            .chars()
            .filter_map(|c| {
                if c.is_whitespace() {
                    Some(' ')
                } else if c.is_control() {
                    None
                } else {
                    Some(c)
                }
            })
            .collect();
    }
}
