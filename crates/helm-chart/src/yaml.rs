//! YAML decoding as Helm does it (sigs.k8s.io/yaml), through kspm-godata.

use kspm_gotmpl::Value;

/// A YAML document decoded into Go's `interface{}` (maps, lists, float64 numbers).
pub(crate) fn decode(data: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(data);
    kspm_godata::yaml::unmarshal(&text)
}

/// A YAML document decoded into `map[string]interface {}` (empty document: empty map).
pub(crate) fn decode_map(data: &[u8]) -> Result<Value, String> {
    let text = String::from_utf8_lossy(data);
    kspm_godata::yaml::unmarshal_map(&text)
}

/// `yaml.Marshal` text.
pub(crate) fn encode(v: &Value) -> Result<String, String> {
    kspm_godata::yaml::marshal(v)
}
