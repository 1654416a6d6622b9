//! Values as Go's `text/template` sees them through reflection. Templates mostly see the
//! types of decoded YAML/JSON (`map[string]interface {}`, `[]interface {}`, `float64`,
//! `string`, `bool`, nil), the results of functions (`int`, `int64`, `[]string`, …) and a few
//! structs with fields and methods (`.Release`, `.Capabilities`, `.Files`, `time.Time`).
//! Each variant keeps the Go type that `printf "%T"`, `typeOf`, conversions and comparisons
//! need.

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use crate::func::Signature;

/// A Go value.
#[derive(Clone)]
pub enum Value {
    /// The invalid `reflect.Value`: a missing map key or a nil interface at the end of a
    /// pipeline. `text/template` prints it as `<no value>`.
    Invalid,
    /// A nil interface (`interface {}` holding nothing), e.g. a YAML `null`; printed `<nil>`
    /// by `fmt`.
    Nil,
    Bool(bool),
    Int(i64, IntKind),
    Uint(u64, UintKind),
    Float(f64, FloatKind),
    String(Rc<str>),
    /// `[]byte`.
    Bytes(Rc<[u8]>),
    /// Any other slice (`[]interface {}`, `[]string`, …).
    List(Rc<List>),
    /// A map with string keys. Go maps are references: `set`, `unset`, `merge` … change
    /// the map every holder sees, so the entries are shared and mutable.
    Map(Rc<RefCell<Map>>),
    /// Structs, pointers to structs and named types with methods.
    Object(Rc<dyn Object>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntKind {
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UintKind {
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatKind {
    Float32,
    Float64,
}

impl IntKind {
    pub fn name(self) -> &'static str {
        match self {
            IntKind::Int => "int",
            IntKind::Int8 => "int8",
            IntKind::Int16 => "int16",
            IntKind::Int32 => "int32",
            IntKind::Int64 => "int64",
        }
    }
}

impl UintKind {
    pub fn name(self) -> &'static str {
        match self {
            UintKind::Uint => "uint",
            UintKind::Uint8 => "uint8",
            UintKind::Uint16 => "uint16",
            UintKind::Uint32 => "uint32",
            UintKind::Uint64 => "uint64",
            UintKind::Uintptr => "uintptr",
        }
    }
}

impl FloatKind {
    pub fn name(self) -> &'static str {
        match self {
            FloatKind::Float32 => "float32",
            FloatKind::Float64 => "float64",
        }
    }
}

/// A slice with its Go type (`[]interface {}`, `[]string`, `[]map[string]interface {}`).
#[derive(Clone, Debug)]
pub struct List {
    pub type_name: Rc<str>,
    pub items: Vec<Value>,
}

/// A map with its Go type (`map[string]interface {}`, `chartutil.Values`,
/// `map[string]string`). Keys iterate in Go's sorted order.
#[derive(Clone, Debug)]
pub struct Map {
    pub type_name: Rc<str>,
    pub entries: BTreeMap<String, Value>,
}

/// A struct, pointer or named type with fields and methods.
#[allow(clippy::len_without_is_empty)]
pub trait Object {
    /// The type as `%T` prints it: `*chart.Metadata`, `time.Time`, `chartutil.Files`.
    fn type_name(&self) -> String;
    /// The reflect kind as `kindOf` prints it: `struct`, `ptr`, `map`.
    fn kind(&self) -> &'static str;
    /// `.Name` on the value: a field, or for map-like named types a key. `None`: the type
    /// has no such field.
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    /// The signature of method `name`, if the type has one.
    fn method(&self, _name: &str) -> Option<Signature> {
        None
    }
    /// Call method `name` (arguments already converted to its signature).
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        Err(format!("can't call method {name}"))
    }
    /// `fmt`'s `%v` of the value (Go prints structs as `{a b}`, pointers to structs as
    /// `&{a b}`, types with a `String()` method through it).
    fn format_v(&self) -> String;
    /// `if`/`and`/`or` truth (Go: non-nil pointers and non-empty structs are true).
    fn truth(&self) -> bool {
        true
    }
    /// `len`, for map-like and slice-like named types.
    fn len(&self) -> Option<usize> {
        None
    }
    /// The entries of a map-like named type, sorted by key, for `range` and `index`
    /// (added by ENGINE; default: not map-like).
    fn entries(&self) -> Option<Vec<(String, Value)>> {
        None
    }
    /// The items of a slice-like named type (Helm's `VersionSet`), for `range`, `index`
    /// and `slice` (added by ENGINE; default: not slice-like).
    fn items(&self) -> Option<Vec<Value>> {
        None
    }
    /// Downcasting for functions that take a concrete Go type (`time.Time`).
    fn as_any(&self) -> &dyn Any;
}

impl Value {
    pub fn string(s: impl Into<Rc<str>>) -> Value {
        Value::String(s.into())
    }

    pub fn int(i: i64) -> Value {
        Value::Int(i, IntKind::Int)
    }

    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntKind::Int64)
    }

    pub fn float64(f: f64) -> Value {
        Value::Float(f, FloatKind::Float64)
    }

    /// A new `[]interface {}`.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(List {
            type_name: Rc::from("[]interface {}"),
            items,
        }))
    }

    /// A new `[]string`.
    pub fn string_list<I: IntoIterator<Item = S>, S: Into<Rc<str>>>(items: I) -> Value {
        Value::List(Rc::new(List {
            type_name: Rc::from("[]string"),
            items: items.into_iter().map(|s| Value::String(s.into())).collect(),
        }))
    }

    /// A new `map[string]interface {}`.
    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(Map {
            type_name: Rc::from("map[string]interface {}"),
            entries,
        })))
    }

    /// The Go type as `%T` prints it (`<nil>` for nil and for no value).
    pub fn type_name(&self) -> String {
        match self {
            Value::Invalid | Value::Nil => "<nil>".to_string(),
            Value::Bool(_) => "bool".to_string(),
            Value::Int(_, k) => k.name().to_string(),
            Value::Uint(_, k) => k.name().to_string(),
            Value::Float(_, k) => k.name().to_string(),
            Value::String(_) => "string".to_string(),
            Value::Bytes(_) => "[]uint8".to_string(),
            Value::List(l) => l.type_name.to_string(),
            Value::Map(m) => m.borrow().type_name.to_string(),
            Value::Object(o) => o.type_name(),
        }
    }

    /// The reflect kind (`kindOf`): `string`, `int`, `float64`, `slice`, `map`, `struct`,
    /// `ptr`, `bool`, `invalid`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Invalid | Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_, k) => k.name(),
            Value::Uint(_, k) => k.name(),
            Value::Float(_, k) => k.name(),
            Value::String(_) => "string",
            Value::Bytes(_) | Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind(),
        }
    }

    /// `text/template`'s truth: false for nil, false, 0, "", and empty slices and maps.
    pub fn truth(&self) -> bool {
        match self {
            Value::Invalid | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Uint(u, _) => *u != 0,
            Value::Float(f, _) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.borrow().entries.is_empty(),
            Value::Object(o) => o.truth(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A deep copy: maps are copied, so changing the copy leaves the original alone
    /// (Helm copies values before coalescing; `deepCopy` in Sprig).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::List(l) => Value::List(Rc::new(List {
                type_name: l.type_name.clone(),
                items: l.items.iter().map(Value::deep_copy).collect(),
            })),
            Value::Map(m) => {
                let m = m.borrow();
                Value::Map(Rc::new(RefCell::new(Map {
                    type_name: m.type_name.clone(),
                    entries: m
                        .entries
                        .iter()
                        .map(|(k, v)| (k.clone(), v.deep_copy()))
                        .collect(),
                })))
            }
            other => other.clone(),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Invalid => write!(f, "Invalid"),
            Value::Nil => write!(f, "Nil"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Int(i, k) => write!(f, "{}({i})", k.name()),
            Value::Uint(u, k) => write!(f, "{}({u})", k.name()),
            Value::Float(x, k) => write!(f, "{}({x})", k.name()),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Bytes(b) => write!(f, "Bytes({b:?})"),
            Value::List(l) => f
                .debug_list()
                .entries(l.items.iter())
                .finish()
                .and_then(|_| write!(f, " as {}", l.type_name)),
            Value::Map(m) => {
                let m = m.borrow();
                f.debug_map()
                    .entries(m.entries.iter())
                    .finish()
                    .and_then(|_| write!(f, " as {}", m.type_name))
            }
            Value::Object(o) => write!(f, "Object({})", o.type_name()),
        }
    }
}
