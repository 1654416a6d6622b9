//! CIS 2.7: etcd trusts the cluster's client CA.

use crate::declare_rule;
use crate::k8s::{Component, Flags, LintContext};
use crate::rule::{Rule, RuleContext, RuleMeta, Sink};

declare_rule! {
    /// ## What it does
    /// Looks at every etcd and kube-apiserver container in the linted set (a directory, a
    /// stream) and reports an etcd whose `--trusted-ca-file` is the same file as some API
    /// server's `--client-ca-file`, on the etcd's item. An etcd without `--trusted-ca-file` is
    /// reported on its `command`. Files are compared by path, so the check sees the kubeadm
    /// layout (`/etc/kubernetes/pki/ca.crt` against `/etc/kubernetes/pki/etcd/ca.crt`) but not
    /// two paths holding the same certificate. CIS marks this recommendation Manual.
    ///
    /// Workloads other than Pods keep no containers in the lint context, so only static pod
    /// manifests (and other Pods) take part.
    ///
    /// ## Why is this bad
    /// etcd trusts any client certificate its CA signed. If that is the cluster CA, every
    /// certificate the cluster issues (to kubelets, to users, through approved CSRs) can also
    /// read and write etcd directly, bypassing the API server's authorization and admission.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: etcd
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: etcd
    ///       image: registry.k8s.io/etcd:3.5.16-0
    ///       command:
    ///         - etcd
    ///         - --trusted-ca-file=/etc/kubernetes/pki/ca.crt   # reported: the API server's client CA
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.32.0
    ///       command:
    ///         - kube-apiserver
    ///         - --client-ca-file=/etc/kubernetes/pki/ca.crt
    /// ```
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark v1.12, 2.7: https://www.cisecurity.org/benchmark/kubernetes
    /// - https://etcd.io/docs/v3.5/op-guide/security/
    pub struct EtcdUniqueCa {
        id: "etcd-unique-ca",
        code: "KSPM767",
        title: "etcd shares the cluster CA",
        severity: Medium,
        target: Context,
        help: "Give etcd its own CA (--trusted-ca-file), separate from the API server's --client-ca-file.",
        peers: {
            "kubescape": ["C-0159"],
        },
    }
}

impl Rule for EtcdUniqueCa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_context(&self, _cx: &RuleContext, ctx: &LintContext, out: &mut Sink) {
        let mut etcds = Vec::new();
        let mut client_cas: Vec<String> = Vec::new();
        for i in 0..ctx.len() {
            let Some(pod) = ctx.pod(i) else { continue };
            for c in pod.containers() {
                if let Some(f) = Flags::for_component(&c, Component::Etcd) {
                    // The view that caches the flags lives for this pod only.
                    etcds.push((i, f.clone()));
                } else if let Some(f) = Flags::for_component(&c, Component::ApiServer)
                    && let Some(ca) = f.last("client-ca-file")
                    && !ca.text().is_empty()
                {
                    client_cas.push(ca.text().to_string());
                }
            }
        }
        for (i, f) in etcds {
            match f.last("trusted-ca-file") {
                None => out.report_on(
                    i,
                    f.missing_path.clone(),
                    format!("{} does not set --trusted-ca-file", f.who),
                ),
                Some(t) if t.text().is_empty() => out.report_on(
                    i,
                    t.value_path.clone(),
                    format!("{} sets --trusted-ca-file without a value", f.who),
                ),
                Some(t) if client_cas.iter().any(|ca| ca == t.text()) => out.report_on(
                    i,
                    t.value_path.clone(),
                    format!(
                        "{} trusts {}, the CA the API server verifies client certificates with",
                        f.who,
                        t.text()
                    ),
                ),
                Some(_) => {}
            }
        }
    }
}
