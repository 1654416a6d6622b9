//! `.Files`: Helm's `files` type (`map[string][]byte`) with its template methods Get,
//! GetBytes, Glob, Lines, AsConfig and AsSecrets; `.Files.name` indexes the map.

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::{Object, Param, Signature, Value};

use crate::chart::Chart;
use crate::glob::Glob;

/// The files of one chart as templates see them.
#[derive(Clone, Debug, Default)]
pub struct Files {
    entries: BTreeMap<String, Rc<[u8]>>,
}

impl Files {
    /// The `.Files` of a chart: its `files` (templates, values and subcharts are not
    /// part of them).
    pub fn new(chart: &Chart) -> Files {
        Files::from_entries(chart.files.iter().map(|f| (f.name.clone(), f.data.clone())))
    }

    pub fn from_entries(entries: impl IntoIterator<Item = (String, Vec<u8>)>) -> Files {
        crate::chart_object::register_marshalers();
        Files {
            entries: entries
                .into_iter()
                .map(|(k, v)| (k, Rc::from(v.into_boxed_slice())))
                .collect(),
        }
    }

    /// The file's text, or "" when there is no such file.
    pub fn get(&self, name: &str) -> String {
        self.entries
            .get(name)
            .map(|d| String::from_utf8_lossy(d).into_owned())
            .unwrap_or_default()
    }

    /// The file's bytes, empty when there is no such file.
    pub fn get_bytes(&self, name: &str) -> Rc<[u8]> {
        self.entries
            .get(name)
            .cloned()
            .unwrap_or_else(|| Rc::from(Vec::new()))
    }

    /// The files whose names match a gobwas glob (`/` separator). A pattern that does not
    /// compile matches everything, as Helm falls back to `**`.
    pub fn glob(&self, pattern: &str) -> Files {
        let g = Glob::new(pattern).or_else(|| Glob::new("**"));
        Files {
            entries: self
                .entries
                .iter()
                .filter(|(k, _)| g.as_ref().is_some_and(|g| g.is_match(k)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// The file's lines: one trailing newline dropped, then split on `\n`.
    pub fn lines(&self, name: &str) -> Result<Vec<String>, String> {
        let Some(data) = self.entries.get(name) else {
            return Ok(Vec::new());
        };
        let mut s = String::from_utf8_lossy(data).into_owned();
        if s.is_empty() {
            // Helm indexes the last byte of the file unguarded.
            return Err("runtime error: index out of range [-1]".to_string());
        }
        if s.ends_with('\n') {
            s.pop();
        }
        Ok(s.split('\n').map(str::to_string).collect())
    }

    fn yaml_of(&self, encode: impl Fn(&[u8]) -> String) -> String {
        // Keys are base names: later files with the same base name win, in Go's map
        // iteration order, which is random; ours is path order.
        let mut m = BTreeMap::new();
        for (k, v) in &self.entries {
            let base = k.rsplit('/').next().unwrap_or(k).to_string();
            m.insert(base, Value::string(encode(v)));
        }
        let mut text = crate::yaml::encode(&Value::map(m)).unwrap_or_default();
        if text.ends_with('\n') {
            text.pop();
        }
        text
    }

    /// A YAML map of base name → content (for ConfigMap `data`).
    pub fn as_config(&self) -> String {
        self.yaml_of(|d| String::from_utf8_lossy(d).into_owned())
    }

    /// A YAML map of base name → base64 content (for Secret `data`).
    pub fn as_secrets(&self) -> String {
        self.yaml_of(kspm_godata::base64::encode)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Name → content in Go's map iteration order for templates (sorted), as `range`
    /// over `.Files.Glob` sees them (`[]byte` values).
    pub fn entries(&self) -> Vec<(String, Value)> {
        self.entries
            .iter()
            .map(|(k, v)| (k.clone(), Value::Bytes(v.clone())))
            .collect()
    }
}

impl Object for Files {
    fn type_name(&self) -> String {
        "engine.files".to_string()
    }

    fn kind(&self) -> &'static str {
        "map"
    }

    fn field(&self, name: &str) -> Option<Value> {
        // A map key: a missing one is no value, not an error.
        Some(
            self.entries
                .get(name)
                .map(|d| Value::Bytes(d.clone()))
                .unwrap_or(Value::Invalid),
        )
    }

    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some(Signature::new(vec![Param::String])),
            "AsConfig" | "AsSecrets" => Some(Signature::new(vec![])),
            _ => None,
        }
    }

    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let arg = args.first().and_then(Value::as_str).unwrap_or_default();
        match name {
            "Get" => Ok(Value::string(self.get(arg))),
            "GetBytes" => Ok(Value::Bytes(self.get_bytes(arg))),
            "Glob" => Ok(Value::Object(Rc::new(self.glob(arg)))),
            "Lines" => Ok(Value::string_list(self.lines(arg)?)),
            "AsConfig" => Ok(Value::string(self.as_config())),
            "AsSecrets" => Ok(Value::string(self.as_secrets())),
            _ => Err(format!("can't call method {name}")),
        }
    }

    fn format_v(&self) -> String {
        let items: Vec<String> = self
            .entries
            .iter()
            .map(|(k, v)| {
                let bytes: Vec<String> = v.iter().map(u8::to_string).collect();
                format!("{k}:[{}]", bytes.join(" "))
            })
            .collect();
        format!("map[{}]", items.join(" "))
    }

    fn truth(&self) -> bool {
        !self.entries.is_empty()
    }

    fn len(&self) -> Option<usize> {
        Some(self.entries.len())
    }

    fn entries(&self) -> Option<Vec<(String, Value)>> {
        Some(Files::entries(self))
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// What encoding/json (so toYaml/toJson) makes of `.Files`: a map of base64 strings.
pub fn files_json_value(files: &Files) -> Value {
    Value::map(
        files
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), Value::string(kspm_godata::base64::encode(v))))
            .collect(),
    )
}
