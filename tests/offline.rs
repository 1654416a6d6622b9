//! Safety: kspm needs no network (a run inside an empty network namespace prints the same
//! report), and never runs Kustomize exec plugins or Helm plugins.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kspm() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kspm"));
    c.env("NO_COLOR", "1");
    c
}

/// The `unshare` arguments that give an empty network namespace here: `-n` as root,
/// `-rn` (a user namespace too) otherwise. Panics with the reason when neither works.
fn netns_prefix() -> Vec<&'static str> {
    let mut tried = Vec::new();
    for args in [vec!["unshare", "-n"], vec!["unshare", "-rn"]] {
        let probe = Command::new(args[0])
            .args(&args[1..])
            .args(["--", "true"])
            .output();
        match probe {
            Ok(o) if o.status.success() => return args,
            Ok(o) => tried.push(format!(
                "`{} true`: {}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => tried.push(format!("`{}`: {e}", args.join(" "))),
        }
    }
    panic!(
        "cannot create an empty network namespace, so the offline check cannot run: {}. \
         It needs util-linux `unshare` and either root or unprivileged user namespaces \
         (sysctl kernel.unprivileged_userns_clone=1); CI runs it as root.",
        tried.join("; ")
    );
}

/// The shared corpus from KSPM_CORPUS: `None` when unset (a developer run), a failure when
/// set but missing (CI must not pass by finding nothing).
fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("KSPM_CORPUS")?);
    assert!(
        dir.is_dir(),
        "KSPM_CORPUS={} is not a folder",
        dir.display()
    );
    Some(dir)
}

fn lint_output(prefix: &[&str], corpus: &Path) -> Output {
    let bin = env!("CARGO_BIN_EXE_kspm");
    let mut cmd = match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg("--").arg(bin);
            c
        }
        None => Command::new(bin),
    };
    cmd.env("NO_COLOR", "1")
        .args(["lint", "--format", "json"])
        .arg(corpus)
        .output()
        .expect("run kspm")
}

#[test]
fn the_corpus_lints_the_same_without_a_network() {
    let Some(corpus) = corpus() else {
        eprintln!("KSPM_CORPUS is not set: the offline comparison over the corpus is skipped");
        return;
    };
    let prefix = netns_prefix();
    // The namespace really has no way out: only a loopback that is down.
    let probe = Command::new(prefix[0])
        .args(&prefix[1..])
        .args(["--", "cat", "/proc/net/dev"])
        .output()
        .unwrap();
    let devices = String::from_utf8_lossy(&probe.stdout);
    let interfaces: Vec<&str> = devices
        .lines()
        .skip(2)
        .filter_map(|l| l.split(':').next())
        .map(str::trim)
        .collect();
    assert_eq!(interfaces, ["lo"], "{devices}");

    // Both runs at once: they take a while each over the whole corpus.
    let (online, offline) = std::thread::scope(|s| {
        let online = s.spawn(|| lint_output(&[], &corpus));
        let offline = s.spawn(|| lint_output(&prefix, &corpus));
        (online.join().unwrap(), offline.join().unwrap())
    });
    let report: serde_json::Value = serde_json::from_slice(&online.stdout).unwrap();
    assert!(
        report["summary"]["findings"].as_u64().unwrap() > 1000,
        "the corpus was linted: {}",
        report["summary"]
    );
    assert_eq!(online.status.code(), offline.status.code());
    assert_eq!(
        String::from_utf8_lossy(&online.stderr),
        String::from_utf8_lossy(&offline.stderr)
    );
    assert!(
        online.stdout == offline.stdout,
        "the report differs without a network"
    );
}

fn write_exec(path: &Path, script: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn kubectl_dir() -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .find(|d| d.join("kubectl").is_file())
        .expect("kubectl on PATH (kustomization folders are built with it)")
}

#[test]
fn kustomize_exec_plugins_never_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("app");
    let ran = tmp.path().join("RAN");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: nginx}]\n",
    )
    .unwrap();
    // A legacy exec plugin where kustomize looks for one, and a KRM exec function.
    let home = tmp.path().join("xdg");
    let touch = format!(
        "#!/bin/sh\ntouch '{}'\nprintf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {{name: gen}}\\n'\n",
        ran.display()
    );
    write_exec(
        &home.join("kustomize/plugin/example.com/v1/legacy/Legacy"),
        &touch,
    );
    write_exec(&dir.join("fn.sh"), &touch);
    std::fs::write(
        dir.join("legacy.yaml"),
        "apiVersion: example.com/v1\nkind: Legacy\nmetadata: {name: l}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("fn.yaml"),
        "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n",
    )
    .unwrap();
    let env = |c: &mut Command| {
        c.env("XDG_CONFIG_HOME", &home)
            .env("HOME", tmp.path())
            .env("KUSTOMIZE_PLUGIN_HOME", home.join("kustomize/plugin"))
            .env("PATH", kubectl_dir());
    };
    std::fs::write(
        dir.join("kustomization.yaml"),
        "resources: [pod.yaml]\ngenerators: [legacy.yaml]\n",
    )
    .unwrap();
    // The control: with plugins enabled, kustomize runs the legacy plugin.
    let mut control = Command::new(kubectl_dir().join("kubectl"));
    env(&mut control);
    let out = control
        .args(["kustomize", "--enable-alpha-plugins"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(ran.exists(), "the control run did not run the plugin");
    std::fs::remove_file(&ran).unwrap();

    for kustomization in [
        "resources: [pod.yaml]\ngenerators: [legacy.yaml]\n",
        "resources: [pod.yaml]\ntransformers: [legacy.yaml]\n",
        "resources: [pod.yaml]\ntransformers: [fn.yaml]\n",
        "resources: [pod.yaml]\ngenerators: [fn.yaml]\nvalidators: [fn.yaml]\n",
    ] {
        std::fs::write(dir.join("kustomization.yaml"), kustomization).unwrap();
        let mut cmd = kspm();
        env(&mut cmd);
        let out = cmd
            .current_dir(tmp.path())
            .args(["lint", "--format", "json", "app"])
            .output()
            .unwrap();
        assert!(!ran.exists(), "a plugin ran for:\n{kustomization}");
        // Never silent: the build that needs a plugin is an error at the kustomization.
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(2), "{kustomization}: {v}");
        assert_eq!(v["errors"][0]["path"], "app/kustomization.yaml", "{v}");
    }
}

#[test]
fn helm_runs_with_no_plugins_and_no_network() {
    let tmp = tempfile::tempdir().unwrap();
    let chart = tmp.path().join("chart");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("templates/pod.yaml"), "kind: Pod\n").unwrap();
    // A `helm` that records how it was started; a plugin in the user's helm folder.
    let bin = tmp.path().join("bin");
    let record = tmp.path().join("record");
    write_exec(
        &bin.join("helm"),
        &format!(
            "#!/bin/sh\nPATH=/usr/bin:/bin\n{{ echo \"args: $*\"; echo \"plugins: $HELM_PLUGINS\"; ls -A \"$HELM_PLUGINS\" | sed 's/^/plugin file: /'; env | grep -i '_proxy=' ; }} > '{}'\nprintf '%s\\n' '---' '# Source: c/templates/pod.yaml' 'apiVersion: v1' 'kind: Pod' 'metadata: {{name: p}}' 'spec: {{containers: [{{name: a, image: nginx}}]}}'\n",
            record.display()
        ),
    );
    let user_plugins = tmp.path().join("home/.local/share/helm/plugins/evil");
    std::fs::create_dir_all(&user_plugins).unwrap();
    std::fs::write(user_plugins.join("plugin.yaml"), "name: evil\n").unwrap();
    let out = kspm()
        .env("PATH", &bin)
        .env("HOME", tmp.path().join("home"))
        .env("HELM_PLUGINS", user_plugins.parent().unwrap())
        .current_dir(tmp.path())
        .args(["lint", "--format", "json", "chart"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["summary"]["objects"] == 1, "{v}");
    let record = std::fs::read_to_string(&record).unwrap();
    let args = record.lines().next().unwrap();
    assert!(args.starts_with("args: template "), "{record}");
    assert!(!args.contains("--post-renderer"), "{record}");
    // HELM_PLUGINS points at an empty folder, not the user's.
    let plugins = record.lines().find(|l| l.starts_with("plugins: ")).unwrap();
    assert!(!plugins.contains(".local/share/helm"), "{record}");
    assert!(!record.contains("plugin file: "), "{record}");
    // Any HTTP client helm starts goes to a closed local port.
    for l in record
        .lines()
        .filter(|l| l.to_ascii_lowercase().contains("_proxy="))
    {
        assert!(l.ends_with("=http://127.0.0.1:9"), "{record}");
    }
    assert!(record.contains("https_proxy=") || record.contains("HTTPS_PROXY="));
}
