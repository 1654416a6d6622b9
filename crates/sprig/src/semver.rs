//! `semver` and `semverCompare`, and the methods of the versions they make: the
//! Masterminds/semver v3 rules themselves are kspm-semver's (Helm uses the same library).

use std::any::Any;
use std::cmp::Ordering;
use std::rc::Rc;

use kspm_gotmpl::{FuncMap, Object, Param, Signature, UintKind, Value};
use kspm_semver::{Constraints, Version};

use crate::util::{arg, reg, s, string};

/// A `*semver.Version` (what `semver` returns) or a `semver.Version` value (what the
/// `Inc*`/`Set*` methods return): the same methods, another Go type.
pub struct VersionObject {
    pub version: Version,
    pointer: bool,
}

impl VersionObject {
    fn value(version: Version, pointer: bool) -> Value {
        Value::Object(Rc::new(VersionObject { version, pointer }))
    }
}

pub const VERSION_TYPE: &str = "*semver.Version";

fn method(name: &str) -> Option<Signature> {
    let p = match name {
        "Compare" | "LessThan" | "GreaterThan" | "Equal" => vec![Param::Named(VERSION_TYPE)],
        "SetPrerelease" | "SetMetadata" => vec![Param::String],
        "Major" | "Minor" | "Patch" | "Prerelease" | "Metadata" | "Original" | "String"
        | "IncMajor" | "IncMinor" | "IncPatch" => vec![],
        _ => return None,
    };
    Some(Signature::new(p))
}

fn call_method(v: &Version, name: &str, args: Vec<Value>) -> Result<Value, String> {
    let other = || -> Result<Version, String> {
        match arg(&args, 0) {
            Value::Object(o) => o
                .as_any()
                .downcast_ref::<VersionObject>()
                .filter(|o| o.pointer)
                .map(|o| o.version.clone())
                .ok_or_else(|| "wrong type".to_string()),
            _ => Err(crate::util::NIL_DEREF.into()),
        }
    };
    let u = |x: u64| Value::Uint(x, UintKind::Uint64);
    let derived = |d: Version| VersionObject::value(d, false);
    Ok(match name {
        "Major" => u(v.major()),
        "Minor" => u(v.minor()),
        "Patch" => u(v.patch()),
        "Prerelease" => string(v.prerelease()),
        "Metadata" => string(v.metadata()),
        "Original" => string(v.original()),
        "String" => string(v.string()),
        "Compare" => Value::int(match v.compare(&other()?) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }),
        "LessThan" => Value::Bool(v.compare(&other()?) == Ordering::Less),
        "GreaterThan" => Value::Bool(v.compare(&other()?) == Ordering::Greater),
        "Equal" => Value::Bool(v.compare(&other()?) == Ordering::Equal),
        "IncMajor" => derived(v.inc_major()),
        "IncMinor" => derived(v.inc_minor()),
        "IncPatch" => derived(v.inc_patch()),
        "SetPrerelease" => derived(v.set_prerelease(s(&args, 0))),
        "SetMetadata" => derived(v.set_metadata(s(&args, 0))),
        _ => return Err(format!("can't call method {name}")),
    })
}

impl Object for VersionObject {
    fn type_name(&self) -> String {
        if self.pointer {
            VERSION_TYPE
        } else {
            "semver.Version"
        }
        .into()
    }
    fn kind(&self) -> &'static str {
        if self.pointer { "ptr" } else { "struct" }
    }
    fn format_v(&self) -> String {
        self.version.string()
    }
    fn method(&self, name: &str) -> Option<Signature> {
        method(name)
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        call_method(&self.version, name, args)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

pub fn register(m: &mut FuncMap) {
    reg(
        m,
        "semverCompare",
        vec![Param::String, Param::String],
        |a| {
            // Go parses the constraint first.
            let c = Constraints::parse(s(&a, 0))?;
            Ok(Value::Bool(c.check(&Version::parse(s(&a, 1))?)))
        },
    );
    reg(m, "semver", vec![Param::String], |a| {
        Ok(VersionObject::value(Version::parse(s(&a, 0))?, true))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        let obj = |v: &str, pointer: bool| VersionObject {
            version: Version::parse(v).unwrap(),
            pointer,
        };
        let call = |v: &str, m: &str| match obj(v, true).call_method(m, vec![]) {
            Ok(Value::Object(o)) => (o.type_name(), o.format_v()),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            call("1.2.3", "IncPatch"),
            ("semver.Version".into(), "1.2.4".into())
        );
        assert_eq!(call("1.2.3-rc.1", "IncPatch").1, "1.2.3");
        assert_eq!(call("1.2.3+b5", "IncPatch").1, "1.2.3");
        assert_eq!(call("1.2.3-rc.1", "IncMinor").1, "1.3.0");
        assert_eq!(obj("1.0.0", true).type_name(), "*semver.Version");
        assert_eq!(obj("1.0.0", true).kind(), "ptr");
        let compare = |arg: VersionObject| {
            obj("1.0.0", true).call_method("Compare", vec![Value::Object(Rc::new(arg))])
        };
        assert!(matches!(compare(obj("2.0.0", true)), Ok(Value::Int(-1, _))));
        // Only a *semver.Version is an argument.
        assert!(compare(obj("2.0.0", false)).is_err());
    }
}
