//! `kspm lint --timings`: where a run spends its time, printed to stderr so that a slow
//! rule or phase is found at once. Phases are wall time in run order; rules are the CPU time
//! summed over worker threads (their checks plus positioning their findings), in code order.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::rule::RuleMeta;

/// Wall time of each phase of a run, in the order they ran.
#[derive(Debug)]
pub struct Phases {
    last: Instant,
    rows: Vec<(&'static str, Duration)>,
}

impl Phases {
    pub fn start() -> Self {
        Phases {
            last: Instant::now(),
            rows: Vec::new(),
        }
    }

    /// Close the phase that ran since the previous mark.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        self.rows.push((name, now - self.last));
        self.last = now;
    }

    pub fn render(&self) -> String {
        let total: Duration = self.rows.iter().map(|(_, d)| *d).sum();
        let mut s = String::from("kspm: timings: phases (wall)\n");
        for (name, d) in &self.rows {
            s.push_str(&format!("  {:>8.3} s  {name}\n", d.as_secs_f64()));
        }
        s.push_str(&format!("  {:>8.3} s  total\n", total.as_secs_f64()));
        s
    }
}

/// Per-worker accumulator: one slot per rule, merged into `RuleTimes` once per range so
/// that workers never contend while timing.
#[derive(Debug)]
pub struct Clock {
    on: bool,
    rules: Vec<(Duration, usize)>,
}

impl Clock {
    pub fn new(on: bool, rules: usize) -> Self {
        Clock {
            on,
            rules: if on {
                vec![(Duration::ZERO, 0); rules]
            } else {
                Vec::new()
            },
        }
    }

    /// Run `f` (rule `i`'s work, which returns how many findings it made) and charge its
    /// time to the rule.
    pub fn time(&mut self, i: usize, f: impl FnOnce() -> usize) {
        if !self.on {
            f();
            return;
        }
        let t = Instant::now();
        let n = f();
        if let Some(slot) = self.rules.get_mut(i) {
            slot.0 += t.elapsed();
            slot.1 += n;
        }
    }

    /// Time charged to rules so far (to tell loading from linting).
    pub fn charged(&self) -> Duration {
        self.rules.iter().map(|(d, _)| *d).sum()
    }
}

/// Totals over every worker.
#[derive(Debug, Default)]
pub struct RuleTimes {
    inner: Mutex<Totals>,
}

#[derive(Debug, Default)]
struct Totals {
    rules: Vec<(Duration, usize)>,
    load: Duration,
}

impl RuleTimes {
    /// Add a worker's clock, and `other` time it spent outside rules (loading the YAML).
    pub fn add(&self, clock: &Clock, other: Duration) {
        let Ok(mut t) = self.inner.lock() else {
            return;
        };
        if t.rules.len() < clock.rules.len() {
            t.rules.resize(clock.rules.len(), (Duration::ZERO, 0));
        }
        for (slot, (d, n)) in t.rules.iter_mut().zip(&clock.rules) {
            slot.0 += *d;
            slot.1 += *n;
        }
        t.load += other;
    }

    /// The table for `rules` (the engine's rules, in the order the clocks index them).
    pub fn render(&self, rules: &[&'static RuleMeta]) -> String {
        let Ok(t) = self.inner.lock() else {
            return String::new();
        };
        let total: Duration = t.rules.iter().map(|(d, _)| *d).sum();
        let pct = |d: Duration| 100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-9);
        let mut s = format!(
            "kspm: timings: loading YAML {:.3} s, rules {:.3} s (CPU, all threads)\n",
            t.load.as_secs_f64(),
            total.as_secs_f64()
        );
        s.push_str("  seconds      %  findings  rule\n");
        for (meta, (d, n)) in rules.iter().zip(&t.rules) {
            s.push_str(&format!(
                "  {:>7.3} {:>6.1} {:>9}  {} {}\n",
                d.as_secs_f64(),
                pct(*d),
                n,
                meta.code,
                meta.id
            ));
        }
        s
    }
}
