//! Sprig's JSON functions over Go's encoding/json (kspm-godata). Helm replaces `toJson`,
//! `mustToJson` and `fromJson` with its own; these are Sprig's, for the plain function map.

use kspm_godata::json;
use kspm_gotmpl::{FuncMap, Param, Value};

use crate::util::{arg, reg, s, string};

pub fn register(m: &mut FuncMap) {
    use Param::{Any, String as Str};
    reg(m, "fromJson", vec![Str], |a| {
        Ok(json::unmarshal(s(&a, 0)).unwrap_or(Value::Nil))
    });
    reg(m, "mustFromJson", vec![Str], |a| json::unmarshal(s(&a, 0)));
    reg(m, "toJson", vec![Any], |a| {
        Ok(string(json::marshal(&arg(&a, 0)).unwrap_or_default()))
    });
    reg(m, "mustToJson", vec![Any], |a| {
        Ok(string(json::marshal(&arg(&a, 0))?))
    });
    reg(m, "toPrettyJson", vec![Any], |a| {
        Ok(string(
            json::marshal_indent(&arg(&a, 0), "", "  ").unwrap_or_default(),
        ))
    });
    reg(m, "mustToPrettyJson", vec![Any], |a| {
        Ok(string(json::marshal_indent(&arg(&a, 0), "", "  ")?))
    });
    reg(m, "toRawJson", vec![Any], |a| {
        Ok(string(
            json::marshal_no_escape(&arg(&a, 0)).unwrap_or_default(),
        ))
    });
    reg(m, "mustToRawJson", vec![Any], |a| {
        Ok(string(json::marshal_no_escape(&arg(&a, 0))?))
    });
}
