//! Label selectors: a Service's map selector and the `matchLabels`/`matchExpressions` form.

use crate::yaml::Node;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed label selector. An empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    pub match_labels: Vec<(String, String)>,
    pub expressions: Vec<Requirement>,
}

/// String labels of a `labels:` mapping (non-string values are skipped).
pub fn labels_of(node: Option<&Node>) -> Vec<(String, String)> {
    node.map(|n| {
        n.entries()
            .iter()
            .filter_map(|e| Some((e.key_str.clone(), e.value.scalar_text()?.to_string())))
            .collect()
    })
    .unwrap_or_default()
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.map(|n| {
        n.items()
            .iter()
            .filter_map(|i| i.scalar_text().map(str::to_string))
            .collect()
    })
    .unwrap_or_default()
}

impl LabelSelector {
    /// A Service-style selector: a plain label map.
    pub fn from_map(node: &Node) -> Self {
        LabelSelector {
            match_labels: labels_of(Some(node)),
            expressions: Vec::new(),
        }
    }

    /// A `metav1.LabelSelector` (`matchLabels` + `matchExpressions`).
    pub fn from_label_selector(node: &Node) -> Self {
        let expressions = node
            .get("matchExpressions")
            .map(|e| e.items())
            .unwrap_or_default()
            .iter()
            .filter_map(|e| {
                let key = e.get("key")?.scalar_text()?.to_string();
                let values = strings(e.get("values"));
                Some(match e.get("operator")?.scalar_text()? {
                    "In" => Requirement::In(key, values),
                    "NotIn" => Requirement::NotIn(key, values),
                    "Exists" => Requirement::Exists(key),
                    "DoesNotExist" => Requirement::DoesNotExist(key),
                    _ => return None,
                })
            })
            .collect();
        LabelSelector {
            match_labels: labels_of(node.get("matchLabels")),
            expressions,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.expressions.is_empty()
    }

    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let get = |k: &str| {
            labels
                .iter()
                .find(|(lk, _)| lk == k)
                .map(|(_, v)| v.as_str())
        };
        self.match_labels
            .iter()
            .all(|(k, v)| get(k) == Some(v.as_str()))
            && self.expressions.iter().all(|r| match r {
                Requirement::In(k, vs) => get(k).is_some_and(|v| vs.iter().any(|x| x == v)),
                Requirement::NotIn(k, vs) => get(k).is_none_or(|v| vs.iter().all(|x| x != v)),
                Requirement::Exists(k) => get(k).is_some(),
                Requirement::DoesNotExist(k) => get(k).is_none(),
            })
    }
}
