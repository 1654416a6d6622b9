//! Values traced back to the file and line a user edits.

use std::path::PathBuf;

use kspm_helm_chart::{
    HelmCompat, load_path, locate_value, process_dependencies, vals, yaml_key_line,
};

#[test]
fn key_lines() {
    let text = "a:\n  b: 1\n  c:\n    - x: 1\n    - y:\n        z: 2\nd: {e: 3}\n";
    assert_eq!(yaml_key_line(text, &["a"]), Some(1));
    assert_eq!(yaml_key_line(text, &["a", "b"]), Some(2));
    assert_eq!(yaml_key_line(text, &["a", "c", "1", "y", "z"]), Some(6));
    assert_eq!(yaml_key_line(text, &["d", "e"]), Some(7));
    assert_eq!(yaml_key_line(text, &["a", "z"]), None);
    assert_eq!(yaml_key_line(text, &["b"]), None);
}

#[test]
fn values_by_precedence() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parent");
    let mut chart = load_path(&dir).unwrap();
    process_dependencies(&mut chart, &vals::new_map(), HelmCompat::V3).unwrap();
    // Set by the parent for its aliased subchart.
    let o = locate_value(&chart, &[], &["first"], &["greeting"]).unwrap();
    assert_eq!((o.file.clone(), o.line), (dir.join("values.yaml"), 5));
    // Only in the subchart's own values.yaml.
    let o = locate_value(&chart, &[], &["first"], &["exported", "other"]).unwrap();
    assert_eq!((o.file, o.line), (dir.join("charts/sub/values.yaml"), 6));
    // Globals: the parent's win.
    let o = locate_value(&chart, &[], &["first"], &["global", "region"]).unwrap();
    assert_eq!((o.file, o.line), (dir.join("values.yaml"), 2));
    // A -f file wins over both.
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("v.yaml");
    std::fs::write(&f, "# user\nfirst:\n  greeting: mine\n").unwrap();
    let o = locate_value(&chart, std::slice::from_ref(&f), &["first"], &["greeting"]).unwrap();
    assert_eq!((o.file, o.line), (f, 3));
    assert!(locate_value(&chart, &[], &[], &["nothing"]).is_none());
}
