//! Lookup over the generated rule list.

use crate::rule::{Rule, RuleMeta};
use crate::rules::ALL;

pub fn all() -> &'static [&'static dyn Rule] {
    ALL
}

/// A rule by id (`privileged-container`) or code (`KSPM101`, case-insensitive).
pub fn find(id_or_code: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| {
        let m = r.meta();
        m.id == id_or_code || m.code.eq_ignore_ascii_case(id_or_code)
    })
}

pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    ALL.iter().map(|r| r.meta())
}
