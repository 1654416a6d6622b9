//! Helm's `--set` family (Helm's strvals package): `a.b=c,d[0]=e,f={x,y}` with backslash
//! escapes, typed values for `--set`, strings for `--set-string`, JSON values for
//! `--set-json`, file contents for `--set-file`, and the unparsed rest of the argument for
//! `--set-literal`. Errors carry Helm's texts; callers add Helm's `failed parsing --set
//! data: ` prefix.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::strconv::{quote, quote_rune};
use kspm_gotmpl::{List, Map, Value};

use crate::json;

/// The largest list index Helm accepts.
pub const MAX_INDEX: i64 = 65536;
/// The deepest `a.b.c` nesting Helm accepts.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// Which flag the argument came from.
pub enum Kind<'a> {
    /// `--set`: `true`/`false` (any case) → bool, `null` → nil, integers → int64, else
    /// string.
    Typed,
    /// `--set-string`.
    String,
    /// `--set-json`: each value is a JSON document.
    Json,
    /// `--set-literal`: the value is everything after the first `=`.
    Literal,
    /// `--set-file`: the reader turns the value (a path) into the value to set.
    File(&'a mut dyn FnMut(&str) -> Result<Value, String>),
}

/// Parses `s` into a new `map[string]interface {}`.
pub fn parse(s: &str, kind: Kind) -> Result<Value, String> {
    let dest = Value::map(BTreeMap::new());
    parse_into(s, &dest, kind)?;
    Ok(dest)
}

/// Parses `s` into `dest` (a map value), changing it in place as Helm does, including the
/// keys set before an error.
pub fn parse_into(s: &str, dest: &Value, kind: Kind) -> Result<(), String> {
    let Value::Map(map) = dest else {
        return Err(format!(
            "strvals: destination must be a map, not {}",
            dest.type_name()
        ));
    };
    let mut p = Parser {
        chars: s.chars().collect(),
        pos: 0,
        kind,
    };
    loop {
        let result = if matches!(p.kind, Kind::Literal) {
            p.literal_key(map, 0)
        } else {
            p.key(map, 0)
        };
        match result {
            Ok(()) => continue,
            Err(Fail::Eof) => return Ok(()),
            Err(Fail::Msg(m)) => return Err(m),
            Err(Fail::Panic(m)) => return Err(format!("unable to parse key: {m}")),
        }
    }
}

/// How a step fails: the reader ran out (Go's `io.EOF`, which ends parsing quietly at the
/// top), an error, or what Go raises as a panic (a failed type assertion), which the
/// nearest key parser turns into `unable to parse key: ...`.
enum Fail {
    Eof,
    Msg(String),
    Panic(String),
}

impl Fail {
    fn text(&self) -> String {
        match self {
            Fail::Eof => "EOF".to_string(),
            Fail::Msg(m) | Fail::Panic(m) => m.clone(),
        }
    }
}

type Res<T> = Result<T, Fail>;

fn msg(m: impl Into<String>) -> Fail {
    Fail::Msg(m.into())
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    kind: Kind<'a>,
}

type MapRef = Rc<RefCell<Map>>;

fn new_map() -> MapRef {
    Rc::new(RefCell::new(Map {
        type_name: Rc::from("map[string]interface {}"),
        entries: BTreeMap::new(),
    }))
}

fn list_value(items: Vec<Value>) -> Value {
    Value::List(Rc::new(List {
        type_name: Rc::from("[]interface {}"),
        items,
    }))
}

/// Go's name of a value's dynamic type in a failed `interface {}` assertion.
fn dyn_type(v: &Value) -> String {
    match v {
        Value::Invalid | Value::Nil => "nil".to_string(),
        other => other.type_name(),
    }
}

fn assert_panic(v: &Value, want: &str) -> Fail {
    Fail::Panic(format!(
        "interface conversion: interface {{}} is {}, not {want}",
        dyn_type(v)
    ))
}

/// `v.([]interface{})`.
fn as_list(v: &Value) -> Res<Vec<Value>> {
    match v {
        Value::List(l) if &*l.type_name == "[]interface {}" => Ok(l.items.clone()),
        other => Err(assert_panic(other, "[]interface {}")),
    }
}

/// `v.(map[string]interface{})`.
fn as_map(v: &Value) -> Option<MapRef> {
    match v {
        Value::Map(m) if &*m.borrow().type_name == "map[string]interface {}" => Some(m.clone()),
        _ => None,
    }
}

fn set(data: &MapRef, key: &str, val: Value) {
    if key.is_empty() {
        return;
    }
    data.borrow_mut().entries.insert(key.to_string(), val);
}

fn get(data: &MapRef, key: &str) -> Option<Value> {
    data.borrow().entries.get(key).cloned()
}

fn set_index(
    mut list: Vec<Value>,
    index: i64,
    val: Value,
) -> Result<Vec<Value>, (Vec<Value>, Fail)> {
    if index < 0 {
        return Err((list, msg(format!("negative {index} index not allowed"))));
    }
    if index > MAX_INDEX {
        return Err((
            list,
            msg(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            )),
        ));
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = val;
    Ok(list)
}

/// Go's `strconv.Atoi`.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            quote(s)
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", quote(s)))
}

/// `%q` of a `[]rune`: each rune quoted, in brackets.
fn quote_runes(rs: &[char]) -> String {
    let parts: Vec<String> = rs.iter().map(|c| quote_rune(*c, false)).collect();
    format!("[{}]", parts.join(" "))
}

/// `typedVal`: the value `--set` (or, with `as_string`, `--set-string`) gives the text.
pub fn typed_val(text: &str, as_string: bool) -> Value {
    if text.is_empty() {
        return Value::string("");
    }
    if as_string {
        return Value::string(text);
    }
    if text.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if text == "0" {
        return Value::int64(0);
    }
    if !text.starts_with('0')
        && let Ok(i) = text.parse::<i64>()
    {
        return Value::int64(i);
    }
    Value::string(text)
}

impl Parser<'_> {
    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// Reads until a stop rune (consumed and returned) or the end (`Eof`); a backslash
    /// takes the next rune literally.
    fn runes_until(&mut self, stop: &[char]) -> (Vec<char>, Option<char>) {
        let mut v = Vec::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    /// Like `runes_until` without escapes (`--set-literal`).
    fn runes_until_literal(&mut self, stop: &[char]) -> (Vec<char>, Option<char>) {
        let mut v = Vec::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some(c) => v.push(c),
            }
        }
    }

    fn read_value(&mut self, rs: &[char]) -> Res<Value> {
        let text: String = rs.iter().collect();
        match &mut self.kind {
            Kind::Typed => Ok(typed_val(&text, false)),
            Kind::String => Ok(typed_val(&text, true)),
            Kind::File(reader) => reader(&text).map_err(Fail::Msg),
            Kind::Json | Kind::Literal => Ok(Value::string(text)),
        }
    }

    fn key(&mut self, data: &MapRef, level: usize) -> Res<()> {
        self.key_inner(data, level).map_err(|e| match e {
            Fail::Panic(m) => msg(format!("unable to parse key: {m}")),
            other => other,
        })
    }

    fn key_inner(&mut self, data: &MapRef, level: usize) -> Res<()> {
        let (k, last) = self.runes_until(&['=', '[', ',', '.']);
        let key: String = k.iter().collect();
        match last {
            None => {
                if k.is_empty() {
                    return Err(Fail::Eof);
                }
                Err(msg(format!("key {} has no value", quote(&key))))
            }
            Some('[') => {
                let i = self
                    .key_index(false)
                    .map_err(|e| msg(format!("error parsing index: {}", e.text())))?;
                let list = match get(data, &key) {
                    Some(v) => as_list(&v)?,
                    None => Vec::new(),
                };
                match self.list_item(list, i, level) {
                    Ok(list) => {
                        set(data, &key, list_value(list));
                        Ok(())
                    }
                    Err((Some(list), e)) => {
                        set(data, &key, list_value(list));
                        Err(e)
                    }
                    Err((None, e)) => Err(e),
                }
            }
            Some('=') => {
                if matches!(self.kind, Kind::Json) {
                    if self.empty_val() {
                        set(data, &key, Value::Nil);
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &key, v);
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => {
                        set(data, &key, list_value(vl));
                        Ok(())
                    }
                    Err(ListFail::Eof) => {
                        set(data, &key, Value::string(""));
                        Err(Fail::Eof)
                    }
                    Err(ListFail::NotList) => {
                        let (rs, _) = self.runes_until(&[',']);
                        // Helm stores the reader's result (nil on failure) either way.
                        match self.read_value(&rs) {
                            Ok(v) => {
                                set(data, &key, v);
                                Ok(())
                            }
                            Err(e) => {
                                set(data, &key, Value::Nil);
                                Err(e)
                            }
                        }
                    }
                    Err(ListFail::Other(e)) => Err(e),
                }
            }
            Some(',') => {
                set(data, &key, Value::string(""));
                Err(msg(format!(
                    "key {} has no value (cannot end with ,)",
                    quote(&key)
                )))
            }
            Some(_) => {
                // '.': a nested map.
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(msg(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let inner = match get(data, &key) {
                    Some(v) => {
                        as_map(&v).ok_or_else(|| assert_panic(&v, "map[string]interface {}"))?
                    }
                    None => new_map(),
                };
                let e = self.key(&inner, level);
                let empty = inner.borrow().entries.is_empty();
                if e.is_ok() && empty {
                    return Err(msg(format!("key map {} has no value", quote(&key))));
                }
                if !empty {
                    set(data, &key, Value::Map(inner));
                }
                e
            }
        }
    }

    /// Reads the index after `[` up to `]`.
    fn key_index(&mut self, literal: bool) -> Res<i64> {
        let (v, last) = if literal {
            self.runes_until_literal(&[']'])
        } else {
            self.runes_until(&[']'])
        };
        if last.is_none() {
            return Err(Fail::Eof);
        }
        let text: String = v.iter().collect();
        atoi(&text).map_err(Fail::Msg)
    }

    /// Sets item `i` of `list` from what follows `]`. On failure the list to store (if
    /// Helm stores one) comes back with the error.
    fn list_item(
        &mut self,
        list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> Result<Vec<Value>, (Option<Vec<Value>>, Fail)> {
        if i < 0 {
            return Err((Some(list), msg(format!("negative {i} index not allowed"))));
        }
        let literal = matches!(self.kind, Kind::Literal);
        let (k, last) = if literal {
            self.runes_until_literal(&['[', '.', '='])
        } else {
            self.runes_until(&['[', '.', '='])
        };
        if !k.is_empty() {
            return Err((
                Some(list),
                msg(format!(
                    "unexpected data at end of array index: {}",
                    quote_runes(&k)
                )),
            ));
        }
        let stored = |r: Result<Vec<Value>, (Vec<Value>, Fail)>| r.map_err(|(l, e)| (Some(l), e));
        match last {
            None => Err((Some(list), Fail::Eof)),
            Some('=') => {
                if literal {
                    let (v, _) = self.runes_until_literal(&[]);
                    return stored(set_index(
                        list,
                        i,
                        Value::string(v.iter().collect::<String>()),
                    ));
                }
                if matches!(self.kind, Kind::Json) {
                    if self.empty_val() {
                        return stored(set_index(list, i, Value::Nil));
                    }
                    let v = match self.json_value() {
                        Ok(v) => v,
                        Err(e) => return Err((Some(list), e)),
                    };
                    let list = stored(set_index(list, i, v))?;
                    self.empty_val();
                    return Ok(list);
                }
                match self.val_list() {
                    Ok(vl) => stored(set_index(list, i, list_value(vl))),
                    Err(ListFail::Eof) => stored(set_index(list, i, Value::string(""))),
                    Err(ListFail::NotList) => {
                        let (rs, _) = self.runes_until(&[',']);
                        match self.read_value(&rs) {
                            Ok(v) => stored(set_index(list, i, v)),
                            Err(e) => Err((Some(list), e)),
                        }
                    }
                    Err(ListFail::Other(e)) => Err((Some(list), e)),
                }
            }
            Some('[') => {
                let next = match self.key_index(literal) {
                    Ok(n) => n,
                    Err(e) => {
                        return Err((
                            Some(list),
                            msg(format!("error parsing index: {}", e.text())),
                        ));
                    }
                };
                let current = match list.get(i as usize) {
                    Some(Value::Nil) | None => Vec::new(),
                    Some(v) => match as_list(v) {
                        Ok(l) => l,
                        Err(e) => return Err((None, e)),
                    },
                };
                match self.list_item(current, next, level) {
                    Ok(inner) => stored(set_index(list, i, list_value(inner))),
                    Err((_, e @ Fail::Panic(_))) => Err((None, e)),
                    Err((_, e)) => Err((Some(list), e)),
                }
            }
            Some(_) => {
                // '.': a map inside the list.
                let mut list = list;
                let inner = match list.get(i as usize) {
                    None => new_map(),
                    Some(v) => match as_map(v) {
                        Some(m) => m,
                        None => {
                            // Indices out of order: start an empty map here.
                            let m = new_map();
                            list[i as usize] = Value::Map(m.clone());
                            m
                        }
                    },
                };
                let r = if literal {
                    self.literal_key(&inner, level)
                } else {
                    self.key(&inner, level)
                };
                if let Err(e) = r {
                    return Err((Some(list), e));
                }
                stored(set_index(list, i, Value::Map(inner)))
            }
        }
    }

    /// Skips blanks up to a comma (consumed) or the end: `true` when no value follows.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None | Some(',') => return true,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    /// Decodes one JSON value from the rest of the input as `json.Decoder` does and
    /// consumes exactly its text.
    fn json_value(&mut self) -> Res<Value> {
        let rest: String = self.chars[self.pos..].iter().collect();
        let (node, used) = json::parse_prefix(&rest, json::EofStyle::Decoder).map_err(Fail::Msg)?;
        self.pos += rest[..used].chars().count();
        json::node_to_value(&node).map_err(Fail::Msg)
    }

    /// `{a,b}` as a list; `NotList` when the value does not start with `{`.
    fn val_list(&mut self) -> Result<Vec<Value>, ListFail> {
        match self.read() {
            None => return Err(ListFail::Eof),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(ListFail::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.runes_until(&[',', '}']);
            match last {
                None => {
                    return Err(ListFail::Other(msg("list must terminate with '}'")));
                }
                Some('}') => {
                    if let Some(c) = self.read()
                        && c != ','
                    {
                        self.unread();
                    }
                    let v = self.read_value(&rs).map_err(ListFail::Other)?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.read_value(&rs).map_err(ListFail::Other)?;
                    list.push(v);
                }
            }
        }
    }

    /// `--set-literal`'s key parser: no escapes, no commas, the value runs to the end.
    fn literal_key(&mut self, data: &MapRef, level: usize) -> Res<()> {
        self.literal_key_inner(data, level).map_err(|e| match e {
            Fail::Panic(m) => msg(format!("unable to parse key: {m}")),
            other => other,
        })
    }

    fn literal_key_inner(&mut self, data: &MapRef, level: usize) -> Res<()> {
        let (k, last) = self.runes_until_literal(&['=', '[', '.']);
        let key: String = k.iter().collect();
        match last {
            None => {
                if k.is_empty() {
                    return Err(Fail::Eof);
                }
                Err(msg(format!("key {} has no value", quote(&key))))
            }
            Some('=') => {
                let (v, _) = self.runes_until_literal(&[]);
                set(data, &key, Value::string(v.iter().collect::<String>()));
                Ok(())
            }
            Some('.') => {
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(msg(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let inner = match get(data, &key) {
                    Some(v) => {
                        as_map(&v).ok_or_else(|| assert_panic(&v, "map[string]interface {}"))?
                    }
                    None => new_map(),
                };
                let e = self.literal_key(&inner, level);
                let empty = inner.borrow().entries.is_empty();
                if e.is_ok() && empty {
                    return Err(msg(format!("key map {} has no value", quote(&key))));
                }
                if !empty {
                    set(data, &key, Value::Map(inner));
                }
                e
            }
            Some(_) => {
                let i = self
                    .key_index(true)
                    .map_err(|e| msg(format!("error parsing index: {}", e.text())))?;
                let list = match get(data, &key) {
                    Some(v) => as_list(&v)?,
                    None => Vec::new(),
                };
                match self.list_item(list, i, level) {
                    Ok(list) => {
                        set(data, &key, list_value(list));
                        Ok(())
                    }
                    Err((Some(list), e)) => {
                        set(data, &key, list_value(list));
                        Err(e)
                    }
                    Err((None, e)) => Err(e),
                }
            }
        }
    }
}

enum ListFail {
    Eof,
    NotList,
    Other(Fail),
}

#[cfg(test)]
mod tests;
