//! Go's reference-time layouts ("2006-01-02 15:04:05.000 -0700 MST"): the chunking of a
//! layout into literal text and standard elements, formatting and parsing.

use std::rc::Rc;

use super::civil::{date_to_days, days_in_month};
use super::location::Location;

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
pub const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    Pm,
    PmLower,
    Tz,
    /// `Z07…` (`z`: prints Z for UTC) with hours, minutes and seconds shown and colons.
    NumTz {
        z: bool,
        minutes: bool,
        seconds: bool,
        colon: bool,
    },
    /// Fractional seconds: separator, digits, trailing zeros trimmed (`.999`).
    Frac {
        sep: char,
        digits: usize,
        trim: bool,
    },
}

fn starts_lower(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
}

/// Go's `nextStdChunk`: literal prefix, element, rest.
pub fn next_chunk(layout: &str) -> (&str, Option<(Std, usize)>) {
    let b = layout.as_bytes();
    let has = |i: usize, s: &str| layout[i..].starts_with(s);
    for i in 0..b.len() {
        let found: Option<(Std, usize)> = match b[i] {
            b'J' if has(i, "Jan") => {
                if has(i, "January") {
                    Some((Std::LongMonth, 7))
                } else if !starts_lower(&layout[i + 3..]) {
                    Some((Std::Month, 3))
                } else {
                    None
                }
            }
            b'M' if has(i, "Mon") => {
                if has(i, "Monday") {
                    Some((Std::LongWeekDay, 6))
                } else if !starts_lower(&layout[i + 3..]) {
                    Some((Std::WeekDay, 3))
                } else {
                    None
                }
            }
            b'M' if has(i, "MST") => Some((Std::Tz, 3)),
            b'0' if i + 1 < b.len() && (b'1'..=b'6').contains(&b[i + 1]) => Some((
                [
                    Std::ZeroMonth,
                    Std::ZeroDay,
                    Std::ZeroHour12,
                    Std::ZeroMinute,
                    Std::ZeroSecond,
                    Std::Year,
                ][(b[i + 1] - b'1') as usize],
                2,
            )),
            b'0' if has(i, "002") => Some((Std::ZeroYearDay, 3)),
            b'1' => Some(if has(i, "15") {
                (Std::Hour, 2)
            } else {
                (Std::NumMonth, 1)
            }),
            b'2' => Some(if has(i, "2006") {
                (Std::LongYear, 4)
            } else {
                (Std::Day, 1)
            }),
            b'_' if has(i, "_2") => {
                if has(i, "_2006") {
                    return (&layout[..i + 1], Some((Std::LongYear, 4)));
                }
                Some((Std::UnderDay, 2))
            }
            b'_' if has(i, "__2") => Some((Std::UnderYearDay, 3)),
            b'3' => Some((Std::Hour12, 1)),
            b'4' => Some((Std::Minute, 1)),
            b'5' => Some((Std::Second, 1)),
            b'P' if has(i, "PM") => Some((Std::Pm, 2)),
            b'p' if has(i, "pm") => Some((Std::PmLower, 2)),
            c @ (b'-' | b'Z') => {
                let z = c == b'Z';
                let p = if z { "Z07" } else { "-07" };
                if has(i, &format!("{p}0000")) {
                    Some((
                        Std::NumTz {
                            z,
                            minutes: true,
                            seconds: true,
                            colon: false,
                        },
                        7,
                    ))
                } else if has(i, &format!("{p}:00:00")) {
                    Some((
                        Std::NumTz {
                            z,
                            minutes: true,
                            seconds: true,
                            colon: true,
                        },
                        9,
                    ))
                } else if has(i, &format!("{p}00")) {
                    Some((
                        Std::NumTz {
                            z,
                            minutes: true,
                            seconds: false,
                            colon: false,
                        },
                        5,
                    ))
                } else if has(i, &format!("{p}:00")) {
                    Some((
                        Std::NumTz {
                            z,
                            minutes: true,
                            seconds: false,
                            colon: true,
                        },
                        6,
                    ))
                } else if has(i, p) {
                    Some((
                        Std::NumTz {
                            z,
                            minutes: false,
                            seconds: false,
                            colon: false,
                        },
                        3,
                    ))
                } else {
                    None
                }
            }
            c @ (b'.' | b',') if i + 1 < b.len() && (b[i + 1] == b'0' || b[i + 1] == b'9') => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == ch {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    None
                } else {
                    Some((
                        Std::Frac {
                            sep: char::from(c),
                            digits: j - i - 1,
                            trim: ch == b'9',
                        },
                        j - i,
                    ))
                }
            }
            _ => None,
        };
        if let Some(f) = found {
            return (&layout[..i], Some(f));
        }
    }
    (layout, None)
}

/// The broken-down fields a layout formats.
pub struct Fields {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub yday: u32,
    pub wday: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub nsec: u32,
    pub offset: i32,
    pub abbrev: String,
}

fn pad(v: i64, width: usize) -> String {
    if v < 0 {
        format!("-{:0width$}", -v, width = width)
    } else {
        format!("{v:0width$}")
    }
}

/// `Time.Format`.
pub fn format(f: &Fields, layout: &str) -> String {
    let mut out = String::with_capacity(layout.len() + 10);
    let mut rest = layout;
    loop {
        let (prefix, std) = next_chunk(rest);
        out.push_str(prefix);
        let Some((std, len)) = std else { break };
        rest = &rest[prefix.len() + len..];
        match std {
            Std::Year => out.push_str(&pad((f.year % 100).abs(), 2)),
            Std::LongYear => out.push_str(&pad(f.year, 4)),
            Std::Month => out.push_str(&MONTHS[f.month as usize - 1][..3]),
            Std::LongMonth => out.push_str(MONTHS[f.month as usize - 1]),
            Std::NumMonth => out.push_str(&f.month.to_string()),
            Std::ZeroMonth => out.push_str(&pad(i64::from(f.month), 2)),
            Std::WeekDay => out.push_str(&DAYS[f.wday as usize][..3]),
            Std::LongWeekDay => out.push_str(DAYS[f.wday as usize]),
            Std::Day => out.push_str(&f.day.to_string()),
            Std::UnderDay => {
                if f.day < 10 {
                    out.push(' ');
                }
                out.push_str(&f.day.to_string());
            }
            Std::ZeroDay => out.push_str(&pad(i64::from(f.day), 2)),
            Std::UnderYearDay => out.push_str(&format!("{:>3}", f.yday)),
            Std::ZeroYearDay => out.push_str(&pad(i64::from(f.yday), 3)),
            Std::Hour => out.push_str(&pad(i64::from(f.hour), 2)),
            Std::Hour12 | Std::ZeroHour12 => {
                let h = if f.hour.is_multiple_of(12) {
                    12
                } else {
                    f.hour % 12
                };
                if std == Std::Hour12 {
                    out.push_str(&h.to_string());
                } else {
                    out.push_str(&pad(i64::from(h), 2));
                }
            }
            Std::Minute => out.push_str(&f.min.to_string()),
            Std::ZeroMinute => out.push_str(&pad(i64::from(f.min), 2)),
            Std::Second => out.push_str(&f.sec.to_string()),
            Std::ZeroSecond => out.push_str(&pad(i64::from(f.sec), 2)),
            Std::Pm => out.push_str(if f.hour >= 12 { "PM" } else { "AM" }),
            Std::PmLower => out.push_str(if f.hour >= 12 { "pm" } else { "am" }),
            Std::NumTz {
                z,
                minutes,
                seconds,
                colon,
            } => {
                if z && f.offset == 0 {
                    out.push('Z');
                    continue;
                }
                let abs = f.offset.unsigned_abs();
                out.push(if f.offset < 0 { '-' } else { '+' });
                out.push_str(&format!("{:02}", abs / 3600));
                if minutes {
                    if colon {
                        out.push(':');
                    }
                    out.push_str(&format!("{:02}", abs / 60 % 60));
                }
                if seconds {
                    if colon {
                        out.push(':');
                    }
                    out.push_str(&format!("{:02}", abs % 60));
                }
            }
            Std::Tz => {
                if f.abbrev.is_empty() {
                    let zone = f.offset / 60;
                    out.push(if zone < 0 { '-' } else { '+' });
                    let zone = zone.unsigned_abs();
                    out.push_str(&format!("{:02}{:02}", zone / 60, zone % 60));
                } else {
                    out.push_str(&f.abbrev);
                }
            }
            Std::Frac { sep, digits, trim } => {
                let nanos = format!("{:09}", f.nsec);
                let mut d = nanos[..digits.min(9)].to_string();
                if trim {
                    d = d.trim_end_matches('0').to_string();
                    if d.is_empty() {
                        continue;
                    }
                }
                out.push(sep);
                out.push_str(&d);
            }
        }
    }
    out
}

/// What `parse` produced: Unix seconds, nanoseconds and the location.
pub struct Parsed {
    pub secs: i64,
    pub nsec: u32,
    pub loc: Rc<Location>,
}

fn quote(s: &str) -> String {
    kspm_gotmpl::strconv::quote(s)
}

/// Leading digits of `s` as a number: exactly `fixed` width when given, else 1..=max.
fn getnum(s: &str, fixed: bool, max: usize) -> Option<(i64, &str)> {
    let b = s.as_bytes();
    let n = b
        .iter()
        .take(max)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n == 0 || (fixed && n < max) {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

fn lookup<'a>(s: &'a str, names: &[&str], short: bool) -> Option<(usize, &'a str)> {
    for (i, name) in names.iter().enumerate() {
        let name = if short { &name[..3] } else { name };
        if s.len() >= name.len() && s.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return Some((i, &s[name.len()..]));
        }
    }
    None
}

/// `time.ParseInLocation(layout, value, loc)`.
pub fn parse(layout: &str, value: &str, loc: &Rc<Location>) -> Result<Parsed, String> {
    let orig_value = value;
    let err = |elem: &str, v: &str, msg: &str| {
        if msg.is_empty() {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                quote(orig_value),
                quote(layout),
                quote(v),
                quote(elem)
            )
        } else {
            format!("parsing time {}{msg}", quote(orig_value))
        }
    };
    let (mut year, mut month, mut day, mut yday) = (1i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut pm_set = false;
    let mut pm = false;
    let mut z_offset: Option<i64> = None;
    let mut z_utc = false;
    let mut z_name: Option<String> = None;
    let mut rest_layout = layout;
    let mut value = value;
    loop {
        let (prefix, std) = next_chunk(rest_layout);
        let stdstr = match std {
            Some((_, len)) => &rest_layout[prefix.len()..prefix.len() + len],
            None => "",
        };
        // The literal text must match (Go skips runs of spaces in both).
        value = skip_prefix(value, prefix).ok_or_else(|| err(prefix, value, ""))?;
        let Some((std, len)) = std else {
            if !value.is_empty() {
                return Err(format!(
                    "parsing time {}: extra text: {}",
                    quote(orig_value),
                    quote(value)
                ));
            }
            break;
        };
        rest_layout = &rest_layout[prefix.len() + len..];
        let hold = value;
        let bad = || err(stdstr, hold, "");
        match std {
            Std::Year => {
                let (v, r) = getnum(value, true, 2).ok_or_else(bad)?;
                year = if v >= 69 { v + 1900 } else { v + 2000 };
                value = r;
            }
            Std::LongYear => {
                if value.len() < 4 || !value.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
                    return Err(bad());
                }
                year = value[..4].parse().map_err(|_| bad())?;
                value = &value[4..];
            }
            Std::Month | Std::LongMonth => {
                let (m, r) = lookup(value, &MONTHS, std == Std::Month).ok_or_else(bad)?;
                month = m as i64 + 1;
                value = r;
            }
            Std::NumMonth | Std::ZeroMonth => {
                let (v, r) = getnum(value, std == Std::ZeroMonth, 2).ok_or_else(bad)?;
                if !(1..=12).contains(&v) {
                    return Err(err("", "", ": month out of range"));
                }
                month = v;
                value = r;
            }
            Std::WeekDay | Std::LongWeekDay => {
                let (_, r) = lookup(value, &DAYS, std == Std::WeekDay).ok_or_else(bad)?;
                value = r;
            }
            Std::Day | Std::UnderDay | Std::ZeroDay => {
                if std == Std::UnderDay && value.starts_with(' ') {
                    value = &value[1..];
                }
                let (v, r) = getnum(value, std == Std::ZeroDay, 2).ok_or_else(bad)?;
                day = v;
                value = r;
            }
            Std::UnderYearDay | Std::ZeroYearDay => {
                let mut v = value;
                if std == Std::UnderYearDay {
                    v = v.trim_start_matches(' ');
                }
                let (d, r) = getnum(v, std == Std::ZeroYearDay, 3).ok_or_else(bad)?;
                yday = d;
                value = r;
            }
            Std::Hour => {
                let (v, r) = getnum(value, false, 2).ok_or_else(bad)?;
                if !(0..24).contains(&v) {
                    return Err(err("", "", ": hour out of range"));
                }
                hour = v;
                value = r;
            }
            Std::Hour12 | Std::ZeroHour12 => {
                let (v, r) = getnum(value, std == Std::ZeroHour12, 2).ok_or_else(bad)?;
                if !(0..=12).contains(&v) {
                    return Err(err("", "", ": hour out of range"));
                }
                hour = v;
                value = r;
            }
            Std::Minute | Std::ZeroMinute => {
                let (v, r) = getnum(value, std == Std::ZeroMinute, 2).ok_or_else(bad)?;
                if !(0..60).contains(&v) {
                    return Err(err("", "", ": minute out of range"));
                }
                min = v;
                value = r;
            }
            Std::Second | Std::ZeroSecond => {
                let (v, r) = getnum(value, std == Std::ZeroSecond, 2).ok_or_else(bad)?;
                if !(0..60).contains(&v) {
                    return Err(err("", "", ": second out of range"));
                }
                sec = v;
                value = r;
                // A fractional second the layout does not mention is still read.
                let next_is_frac =
                    matches!(next_chunk(rest_layout), ("", Some((Std::Frac { .. }, _))));
                if !next_is_frac
                    && value.len() >= 2
                    && (value.starts_with('.') || value.starts_with(','))
                    && value.as_bytes()[1].is_ascii_digit()
                {
                    let n = 1 + value[1..].bytes().take_while(u8::is_ascii_digit).count();
                    nsec = frac_nanos(&value[1..n]);
                    value = &value[n..];
                }
            }
            Std::Pm | Std::PmLower => {
                let want_upper = std == Std::Pm;
                match value.get(..2) {
                    Some("PM") if want_upper => pm = true,
                    Some("AM") if want_upper => pm = false,
                    Some("pm") if !want_upper => pm = true,
                    Some("am") if !want_upper => pm = false,
                    _ => return Err(bad()),
                }
                pm_set = true;
                value = &value[2..];
            }
            Std::NumTz {
                z,
                minutes,
                seconds,
                colon,
            } => {
                if z && value.starts_with('Z') {
                    value = &value[1..];
                    z_utc = true;
                    continue;
                }
                let (sign, r) = match value.as_bytes().first() {
                    Some(b'+') => (1, &value[1..]),
                    Some(b'-') => (-1, &value[1..]),
                    _ => return Err(bad()),
                };
                let (hh, mut r) = getnum(r, true, 2).ok_or_else(bad)?;
                let (mut mm, mut ss) = (0, 0);
                if minutes {
                    if colon {
                        r = r.strip_prefix(':').ok_or_else(bad)?;
                    }
                    (mm, r) = getnum(r, true, 2).ok_or_else(bad)?;
                }
                if seconds {
                    if colon {
                        r = r.strip_prefix(':').ok_or_else(bad)?;
                    }
                    (ss, r) = getnum(r, true, 2).ok_or_else(bad)?;
                }
                if hh > 24 || mm >= 60 || ss >= 60 {
                    return Err(err("", "", ": time zone offset out of range"));
                }
                z_offset = Some(sign * (hh * 3600 + mm * 60 + ss));
                value = r;
            }
            Std::Tz => {
                if value.starts_with("UTC") {
                    z_utc = true;
                    value = &value[3..];
                    continue;
                }
                let n = zone_name_len(value).ok_or_else(bad)?;
                z_name = Some(value[..n].to_string());
                value = &value[n..];
            }
            Std::Frac { digits, trim, .. } => {
                let ndigit = 1 + digits;
                if !trim {
                    if value.len() < ndigit || !(value.starts_with('.') || value.starts_with(',')) {
                        return Err(bad());
                    }
                    if !value.as_bytes()[1..ndigit].iter().all(u8::is_ascii_digit) {
                        return Err(bad());
                    }
                    nsec = frac_nanos(&value[1..ndigit]);
                    value = &value[ndigit..];
                } else if value.len() >= 2
                    && (value.starts_with('.') || value.starts_with(','))
                    && value.as_bytes()[1].is_ascii_digit()
                {
                    let n = 1 + value[1..].bytes().take_while(u8::is_ascii_digit).count();
                    nsec = frac_nanos(&value[1..n]);
                    value = &value[n..];
                }
            }
        }
    }
    if pm_set {
        if pm && hour < 12 {
            hour += 12;
        } else if !pm && hour == 12 {
            hour = 0;
        }
    }
    if yday >= 0 {
        let leap = days_in_month(year, 2) == 29;
        if yday < 1 || yday > if leap { 366 } else { 365 } {
            return Err(err("", "", ": day-of-year out of range"));
        }
        let (mut m, mut d) = (1u32, yday);
        while d > i64::from(days_in_month(year, m)) {
            d -= i64::from(days_in_month(year, m));
            m += 1;
        }
        if month >= 0 && month != i64::from(m) || day >= 0 && day != d {
            return Err(err("", "", ": day-of-year does not match month"));
        }
        month = i64::from(m);
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > i64::from(days_in_month(year, month as u32)) {
        return Err(err("", "", ": day out of range"));
    }
    let days = date_to_days(year, month as u32, day as u32);
    let wall = days * 86400 + hour * 3600 + min * 60 + sec;
    let nsec = nsec as u32;
    if z_utc {
        return Ok(Parsed {
            secs: wall,
            nsec,
            loc: Location::utc(),
        });
    }
    if let Some(off) = z_offset {
        let secs = wall - off;
        let (local_off, local_name) = loc.lookup(secs);
        if i64::from(local_off) == off && z_name.as_ref().is_none_or(|n| *n == local_name) {
            return Ok(Parsed {
                secs,
                nsec,
                loc: loc.clone(),
            });
        }
        let name = z_name.unwrap_or_default();
        return Ok(Parsed {
            secs,
            nsec,
            loc: Location::fixed(&name, off as i32),
        });
    }
    if let Some(name) = z_name {
        // An abbreviation the location uses keeps the location.
        if let Some(off) = loc.lookup_name(&name, wall) {
            return Ok(Parsed {
                secs: wall - i64::from(off),
                nsec,
                loc: loc.clone(),
            });
        }
        // Otherwise Go records the name with an offset it cannot know (only GMT+N has
        // one), leaving the wall clock read as UTC.
        let off = name
            .strip_prefix("GMT")
            .and_then(|o| o.parse::<i32>().ok())
            .map_or(0, |h| h * 3600);
        return Ok(Parsed {
            secs: wall,
            nsec,
            loc: Location::fixed(&name, off),
        });
    }
    // Wall time in `loc`: find the offset in force then.
    let (off1, _) = loc.lookup(wall);
    let mut secs = wall - i64::from(off1);
    let (off2, _) = loc.lookup(secs);
    if off2 != off1 {
        secs = wall - i64::from(off2);
    }
    Ok(Parsed {
        secs,
        nsec,
        loc: loc.clone(),
    })
}

/// Go's `parseTimeZone`: how much of `value` a zone abbreviation takes (`MST`, `CEST`,
/// `ChST`, `GMT+3`, `+07`).
fn zone_name_len(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    if b.len() < 3 {
        return None;
    }
    if value.starts_with("ChST") || value.starts_with("MeST") {
        return Some(4);
    }
    if let Some(rest) = value.strip_prefix("GMT") {
        return Some(3 + signed_offset_len(rest));
    }
    if b[0] == b'+' || b[0] == b'-' {
        return Some(signed_offset_len(value)).filter(|n| *n > 0);
    }
    let upper = b
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        5 if b[4] == b'T' => Some(5),
        4 if b[3] == b'T' || value.starts_with("WITA") => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// Go's `parseSignedOffset`: `+N`/`-N` with N at most 23, else 0.
fn signed_offset_len(value: &str) -> usize {
    let b = value.as_bytes();
    if b.first().is_none_or(|c| *c != b'+' && *c != b'-') {
        return 0;
    }
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || value[1..1 + digits].parse::<u64>().map_or(true, |x| x > 23) {
        return 0;
    }
    1 + digits
}

fn frac_nanos(digits: &str) -> i64 {
    let mut d: String = digits.chars().take(9).collect();
    while d.len() < 9 {
        d.push('0');
    }
    d.parse().unwrap_or(0)
}

/// Go's literal matching: the prefix must match, except that a run of spaces in the
/// layout matches any run of spaces in the value.
fn skip_prefix<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let mut v = value;
    let mut p = prefix;
    while !p.is_empty() {
        if p.starts_with(' ') {
            if !v.is_empty() && !v.starts_with(' ') {
                return None;
            }
            p = p.trim_start_matches(' ');
            v = v.trim_start_matches(' ');
            continue;
        }
        let c = p.chars().next()?;
        if !v.starts_with(c) {
            return None;
        }
        p = &p[c.len_utf8()..];
        v = &v[c.len_utf8()..];
    }
    Some(v)
}
