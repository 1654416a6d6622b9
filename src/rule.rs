//! Rule metadata, the `Rule` trait and the sink rules report into.

use std::fmt;

use crate::k8s::{ContainerView, ObjectView, PodSpecView};
use crate::yaml::YamlPath;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }

    /// GitHub code scanning's `security-severity` score for this level.
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "1.0",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule looks at; the engine calls the matching `Rule` method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Every object (`check_object`).
    Object,
    /// Every pod spec embedded in a workload (`check_pod`).
    Pod,
    /// Every container, init container and ephemeral container (`check_container`).
    Container,
    /// The loaded document itself, before it is an object (`check_document`).
    Document,
    /// Every object of a lint context together: a directory, a stream, a render
    /// (`check_context`).
    Context,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Object => "object",
            Target::Pod => "pod",
            Target::Container => "container",
            Target::Document => "document",
            Target::Context => "context",
        }
    }
}

/// Everything static about a rule. Built by `declare_rule!`.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id (`privileged-container`).
    pub id: &'static str,
    /// Stable code (`KSPM101`); never reused.
    pub code: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub target: Target,
    /// Markdown with the headings What it does / Why is this bad / Example / References.
    pub docs: &'static str,
    /// Equivalent checks in other tools, keyed by tool name.
    pub peers: &'static [(&'static str, &'static [&'static str])],
    /// One-line remediation shown as the help line.
    pub help: &'static str,
    /// The applicability of the fix the rule attaches to its findings, if it has one.
    pub fix: Option<crate::fix::Applicability>,
}

impl RuleMeta {
    pub fn docs_url(&self) -> String {
        format!("https://kspm.dev/rules/{}", self.id)
    }
}

/// Settings a rule may read; never I/O.
#[derive(Clone, Debug)]
pub struct RuleContext {
    /// The Kubernetes minor version (1.N) the PSS policy and API checks target.
    pub kube_minor: u32,
    pub options: crate::options::RuleOptions,
}

/// The newest Pod Security Standards policy version kspm knows.
pub const LATEST_KUBE_MINOR: u32 = 37;

impl Default for RuleContext {
    fn default() -> Self {
        RuleContext {
            kube_minor: LATEST_KUBE_MINOR,
            options: crate::options::RuleOptions::default(),
        }
    }
}

/// A finding as a rule reports it: a path in the document, a message. The engine turns it
/// into a positioned `Finding`.
#[derive(Clone, Debug)]
pub struct RawFinding {
    pub rule: &'static RuleMeta,
    /// For context rules: the index of the object in the `LintContext`.
    pub object: Option<usize>,
    pub path: YamlPath,
    /// An explicit span, for findings about text rather than a field (a duplicate key:
    /// the path names the field, which resolves to the winning entry).
    pub span: Option<crate::yaml::Span>,
    /// A secret value to mask wherever the source is shown.
    pub secret: Option<crate::yaml::Span>,
    pub message: String,
    /// The edits that resolve the finding, when the rule knows them.
    pub fix: Option<Box<crate::fix::Fix>>,
}

/// Where a rule reports; the engine gives each rule its own sink.
#[derive(Debug)]
pub struct Sink {
    rule: &'static RuleMeta,
    pub findings: Vec<RawFinding>,
}

impl Sink {
    pub fn new(rule: &'static RuleMeta) -> Self {
        Sink {
            rule,
            findings: Vec::new(),
        }
    }

    pub fn report(&mut self, path: YamlPath, message: impl Into<String>) {
        self.findings.push(RawFinding {
            rule: self.rule,
            object: None,
            path,
            span: None,
            secret: None,
            message: message.into(),
            fix: None,
        });
    }

    /// Report on object `object` of a `LintContext` (context rules).
    pub fn report_on(&mut self, object: usize, path: YamlPath, message: impl Into<String>) {
        self.findings.push(RawFinding {
            rule: self.rule,
            object: Some(object),
            path,
            span: None,
            secret: None,
            message: message.into(),
            fix: None,
        });
    }

    /// Report at an explicit span; `path` still names the field.
    pub fn report_at(
        &mut self,
        path: YamlPath,
        span: crate::yaml::Span,
        message: impl Into<String>,
    ) {
        self.findings.push(RawFinding {
            rule: self.rule,
            object: None,
            path,
            span: Some(span),
            secret: None,
            message: message.into(),
            fix: None,
        });
    }

    /// Attach a fix to the finding reported last.
    pub fn with_fix(&mut self, fix: crate::fix::Fix) {
        if let Some(last) = self.findings.last_mut() {
            last.fix = Some(Box::new(fix));
        }
    }

    /// Report a hard-coded secret: underline `span` (the key) and mask `secret` (the value)
    /// in every snippet of the source.
    pub fn report_secret(
        &mut self,
        path: YamlPath,
        span: crate::yaml::Span,
        secret: crate::yaml::Span,
        message: impl Into<String>,
    ) {
        self.findings.push(RawFinding {
            rule: self.rule,
            object: None,
            path,
            span: Some(span),
            secret: Some(secret),
            message: message.into(),
            fix: None,
        });
    }
}

/// A rule: pure functions over views.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    fn check_document(
        &self,
        _cx: &RuleContext,
        _doc: &crate::yaml::load::Document,
        _out: &mut Sink,
    ) {
    }

    fn check_object(&self, _cx: &RuleContext, _obj: &ObjectView<'_>, _out: &mut Sink) {}

    fn check_pod(&self, _cx: &RuleContext, _pod: &PodSpecView<'_>, _out: &mut Sink) {}

    /// The kinds a context rule reads; the engine keeps only objects of these kinds for
    /// the cross-object phase. `None` (the default) keeps every object.
    fn context_kinds(&self) -> Option<&'static [&'static str]> {
        None
    }

    fn check_context(&self, _cx: &RuleContext, _ctx: &crate::k8s::LintContext, _out: &mut Sink) {}

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        _c: &ContainerView<'_>,
        _out: &mut Sink,
    ) {
    }
}

/// Declare a rule: its doc comment becomes its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct PrivilegedContainer {
///         id: "privileged-container", code: "KSPM101", title: "Privileged container",
///         severity: Critical, target: Container,
///         help: "Set securityContext.privileged to false or remove it.",
///         peers: { "kube-linter": ["privileged-container"], "checkov": ["CKV_K8S_16"] },
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            id: $id:literal,
            code: $code:literal,
            title: $title:literal,
            severity: $sev:ident,
            target: $target:ident,
            $(fix: $fix:ident,)?
            help: $help:literal,
            peers: { $($peer:literal : [$($pid:literal),* $(,)?]),* $(,)? } $(,)?
        }
    ) => {
        $vis struct $name;
        impl $name {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                id: $id,
                code: $code,
                title: $title,
                severity: $crate::rule::Severity::$sev,
                target: $crate::rule::Target::$target,
                docs: concat!($($doc, "\n"),*),
                peers: &[$(($peer, &[$($pid),*])),*],
                help: $help,
                fix: $crate::__rule_fix!($($fix)?),
            };
        }
    };
}

/// `fix: Safe` in `declare_rule!` -> `Some(Applicability::Safe)`; absent -> `None`.
#[doc(hidden)]
#[macro_export]
macro_rules! __rule_fix {
    () => {
        None
    };
    ($fix:ident) => {
        Some($crate::fix::Applicability::$fix)
    };
}
