//! Go's `text/template`, with Go's semantics: the data model ([`Value`]), functions
//! ([`Function`], [`FuncMap`]), and (in the engine modules) parsing, execution and `fmt`.

pub mod fmt;
pub mod func;
pub mod strconv;
pub mod value;

pub use func::{Env, FuncMap, Function, Param, Signature};
pub use value::{FloatKind, IntKind, List, Map, Object, UintKind, Value};
