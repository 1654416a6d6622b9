//! values.schema.json validation as Helm runs it (JSON Schema drafts 4–2020 keywords that
//! charts use), with the error text of the validator Helm uses (santhosh-tekuri/jsonschema
//! v6): one `- at '<json pointer>': <message>` line per failure, combinators nesting their
//! causes two spaces deeper.

use std::collections::BTreeMap;

use kspm_gotmpl::Value;

use crate::chart::Chart;
use crate::error::{Error, Result};
use crate::vals::{self, entries, get};

/// One failure: instance location, message and nested causes.
#[derive(Clone, Debug)]
struct Failure {
    at: String,
    message: String,
    causes: Vec<Failure>,
}

fn fail(at: &str, message: impl Into<String>) -> Failure {
    Failure {
        at: at.to_string(),
        message: message.into(),
        causes: Vec::new(),
    }
}

/// The validator's single-quoted string form.
fn quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i, _) => Some(*i as f64),
        Value::Uint(u, _) => Some(*u as f64),
        Value::Float(f, _) => Some(*f),
        _ => None,
    }
}

fn go_num(f: f64) -> String {
    kspm_gotmpl::fmt::sprintf("%v", &[Value::float64(f)])
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        Value::List(_) | Value::Map(_) => "value".to_string(),
        Value::Nil | Value::Invalid => "null".to_string(),
        other => number(other)
            .map(go_num)
            .unwrap_or_else(|| kspm_gotmpl::fmt::sprintf("%v", std::slice::from_ref(other))),
    }
}

/// The instance's JSON type as the validator names it (every number is `number`).
fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Nil | Value::Invalid => "null",
        Value::Bool(_) => "boolean",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::List(_) => "array",
        Value::Map(_) | Value::Object(_) => "object",
        _ => "number",
    }
}

fn type_matches(v: &Value, t: &str) -> bool {
    match t {
        "integer" => number(v).is_some_and(|f| f.is_finite() && f.fract() == 0.0),
        other => json_type(v) == other,
    }
}

/// JSON equality (numbers by value, maps and lists deeply).
fn json_eq(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return x == y;
    }
    match (a, b) {
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Nil | Value::Invalid, Value::Nil | Value::Invalid) => true,
        (Value::List(x), Value::List(y)) => {
            x.items.len() == y.items.len()
                && x.items.iter().zip(&y.items).all(|(a, b)| json_eq(a, b))
        }
        (Value::Map(_), Value::Map(_)) => {
            let (x, y) = (entries(a), entries(b));
            x.len() == y.len()
                && x.iter()
                    .zip(&y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && json_eq(v1, v2))
        }
        _ => false,
    }
}

fn pointer_escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

struct Validator<'a> {
    root: &'a Value,
    regexes: BTreeMap<String, Option<regex::Regex>>,
    depth: usize,
}

impl Validator<'_> {
    fn regex(&mut self, pattern: &str) -> Option<regex::Regex> {
        self.regexes
            .entry(pattern.to_string())
            .or_insert_with(|| regex::Regex::new(pattern).ok())
            .clone()
    }

    /// Resolve a local `$ref` (`#`, `#/definitions/x`, `#/$defs/x`).
    fn resolve(&self, reference: &str) -> Option<Value> {
        let ptr = reference.strip_prefix('#')?;
        let mut cur = self.root.clone();
        for part in ptr.split('/').skip(1) {
            let part = part.replace("~1", "/").replace("~0", "~");
            cur = match &cur {
                Value::Map(_) => get(&cur, &part)?,
                Value::List(l) => l.items.get(part.parse::<usize>().ok()?)?.clone(),
                _ => return None,
            };
        }
        Some(cur)
    }

    fn validate(&mut self, schema: &Value, v: &Value, at: &str) -> Vec<Failure> {
        match schema {
            Value::Bool(true) => return Vec::new(),
            Value::Bool(false) => return vec![fail(at, "false schema")],
            Value::Map(_) => {}
            _ => return Vec::new(),
        }
        if self.depth > 64 {
            return Vec::new();
        }
        let mut out = Vec::new();
        if let Some(Value::String(r)) = get(schema, "$ref")
            && let Some(target) = self.resolve(&r)
        {
            self.depth += 1;
            out.extend(self.validate(&target, v, at));
            self.depth -= 1;
        }
        // Type first: the other keywords only apply to their own types.
        if let Some(t) = get(schema, "type") {
            let wanted: Vec<String> = match &t {
                Value::String(s) => vec![s.to_string()],
                Value::List(l) => l
                    .items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            if !wanted.is_empty() && !wanted.iter().any(|w| type_matches(v, w)) {
                out.push(fail(
                    at,
                    format!("got {}, want {}", json_type(v), wanted.join(" or ")),
                ));
                return out;
            }
        }
        if let Some(Value::List(e)) = get(schema, "enum")
            && !e.items.iter().any(|x| json_eq(x, v))
        {
            let primitive = e
                .items
                .iter()
                .all(|x| !matches!(x, Value::List(_) | Value::Map(_)));
            let msg = if !primitive {
                "enum failed".to_string()
            } else if e.items.len() == 1 {
                format!("value must be {}", display(&e.items[0]))
            } else {
                let want: Vec<String> = e.items.iter().map(display).collect();
                format!("value must be one of {}", want.join(", "))
            };
            out.push(fail(at, msg));
        }
        if let Some(c) = get(schema, "const")
            && !json_eq(&c, v)
        {
            out.push(fail(
                at,
                match c {
                    Value::List(_) | Value::Map(_) => "const failed".to_string(),
                    other => format!("value must be {}", display(&other)),
                },
            ));
        }
        self.numeric(schema, v, at, &mut out);
        self.string(schema, v, at, &mut out);
        self.array(schema, v, at, &mut out);
        self.object(schema, v, at, &mut out);
        self.combinators(schema, v, at, &mut out);
        out
    }

    fn numeric(&mut self, schema: &Value, v: &Value, at: &str, out: &mut Vec<Failure>) {
        let Some(n) = number(v) else { return };
        let bound = |k: &str| get(schema, k).and_then(|x| number(&x));
        let flag = |k: &str| matches!(get(schema, k), Some(Value::Bool(true)));
        if let Some(m) = bound("minimum") {
            // Draft 4: exclusiveMinimum is a boolean modifier.
            if flag("exclusiveMinimum") {
                if n <= m {
                    out.push(fail(
                        at,
                        format!("exclusiveMinimum: got {}, want {}", go_num(n), go_num(m)),
                    ));
                }
            } else if n < m {
                out.push(fail(
                    at,
                    format!("minimum: got {}, want {}", go_num(n), go_num(m)),
                ));
            }
        }
        if let Some(m) = bound("maximum") {
            if flag("exclusiveMaximum") {
                if n >= m {
                    out.push(fail(
                        at,
                        format!("exclusiveMaximum: got {}, want {}", go_num(n), go_num(m)),
                    ));
                }
            } else if n > m {
                out.push(fail(
                    at,
                    format!("maximum: got {}, want {}", go_num(n), go_num(m)),
                ));
            }
        }
        if let Some(m) = bound("exclusiveMinimum")
            && n <= m
        {
            out.push(fail(
                at,
                format!("exclusiveMinimum: got {}, want {}", go_num(n), go_num(m)),
            ));
        }
        if let Some(m) = bound("exclusiveMaximum")
            && n >= m
        {
            out.push(fail(
                at,
                format!("exclusiveMaximum: got {}, want {}", go_num(n), go_num(m)),
            ));
        }
        if let Some(m) = bound("multipleOf")
            && m > 0.0
        {
            let q = n / m;
            if (q - q.round()).abs() > 1e-9 {
                out.push(fail(
                    at,
                    format!("multipleOf: got {}, want {}", go_num(n), go_num(m)),
                ));
            }
        }
    }

    fn string(&mut self, schema: &Value, v: &Value, at: &str, out: &mut Vec<Failure>) {
        let Value::String(s) = v else { return };
        let len = s.chars().count();
        let bound = |k: &str| get(schema, k).and_then(|x| number(&x)).map(|f| f as usize);
        if let Some(m) = bound("minLength")
            && len < m
        {
            out.push(fail(at, format!("minLength: got {len}, want {m}")));
        }
        if let Some(m) = bound("maxLength")
            && len > m
        {
            out.push(fail(at, format!("maxLength: got {len}, want {m}")));
        }
        if let Some(Value::String(p)) = get(schema, "pattern")
            && let Some(re) = self.regex(&p)
            && !re.is_match(s)
        {
            out.push(fail(
                at,
                format!("{} does not match pattern {}", quote(s), quote(&p)),
            ));
        }
    }

    fn array(&mut self, schema: &Value, v: &Value, at: &str, out: &mut Vec<Failure>) {
        let Value::List(l) = v else { return };
        let items = &l.items;
        let bound = |k: &str| get(schema, k).and_then(|x| number(&x)).map(|f| f as usize);
        if let Some(m) = bound("minItems")
            && items.len() < m
        {
            out.push(fail(at, format!("minItems: got {}, want {m}", items.len())));
        }
        if let Some(m) = bound("maxItems")
            && items.len() > m
        {
            out.push(fail(at, format!("maxItems: got {}, want {m}", items.len())));
        }
        if matches!(get(schema, "uniqueItems"), Some(Value::Bool(true))) {
            'outer: for i in 0..items.len() {
                for j in i + 1..items.len() {
                    if json_eq(&items[i], &items[j]) {
                        out.push(fail(at, format!("items at {i} and {j} are equal")));
                        break 'outer;
                    }
                }
            }
        }
        // Tuple forms: `prefixItems` (2020) or `items` as an array (older drafts).
        let (tuple, rest) = match (get(schema, "prefixItems"), get(schema, "items")) {
            (Some(Value::List(p)), rest) => (Some(p.items.clone()), rest),
            (None, Some(Value::List(p))) => (Some(p.items.clone()), get(schema, "additionalItems")),
            (_, rest) => (None, rest),
        };
        let start = tuple.as_ref().map_or(0, Vec::len);
        if let Some(t) = &tuple {
            for (i, (s, item)) in t.iter().zip(items.iter()).enumerate() {
                out.extend(self.validate(s, item, &format!("{at}/{i}")));
            }
        }
        if let Some(rest) = rest {
            if matches!(rest, Value::Bool(false)) && items.len() > start {
                out.push(fail(
                    at,
                    format!("last {} additionalItem(s) not allowed", items.len() - start),
                ));
            } else {
                for (i, item) in items.iter().enumerate().skip(start) {
                    out.extend(self.validate(&rest, item, &format!("{at}/{i}")));
                }
            }
        }
        if let Some(c) = get(schema, "contains") {
            let mut causes = Vec::new();
            let mut matched = false;
            for (i, item) in items.iter().enumerate() {
                let f = self.validate(&c, item, &format!("{at}/{i}"));
                if f.is_empty() {
                    matched = true;
                    break;
                }
                causes.extend(f);
            }
            if !matched {
                out.push(Failure {
                    at: at.to_string(),
                    message: "no items match contains schema".into(),
                    causes,
                });
            }
        }
    }

    fn object(&mut self, schema: &Value, v: &Value, at: &str, out: &mut Vec<Failure>) {
        if !vals::is_table(v) {
            return;
        }
        let props = entries(v);
        if let Some(Value::List(req)) = get(schema, "required") {
            let missing: Vec<String> = req
                .items
                .iter()
                .filter_map(|r| r.as_str())
                .filter(|r| get(v, r).is_none())
                .map(quote)
                .collect();
            match missing.len() {
                0 => {}
                1 => out.push(fail(at, format!("missing property {}", missing[0]))),
                _ => out.push(fail(
                    at,
                    format!("missing properties {}", missing.join(", ")),
                )),
            }
        }
        let bound = |k: &str| get(schema, k).and_then(|x| number(&x)).map(|f| f as usize);
        if let Some(m) = bound("minProperties")
            && props.len() < m
        {
            out.push(fail(
                at,
                format!("minProperties: got {}, want {m}", props.len()),
            ));
        }
        if let Some(m) = bound("maxProperties")
            && props.len() > m
        {
            out.push(fail(
                at,
                format!("maxProperties: got {}, want {m}", props.len()),
            ));
        }
        let properties = get(schema, "properties");
        let patterns: Vec<(String, Value)> = get(schema, "patternProperties")
            .map(|p| entries(&p))
            .unwrap_or_default();
        let additional = get(schema, "additionalProperties");
        let names = get(schema, "propertyNames");
        let mut extra = Vec::new();
        for (k, val) in &props {
            let child_at = format!("{at}/{}", pointer_escape(k));
            let mut matched = false;
            if let Some(ps) = properties.as_ref().and_then(|p| get(p, k)) {
                matched = true;
                out.extend(self.validate(&ps, val, &child_at));
            }
            for (pat, ps) in &patterns {
                if self.regex(pat).is_some_and(|re| re.is_match(k)) {
                    matched = true;
                    out.extend(self.validate(ps, val, &child_at));
                }
            }
            if !matched && let Some(a) = &additional {
                match a {
                    Value::Bool(false) => extra.push(quote(k)),
                    Value::Map(_) => out.extend(self.validate(a, val, &child_at)),
                    _ => {}
                }
            }
            if let Some(n) = &names
                && !self
                    .validate(n, &Value::string(k.as_str()), &child_at)
                    .is_empty()
            {
                out.push(fail(at, format!("invalid property {}", quote(k))));
            }
        }
        if !extra.is_empty() {
            out.push(fail(
                at,
                format!("additional properties {} not allowed", extra.join(", ")),
            ));
        }
        if let Some(deps) = get(schema, "dependentRequired").or_else(|| get(schema, "dependencies"))
        {
            for (k, d) in entries(&deps) {
                if get(v, &k).is_none() {
                    continue;
                }
                match &d {
                    Value::List(l) => {
                        let missing: Vec<String> = l
                            .items
                            .iter()
                            .filter_map(|x| x.as_str())
                            .filter(|x| get(v, x).is_none())
                            .map(quote)
                            .collect();
                        if !missing.is_empty() {
                            out.push(fail(
                                at,
                                format!(
                                    "properties {} required, if {} exists",
                                    missing.join(", "),
                                    quote(&k)
                                ),
                            ));
                        }
                    }
                    Value::Map(_) | Value::Bool(_) => out.extend(self.validate(&d, v, at)),
                    _ => {}
                }
            }
        }
    }

    fn combinators(&mut self, schema: &Value, v: &Value, at: &str, out: &mut Vec<Failure>) {
        if let Some(Value::List(all)) = get(schema, "allOf") {
            for s in &all.items {
                out.extend(self.validate(s, v, at));
            }
        }
        if let Some(Value::List(any)) = get(schema, "anyOf") {
            let mut causes = Vec::new();
            let mut ok = false;
            for s in &any.items {
                let f = self.validate(s, v, at);
                if f.is_empty() {
                    ok = true;
                    break;
                }
                causes.extend(f);
            }
            if !ok {
                out.push(Failure {
                    at: at.to_string(),
                    message: "anyOf failed".into(),
                    causes,
                });
            }
        }
        if let Some(Value::List(one)) = get(schema, "oneOf") {
            let mut causes = Vec::new();
            let mut matched = Vec::new();
            for (i, s) in one.items.iter().enumerate() {
                let f = self.validate(s, v, at);
                if f.is_empty() {
                    matched.push(i);
                } else {
                    causes.extend(f);
                }
            }
            match matched.len() {
                1 => {}
                0 => out.push(Failure {
                    at: at.to_string(),
                    message: "oneOf failed, none matched".into(),
                    causes,
                }),
                _ => out.push(fail(
                    at,
                    format!(
                        "oneOf failed, subschemas {}, {} matched",
                        matched[0], matched[1]
                    ),
                )),
            }
        }
        if let Some(n) = get(schema, "not")
            && self.validate(&n, v, at).is_empty()
        {
            out.push(fail(at, "not failed"));
        }
        if let Some(cond) = get(schema, "if") {
            let branch = if self.validate(&cond, v, at).is_empty() {
                "then"
            } else {
                "else"
            };
            if let Some(b) = get(schema, branch) {
                out.extend(self.validate(&b, v, at));
            }
        }
    }
}

fn render(failures: &[Failure], indent: usize, out: &mut String) {
    for f in failures {
        out.push_str(&"  ".repeat(indent));
        out.push_str(&format!("- at {}: {}\n", quote(&f.at), f.message));
        render(&f.causes, indent + 1, out);
    }
}

/// Validate `values` against one schema document; `Err` holds the failure lines (each
/// ending in a newline).
pub fn validate_single(values: &Value, schema_json: &[u8]) -> std::result::Result<(), String> {
    let text = String::from_utf8_lossy(schema_json);
    let schema = kspm_godata::json::unmarshal(&text)?;
    let mut v = Validator {
        root: &schema,
        regexes: BTreeMap::new(),
        depth: 0,
    };
    let failures = v.validate(&schema, values, "");
    if failures.is_empty() {
        return Ok(());
    }
    let mut out = String::new();
    render(&failures, 0, &mut out);
    Err(out)
}

/// Helm's `ValidateAgainstSchema` over the chart tree: each chart's schema checks its
/// own section of the coalesced values.
fn validate_tree(chart: &Chart, values: &Value, out: &mut String) {
    if let Some(schema) = &chart.schema
        && let Err(e) = validate_single(values, schema)
    {
        out.push_str(&format!("{}:\n{e}", chart.name()));
    }
    for sub in &chart.dependencies {
        // Missing or null subchart values are not validated (Helm skips them).
        match get(values, sub.name()) {
            None | Some(Value::Nil) | Some(Value::Invalid) => {}
            Some(section) => validate_tree(sub, &section, out),
        }
    }
}

/// Validate coalesced values against every schema of the chart tree, with Helm's error.
pub fn validate_values(chart: &Chart, values: &Value) -> Result<()> {
    let mut out = String::new();
    validate_tree(chart, values, &mut out);
    if out.is_empty() {
        Ok(())
    } else {
        Err(Error::new(format!(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n{out}"
        )))
    }
}
