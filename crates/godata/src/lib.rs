//! Go data encodings as Helm sees them, over kspm-gotmpl values: encoding/json
//! ([`json`]), sigs.k8s.io/yaml ([`yaml`]), BurntSushi/toml ([`toml`]) and Helm's `--set`
//! syntax ([`strvals`]).

pub mod base64;
pub mod gofloat;
pub mod json;
pub mod strvals;
pub mod toml;
pub mod utf8;
pub mod yaml;
