//! `.Chart` for templates: Helm passes the chart's `Metadata` (embedded in a struct that
//! adds `IsRoot`), so templates read Go field names: `.Chart.Name`, `.Chart.AppVersion`,
//! `.Chart.Annotations`, `.Chart.Dependencies`, `.Chart.IsRoot`, …

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::{List, Object, Value};

use crate::metadata::{Dependency, Maintainer, Metadata};

/// `.Chart`: a chart's metadata and whether it is the root chart.
#[derive(Clone, Debug)]
pub struct ChartObject {
    pub metadata: Rc<Metadata>,
    pub is_root: bool,
}

/// The embedded `chart.Metadata` alone (`.Chart.Metadata`).
#[derive(Clone, Debug)]
pub struct MetadataObject(pub Rc<Metadata>);

#[derive(Clone, Debug)]
struct MaintainerObject(Maintainer);

#[derive(Clone, Debug)]
struct DependencyObject(Dependency);

fn strings(items: &[String]) -> Value {
    Value::string_list(items.iter().map(String::as_str))
}

fn typed_list(type_name: &str, items: Vec<Value>) -> Value {
    Value::List(Rc::new(List {
        type_name: Rc::from(type_name),
        items,
    }))
}

fn metadata_field(md: &Metadata, name: &str) -> Option<Value> {
    let s = |v: &str| Some(Value::string(v));
    match name {
        "Name" => s(&md.name),
        "Home" => s(&md.home),
        "Sources" => Some(strings(&md.sources)),
        "Version" => s(&md.version),
        "Description" => s(&md.description),
        "Keywords" => Some(strings(&md.keywords)),
        "Maintainers" => Some(typed_list(
            "[]*chart.Maintainer",
            md.maintainers
                .iter()
                .map(|m| Value::Object(Rc::new(MaintainerObject(m.clone()))))
                .collect(),
        )),
        "Icon" => s(&md.icon),
        "APIVersion" => s(&md.api_version),
        "Condition" => s(&md.condition),
        "Tags" => s(&md.tags),
        "AppVersion" => s(&md.app_version),
        "Deprecated" => Some(Value::Bool(md.deprecated)),
        "Annotations" => Some(string_map(&md.annotations)),
        "KubeVersion" => s(&md.kube_version),
        "Dependencies" => Some(typed_list(
            "[]*chart.Dependency",
            md.dependencies
                .iter()
                .map(|d| Value::Object(Rc::new(DependencyObject(d.clone()))))
                .collect(),
        )),
        "Type" => s(&md.chart_type),
        _ => None,
    }
}

fn string_map(m: &BTreeMap<String, String>) -> Value {
    Value::Map(Rc::new(std::cell::RefCell::new(kspm_gotmpl::Map {
        type_name: Rc::from("map[string]string"),
        entries: m
            .iter()
            .map(|(k, v)| (k.clone(), Value::string(v.as_str())))
            .collect(),
    })))
}

/// Go's `%v` of a value inside a struct.
fn v(value: &Value) -> String {
    kspm_gotmpl::fmt::sprintf("%v", std::slice::from_ref(value))
}

fn metadata_format(md: &Metadata) -> String {
    const FIELDS: [&str; 17] = [
        "Name",
        "Home",
        "Sources",
        "Version",
        "Description",
        "Keywords",
        "Maintainers",
        "Icon",
        "APIVersion",
        "Condition",
        "Tags",
        "AppVersion",
        "Deprecated",
        "Annotations",
        "KubeVersion",
        "Dependencies",
        "Type",
    ];
    let parts: Vec<String> = FIELDS
        .iter()
        .map(|f| metadata_field(md, f).map(|x| v(&x)).unwrap_or_default())
        .collect();
    format!("{{{}}}", parts.join(" "))
}

impl Object for ChartObject {
    fn type_name(&self) -> String {
        "struct { chart.Metadata; IsRoot bool }".to_string()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "IsRoot" => Some(Value::Bool(self.is_root)),
            "Metadata" => Some(Value::Object(Rc::new(MetadataObject(
                self.metadata.clone(),
            )))),
            _ => metadata_field(&self.metadata, name),
        }
    }
    fn format_v(&self) -> String {
        format!("{{{} {}}}", metadata_format(&self.metadata), self.is_root)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for MetadataObject {
    fn type_name(&self) -> String {
        "chart.Metadata".to_string()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        metadata_field(&self.0, name)
    }
    fn format_v(&self) -> String {
        metadata_format(&self.0)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for MaintainerObject {
    fn type_name(&self) -> String {
        "*chart.Maintainer".to_string()
    }
    fn kind(&self) -> &'static str {
        "ptr"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Name" => Some(Value::string(self.0.name.as_str())),
            "Email" => Some(Value::string(self.0.email.as_str())),
            "URL" => Some(Value::string(self.0.url.as_str())),
            _ => None,
        }
    }
    fn format_v(&self) -> String {
        format!("&{{{} {} {}}}", self.0.name, self.0.email, self.0.url)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn dependency_field(d: &Dependency, name: &str) -> Option<Value> {
    match name {
        "Name" => Some(Value::string(d.name.as_str())),
        "Version" => Some(Value::string(d.version.as_str())),
        "Repository" => Some(Value::string(d.repository.as_str())),
        "Condition" => Some(Value::string(d.condition.as_str())),
        "Tags" => Some(strings(&d.tags)),
        "Enabled" => Some(Value::Bool(d.enabled)),
        "ImportValues" => Some(Value::list(d.import_values.clone())),
        "Alias" => Some(Value::string(d.alias.as_str())),
        _ => None,
    }
}

impl Object for DependencyObject {
    fn type_name(&self) -> String {
        "*chart.Dependency".to_string()
    }
    fn kind(&self) -> &'static str {
        "ptr"
    }
    fn field(&self, name: &str) -> Option<Value> {
        dependency_field(&self.0, name)
    }
    fn format_v(&self) -> String {
        let parts: Vec<String> = [
            "Name",
            "Version",
            "Repository",
            "Condition",
            "Tags",
            "Enabled",
            "ImportValues",
            "Alias",
        ]
        .iter()
        .map(|f| {
            dependency_field(&self.0, f)
                .map(|x| v(&x))
                .unwrap_or_default()
        })
        .collect();
        format!("&{{{}}}", parts.join(" "))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The JSON form of chart metadata (the `json:` names, empty fields omitted as Helm's
/// struct tags say), for toYaml/toJson of `.Chart`.
fn metadata_json(md: &Metadata, out: &mut BTreeMap<String, Value>) {
    let mut put_s = |k: &str, s: &str| {
        if !s.is_empty() {
            out.insert(k.to_string(), Value::string(s));
        }
    };
    put_s("name", &md.name);
    put_s("home", &md.home);
    put_s("version", &md.version);
    put_s("description", &md.description);
    put_s("icon", &md.icon);
    put_s("apiVersion", &md.api_version);
    put_s("condition", &md.condition);
    put_s("tags", &md.tags);
    put_s("appVersion", &md.app_version);
    put_s("kubeVersion", &md.kube_version);
    put_s("type", &md.chart_type);
    if !md.sources.is_empty() {
        out.insert("sources".into(), strings(&md.sources));
    }
    if !md.keywords.is_empty() {
        out.insert("keywords".into(), strings(&md.keywords));
    }
    if md.deprecated {
        out.insert("deprecated".into(), Value::Bool(true));
    }
    if !md.annotations.is_empty() {
        out.insert("annotations".into(), string_map(&md.annotations));
    }
    if !md.maintainers.is_empty() {
        let items = md
            .maintainers
            .iter()
            .map(|m| {
                let mut e = BTreeMap::new();
                for (k, s) in [("name", &m.name), ("email", &m.email), ("url", &m.url)] {
                    if !s.is_empty() {
                        e.insert(k.to_string(), Value::string(s.as_str()));
                    }
                }
                Value::map(e)
            })
            .collect();
        out.insert("maintainers".into(), Value::list(items));
    }
    if !md.dependencies.is_empty() {
        let items = md
            .dependencies
            .iter()
            .map(|d| {
                let mut e = BTreeMap::new();
                e.insert("name".to_string(), Value::string(d.name.as_str()));
                for (k, s) in [
                    ("version", &d.version),
                    ("condition", &d.condition),
                    ("alias", &d.alias),
                ] {
                    if !s.is_empty() {
                        e.insert(k.to_string(), Value::string(s.as_str()));
                    }
                }
                e.insert(
                    "repository".to_string(),
                    Value::string(d.repository.as_str()),
                );
                if !d.tags.is_empty() {
                    e.insert("tags".into(), strings(&d.tags));
                }
                if d.enabled {
                    e.insert("enabled".into(), Value::Bool(true));
                }
                if !d.import_values.is_empty() {
                    e.insert("import-values".into(), Value::list(d.import_values.clone()));
                }
                Value::map(e)
            })
            .collect();
        out.insert("dependencies".into(), Value::list(items));
    }
}

/// A marshal hook for kspm-godata's encoders (`json::register_object_marshaler`): the
/// value encoding/json produces for this crate's objects.
pub fn marshal_object(obj: &dyn Object) -> Option<Result<Value, String>> {
    let any = obj.as_any();
    if let Some(c) = any.downcast_ref::<ChartObject>() {
        let mut m = BTreeMap::new();
        metadata_json(&c.metadata, &mut m);
        m.insert("IsRoot".into(), Value::Bool(c.is_root));
        return Some(Ok(Value::map(m)));
    }
    if let Some(c) = any.downcast_ref::<MetadataObject>() {
        let mut m = BTreeMap::new();
        metadata_json(&c.0, &mut m);
        return Some(Ok(Value::map(m)));
    }
    if let Some(f) = any.downcast_ref::<crate::files::Files>() {
        return Some(Ok(crate::files::files_json_value(f)));
    }
    None
}

static REGISTER: std::sync::Once = std::sync::Once::new();

/// Make kspm-godata's encoders (toYaml, toJson, toToml) understand this crate's objects.
/// Called whenever one is handed to templates; registers once.
pub fn register_marshalers() {
    REGISTER.call_once(|| kspm_godata::json::register_object_marshaler(marshal_object));
}

fn string_items(items: &[String]) -> Value {
    Value::list(items.iter().map(|s| Value::string(s.as_str())).collect())
}

/// Helm 4's `.Chart`: the metadata struct turned into a `map[string]interface {}` by
/// reflection (Go field names as keys, slices as `[]interface {}`, nested structs as
/// maps) plus `IsRoot`. Unknown fields then read as no value instead of failing.
pub fn metadata_map(md: &Metadata, is_root: bool) -> Value {
    let mut m = BTreeMap::new();
    let s = |v: &str| Value::string(v);
    m.insert("Name".into(), s(&md.name));
    m.insert("Home".into(), s(&md.home));
    m.insert("Sources".into(), string_items(&md.sources));
    m.insert("Version".into(), s(&md.version));
    m.insert("Description".into(), s(&md.description));
    m.insert("Keywords".into(), string_items(&md.keywords));
    m.insert(
        "Maintainers".into(),
        Value::list(
            md.maintainers
                .iter()
                .map(|x| {
                    let mut e = BTreeMap::new();
                    e.insert("Name".to_string(), s(&x.name));
                    e.insert("Email".to_string(), s(&x.email));
                    e.insert("URL".to_string(), s(&x.url));
                    Value::map(e)
                })
                .collect(),
        ),
    );
    m.insert("Icon".into(), s(&md.icon));
    m.insert("APIVersion".into(), s(&md.api_version));
    m.insert("Condition".into(), s(&md.condition));
    m.insert("Tags".into(), s(&md.tags));
    m.insert("AppVersion".into(), s(&md.app_version));
    m.insert("Deprecated".into(), Value::Bool(md.deprecated));
    m.insert("Annotations".into(), string_map(&md.annotations));
    m.insert("KubeVersion".into(), s(&md.kube_version));
    m.insert(
        "Dependencies".into(),
        Value::list(
            md.dependencies
                .iter()
                .map(|d| {
                    let mut e = BTreeMap::new();
                    e.insert("Name".to_string(), s(&d.name));
                    e.insert("Version".to_string(), s(&d.version));
                    e.insert("Repository".to_string(), s(&d.repository));
                    e.insert("Condition".to_string(), s(&d.condition));
                    e.insert("Tags".to_string(), string_items(&d.tags));
                    e.insert("Enabled".to_string(), Value::Bool(d.enabled));
                    e.insert(
                        "ImportValues".to_string(),
                        Value::list(d.import_values.clone()),
                    );
                    e.insert("Alias".to_string(), s(&d.alias));
                    Value::map(e)
                })
                .collect(),
        ),
    );
    m.insert("Type".into(), s(&md.chart_type));
    m.insert("IsRoot".into(), Value::Bool(is_root));
    Value::map(m)
}
