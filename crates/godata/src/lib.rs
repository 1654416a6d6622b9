//! Go data encodings as Helm sees them: encoding/json, sigs.k8s.io/yaml, TOML, and Helm's --set syntax (strvals), over kspm-gotmpl values
