//! Go's `text/template`, with Go's semantics: the data model ([`Value`]), functions
//! ([`Function`], [`FuncMap`]), parsing and execution ([`Template`]), and Go's `fmt`
//! ([`fmt::sprint`], [`fmt::sprintf`], [`fmt::sprintln`]).

mod builtins;
mod exec;
pub mod fmt;
pub mod func;
mod lex;
mod node;
mod parse;
pub mod strconv;
mod template;
pub mod value;

pub use builtins::{html_escape, js_escape, query_escape};
pub use func::{Env, FuncMap, Function, Param, Signature};
pub use template::{
    Error, ErrorDetails, ErrorKind, MAX_EXEC_DEPTH, MissingKey, Origin, OriginKind, Output,
    Template, TracedOutput,
};
pub use value::{FloatKind, IntKind, List, Map, Object, UintKind, Value};
