//! Charts of ../shared/corpus/real-world: those with their dependencies present (or as a
//! `file://` sibling) load and coalesce; the one whose dependency is only in a remote
//! repository fails with Helm's `helm dependency build` error.

mod common;

use kspm_gotmpl::Value;
use kspm_helm_chart::{
    HelmCompat, Origin, ReleaseOptions, load, process_dependencies, to_render_values, vals,
};

#[test]
fn real_world_charts() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let rw = corpus.join("real-world");
    if !rw.is_dir() {
        return;
    }
    for (dir, templates) in [
        ("argocd-example-apps/helm-guestbook", 4),
        ("argocd-example-apps/apps", 1),
        ("microservices-demo/helm-chart", 14),
        ("ingress-nginx/charts/ingress-nginx", 45),
    ] {
        let path = rw.join(dir);
        if !path.is_dir() {
            continue;
        }
        let mut chart = load(&path).unwrap_or_else(|e| panic!("{dir}: {e}"));
        assert_eq!(chart.templates.len(), templates, "{dir}");
        process_dependencies(&mut chart, &vals::new_map(), HelmCompat::V3).unwrap();
        to_render_values(
            &chart,
            &vals::new_map(),
            &ReleaseOptions::default(),
            Value::Nil,
            HelmCompat::V3,
            false,
        )
        .unwrap_or_else(|e| panic!("{dir}: {e}"));
    }
    let sibling = rw.join("argocd-example-apps/plugins/kustomized-helm");
    if sibling.is_dir() {
        let chart = load(&sibling).unwrap();
        assert_eq!(chart.dependencies.len(), 1);
        assert!(matches!(chart.dependencies[0].origin, Origin::Sibling(_)));
        let notes = chart.all_notes();
        assert!(
            notes[0].contains("file://../../helm-guestbook"),
            "{notes:?}"
        );
        // The folder used is shown resolved.
        assert!(
            notes[0].contains("argocd-example-apps/helm-guestbook ("),
            "{notes:?}"
        );
    }
    let remote = rw.join("argocd-example-apps/helm-dependency");
    if remote.is_dir() {
        let err = load(&remote).unwrap_err();
        assert!(
            err.message
                .ends_with("missing in charts/ directory: wordpress"),
            "{err}"
        );
        assert!(err.message.contains("helm dependency build"), "{err}");
    }
}
