//! Probes aimed at a port the container does not declare.

use crate::declare_rule;
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::{Node, ScalarKind};

const PROBES: &[&str] = &["livenessProbe", "readinessProbe", "startupProbe"];
const HANDLERS: &[&str] = &["httpGet", "tcpSocket", "grpc"];

declare_rule! {
    /// ## What it does
    /// Reports the `port` of a `livenessProbe`, `readinessProbe` or `startupProbe`
    /// handler (`httpGet`, `tcpSocket` or `grpc`) that does not match a TCP entry of the
    /// container's `ports`: a port name no entry carries, a name or number that only a
    /// UDP or SCTP entry carries, or a number no entry declares.
    ///
    /// ## Why is this bad
    /// The kubelet resolves a named probe port against the container's own `ports`; an
    /// unknown name makes every probe fail, so the container is restarted in a loop or
    /// never becomes ready. A number that is not declared usually means the probe and the
    /// server drifted apart (the server moved to another port), with the same result, and
    /// probes always use TCP, so a port declared as UDP does not answer them.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example/app:1.4.2
    ///       ports:
    ///         - name: http
    ///           containerPort: 8080
    ///       readinessProbe:
    ///         httpGet:
    ///           path: /ready
    ///           port: http       # passes
    ///       livenessProbe:
    ///         tcpSocket:
    ///           port: 9090       # reported: not declared
    /// ```
    ///
    /// ## References
    /// - https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port
    /// - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Probe
    pub struct ProbePort {
        id: "probe-port",
        code: "KSPM322",
        title: "Probe port not declared",
        severity: Low,
        target: Container,
        help: "Point the probe at a port listed in the container's ports (by name or number), or declare that port.",
        peers: {
            "kube-linter": ["liveness-port", "readiness-port", "startup-port"],
        },
    }
}

/// A declared container port: name, number and whether it speaks TCP.
struct Declared<'a> {
    name: Option<&'a str>,
    number: Option<i64>,
    tcp: bool,
}

fn declared<'a>(c: &ContainerView<'a>) -> Vec<Declared<'a>> {
    c.get("ports")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|p| Declared {
            name: p.get("name").and_then(Node::as_str),
            number: p.get("containerPort").and_then(Node::as_i64),
            tcp: p
                .get("protocol")
                .and_then(Node::scalar_text)
                .is_none_or(|proto| proto.is_empty() || proto == "TCP"),
        })
        .collect()
}

/// A probe port as the kubelet reads it: an integer, or a name (a string that is all
/// digits is tried as a number when no port carries it as a name).
enum ProbePortRef<'a> {
    Number(i64),
    Name(&'a str),
}

fn port_ref(node: &Node) -> Option<ProbePortRef<'_>> {
    let scalar = node.scalar()?;
    match scalar.kind {
        ScalarKind::Int(_) | ScalarKind::Float(_) => node.as_i64().map(ProbePortRef::Number),
        ScalarKind::Str => Some(ProbePortRef::Name(scalar.text.as_str())),
        _ => None,
    }
}

impl Rule for ProbePort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        _pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        let ports = declared(c);
        for probe in PROBES {
            for handler in HANDLERS {
                let Some(port) = c
                    .node
                    .get_path(&[probe, handler, "port"])
                    .and_then(port_ref)
                else {
                    continue;
                };
                let problem = match port {
                    ProbePortRef::Name(name) => {
                        let by_name: Vec<&Declared> =
                            ports.iter().filter(|p| p.name == Some(name)).collect();
                        let numeric = name.parse::<i64>().ok();
                        if by_name.iter().any(|p| p.tcp) {
                            continue;
                        }
                        if !by_name.is_empty() {
                            format!("names port \"{name}\", which is not a TCP port")
                        } else if let Some(n) = numeric {
                            match ports.iter().find(|p| p.number == Some(n)) {
                                Some(p) if p.tcp => continue,
                                Some(_) => format!("uses port {n}, which is not a TCP port"),
                                None => {
                                    format!("uses port {n}, which the container does not declare")
                                }
                            }
                        } else {
                            format!("names port \"{name}\", which the container does not declare")
                        }
                    }
                    ProbePortRef::Number(n) => {
                        let same: Vec<&Declared> =
                            ports.iter().filter(|p| p.number == Some(n)).collect();
                        if same.iter().any(|p| p.tcp) {
                            continue;
                        }
                        if same.is_empty() {
                            format!("uses port {n}, which the container does not declare")
                        } else {
                            format!("uses port {n}, which is not a TCP port")
                        }
                    }
                };
                out.report(
                    c.field_path(&format!("{probe}.{handler}.port")),
                    format!("{}: {probe} {handler} {problem}", c.describe()),
                );
            }
        }
    }
}
