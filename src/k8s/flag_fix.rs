//! Fixes for component flags: set `--name=value` in the container's own `command`/`args`,
//! written once here so every flag rule fixes the same way.
//!
//! An existing occurrence (the last, the one that takes effect) gets its value replaced in
//! place: `--name=old` becomes `--name=new`, a separate value word is replaced, a bare
//! `--name` gains `=new`. A missing flag is appended to the list the finding points at,
//! in that list's style. Flags written inside a shell script or read from etcd's
//! environment get no fix: rewriting a script is not a field edit.

use super::container::ContainerView;
use super::flags::{Flag, Flags, is_strong_cipher};
use crate::fix::{Fix, Val};
use crate::rule::Sink;
use crate::yaml::{Node, ScalarStyle, YamlPath};

/// A placeholder for a file path the person must choose.
pub const PATH_PLACEHOLDER: &str = "<file path>";

/// The suites the fixes write where no strong one is listed: ECDHE with AES-GCM or
/// ChaCha20-Poly1305 for ECDSA and RSA certificates (TLS 1.3 suites are not configurable).
pub const FIX_CIPHERS: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

/// The item of `command` or `args` at `path`, and whether that list is a flow sequence.
fn item_at<'a>(c: &ContainerView<'a>, path: &YamlPath) -> Option<(&'a Node, bool)> {
    ["command", "args"].into_iter().find_map(|key| {
        let base = c.field_path(key);
        c.get(key)?
            .items()
            .iter()
            .enumerate()
            .find(|(i, _)| base.index(*i) == *path)
            .map(|(_, n)| (n, in_flow(c, key)))
    })
}

/// Whether list `key` of `c` is a flow sequence (`[a, b]`): its span ends at the `]`
/// after its last item, where a block sequence ends with that item.
fn in_flow(c: &ContainerView<'_>, key: &str) -> bool {
    c.get(key)
        .is_some_and(|l| l.items().last().is_some_and(|i| l.span.end > i.span.end))
}

/// Whether `s` reads back as the same plain YAML scalar (in a flow sequence when `flow`,
/// where a comma would split it).
fn plain_safe(s: &str, flow: bool) -> bool {
    !s.is_empty()
        && s.chars().all(|ch| {
            ch.is_ascii_alphanumeric() || "-_=./:<>@ ".contains(ch) || (ch == ',' && !flow)
        })
        && !s.contains(": ")
        && !s.ends_with(':')
        && !s.ends_with(' ')
}

/// `text` as a scalar in the style of `old`: its quotes kept, quotes added when needed.
fn scalar_like(old: &Node, text: &str, flow: bool) -> String {
    let style = old.scalar().map(|s| s.style);
    let double = || format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
    match style {
        Some(ScalarStyle::SingleQuoted) => format!("'{}'", text.replace('\'', "''")),
        Some(ScalarStyle::DoubleQuoted) => double(),
        _ if plain_safe(text, flow) => text.to_string(),
        _ => double(),
    }
}

/// The new text of the item holding `f`'s value, or `None` when the flag is not an item
/// of its own (a shell script).
fn replaced(item: &Node, f: &Flag, value: &str) -> Option<String> {
    let text = item.scalar_text()?;
    if f.flag_path != f.value_path {
        // `--name value`: the value has its own word.
        return Some(value.to_string());
    }
    let body = text.trim_start_matches('-');
    let name = body.split_once('=').map_or(body, |(n, _)| n);
    if !text.starts_with('-') || name.replace('_', "-") != f.name {
        return None;
    }
    let head = text.split_once('=').map_or(text, |(h, _)| h);
    Some(format!("{head}={value}"))
}

/// Add to `fix` the change that makes occurrence `f` read `value`.
fn set_occurrence(c: &ContainerView<'_>, fix: Fix, f: &Flag, value: &str) -> Fix {
    let new = item_at(c, &f.value_path)
        .and_then(|(item, flow)| replaced(item, f, value).map(|t| (item, flow, t)));
    match new {
        Some((item, flow, text)) => {
            let text = scalar_like(item, &text, flow);
            fix.replace(item, f.value_path.clone(), &text)
        }
        None => fix.change(f.value_path.clone(), None),
    }
}

/// Occurrence `f` of a list flag without `item`; a list that would be left empty is not
/// rewritten (the flag would mean something else).
fn without_item(c: &ContainerView<'_>, fix: Fix, f: &Flag, item: &str) -> Fix {
    let rest: Vec<&str> = f.items().filter(|i| *i != item).collect();
    if rest.is_empty() {
        return fix.change(f.value_path.clone(), None);
    }
    set_occurrence(c, fix, f, &rest.join(","))
}

/// Remove occurrences `fs` (each flag item and its value word) from `command`/`args`, one
/// change per list. A flag inside a shell script or an environment variable is not an item
/// of its own: the fix is refused.
fn remove_occurrences(c: &ContainerView<'_>, mut fix: Fix, fs: &[&Flag]) -> Fix {
    if fs.is_empty() {
        return fix;
    }
    let mut found = 0;
    for key in ["command", "args"] {
        let base = c.field_path(key);
        let (Some(entry), Some(list)) = (c.node.entry(key), c.get(key)) else {
            continue;
        };
        let indices: Vec<usize> = (0..list.items().len())
            .filter(|i| {
                let p = base.index(*i);
                fs.iter().any(|f| p == f.flag_path || p == f.value_path)
            })
            .collect();
        let hits = fs
            .iter()
            .filter(|f| (0..list.items().len()).any(|i| base.index(i) == f.flag_path))
            .count();
        if !indices.is_empty() {
            found += hits;
            fix = fix.remove_items(list, Some(&entry.key), &base, &indices);
        }
    }
    if found < fs.len() {
        fix = fix.change(fs[0].flag_path.clone(), None);
    }
    fix
}

impl Flags {
    /// Which list (`command` or `args`) a missing flag is appended to: the one the finding
    /// points at, when it is a list written in the container.
    fn append_key(&self, c: &ContainerView<'_>) -> Option<&'static str> {
        ["command", "args"].into_iter().find(|k| {
            self.missing_path == c.field_path(k) && c.get(k).is_some_and(|n| n.as_seq().is_some())
        })
    }

    /// A new item for list `key` written like its last item: plain when that one is plain
    /// and the text allows it (`- --flag=v`, not `- "--flag=v"`), else quoted.
    fn item_like(&self, c: &ContainerView<'_>, key: &str, text: &str) -> Val {
        let last_plain = c
            .get(key)
            .and_then(|l| l.items().last())
            .and_then(Node::scalar)
            .is_some_and(|s| s.style == ScalarStyle::Plain);
        if last_plain && plain_safe(text, in_flow(c, key)) {
            Val::raw(text)
        } else {
            Val::str(text)
        }
    }

    /// Add to `fix` the change that makes `--name` read `value`.
    pub fn set_flag(&self, c: &ContainerView<'_>, fix: Fix, name: &str, value: &str) -> Fix {
        match self.last(name) {
            Some(f) => set_occurrence(c, fix, f, value),
            None => match self.append_key(c) {
                Some(key) => {
                    let item = self.item_like(c, key, &format!("--{name}={value}"));
                    fix.append(c.node, &c.path, &[key], vec![item])
                }
                None => fix.change(self.missing_path.clone(), None),
            },
        }
    }

    /// `forbid`, with a fix that removes each occurrence (its value word too). Unsafe: the
    /// component loses what the flag configured.
    pub fn forbid_fix(&self, out: &mut Sink, c: &ContainerView<'_>, name: &str) {
        for f in self.all(name) {
            out.report(
                f.flag_path.clone(),
                format!("{} sets {}", self.who, f.display()),
            );
            let fix = Fix::unsafe_(format!("remove --{name}"));
            out.with_fix(remove_occurrences(c, fix, &[f]));
        }
    }

    /// A fix that removes every occurrence of `--name` whose value `bad` rejects (each with
    /// its value word), so that an earlier acceptable one, or the default, takes effect.
    pub fn remove_where(
        &self,
        c: &ContainerView<'_>,
        fix: Fix,
        name: &str,
        bad: impl Fn(&Flag) -> bool,
    ) -> Fix {
        let occurrences: Vec<&Flag> = self.all(name).filter(|f| bad(f)).collect();
        remove_occurrences(c, fix, &occurrences)
    }

    /// `require_plugin`, with a fix that enables `plugin`: added to the last
    /// `--enable-admission-plugins` (or a new one), or taken out of the list that disables it.
    pub fn require_plugin_fix(&self, out: &mut Sink, c: &ContainerView<'_>, plugin: &str) {
        let before = out.findings.len();
        self.require_plugin(out, plugin);
        if out.findings.len() == before {
            return;
        }
        let fix = Fix::unsafe_(format!("enable the {plugin} admission plugin"));
        out.with_fix(self.enable_plugin(c, fix, plugin));
    }

    /// Add to `fix` the change that enables admission plugin `plugin`: added to the last
    /// `--enable-admission-plugins` (or a new one), or taken out of the list that disables it.
    pub fn enable_plugin(&self, c: &ContainerView<'_>, fix: Fix, plugin: &str) -> Fix {
        match self.list_contains("disable-admission-plugins", plugin) {
            Some(f) => without_item(c, fix, f, plugin),
            None => self.list_plugin(c, fix, plugin),
        }
    }

    /// Add to `fix` the change that lists `plugin` in `--enable-admission-plugins` (for a
    /// plugin that is off by default), taking it out of `--disable-admission-plugins` too.
    pub fn add_plugin(&self, c: &ContainerView<'_>, fix: Fix, plugin: &str) -> Fix {
        let fix = match self.list_contains("disable-admission-plugins", plugin) {
            Some(f) => without_item(c, fix, f, plugin),
            None => fix,
        };
        self.list_plugin(c, fix, plugin)
    }

    /// `plugin` added to the last `--enable-admission-plugins`, or a new one.
    fn list_plugin(&self, c: &ContainerView<'_>, fix: Fix, plugin: &str) -> Fix {
        if let Some(f) = self.last("enable-admission-plugins") {
            let mut items: Vec<&str> = f.items().collect();
            items.push(plugin);
            set_occurrence(c, fix, f, &items.join(","))
        } else if self.has("admission-control") {
            // The removed predecessor: leave mixing the two to the person.
            fix.change(self.missing_path.clone(), None)
        } else {
            self.set_flag(c, fix, "enable-admission-plugins", plugin)
        }
    }

    /// `forbid_plugin`, with a fix that takes `plugin` out of each list that enables it.
    pub fn forbid_plugin_fix(&self, out: &mut Sink, c: &ContainerView<'_>, plugin: &str) {
        self.fix_each(out, c, plugin, |f, out| f.forbid_plugin(out, plugin));
    }

    /// `forbid_disabled_plugin`, with a fix that takes `plugin` out of each list that
    /// disables it.
    pub fn forbid_disabled_plugin_fix(&self, out: &mut Sink, c: &ContainerView<'_>, plugin: &str) {
        self.fix_each(out, c, plugin, |f, out| {
            f.forbid_disabled_plugin(out, plugin)
        });
    }

    /// Run `report` (findings at list flags naming `item`) and give each finding the fix
    /// that removes `item` from the occurrence it is at.
    fn fix_each(
        &self,
        out: &mut Sink,
        c: &ContainerView<'_>,
        item: &str,
        report: impl Fn(&Flags, &mut Sink),
    ) {
        let before = out.findings.len();
        report(self, out);
        for finding in &mut out.findings[before..] {
            if let Some(f) = self.flags.iter().find(|f| f.value_path == finding.path) {
                let fix = Fix::unsafe_(format!("remove {item} from --{}", f.name));
                finding.fix = Some(Box::new(without_item(c, fix, f, item)));
            }
        }
    }

    /// `require_authz_mode`, with a fix that adds `mode` to `--authorization-mode` (after
    /// `Node`, before the others, so that an `AlwaysAllow` later in the list no longer
    /// decides first), or sets `--authorization-mode=Node,RBAC` when it is missing.
    pub fn require_authz_mode_fix(&self, out: &mut Sink, c: &ContainerView<'_>, mode: &str) {
        let before = out.findings.len();
        self.require_authz_mode(out, mode);
        if out.findings.len() == before {
            return;
        }
        let fix = Fix::unsafe_(format!("add {mode} to --authorization-mode"));
        let fix = match self.last("authorization-mode") {
            Some(f) => {
                let mut items: Vec<&str> = f.items().collect();
                let at = items.iter().position(|i| *i == "Node").map_or(0, |p| p + 1);
                items.insert(at, mode);
                set_occurrence(c, fix, f, &items.join(","))
            }
            None => self.set_flag(c, fix, "authorization-mode", "Node,RBAC"),
        };
        out.with_fix(fix);
    }

    /// A fix that sets feature gate `gate` to `on` in occurrence `f` of `--feature-gates`
    /// (every `gate=` item of it; the others stay as written).
    pub fn set_gate(&self, c: &ContainerView<'_>, fix: Fix, f: &Flag, gate: &str, on: bool) -> Fix {
        let items: Vec<String> = f
            .items()
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if k.trim() == gate => format!("{}={on}", k.trim()),
                _ => kv.to_string(),
            })
            .collect();
        set_occurrence(c, fix, f, &items.join(","))
    }

    /// A fix that takes `item` out of occurrence `f` of a list flag, writing `fallback`
    /// when nothing else is left.
    pub fn drop_list_item(
        &self,
        c: &ContainerView<'_>,
        fix: Fix,
        f: &Flag,
        item: &str,
        fallback: &str,
    ) -> Fix {
        let rest: Vec<&str> = f.items().filter(|i| *i != item).collect();
        let value = if rest.is_empty() {
            fallback.to_string()
        } else {
            rest.join(",")
        };
        set_occurrence(c, fix, f, &value)
    }

    /// `require_bool`, with a fix that sets the flag to `want` (unsafe: a control-plane
    /// flag change may break the cluster).
    pub fn require_bool_fix(
        &self,
        out: &mut Sink,
        c: &ContainerView<'_>,
        name: &str,
        want: bool,
        default: bool,
    ) {
        let before = out.findings.len();
        self.require_bool(out, name, want, default);
        if out.findings.len() > before {
            let fix = Fix::unsafe_(format!("set --{name}={want}"));
            out.with_fix(self.set_flag(c, fix, name, &want.to_string()));
        }
    }

    /// `require_min_int`, with a fix that sets the flag to `min` (unsafe).
    pub fn require_min_int_fix(&self, out: &mut Sink, c: &ContainerView<'_>, name: &str, min: i64) {
        let before = out.findings.len();
        self.require_min_int(out, name, min);
        if out.findings.len() > before {
            let fix = Fix::unsafe_(format!("set --{name}={min}"));
            out.with_fix(self.set_flag(c, fix, name, &min.to_string()));
        }
    }

    /// `require_strong_ciphers`, with a fix that keeps only the strong suites of each
    /// reported `--tls-cipher-suites` (or writes `FIX_CIPHERS` when none is strong or the
    /// flag is missing). Unsafe: clients that only speak the removed suites are cut off.
    pub fn require_strong_ciphers_fix(&self, out: &mut Sink, c: &ContainerView<'_>) {
        let before = out.findings.len();
        self.require_strong_ciphers(out);
        for finding in &mut out.findings[before..] {
            let fix = Fix::unsafe_("allow only strong TLS cipher suites");
            let at = self
                .all("tls-cipher-suites")
                .find(|f| f.value_path == finding.path);
            let fix = match at {
                Some(f) => {
                    let strong: Vec<&str> = f.items().filter(|s| is_strong_cipher(s)).collect();
                    let value = if strong.is_empty() {
                        FIX_CIPHERS.join(",")
                    } else {
                        strong.join(",")
                    };
                    set_occurrence(c, fix, f, &value)
                }
                None => self.set_flag(c, fix, "tls-cipher-suites", &FIX_CIPHERS.join(",")),
            };
            finding.fix = Some(Box::new(fix));
        }
    }

    /// `require_loopback_bind`, with a fix that binds to `127.0.0.1` (unsafe).
    pub fn require_loopback_bind_fix(&self, out: &mut Sink, c: &ContainerView<'_>) {
        let before = out.findings.len();
        self.require_loopback_bind(out);
        if out.findings.len() > before {
            let fix = Fix::unsafe_("set --bind-address=127.0.0.1");
            out.with_fix(self.set_flag(c, fix, "bind-address", "127.0.0.1"));
        }
    }

    /// `require_all_set` for flags naming files, with a suggestion that writes each empty
    /// or missing flag with a path placeholder (display: only the person knows the path).
    pub fn require_paths_fix(&self, out: &mut Sink, c: &ContainerView<'_>, names: &[&str]) {
        let mut missing = Vec::new();
        for name in names {
            match self.last(name) {
                None => missing.push(*name),
                Some(f) if f.text().is_empty() => {
                    out.report(
                        f.value_path.clone(),
                        format!("{} sets --{name} without a value", self.who),
                    );
                    let fix = Fix::display(format!("set --{name} to a file path"));
                    out.with_fix(self.set_flag(c, fix, name, PATH_PLACEHOLDER));
                }
                Some(_) => {}
            }
        }
        if missing.is_empty() {
            return;
        }
        let flags: Vec<String> = missing.iter().map(|n| format!("--{n}")).collect();
        out.report(
            self.missing_path.clone(),
            format!("{} does not set {}", self.who, flags.join(" or ")),
        );
        let fix = Fix::display(format!("set {} to file paths", flags.join(" and ")));
        let new: Vec<(&str, &str)> = missing.iter().map(|n| (*n, PATH_PLACEHOLDER)).collect();
        out.with_fix(self.append_flags(c, fix, &new));
    }

    /// Add to `fix` the missing flags `new` (`--name=value` each), appended in one change
    /// to the list the finding points at, so that they do not compete for one place.
    fn append_flags(&self, c: &ContainerView<'_>, fix: Fix, new: &[(&str, &str)]) -> Fix {
        match self.append_key(c) {
            Some(key) => {
                let items = new
                    .iter()
                    .map(|(n, v)| self.item_like(c, key, &format!("--{n}={v}")))
                    .collect();
                fix.append(c.node, &c.path, &[key], items)
            }
            None => fix.change(self.missing_path.clone(), None),
        }
    }

    /// `require_plugin` for a plugin that reads its settings from the admission
    /// configuration file and stops the API server from starting without them: a
    /// suggestion (display) that enables it and adds `--admission-control-config-file` with
    /// a path placeholder when that flag is missing.
    pub fn require_configured_plugin_fix(
        &self,
        out: &mut Sink,
        c: &ContainerView<'_>,
        plugin: &str,
    ) {
        const CONFIG: &str = "admission-control-config-file";
        let before = out.findings.len();
        self.require_plugin(out, plugin);
        if out.findings.len() == before {
            return;
        }
        let fix = Fix::display(format!(
            "enable {plugin} and configure it in the --{CONFIG} file"
        ));
        let appends_plugin = !self.has("enable-admission-plugins")
            && self
                .list_contains("disable-admission-plugins", plugin)
                .is_none();
        let fix = if self.has(CONFIG) {
            self.enable_plugin(c, fix, plugin)
        } else if appends_plugin && !self.has("admission-control") {
            let new = [
                ("enable-admission-plugins", plugin),
                (CONFIG, PATH_PLACEHOLDER),
            ];
            self.append_flags(c, fix, &new)
        } else {
            let fix = self.enable_plugin(c, fix, plugin);
            self.set_flag(c, fix, CONFIG, PATH_PLACEHOLDER)
        };
        out.with_fix(fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::yaml::load::load_all;

    fn flag(name: &str, same_item: bool) -> Flag {
        let p = YamlPath::root().key("command").index(1);
        Flag {
            name: name.to_string(),
            value: None,
            flag_path: p.clone(),
            value_path: if same_item { p } else { p.index(0) },
        }
    }

    fn item(text: &str) -> Node {
        let src = SourceFile::new("t.yaml", text);
        load_all(&src).remove(0).map(|d| d.root).unwrap()
    }

    #[test]
    fn values_are_replaced_in_each_form() {
        let f = flag("anonymous-auth", true);
        assert_eq!(
            replaced(&item("--anonymous-auth=true"), &f, "false").as_deref(),
            Some("--anonymous-auth=false")
        );
        assert_eq!(
            replaced(&item("--anonymous-auth"), &f, "false").as_deref(),
            Some("--anonymous-auth=false")
        );
        assert_eq!(
            replaced(&item("--anonymous_auth=1"), &f, "false").as_deref(),
            Some("--anonymous_auth=false")
        );
        // A script item holding the flag among other words is not rewritten.
        assert_eq!(
            replaced(
                &item("exec kube-apiserver --anonymous-auth=true"),
                &f,
                "false"
            ),
            None
        );
        let sep = flag("anonymous-auth", false);
        assert_eq!(
            replaced(&item("'true'"), &sep, "false").as_deref(),
            Some("false")
        );
    }

    #[test]
    fn quoting_follows_the_old_item_and_the_context() {
        assert_eq!(scalar_like(&item("'x'"), "--a=b", false), "'--a=b'");
        assert_eq!(scalar_like(&item("\"x\""), "--a=b", false), "\"--a=b\"");
        assert_eq!(scalar_like(&item("x"), "--a=b,c", false), "--a=b,c");
        assert_eq!(scalar_like(&item("x"), "--a=b,c", true), "\"--a=b,c\"");
        assert_eq!(scalar_like(&item("x"), "--a=b # c", false), "\"--a=b # c\"");
        assert!(!plain_safe("--a=b: c", false));
    }
}
