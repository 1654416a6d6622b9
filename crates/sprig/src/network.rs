//! `getHostByName` without the network: what an offline resolver answers (IP literals as
//! themselves, then /etc/hosts, in file order). A name it cannot resolve fails the way
//! Sprig does when the lookup finds nothing (it indexes an empty list). Helm replaces this
//! function with one returning "" unless `--enable-dns` is given; the Helm renderer does
//! that.

use kspm_gotmpl::{FuncMap, Param};

use crate::util::{reg, s, string};

/// The addresses `/etc/hosts`-style text gives `name`.
pub fn hosts_lookup(hosts: &str, name: &str) -> Vec<String> {
    let want = name.trim_end_matches('.').to_ascii_lowercase();
    let mut out = Vec::new();
    for line in hosts.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let Some(addr) = fields.next() else { continue };
        if addr.parse::<std::net::IpAddr>().is_err() {
            continue;
        }
        if fields.any(|h| h.trim_end_matches('.').eq_ignore_ascii_case(&want)) {
            out.push(addr.to_string());
        }
    }
    out
}

pub fn lookup_host(name: &str) -> Vec<String> {
    if name.parse::<std::net::IpAddr>().is_ok() {
        return vec![name.to_string()];
    }
    let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    hosts_lookup(&hosts, name)
}

pub fn register(m: &mut FuncMap) {
    reg(m, "getHostByName", vec![Param::String], |a| {
        let addrs = lookup_host(s(&a, 0));
        addrs
            .into_iter()
            .next()
            .map(string)
            .ok_or_else(|| "runtime error: index out of range [0] with length 0".to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline() {
        let hosts = "127.0.0.1 localhost\n::1 localhost ip6-localhost # loopback\n10.0.0.5 db.internal db\n";
        assert_eq!(hosts_lookup(hosts, "LOCALHOST."), vec!["127.0.0.1", "::1"]);
        assert_eq!(hosts_lookup(hosts, "db"), vec!["10.0.0.5"]);
        assert!(hosts_lookup(hosts, "example.com").is_empty());
        assert_eq!(lookup_host("192.0.2.1"), vec!["192.0.2.1"]);
    }
}
