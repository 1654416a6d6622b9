//! Objects (fields and methods), functions that run templates (include/tpl through Env),
//! delimiters, output tracing and the recursion limit.
mod common;
use common::*;

use std::any::Any;
use std::rc::Rc;

use kspm_gotmpl::{
    FuncMap, Function, MissingKey, Object, OriginKind, Param, Signature, Template, TracedOutput,
    Value,
};

struct Release {
    name: String,
}

impl Object for Release {
    fn type_name(&self) -> String {
        "*test.Release".into()
    }
    fn kind(&self) -> &'static str {
        "ptr"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Name" => Some(Value::string(self.name.as_str())),
            "Revision" => Some(Value::int(1)),
            _ => None,
        }
    }
    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Greet" => Some(Signature::new(vec![Param::String])),
            "Nothing" => Some(Signature::new(vec![])),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        match name {
            "Greet" => Ok(Value::string(format!(
                "hi {} from {}",
                args[0].as_str().unwrap_or(""),
                self.name
            ))),
            "Nothing" => Err("nothing here".into()),
            _ => Err(format!("no method {name}")),
        }
    }
    fn format_v(&self) -> String {
        format!("&{{{} 1}}", self.name)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn with_release(json: &str) -> Value {
    let d = data(json);
    if let Value::Map(m) = &d {
        m.borrow_mut().entries.insert(
            "Release".into(),
            Value::Object(Rc::new(Release { name: "rel".into() })),
        );
    }
    d
}

fn exec(t: &Template, name: &str, d: Value) -> Result<String, String> {
    t.execute(name, d).map_err(|e| e.to_string())
}

#[test]
fn object_fields_and_methods() {
    let mut t = Template::new("t");
    t.parse("a", "{{ .Release.Name }} {{ .Release.Revision }} {{ .Release.Greet \"bob\" }} {{ \"amy\" | .Release.Greet }} {{ .Release }} {{ printf \"%T\" .Release }}").unwrap();
    assert_eq!(
        exec(&t, "a", with_release("{}")).unwrap(),
        "rel 1 hi bob from rel hi amy from rel &{rel 1} *test.Release"
    );
    t.parse("b", "{{ .Release.Nope }}").unwrap();
    assert_eq!(
        exec(&t, "b", with_release("{}")).unwrap_err(),
        "template: b:1:11: executing \"b\" at <.Release.Nope>: can't evaluate field Nope in type interface {}"
    );
    t.parse("c", "{{ .Release.Greet 1 }}").unwrap();
    assert_eq!(
        exec(&t, "c", with_release("{}")).unwrap_err(),
        "template: c:1:18: executing \"c\" at <1>: expected string; found 1"
    );
    t.parse("d", "{{ .Release.Nothing }}").unwrap();
    assert_eq!(
        exec(&t, "d", with_release("{}")).unwrap_err(),
        "template: d:1:11: executing \"d\" at <.Release.Nothing>: error calling Nothing: nothing here"
    );
    t.parse("e", "{{ .Release.Name 1 }}").unwrap();
    assert_eq!(
        exec(&t, "e", with_release("{}")).unwrap_err(),
        "template: e:1:11: executing \"e\" at <.Release.Name>: Name has arguments but cannot be invoked as function"
    );
}

fn helm_like_funcs() -> FuncMap {
    let mut f = FuncMap::new();
    f.insert(
        "include".into(),
        Function::new(Signature::new(vec![Param::String, Param::Any]), |env, a| {
            let name = a[0].as_str().unwrap_or("").to_string();
            let depth = {
                let c = env.counter(&format!("include:{name}"));
                *c += 1;
                *c
            };
            if depth > 50 {
                return Err(format!(
                    "rendering template has a nested reference name: {name}"
                ));
            }
            let r = env.execute_template(&name, a[1].clone());
            *env.counter(&format!("include:{name}")) -= 1;
            r.map(Value::string)
        }),
    );
    f.insert(
        "tpl".into(),
        Function::new(Signature::new(vec![Param::String, Param::Any]), |env, a| {
            let text = a[0].as_str().unwrap_or("").to_string();
            env.execute_text("gotpl", &text, a[1].clone())
                .map(Value::string)
        }),
    );
    f.insert(
        "current".into(),
        Function::new(Signature::new(vec![]), |env, _| {
            Ok(Value::string(env.template_name()))
        }),
    );
    f
}

#[test]
fn include_and_tpl_through_env() {
    let mut t = Template::new("gotpl");
    t.funcs(helm_like_funcs());
    t.parse(
        "_helpers.tpl",
        "{{ define \"name\" }}n-{{ .x }}{{ end }}{{ define \"who\" }}{{ current }}{{ end }}",
    )
    .unwrap();
    t.parse("main", "{{ include \"name\" . | printf \"[%s]\" }} {{ tpl \"{{ .x }}-{{ include \\\"name\\\" . }}\" . }} {{ include \"who\" . }} {{ current }}").unwrap();
    assert_eq!(
        exec(&t, "main", data(r#"{"x":"v"}"#)).unwrap(),
        "[n-v] v-n-v who main"
    );
    // Definitions made by tpl text stay inside that tpl call.
    t.parse("def", "{{ tpl \"{{ define \\\"name\\\" }}T{{ end }}{{ include \\\"name\\\" . }}\" . }}|{{ include \"name\" . }}").unwrap();
    assert_eq!(exec(&t, "def", data(r#"{"x":"v"}"#)).unwrap(), "T|n-v");
    // Errors from nested executions keep Go's text.
    t.parse("bad", "{{ include \"nope\" . }}").unwrap();
    assert_eq!(
        exec(&t, "bad", data("{}")).unwrap_err(),
        "template: bad:1:3: executing \"bad\" at <include \"nope\" .>: error calling include: template: no template \"nope\" associated with template \"gotpl\""
    );
    t.parse("badtpl", "{{ tpl \"{{ .x.y.z }}\" . }}").unwrap();
    t.set_missing_key(MissingKey::Zero);
    assert_eq!(
        exec(&t, "badtpl", data("{}")).unwrap_err(),
        "template: badtpl:1:3: executing \"badtpl\" at <tpl \"{{ .x.y.z }}\" .>: error calling tpl: template: gotpl:1:5: executing \"gotpl\" at <.x.y.z>: nil pointer evaluating interface {}.y"
    );
    t.parse("badparse", "{{ tpl \"{{ \" . }}").unwrap();
    assert_eq!(
        exec(&t, "badparse", data("{}")).unwrap_err(),
        "template: badparse:1:3: executing \"badparse\" at <tpl \"{{ \" .>: error calling tpl: template: gotpl:1: unclosed action"
    );
    // A recursion guard kept in Env counters.
    t.parse(
        "_rec",
        "{{ define \"rec\" }}{{ include \"rec\" . }}{{ end }}",
    )
    .unwrap();
    t.parse("rec", "{{ include \"rec\" . }}").unwrap();
    let e = exec(&t, "rec", data("{}")).unwrap_err();
    assert!(
        e.ends_with("error calling include: rendering template has a nested reference name: rec"),
        "{e}"
    );
}

#[test]
fn template_recursion_stops_cleanly() {
    let mut t = Template::new("t");
    t.set_max_depth(100_000);
    t.parse(
        "main",
        "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}",
    )
    .unwrap();
    let e = exec(&t, "main", Value::Nil).unwrap_err();
    assert_eq!(
        e,
        "template: main:1:28: executing \"r\" at <{{template \"r\" .}}>: exceeded maximum template depth (100000)"
    );
}

#[test]
fn custom_delimiters() {
    let mut t = Template::new("t");
    t.delims("[[", "]]");
    t.parse("a", "{{ x }} [[ .a ]] [[- .a -]] !").unwrap();
    assert_eq!(exec(&t, "a", data(r#"{"a":1}"#)).unwrap(), "{{ x }} 11!");
}

#[test]
fn traced_output_names_each_piece() {
    let mut t = Template::new("t");
    t.parse(
        "file.yaml",
        "{{ define \"d\" }}in-d {{ .v }}{{ end }}a: {{ .v }}\nb: {{ template \"d\" . }}\n",
    )
    .unwrap();
    let mut out = TracedOutput::default();
    t.execute_to("file.yaml", data(r#"{"v":"x"}"#), &mut out)
        .unwrap();
    assert_eq!(out.text, "a: x\nb: in-d x\n");
    let pieces: Vec<(usize, &str, &str, usize, OriginKind)> = out
        .pieces
        .iter()
        .map(|(at, o)| (*at, &*o.source, &*o.template, o.offset, o.kind))
        .collect();
    assert_eq!(
        pieces,
        vec![
            (0, "file.yaml", "file.yaml", 38, OriginKind::Text),
            (3, "file.yaml", "file.yaml", 44, OriginKind::Action),
            (4, "file.yaml", "file.yaml", 49, OriginKind::Text),
            (8, "file.yaml", "d", 16, OriginKind::Text),
            (13, "file.yaml", "d", 24, OriginKind::Action),
            (14, "file.yaml", "file.yaml", 73, OriginKind::Text),
        ]
    );
    let src = "{{ define \"d\" }}in-d {{ .v }}{{ end }}a: {{ .v }}\nb: {{ template \"d\" . }}\n";
    assert_eq!(&src[38..41], "a: ");
    assert_eq!(&src[16..21], "in-d ");
    assert_eq!(&src[73..74], "\n");
    let action = &out.pieces[1].1;
    assert_eq!(&src[action.offset..action.end], ".v }}");
    assert_eq!(t.action_fields(action), vec![".v"]);
    assert!(t.action_fields(&out.pieces[0].1).is_empty());
    let mut t2 = Template::new("t");
    let mut f = FuncMap::new();
    for n in ["toYaml", "nindent"] {
        f.insert(
            n.into(),
            Function::pure(Signature::variadic(vec![], Param::Any), |_| {
                Ok(Value::string("x"))
            }),
        );
    }
    t2.funcs(f);
    t2.parse(
        "g",
        "{{ $v := . }}{{ toYaml $.Values.res | nindent (len $v.a) }}{{ (.a).b.c }}",
    )
    .unwrap();
    let mut out = TracedOutput::default();
    t2.execute_to("g", data(r#"{"a":{"b":{"c":1}}}"#), &mut out)
        .unwrap();
    let fields: Vec<Vec<String>> = out
        .pieces
        .iter()
        .map(|(_, o)| t2.action_fields(o))
        .collect();
    assert_eq!(
        fields,
        vec![
            vec!["$.Values.res".to_string(), "$v.a".to_string()],
            vec![".a".to_string(), ".b.c".to_string()]
        ]
    );
}

struct VersionSet(Vec<&'static str>);

impl Object for VersionSet {
    fn type_name(&self) -> String {
        "chartutil.VersionSet".into()
    }
    fn kind(&self) -> &'static str {
        "slice"
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "Has").then(|| Signature::new(vec![Param::String]))
    }
    fn call_method(&self, _name: &str, args: Vec<Value>) -> Result<Value, String> {
        let want = args[0].as_str().unwrap_or("");
        Ok(Value::Bool(self.0.contains(&want)))
    }
    fn format_v(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn items(&self) -> Option<Vec<Value>> {
        Some(self.0.iter().map(|s| Value::string(*s)).collect())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[test]
fn slice_like_objects_range_index_and_len() {
    let d = data("{}");
    if let Value::Map(m) = &d {
        m.borrow_mut().entries.insert(
            "APIVersions".into(),
            Value::Object(Rc::new(VersionSet(vec!["v1", "apps/v1"]))),
        );
    }
    let mut t = Template::new("t");
    t.parse(
        "a",
        "{{ range .APIVersions }}{{ . }};{{ end }} {{ len .APIVersions }} {{ index .APIVersions 1 }} {{ .APIVersions.Has \"v1\" }} {{ slice .APIVersions 1 }} {{ .APIVersions }}",
    )
    .unwrap();
    assert_eq!(
        exec(&t, "a", d).unwrap(),
        "v1;apps/v1; 2 apps/v1 true [apps/v1] [v1 apps/v1]"
    );
}

#[test]
fn nested_tpl_runs_its_own_text_even_when_empty() {
    let mut t = Template::new("gotpl");
    t.funcs(helm_like_funcs());
    t.parse("m", "{{ tpl \"[{{ tpl \\\"  \\\" . }}]\" . }}")
        .unwrap();
    assert_eq!(exec(&t, "m", data("{}")).unwrap(), "[  ]");
    // Definitions from an outer tpl text are visible to a tpl inside it.
    t.parse(
        "n",
        "{{ tpl \"{{ define \\\"x\\\" }}X{{ end }}{{ tpl \\\"{{ include \\\\\\\"x\\\\\\\" . }}\\\" . }}\" . }}",
    )
    .unwrap();
    assert_eq!(exec(&t, "n", data("{}")).unwrap(), "X");
}

#[test]
fn nested_runs_are_traced_with_their_caller() {
    let mut t = Template::new("gotpl");
    t.funcs(helm_like_funcs());
    t.parse(
        "_helpers.tpl",
        "{{ define \"labels\" }}app: {{ .x }}\ntier: web{{ end }}",
    )
    .unwrap();
    let src = "meta:\n  labels:\n    {{ include \"labels\" . }}\n{{ tpl \"t: {{ .x }}\" . }}";
    t.parse("deploy.yaml", src).unwrap();
    let mut out = TracedOutput::default();
    t.execute_to("deploy.yaml", data(r#"{"x":"a"}"#), &mut out)
        .unwrap();
    assert_eq!(out.text, "meta:\n  labels:\n    app: a\ntier: web\nt: a");
    assert_eq!(out.nested.len(), 2);
    let (caller, run) = &out.nested[0];
    assert_eq!(&src[caller.offset..caller.end], "include \"labels\" . }}");
    assert_eq!(run.text, "app: a\ntier: web");
    let origins: Vec<(&str, &str, usize)> = run
        .pieces
        .iter()
        .map(|(_, o)| (&*o.source, &*o.template, o.offset))
        .collect();
    assert_eq!(
        origins,
        vec![
            ("_helpers.tpl", "labels", 21),
            ("_helpers.tpl", "labels", 29),
            ("_helpers.tpl", "labels", 34)
        ]
    );
    let helpers = "{{ define \"labels\" }}app: {{ .x }}\ntier: web{{ end }}";
    assert_eq!(&helpers[21..26], "app: ");
    assert_eq!(&helpers[34..44], "\ntier: web");
    let (caller, run) = &out.nested[1];
    assert_eq!(&src[caller.offset..caller.end], "tpl \"t: {{ .x }}\" . }}");
    assert_eq!(&*run.pieces[0].1.source, "gotpl");
    // Plain string output does not trace nested runs.
    assert_eq!(
        t.execute("deploy.yaml", data(r#"{"x":"a"}"#)).unwrap(),
        out.text
    );
}
