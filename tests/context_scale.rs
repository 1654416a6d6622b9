//! Cross-object rules over one large context: a synthetic stream of about 10,000 objects in
//! many namespaces (plus one crowded namespace where many policies share one label). The
//! test pins a few findings exactly and checks that the output does not depend on thread
//! scheduling; it does not assert timing. For a manual measurement run
//! `cargo test --release --test context_scale -- --nocapture` (it prints the elapsed time),
//! or set `KSPM_SCALE_DUMP=FILE` to write the stream for `kspm lint`.

use std::collections::BTreeMap;
use std::time::Instant;

use kspm::engine::Engine;
use kspm::registry;
use kspm::rule::{Rule, RuleContext, Target};
use kspm::source::SourceFile;

/// Namespaces with the regular mix of objects (50 objects each).
const NAMESPACES: usize = 160;
/// Deployments and NetworkPolicies in the crowded namespace.
const CROWDED_DEPLOYMENTS: usize = 1500;
const CROWDED_POLICIES: usize = 500;

/// A stream under construction that remembers the line of marked fields.
#[derive(Default)]
struct Stream {
    text: String,
    /// Lines written so far.
    lines: usize,
    objects: usize,
    /// (label) -> 1-based line.
    marks: BTreeMap<String, usize>,
}

impl Stream {
    /// Append one document; a line containing `@mark` records its line under `mark` (the
    /// `@mark` text itself is dropped).
    fn doc(&mut self, body: &str, mark: &str) {
        self.objects += 1;
        self.text.push_str("---\n");
        self.lines += 1;
        for l in body.lines() {
            self.lines += 1;
            if let Some(at) = l.find("@mark") {
                self.marks.insert(mark.to_string(), self.lines);
                self.text.push_str(&l[..at]);
            } else {
                self.text.push_str(l);
            }
            self.text.push('\n');
        }
    }
}

fn deployment(ns: &str, app: &str, replicas: usize, sa: Option<&str>, extra: &str) -> String {
    let sa = sa
        .map(|s| format!("      serviceAccountName: {s}\n"))
        .unwrap_or_default();
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\n  namespace: {ns}\n\
         spec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: {app}}}\n\
         \x20 template:\n    metadata:\n      labels: {{app: {app}, part-of: shop{extra}}}\n\
         \x20   spec:\n{sa}      containers:\n        - name: main\n\
         \x20         image: registry.example/{app}:1.0\n"
    )
}

fn build() -> Stream {
    let mut s = Stream::default();
    for n in 0..NAMESPACES {
        let ns = format!("ns-{n}");
        // Every tenth namespace is only used, never declared, and has no policy at all.
        let bare = n % 10 == 0;
        if !bare {
            s.doc(
                &format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"),
                "",
            );
        }
        for k in 0..10 {
            let app = format!("app-{k}");
            let sa = (k < 5).then(|| format!("sa-{k}"));
            // app-7 names a ServiceAccount that is never defined.
            let sa = if k == 7 {
                Some("ghost".to_string())
            } else {
                sa
            };
            let body = deployment(&ns, &app, k % 3, sa.as_deref(), "");
            let body = if k == 1 {
                body.replace("  replicas: 1\n", "  replicas: 1 @mark\n")
            } else {
                body
            };
            s.doc(&body, &format!("{ns}/replicas/{app}"));
        }
        for k in 0..10 {
            // svc-9 selects a label no template has.
            let target = if k == 9 {
                "missing".to_string()
            } else {
                format!("app-{k}")
            };
            s.doc(
                &format!(
                    "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{k}\n  namespace: {ns}\n\
                     spec:\n  selector: @mark\n    app: {target}\n  ports:\n    - name: http\n      port: 80\n"
                ),
                &format!("{ns}/svc-{k}"),
            );
        }
        if bare {
            // Fill the namespace up with more Services so it still holds 50 objects.
            for k in 10..27 {
                s.doc(
                    &format!(
                        "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{k}\n  namespace: {ns}\n\
                         spec:\n  selector:\n    app: app-{}\n  ports:\n    - port: 80\n",
                        k % 10
                    ),
                    "",
                );
            }
        } else {
            s.doc(
                &format!(
                    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n\
                     \x20 namespace: {ns}\nspec:\n  podSelector: {{}}\n  policyTypes: [Ingress, Egress]\n"
                ),
                "",
            );
            for k in 0..8 {
                s.doc(
                    &format!(
                        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-{k}\n\
                         \x20 namespace: {ns}\nspec:\n  podSelector:\n    matchLabels: {{app: app-{k}}}\n\
                         \x20 ingress:\n    - from:\n        - podSelector: {{}}\n"
                    ),
                    "",
                );
            }
            // A policy for a renamed app: it selects nothing.
            s.doc(
                &format!(
                    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: stale\n\
                     \x20 namespace: {ns}\nspec:\n  podSelector: @mark\n    matchLabels: {{app: old-name}}\n"
                ),
                &format!("{ns}/stale"),
            );
        }
        for k in 0..5 {
            s.doc(
                &format!(
                    "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-{k}\n  namespace: {ns}\n\
                     automountServiceAccountToken: false\n"
                ),
                "",
            );
        }
        // app-2 (2 replicas) gets a budget that blocks drains; app-5 and app-8 get none.
        s.doc(
            &format!(
                "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: app-2\n  namespace: {ns}\n\
                 spec:\n  minAvailable: 3 @mark\n  selector:\n    matchLabels: {{app: app-2}}\n"
            ),
            &format!("{ns}/pdb-app-2"),
        );
        for k in [3, 4] {
            s.doc(
                &format!(
                    "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: app-{k}\n  namespace: {ns}\n\
                     spec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {{app: app-{k}}}\n"
                ),
                "",
            );
        }
        // app-0 and app-3 (0 replicas each) are autoscaled, so replicas-min skips them.
        for k in [0, 3] {
            s.doc(
                &format!(
                    "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: app-{k}\n\
                     \x20 namespace: {ns}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: app-{k}}}\n\
                     \x20 minReplicas: 2\n  maxReplicas: 6\n"
                ),
                "",
            );
        }
        s.doc(
            &format!(
                "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: {ns}\n\
                 spec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n\
                 \x20           backend:\n              service:\n                name: svc-0\n\
                 \x20               port: {{number: 80}}\n          - path: /old\n            pathType: Prefix\n\
                 \x20           backend:\n              service:\n                name: svc-gone @mark\n\
                 \x20               port: {{number: 80}}\n"
            ),
            &format!("{ns}/ingress"),
        );
        for k in 0..(if bare { 2 } else { 8 }) {
            s.doc(
                &format!(
                    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{k}\n  namespace: {ns}\n  labels: {{app: app-{k}}}\n\
                     spec:\n  automountServiceAccountToken: false\n  containers:\n    - name: main\n\
                     \x20     image: registry.example/pod:1.0\n"
                ),
                "",
            );
        }
    }
    // The crowded namespace: every template and every policy share `part-of: shop`.
    let ns = "crowded";
    for k in 0..CROWDED_DEPLOYMENTS {
        s.doc(
            &deployment(
                ns,
                &format!("c-{k}"),
                2,
                None,
                &format!(", shard: s{}", k % 50),
            ),
            "",
        );
    }
    for k in 0..CROWDED_POLICIES {
        let sel = if k % 2 == 0 {
            "matchLabels: {part-of: shop}".to_string()
        } else {
            format!(
                "matchExpressions: [{{key: shard, operator: In, values: [s{}, s{}]}}]",
                k % 50,
                (k + 1) % 50
            )
        };
        s.doc(
            &format!(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p-{k}\n  namespace: {ns}\n\
                 spec:\n  podSelector:\n    {sel}\n  policyTypes: [Ingress, Egress]\n"
            ),
            "",
        );
    }
    s
}

fn rules() -> Vec<&'static dyn Rule> {
    registry::all()
        .iter()
        .copied()
        .filter(|r| r.meta().target == Target::Context || r.meta().id == "hpa-min-replicas")
        .collect()
}

/// (rule, line, column, message) of every finding, in report order.
type Seen = Vec<(String, usize, usize, String)>;

fn run(text: &str) -> (Seen, std::time::Duration) {
    let src = SourceFile::new("scale.yaml", text.to_string());
    let engine = Engine::new(rules(), RuleContext::default());
    let start = Instant::now();
    let report = engine.lint(&[src]);
    let took = start.elapsed();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let seen = report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.id.to_string(),
                f.start.line,
                f.start.column,
                f.message.clone(),
            )
        })
        .collect();
    (seen, took)
}

#[test]
fn ten_thousand_objects_in_one_context() {
    let s = build();
    assert!(s.objects >= 10_000, "{} objects", s.objects);
    if let Some(path) = std::env::var_os("KSPM_SCALE_DUMP") {
        std::fs::write(path, &s.text).unwrap();
    }
    let (seen, took) = run(&s.text);
    println!(
        "context_scale: {} objects, {} bytes, {} findings in {took:?}",
        s.objects,
        s.text.len(),
        seen.len()
    );

    let lines =
        |rule: &str| -> Vec<usize> { seen.iter().filter(|f| f.0 == rule).map(|f| f.1).collect() };
    let has = |rule: &str, mark: &str| lines(rule).contains(&s.marks[mark]);

    // One dangling Service, NetworkPolicy and Ingress backend per namespace, on the field.
    assert_eq!(lines("svc-no-endpoints").len(), NAMESPACES);
    assert!(has("svc-no-endpoints", "ns-7/svc-9"));
    assert!(!has("svc-no-endpoints", "ns-7/svc-8"));
    assert_eq!(lines("netpol-dangling").len(), NAMESPACES - NAMESPACES / 10);
    assert!(has("netpol-dangling", "ns-7/stale"));
    assert_eq!(lines("ingress-dangling").len(), NAMESPACES);
    assert!(has("ingress-dangling", "ns-42/ingress"));

    // Namespaces without any policy: one finding each; the crowded namespace is covered.
    assert_eq!(lines("namespace-no-netpol").len(), NAMESPACES / 10);
    assert!(
        !seen
            .iter()
            .any(|f| f.0 == "namespace-no-netpol" && f.3.contains("crowded"))
    );
    // In bare namespaces every workload is exposed; elsewhere the default deny covers all.
    // 10 Deployments + 2 Pods per bare namespace; the crowded namespace is fully isolated.
    assert_eq!(lines("pod-no-netpol").len(), NAMESPACES / 10 * 12);

    // replicas-min: per namespace app-1, 4, 7 (1 replica) and app-6, 9 (0); app-0 and app-3
    // are autoscaled.
    assert_eq!(lines("replicas-min").len(), NAMESPACES * 5);
    assert!(has("replicas-min", "ns-3/replicas/app-1"));
    // pdb-blocks-drain: minAvailable 3 reaches app-2's 2 replicas plus Pod pod-2 (none in
    // bare namespaces).
    assert_eq!(lines("pdb-blocks-drain").len(), NAMESPACES);
    assert!(has("pdb-blocks-drain", "ns-99/pdb-app-2"));
    // pdb-missing: app-5, app-8 (2 replicas) and app-0 (autoscaled up to 6) per namespace,
    // plus every crowded Deployment.
    assert_eq!(
        lines("pdb-missing").len(),
        NAMESPACES * 3 + CROWDED_DEPLOYMENTS
    );
    // sa-missing: app-7's `ghost` per namespace.
    assert_eq!(lines("sa-missing").len(), NAMESPACES);
    // sa-token-automount: Deployments app-5..9 and the crowded ones (no SA in the
    // context or one that leaves it unset); app-0..4 use SAs that disable it.
    assert_eq!(
        lines("sa-token-automount").len(),
        NAMESPACES * 5 + CROWDED_DEPLOYMENTS
    );

    // The crowded namespace has policies but no default deny.
    let deny = lines("netpol-default-deny");
    assert_eq!(deny.len(), 1);
    assert!(
        seen.iter()
            .any(|f| f.0 == "netpol-default-deny" && f.3.contains("`crowded`"))
    );

    // The report does not depend on scheduling.
    let (again, _) = run(&s.text);
    assert_eq!(seen, again);
}
