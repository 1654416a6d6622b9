//! Go's `time.Location`: UTC, Local (TZ or /etc/localtime) and zones loaded from the
//! system's zoneinfo files, as `time.LoadLocation` finds them (Go programs such as Helm
//! read the system database; they embed none).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use tz::TimeZone;

/// A named zone.
pub struct Location {
    pub name: String,
    zone: Zone,
}

enum Zone {
    Utc,
    Fixed(i32, String),
    Tz(TimeZone),
}

thread_local! {
    static UTC: Rc<Location> = Rc::new(Location { name: "UTC".into(), zone: Zone::Utc });
    static LOCAL: Rc<Location> = Rc::new(load_local());
    /// Zones read so far (each is a file read and parse).
    static LOADED: RefCell<HashMap<String, Rc<Location>>> = RefCell::new(HashMap::new());
}

const ZONEINFO_DIRS: [&str; 4] = [
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo/",
];

fn read_zone(name: &str) -> Option<TimeZone> {
    let mut dirs: Vec<String> = Vec::new();
    if let Ok(z) = std::env::var("ZONEINFO") {
        dirs.push(format!("{}/", z.trim_end_matches('/')));
    }
    dirs.extend(ZONEINFO_DIRS.iter().map(|d| d.to_string()));
    dirs.iter().find_map(|d| {
        let bytes = std::fs::read(format!("{d}{name}")).ok()?;
        TimeZone::from_tz_data(&bytes).ok()
    })
}

/// Go's initLocal: `TZ` unset → /etc/localtime; `TZ=""` → UTC; else the named zone.
fn load_local() -> Location {
    let zone = match std::env::var("TZ") {
        Ok(tz) if tz.is_empty() => None,
        Ok(tz) => {
            let name = tz.strip_prefix(':').unwrap_or(&tz);
            if name.starts_with('/') {
                std::fs::read(name)
                    .ok()
                    .and_then(|b| TimeZone::from_tz_data(&b).ok())
            } else {
                read_zone(name)
            }
        }
        Err(_) => std::fs::read("/etc/localtime")
            .ok()
            .and_then(|b| TimeZone::from_tz_data(&b).ok()),
    };
    Location {
        name: "Local".into(),
        zone: zone.map_or(Zone::Utc, Zone::Tz),
    }
}

impl Location {
    pub fn utc() -> Rc<Location> {
        UTC.with(Rc::clone)
    }

    pub fn local() -> Rc<Location> {
        LOCAL.with(Rc::clone)
    }

    /// `time.FixedZone(name, offset)`.
    pub fn fixed(name: &str, offset: i32) -> Rc<Location> {
        Rc::new(Location {
            name: name.to_string(),
            zone: Zone::Fixed(offset, name.to_string()),
        })
    }

    /// `time.LoadLocation`.
    pub fn load(name: &str) -> Result<Rc<Location>, String> {
        match name {
            "" | "UTC" => return Ok(Location::utc()),
            "Local" => return Ok(Location::local()),
            _ => {}
        }
        if name.split('/').any(|p| p == "..") || name.starts_with('/') || name.starts_with('\\') {
            return Err("time: invalid location name".into());
        }
        if let Some(loc) = LOADED.with(|l| l.borrow().get(name).cloned()) {
            return Ok(loc);
        }
        let loc = read_zone(name)
            .map(|tz| {
                Rc::new(Location {
                    name: name.to_string(),
                    zone: Zone::Tz(tz),
                })
            })
            .ok_or_else(|| format!("unknown time zone {name}"))?;
        LOADED.with(|l| l.borrow_mut().insert(name.to_string(), loc.clone()));
        Ok(loc)
    }

    /// The offset east of UTC in seconds and the zone abbreviation at a Unix time.
    pub fn lookup(&self, secs: i64) -> (i32, String) {
        match &self.zone {
            Zone::Utc => (0, "UTC".into()),
            Zone::Fixed(off, name) => (*off, name.clone()),
            Zone::Tz(tz) => tz
                .find_local_time_type(secs)
                .map_or((0, "UTC".into()), |t| {
                    (t.ut_offset(), t.time_zone_designation().to_string())
                }),
        }
    }

    /// Go's `lookupName`: the offset of a zone abbreviation this location uses,
    /// preferring one in effect at the Unix time `unix` (read as if in that zone).
    pub fn lookup_name(&self, name: &str, unix: i64) -> Option<i32> {
        match &self.zone {
            Zone::Utc => (name == "UTC").then_some(0),
            Zone::Fixed(off, n) => (n == name).then_some(*off),
            Zone::Tz(tz) => {
                let types = tz.as_ref().local_time_types();
                let named = || types.iter().filter(|t| t.time_zone_designation() == name);
                named()
                    .map(|t| t.ut_offset())
                    .find(|off| self.lookup(unix - i64::from(*off)).0 == *off)
                    .or_else(|| named().map(|t| t.ut_offset()).next())
            }
        }
    }

    pub fn is_utc(&self) -> bool {
        matches!(self.zone, Zone::Utc)
    }
}
