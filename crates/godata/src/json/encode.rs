//! encoding/json Marshal over [`Value`]: sorted map keys, Go's float text, `[]byte` as
//! base64, HTML-safe escaping unless turned off, MarshalIndent's layout.

use std::sync::RwLock;

use kspm_gotmpl::{FloatKind, Object, Value};

use crate::{base64, gofloat};

/// Turns a Go struct or named type into the value encoding/json would marshal: a map of
/// its exported fields (by their JSON names), or what its `MarshalJSON`/`MarshalText`
/// yields (`time.Time` → an RFC 3339 string). `None`: not a type this hook knows.
pub type ObjectMarshaler = fn(&dyn Object) -> Option<Result<Value, String>>;

static OBJECT_MARSHALERS: RwLock<Vec<ObjectMarshaler>> = RwLock::new(Vec::new());

/// Registers a hook that JSON, YAML and TOML encoders ask for [`Value::Object`]s, in
/// registration order. Crates that define objects (time values, Helm's structs) register
/// theirs once at start-up.
pub fn register_object_marshaler(hook: ObjectMarshaler) {
    if let Ok(mut hooks) = OBJECT_MARSHALERS.write()
        && !hooks.iter().any(|h| std::ptr::fn_addr_eq(*h, hook))
    {
        hooks.push(hook);
    }
}

/// The plain value an object marshals as, through the registered hooks.
pub fn object_value(obj: &dyn Object) -> Result<Value, String> {
    let hooks = OBJECT_MARSHALERS
        .read()
        .map(|h| h.clone())
        .unwrap_or_default();
    for hook in hooks {
        if let Some(result) = hook(obj) {
            return result;
        }
    }
    Err(format!("json: unsupported type: {}", obj.type_name()))
}

/// Writes `s` as a JSON string literal the way encoding/json does.
pub fn write_string(out: &mut String, s: &str, escape_html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => push_u(out, c as u32),
            '\u{2028}' | '\u{2029}' => push_u(out, c as u32),
            c if (c as u32) < 0x20 => push_u(out, c as u32),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_u(out: &mut String, cp: u32) {
    out.push_str(&format!("\\u{cp:04x}"));
}

/// Compact JSON of `v`.
pub fn encode(v: &Value, escape_html: bool) -> Result<String, String> {
    let mut out = String::new();
    write_value(&mut out, v, escape_html, 0)?;
    Ok(out)
}

// Go stops cycles at 1000 nested pointers; our maps can be cyclic through `set`.
const MAX_DEPTH: usize = 1000;

fn write_value(out: &mut String, v: &Value, esc: bool, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "json: unsupported value: encountered a cycle via {}",
            v.type_name()
        ));
    }
    match v {
        Value::Invalid | Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i, _) => out.push_str(&i.to_string()),
        Value::Uint(u, _) => out.push_str(&u.to_string()),
        Value::Float(f, kind) => {
            let bits32 = *kind == FloatKind::Float32;
            match gofloat::format_json(*f, bits32) {
                Some(s) => out.push_str(&s),
                None => {
                    return Err(format!(
                        "json: unsupported value: {}",
                        gofloat::format_g(*f, bits32)
                    ));
                }
            }
        }
        Value::String(s) => write_string(out, s, esc),
        Value::Bytes(b) => {
            out.push('"');
            out.push_str(&base64::encode(b));
            out.push('"');
        }
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item, esc, depth + 1)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            let m = m
                .try_borrow()
                .map_err(|_| "json: map is being modified".to_string())?;
            out.push('{');
            for (i, (k, item)) in m.entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k, esc);
                out.push(':');
                write_value(out, item, esc, depth + 1)?;
            }
            out.push('}');
        }
        Value::Object(o) => {
            let plain = object_value(o.as_ref())?;
            write_value(out, &plain, esc, depth + 1)?;
        }
    }
    Ok(())
}

/// Go's `json.Indent` of compact JSON: one element per line, `prefix` after each newline,
/// `indent` per level, empty arrays and objects kept as `[]` and `{}`.
pub fn indent(compact: &str, prefix: &str, indent: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut need_indent = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(prefix);
        for _ in 0..depth {
            out.push_str(indent);
        }
    };
    for c in compact.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if need_indent && c != ']' && c != '}' {
            need_indent = false;
            depth += 1;
            newline(&mut out, depth);
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '[' | '{' => {
                out.push(c);
                need_indent = true;
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            ']' | '}' => {
                if need_indent {
                    need_indent = false;
                } else {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}
