//! RBAC semantics shared by the `rbac-*` rules: what a role's `rules[i]` grants (wildcards,
//! subresources, `resourceNames`, the API group of each resource), role references and
//! subjects of bindings, and which roles and bindings are Kubernetes' own defaults.
//!
//! Matching follows the RBAC authorizer: a verb matches itself or `*`; an API group matches
//! itself or `*`; a resource item matches `*`, the exact `resource` or `resource/sub`, or
//! `*/sub` for a subresource. `pods` does not cover `pods/exec`.

use std::collections::HashMap;

use super::context::LintContext;
use super::object::ObjectView;
use crate::yaml::{Node, YamlPath};

pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// The label Kubernetes puts on its bootstrap roles and bindings.
const BOOTSTRAP_LABEL: &str = "kubernetes.io/bootstrapping";
const BOOTSTRAP_VALUE: &str = "rbac-defaults";

/// API groups that serve `resource` (anything after `/` is ignored); empty when unknown.
/// Deployments, ReplicaSets and DaemonSets keep `extensions` because a role may still name
/// it and older clusters served them there.
pub fn groups_of(resource: &str) -> &'static [&'static str] {
    let base = resource.split('/').next().unwrap_or(resource);
    match base {
        "pods"
        | "secrets"
        | "configmaps"
        | "services"
        | "endpoints"
        | "nodes"
        | "namespaces"
        | "persistentvolumes"
        | "persistentvolumeclaims"
        | "serviceaccounts"
        | "replicationcontrollers"
        | "podtemplates"
        | "events"
        | "users"
        | "groups" => &[""],
        "deployments" | "replicasets" | "daemonsets" => &["apps", "extensions"],
        "statefulsets" | "controllerrevisions" => &["apps"],
        "jobs" | "cronjobs" => &["batch"],
        "roles" | "clusterroles" | "rolebindings" | "clusterrolebindings" => &[RBAC_GROUP],
        "certificatesigningrequests" | "signers" => &["certificates.k8s.io"],
        "validatingwebhookconfigurations"
        | "mutatingwebhookconfigurations"
        | "validatingadmissionpolicies"
        | "validatingadmissionpolicybindings"
        | "mutatingadmissionpolicies"
        | "mutatingadmissionpolicybindings" => &["admissionregistration.k8s.io"],
        "uids" | "userextras" | "tokenreviews" => &["authentication.k8s.io"],
        _ => &[],
    }
}

/// Whether a `resources` item covers `query`. `query` is `resource`, `resource/sub`, or
/// `resource/*` for any subresource of `resource` (impersonation's `userextras/<key>`).
pub fn resource_item_matches(item: &str, query: &str) -> bool {
    if item == "*" {
        return true;
    }
    match query.split_once('/') {
        None => item == query,
        Some((res, "*")) => item
            .split_once('/')
            .is_some_and(|(r, s)| (r == res || r == "*") && !s.is_empty()),
        Some((_, sub)) => item == query || item.strip_prefix("*/") == Some(sub),
    }
}

/// String items of a sequence field, with their indexes (non-strings are skipped: the API
/// server rejects them).
fn string_items(node: Option<&Node>) -> impl Iterator<Item = (usize, &str)> {
    node.map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((i, n.as_str()?)))
}

/// One entry of a role's `rules`.
#[derive(Clone, Debug)]
pub struct PolicyRule<'a> {
    pub index: usize,
    pub node: &'a Node,
    /// `rules[index]` from the document root.
    pub path: YamlPath,
}

/// What one rule grants for a query: the matching items, by index.
#[derive(Clone, Debug, Default)]
pub struct Grant<'a> {
    /// Matching `verbs` items (index, text).
    pub verbs: Vec<(usize, &'a str)>,
    /// Matching `resources` items (index, text), each with the queried resources it covers
    /// in a matching API group.
    pub resources: Vec<(usize, &'a str, Vec<&'static str>)>,
    /// The rule lists `resourceNames`, so it grants only those objects (and never `create`
    /// on a collection, whose name is unknown when it is authorized).
    pub named: bool,
}

impl Grant<'_> {
    /// The matching verbs as written, for messages (`get, list` or `*`).
    pub fn verb_text(&self) -> String {
        join(
            self.verbs
                .iter()
                .map(|(_, v)| if *v == "*" { "every verb (`*`)" } else { v }),
        )
    }
}

/// `a, b and c`.
pub fn join<'s>(items: impl IntoIterator<Item = &'s str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

impl<'a> PolicyRule<'a> {
    pub fn strings(&self, field: &str) -> impl Iterator<Item = (usize, &'a str)> {
        string_items(self.node.get(field))
    }

    /// The path of `field[item]` in this rule.
    pub fn item_path(&self, field: &str, item: usize) -> YamlPath {
        self.path.key(field).index(item)
    }

    /// `resourceNames` is non-empty: the rule grants only the named objects.
    pub fn is_named(&self) -> bool {
        self.node
            .get("resourceNames")
            .is_some_and(|n| !n.items().is_empty())
    }

    /// Some `apiGroups` item is `*` or one of `groups`.
    pub fn group_matches(&self, groups: &[&str]) -> bool {
        self.strings("apiGroups")
            .any(|(_, g)| g == "*" || groups.contains(&g))
    }

    /// Items of `verbs` that are `*` or one of `verbs`.
    pub fn verb_items(&self, verbs: &[&str]) -> Vec<(usize, &'a str)> {
        self.strings("verbs")
            .filter(|(_, v)| *v == "*" || verbs.contains(v))
            .collect()
    }

    /// What this rule grants of `verbs` on `resources` (each checked in its own API
    /// groups); `None` when it grants none of them.
    pub fn grant(&self, verbs: &[&str], resources: &[&'static str]) -> Option<Grant<'a>> {
        let verb_items = self.verb_items(verbs);
        if verb_items.is_empty() {
            return None;
        }
        let wanted: Vec<&'static str> = resources
            .iter()
            .copied()
            .filter(|r| self.group_matches(groups_of(r)))
            .collect();
        let items: Vec<(usize, &'a str, Vec<&'static str>)> = self
            .strings("resources")
            .filter_map(|(i, item)| {
                let covered: Vec<&'static str> = wanted
                    .iter()
                    .copied()
                    .filter(|q| resource_item_matches(item, q))
                    .collect();
                (!covered.is_empty()).then_some((i, item, covered))
            })
            .collect();
        (!items.is_empty()).then(|| Grant {
            verbs: verb_items,
            resources: items,
            named: self.is_named(),
        })
    }

    /// Every verb on every resource of every API group: what cluster-admin grants. The
    /// seven read/write verbs count as every verb (escalation follows from them).
    pub fn is_admin_equivalent(&self) -> bool {
        const ALL_VERBS: [&str; 7] = [
            "get", "list", "watch", "create", "update", "patch", "delete",
        ];
        let has = |field: &str, v: &str| self.strings(field).any(|(_, x)| x == v);
        !self.is_named()
            && has("apiGroups", "*")
            && has("resources", "*")
            && (has("verbs", "*") || ALL_VERBS.iter().all(|v| has("verbs", v)))
    }
}

/// Whether `obj` is one of `kinds` in the RBAC API group.
pub fn is_rbac_kind(obj: &ObjectView<'_>, kinds: &[&str]) -> bool {
    obj.group() == RBAC_GROUP && kinds.contains(&obj.kind())
}

pub fn is_role(obj: &ObjectView<'_>) -> bool {
    is_rbac_kind(obj, &["Role", "ClusterRole"])
}

pub fn is_binding(obj: &ObjectView<'_>) -> bool {
    is_rbac_kind(obj, &["RoleBinding", "ClusterRoleBinding"])
}

/// A ClusterRole with an `aggregationRule`: the controller overwrites its `rules`.
pub fn is_aggregated(obj: &ObjectView<'_>) -> bool {
    obj.root
        .get("aggregationRule")
        .is_some_and(|n| !n.is_null())
}

/// Labelled `kubernetes.io/bootstrapping: rbac-defaults`, as every role and binding the
/// API server creates at start-up is.
pub fn is_bootstrap(obj: &ObjectView<'_>) -> bool {
    obj.labels()
        .and_then(|l| l.get(BOOTSTRAP_LABEL))
        .and_then(Node::as_str)
        == Some(BOOTSTRAP_VALUE)
}

/// The entries of a role's `rules`; none for an aggregated ClusterRole.
pub fn policy_rules<'a>(obj: &ObjectView<'a>) -> Vec<PolicyRule<'a>> {
    if is_aggregated(obj) {
        return Vec::new();
    }
    let base = obj.path("rules");
    obj.root
        .get("rules")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(index, node)| PolicyRule {
            index,
            node,
            path: base.index(index),
        })
        .collect()
}

/// A binding's `roleRef`.
#[derive(Clone, Copy, Debug)]
pub struct RoleRef<'a> {
    pub kind: &'a str,
    pub name: &'a str,
}

pub fn role_ref<'a>(obj: &ObjectView<'a>) -> Option<RoleRef<'a>> {
    let r = obj.root.get("roleRef")?;
    Some(RoleRef {
        kind: r.get("kind").and_then(Node::as_str).unwrap_or(""),
        name: r.get("name").and_then(Node::as_str)?,
    })
}

/// One entry of a binding's `subjects`.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    pub index: usize,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: Option<&'a str>,
}

impl Subject<'_> {
    /// `User jane`, `ServiceAccount ci/deployer`.
    pub fn describe(&self) -> String {
        match self.namespace {
            Some(ns) if self.kind == "ServiceAccount" => {
                format!("{} {ns}/{}", self.kind, self.name)
            }
            _ => format!("{} {}", self.kind, self.name),
        }
    }

    pub fn is(&self, kind: &str, name: &str) -> bool {
        self.kind == kind && self.name == name
    }
}

pub fn subjects<'a>(obj: &ObjectView<'a>) -> Vec<Subject<'a>> {
    obj.root
        .get("subjects")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .filter_map(|(index, s)| {
            Some(Subject {
                index,
                kind: s.get("kind").and_then(Node::as_str).unwrap_or(""),
                name: s.get("name").and_then(Node::as_str)?,
                namespace: s.get("namespace").and_then(Node::as_str),
            })
        })
        .collect()
}

/// Subjects for a message: the first three, then a count.
pub fn describe_subjects(subjects: &[Subject<'_>]) -> String {
    if subjects.is_empty() {
        return "no subject".to_string();
    }
    let mut names: Vec<String> = subjects.iter().take(3).map(Subject::describe).collect();
    if subjects.len() > 3 {
        names.push(format!("{} more", subjects.len() - 3));
    }
    join(names.iter().map(String::as_str))
}

/// The built-in `cluster-admin` ClusterRoleBinding (by name and role).
pub fn is_builtin_cluster_admin_binding(obj: &ObjectView<'_>) -> bool {
    obj.kind() == "ClusterRoleBinding"
        && obj.name() == Some("cluster-admin")
        && role_ref(obj).is_some_and(|r| r.kind == "ClusterRole" && r.name == "cluster-admin")
}

/// A binding Kubernetes creates itself: labelled as bootstrap, named `system:…`, or the
/// built-in `cluster-admin` binding.
pub fn is_default_binding(obj: &ObjectView<'_>) -> bool {
    is_bootstrap(obj)
        || obj.name().is_some_and(|n| n.starts_with("system:"))
        || is_builtin_cluster_admin_binding(obj)
}

/// `Role app/reader` or `ClusterRole reader`, for messages.
pub fn describe_role(obj: &ObjectView<'_>) -> String {
    let name = obj.name().unwrap_or("<unnamed>");
    match obj.namespace() {
        Some(ns) if obj.kind() == "Role" => format!("Role {ns}/{name}"),
        _ => format!("{} {name}", obj.kind()),
    }
}

/// The role object a binding refers to, when it is in the context.
pub fn resolve_role_ref(ctx: &LintContext, binding: &ObjectView<'_>) -> Option<usize> {
    let r = role_ref(binding)?;
    let i = match r.kind {
        "ClusterRole" => ctx.find("ClusterRole", None, r.name)?,
        // A RoleBinding reaches Roles of its own namespace only.
        "Role" if binding.kind() == "RoleBinding" => {
            ctx.find("Role", binding.effective_namespace(), r.name)?
        }
        _ => return None,
    };
    is_role(&ctx.view(i)).then_some(i)
}

/// Roles whose `rules` the permission rules check, in input order: RBAC Roles and
/// ClusterRoles that are not aggregated, not bootstrap defaults, and not referenced only by
/// default bindings (a role that in-scope bindings reference solely from Kubernetes' own
/// bindings is part of the cluster's bootstrap policy). An unbound role is checked: its
/// binding may live elsewhere.
pub fn checked_roles(ctx: &LintContext) -> Vec<usize> {
    let mut referenced: HashMap<usize, bool> = HashMap::new();
    for b in ctx
        .of_kind("RoleBinding")
        .chain(ctx.of_kind("ClusterRoleBinding"))
    {
        let view = ctx.view(b);
        if !is_binding(&view) {
            continue;
        }
        if let Some(r) = resolve_role_ref(ctx, &view) {
            let only_default = referenced.entry(r).or_insert(true);
            *only_default &= is_default_binding(&view);
        }
    }
    let mut out: Vec<usize> = ctx
        .of_kind("Role")
        .chain(ctx.of_kind("ClusterRole"))
        .filter(|&i| {
            let v = ctx.view(i);
            is_role(&v)
                && !is_aggregated(&v)
                && !is_bootstrap(&v)
                && referenced.get(&i) != Some(&true)
        })
        .collect();
    out.sort_unstable();
    out
}

/// Call `f` for each entry of `rules` of each checked role (see `checked_roles`).
pub fn for_each_policy_rule(
    ctx: &LintContext,
    mut f: impl FnMut(usize, &ObjectView<'_>, &PolicyRule<'_>),
) {
    for i in checked_roles(ctx) {
        let view = ctx.view(i);
        for rule in policy_rules(&view) {
            f(i, &view, &rule);
        }
    }
}

/// A `resources` item of a checked role that grants some of the queried access.
#[derive(Clone, Debug)]
pub struct ResourceGrant {
    /// The role's index in the context.
    pub object: usize,
    /// `rules[i].resources[j]`.
    pub path: YamlPath,
    /// `ClusterRole name` / `Role ns/name`.
    pub role: String,
    /// The matching verbs as written.
    pub verbs: String,
    /// The item as written (`secrets`, `*`, `*/exec`).
    pub item: String,
    /// The queried resources the item covers.
    pub covered: Vec<&'static str>,
}

impl ResourceGrant {
    /// `ClusterRole reader grants get and list on secrets` (+ `through resources "*"` when the
    /// item is broader than what it names).
    pub fn message(&self) -> String {
        let mut m = format!(
            "{} grants {} on {}",
            self.role,
            self.verbs,
            join(self.covered.iter().copied())
        );
        if self.covered.len() != 1 || self.covered[0] != self.item {
            m.push_str(&format!(" through resources item `{}`", self.item));
        }
        m
    }
}

/// For every checked role (see `checked_roles`), each `resources` item of a rule that
/// grants one of `verbs` on one of `resources` in the resource's API group. Rules limited by
/// `resourceNames` are left out: naming the objects is the narrowing the benchmarks ask
/// for.
pub fn resource_grants(
    ctx: &LintContext,
    verbs: &[&str],
    resources: &[&'static str],
) -> Vec<ResourceGrant> {
    collect_resource_grants(ctx, resources, |_| {
        verbs.iter().map(|v| (*v).to_string()).collect()
    })
}

/// `resource_grants` for any verb the rule lists.
pub fn any_verb_resource_grants(
    ctx: &LintContext,
    resources: &[&'static str],
) -> Vec<ResourceGrant> {
    collect_resource_grants(ctx, resources, |rule| {
        rule.strings("verbs").map(|(_, v)| v.to_string()).collect()
    })
}

fn collect_resource_grants(
    ctx: &LintContext,
    resources: &[&'static str],
    verbs_of: impl Fn(&PolicyRule<'_>) -> Vec<String>,
) -> Vec<ResourceGrant> {
    let mut out = Vec::new();
    for_each_policy_rule(ctx, |object, role, rule| {
        let verbs = verbs_of(rule);
        let verbs: Vec<&str> = verbs.iter().map(String::as_str).collect();
        let Some(g) = rule.grant(&verbs, resources).filter(|g| !g.named) else {
            return;
        };
        let verbs = g.verb_text();
        for (j, item, covered) in g.resources {
            out.push(ResourceGrant {
                object,
                path: rule.item_path("resources", j),
                role: describe_role(role),
                verbs: verbs.clone(),
                item: item.to_string(),
                covered,
            });
        }
    });
    out
}

/// The kinds RBAC context rules read.
pub const RBAC_KINDS: &[&str] = &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_items_follow_the_authorizer() {
        assert!(resource_item_matches("*", "pods/exec"));
        assert!(resource_item_matches("pods/exec", "pods/exec"));
        assert!(resource_item_matches("*/exec", "pods/exec"));
        assert!(!resource_item_matches("pods", "pods/exec"));
        assert!(!resource_item_matches("pods/exec", "pods"));
        assert!(resource_item_matches("pods", "pods"));
        assert!(resource_item_matches("userextras/scopes", "userextras/*"));
        assert!(resource_item_matches("*/scopes", "userextras/*"));
        assert!(!resource_item_matches("userextras", "userextras/*"));
        assert!(!resource_item_matches("users", "userextras/*"));
    }

    #[test]
    fn groups_are_known_for_the_checked_resources() {
        assert_eq!(groups_of("pods/exec"), &[""]);
        assert_eq!(groups_of("cronjobs"), &["batch"]);
        assert_eq!(groups_of("clusterroles"), &[RBAC_GROUP]);
        assert_eq!(
            groups_of("certificatesigningrequests/approval"),
            &["certificates.k8s.io"]
        );
        assert!(groups_of("widgets").is_empty());
    }

    #[test]
    fn join_reads_as_a_list() {
        assert_eq!(join(["a"]), "a");
        assert_eq!(join(["a", "b", "c"]), "a, b and c");
        assert_eq!(join(Vec::<&str>::new()), "");
    }
}
