//! Go's `time.Time` as a template object, and Sprig's date functions.

mod civil;
mod duration;
mod layout;
mod location;

use std::any::Any;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use kspm_gotmpl::{FuncMap, Object, Param, Signature, Value};

pub use duration::{format as format_duration, parse as parse_duration};
pub use location::Location;

use crate::util::{Ret, arg, n, reg, s, string};

/// `time.Time`: an instant, the location it is shown in, and (for `now`) the monotonic
/// clock reading Go prints as `m=+0.000012345`.
#[derive(Clone)]
pub struct Time {
    pub secs: i64,
    pub nsec: u32,
    pub loc: Rc<Location>,
    pub mono: Option<i64>,
}

/// Seconds from 0001-01-01 to 1970-01-01 (Go's zero Time is January 1, year 1, UTC).
const ZERO_UNIX: i64 = -62_135_596_800;

fn process_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

impl Time {
    /// `time.Now()`, in Local.
    pub fn now() -> Time {
        let start = process_start();
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Time {
            secs: d.as_secs() as i64,
            nsec: d.subsec_nanos(),
            loc: Location::local(),
            mono: Some(start.elapsed().as_nanos() as i64),
        }
    }

    /// `time.Unix(secs, 0)`, in Local.
    pub fn unix(secs: i64) -> Time {
        Time {
            secs,
            nsec: 0,
            loc: Location::local(),
            mono: None,
        }
    }

    /// The zero `time.Time`.
    pub fn zero() -> Time {
        Time {
            secs: ZERO_UNIX,
            nsec: 0,
            loc: Location::utc(),
            mono: None,
        }
    }

    pub fn in_loc(&self, loc: Rc<Location>) -> Time {
        Time {
            loc,
            mono: self.mono,
            ..self.clone()
        }
    }

    /// `Add(d)` for a duration in nanoseconds.
    pub fn add(&self, d: i64) -> Time {
        let total = i128::from(self.nsec) + i128::from(d);
        let secs = self.secs + total.div_euclid(1_000_000_000) as i64;
        let nsec = total.rem_euclid(1_000_000_000) as u32;
        Time {
            secs,
            nsec,
            loc: self.loc.clone(),
            mono: self.mono.map(|m| m + d),
        }
    }

    /// Nanoseconds from `other` to `self` (`Sub`), saturating as Go does.
    pub fn sub(&self, other: &Time) -> i64 {
        let d = (i128::from(self.secs) - i128::from(other.secs)) * 1_000_000_000
            + i128::from(self.nsec)
            - i128::from(other.nsec);
        d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    fn fields(&self) -> layout::Fields {
        let (offset, abbrev) = self.loc.lookup(self.secs);
        let local = self.secs + i64::from(offset);
        let days = local.div_euclid(86400);
        let sod = local.rem_euclid(86400) as u32;
        let (year, month, day) = civil::days_to_date(days);
        let yday = (days - civil::date_to_days(year, 1, 1) + 1) as u32;
        layout::Fields {
            year,
            month,
            day,
            yday,
            wday: (days + 4).rem_euclid(7) as u32,
            hour: sod / 3600,
            min: sod / 60 % 60,
            sec: sod % 60,
            nsec: self.nsec,
            offset,
            abbrev,
        }
    }

    /// `Format(layout)`.
    pub fn format(&self, layout: &str) -> String {
        layout::format(&self.fields(), layout)
    }

    /// `String()`.
    pub fn string(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let u = m.unsigned_abs();
            s.push_str(&format!(
                " m={sign}{}.{:09}",
                u / 1_000_000_000,
                u % 1_000_000_000
            ));
        }
        s
    }

    /// `time.ParseInLocation`.
    pub fn parse(layout: &str, value: &str, loc: &Rc<Location>) -> Result<Time, String> {
        let p = layout::parse(layout, value, loc)?;
        Ok(Time {
            secs: p.secs,
            nsec: p.nsec,
            loc: p.loc,
            mono: None,
        })
    }

    pub fn value(self) -> Value {
        Value::Object(Rc::new(self))
    }
}

/// Named integer types with a `String` method (`time.Month`, `time.Weekday`).
struct Named {
    type_name: &'static str,
    number: i64,
    text: String,
}

impl Object for Named {
    fn type_name(&self) -> String {
        self.type_name.into()
    }
    fn kind(&self) -> &'static str {
        "int"
    }
    fn format_v(&self) -> String {
        self.text.clone()
    }
    fn truth(&self) -> bool {
        self.number != 0
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "String").then(|| Signature::new(vec![]))
    }
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        match name {
            "String" => Ok(string(self.text.clone())),
            _ => Err(format!("can't call method {name}")),
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

const TIME_ARG: Param = Param::Named("time.Time");

fn time_methods(name: &str) -> Option<Signature> {
    use Param::{Int, Int64, String as Str};
    let p = match name {
        "Format" => vec![Str],
        "Add" | "Round" | "Truncate" => vec![Int64],
        "AddDate" => vec![Int, Int, Int],
        "Before" | "After" | "Equal" | "Sub" => vec![TIME_ARG],
        "In" => vec![Param::Named("*time.Location")],
        "Unix" | "UnixNano" | "UnixMilli" | "UnixMicro" | "Year" | "Month" | "Day" | "Hour"
        | "Minute" | "Second" | "Nanosecond" | "YearDay" | "Weekday" | "UTC" | "Local"
        | "IsZero" | "String" => vec![],
        _ => return None,
    };
    Some(Signature::new(p))
}

impl Object for Time {
    fn type_name(&self) -> String {
        "time.Time".into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn format_v(&self) -> String {
        self.string()
    }
    fn method(&self, name: &str) -> Option<Signature> {
        time_methods(name)
    }
    fn call_method(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
        let f = self.fields();
        let nanos = i128::from(self.secs) * 1_000_000_000 + i128::from(self.nsec);
        Ok(match name {
            "Format" => string(self.format(s(&args, 0))),
            "String" => string(self.string()),
            "Unix" => Value::int64(self.secs),
            "UnixMilli" => Value::int64((nanos / 1_000_000) as i64),
            "UnixMicro" => Value::int64((nanos / 1_000) as i64),
            "UnixNano" => Value::int64(nanos as i64),
            "Year" => Value::int(f.year),
            "Month" => Value::Object(Rc::new(Named {
                type_name: "time.Month",
                number: i64::from(f.month),
                text: layout::MONTHS[f.month as usize - 1].into(),
            })),
            "Weekday" => Value::Object(Rc::new(Named {
                type_name: "time.Weekday",
                number: i64::from(f.wday),
                text: layout::DAYS[f.wday as usize].into(),
            })),
            "Day" => Value::int(i64::from(f.day)),
            "Hour" => Value::int(i64::from(f.hour)),
            "Minute" => Value::int(i64::from(f.min)),
            "Second" => Value::int(i64::from(f.sec)),
            "Nanosecond" => Value::int(i64::from(f.nsec)),
            "YearDay" => Value::int(i64::from(f.yday)),
            "UTC" => self.in_loc(Location::utc()).value(),
            "Local" => self.in_loc(Location::local()).value(),
            "IsZero" => Value::Bool(self.secs == ZERO_UNIX && self.nsec == 0),
            "Add" => self.add(n(&args, 0)).value(),
            "AddDate" => {
                let (y, m, d) = (
                    f.year + n(&args, 0),
                    i64::from(f.month) + n(&args, 1),
                    i64::from(f.day) + n(&args, 2),
                );
                let (y, m) = (y + (m - 1).div_euclid(12), (m - 1).rem_euclid(12) + 1);
                let days = civil::date_to_days(y, m as u32, 1) + d - 1;
                let wall = days * 86400
                    + i64::from(f.hour) * 3600
                    + i64::from(f.min) * 60
                    + i64::from(f.sec);
                let off = self.loc.lookup(wall).0;
                Time {
                    secs: wall - i64::from(off),
                    nsec: self.nsec,
                    loc: self.loc.clone(),
                    mono: None,
                }
                .value()
            }
            "Before" | "After" | "Equal" | "Sub" => {
                let Some(o) = as_time(&arg(&args, 0)) else {
                    return Err("wrong type for value; expected time.Time".into());
                };
                let d = self.sub(&o);
                match name {
                    "Before" => Value::Bool(d < 0),
                    "After" => Value::Bool(d > 0),
                    "Equal" => Value::Bool(d == 0),
                    _ => Value::Object(Rc::new(DurationValue(d))),
                }
            }
            "Round" | "Truncate" => {
                let d = n(&args, 0);
                if d <= 0 {
                    return Ok(Time {
                        mono: None,
                        ..self.clone()
                    }
                    .value());
                }
                let since_zero = nanos - i128::from(ZERO_UNIX) * 1_000_000_000;
                let r = since_zero.rem_euclid(i128::from(d));
                let mut adj = -r;
                if name == "Round" && r + r >= i128::from(d) {
                    adj = i128::from(d) - r;
                }
                Time {
                    mono: None,
                    ..self.clone()
                }
                .add(adj as i64)
                .value()
            }
            _ => return Err(format!("can't call method {name}")),
        })
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `time.Duration` (an int64 of nanoseconds printed as `1h2m3s`).
pub struct DurationValue(pub i64);

impl Object for DurationValue {
    fn type_name(&self) -> String {
        "time.Duration".into()
    }
    fn kind(&self) -> &'static str {
        "int64"
    }
    fn format_v(&self) -> String {
        format_duration(self.0)
    }
    fn truth(&self) -> bool {
        self.0 != 0
    }
    fn method(&self, name: &str) -> Option<Signature> {
        matches!(
            name,
            "String" | "Seconds" | "Minutes" | "Hours" | "Milliseconds" | "Nanoseconds"
        )
        .then(|| Signature::new(vec![]))
    }
    fn call_method(&self, name: &str, _args: Vec<Value>) -> Result<Value, String> {
        let d = self.0;
        Ok(match name {
            "String" => string(format_duration(d)),
            "Seconds" => Value::float64(d as f64 / 1e9),
            "Minutes" => Value::float64(d as f64 / 6e10),
            "Hours" => Value::float64(d as f64 / 3.6e12),
            "Milliseconds" => Value::int64(d / 1_000_000),
            "Nanoseconds" => Value::int64(d),
            _ => return Err(format!("can't call method {name}")),
        })
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `time.Time` (or `*time.Time`) argument.
pub fn as_time(v: &Value) -> Option<Time> {
    match v {
        Value::Object(o) => o.as_any().downcast_ref::<Time>().cloned(),
        _ => None,
    }
}

/// Sprig's date argument: a time, or Unix seconds as `int64`, `int` or (when `int32`, as
/// `date` but not `ago` accepts it) `int32`; anything else is now.
fn date_arg(v: &Value, int32: bool) -> Time {
    if let Some(t) = as_time(v) {
        return t;
    }
    match v {
        Value::Int(i, k)
            if matches!(k, kspm_gotmpl::IntKind::Int | kspm_gotmpl::IntKind::Int64)
                || (int32 && *k == kspm_gotmpl::IntKind::Int32) =>
        {
            Time::unix(*i)
        }
        _ => Time::now(),
    }
}

fn date_in_zone(layout: &str, date: &Value, zone: &str) -> String {
    let loc = Location::load(zone).unwrap_or_else(|_| Location::utc());
    date_arg(date, true).in_loc(loc).format(layout)
}

/// Go's `Duration.Round(m)`: half away from zero.
fn round_duration(d: i64, m: i64) -> i64 {
    let r = d % m;
    if d < 0 {
        let r = -r;
        if r + r < m {
            d + r
        } else {
            d.checked_sub(m - r).unwrap_or(i64::MIN)
        }
    } else if r + r < m {
        d - r
    } else {
        d.checked_add(m - r).unwrap_or(i64::MAX)
    }
}

pub fn register(m: &mut FuncMap) {
    use Param::{Any as A, String as Str};
    reg(m, "now", vec![], |_| Ok(Time::now().value()));
    reg(m, "date", vec![Str, A], |a| {
        Ok(string(date_in_zone(s(&a, 0), &arg(&a, 1), "Local")))
    });
    for name in ["dateInZone", "date_in_zone"] {
        reg(m, name, vec![Str, A, Str], |a| {
            Ok(string(date_in_zone(s(&a, 0), &arg(&a, 1), s(&a, 2))))
        });
    }
    reg(m, "htmlDate", vec![A], |a| {
        Ok(string(date_in_zone("2006-01-02", &arg(&a, 0), "Local")))
    });
    reg(m, "htmlDateInZone", vec![A, Str], |a| {
        Ok(string(date_in_zone("2006-01-02", &arg(&a, 0), s(&a, 1))))
    });
    fn modify(a: &[Value], must: bool) -> Ret {
        let Some(t) = as_time(&arg(a, 1)) else {
            return Err("wrong type for value; expected time.Time".into());
        };
        match parse_duration(s(a, 0)) {
            Ok(d) => Ok(t.add(d).value()),
            Err(e) if must => Err(e),
            Err(_) => Ok(t.value()),
        }
    }
    for name in ["dateModify", "date_modify"] {
        reg(m, name, vec![Str, TIME_ARG], |a| modify(&a, false));
    }
    for name in ["mustDateModify", "must_date_modify"] {
        reg(m, name, vec![Str, TIME_ARG], |a| modify(&a, true));
    }
    reg(m, "ago", vec![A], |a| {
        let t = date_arg(&arg(&a, 0), false);
        let since = Time::now().sub(&t);
        Ok(string(format_duration(round_duration(
            since,
            1_000_000_000,
        ))))
    });
    reg(m, "duration", vec![A], |a| {
        let secs = match arg(&a, 0) {
            Value::String(v) => crate::cast::parse_int(&v, 10).unwrap_or(0),
            Value::Int(v, kspm_gotmpl::IntKind::Int64) => v,
            _ => 0,
        };
        Ok(string(format_duration(secs.wrapping_mul(1_000_000_000))))
    });
    reg(m, "durationRound", vec![A], |a| {
        let v = arg(&a, 0);
        let d = match &v {
            Value::String(s) => parse_duration(s).unwrap_or(0),
            Value::Int(i, kspm_gotmpl::IntKind::Int64) => *i,
            other => as_time(other).map_or(0, |t| Time::now().sub(&t)),
        };
        Ok(string(duration_round(d)))
    });
    reg(m, "toDate", vec![Str, Str], |a| {
        Ok(Time::parse(s(&a, 0), s(&a, 1), &Location::local())
            .unwrap_or_else(|_| Time::zero())
            .value())
    });
    reg(m, "mustToDate", vec![Str, Str], |a| {
        Ok(Time::parse(s(&a, 0), s(&a, 1), &Location::local())?.value())
    });
    reg(m, "unixEpoch", vec![TIME_ARG], |a| {
        let t = as_time(&arg(&a, 0)).ok_or("wrong type for value; expected time.Time")?;
        Ok(string(t.secs.to_string()))
    });
    let _ = n;
}

/// Sprig's `durationRound`: the largest whole unit (`y`, `mo`, `d`, `h`, `m`, `s`).
fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const SEC: u64 = 1_000_000_000;
    let units: [(u64, &str); 6] = [
        (SEC * 3600 * 24 * 365, "y"),
        (SEC * 3600 * 24 * 30, "mo"),
        (SEC * 3600 * 24, "d"),
        (SEC * 3600, "h"),
        (SEC * 60, "m"),
        (SEC, "s"),
    ];
    for (size, name) in units {
        if u > size {
            return format!("{}{name}", u / size);
        }
    }
    "0s".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(secs: i64) -> Time {
        Time {
            secs,
            nsec: 0,
            loc: Location::utc(),
            mono: None,
        }
    }

    #[test]
    fn formats() {
        let t = utc(1_560_458_379);
        assert_eq!(t.format("02 Jan 06 15:04 -0700"), "13 Jun 19 20:39 +0000");
        assert_eq!(
            t.format("2006-01-02T15:04:05Z07:00"),
            "2019-06-13T20:39:39Z"
        );
        assert_eq!(
            t.format("Monday, January 2 2006 3:04PM MST"),
            "Thursday, June 13 2019 8:39PM UTC"
        );
        assert_eq!(t.string(), "2019-06-13 20:39:39 +0000 UTC");
        assert_eq!(Time::zero().string(), "0001-01-01 00:00:00 +0000 UTC");
    }

    #[test]
    fn parses() {
        let t = Time::parse("2006-01-02", "2017-12-31", &Location::utc()).unwrap();
        assert_eq!(t.format("02/01/2006"), "31/12/2017");
        let t = Time::parse(
            "02 Jan 06 15:04:05 MST",
            "13 Jun 19 20:39:39 GMT",
            &Location::utc(),
        )
        .unwrap();
        assert_eq!(t.secs, 1_560_458_379);
        let t = Time::parse(
            time_rfc3339(),
            "2019-06-13T20:39:39+02:00",
            &Location::utc(),
        )
        .unwrap();
        assert_eq!(t.format("15:04 -07:00"), "20:39 +02:00");
        // Go's zone abbreviations: a known one keeps the location, others get a fixed
        // zone (GMT+N with its offset, the wall clock still read as UTC).
        let paris = Location::load("Europe/Paris").unwrap();
        let t = Time::parse("2006-01-02 15:04 MST", "2020-06-01 12:00 CEST", &paris).unwrap();
        assert_eq!(t.in_loc(Location::utc()).format("15:04"), "10:00");
        let t = Time::parse("15:04 MST", "12:00 GMT+3", &Location::utc()).unwrap();
        assert_eq!(t.format("15:04 MST -0700"), "15:00 GMT+3 +0300");
        let t = Time::parse("15:04 MST", "12:00 +07", &Location::utc()).unwrap();
        assert_eq!(t.format("MST"), "+07");
        let t = Time::parse("15:04 MST", "12:00 UTCX", &Location::utc());
        assert!(t.is_err());
        let e = Time::parse("2006-01-02", "x", &Location::utc())
            .err()
            .unwrap_or_default();
        assert_eq!(
            e,
            r#"parsing time "x" as "2006-01-02": cannot parse "x" as "2006""#
        );
    }

    fn time_rfc3339() -> &'static str {
        "2006-01-02T15:04:05Z07:00"
    }

    #[test]
    fn rounds() {
        assert_eq!(duration_round(parse_duration("2400h5s").unwrap()), "3mo");
        assert_eq!(duration_round(parse_duration("2h5s").unwrap()), "2h");
        assert_eq!(duration_round(0), "0s");
    }
}
