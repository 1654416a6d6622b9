//! Command-line flags of control-plane components, read from the container that runs them.
//!
//! A static pod manifest (`/etc/kubernetes/manifests/kube-apiserver.yaml`) or a workload
//! running `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`, `etcd`, `kubelet` or
//! `kube-proxy` carries the component's flags in `command` and `args`. Every flag keeps the
//! path of the item that holds its value, so a finding lands on that item: `--flag=v` on its
//! own item, `--flag v` on the item holding `v`. A flag the rule needs but that is missing is
//! reported at the container's `command` (or `args`), where it should be added.
//!
//! Parsing follows the components: `--name=value` and `--name value` are alike, a bare
//! `--name` is `true` for a boolean, `_` in a name means `-` (pflag's normalization), the
//! last occurrence of a scalar flag wins while list flags (`--enable-admission-plugins`,
//! `--authorization-mode`, `--feature-gates`, `--tls-cipher-suites`) accumulate. etcd also
//! reads `ETCD_<FLAG>` environment variables, which the command line overrides.

use super::container::{ContainerList, ContainerView};
use super::object::ObjectView;
use crate::rule::Sink;
use crate::yaml::{Node, YamlPath};

/// A control-plane or node component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
    Kubelet,
    KubeProxy,
}

/// Architecture suffixes of old image names (`kube-apiserver-amd64`).
const ARCH_SUFFIXES: &[&str] = &["-amd64", "-arm64", "-arm", "-ppc64le", "-s390x"];

impl Component {
    /// The binary's name.
    pub fn binary(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::Etcd => "etcd",
            Component::Kubelet => "kubelet",
            Component::KubeProxy => "kube-proxy",
        }
    }

    /// The component an executable, image or hyperkube sub-command names: the last path
    /// segment, without a tag, digest or architecture suffix.
    pub fn from_name(name: &str) -> Option<Component> {
        let name = name.split('@').next().unwrap_or(name);
        let base = name.rsplit('/').next().unwrap_or(name);
        let base = base.split(':').next().unwrap_or(base);
        let base = ARCH_SUFFIXES
            .iter()
            .find_map(|s| base.strip_suffix(s))
            .unwrap_or(base);
        [
            Component::ApiServer,
            Component::ControllerManager,
            Component::Scheduler,
            Component::Etcd,
            Component::Kubelet,
            Component::KubeProxy,
        ]
        .into_iter()
        .find(|c| c.binary() == base)
    }

    /// A hyperkube sub-command: the binary's name, or its short form (`apiserver`). Short
    /// forms are not accepted elsewhere: an image called `scheduler` is not kube-scheduler.
    fn from_hyperkube(sub: &str) -> Option<Component> {
        Component::from_name(sub).or(match sub {
            "apiserver" => Some(Component::ApiServer),
            "controller-manager" => Some(Component::ControllerManager),
            "scheduler" => Some(Component::Scheduler),
            "proxy" => Some(Component::KubeProxy),
            _ => None,
        })
    }
}

/// One occurrence of a flag.
#[derive(Clone, Debug)]
pub struct Flag {
    /// The name without dashes, `_` normalized to `-`.
    pub name: String,
    /// The value; `None` for a bare `--name`.
    pub value: Option<String>,
    /// The item that holds the flag's name.
    pub flag_path: YamlPath,
    /// The item that holds the value (the flag's own item for `--name=v` or a bare flag).
    pub value_path: YamlPath,
}

impl Flag {
    /// The value, trimmed; empty for a bare flag.
    pub fn text(&self) -> &str {
        self.value.as_deref().map_or("", str::trim)
    }

    /// A boolean the way Go's strconv.ParseBool reads it; a bare flag is `true`.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value.as_deref().map(str::trim) {
            None => Some(true),
            Some(v) => parse_go_bool(v),
        }
    }

    /// The comma-separated items of a list value.
    pub fn items(&self) -> impl Iterator<Item = &str> {
        self.text()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// `--name=value` for messages.
    pub fn display(&self) -> String {
        match &self.value {
            Some(v) => format!("--{}={}", self.name, v.trim()),
            None => format!("--{}", self.name),
        }
    }
}

/// Go's strconv.ParseBool.
pub fn parse_go_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// The flags of one component container.
#[derive(Clone, Debug)]
pub struct Flags {
    pub component: Component,
    /// Every flag in command-line order (etcd's environment variables first).
    pub flags: Vec<Flag>,
    /// Where a missing flag is reported: the container's `command`, else its `args`, or
    /// the shell script that starts the component.
    pub missing_path: YamlPath,
    /// `kube-apiserver in container "name"`, for messages.
    pub who: String,
}

/// One word of the command line and the item it came from.
struct Word {
    text: String,
    path: YamlPath,
}

fn words_of(node: Option<&Node>, path: YamlPath) -> Vec<Word> {
    node.map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            n.scalar_text().map(|t| Word {
                text: t.to_string(),
                path: path.index(i),
            })
        })
        .collect()
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh"];

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// Split a shell script into words: whitespace separates, quotes group, a backslash
/// before a newline continues the line. Enough for `exec kube-apiserver --a=b \` scripts.
fn shell_words(script: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    while let Some(ch) = chars.next() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(ch);
                in_word = true;
            }
            (None, '\\') => match chars.next() {
                Some('\n') | None => {}
                Some(c) => {
                    cur.push(c);
                    in_word = true;
                }
            },
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// Where a component's command line starts: the component and the words after its
/// executable; the path for a missing flag when it is a script.
fn find_component(argv: &[Word]) -> Option<(Component, Vec<Word>, Option<YamlPath>)> {
    let exe = argv.first()?;
    let name = basename(&exe.text);
    if let Some(comp) = Component::from_name(name).filter(|_| !exe.text.starts_with('-')) {
        return Some((comp, argv[1..].iter().map(clone_word).collect(), None));
    }
    if name == "hyperkube" {
        let comp = Component::from_hyperkube(&argv.get(1)?.text)?;
        return Some((comp, argv[2..].iter().map(clone_word).collect(), None));
    }
    if SHELLS.contains(&name) {
        // `sh -c "script"` (also `-ec`, `-xc`): the script is the item after the option.
        let at = argv.iter().position(|w| {
            w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('c')
        })?;
        let script = argv.get(at + 1)?;
        // Most scripts start something else: skip tokenizing them.
        if !["kube-", "etcd", "kubelet"]
            .iter()
            .any(|n| script.text.contains(n))
        {
            return None;
        }
        let words = shell_words(&script.text);
        let start = words
            .iter()
            .position(|w| Component::from_name(basename(w)).is_some())?;
        let comp = Component::from_name(basename(&words[start]))?;
        let rest = words[start + 1..]
            .iter()
            .take_while(|w| !matches!(w.as_str(), ";" | "&&" | "||" | "|" | "&"))
            .map(|w| Word {
                text: w.trim_end_matches(';').to_string(),
                path: script.path.clone(),
            })
            .collect();
        return Some((comp, rest, Some(script.path.clone())));
    }
    None
}

fn clone_word(w: &Word) -> Word {
    Word {
        text: w.text.clone(),
        path: w.path.clone(),
    }
}

/// A value that follows `--name` as its own word: anything that is not another flag (a
/// negative number is a value).
fn is_value_word(w: &str) -> bool {
    !w.starts_with('-') || w.parse::<f64>().is_ok()
}

fn parse_flags(words: &[Word]) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if w.text == "--" {
            break;
        }
        let Some(body) = w
            .text
            .strip_prefix("--")
            .or_else(|| w.text.strip_prefix('-'))
            .filter(|b| !b.is_empty() && !b.starts_with('-'))
        else {
            continue;
        };
        let (name, value, value_path) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string()), w.path.clone()),
            None => match words.get(i).filter(|n| is_value_word(&n.text)) {
                Some(next) => {
                    i += 1;
                    (body, Some(next.text.clone()), next.path.clone())
                }
                None => (body, None, w.path.clone()),
            },
        };
        flags.push(Flag {
            name: name.replace('_', "-"),
            value,
            flag_path: w.path.clone(),
            value_path,
        });
    }
    flags
}

/// etcd reads `ETCD_CLIENT_CERT_AUTH=true` as `--client-cert-auth=true`.
fn etcd_env_flags(c: &ContainerView<'_>) -> Vec<Flag> {
    let env_path = c.field_path("env");
    let Some(env) = c.get("env") else {
        return Vec::new();
    };
    env.items()
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let name = e.get("name")?.as_str()?.strip_prefix("ETCD_")?;
            let value = e.get("value")?.scalar_text()?;
            let path = env_path.index(i).key("value");
            Some(Flag {
                name: name.to_ascii_lowercase().replace('_', "-"),
                value: Some(value.to_string()),
                flag_path: path.clone(),
                value_path: path,
            })
        })
        .collect()
}

/// Whether `Flags::parse` finds no component, decided from the first word, the image and
/// the name without building the words and their paths: the usual case (`nginx`, `/app`,
/// no command and an `nginx` image). Mirrors `find_component` and its fallback.
fn runs_no_component(c: &ContainerView<'_>) -> bool {
    let first = ["command", "args"]
        .into_iter()
        .flat_map(|k| c.get(k).map_or(&[][..], Node::items))
        .find_map(Node::scalar_text);
    if let Some(exe) = first {
        let name = basename(exe);
        if name == "hyperkube" || SHELLS.contains(&name) {
            return false;
        }
        if !exe.starts_with('-') {
            return Component::from_name(name).is_none();
        }
    }
    // No command line, or it starts with a flag: the image's entrypoint runs.
    c.get("image")
        .and_then(Node::as_str)
        .and_then(Component::from_name)
        .or_else(|| Component::from_name(c.name()))
        .is_none()
}

impl Flags {
    /// The flags of `c` when it runs a known component: the executable in `command` (or
    /// the first word of `args` when there is no command) names it, else the image, else
    /// the container's name. Only regular containers count: init and ephemeral containers
    /// do not run the component.
    ///
    /// Parsed once per container view and shared by every rule that asks.
    pub fn of<'c>(c: &'c ContainerView<'_>) -> Option<&'c Flags> {
        c.flags_with(|| Flags::parse(c))
    }

    fn parse(c: &ContainerView<'_>) -> Option<Flags> {
        if c.list != ContainerList::Containers || runs_no_component(c) {
            return None;
        }
        Flags::parse_command_line(c)
    }

    /// The flags of a regular container, read from its command line.
    fn parse_command_line(c: &ContainerView<'_>) -> Option<Flags> {
        let command = words_of(c.get("command"), c.field_path("command"));
        let args = words_of(c.get("args"), c.field_path("args"));
        let argv: Vec<Word> = command.into_iter().chain(args).collect();
        let mut missing_path = if c.get("command").is_some() || c.get("args").is_none() {
            c.field_path("command")
        } else {
            c.field_path("args")
        };
        let (component, words) = match find_component(&argv) {
            Some((comp, words, script)) => {
                if let Some(p) = script {
                    missing_path = p;
                }
                (comp, words)
            }
            None => {
                // Another program runs (`etcdctl` in an etcd image, a backup script).
                if argv.first().is_some_and(|w| !w.text.starts_with('-')) {
                    return None;
                }
                // The image's entrypoint runs the component: every item is an argument.
                let comp = c
                    .get("image")
                    .and_then(Node::as_str)
                    .and_then(Component::from_name)
                    .or_else(|| Component::from_name(c.name()))?;
                (comp, argv)
            }
        };
        let mut flags = if component == Component::Etcd {
            etcd_env_flags(c)
        } else {
            Vec::new()
        };
        flags.extend(parse_flags(&words));
        Some(Flags {
            component,
            flags,
            missing_path,
            who: format!("{} in {}", component.binary(), c.describe()),
        })
    }

    /// The flags of `c` when it runs `component`. etcd started with `--config-file` reads
    /// everything from that file and ignores its flags, so it yields nothing.
    pub fn for_component<'c>(c: &'c ContainerView<'_>, component: Component) -> Option<&'c Flags> {
        let f = Flags::of(c).filter(|f| f.component == component)?;
        if component == Component::Etcd && f.has("config-file") {
            return None;
        }
        Some(f)
    }

    /// Every occurrence of `name`.
    pub fn all<'s, 'n>(&'s self, name: &'n str) -> impl Iterator<Item = &'s Flag> + use<'s, 'n> {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// The occurrence that takes effect (the last).
    pub fn last(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }

    /// Whether `name` appears at all.
    pub fn has(&self, name: &str) -> bool {
        self.last(name).is_some()
    }

    /// The first occurrence of list flag `name` whose items contain `item` (exact match).
    pub fn list_contains(&self, name: &str, item: &str) -> Option<&Flag> {
        self.all(name).find(|f| f.items().any(|i| i == item))
    }

    /// The occurrence of `--feature-gates` that sets `gate` last, and the value it sets
    /// (`None` when it is not a boolean).
    pub fn feature_gate(&self, gate: &str) -> Option<(&Flag, Option<bool>)> {
        self.all("feature-gates")
            .filter_map(|f| {
                f.items()
                    .filter_map(|kv| kv.split_once('='))
                    .filter(|(k, _)| k.trim() == gate)
                    .last()
                    .map(|(_, v)| (f, parse_go_bool(v.trim())))
            })
            .last()
    }

    /// CIS "is set": report `name` when it is missing or has an empty value.
    pub fn require_set(&self, out: &mut Sink, name: &str) {
        self.require_all_set(out, &[name]);
    }

    /// Report flags of `names` that are missing (one finding for all of them) or empty
    /// (a finding on each).
    pub fn require_all_set(&self, out: &mut Sink, names: &[&str]) {
        let mut missing = Vec::new();
        for name in names {
            match self.last(name) {
                None => missing.push(format!("--{name}")),
                Some(f) if f.text().is_empty() => out.report(
                    f.value_path.clone(),
                    format!("{} sets --{name} without a value", self.who),
                ),
                Some(_) => {}
            }
        }
        if !missing.is_empty() {
            out.report(
                self.missing_path.clone(),
                format!("{} does not set {}", self.who, missing.join(" or ")),
            );
        }
    }

    /// Report boolean `name` unless it is `want`; a missing flag takes `default`.
    pub fn require_bool(&self, out: &mut Sink, name: &str, want: bool, default: bool) {
        match self.last(name) {
            None if default != want => out.report(
                self.missing_path.clone(),
                format!(
                    "{} does not set --{name}, which defaults to {default}",
                    self.who
                ),
            ),
            None => {}
            Some(f) => match f.as_bool() {
                Some(v) if v == want => {}
                Some(_) => out.report(
                    f.value_path.clone(),
                    format!("{} sets {}", self.who, f.display()),
                ),
                None => out.report(
                    f.value_path.clone(),
                    format!(
                        "{} sets --{name} to `{}`, which is not {want}",
                        self.who,
                        f.text()
                    ),
                ),
            },
        }
    }

    /// Report every occurrence of `name` (a flag that must not be set).
    pub fn forbid(&self, out: &mut Sink, name: &str) {
        for f in self.all(name) {
            out.report(
                f.flag_path.clone(),
                format!("{} sets {}", self.who, f.display()),
            );
        }
    }

    /// Report an integer flag that is missing, not an integer, or below `min`.
    pub fn require_min_int(&self, out: &mut Sink, name: &str, min: i64) {
        match self.last(name) {
            None => out.report(
                self.missing_path.clone(),
                format!("{} does not set --{name} (want {min} or more)", self.who),
            ),
            Some(f) => match f.text().parse::<i64>() {
                Ok(v) if v >= min => {}
                Ok(_) => out.report(
                    f.value_path.clone(),
                    format!("{} sets {} (want {min} or more)", self.who, f.display()),
                ),
                Err(_) => out.report(
                    f.value_path.clone(),
                    format!(
                        "{} sets --{name} to `{}`, not a number (want {min} or more)",
                        self.who,
                        f.text()
                    ),
                ),
            },
        }
    }

    /// Report when no `--authorization-mode` occurrence lists `mode` (modes accumulate
    /// over repeated flags and are case-sensitive). Structured authorization
    /// (`--authorization-config`) without the flag is left to its file.
    pub fn require_authz_mode(&self, out: &mut Sink, mode: &str) {
        if self.list_contains("authorization-mode", mode).is_some() {
            return;
        }
        match self.last("authorization-mode") {
            Some(f) => out.report(
                f.value_path.clone(),
                format!("{} does not include {mode} in {}", self.who, f.display()),
            ),
            None if self.has("authorization-config") => {}
            None => out.report(
                self.missing_path.clone(),
                format!(
                    "{} does not set --authorization-mode, so {mode} authorization is off",
                    self.who
                ),
            ),
        }
    }

    /// The admission plugins that are enabled explicitly (`--enable-admission-plugins`
    /// and its removed predecessor `--admission-control`).
    fn enabling(&self) -> impl Iterator<Item = &Flag> {
        self.flags
            .iter()
            .filter(|f| f.name == "enable-admission-plugins" || f.name == "admission-control")
    }

    /// Report when admission plugin `plugin` is not enabled explicitly, or is disabled.
    pub fn require_plugin(&self, out: &mut Sink, plugin: &str) {
        if let Some(f) = self.list_contains("disable-admission-plugins", plugin) {
            out.report(
                f.value_path.clone(),
                format!("{} disables the {plugin} admission plugin", self.who),
            );
            return;
        }
        if self.enabling().any(|f| f.items().any(|i| i == plugin)) {
            return;
        }
        match self.enabling().last() {
            Some(f) => out.report(
                f.value_path.clone(),
                format!(
                    "{} does not enable the {plugin} admission plugin ({})",
                    self.who,
                    f.display()
                ),
            ),
            None => out.report(
                self.missing_path.clone(),
                format!(
                    "{} does not set --enable-admission-plugins, so {plugin} is not enabled",
                    self.who
                ),
            ),
        }
    }

    /// Report every occurrence of `--enable-admission-plugins` that enables `plugin`.
    pub fn forbid_plugin(&self, out: &mut Sink, plugin: &str) {
        for f in self.enabling().filter(|f| f.items().any(|i| i == plugin)) {
            out.report(
                f.value_path.clone(),
                format!("{} enables the {plugin} admission plugin", self.who),
            );
        }
    }

    /// Report every occurrence of `--disable-admission-plugins` that disables `plugin`.
    pub fn forbid_disabled_plugin(&self, out: &mut Sink, plugin: &str) {
        for f in self
            .all("disable-admission-plugins")
            .filter(|f| f.items().any(|i| i == plugin))
        {
            out.report(
                f.value_path.clone(),
                format!("{} disables the {plugin} admission plugin", self.who),
            );
        }
    }

    /// Report `--bind-address` unless it is a loopback address; a missing flag binds to
    /// every interface (`0.0.0.0`).
    pub fn require_loopback_bind(&self, out: &mut Sink) {
        match self.last("bind-address") {
            None => out.report(
                self.missing_path.clone(),
                format!(
                    "{} does not set --bind-address, so it listens on 0.0.0.0",
                    self.who
                ),
            ),
            Some(f) if is_loopback(f.text()) => {}
            Some(f) => out.report(
                f.value_path.clone(),
                format!("{} sets {}", self.who, f.display()),
            ),
        }
    }

    /// Report the suites of `--tls-cipher-suites` outside `strong`, or a missing flag
    /// (Go's defaults include CBC suites).
    pub fn require_strong_ciphers(&self, out: &mut Sink) {
        let occurrences: Vec<&Flag> = self.all("tls-cipher-suites").collect();
        if occurrences.is_empty() {
            out.report(
                self.missing_path.clone(),
                format!(
                    "{} does not set --tls-cipher-suites, so Go's defaults (with CBC suites) apply",
                    self.who
                ),
            );
            return;
        }
        for f in occurrences {
            let weak: Vec<&str> = f.items().filter(|s| !is_strong_cipher(s)).collect();
            if !weak.is_empty() {
                out.report(
                    f.value_path.clone(),
                    format!(
                        "{} allows weak TLS cipher suites: {}",
                        self.who,
                        weak.join(", ")
                    ),
                );
            }
        }
    }
}

/// Cipher suites CIS 1.2.29 accepts (TLS 1.3 suites, and ECDHE with AES-GCM or
/// ChaCha20-Poly1305). The kubelet list of 4.2.12 is a subset; the names it leaves out
/// are aliases of the same suites or TLS 1.3 suites, so one list serves both.
pub const STRONG_CIPHERS: &[&str] = &[
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

pub fn is_strong_cipher(s: &str) -> bool {
    STRONG_CIPHERS.contains(&s)
}

/// A loopback host, with or without a port: `127.0.0.1`, `127.0.0.1:10249`, `localhost`,
/// `::1`, `[::1]:10249`, or a loopback CIDR such as `127.0.0.0/8`.
pub fn is_loopback(addr: &str) -> bool {
    let addr = addr.trim();
    let host = if let Some(rest) = addr.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else if addr.matches(':').count() == 1 {
        addr.split(':').next().unwrap_or(addr)
    } else {
        addr
    };
    let host = host.split('/').next().unwrap_or(host);
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A Go duration (`4h0m0s`, `300s`, `1.5h`, `0`) in seconds; `None` when malformed.
pub fn parse_go_duration(s: &str) -> Option<f64> {
    let s = s.trim();
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let n: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += n * scale;
        rest = &rest[unit_end..];
    }
    Some(if neg { -total } else { total })
}

/// Whether `obj` is `kind` in API group `group` (any version).
pub fn is_config_kind(obj: &ObjectView<'_>, group: &str, kind: &str) -> bool {
    obj.group() == group && obj.kind() == kind
}

/// A KubeletConfiguration file (kubelet.config.k8s.io).
pub fn is_kubelet_config(obj: &ObjectView<'_>) -> bool {
    is_config_kind(obj, "kubelet.config.k8s.io", "KubeletConfiguration")
}

/// Report a KubeletConfiguration that sets the boolean `field` to an explicit `false`.
pub fn forbid_kubelet_config_false(obj: &ObjectView<'_>, field: &str, out: &mut crate::rule::Sink) {
    if is_kubelet_config(obj) && obj.root.get(field).and_then(Node::as_bool) == Some(false) {
        out.report(
            obj.path(field),
            format!("KubeletConfiguration sets {field}: false"),
        );
        out.with_fix(crate::fix::Fix::unsafe_(format!("set {field}: true")).set(
            obj.root,
            obj.base,
            &[field],
            crate::fix::Val::bool(true),
        ));
    }
}

/// A kubelet run from a manifest: its flags, unless it also reads a KubeletConfiguration
/// file (`--config`), in which case only flags that are present count, since a missing
/// one takes the file's value.
pub struct KubeletFlags<'c> {
    pub flags: &'c Flags,
    /// `--config` is set: missing flags defer to the configuration file.
    pub uses_config: bool,
}

impl<'c> KubeletFlags<'c> {
    pub fn of(c: &'c ContainerView<'_>) -> Option<KubeletFlags<'c>> {
        let flags = Flags::for_component(c, Component::Kubelet)?;
        let uses_config = flags.has("config");
        Some(KubeletFlags { flags, uses_config })
    }

    /// Whether the flags decide setting `name`: the flag is given, or there is no
    /// configuration file to supply it (then the flag's default applies).
    pub fn decides(&self, name: &str) -> bool {
        !self.uses_config || self.flags.has(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(items: &[&str]) -> Vec<Word> {
        items
            .iter()
            .enumerate()
            .map(|(i, t)| Word {
                text: t.to_string(),
                path: YamlPath::root().key("command").index(i),
            })
            .collect()
    }

    #[test]
    fn both_flag_forms_and_their_items() {
        let f = parse_flags(&words(&[
            "--a=1", "--b", "2", "--c", "--d_e=x", "--qps", "-1",
        ]));
        let got: Vec<(&str, Option<&str>, String)> = f
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.value.as_deref(),
                    f.value_path.to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("a", Some("1"), "command[0]".to_string()),
                ("b", Some("2"), "command[2]".to_string()),
                ("c", None, "command[3]".to_string()),
                ("d-e", Some("x"), "command[4]".to_string()),
                ("qps", Some("-1"), "command[6]".to_string()),
            ]
        );
    }

    #[test]
    fn components_by_name() {
        assert_eq!(
            Component::from_name("/usr/local/bin/kube-apiserver"),
            Some(Component::ApiServer)
        );
        assert_eq!(
            Component::from_name("registry.k8s.io/kube-apiserver:v1.30.0"),
            Some(Component::ApiServer)
        );
        assert_eq!(
            Component::from_name("gcr.io/google_containers/kube-apiserver-amd64:v1.6.0"),
            Some(Component::ApiServer)
        );
        assert_eq!(
            Component::from_name("localhost:5000/etcd@sha256:abc"),
            Some(Component::Etcd)
        );
        assert_eq!(Component::from_name("nginx:1.25"), None);
    }

    #[test]
    fn shell_scripts_start_components() {
        let argv = words(&[
            "/bin/sh",
            "-ec",
            "exec kube-scheduler --profiling=false \\\n --bind-address 127.0.0.1; echo done",
        ]);
        let (comp, rest, script) = find_component(&argv).unwrap();
        assert_eq!(comp, Component::Scheduler);
        let flags = parse_flags(&rest);
        assert_eq!(flags.len(), 2);
        assert_eq!(flags[1].value.as_deref(), Some("127.0.0.1"));
        assert_eq!(script.unwrap().to_string(), "command[2]");
    }

    /// The shortcut for containers that run no component agrees with the full parse, and
    /// cached lookups give the same answer.
    #[test]
    fn no_component_shortcut_agrees_with_the_parse() {
        use crate::source::SourceFile;
        use crate::yaml::load::load_all;
        let cases = [
            ("{name: app, image: nginx}", false),
            ("{name: app, image: nginx, command: [nginx, -g]}", false),
            ("{name: app, image: nginx, args: [--port=80]}", false),
            (
                "{name: app, image: 'registry.k8s.io/kube-apiserver:v1.30.0'}",
                true,
            ),
            ("{name: etcd, image: 'quay.io/coreos/etcd-backup'}", true),
            ("{name: etcd, image: etcd, command: [etcdctl, get]}", false),
            (
                "{name: x, image: y, command: [/usr/local/bin/kube-scheduler, --profiling=false]}",
                true,
            ),
            ("{name: x, image: kube-proxy, args: [--v=2]}", true),
            (
                "{name: x, image: y, command: [hyperkube, apiserver, --a=b]}",
                true,
            ),
            ("{name: x, image: y, command: [hyperkube, nginx]}", false),
            (
                "{name: x, image: y, command: [sh, -c, 'exec kubelet --a=b']}",
                true,
            ),
            (
                "{name: x, image: y, command: [sh, -c, 'exec nginx']}",
                false,
            ),
            (
                "{name: x, image: y, command: [--x/hyperkube, kubelet]}",
                true,
            ),
            (
                "{name: kubelet, image: y, command: [--kube-apiserver]}",
                true,
            ),
            ("{name: x, image: y, command: [{a: b}, kubelet]}", true),
        ];
        for (text, component) in cases {
            let src = SourceFile::new("t.yaml", text);
            let node = load_all(&src).remove(0).map(|d| d.root).unwrap();
            let c = ContainerView::new(&node, ContainerList::Containers, 0, YamlPath::root());
            let parsed = Flags::parse_command_line(&c);
            assert_eq!(parsed.is_some(), component, "{text}");
            // The shortcut may leave a case to the parse, never skip a component.
            assert!(!runs_no_component(&c) || parsed.is_none(), "{text}");
            assert_eq!(Flags::of(&c).is_some(), component, "{text}");
        }
    }

    #[test]
    fn helpers() {
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("127.0.0.1:10249"));
        assert!(is_loopback("[::1]:10249"));
        assert!(is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0:10249"));
        assert!(!is_loopback("10.0.0.1"));
        assert_eq!(parse_go_duration("4h0m0s"), Some(14400.0));
        assert_eq!(parse_go_duration("1.5m"), Some(90.0));
        assert_eq!(parse_go_duration("0"), Some(0.0));
        assert_eq!(parse_go_duration("0s"), Some(0.0));
        assert_eq!(parse_go_duration("60"), None);
        assert_eq!(parse_go_duration("-1s"), Some(-1.0));
        assert_eq!(parse_go_bool("False"), Some(false));
        assert_eq!(parse_go_bool("no"), None);
    }
}
