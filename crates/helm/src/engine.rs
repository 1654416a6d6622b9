//! Helm's engine: every template of the chart tree parsed into one set named `gotpl`
//! (deepest paths first, so the top chart's definitions win), each non-partial template
//! executed with its chart's top-level object and `.Template`, missing keys as zero and
//! `<no value>` removed, errors as Helm prints them. The output keeps, for every byte, the
//! template position that produced it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use kspm_gotmpl::{ErrorKind, Map, MissingKey, Template, TracedOutput, Value};
use kspm_helm_chart::{Chart, File, HelmCompat, Metadata, ReleaseOptions};

use crate::caps::{Capabilities, KubeVersion};
use crate::errors::{self, TemplateError};
use crate::funcs::{FuncOptions, ROOT_TEMPLATE, helm_funcs};
use crate::options::Compat;
use crate::scope::{self, Renderable};
pub use crate::trace::RenderedFile;
use crate::trace::{Segment, Trace};

/// How the engine runs.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    /// `helm lint`: `required` and `fail` do not abort.
    pub lint: bool,
    /// Missing map keys are errors.
    pub strict: bool,
    /// The objects `lookup` sees, as JSON (Helm with a cluster connection); `None`: no
    /// cluster (`helm template`), `lookup` answers empty maps.
    pub cluster: Option<Arc<Vec<String>>>,
}

/// Helm's function map: Sprig, then Helm's own functions.
pub fn functions(opts: &EngineOptions) -> kspm_gotmpl::FuncMap {
    helm_funcs(
        kspm_sprig::funcs(),
        FuncOptions {
            lint: opts.lint,
            cluster: opts.cluster.clone(),
        },
    )
}

fn new_set(opts: &EngineOptions) -> Template {
    let mut t = Template::new(ROOT_TEMPLATE);
    t.set_missing_key(if opts.strict {
        MissingKey::Error
    } else {
        MissingKey::Zero
    });
    t.funcs(functions(opts));
    t
}

fn template_values(name: &str, base_path: &str) -> Value {
    let mut m = BTreeMap::new();
    m.insert("Name".to_string(), Value::string(name));
    m.insert("BasePath".to_string(), Value::string(base_path));
    Value::Map(Rc::new(RefCell::new(Map {
        type_name: Rc::from("chartutil.Values"),
        entries: m,
    })))
}

/// A rendered text and trace with every `<no value>` removed (Helm's workaround for Go
/// printing it even with missingkey=zero).
fn strip_no_value(out: TracedOutput, mut segs: Vec<Segment>) -> RenderedFile {
    const NO_VALUE: &str = "<no value>";
    if !out.text.contains(NO_VALUE) {
        return RenderedFile {
            text: out.text,
            trace: Trace { segments: segs },
        };
    }
    let removed: Vec<usize> = out.text.match_indices(NO_VALUE).map(|(i, _)| i).collect();
    // New position of an old byte offset: minus the removed bytes before it.
    let shift = |p: usize| -> usize {
        let before = removed.iter().filter(|&&r| r + NO_VALUE.len() <= p).count();
        let inside = removed
            .iter()
            .find(|&&r| r < p && p < r + NO_VALUE.len())
            .map_or(0, |&r| p - r);
        p - before * NO_VALUE.len() - inside
    };
    for s in &mut segs {
        let (a, b) = (shift(s.start), shift(s.end));
        // Bytes removed inside copied text break the byte-for-byte mapping: point the
        // stretch at its start instead.
        if s.literal && b - a != s.end - s.start {
            s.literal = false;
        }
        s.start = a;
        s.end = b;
    }
    segs.retain(|s| s.start < s.end);
    RenderedFile {
        text: out.text.replace(NO_VALUE, ""),
        trace: Trace { segments: segs },
    }
}

/// The chart's template texts and the `.Values` references of their actions (cached:
/// an action in a loop runs many times), for the trace.
struct EngineSources<'a> {
    set: &'a Template,
    texts: &'a BTreeMap<&'a str, &'a Renderable>,
    fields: std::collections::HashMap<(Rc<str>, usize), Vec<String>>,
    /// Per source: what dot is at each action (`with .Values.x` blocks).
    dots: std::collections::HashMap<Rc<str>, Vec<(usize, Option<String>)>>,
}

impl<'a> EngineSources<'a> {
    fn new(set: &'a Template, texts: &'a BTreeMap<&'a str, &'a Renderable>) -> Self {
        EngineSources {
            set,
            texts,
            fields: std::collections::HashMap::new(),
            dots: std::collections::HashMap::new(),
        }
    }

    /// The action's references as `.Values` paths: its own, and through dot when a `with`
    /// bound it to one (`{{ with .Values.x }}{{ toYaml . }}`, `{{ .y }}`).
    fn values_fields(&mut self, action: &kspm_gotmpl::Origin) -> Vec<String> {
        let text = self.texts.get(&*action.source).map(|r| r.text.as_str());
        let dot = text.and_then(|text| {
            let dots = self
                .dots
                .entry(action.source.clone())
                .or_insert_with(|| crate::nested::dot_paths(text));
            let i = dots.partition_point(|(at, _)| *at <= action.offset);
            dots.get(i.checked_sub(1)?)?.1.clone()
        });
        let dot = dot.filter(|d| d.starts_with(".Values"));
        let mut out = Vec::new();
        if let (Some(d), Some(t)) = (&dot, text)
            && t.get(action.offset..action.end)
                .is_some_and(crate::nested::uses_dot)
        {
            out.push(d.clone());
        }
        for f in self.set.action_fields(action) {
            let bare = f.strip_prefix('$').unwrap_or(&f);
            if bare == ".Values" || bare.starts_with(".Values.") {
                out.push(f);
            } else if let Some(d) = &dot
                && f.starts_with('.')
            {
                out.push(format!("{d}{f}"));
            }
        }
        out
    }
}

impl crate::nested::Sources for EngineSources<'_> {
    fn text(&self, source: &str) -> Option<&str> {
        self.texts.get(source).map(|r| r.text.as_str())
    }

    fn fields(&mut self, action: &kspm_gotmpl::Origin) -> Vec<String> {
        let key = (action.source.clone(), action.offset);
        if let Some(f) = self.fields.get(&key) {
            return f.clone();
        }
        let f = self.values_fields(action);
        self.fields.insert(key, f.clone());
        f
    }
}

/// Parse and render the templates (Helm's `Engine.render`).
pub fn render_templates(
    items: &[Renderable],
    opts: EngineOptions,
) -> Result<BTreeMap<String, RenderedFile>, TemplateError> {
    let mut set = new_set(&opts);
    let by_name: BTreeMap<&str, &Renderable> = items.iter().map(|r| (r.name.as_str(), r)).collect();
    let mut names: Vec<String> = by_name.keys().map(|s| s.to_string()).collect();
    scope::parse_order(&mut names);
    for name in &names {
        let Some(r) = by_name.get(name.as_str()) else {
            continue;
        };
        set.parse(name, &r.text).map_err(|e| {
            let (message, position) = errors::parse_error(name, &e.to_string());
            TemplateError {
                message,
                position,
                file: None,
                output: None,
            }
        })?;
    }
    let mut rendered = BTreeMap::new();
    for name in &names {
        if scope::is_partial(name) {
            continue;
        }
        let Some(r) = by_name.get(name.as_str()) else {
            continue;
        };
        // Helm sets `.Template` on the chart's shared top-level map before each render.
        if let Value::Map(m) = &r.vals {
            m.borrow_mut()
                .entries
                .insert("Template".to_string(), template_values(name, &r.base_path));
        }
        let mut out = TracedOutput::default();
        if let Err(e) = set.execute_to(name, r.vals.clone(), &mut out) {
            let (message, position) = match e.kind {
                ErrorKind::Parse => errors::parse_error(name, &e.to_string()),
                ErrorKind::Exec => errors::exec_error(name, &e.to_string()),
            };
            return Err(TemplateError {
                message,
                position,
                file: None,
                output: None,
            });
        }
        let segs = crate::nested::resolve(&out, &mut EngineSources::new(&set, &by_name));
        rendered.insert(name.clone(), strip_no_value(out, segs));
    }
    Ok(rendered)
}

/// Helm's `Engine.Render`: every template of the chart tree with `top` (the map
/// `to_render_values` builds: Values, Release, Capabilities, Chart).
pub fn render_chart(
    chart: &Chart,
    top: &Value,
    opts: EngineOptions,
) -> Result<BTreeMap<String, RenderedFile>, TemplateError> {
    let mut items = Vec::new();
    scope::collect(chart, top, chart.name(), true, &mut items);
    render_templates(&items, opts)
}

/// `--name-template`: Sprig's functions, no data.
pub fn name_template(text: &str) -> Result<String, String> {
    let mut t = Template::new("name-template");
    t.funcs(kspm_sprig::funcs());
    t.parse("name-template", text).map_err(|e| e.to_string())?;
    t.execute("name-template", Value::Nil)
        .map_err(|e| e.to_string())
}

/// A template with Helm's function map (no engine around it: `<no value>` stays).
pub fn eval_funcs(text: &str, data: Value) -> Result<String, String> {
    let mut t = Template::new("test");
    t.funcs(functions(&EngineOptions::default()));
    t.parse("test", text).map_err(|e| e.to_string())?;
    t.execute("test", data).map_err(|e| e.to_string())
}

/// Named templates rendered by the engine, all with `data` as dot.
pub fn render_named(
    templates: &[(String, String)],
    data: Value,
    opts: EngineOptions,
) -> Result<BTreeMap<String, String>, String> {
    let items: Vec<Renderable> = templates
        .iter()
        .map(|(name, text)| Renderable {
            name: name.clone(),
            text: text.clone(),
            vals: data.clone(),
            base_path: String::new(),
        })
        .collect();
    render_templates(&items, opts)
        .map(|m| m.into_iter().map(|(k, v)| (k, v.text)).collect())
        .map_err(|e| e.message)
}

/// A chart described as data (tests and tables).
#[derive(Clone, Debug, Default)]
pub struct ChartSpec {
    pub name: String,
    pub version: String,
    pub api_version: String,
    pub values: Option<Value>,
    pub templates: BTreeMap<String, String>,
    pub files: BTreeMap<String, String>,
    pub dependencies: Vec<ChartSpec>,
}

impl ChartSpec {
    pub fn build(&self) -> Chart {
        let metadata = Metadata {
            name: self.name.clone(),
            version: self.version.clone(),
            api_version: if self.api_version.is_empty() {
                "v1".to_string()
            } else {
                self.api_version.clone()
            },
            ..Metadata::default()
        };
        let mut c = Chart::new(metadata);
        let file = |(k, v): (&String, &String)| File {
            name: k.clone(),
            data: v.clone().into_bytes(),
        };
        c.templates = self.templates.iter().map(file).collect();
        c.files = self.files.iter().map(file).collect();
        if let Some(v) = &self.values {
            c.values = v.clone();
        }
        c.dependencies = self.dependencies.iter().map(ChartSpec::build).collect();
        c
    }
}

/// A chart from a spec rendered as Helm's engine tests do: `values` is `.Values` as given
/// (`coalesce` false; `None`: no Values key), or user values coalesced with the chart's
/// defaults (`coalesce` true).
pub fn render_spec(
    spec: &ChartSpec,
    values: Option<Value>,
    coalesce: bool,
    release: Option<String>,
    opts: EngineOptions,
) -> Result<BTreeMap<String, String>, String> {
    let chart = spec.build();
    let top = if coalesce {
        let caps = Capabilities::new(
            KubeVersion::parse("1.20.0").map_err(|e| e.to_string())?,
            &[],
            Compat::Helm3,
        );
        let rel = ReleaseOptions {
            name: release.unwrap_or_default(),
            ..ReleaseOptions::default()
        };
        let user = values.unwrap_or(Value::Nil);
        kspm_helm_chart::to_render_values(&chart, &user, &rel, caps.value(), HelmCompat::V3, true)
            .map_err(|e| e.message)?
    } else {
        let mut m = BTreeMap::new();
        if let Some(v) = values {
            m.insert("Values".to_string(), v);
        }
        if let Some(name) = release {
            let mut r = BTreeMap::new();
            r.insert("Name".to_string(), Value::string(name));
            m.insert("Release".to_string(), Value::map(r));
        }
        Value::map(m)
    };
    render_chart(&chart, &top, opts)
        .map(|m| m.into_iter().map(|(k, v)| (k, v.text)).collect())
        .map_err(|e| e.message)
}

/// Coalesce user values with a spec chart's defaults and run a plain template over them.
pub fn eval_coalesced(spec: &ChartSpec, user: &Value, text: &str) -> Result<String, String> {
    let chart = spec.build();
    let values =
        kspm_helm_chart::coalesce_values(&chart, user, HelmCompat::V3).map_err(|e| e.message)?;
    let mut t = Template::new("test");
    t.parse("test", text).map_err(|e| e.to_string())?;
    t.execute("test", values).map_err(|e| e.to_string())
}
