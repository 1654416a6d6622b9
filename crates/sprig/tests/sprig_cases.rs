//! Runs every row of ../shared/corpus/helm-golden/sprig-cases.tsv (Sprig v3.3.0's own
//! tests as template rows) through the Go template engine with `funcs()` installed.

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use kspm_gotmpl::{FloatKind, IntKind, Object, Template, UintKind, Value};
use kspm_test_support::corpus;

/// The lowest pass count reached; raise it as rows start passing.
const FLOOR: usize = 165;

/// The TSV text escapes: `\\`, `\t`, `\n`, `\r`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// The test's `sprig.fixtureTO` (`struct{Name, Value string}`) or a pointer to one.
struct Fixture {
    pointer: bool,
    fields: Option<(String, String)>,
}

impl Object for Fixture {
    fn type_name(&self) -> String {
        if self.pointer {
            "*sprig.fixtureTO"
        } else {
            "sprig.fixtureTO"
        }
        .into()
    }
    fn kind(&self) -> &'static str {
        if self.pointer { "ptr" } else { "struct" }
    }
    fn field(&self, name: &str) -> Option<Value> {
        let (n, v) = self.fields.as_ref()?;
        match name {
            "Name" => Some(Value::string(n.as_str())),
            "Value" => Some(Value::string(v.as_str())),
            _ => None,
        }
    }
    fn format_v(&self) -> String {
        match (&self.fields, self.pointer) {
            (Some((n, v)), true) => format!("&{{{n} {v}}}"),
            (Some((n, v)), false) => format!("{{{n} {v}}}"),
            (None, _) => "<nil>".into(),
        }
    }
    fn truth(&self) -> bool {
        self.fields.is_some()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A pointer to a value, or an `error`: `%v` shows the text (an `error` prints its
/// message; Sprig's tests only ask pointers for their type and kind).
struct Pointer {
    type_name: String,
    text: String,
}

impl Object for Pointer {
    fn type_name(&self) -> String {
        self.type_name.clone()
    }
    fn kind(&self) -> &'static str {
        "ptr"
    }
    fn format_v(&self) -> String {
        self.text.clone()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A row's data as Go values: objects as `map[string]interface {}`, integral numbers
/// `int`, others `float64`, `{"$go": TYPE, "value": ...}` as that Go type.
fn to_value(j: &serde_json::Value) -> Result<Value, String> {
    use serde_json::Value as J;
    Ok(match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::int(i),
            None => Value::float64(n.as_f64().unwrap_or(0.0)),
        },
        J::String(s) => Value::string(s.as_str()),
        J::Array(a) => Value::list(a.iter().map(to_value).collect::<Result<_, _>>()?),
        J::Object(o) => {
            if let Some(J::String(t)) = o.get("$go") {
                return go_typed(t, o.get("value").unwrap_or(&J::Null));
            }
            let mut m = BTreeMap::new();
            for (k, v) in o {
                m.insert(k.clone(), to_value(v)?);
            }
            Value::map(m)
        }
    })
}

fn go_typed(t: &str, v: &serde_json::Value) -> Result<Value, String> {
    use serde_json::Value as J;
    Ok(match (t, v) {
        ("int64", J::Number(n)) => Value::int64(n.as_i64().unwrap_or(0)),
        ("time.Time" | "*time.Time", J::String(s)) => {
            let utc = kspm_sprig::Location::utc();
            kspm_sprig::Time::parse("2006-01-02T15:04:05Z07:00", s, &utc)?.value()
        }
        ("[]string", J::Array(a)) => {
            Value::string_list(a.iter().map(|x| x.as_str().unwrap_or("").to_string()))
        }
        ("[]int", J::Array(a)) => Value::List(Rc::new(kspm_gotmpl::List {
            type_name: "[]int".into(),
            items: a
                .iter()
                .map(|x| Value::int(x.as_i64().unwrap_or(0)))
                .collect(),
        })),
        ("int8" | "int16" | "int32" | "int", J::Number(n)) => {
            let kind = match t {
                "int8" => IntKind::Int8,
                "int16" => IntKind::Int16,
                "int32" => IntKind::Int32,
                _ => IntKind::Int,
            };
            Value::Int(n.as_i64().unwrap_or(0), kind)
        }
        ("uint" | "uint8" | "uint16" | "uint32" | "uint64", J::Number(n)) => {
            let kind = match t {
                "uint8" => UintKind::Uint8,
                "uint16" => UintKind::Uint16,
                "uint32" => UintKind::Uint32,
                "uint64" => UintKind::Uint64,
                _ => UintKind::Uint,
            };
            Value::Uint(n.as_u64().unwrap_or(0), kind)
        }
        ("float32", J::Number(n)) => Value::Float(n.as_f64().unwrap_or(0.0), FloatKind::Float32),
        ("float64", J::Number(n)) => Value::float64(n.as_f64().unwrap_or(0.0)),
        ("[]byte" | "[]uint8", J::String(s)) => Value::Bytes(Rc::from(s.as_bytes())),
        ("map[string]string", J::Object(o)) => {
            let entries = o
                .iter()
                .map(|(k, v)| (k.clone(), Value::string(v.as_str().unwrap_or(""))))
                .collect();
            let v = Value::map(entries);
            if let Value::Map(m) = &v {
                m.borrow_mut().type_name = "map[string]string".into();
            }
            v
        }
        ("error", J::String(s)) => Value::Object(Rc::new(Pointer {
            type_name: "*errors.errorString".into(),
            text: s.clone(),
        })),
        (p, J::String(s)) if p.starts_with('*') && p != "*time.Time" => {
            Value::Object(Rc::new(Pointer {
                type_name: p.to_string(),
                text: s.clone(),
            }))
        }
        ("*sprig.fixtureTO", J::Null) => Value::Object(Rc::new(Fixture {
            pointer: true,
            fields: None,
        })),
        ("*sprig.fixtureTO" | "sprig.fixtureTO", J::Object(o)) => {
            let f = |k: &str| o.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            Value::Object(Rc::new(Fixture {
                pointer: t.starts_with('*'),
                fields: Some((f("Name"), f("Value"))),
            }))
        }
        _ => return Err(format!("cannot build Go type {t}")),
    })
}

fn run(template: &str, data: Value) -> Result<String, String> {
    let mut t = Template::new("test");
    t.funcs(kspm_sprig::funcs());
    t.parse("test", template).map_err(|e| e.to_string())?;
    t.execute("test", data).map_err(|e| e.to_string())
}

/// `expect` = property: the checks Sprig's tests make on random or generated output.
fn property(check: &str, out: &str) -> Result<(), String> {
    let (kind, arg) = check.split_once(':').ok_or("bad property")?;
    let ok = match kind {
        "contains" => out.contains(arg),
        "runes" => out.chars().count() == arg.parse::<usize>().map_err(|e| e.to_string())?,
        "length" => out.len() == arg.parse::<usize>().map_err(|e| e.to_string())?,
        "base64-decoded-bytes" => kspm_godata::base64::decode(out)
            .is_some_and(|b| b.len() == arg.parse::<usize>().unwrap_or(usize::MAX)),
        "int-in" => {
            let inner = arg.trim_start_matches('[').trim_end_matches(')');
            let (lo, hi) = inner.split_once(',').ok_or("bad range")?;
            let v: i64 = out.parse().map_err(|_| format!("not an int: {out}"))?;
            let lo: i64 = lo.trim().parse().map_err(|_| "bad range")?;
            let hi: i64 = hi.trim().parse().map_err(|_| "bad range")?;
            (lo..hi).contains(&v)
        }
        "bcrypt-verifies" => bcrypt_verify(arg, out),
        _ => return Err(format!("unknown property {kind}")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{check} does not hold for {out:?}"))
    }
}

fn bcrypt_verify(password: &str, hash: &str) -> bool {
    let hash = hash.rsplit(':').next().unwrap_or(hash);
    bcrypt::verify(password, hash).unwrap_or(false)
}

#[test]
fn sprig_cases() {
    let Some(corpus) = corpus() else {
        println!("sprig-cases: corpus not found (set KSPM_CORPUS); skipped");
        return;
    };
    let path = corpus.join("helm-golden/sprig-cases.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut total = 0;
    let mut pass = 0;
    let mut failing = Vec::new();
    let mut unbuildable = Vec::new();
    for line in text.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 {
            continue;
        }
        total += 1;
        let (id, template, data, expected, expect) = (
            cols[0],
            unescape(cols[2]),
            cols[3],
            unescape(cols[4]),
            cols[5],
        );
        let data = match serde_json::from_str::<serde_json::Value>(data)
            .map_err(|e| e.to_string())
            .and_then(|j| to_value(&j))
        {
            Ok(v) => v,
            Err(e) => {
                unbuildable.push(format!("{id}: {e}"));
                failing.push(format!("{id} (data: {e})"));
                continue;
            }
        };
        let got = run(&template, data);
        let in_helm = cols.get(6).copied().unwrap_or("yes");
        let function = cols[1];
        let verdict = match (expect, &got) {
            // Helm does not install `env`/`expandenv`: a template calling them fails to parse.
            _ if in_helm == "removed" => match &got {
                Err(e) if e.contains(&format!("function \"{function}\" not defined")) => Ok(()),
                other => Err(format!(
                    "{function} is not in Helm's function map; got {other:?}"
                )),
            },
            ("exact", Ok(out)) if *out == expected => Ok(()),
            ("exact", Ok(out)) => Err(format!("got {out:?}, want {expected:?}")),
            ("error-contains", Err(e)) if e.contains(&expected) => Ok(()),
            ("error-contains", other) => Err(format!(
                "got {other:?}, want an error containing {expected:?}"
            )),
            ("property", Ok(out)) => property(&expected, out),
            (_, Err(e)) => Err(format!("error: {e}")),
            (kind, Ok(_)) => Err(format!("unknown expect {kind}")),
        };
        match verdict {
            Ok(()) => pass += 1,
            Err(why) => failing.push(format!("{id}: {why}")),
        }
    }
    println!("sprig-cases: {pass}/{total} pass");
    for f in &failing {
        println!("  FAIL {f}");
    }
    for u in &unbuildable {
        println!("  (Go type not buildable) {u}");
    }
    assert!(
        pass >= FLOOR,
        "sprig-cases: {pass}/{total} pass, below the floor of {FLOOR}"
    );
}

/// Sprig v3.3.0's function names (functions.go), less `env` and `expandenv`.
const SPRIG_FUNCTIONS: &str = "hello ago date date_in_zone date_modify dateInZone dateModify duration durationRound htmlDate htmlDateInZone must_date_modify mustDateModify mustToDate now toDate unixEpoch abbrev abbrevboth trunc trim upper lower title untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace initials randAlphaNum randAlpha randAscii randNumeric swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix hasSuffix quote squote cat indent nindent replace plural sha1sum sha256sum sha512sum adler32sum toString atoi int64 int float64 seq toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf divf mulf biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact mustCompact fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary deepCopy mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs deepEqual getHostByName base dir clean ext isAbs osBase osClean osDir osExt osIsAbs b64enc b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys pick omit merge mergeOverwrite mustMerge mustMergeOverwrite values append push mustAppend mustPush prepend mustPrepend first mustFirst rest mustRest last mustLast initial mustInitial reverse mustReverse uniq mustUniq without mustWithout has mustHas slice mustSlice concat dig chunk mustChunk bcrypt htpasswd genPrivateKey derivePassword buildCustomCert genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES decryptAES randBytes uuidv4 semver semverCompare fail regexMatch mustRegexMatch regexFindAll mustRegexFindAll regexFind mustRegexFind regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral mustRegexReplaceAllLiteral regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin";

#[test]
fn every_function_helm_ships() {
    let funcs = kspm_sprig::funcs();
    let names: Vec<&str> = SPRIG_FUNCTIONS.split_whitespace().collect();
    assert_eq!(names.len(), 209);
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !funcs.contains_key(*n))
        .collect();
    println!(
        "sprig functions: {}/209 implemented",
        names.len() - missing.len()
    );
    assert!(missing.is_empty(), "missing: {missing:?}");
    assert!(!funcs.contains_key("env") && !funcs.contains_key("expandenv"));
}
