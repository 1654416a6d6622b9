//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//!
//! Everything is derived from the report alone (no clock, no absolute paths, no hash-map
//! order), so the same report renders to the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix as SarifFix, Invocation, Location,
    Message, MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    Replacement, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel,
    Suppression, Tool, ToolComponent,
};
use sha2::{Digest, Sha256};

use super::{Finding, LintError, Report, Suppressed, SuppressedFinding};
use crate::rule::{RuleMeta, Severity};

/// Where `%SRCROOT%`-relative URIs are anchored; the consumer (GitHub: the checkout) decides.
const SRCROOT: &str = "%SRCROOT%";
/// Key of our fingerprint in `partialFingerprints`; bump the version if its recipe changes.
const FINGERPRINT_KEY: &str = "kspm/v1";
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://kspm.dev";
/// GitHub ignores tags past this many per rule.
const MAX_TAGS: usize = 20;

/// The SARIF log, pretty-printed, with a trailing newline.
pub fn render(report: &Report) -> String {
    render_with(report, &[])
}

/// The SARIF log with suppressed findings among the results, each with a `suppressions`
/// entry (`inSource` for annotations and comments, `external` for the configuration and
/// baselines) carrying the reason as its justification.
pub fn render_with(report: &Report, suppressed: &[SuppressedFinding]) -> String {
    let items = super::listed(&report.findings, suppressed, true);
    let mut rules = report.all_rules();
    if !suppressed.is_empty() {
        rules.extend(suppressed.iter().map(|s| s.finding.rule));
        rules.sort_by_key(|r| r.id);
        rules.dedup_by_key(|r| r.id);
    }
    let rule_index: HashMap<&'static str, usize> =
        rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();

    let mut seen: HashMap<String, usize> = HashMap::new();
    let fingerprints: Vec<String> = items
        .iter()
        .map(|(f, _)| {
            let base = fingerprint(f);
            // Findings identical in every fingerprinted part (e.g. two messages about one
            // field) get an occurrence number, as GitHub does for its own line hashes.
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            format!("{base}:{n}")
        })
        .collect();

    let mut notifications: Vec<Notification> =
        report.errors.iter().map(error_notification).collect();
    notifications.extend(report.notes.iter().map(|note| {
        let mut n = Notification::builder().message(text_message(note)).build();
        n.level = Some(json!("note"));
        n
    }));

    let mut driver = ToolComponent::builder().name("kspm").build();
    driver.full_name = Some(format!("kspm {}", env!("CARGO_PKG_VERSION")));
    driver.version = Some(env!("CARGO_PKG_VERSION").to_owned());
    driver.semantic_version = Some(env!("CARGO_PKG_VERSION").to_owned());
    driver.information_uri = Some(INFORMATION_URI.to_owned());
    driver.rules = Some(rules.iter().map(|r| descriptor(report, r)).collect());

    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT.to_owned(),
        ArtifactLocation {
            description: Some(text_message(
                "The directory kspm was run from; result URIs are relative to it.",
            )),
            ..Default::default()
        },
    );

    let mut invocation = Invocation::builder()
        .execution_successful(report.errors.is_empty())
        .build();
    invocation.tool_execution_notifications = (!notifications.is_empty()).then_some(notifications);

    let log = Log {
        schema: SCHEMA,
        runs: [RunOut {
            // Our columns count characters (source.rs), not UTF-16 units, SARIF's default.
            column_kind: "unicodeCodePoints",
            invocations: [invocation],
            original_uri_base_ids: base_ids,
            results: Results {
                items,
                rule_index,
                fingerprints,
            },
            tool: Tool::builder().driver(driver).build(),
        }],
        version: "2.1.0",
    };
    // About 1.2 KB per result; reserving avoids copying a 100 MB buffer while it grows.
    let mut buf = Vec::with_capacity(4096 + (report.findings.len() + suppressed.len()) * 1280);
    if serde_json::to_writer_pretty(&mut buf, &log).is_err() {
        // Plain data with string keys cannot fail to serialize; stay a valid log if it did.
        buf = br#"{"version":"2.1.0","runs":[]}"#.to_vec();
    }
    buf.push(b'\n');
    String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The log and run envelopes, with the field names and order of serde-sarif's `Sarif` and
/// `Run`. Those would need every result built up front (a few KB each, 100k results in a
/// 50 MB repository); here each result is a serde-sarif `Result` built, written and dropped
/// in turn.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [RunOut<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunOut<'a> {
    column_kind: &'static str,
    invocations: [Invocation; 1],
    original_uri_base_ids: BTreeMap<String, ArtifactLocation>,
    results: Results<'a>,
    tool: Tool,
}

struct Results<'a> {
    items: Vec<(&'a Finding, Option<&'a Suppressed>)>,
    rule_index: HashMap<&'static str, usize>,
    fingerprints: Vec<String>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.items.len()))?;
        for ((f, suppressed), fp) in self.items.iter().zip(&self.fingerprints) {
            let index = self.rule_index.get(f.rule.id).copied();
            let mut r = result(f, index, fp.clone());
            if let Some(s) = suppressed {
                r.suppressions = Some(vec![suppression(s)]);
            }
            seq.serialize_element(&r)?;
        }
        seq.end()
    }
}

fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Critical | Severity::High => "error",
        Severity::Medium | Severity::Low => "warning",
        Severity::Info => "note",
    }
}

fn result_level(sev: Severity) -> ResultLevel {
    match sev {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium | Severity::Low => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn text_message(text: &str) -> Message {
    Message {
        text: Some(text.to_owned()),
        ..Default::default()
    }
}

fn multiformat(text: String, markdown: Option<String>) -> MultiformatMessageString {
    let mut m = MultiformatMessageString::builder().text(text).build();
    m.markdown = markdown;
    m
}

fn descriptor(report: &Report, rule: &RuleMeta) -> ReportingDescriptor {
    let controls = report.controls_of(rule.id);
    let mut packs: Vec<String> = controls
        .iter()
        .filter_map(|c| c.split_once(':').map(|(pack, _)| pack.to_owned()))
        .collect();
    packs.dedup();
    let mut tags = vec!["security".to_owned(), "kubernetes".to_owned()];
    tags.extend(packs);
    tags.extend(controls);
    tags.truncate(MAX_TAGS);

    let mut properties = BTreeMap::new();
    properties.insert(
        "security-severity".to_owned(),
        Value::from(rule.severity.security_severity()),
    );
    properties.insert("precision".to_owned(), Value::from("very-high"));
    properties.insert("code".to_owned(), Value::from(rule.code));

    let url = rule.docs_url();
    let help_text = if rule.help.is_empty() {
        format!("See {url}")
    } else {
        format!("{}\n\nSee {url}", rule.help)
    };
    let mut d = ReportingDescriptor::builder().id(rule.id).build();
    d.name = Some(pascal_case(rule.id));
    d.short_description = Some(multiformat(rule.title.to_owned(), None));
    d.full_description = Some(multiformat(full_description(rule), None));
    d.help = Some(multiformat(help_text, Some(rule.docs.to_owned())));
    d.help_uri = Some(url);
    d.default_configuration = Some(ReportingConfiguration {
        level: Some(json!(level(rule.severity))),
        ..Default::default()
    });
    d.properties = Some(PropertyBag {
        tags: Some(tags),
        additional_properties: properties,
    });
    d
}

/// The "What it does" section of the rule docs as one paragraph, else the title.
fn full_description(rule: &RuleMeta) -> String {
    let mut in_section = false;
    let mut words: Vec<&str> = Vec::new();
    for line in rule.docs.lines() {
        let line = line.trim();
        if let Some(heading) = line.strip_prefix("## ") {
            if in_section {
                break;
            }
            in_section = heading.trim().eq_ignore_ascii_case("What it does");
            continue;
        }
        if in_section {
            words.extend(line.split_whitespace());
        }
    }
    if words.is_empty() {
        rule.title.to_owned()
    } else {
        words.join(" ")
    }
}

/// `privileged-container` -> `PrivilegedContainer`, the identifier form SARIF suggests for
/// `name`.
fn pascal_case(id: &str) -> String {
    id.split(['-', '_', '.'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect()
}

fn result(f: &Finding, rule_index: Option<usize>, fingerprint: String) -> SarifResult {
    let end = if f.end >= f.start { f.end } else { f.start };
    let region = Region {
        start_line: Some(f.start.line as i64),
        start_column: Some(f.start.column as i64),
        end_line: Some(end.line as i64),
        end_column: Some(end.column as i64),
        ..Default::default()
    };
    let mut properties = BTreeMap::new();
    properties.insert("severity".to_owned(), Value::from(f.severity.as_str()));
    properties.insert("yamlPath".to_owned(), Value::from(f.yaml_path.as_str()));
    properties.insert("document".to_owned(), Value::from(f.document));
    if let Some(o) = &f.object {
        properties.insert(
            "object".to_owned(),
            json!({
                "apiVersion": o.api_version,
                "kind": o.kind,
                "namespace": o.namespace,
                "name": o.name,
            }),
        );
    }
    if !f.controls.is_empty() {
        properties.insert("controls".to_owned(), json!(&*f.controls));
    }
    if let Some(origin) = &f.origin {
        properties.insert("origin".to_owned(), origin.clone());
    }
    let mut partial = BTreeMap::new();
    partial.insert(FINGERPRINT_KEY.to_owned(), fingerprint);
    let mut r = SarifResult::builder()
        .message(text_message(&f.message))
        .build();
    r.rule_id = Some(f.rule.id.to_owned());
    r.rule_index = rule_index.map(|i| i as i64);
    r.level = Some(result_level(f.severity));
    r.locations = Some(vec![location(f.path(), Some(region))]);
    r.partial_fingerprints = Some(partial);
    r.fixes = sarif_fix(f).map(|x| vec![x]);
    r.properties = Some(PropertyBag {
        tags: None,
        additional_properties: properties,
    });
    r
}

/// A fix `kspm lint --fix` can write (safe, or unsafe with `--unsafe-fixes`) as a SARIF
/// `fix`: one artifact change with a replacement per edit. Suggestions with placeholders
/// and fixes on rendered objects (whose edits are on the rendered text) are left out.
fn sarif_fix(f: &Finding) -> Option<SarifFix> {
    use crate::fix::Applicability;
    let fix = f.fix.as_deref()?;
    let src = fix.source.as_ref()?;
    if f.origin.is_some() || fix.applicability == Applicability::Display {
        return None;
    }
    let replacements: Vec<Replacement> = fix
        .edits
        .iter()
        .map(|e| {
            let (a, b) = (src.position(e.span.start), src.position(e.span.end));
            let region = Region {
                start_line: Some(a.line as i64),
                start_column: Some(a.column as i64),
                end_line: Some(b.line as i64),
                end_column: Some(b.column as i64),
                ..Default::default()
            };
            let mut r = Replacement::builder().deleted_region(region).build();
            if !e.text.is_empty() {
                r.inserted_content = Some(ArtifactContent::builder().text(e.text.clone()).build());
            }
            r
        })
        .collect();
    let (uri, base) = uri(f.path());
    let change = ArtifactChange::builder()
        .artifact_location(ArtifactLocation {
            uri: Some(uri),
            uri_base_id: base.then(|| SRCROOT.to_owned()),
            ..Default::default()
        })
        .replacements(replacements)
        .build();
    let unsafe_note = if fix.applicability == Applicability::Unsafe {
        " (unsafe: may break the workload; review it)"
    } else {
        ""
    };
    let mut x = SarifFix::builder()
        .artifact_changes(vec![change])
        .description(text_message(&format!("{}{unsafe_note}", fix.description)))
        .build();
    let mut props = BTreeMap::new();
    props.insert(
        "applicability".to_owned(),
        Value::from(fix.applicability.as_str()),
    );
    x.properties = Some(PropertyBag {
        tags: None,
        additional_properties: props,
    });
    Some(x)
}

fn suppression(s: &Suppressed) -> Suppression {
    let kind = if s.by.in_source() {
        "inSource"
    } else {
        "external"
    };
    let mut out = Suppression::builder().kind(json!(kind)).build();
    out.justification = Some(match &s.until {
        Some(until) => format!("{} (until {until})", s.reason),
        None => s.reason.clone(),
    });
    out.status = Some(json!("accepted"));
    out.location = s.location.as_ref().map(|(path, line, column)| {
        location(
            path,
            Some(Region {
                start_line: Some(*line as i64),
                start_column: Some(*column as i64),
                ..Default::default()
            }),
        )
    });
    let mut properties = BTreeMap::new();
    properties.insert("by".to_owned(), Value::from(s.by.as_str()));
    if let Some(until) = &s.until {
        properties.insert("until".to_owned(), Value::from(until.as_str()));
    }
    out.properties = Some(PropertyBag {
        tags: None,
        additional_properties: properties,
    });
    out
}

fn error_notification(e: &LintError) -> Notification {
    let region = (e.line > 0).then(|| Region {
        start_line: Some(e.line as i64),
        start_column: (e.column > 0).then_some(e.column as i64),
        ..Default::default()
    });
    let mut n = Notification::builder()
        .message(text_message(&e.message))
        .build();
    n.level = Some(json!("error"));
    n.locations = Some(vec![location(&e.path, region)]);
    n
}

fn location(path: &str, region: Option<Region>) -> Location {
    let (uri, base) = uri(path);
    Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(ArtifactLocation {
                uri: Some(uri),
                uri_base_id: base.then(|| SRCROOT.to_owned()),
                ..Default::default()
            }),
            region,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// A display path as a URI reference: relative paths stay relative to `%SRCROOT%`;
/// an absolute path (outside the working directory) can only be a `file:` URI.
fn uri(path: &str) -> (String, bool) {
    let bytes = path.as_bytes();
    if path.starts_with('/') {
        return (format!("file://{}", encode_path(path)), false);
    }
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        let drive = &path[..2];
        return (format!("file:///{drive}{}", encode_path(&path[2..])), false);
    }
    (encode_path(path), true)
}

/// Percent-encode everything but RFC 3986 path characters; `:` too, so a first segment is
/// never read as a scheme.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A line-independent identity: rule, file, object and field. Lines shift when unrelated
/// text is edited; these do not, so GitHub keeps tracking the same alert.
fn fingerprint(f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [FINGERPRINT_KEY, f.rule.id, f.path()] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    match &f.object {
        Some(o) => {
            for part in [
                o.api_version.as_str(),
                o.kind.as_str(),
                o.namespace.as_deref().unwrap_or(""),
                o.name.as_deref().unwrap_or(""),
            ] {
                h.update(part.as_bytes());
                h.update([0]);
            }
        }
        // No object identity (not an object, or unnamed): the document index is the best
        // stable stand-in.
        None => {
            h.update(format!("document {}", f.document).as_bytes());
            h.update([0]);
        }
    }
    h.update(f.yaml_path.as_bytes());
    let digest = h.finalize();
    let mut hex = String::with_capacity(32);
    for b in &digest[..16] {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}
