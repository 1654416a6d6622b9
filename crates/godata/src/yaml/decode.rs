//! YAML text → the value sigs.k8s.io/yaml's Unmarshal hands back: go-yaml v2 decodes into
//! `interface{}` (anchors, merge keys, YAML 1.1 typing), keys become strings, and the JSON
//! round trip turns every number into float64.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use kspm_gotmpl::Value;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::resolve::{Resolved, resolve_plain};
use crate::{base64, gofloat};

/// A YAML node of the first document, aliases already pointing at their anchors.
#[derive(Debug)]
enum Node {
    Scalar {
        value: String,
        plain: bool,
        tag: Option<String>,
    },
    Seq(Vec<Rc<Node>>),
    Map(Vec<(Rc<Node>, Rc<Node>)>),
    /// A `*name` reference to an anchored node.
    Alias(Rc<Node>),
}

/// The Go value go-yaml v2 builds for `interface{}`, keys already made strings by
/// sigs.k8s.io/yaml.
#[derive(Clone, Debug)]
pub enum GoValue {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<GoValue>),
    Map(BTreeMap<String, GoValue>),
}

/// Errors from the YAML stage, already in Go's words, and which prefix Helm's message gets.
#[derive(Debug)]
pub enum DecodeError {
    /// go-yaml's own errors: `yaml: line 2: ...`.
    Yaml(String),
    /// sigs.k8s.io/yaml's key conversion or json.Marshal failures.
    Convert(String),
}

/// Parses the first document of `text` into go-yaml v2's value.
pub fn decode(text: &str) -> Result<GoValue, DecodeError> {
    let Some(root) = build(text)? else {
        return Ok(GoValue::Nil);
    };
    to_go(&root)
}

struct Builder {
    anchors: HashMap<usize, Rc<Node>>,
    stack: Vec<Frame>,
}

enum Frame {
    Seq(usize, Vec<Rc<Node>>),
    Map(usize, Vec<Rc<Node>>),
}

fn tag_name(tag: Option<&Tag>) -> Option<String> {
    let tag = tag?;
    let core = "tag:yaml.org,2002:";
    if tag.handle == core || tag.handle == "!!" {
        return Some(format!("!!{}", tag.suffix));
    }
    if let Some(rest) = tag.suffix.strip_prefix(core) {
        return Some(format!("!!{rest}"));
    }
    Some(format!("{}{}", tag.handle, tag.suffix))
}

/// Parses, tolerating what go-yaml accepts and saphyr refuses: a tab right after the `:`
/// of a simple key (go-yaml skips tabs there). Each retry turns such tabs into spaces,
/// which changes no value.
fn build(text: &str) -> Result<Option<Rc<Node>>, DecodeError> {
    let mut current = text.to_string();
    let mut retries = 0;
    loop {
        let err = match build_once(&current) {
            Ok(root) => return Ok(root),
            Err(BuildError::Decode(e)) => return Err(e),
            Err(BuildError::Scan(e)) => e,
        };
        let at = err.marker().index();
        let info = err.info();
        let fixed = retries < MAX_RETRIES
            && ((info.contains("':' must be followed by") && untab_after_colon(&mut current, at))
                || (info.contains("invalid indentation") && indent_line(&mut current, at, info)));
        if !fixed {
            return Err(DecodeError::Yaml(scan_error(&err, &current)));
        }
        retries += 1;
    }
}

/// Each tolerated construct costs a re-parse; real files need a handful.
const MAX_RETRIES: usize = 256;

/// Replaces the tabs that follow the `:` at or before char index `at`; `false` when there
/// are none.
fn untab_after_colon(text: &mut String, at: usize) -> bool {
    let mut chars: Vec<char> = text.chars().collect();
    let start = at.min(chars.len().saturating_sub(1));
    let Some(colon) = (start.saturating_sub(3)..=start)
        .rev()
        .find(|&i| chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&'\t'))
    else {
        return false;
    };
    let mut i = colon + 1;
    while chars.get(i).is_some_and(|c| *c == '\t' || *c == ' ') {
        chars[i] = ' ';
        i += 1;
    }
    *text = chars.into_iter().collect();
    true
}

/// go-yaml does not check indentation inside flow collections or of a quoted scalar's
/// continuation lines; saphyr does. Indenting the offending line one more space changes
/// nothing there (the line's leading blanks are insignificant), so do that when the line
/// is inside a flow collection or a quoted scalar.
fn indent_line(text: &mut String, at: usize, info: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let at = at.min(chars.len());
    let line_start = chars[..at]
        .iter()
        .rposition(|c| *c == '\n')
        .map_or(0, |p| p + 1);
    if info.contains("quoted scalar") {
        return indent_quoted(text, &chars, at, line_start);
    }
    let safe = info.contains("flow") || flow_depth(&chars[..line_start]) > 0;
    if !safe {
        return false;
    }
    let byte = chars[..line_start]
        .iter()
        .map(|c| c.len_utf8())
        .sum::<usize>();
    text.insert(byte, ' ');
    true
}

/// Indents every continuation line of the quoted scalar opening at char `at` one column
/// past the line it starts on (saphyr points at the opening quote).
fn indent_quoted(text: &mut String, chars: &[char], at: usize, line_start: usize) -> bool {
    let Some(&q) = chars.get(at).filter(|c| **c == '"' || **c == '\'') else {
        return false;
    };
    let parent = chars[line_start..]
        .iter()
        .take_while(|c| **c == ' ')
        .count();
    let mut out: String = chars[..=at].iter().collect();
    let mut i = at + 1;
    let mut changed = false;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if q == '"' && c == '\\' {
            if let Some(&n) = chars.get(i) {
                out.push(n);
                i += 1;
            }
            continue;
        }
        if c == q {
            if q == '\'' && chars.get(i) == Some(&'\'') {
                out.push('\'');
                i += 1;
                continue;
            }
            break;
        }
        if c == '\n' {
            let lead = chars[i..].iter().take_while(|c| **c == ' ').count();
            let rest_blank = chars[i..]
                .iter()
                .take_while(|c| **c == ' ' || **c == '\t')
                .count();
            let empty_line = chars.get(i + rest_blank).is_none_or(|c| *c == '\n');
            if lead <= parent && !empty_line {
                out.extend(std::iter::repeat_n(' ', parent + 1 - lead));
                changed = true;
            }
        }
    }
    out.extend(chars[i..].iter());
    if changed {
        *text = out;
    }
    changed
}

/// How many flow collections are open at the end of `text`, by a light scan: quotes and
/// brackets count only where a value can start, comments are skipped.
fn flow_depth(text: &[char]) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut prev: Option<char> = None; // last non-blank character on this line
    let mut blank_before = true;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if let Some(q) = quote {
            if c == '\\' && q == '"' {
                i += 2;
                continue;
            }
            if c == q {
                if q == '\'' && text.get(i + 1) == Some(&'\'') {
                    i += 2;
                    continue;
                }
                quote = None;
                prev = Some(c);
            }
            i += 1;
            continue;
        }
        let value_start = match prev {
            None => true,
            Some(':' | '-' | '?') => blank_before,
            Some('[' | '{' | ',') => true,
            _ => false,
        } || (depth > 0 && matches!(prev, Some(':')));
        match c {
            '\n' => {
                prev = None;
                blank_before = true;
                i += 1;
                continue;
            }
            ' ' | '\t' => {
                blank_before = true;
                i += 1;
                continue;
            }
            '#' if blank_before => {
                while i < text.len() && text[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '"' | '\'' if value_start => quote = Some(c),
            '[' | '{' if value_start || depth > 0 => depth += 1,
            ']' | '}' if depth > 0 => depth -= 1,
            _ => {}
        }
        prev = Some(c);
        blank_before = false;
        i += 1;
    }
    depth
}

enum BuildError {
    Scan(ScanError),
    Decode(DecodeError),
}

fn build_once(text: &str) -> Result<Option<Rc<Node>>, BuildError> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        anchors: HashMap::new(),
        stack: Vec::new(),
    };
    let mut root: Option<Rc<Node>> = None;
    while let Some(next) = parser.next_event() {
        let (event, _span) = next.map_err(BuildError::Scan)?;
        let node = match event {
            Event::StreamEnd => break,
            Event::DocumentEnd => {
                if root.is_some() {
                    break;
                }
                continue;
            }
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) => continue,
            Event::Alias(id) => match b.anchors.get(&id) {
                Some(n) => Rc::new(Node::Alias(n.clone())),
                None => {
                    return Err(BuildError::Decode(DecodeError::Yaml(
                        "yaml: unknown anchor referenced".into(),
                    )));
                }
            },
            Event::Scalar(value, style, anchor, tag) => {
                let n = Rc::new(Node::Scalar {
                    value: value.into_owned(),
                    plain: style == ScalarStyle::Plain,
                    tag: tag_name(tag.as_deref()),
                });
                if anchor > 0 {
                    b.anchors.insert(anchor, n.clone());
                }
                n
            }
            Event::SequenceStart(anchor, _) => {
                b.stack.push(Frame::Seq(anchor, Vec::new()));
                if b.stack.len() > MAX_DEPTH {
                    return Err(BuildError::Decode(too_deep()));
                }
                continue;
            }
            Event::MappingStart(anchor, _) => {
                b.stack.push(Frame::Map(anchor, Vec::new()));
                if b.stack.len() > MAX_DEPTH {
                    return Err(BuildError::Decode(too_deep()));
                }
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = b.stack.pop() else {
                    continue;
                };
                let (anchor, n) = match frame {
                    Frame::Seq(a, items) => (a, Rc::new(Node::Seq(items))),
                    Frame::Map(a, items) => {
                        let mut pairs = Vec::with_capacity(items.len() / 2);
                        let mut it = items.into_iter();
                        while let (Some(k), Some(v)) = (it.next(), it.next()) {
                            pairs.push((k, v));
                        }
                        (a, Rc::new(Node::Map(pairs)))
                    }
                };
                if anchor > 0 {
                    b.anchors.insert(anchor, n.clone());
                }
                n
            }
        };
        match b.stack.last_mut() {
            Some(Frame::Seq(_, items) | Frame::Map(_, items)) => items.push(node),
            None => root = Some(node),
        }
    }
    Ok(root)
}

/// go-yaml v2's message and line for a saphyr error. go-yaml reports scanner errors on
/// their 1-based line and parser errors on the 0-based one, and omits line 0.
fn scan_error(e: &ScanError, text: &str) -> String {
    let info = e.info();
    // saphyr's marker lines can run past the end of the text; go-yaml's 0-based line of
    // the position is the number of line breaks before it.
    let line = 1 + text
        .chars()
        .take(e.marker().index())
        .filter(|c| *c == '\n')
        .count();
    let (msg, parser_error): (String, bool) = match info {
        i if i.contains("did not find expected key") => ("did not find expected key".into(), true),
        i if i.contains("did not find expected '-' indicator") => {
            ("did not find expected '-' indicator".into(), true)
        }
        i if i.contains("did not find expected node content") => {
            ("did not find expected node content".into(), true)
        }
        i if i.contains("expected ',' or ']'") => ("did not find expected ',' or ']'".into(), true),
        i if i.contains("expected ',' or '}'") => ("did not find expected ',' or '}'".into(), true),
        i if i.starts_with("simple key expect") => ("could not find expected ':'".into(), false),
        i if i.contains("handle wasn't declared") => ("found undefined tag handle".into(), true),
        i if i.contains("tab") || i.starts_with("unexpected character") => {
            ("found character that cannot start any token".into(), false)
        }
        i if i.contains("found unknown anchor") => {
            let name = anchor_name_at(text, e.marker().index());
            return format!("yaml: unknown anchor '{name}' referenced");
        }
        i if i.contains("unexpected end of stream") || i == "unexpected eof" => {
            ("found unexpected end of stream".into(), false)
        }
        i => {
            let core =
                i.split_once(", ").map_or(
                    i,
                    |(head, rest)| {
                        if head.starts_with("while ") { rest } else { i }
                    },
                );
            (core.to_string(), false)
        }
    };
    let go_line = if parser_error {
        line.saturating_sub(1)
    } else {
        line
    };
    if parser_error && go_line == 0 || !parser_error && line <= 1 {
        format!("yaml: {msg}")
    } else {
        format!("yaml: line {go_line}: {msg}")
    }
}

/// The alias name at or after a character index (saphyr reports ids, go-yaml names).
fn anchor_name_at(text: &str, char_index: usize) -> String {
    let rest: String = text.chars().skip(char_index).collect();
    let rest = match rest.find('*') {
        Some(p) => &rest[p + 1..],
        None => rest.as_str(),
    };
    rest.chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

fn yaml_err(msg: impl Into<String>) -> DecodeError {
    DecodeError::Yaml(format!("yaml: {}", msg.into()))
}

/// Nesting deeper than this is refused: go-yaml v2 has no limit, but our recursive walks
/// must stay within a 2 MiB thread stack, and no real document comes close.
pub const MAX_DEPTH: usize = 1000;

fn too_deep() -> DecodeError {
    yaml_err(format!("exceeded max depth of {MAX_DEPTH}"))
}

/// go-yaml's guard against alias bombs: how many decode steps ran, and how many of them
/// inside an alias.
#[derive(Default)]
struct Walk {
    decodes: u64,
    aliased: u64,
    alias_depth: u32,
}

impl Walk {
    /// The share of decode steps aliases may account for, shrinking from 99% for
    /// documents up to 400 000 steps to 10% from 4 000 000 steps.
    fn allowed_ratio(decodes: u64) -> f64 {
        const LOW: f64 = 400_000.0;
        const HIGH: f64 = 4_000_000.0;
        let d = decodes as f64;
        if d <= LOW {
            0.99
        } else if d >= HIGH {
            0.10
        } else {
            0.99 - 0.89 * ((d - LOW) / (HIGH - LOW))
        }
    }

    fn step(&mut self) -> Result<(), DecodeError> {
        self.decodes += 1;
        if self.alias_depth > 0 {
            self.aliased += 1;
        }
        if self.aliased > 100
            && self.decodes > 1000
            && self.aliased as f64 / self.decodes as f64 > Self::allowed_ratio(self.decodes)
        {
            return Err(yaml_err("document contains excessive aliasing"));
        }
        Ok(())
    }

    fn in_alias<T>(&mut self, aliased: bool, f: impl FnOnce(&mut Walk) -> T) -> T {
        self.alias_depth += u32::from(aliased);
        let r = f(self);
        self.alias_depth -= u32::from(aliased);
        r
    }
}

fn to_go(node: &Node) -> Result<GoValue, DecodeError> {
    walk_node(node, &mut Walk::default())
}

fn walk_node(node: &Node, w: &mut Walk) -> Result<GoValue, DecodeError> {
    w.step()?;
    match node {
        Node::Scalar { value, plain, tag } => scalar(value, *plain, tag.as_deref()),
        Node::Seq(items) => {
            // A plain loop: iterator adapters cost several stack frames per nesting level.
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(walk_node(item, w)?);
            }
            Ok(GoValue::Seq(out))
        }
        Node::Map(pairs) => {
            let mut out = BTreeMap::new();
            fill_map(pairs, &mut out, w)?;
            Ok(GoValue::Map(out))
        }
        Node::Alias(target) => w.in_alias(true, |w| walk_node(target, w)),
    }
}

/// The node an alias stands for.
fn resolved(node: &Node) -> &Node {
    match node {
        Node::Alias(target) => resolved(target),
        other => other,
    }
}

fn is_merge(key: &Node) -> bool {
    matches!(key, Node::Scalar { value, plain, tag }
        if value == "<<" && (*plain && tag.is_none() || tag.as_deref() == Some("!!merge")))
}

/// go-yaml v2 sets keys in document order; a merge writes the merged map's keys at its
/// position (so a later key wins, and so does a later merge).
fn fill_map(
    pairs: &[(Rc<Node>, Rc<Node>)],
    out: &mut BTreeMap<String, GoValue>,
    w: &mut Walk,
) -> Result<(), DecodeError> {
    for (k, v) in pairs {
        if is_merge(k) {
            merge(v, out, w)?;
            continue;
        }
        let key = walk_node(k, w)?;
        let value = walk_node(v, w)?;
        out.insert(key_string(&key, &value)?, value);
    }
    Ok(())
}

fn want_map() -> DecodeError {
    yaml_err("map merge requires map or sequence of maps as the value")
}

fn merge(
    value: &Node,
    out: &mut BTreeMap<String, GoValue>,
    w: &mut Walk,
) -> Result<(), DecodeError> {
    let aliased = matches!(value, Node::Alias(_));
    match resolved(value) {
        Node::Map(pairs) => w.in_alias(aliased, |w| fill_map(pairs, out, w)),
        Node::Seq(items) => {
            // Earlier maps take precedence: apply them last.
            for item in items.iter().rev() {
                let aliased = matches!(item.as_ref(), Node::Alias(_));
                match resolved(item) {
                    Node::Map(pairs) => w.in_alias(aliased, |w| fill_map(pairs, out, w))?,
                    _ => return Err(want_map()),
                }
            }
            Ok(())
        }
        _ => Err(want_map()),
    }
}

/// sigs.k8s.io/yaml's key conversion: strings as they are, ints in decimal, floats as
/// `%g` of their float32 value, bools as `true`/`false`; anything else is an error.
fn key_string(key: &GoValue, value: &GoValue) -> Result<String, DecodeError> {
    Ok(match key {
        GoValue::Str(s) => s.clone(),
        GoValue::Int(i) => i.to_string(),
        GoValue::Float(f) => match gofloat::format_g(*f, true).as_str() {
            "+Inf" => ".inf".to_string(),
            "-Inf" => "-.inf".to_string(),
            "NaN" => ".nan".to_string(),
            s => s.to_string(),
        },
        GoValue::Bool(b) => b.to_string(),
        GoValue::Nil => {
            return Err(DecodeError::Convert(format!(
                "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                go_sharp_v(value)
            )));
        }
        GoValue::Uint(u) => {
            return Err(DecodeError::Convert(format!(
                "unsupported map key of type: uint64, key: {u:#x}, value: {}",
                go_sharp_v(value)
            )));
        }
        GoValue::Seq(_) | GoValue::Map(_) => {
            return Err(yaml_err(format!("invalid map key: {}", go_sharp_v(key))));
        }
    })
}

/// A rough `%#v` for error messages.
fn go_sharp_v(v: &GoValue) -> String {
    match v {
        GoValue::Nil => "interface {}(nil)".into(),
        GoValue::Bool(b) => b.to_string(),
        GoValue::Int(i) => i.to_string(),
        GoValue::Uint(u) => format!("{u:#x}"),
        GoValue::Float(f) => gofloat::format_g(*f, false),
        GoValue::Str(s) => format!("{s:?}"),
        GoValue::Seq(_) => "[]interface {}{...}".into(),
        GoValue::Map(_) => "map[interface {}]interface {}{...}".into(),
    }
}

fn resolved_value(r: Resolved, text: &str) -> GoValue {
    match r {
        Resolved::Null => GoValue::Nil,
        Resolved::Bool(b) => GoValue::Bool(b),
        Resolved::Int(i) => GoValue::Int(i),
        Resolved::Uint(u) => GoValue::Uint(u),
        Resolved::BigInt(f) | Resolved::Float(f) => GoValue::Float(f),
        Resolved::Timestamp | Resolved::Merge | Resolved::Str => GoValue::Str(text.to_string()),
    }
}

fn tag_of(r: &Resolved) -> &'static str {
    match r {
        Resolved::Null => "!!null",
        Resolved::Bool(_) => "!!bool",
        Resolved::Int(_) | Resolved::Uint(_) | Resolved::BigInt(_) => "!!int",
        Resolved::Float(_) => "!!float",
        Resolved::Timestamp => "!!timestamp",
        Resolved::Merge => "!!merge",
        Resolved::Str => "!!str",
    }
}

fn scalar(value: &str, plain: bool, tag: Option<&str>) -> Result<GoValue, DecodeError> {
    match tag {
        None if plain => Ok(resolved_value(resolve_plain(value), value)),
        None | Some("!!str") => Ok(GoValue::Str(value.to_string())),
        Some("!!binary") => {
            let bytes = base64::decode(value)
                .ok_or_else(|| yaml_err("!!binary value contains invalid base64 data"))?;
            Ok(GoValue::Str(crate::utf8::go_lossy(&bytes)))
        }
        Some(t @ ("!!int" | "!!float" | "!!bool" | "!!null" | "!!timestamp")) => {
            let r = resolve_plain(value);
            let got = tag_of(&r);
            if got == t {
                return Ok(resolved_value(r, value));
            }
            if t == "!!float" {
                match r {
                    Resolved::Int(i) => return Ok(GoValue::Float(i as f64)),
                    Resolved::Uint(u) => return Ok(GoValue::Float(u as f64)),
                    _ => {}
                }
            }
            Err(yaml_err(format!("cannot decode {got} `{value}` as a {t}")))
        }
        // Tags go-yaml cannot resolve keep the text.
        Some(_) => Ok(GoValue::Str(value.to_string())),
    }
}

/// The JSON round trip: numbers become float64; NaN and infinities cannot be marshalled.
pub fn to_value(v: &GoValue) -> Result<Value, String> {
    Ok(match v {
        GoValue::Nil => Value::Nil,
        GoValue::Bool(b) => Value::Bool(*b),
        GoValue::Int(i) => Value::float64(*i as f64),
        GoValue::Uint(u) => Value::float64(*u as f64),
        GoValue::Float(f) => {
            if f.is_nan() || f.is_infinite() {
                return Err(format!(
                    "json: unsupported value: {}",
                    gofloat::format_g(*f, false)
                ));
            }
            Value::float64(*f)
        }
        GoValue::Str(s) => Value::string(s.as_str()),
        GoValue::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(to_value(item)?);
            }
            Value::list(out)
        }
        GoValue::Map(m) => {
            let mut out = BTreeMap::new();
            for (k, v) in m {
                out.insert(k.clone(), to_value(v)?);
            }
            Value::map(out)
        }
    })
}
