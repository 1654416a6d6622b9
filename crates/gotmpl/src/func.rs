//! Template functions: a Go signature (so the engine converts and checks arguments as
//! `text/template` does) and a Rust body.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use crate::value::Value;

/// A parameter's Go type. Arguments are checked and converted as `text/template` does for
/// a function of that type: untyped number constants convert to the parameter's numeric
/// type; other values must be assignable (`wrong type for value; expected string; got
/// float64`); `Any` (`interface {}`) takes everything, including no value (as nil).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// `interface {}`.
    Any,
    String,
    Bool,
    Int,
    Int64,
    Uint32,
    Float64,
    /// `[]byte`.
    Bytes,
    /// `[]string`.
    Strings,
    /// `[]interface {}`.
    List,
    /// `map[string]interface {}`.
    Map,
    /// A named Go type, matched by `Value::type_name` (`time.Time`, `*time.Time`).
    Named(&'static str),
}

/// Parameters, and the type of a trailing variadic parameter (`...interface {}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signature {
    pub params: Vec<Param>,
    pub variadic: Option<Param>,
}

impl Signature {
    pub fn new(params: Vec<Param>) -> Self {
        Signature {
            params,
            variadic: None,
        }
    }

    pub fn variadic(params: Vec<Param>, rest: Param) -> Self {
        Signature {
            params,
            variadic: Some(rest),
        }
    }
}

/// What a function may ask of the running template: Helm's `include` and `tpl` execute
/// templates of the set being executed.
pub trait Env {
    /// Execute the named template of the running set with `data` as dot, and return its
    /// output (Go's `ExecuteTemplate`).
    fn execute_template(&mut self, name: &str, data: Value) -> Result<String, String>;
    /// Parse `text` as template `name` into a copy of the running set (the running set is
    /// unchanged: definitions made by `text` do not leak out) and execute it with `data`.
    fn execute_text(&mut self, name: &str, text: &str, data: Value) -> Result<String, String>;
    /// The name of the template being executed.
    fn template_name(&self) -> String;
    /// Per-execution counters for functions that need state across nested calls (the
    /// recursion depth of `include`). Shared by the whole execution, including `tpl`.
    fn counter(&mut self, key: &str) -> &mut i64;
}

/// The body of a function: arguments converted to the signature, in order (variadic ones
/// appended). An `Err` becomes `error calling NAME: <message>`.
pub type Body = Arc<dyn Fn(&mut dyn Env, Vec<Value>) -> Result<Value, String> + Send + Sync>;

/// A template function.
#[derive(Clone)]
pub struct Function {
    pub signature: Signature,
    pub body: Body,
}

impl Function {
    pub fn new(
        signature: Signature,
        body: impl Fn(&mut dyn Env, Vec<Value>) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Self {
        Function {
            signature,
            body: Arc::new(body),
        }
    }

    /// A function that needs nothing of the running template.
    pub fn pure(
        signature: Signature,
        body: impl Fn(Vec<Value>) -> Result<Value, String> + Send + Sync + 'static,
    ) -> Self {
        Function {
            signature,
            body: Arc::new(move |_env: &mut dyn Env, args: Vec<Value>| body(args)),
        }
    }
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Function{:?}", self.signature)
    }
}

/// Functions by name, as `template.FuncMap`.
pub type FuncMap = HashMap<String, Function>;

/// Shared, cheap-to-clone function map.
pub type SharedFuncs = Rc<FuncMap>;
