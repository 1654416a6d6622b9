//! BurntSushi/toml's Encoder output for Helm's `toToml`: keys with plain values first,
//! then sub-tables, each group sorted; `[a.b]` headers and keys indented two spaces per
//! level below the top; arrays of maps as `[[a]]`; floats always with a decimal point.

use kspm_gotmpl::{FloatKind, Value};

use crate::{gofloat, json};

const INDENT: &str = "  ";

struct Encoder {
    out: String,
    /// Nesting of maps and lists being written; cyclic maps (possible through `set`) would
    /// otherwise recurse forever.
    depth: usize,
}

const MAX_DEPTH: usize = 200;

/// A value with objects already replaced by what they marshal as.
fn plain(v: &Value) -> Result<Value, String> {
    match v {
        Value::Object(o) => json::object_value(o.as_ref()),
        other => Ok(other.clone()),
    }
}

fn is_nil(v: &Value) -> bool {
    matches!(v, Value::Nil | Value::Invalid)
}

/// BurntSushi's classification: does this value become a table (`[k]` or `[[k]]`)?
fn is_table(v: &Value) -> Result<bool, String> {
    Ok(match plain(v)? {
        Value::Map(_) => true,
        Value::List(l) => array_of_tables(&l.items)?,
        _ => false,
    })
}

/// An array is an array of tables when its first element is a map; any nil element makes
/// the array unencodable.
fn array_of_tables(items: &[Value]) -> Result<bool, String> {
    if items.is_empty() {
        return Ok(false);
    }
    if items.iter().any(is_nil) {
        return Err("toml: cannot encode array with nil element".into());
    }
    Ok(matches!(plain(&items[0])?, Value::Map(_)))
}

fn bare_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key_part(k: &str) -> String {
    if k.is_empty() {
        return "\"\"".into();
    }
    if k.chars().all(bare_key_char) {
        k.to_string()
    } else {
        quoted(k)
    }
}

fn key_path(key: &[String]) -> String {
    key.iter()
        .map(|k| key_part(k))
        .collect::<Vec<_>>()
        .join(".")
}

fn indent_for(key: &[String]) -> String {
    INDENT.repeat(key.len().saturating_sub(1))
}

impl Encoder {
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    fn encode(&mut self, key: &mut Vec<String>, v: &Value) -> Result<(), String> {
        let v = plain(v)?;
        match &v {
            Value::Nil | Value::Invalid => Ok(()),
            Value::Map(_) => self.table(key, &v),
            Value::List(l) if array_of_tables(&l.items)? => {
                if key.is_empty() {
                    return Err("toml: top-level values must be Go maps or structs".into());
                }
                for item in &l.items {
                    self.newline();
                    self.out
                        .push_str(&format!("{}[[{}]]", indent_for(key), key_path(key)));
                    self.newline();
                    let item = plain(item)?;
                    match &item {
                        Value::Map(_) => self.map_body(key, &item, false)?,
                        other => {
                            return Err(format!(
                                "toml: cannot encode {} in an array of tables",
                                other.type_name()
                            ));
                        }
                    }
                }
                Ok(())
            }
            _ => self.key_value(key, &v, false),
        }
    }

    fn table(&mut self, key: &mut Vec<String>, v: &Value) -> Result<(), String> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            self.out
                .push_str(&format!("{}[{}]", indent_for(key), key_path(key)));
            self.newline();
        }
        self.map_body(key, v, false)
    }

    fn map_body(&mut self, key: &mut Vec<String>, v: &Value, inline: bool) -> Result<(), String> {
        self.depth += 1;
        let r = self.map_body_inner(key, v, inline);
        self.depth -= 1;
        r
    }

    fn map_body_inner(
        &mut self,
        key: &mut Vec<String>,
        v: &Value,
        inline: bool,
    ) -> Result<(), String> {
        if self.depth > MAX_DEPTH {
            return Err("toml: value nests too deeply (a map containing itself?)".into());
        }
        let Value::Map(m) = v else {
            return Ok(());
        };
        let entries: Vec<(String, Value)> = m
            .borrow()
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in entries {
            if is_table(&v)? {
                sub.push((k, v));
            } else {
                direct.push((k, v));
            }
        }
        if inline {
            self.out.push('{');
        }
        let has_sub = !sub.is_empty();
        for (group, trailing_comma) in [(direct, has_sub), (sub, false)] {
            let n = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if is_nil(&v) {
                    continue;
                }
                if inline {
                    self.key_value(&[k], &v, true)?;
                    if trailing_comma || i + 1 != n {
                        self.out.push_str(", ");
                    }
                } else {
                    key.push(k);
                    let r = self.encode(key, &v);
                    key.pop();
                    r?;
                }
            }
        }
        if inline {
            self.out.push('}');
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), String> {
        let Some(last) = key.last() else {
            return Err("toml: top-level values must be Go maps or structs".into());
        };
        self.out
            .push_str(&format!("{}{} = ", indent_for(key), key_part(last)));
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn element(&mut self, v: &Value) -> Result<(), String> {
        let v = plain(v)?;
        match &v {
            Value::String(s) => self.out.push_str(&quoted(s)),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, _) => self.out.push_str(&i.to_string()),
            Value::Uint(u, _) => self.out.push_str(&u.to_string()),
            Value::Float(f, kind) => {
                if f.is_nan() {
                    if f.is_sign_negative() {
                        self.out.push('-');
                    }
                    self.out.push_str("nan");
                } else if f.is_infinite() {
                    if *f < 0.0 {
                        self.out.push('-');
                    }
                    self.out.push_str("inf");
                } else {
                    let s = gofloat::format(*f, 'f', *kind == FloatKind::Float32);
                    self.out.push_str(&s);
                    if !s.contains('.') {
                        self.out.push_str(".0");
                    }
                }
            }
            Value::Bytes(b) => {
                let parts: Vec<String> = b.iter().map(|x| x.to_string()).collect();
                self.out.push_str(&format!("[{}]", parts.join(", ")));
            }
            Value::List(l) => {
                if l.items.iter().any(is_nil) {
                    return Err("toml: cannot encode array with nil element".into());
                }
                if self.depth > MAX_DEPTH {
                    return Err("toml: value nests too deeply".into());
                }
                self.depth += 1;
                self.out.push('[');
                for (i, item) in l.items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let r = self.element(item);
                    if r.is_err() {
                        self.depth -= 1;
                    }
                    r?;
                }
                self.depth -= 1;
                self.out.push(']');
            }
            Value::Map(_) => self.map_body(&mut Vec::new(), &v, true)?,
            Value::Nil | Value::Invalid => {
                return Err("toml: cannot encode array with nil element".into());
            }
            Value::Object(o) => {
                return Err(format!("unexpected primitive type: {}", o.type_name()));
            }
        }
        Ok(())
    }
}

/// `toml.NewEncoder(w).Encode(v)`.
pub fn marshal(v: &Value) -> Result<String, String> {
    let mut enc = Encoder {
        out: String::new(),
        depth: 0,
    };
    let v = plain(v)?;
    match &v {
        Value::Map(_) => enc.encode(&mut Vec::new(), &v)?,
        _ => return Err("toml: top-level values must be Go maps or structs".into()),
    }
    Ok(enc.out)
}
