//! The top-level object templates render with, as Helm's `ToRenderValues`: `.Chart`,
//! `.Capabilities`, `.Release` and `.Values` (coalesced and schema-checked).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::{Map, Value};

use crate::chart::Chart;
use crate::chart_object::ChartObject;
use crate::coalesce::{HelmCompat, coalesce_values};
use crate::error::Result;
use crate::schema::validate_values;

/// `.Release` fields `helm template` sets.
#[derive(Clone, Debug)]
pub struct ReleaseOptions {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_upgrade: bool,
    pub is_install: bool,
}

impl Default for ReleaseOptions {
    fn default() -> Self {
        ReleaseOptions {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_upgrade: false,
            is_install: true,
        }
    }
}

impl ReleaseOptions {
    /// `.Release`: a `map[string]interface {}` with Revision an `int`.
    pub fn to_value(&self) -> Value {
        let mut m = BTreeMap::new();
        m.insert("Name".into(), Value::string(self.name.as_str()));
        m.insert("Namespace".into(), Value::string(self.namespace.as_str()));
        m.insert("Revision".into(), Value::int(self.revision));
        m.insert("IsUpgrade".into(), Value::Bool(self.is_upgrade));
        m.insert("IsInstall".into(), Value::Bool(self.is_install));
        m.insert("Service".into(), Value::string("Helm"));
        Value::map(m)
    }
}

/// A map typed as Helm's `chartutil.Values` (what `%T` of `.Values` prints).
pub fn as_values_type(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(Rc::new(RefCell::new(Map {
            type_name: Rc::from("chartutil.Values"),
            entries: m.borrow().entries.clone(),
        }))),
        other => other.clone(),
    }
}

/// `.Chart` for a chart of the tree.
pub fn chart_value(chart: &Chart, is_root: bool) -> Value {
    crate::chart_object::register_marshalers();
    Value::Object(Rc::new(ChartObject {
        metadata: Rc::new(chart.metadata.clone()),
        is_root,
    }))
}

/// `.Chart` as the given Helm version passes it: Helm 3's metadata struct (with `IsRoot`),
/// or Helm 4.2's map of the metadata fields.
pub fn chart_value_for(chart: &Chart, is_root: bool, compat: HelmCompat) -> Value {
    match compat {
        HelmCompat::V3 => chart_value(chart, is_root),
        HelmCompat::V4 => crate::chart_object::metadata_map(&chart.metadata, is_root),
    }
}

/// Helm's `ToRenderValuesWithSchemaValidation` for a chart whose dependencies were
/// already processed ([`crate::process_dependencies`]): coalesce the user values with
/// the chart defaults, validate them against the schemas (unless `skip_schema`), and
/// build the top-level map.
pub fn to_render_values(
    chart: &Chart,
    user: &Value,
    release: &ReleaseOptions,
    capabilities: Value,
    compat: HelmCompat,
    skip_schema: bool,
) -> Result<Value> {
    let values = coalesce_values(chart, user, compat)?;
    if !skip_schema {
        validate_values(chart, &values)?;
    }
    let mut top = BTreeMap::new();
    top.insert("Chart".into(), chart_value_for(chart, true, compat));
    top.insert("Capabilities".into(), capabilities);
    top.insert("Release".into(), release.to_value());
    top.insert("Values".into(), as_values_type(&values));
    let top = Value::map(top);
    if let Value::Map(m) = &top {
        m.borrow_mut().type_name = Rc::from("chartutil.Values");
    }
    Ok(top)
}
