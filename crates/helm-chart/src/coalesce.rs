//! Values coalescing as Helm's `CoalesceValues`/`MergeValues`: higher levels override the
//! chart defaults below them, maps merge and everything else is replaced, each subchart
//! gets its own section plus the `global` table passed down, and a `null` from the user
//! deletes the default it overrides (coalescing) or is kept (merging).

use std::rc::Rc;

use kspm_gotmpl::Value;
use kspm_gotmpl::fmt::sprintf;

use crate::chart::Chart;
use crate::error::{Error, Result};
use crate::vals::{self, as_table, entries, get, is_nil, is_table, new_map, remove, set};

/// Which Helm's values semantics to follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum HelmCompat {
    /// Helm 3.x and 4.0–4.1.
    #[default]
    V3,
    /// Helm 4.2: `null`s in chart defaults are no longer copied into coalesced values.
    V4,
}

/// The table key whose contents every subchart sees.
pub const GLOBAL_KEY: &str = "global";

/// Helm's coalescing run: the compat mode and the warnings Helm would log.
pub(crate) struct Coalescer {
    pub compat: HelmCompat,
    pub warnings: Vec<String>,
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

impl Coalescer {
    pub fn new(compat: HelmCompat) -> Self {
        Coalescer {
            compat,
            warnings: Vec::new(),
        }
    }

    /// `CoalesceValues` (merge false) or `MergeValues` (merge true) of `user` over the
    /// chart tree's defaults. `user` is copied, never changed.
    pub fn values(&mut self, chart: &Chart, user: &Value, merge: bool) -> Result<Value> {
        let dest = if is_table(user) {
            user.deep_copy()
        } else {
            new_map()
        };
        self.chart(chart, &dest, "", merge)?;
        Ok(dest)
    }

    fn chart(&mut self, chart: &Chart, dest: &Value, prefix: &str, merge: bool) -> Result<()> {
        self.defaults(chart, dest, prefix, merge);
        self.dependencies(chart, dest, prefix, merge)
    }

    fn dependencies(
        &mut self,
        chart: &Chart,
        dest: &Value,
        prefix: &str,
        merge: bool,
    ) -> Result<()> {
        for sub in &chart.dependencies {
            let name = sub.name();
            let section = match get(dest, name) {
                None => {
                    let m = new_map();
                    set(dest, name, m.clone());
                    m
                }
                Some(v) if is_table(&v) => v,
                Some(v) => {
                    return Err(Error::new(format!(
                        "type mismatch on {name}: {}",
                        sprintf("%t", &[v])
                    )));
                }
            };
            let sub_prefix = concat_prefix(prefix, chart.name());
            self.globals(&section, dest, &sub_prefix);
            self.chart(sub, &section, &sub_prefix, merge)?;
        }
        Ok(())
    }

    /// Copy `src`'s globals into `dest`'s: the parent's globals win, maps merge.
    fn globals(&mut self, dest: &Value, src: &Value, prefix: &str) {
        let dg = match get(dest, GLOBAL_KEY) {
            None => new_map(),
            Some(g) if is_table(&g) => g,
            Some(_) => {
                self.warnings.push(format!(
                    "warning: skipping globals because destination {GLOBAL_KEY} is not a table."
                ));
                return;
            }
        };
        let sg = match get(src, GLOBAL_KEY) {
            None => new_map(),
            Some(g) if is_table(&g) => g,
            Some(_) => {
                self.warnings.push(format!(
                    "warning: skipping globals because source {GLOBAL_KEY} is not a table."
                ));
                return;
            }
        };
        for (key, val) in entries(&sg) {
            if is_table(&val) {
                let vv = vals::shallow_copy(&val);
                match get(&dg, &key) {
                    None => set(&dg, &key, vv),
                    Some(dv) if is_table(&dv) => {
                        // Parent globals are authoritative: merge the child's under them.
                        self.tables(&vv, &dv, &concat_prefix(prefix, &key), true);
                        set(&dg, &key, vv);
                    }
                    Some(_) => self.warnings.push(format!(
                        "Conflict: cannot merge map onto non-map for {key:?}. Skipping."
                    )),
                }
            } else if get(&dg, &key).is_some_and(|dv| is_table(&dv)) {
                self.warnings.push(format!("key {key} is table. Skipping"));
            } else {
                set(&dg, &key, val);
            }
        }
        set(dest, GLOBAL_KEY, dg);
    }

    /// Fill `v` (one chart's section) from the chart's defaults.
    fn defaults(&mut self, chart: &Chart, v: &Value, prefix: &str, merge: bool) {
        let sub_prefix = concat_prefix(prefix, chart.name());
        let defaults = chart.values.deep_copy();
        let clean_defaults = self.compat == HelmCompat::V4 && !merge;
        for (key, val) in entries(&defaults) {
            match get(v, &key) {
                Some(value) => {
                    if is_nil(&value) && !merge {
                        // A user null deletes the default.
                        remove(v, &key);
                    } else if is_table(&value) {
                        if is_table(&val) {
                            let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                            if self.compat == HelmCompat::V4 && !merge {
                                vals::clean_nils(&val);
                            }
                            self.tables(&value, &val, &concat_prefix(&sub_prefix, &key), merge);
                        } else if !is_nil(&val) {
                            self.warnings.push(format!(
                                "warning: skipped value for {sub_prefix}.{key}: Not a table."
                            ));
                        }
                    }
                }
                None => {
                    if clean_defaults {
                        if is_nil(&val) {
                            continue;
                        }
                        vals::clean_nils(&val);
                    }
                    set(v, &key, val);
                }
            }
        }
    }

    /// `coalesceTablesFullKey`: merge `src` into `dst`, `dst` authoritative. Coalescing, a
    /// null in `dst` over a non-null default deletes the key; merging keeps it.
    pub fn tables(&mut self, dst: &Value, src: &Value, prefix: &str, merge: bool) {
        let (Some(d), Some(s)) = (as_table(dst), as_table(src)) else {
            return;
        };
        if Rc::ptr_eq(d, s) {
            return;
        }
        let src_non_nil: Vec<String> = entries(src)
            .into_iter()
            .filter(|(_, v)| !is_nil(v))
            .map(|(k, _)| k)
            .collect();
        for (key, val) in entries(dst) {
            if is_nil(&val) {
                set(src, &key, Value::Nil);
            }
        }
        for (key, val) in entries(src) {
            let full = concat_prefix(prefix, &key);
            match get(dst, &key) {
                // Helm 4.2 only deletes when the user nulls a real default; earlier
                // versions delete any user null here.
                Some(dv)
                    if !merge
                        && is_nil(&dv)
                        && (self.compat == HelmCompat::V3 || src_non_nil.contains(&key)) =>
                {
                    remove(dst, &key)
                }
                None => set(dst, &key, val),
                Some(dv) => {
                    if is_table(&val) {
                        if is_table(&dv) {
                            self.tables(&dv, &val, &full, merge);
                        } else {
                            self.warnings.push(format!(
                                "warning: cannot overwrite table with non table for {full} ({})",
                                sprintf("%v", &[val])
                            ));
                        }
                    } else if is_table(&dv) && !is_nil(&val) {
                        self.warnings.push(format!(
                            "warning: destination for {full} is a table. Ignoring non-table value ({})",
                            sprintf("%v", &[val])
                        ));
                    }
                }
            }
        }
    }
}

/// Helm's `CoalesceValues`: the values a chart tree renders with, for user values `user`.
pub fn coalesce_values(chart: &Chart, user: &Value, compat: HelmCompat) -> Result<Value> {
    Coalescer::new(compat).values(chart, user, false)
}

/// Helm's `MergeValues`: as coalescing, but nulls are kept.
pub fn merge_values(chart: &Chart, user: &Value, compat: HelmCompat) -> Result<Value> {
    Coalescer::new(compat).values(chart, user, true)
}

/// Helm's `CoalesceTables(dst, src)`: `src` merged under `dst` (changed in place and
/// returned), user nulls in `dst` deleting what they override.
pub fn coalesce_tables(dst: &Value, src: &Value) -> Value {
    Coalescer::new(HelmCompat::V3).tables(dst, src, "", false);
    dst.clone()
}

/// Helm's `MergeTables(dst, src)`: as [`coalesce_tables`], keeping nulls.
pub fn merge_tables(dst: &Value, src: &Value) -> Value {
    Coalescer::new(HelmCompat::V3).tables(dst, src, "", true);
    dst.clone()
}
