use kspm_gotmpl::Value;

use super::*;
use crate::json;

/// Compact JSON of the result plus each leaf's Go type, enough to see Helm's typing.
fn show(v: &Value) -> String {
    match v {
        Value::Map(m) => {
            let m = m.borrow();
            let parts: Vec<String> = m
                .entries
                .iter()
                .map(|(k, v)| format!("{k}:{}", show(v)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::List(l) => {
            let parts: Vec<String> = l.items.iter().map(show).collect();
            format!("[{}]", parts.join(","))
        }
        Value::Nil => "nil".into(),
        Value::String(s) => format!("{s:?}"),
        Value::Int(i, k) => format!("{}({i})", k.name()),
        Value::Float(f, _) => format!("float64({f})"),
        Value::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

fn set(s: &str) -> Result<String, String> {
    parse(s, Kind::Typed).map(|v| show(&v))
}

#[test]
fn typed_values() {
    let cases = [
        ("name1=null,f=false,t=true", "{f:false,name1:nil,t:true}"),
        (
            "name1=value1,name2=value2,",
            r#"{name1:"value1",name2:"value2"}"#,
        ),
        ("name1=,name2=value2", r#"{name1:"",name2:"value2"}"#),
        ("leading_zeros=00009", r#"{leading_zeros:"00009"}"#),
        ("zero_int=0", "{zero_int:int64(0)}"),
        ("long_int=1234567890", "{long_int:int64(1234567890)}"),
        (
            "neg=-5,plus=+7,float=1.5,TRUE=TRUE,Null=NULL",
            r#"{Null:nil,TRUE:true,float:"1.5",neg:int64(-5),plus:int64(7)}"#,
        ),
        (
            "big=99999999999999999999",
            r#"{big:"99999999999999999999"}"#,
        ),
        (
            "name1=one\\,two,name2=three\\=four",
            r#"{name1:"one,two",name2:"three=four"}"#,
        ),
        ("name1=one two three", r#"{name1:"one two three"}"#),
        ("a\\.b=c", r#"{a.b:"c"}"#),
        (
            "outer.inner1=value,outer.middle.inner=value",
            r#"{outer:{inner1:"value",middle:{inner:"value"}}}"#,
        ),
        ("name1.name2=", r#"{name1:{name2:""}}"#),
        (
            "name1={value1,value2},name2=x",
            r#"{name1:["value1","value2"],name2:"x"}"#,
        ),
        ("name1={1021,902}", "{name1:[int64(1021),int64(902)]}"),
        ("empty={}", r#"{empty:[""]}"#),
        ("list[0]=foo,list[3]=bar", r#"{list:["foo",nil,nil,"bar"]}"#),
        (
            "list[0].foo=bar,list[0].hello=world",
            r#"{list:[{foo:"bar",hello:"world"}]}"#,
        ),
        ("noval[0]", "{noval:[]}"),
        ("noval[0]=", r#"{noval:[""]}"#),
        ("nested[0][0]=1", "{nested:[[int64(1)]]}"),
        ("nested[1][1]=1", "{nested:[nil,[nil,int64(1)]]}"),
        (
            "name1.name2[1].foo=bar,name1.name2[0].foo=bar",
            r#"{name1:{name2:[{foo:"bar"},{foo:"bar"}]}}"#,
        ),
        ("a=", r#"{a:""}"#),
    ];
    for (input, want) in cases {
        assert_eq!(set(input).as_deref(), Ok(want), "--set {input}");
    }
}

#[test]
fn errors_like_helm() {
    let cases = [
        (
            "name1=value1,,,,name2=value2,",
            r#"key "" has no value (cannot end with ,)"#,
        ),
        (
            "name1,name2=",
            r#"key "name1" has no value (cannot end with ,)"#,
        ),
        (
            "name1,name2",
            r#"key "name1" has no value (cannot end with ,)"#,
        ),
        ("name1.name2", r#"key "name2" has no value"#),
        ("name1.=name2", r#"key map "name1" has no value"#),
        ("name1={1021,902", "list must terminate with '}'"),
        (
            "list[0]=foo,list[-20]=bar",
            "negative -20 index not allowed",
        ),
        (
            "illegal[0]name.foo=bar",
            "unexpected data at end of array index: ['n' 'a' 'm' 'e']",
        ),
        (
            "a[x]=1",
            r#"error parsing index: strconv.Atoi: parsing "x": invalid syntax"#,
        ),
        ("a[1", "error parsing index: EOF"),
        (
            "a[65537]=1",
            "index of 65537 is greater than maximum supported index of 65536",
        ),
        (
            "a=1,a[0]=2",
            "unable to parse key: interface conversion: interface {} is int64, not []interface {}",
        ),
        (
            "]={}].",
            "unable to parse key: interface conversion: interface {} is []interface {}, not map[string]interface {}",
        ),
        (
            "a=x,a.b=2",
            "unable to parse key: interface conversion: interface {} is string, not map[string]interface {}",
        ),
    ];
    for (input, want) in cases {
        assert_eq!(set(input), Err(want.to_string()), "--set {input}");
    }
    let deep = format!("{}=1", vec!["a"; 32].join("."));
    assert_eq!(
        set(&deep),
        Err("value name nested level is greater than maximum supported nested level of 30".into())
    );
}

#[test]
fn set_string_keeps_text() {
    let v = parse(
        "long_int_string=1234567890,boolean=true,is_null=null,zero=0",
        Kind::String,
    )
    .unwrap();
    assert_eq!(
        show(&v),
        r#"{boolean:"true",is_null:"null",long_int_string:"1234567890",zero:"0"}"#
    );
}

#[test]
fn set_json_values() {
    let v = parse(
        r#"outer.inner1="1",outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner4=[{"a":1}],n=null,e=,list[0]={"x":true}"#,
        Kind::Json,
    )
    .unwrap();
    assert_eq!(
        show(&v),
        r#"{e:nil,list:[{x:true}],n:nil,outer:{inner1:"1",inner3:{aa:"1",bb:float64(2),cc:[float64(1),float64(2),float64(3)]},inner4:[{a:float64(1)}]}}"#
    );
    assert_eq!(
        parse(r#"a={"b":"#, Kind::Json).map(|v| show(&v)),
        Err("unexpected EOF".into())
    );
    assert_eq!(
        parse("a=nope", Kind::Json).map(|v| show(&v)),
        Err("invalid character 'o' in literal null (expecting 'u')".into())
    );
}

#[test]
fn set_literal_takes_the_rest() {
    let v = parse("a.b[1]=x,y=z\\n", Kind::Literal).unwrap();
    assert_eq!(show(&v), r#"{a:{b:[nil,"x,y=z\\n"]}}"#);
    assert_eq!(
        parse("name1", Kind::Literal).map(|v| show(&v)),
        Err(r#"key "name1" has no value"#.into())
    );
}

#[test]
fn set_file_reads_through_callback() {
    let mut reader = |path: &str| -> Result<Value, String> {
        if path == "missing" {
            Err("open missing: no such file or directory".into())
        } else {
            Ok(Value::string(format!("content of {path}")))
        }
    };
    let v = parse("a=f1,b={f2,f3}", Kind::File(&mut reader)).unwrap();
    assert_eq!(
        show(&v),
        r#"{a:"content of f1",b:["content of f2","content of f3"]}"#
    );
    assert_eq!(
        parse("a=missing", Kind::File(&mut reader)).map(|v| show(&v)),
        Err("open missing: no such file or directory".into())
    );
}

#[test]
fn parse_into_existing_values() {
    let base = json::unmarshal(r#"{"a":{"x":1},"l":[1,2]}"#).unwrap();
    parse_into("a.y=2,l[1]=b", &base, Kind::Typed).unwrap();
    assert_eq!(
        show(&base),
        r#"{a:{x:float64(1),y:int64(2)},l:[float64(1),"b"]}"#
    );
}

#[test]
fn set_json_into_existing_values_like_helm() {
    let base = json::unmarshal(r#"{"outer":{"inner1":"overwrite","inner2":"value2"}}"#).unwrap();
    parse_into(
        r#"outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null"#,
        &base,
        Kind::Json,
    )
    .unwrap();
    assert_eq!(
        show(&base),
        r#"{outer:{inner1:nil,inner2:"value2",inner3:{aa:"1",bb:float64(2),cc:[float64(1),nil,float64(3)]}}}"#
    );
    let base = json::unmarshal(r#"{"outer":{"inner1":"overwrite","inner2":"value2"}}"#).unwrap();
    parse_into(
        r#"outer.inner1="1",outer.inner3=3,outer.inner4=true,outer.inner5="true""#,
        &base,
        Kind::Json,
    )
    .unwrap();
    assert_eq!(
        show(&base),
        r#"{outer:{inner1:"1",inner2:"value2",inner3:float64(3),inner4:true,inner5:"true"}}"#
    );
    let bad = r#"outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5={"A":"1"}]"#;
    assert_eq!(
        parse(bad, Kind::Json).map(|v| show(&v)),
        Err(r#"key "]" has no value"#.into())
    );
}
