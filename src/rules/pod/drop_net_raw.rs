//! NET_RAW kept (CIS 5.2.8).

use crate::declare_rule;
use crate::fix::{Fix, Val};
use crate::k8s::{ContainerView, PodSpecView};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Reports every container, init container and ephemeral container that keeps the
    /// `NET_RAW` capability: either `securityContext.capabilities.add` contains `NET_RAW` or
    /// `ALL` (the finding points at that item), or `capabilities.drop` contains neither
    /// `NET_RAW` nor `ALL` (the finding points at `drop`, or where it should be).
    ///
    /// Names are compared the way container runtimes read them: case-insensitively and
    /// with an optional `CAP_` prefix, so `drop: [all]` and `drop: [CAP_NET_RAW]` pass.
    /// (The Pod Security Standards check `caps-drop-all` compares exact strings.) Pods with
    /// `spec.os.name: windows` are skipped.
    ///
    /// ## Why is this bad
    /// `NET_RAW` is in the default capability set of containerd and CRI-O. It lets a
    /// process open raw sockets: forge packets, spoof addresses, and poison ARP or DNS for
    /// other pods on the node. Few applications need it (`ping` works without it on
    /// current kernels).
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app                 # reported: NET_RAW is not dropped
    ///       image: registry.example/app:1.2
    ///     - name: worker
    ///       image: registry.example/worker:3
    ///       securityContext:
    ///         capabilities:
    ///           drop: [NET_RAW]       # passes
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 5.2.8: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://man7.org/linux/man-pages/man7/capabilities.7.html
    pub struct DropNetRaw {
        id: "drop-net-raw",
        code: "KSPM113",
        title: "NET_RAW capability kept",
        severity: Medium,
        target: Container,
        fix: Safe,
        help: "Add NET_RAW (or ALL) to securityContext.capabilities.drop and do not add it back.",
        peers: {
            "kube-linter": ["drop-net-raw-capability"],
            "checkov": ["CKV_K8S_28"],
            "kubescape": ["C-0199"],
            "trivy": ["KSV119"],
        },
    }
}

/// The capability name as runtimes read it: upper case, without `CAP_`.
fn cap_name(n: &Node) -> String {
    let s = n.scalar_text().unwrap_or("").trim().to_ascii_uppercase();
    s.strip_prefix("CAP_").map(str::to_string).unwrap_or(s)
}

impl Rule for DropNetRaw {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_container(
        &self,
        _cx: &RuleContext,
        pod: &PodSpecView<'_>,
        c: &ContainerView<'_>,
        out: &mut Sink,
    ) {
        if pod.is_windows() {
            return;
        }
        let caps = c.sc("capabilities");
        let add = caps
            .and_then(|n| n.get("add"))
            .map(Node::items)
            .unwrap_or(&[]);
        let mut added = false;
        for (i, item) in add.iter().enumerate() {
            let name = cap_name(item);
            if name == "NET_RAW" || name == "ALL" {
                added = true;
                let raw = item.scalar_text().unwrap_or("");
                out.report(
                    c.field_path("securityContext.capabilities.add").index(i),
                    format!("{} adds \"{raw}\", which grants NET_RAW", c.describe()),
                );
            }
        }
        if added {
            return;
        }
        let drop = caps
            .and_then(|n| n.get("drop"))
            .map(Node::items)
            .unwrap_or(&[]);
        if !drop
            .iter()
            .map(cap_name)
            .any(|n| n == "NET_RAW" || n == "ALL")
        {
            out.report(
                c.field_path("securityContext.capabilities.drop"),
                format!("{} does not drop NET_RAW (or ALL)", c.describe()),
            );
            out.with_fix(Fix::safe("drop NET_RAW").append(
                c.node,
                &c.path,
                &["securityContext", "capabilities", "drop"],
                vec![Val::str("NET_RAW")],
            ));
        }
    }
}
