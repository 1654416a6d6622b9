//! Render benchmark: parse a chart-sized template set once, execute it many times.
//! `cargo bench -p kspm-gotmpl` prints per-iteration times; no assertions on speed.

use std::collections::BTreeMap;
use std::time::Instant;

use kspm_gotmpl::{Template, Value};

fn values(n: usize) -> Value {
    let mut containers = Vec::new();
    for i in 0..n {
        let mut c = BTreeMap::new();
        c.insert("name".to_string(), Value::string(format!("c{i}")));
        c.insert("image".to_string(), Value::string(format!("repo/img:{i}")));
        c.insert("port".to_string(), Value::float64(8000.0 + i as f64));
        let mut env = BTreeMap::new();
        for k in 0..10 {
            env.insert(format!("VAR_{k}"), Value::string(format!("value-{i}-{k}")));
        }
        c.insert("env".to_string(), Value::map(env));
        containers.push(Value::map(c));
    }
    let mut v = BTreeMap::new();
    v.insert("containers".to_string(), Value::list(containers));
    v.insert("enabled".to_string(), Value::Bool(true));
    let mut top = BTreeMap::new();
    top.insert("Values".to_string(), Value::map(v));
    Value::map(top)
}

const HELPERS: &str = r#"
{{- define "labels" -}}
app: {{ .name | printf "%s-app" }}
tier: {{ if eq .port 8000.0 }}first{{ else }}other{{ end }}
{{- end -}}
{{- define "container" }}
  - name: {{ .name }}
    image: {{ printf "%q" .image }}
    ports:
      - containerPort: {{ .port }}
    env:
    {{- range $k, $v := .env }}
      - name: {{ $k }}
        value: {{ $v | printf "%q" }}
    {{- end }}
    labels:
      {{- template "labels" . }}
{{- end -}}
"#;

const MAIN: &str = r#"apiVersion: apps/v1
kind: Deployment
spec:
  containers:
{{- range $i, $c := .Values.containers }}
{{- if and $.Values.enabled (lt $i 100000) }}
{{- template "container" $c }}
{{- end }}
{{- end }}
"#;

fn main() {
    let data = values(2000);
    let t0 = Instant::now();
    let mut t = Template::new("bench");
    for _ in 0..100 {
        t = Template::new("bench");
        t.parse("_helpers.tpl", HELPERS).expect("helpers parse");
        t.parse("deployment.yaml", MAIN).expect("main parse");
    }
    let parse = t0.elapsed() / 100;
    let t1 = Instant::now();
    let iters = 20;
    let mut bytes = 0;
    for _ in 0..iters {
        bytes = t
            .execute("deployment.yaml", data.clone())
            .expect("execute")
            .len();
    }
    let exec = t1.elapsed() / iters;
    println!("parse helpers+main: {parse:?}/iteration");
    println!("execute 2000 containers ({bytes} bytes out): {exec:?}/iteration");
}
