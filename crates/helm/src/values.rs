//! The user's values as `helm template` builds them: `-f` files merged in order, then
//! `--set-json`, `--set`, `--set-string`, `--set-file`, `--set-literal` (Helm's fixed order,
//! whatever the order on the command line).

use std::path::Path;

use kspm_godata::{strvals, yaml};
use kspm_gotmpl::Value;

use crate::errors::TemplateError;
use crate::options::TemplateOptions;

/// Helm's `mergeMaps`: maps merge recursively, anything else in `b` replaces.
pub fn merge_maps(a: &Value, b: &Value) -> Value {
    let (Value::Map(am), Value::Map(bm)) = (a, b) else {
        return b.clone();
    };
    let mut out = am.borrow().entries.clone();
    for (k, v) in &bm.borrow().entries {
        let merged = match (out.get(k), v) {
            (Some(existing @ Value::Map(_)), Value::Map(_)) => merge_maps(existing, v),
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    Value::map(out)
}

fn read_file(path: &Path, cwd: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| e.to_string())?;
        return Ok(s);
    }
    let shown = path.display().to_string();
    if shown.starts_with("http://") || shown.starts_with("https://") || shown.starts_with("oci://")
    {
        return Err(format!(
            "{shown}: values from a URL are not read offline; download the file and pass its path"
        ));
    }
    let full = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    std::fs::read_to_string(&full).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("open {shown}: no such file or directory"),
        _ => format!("open {shown}: {e}"),
    })
}

/// The merged user values.
pub fn user_values(opts: &TemplateOptions, cwd: &Path) -> Result<Value, TemplateError> {
    let mut base = Value::map(Default::default());
    for f in &opts.values_files {
        let text = read_file(f, cwd).map_err(TemplateError::new)?;
        let current = yaml::unmarshal_map(&text)
            .map_err(|e| TemplateError::new(format!("failed to parse {}: {e}", f.display())))?;
        base = merge_maps(&base, &current);
    }
    fn fail(what: &'static str) -> impl Fn(String) -> TemplateError {
        move |e| TemplateError::new(format!("failed parsing {what}: {e}"))
    }
    for s in &opts.set_json {
        strvals::parse_into(s, &base, strvals::Kind::Json)
            .map_err(|e| TemplateError::new(format!("failed parsing --set-json data {s}: {e}")))?;
    }
    for s in &opts.set {
        strvals::parse_into(s, &base, strvals::Kind::Typed).map_err(fail("--set data"))?;
    }
    for s in &opts.set_string {
        strvals::parse_into(s, &base, strvals::Kind::String).map_err(fail("--set-string data"))?;
    }
    for s in &opts.set_file {
        let mut reader =
            |p: &str| -> Result<Value, String> { read_file(Path::new(p), cwd).map(Value::string) };
        strvals::parse_into(s, &base, strvals::Kind::File(&mut reader))
            .map_err(fail("--set-file data"))?;
    }
    for s in &opts.set_literal {
        strvals::parse_into(s, &base, strvals::Kind::Literal)
            .map_err(fail("--set-literal data"))?;
    }
    Ok(base)
}
