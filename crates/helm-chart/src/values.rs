//! User values as `helm template` builds them from `-f` files and the `--set` family, in
//! Helm's order: values files (merged left to right), then `--set-json`, `--set`,
//! `--set-string`, `--set-file`, `--set-literal`.

use std::fs;
use std::path::{Path, PathBuf};

use kspm_godata::strvals::{self, Kind};
use kspm_gotmpl::Value;

use crate::error::{Error, Result};
use crate::vals::{self, entries, get, is_table, new_map, set};

/// The values flags of `helm template`.
#[derive(Clone, Debug, Default)]
pub struct ValuesOptions {
    /// `-f/--values` files, in order (`-` reads standard input).
    pub value_files: Vec<PathBuf>,
    /// `--set-json` arguments.
    pub json_values: Vec<String>,
    /// `--set` arguments.
    pub values: Vec<String>,
    /// `--set-string` arguments.
    pub string_values: Vec<String>,
    /// `--set-file` arguments (`key=path`, the file's text becomes the value).
    pub file_values: Vec<String>,
    /// `--set-literal` arguments.
    pub literal_values: Vec<String>,
}

/// Helm's `mergeMaps`: `b` over `a`, maps merged recursively, everything else replaced.
/// Nulls are kept (they delete chart defaults later, when coalescing).
pub fn merge_maps(a: &Value, b: &Value) -> Value {
    let out = vals::shallow_copy(a);
    for (k, v) in entries(b) {
        if is_table(&v)
            && let Some(existing) = get(&out, &k)
            && is_table(&existing)
        {
            set(&out, &k, merge_maps(&existing, &v));
            continue;
        }
        set(&out, &k, v);
    }
    out
}

fn read_source(path: &Path) -> Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| Error::new(e.to_string()))?;
        return Ok(buf);
    }
    let text = path.to_string_lossy();
    if text.starts_with("http://") || text.starts_with("https://") || text.starts_with("oci://") {
        return Err(Error::at(
            path,
            format!(
                "{text}: values from a URL are not supported offline; download the file and pass its path"
            ),
        ));
    }
    fs::read(path).map_err(|e| {
        let msg = if e.kind() == std::io::ErrorKind::NotFound {
            format!("open {text}: no such file or directory")
        } else {
            format!("open {text}: {e}")
        };
        Error::at(path, msg)
    })
}

impl ValuesOptions {
    /// The user values (`map[string]interface {}`), as Helm's `values.Options.MergeValues`.
    pub fn merge_values(&self) -> Result<Value> {
        let mut base = new_map();
        for path in &self.value_files {
            let bytes = read_source(path)?;
            let current = crate::yaml::decode_map(&bytes)
                .map_err(|e| Error::at(path, format!("failed to parse {}: {e}", path.display())))?;
            base = merge_maps(&base, &current);
        }
        for v in &self.json_values {
            strvals::parse_into(v, &base, Kind::Json)
                .map_err(|_| Error::new(format!("failed parsing --set-json data {v}")))?;
        }
        for v in &self.values {
            strvals::parse_into(v, &base, Kind::Typed)
                .map_err(|e| Error::new(format!("failed parsing --set data: {e}")))?;
        }
        for v in &self.string_values {
            strvals::parse_into(v, &base, Kind::String)
                .map_err(|e| Error::new(format!("failed parsing --set-string data: {e}")))?;
        }
        for v in &self.file_values {
            let mut reader = |p: &str| -> std::result::Result<Value, String> {
                let bytes = read_source(Path::new(p)).map_err(|e| e.message)?;
                Ok(Value::string(String::from_utf8_lossy(&bytes).into_owned()))
            };
            strvals::parse_into(v, &base, Kind::File(&mut reader))
                .map_err(|e| Error::new(format!("failed parsing --set-file data: {e}")))?;
        }
        for v in &self.literal_values {
            strvals::parse_into(v, &base, Kind::Literal)
                .map_err(|e| Error::new(format!("failed parsing --set-literal data: {e}")))?;
        }
        Ok(base)
    }
}
