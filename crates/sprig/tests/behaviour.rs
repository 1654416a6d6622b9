//! Go behaviours of the Sprig functions that the corpus table does not pin down: error
//! texts, Go types of results, zones, certificates, mergo semantics.

use kspm_gotmpl::{Template, Value};

fn run(template: &str) -> Result<String, String> {
    let mut t = Template::new("t");
    t.funcs(kspm_sprig::funcs());
    t.parse("t", template).map_err(|e| e.to_string())?;
    t.execute("t", Value::map(Default::default()))
        .map_err(|e| e.to_string())
}

fn ok(template: &str) -> String {
    run(template).unwrap_or_else(|e| panic!("{template}: {e}"))
}

fn err(template: &str) -> String {
    match run(template) {
        Ok(out) => panic!("{template}: expected an error, got {out:?}"),
        Err(e) => e,
    }
}

#[test]
fn result_types_are_go_types() {
    assert_eq!(ok(r#"{{ add 1 2 | typeOf }}"#), "int64");
    assert_eq!(ok(r#"{{ until 2 | typeOf }}"#), "[]int");
    assert_eq!(ok(r#"{{ splitList "," "a,b" | typeOf }}"#), "[]string");
    assert_eq!(ok(r#"{{ split "," "a,b" | typeOf }}"#), "map[string]string");
    assert_eq!(
        ok(r#"{{ list 1 2 3 4 5 | chunk 2 | typeOf }}"#),
        "[][]interface {}"
    );
    assert_eq!(ok(r#"{{ now | typeOf }}"#), "time.Time");
    assert_eq!(ok(r#"{{ semver "1.0.0" | typeOf }}"#), "*semver.Version");
    assert_eq!(ok(r#"{{ genCA "x" 1 | typeOf }}"#), "sprig.certificate");
    assert_eq!(ok(r#"{{ ceil 1.2 | typeOf }}"#), "float64");
}

#[test]
fn errors_read_like_go() {
    assert!(
        err(r#"{{ first 1 }}"#).ends_with("error calling first: Cannot find first on type int")
    );
    assert!(
        err(r#"{{ div 1 0 }}"#)
            .ends_with("error calling div: runtime error: integer divide by zero")
    );
    assert!(err(r#"{{ substr 2 9 "a" }}"#).contains("slice bounds out of range"));
    assert!(err(r#"{{ mustRegexMatch "(" "x" }}"#).contains("error parsing regexp"));
    assert!(
        err(r#"{{ mustToDate "2006-01-02" "2020" }}"#)
            .ends_with(r#"parsing time "2020" as "2006-01-02": cannot parse "" as "-""#)
    );
    assert!(
        err(r#"{{ mustDateModify "1x" now }}"#)
            .ends_with(r#"time: unknown unit "x" in duration "1x""#)
    );
    assert!(err(r#"{{ semverCompare "!!" "1.0.0" }}"#).ends_with("improper constraint: !!"));
    assert!(err(r#"{{ semver "a.b" }}"#).ends_with("Invalid Semantic Version"));
    assert!(
        err(r#"{{ dig "a" "" (dict "a" "x") | dig "a" "b" "" }}"#).contains("interface conversion")
    );
    assert!(err(r#"{{ repeat -1 "x" }}"#).ends_with("strings: negative Repeat count"));
    assert!(
        err(r#"{{ urlParse "%zz" }}"#)
            .ends_with(r#"unable to parse url: parse "%zz": invalid URL escape "%zz""#)
    );
}

#[test]
fn lenient_results_where_sprig_swallows_errors() {
    assert_eq!(ok(r#"{{ regexMatch "(" "x" }}"#), "false");
    assert_eq!(
        ok(r#"{{ toDate "2006-01-02" "bad" }}"#),
        "0001-01-01 00:00:00 +0000 UTC"
    );
    assert_eq!(
        ok(r#"{{ dateModify "bad" (toDate "2006" "2020") | date "2006" }}"#),
        "2020"
    );
    assert_eq!(
        ok(r#"{{ int "12.0" }} {{ int "0x10" }} {{ int "x" }} {{ float64 "2.5" }}"#),
        "12 16 0 2.5"
    );
    assert_eq!(
        ok(r#"{{ b32dec "!!!!" }}"#),
        "illegal base32 data at input byte 0"
    );
    assert_eq!(ok(r#"{{ genPrivateKey "rsa2" }}"#), "Unknown type rsa2");
}

#[test]
fn dates_in_zones() {
    assert_eq!(
        ok(
            r#"{{ dateInZone "2006-01-02 15:04 MST -07:00" (toDate "2006-01-02 15:04" "2021-01-15 12:00") "America/New_York" }}"#
        ),
        "2021-01-15 07:00 EST -05:00"
    );
    assert_eq!(
        ok(r#"{{ dateInZone "Mon Jan _2 3PM" 0 "UTC" }}"#),
        "Thu Jan  1 12AM"
    );
    assert_eq!(
        ok(r#"{{ htmlDateInZone 86400 "Asia/Tokyo" }}"#),
        "1970-01-02"
    );
    // The parsed offset is kept by the time itself; `date` shows it in Local (UTC here).
    assert_eq!(
        ok(
            r#"{{ (toDate "2006-01-02T15:04:05.000Z07:00" "2020-02-29T23:59:58.123+01:00").Format "2006-01-02 15:04:05.999999999 -0700" }}"#
        ),
        "2020-02-29 23:59:58.123 +0100"
    );
    assert_eq!(
        ok(r#"{{ duration "3661" }} {{ durationRound "-90m" }} {{ durationRound "8761h" }}"#),
        "1h1m1s 1h 1y"
    );
    assert_eq!(
        ok(r#"{{ (toDate "2006-01-02" "2024-03-01").AddDate 0 -1 0 | date "Jan 2" }}"#),
        "Feb 1"
    );
}

#[test]
fn merge_follows_mergo() {
    assert_eq!(
        ok(
            r#"{{ $d := dict "a" "" "b" 0 "c" (list) "k" (dict "x" 1) }}{{ $_ := merge $d (dict "a" "A" "b" 2 "c" (list 1) "k" (dict "x" 2 "y" 3)) }}{{ toJson $d }}"#
        ),
        r#"{"a":"A","b":2,"c":[1],"k":{"x":1,"y":3}}"#
    );
    assert_eq!(
        ok(
            r#"{{ $d := dict "a" 1 "b" true "k" (dict "x" 1) }}{{ $_ := mergeOverwrite $d (dict "a" 0 "b" false "k" (dict "x" 2)) }}{{ toJson $d }}"#
        ),
        r#"{"a":0,"b":false,"k":{"x":2}}"#
    );
}

#[test]
fn certificates_are_real() {
    let out = ok(
        r#"{{ $ca := genCA "ca" 30 }}{{ $c := genSignedCert "svc" (list "10.0.0.1" "::1") (list "svc.local") 30 $ca }}{{ $c.Cert }}{{ $c.Key }}"#,
    );
    assert!(out.starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert!(out.contains("-----END CERTIFICATE-----\n-----BEGIN RSA PRIVATE KEY-----\n"));
    let with_key = ok(
        r#"{{ $k := genPrivateKey "ed25519" }}{{ $c := genSelfSignedCertWithKey "me" nil (list "me.local") 1 $k }}{{ eq $c.Key $k }}"#,
    );
    assert_eq!(with_key, "true");
    assert!(
        err(r#"{{ genCAWithKey "x" 1 "nope" }}"#)
            .ends_with("parsing private key: no PEM data in input")
    );
    assert!(
        err(r#"{{ genSelfSignedCert "x" (list "300.1.1.1") nil 1 }}"#)
            .ends_with("error parsing ip: 300.1.1.1")
    );
}

#[test]
fn randomness_has_the_right_shape() {
    let s = ok(r#"{{ randAlphaNum 40 }}"#);
    assert!(s.len() == 40 && s.chars().all(|c| c.is_ascii_alphanumeric()));
    let u = ok(r#"{{ uuidv4 }}"#);
    assert_eq!(u.len(), 36);
    assert_eq!(&u[14..15], "4");
    let h = ok(r#"{{ htpasswd "user" "pw" }}"#);
    assert!(h.starts_with("user:$2a$10$"));
    assert!(bcrypt::verify("pw", &h["user:".len()..]).unwrap_or(false));
    assert_eq!(ok(r#"{{ shuffle "aabbcc" | len }}"#), "6");
}

/// A named slice type with methods, as Helm's `chartutil.VersionSet`.
struct Versions(Vec<&'static str>);

impl kspm_gotmpl::Object for Versions {
    fn type_name(&self) -> String {
        "chartutil.VersionSet".into()
    }
    fn kind(&self) -> &'static str {
        "slice"
    }
    fn format_v(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn len(&self) -> Option<usize> {
        Some(self.0.len())
    }
    fn items(&self) -> Option<Vec<Value>> {
        Some(self.0.iter().map(|s| Value::string(*s)).collect())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[test]
fn named_slices_are_lists() {
    let mut t = Template::new("t");
    t.funcs(kspm_sprig::funcs());
    let tpl = r#"{{ has "apps/v1" .V }} {{ has "x/v9" .V }} {{ join "," .V }} {{ first .V }} {{ kindOf .V }} {{ empty .V }}"#;
    t.parse("t", tpl).unwrap_or_else(|e| panic!("{e}"));
    let mut data = std::collections::BTreeMap::new();
    data.insert(
        "V".to_string(),
        Value::Object(std::rc::Rc::new(Versions(vec!["v1", "apps/v1"]))),
    );
    let out = t
        .execute("t", Value::map(data))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out, "true false v1,apps/v1 v1 slice false");
}
