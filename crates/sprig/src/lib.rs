//! Sprig v3.3.0 template functions as Helm ships them (every function of Sprig's
//! `GenericFuncMap` except `env` and `expandenv`), with Go signatures and Go's behaviour,
//! for kspm-gotmpl. See API.md.

mod cases;
mod cast;
mod decimal;
mod deep;
mod defaults;
mod dicts;
mod encoding;
mod lists;
mod math;
mod paths;
mod random;
mod regex;
mod strings;
mod text;
mod util;

use kspm_gotmpl::FuncMap;

pub use cast::{strval, to_float64, to_int, to_int64};
pub use deep::{deep_equal, empty};
pub use dicts::merge_into;

/// Every Sprig function Helm installs, by name.
pub fn funcs() -> FuncMap {
    let mut m = FuncMap::new();
    strings::register(&mut m);
    lists::register(&mut m);
    dicts::register(&mut m);
    defaults::register(&mut m);
    math::register(&mut m);
    encoding::register(&mut m);
    paths::register(&mut m);
    regex::register(&mut m);
    m
}
