//! Sprig v3.3.0 template functions as Helm ships them (every function of Sprig's
//! `GenericFuncMap` except `env` and `expandenv`), with Go signatures and Go's behaviour,
//! for kspm-gotmpl. See API.md.

mod cases;
mod cast;
mod crypto;
mod decimal;
mod deep;
mod defaults;
mod dicts;
mod encoding;
mod json;
mod lists;
mod math;
mod network;
mod paths;
mod random;
mod regex;
mod semver;
mod strings;
mod text;
mod time;
mod url;
mod util;

use kspm_gotmpl::FuncMap;

pub use cast::{strval, to_float64, to_int, to_int64};
pub use crypto::Certificate;
pub use deep::{deep_equal, empty};
pub use dicts::merge_into;
pub use time::{DurationValue, Location, Time};

/// What encoding/json makes of this crate's objects (`time.Time` through its
/// `MarshalJSON`: RFC 3339 with nanoseconds).
fn marshal_object(o: &dyn kspm_gotmpl::Object) -> Option<Result<kspm_gotmpl::Value, String>> {
    let any = o.as_any();
    if let Some(t) = any.downcast_ref::<Time>() {
        return Some(Ok(kspm_gotmpl::Value::string(
            t.format("2006-01-02T15:04:05.999999999Z07:00"),
        )));
    }
    if let Some(c) = any.downcast_ref::<Certificate>() {
        return Some(Ok(c.json()));
    }
    if let Some(v) = any.downcast_ref::<semver::VersionObject>() {
        return Some(Ok(kspm_gotmpl::Value::string(v.version.string())));
    }
    if let Some(d) = any.downcast_ref::<DurationValue>() {
        return Some(Ok(kspm_gotmpl::Value::int64(d.0)));
    }
    None
}

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
    json::register(&mut m);
    time::register(&mut m);
    crypto::register(&mut m);
    url::register(&mut m);
    semver::register(&mut m);
    network::register(&mut m);
    kspm_godata::json::register_object_marshaler(marshal_object);
    m
}
