//! A flood scenario: what kind of traffic, from how many clients, at what rates, for how long,
//! read from JSON with every number bounded; and the clients it generates (attackers and real
//! users, each with an address, a rate and a start). No evaluation here (see `sim`).

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::Value;

use super::rng::Rng;
use crate::waf::error::WafError;
use crate::waf::geo::GeoDb;
use crate::waf::reader::{as_array, as_str, check_enum, check_range, Obj};

/// The scenario kinds.
pub const KINDS: &[&str] =
    &["httpGetFlood", "asnFlood", "countryFlood", "lowAndSlow", "cacheBusting", "loginFlood", "botnetMix"];

/// Longest run, in seconds (one hour).
pub const MAX_DURATION_SEC: i64 = 3600;
/// Most attacking addresses.
pub const MAX_ATTACKERS: i64 = 100_000;
/// Most real users.
pub const MAX_USERS: i64 = 10_000;
/// Highest rate of one attacker, requests per second.
pub const MAX_ATTACKER_RATE: f64 = 1000.0;
/// Highest rate of one real user, requests per second.
pub const MAX_USER_RATE: f64 = 10.0;
/// Lowest rate of any client, requests per second (one request in about 17 minutes).
pub const MIN_RATE: f64 = 0.001;
/// Most requests one run may simulate (scenarios of a mix together).
pub const MAX_REQUESTS: u64 = 5_000_000;
/// Most extra headers per scenario.
pub const MAX_HEADERS: usize = 20;

/// How requests of a client are spaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Evenly, from a random phase: known answers are exact.
    Uniform,
    /// Exponential gaps (a Poisson process).
    Poisson,
}

/// One scenario, as read from JSON (defaults filled in).
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// One of `KINDS`.
    pub kind: String,
    /// Length of the run, seconds.
    pub duration_sec: u64,
    /// When the attackers start, seconds from the start.
    pub start_sec: u64,
    /// Attacking addresses.
    pub attackers: u64,
    /// Requests per second per attacker.
    pub attacker_rate: f64,
    /// Real users (each its own address).
    pub users: u64,
    /// Requests per second per user.
    pub user_rate: f64,
    /// The attackers' ASN (`asnFlood`).
    pub asn: Option<u64>,
    /// The attackers' country (`countryFlood`).
    pub country: Option<String>,
    /// The path attackers request.
    pub path: String,
    /// The path users request.
    pub user_path: String,
    /// Extra headers; `{client}`, `{ip}` and `{n}` in values become the client's id, address
    /// and the request's sequence number.
    pub headers: Vec<(String, String)>,
    /// Whether clients come through a proxy (`X-Forwarded-For` carries their address, the peer
    /// address is the proxy's).
    pub x_forwarded_for: bool,
    /// Spacing of requests.
    pub arrival: Arrival,
    /// The generator's seed.
    pub seed: u64,
}

const FIELDS: &[&str] = &[
    "kind",
    "durationSec",
    "startSec",
    "attackers",
    "attackerRate",
    "users",
    "userRate",
    "botShare",
    "asn",
    "country",
    "path",
    "userPath",
    "headers",
    "xForwardedFor",
    "arrival",
    "seed",
];

fn opt_f64(o: &Obj<'_>, name: &str, min: f64, max: f64) -> Result<Option<f64>, WafError> {
    let Some(v) = o.opt(name) else { return Ok(None) };
    let x = v
        .as_f64()
        .ok_or_else(|| WafError::WrongType { pointer: o.at(name), expected: "a number".to_owned() })?;
    if !(min..=max).contains(&x) {
        return Err(WafError::constraint(
            &o.at(name),
            x.to_string(),
            format!("Member must be between {min} and {max}"),
        ));
    }
    Ok(Some(x))
}

fn opt_int(o: &Obj<'_>, name: &str, min: i64, max: i64) -> Result<Option<u64>, WafError> {
    let Some(v) = o.opt_i64(name)? else { return Ok(None) };
    check_range(v, &o.at(name), min, max)?;
    Ok(u64::try_from(v).ok())
}

impl Scenario {
    /// Reads a scenario from JSON at `pointer`, checking every bound.
    pub fn from_json(v: &Value, pointer: &str) -> Result<Self, WafError> {
        let o = Obj::new(v, pointer, FIELDS)?;
        let kind = o.req_str("kind")?;
        check_enum(kind, &o.at("kind"), KINDS)?;
        let duration_sec = opt_int(&o, "durationSec", 1, MAX_DURATION_SEC)?.unwrap_or(600);
        let start_sec = opt_int(&o, "startSec", 0, MAX_DURATION_SEC)?.unwrap_or(0);
        if start_sec >= duration_sec {
            return Err(WafError::constraint(
                &o.at("startSec"),
                start_sec.to_string(),
                format!("Member must be less than durationSec ({duration_sec})"),
            ));
        }
        let (def_attackers, def_rate, def_users) = match kind {
            "lowAndSlow" => (20, 0.05, 0),
            "botnetMix" => (200, 2.0, 50),
            "asnFlood" | "countryFlood" => (100, 5.0, 0),
            "loginFlood" => (10, 5.0, 0),
            _ => (50, 10.0, 0),
        };
        let attackers = opt_int(&o, "attackers", 1, MAX_ATTACKERS)?.unwrap_or(def_attackers);
        let users = opt_int(&o, "users", 0, MAX_USERS)?.unwrap_or(def_users);
        let user_rate = opt_f64(&o, "userRate", MIN_RATE, MAX_USER_RATE)?.unwrap_or(0.1);
        let mut attacker_rate = opt_f64(&o, "attackerRate", MIN_RATE, MAX_ATTACKER_RATE)?.unwrap_or(def_rate);
        if let Some(share) = opt_f64(&o, "botShare", 0.01, 0.999)? {
            if o.has("attackerRate") {
                return Err(WafError::invalid(
                    &o.at("botShare"),
                    crate::waf::error::EXACTLY_ONE,
                    "BOT_SHARE",
                    "give botShare or attackerRate, not both",
                ));
            }
            if users == 0 {
                return Err(WafError::constraint(
                    &o.at("botShare"),
                    share.to_string(),
                    "a share of bot traffic needs real users (set `users` above 0)".to_owned(),
                ));
            }
            // bots / (bots + users) = share, per second of traffic.
            #[allow(clippy::cast_precision_loss)]
            let user_total = users as f64 * user_rate;
            #[allow(clippy::cast_precision_loss)]
            let per_bot = share / (1.0 - share) * user_total / attackers as f64;
            if !(MIN_RATE..=MAX_ATTACKER_RATE).contains(&per_bot) {
                return Err(WafError::constraint(
                    &o.at("botShare"),
                    share.to_string(),
                    format!("it needs {per_bot:.4} requests/s per attacker; change `attackers` so it is between {MIN_RATE} and {MAX_ATTACKER_RATE}"),
                ));
            }
            attacker_rate = per_bot;
        }
        let asn = opt_int(&o, "asn", 0, i64::from(u32::MAX))?;
        if kind == "asnFlood" && asn.is_none() {
            return Err(WafError::MissingField { pointer: pointer_or_root(pointer), name: "asn".to_owned() });
        }
        let country = match o.opt_str("country")? {
            Some(c) => {
                let up = c.to_ascii_uppercase();
                if crate::waf::geo::Country::parse(&up).is_none() {
                    return Err(WafError::constraint(
                        &o.at("country"),
                        c,
                        "Member must be a two-letter ISO 3166 country code".to_owned(),
                    ));
                }
                Some(up)
            }
            None if kind == "countryFlood" => {
                return Err(WafError::MissingField {
                    pointer: pointer_or_root(pointer),
                    name: "country".to_owned(),
                })
            }
            None => None,
        };
        let default_path = if kind == "loginFlood" { "/login" } else { "/" };
        let path = read_path(&o, "path")?.unwrap_or_else(|| default_path.to_owned());
        let user_path = read_path(&o, "userPath")?.unwrap_or_else(|| "/".to_owned());
        let mut headers = Vec::new();
        let items = o.opt_array("headers")?;
        if items.len() > MAX_HEADERS {
            return Err(WafError::constraint(
                &o.at("headers"),
                format!("{} items", items.len()),
                format!("Member must have length less than or equal to {MAX_HEADERS}"),
            ));
        }
        for (item, p) in items {
            let pair = as_array(item, &p)?;
            match pair.as_slice() {
                [(n, pn), (v, pv)] => {
                    let name = as_str(n, pn)?;
                    let value = as_str(v, pv)?;
                    if name.is_empty() || name.len() > 200 || value.len() > 2000 {
                        return Err(WafError::constraint(
                            &p,
                            name,
                            "a header name of 1 to 200 bytes and a value of at most 2,000".to_owned(),
                        ));
                    }
                    headers.push((name.to_owned(), value.to_owned()));
                }
                _ => return Err(WafError::request(&p, "a header is a `[name, value]` pair")),
            }
        }
        let arrival = match o.opt_enum("arrival", &["uniform", "poisson"])? {
            Some("poisson") => Arrival::Poisson,
            _ => Arrival::Uniform,
        };
        let seed = o.opt_i64("seed")?.map_or(1, |s| s.unsigned_abs());
        let scenario = Self {
            kind: kind.to_owned(),
            duration_sec,
            start_sec,
            attackers,
            attacker_rate,
            users,
            user_rate,
            asn,
            country,
            path,
            user_path,
            headers,
            x_forwarded_for: o.opt_bool("xForwardedFor")?.unwrap_or(false),
            arrival,
            seed,
        };
        Ok(scenario)
    }

    /// The number of requests the scenario is expected to make.
    pub fn expected_requests(&self) -> u64 {
        #[allow(clippy::cast_precision_loss)]
        let attack = self.attackers as f64 * self.attacker_rate * (self.duration_sec - self.start_sec) as f64;
        #[allow(clippy::cast_precision_loss)]
        let users = self.users as f64 * self.user_rate * self.duration_sec as f64;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let n = (attack + users).ceil().min(1e18) as u64;
        n
    }
}

fn pointer_or_root(p: &str) -> String {
    if p.is_empty() {
        "/".to_owned()
    } else {
        p.to_owned()
    }
}

fn read_path(o: &Obj<'_>, name: &str) -> Result<Option<String>, WafError> {
    let Some(p) = o.opt_str(name)? else { return Ok(None) };
    if !p.starts_with('/') || p.len() > 2048 || p.chars().any(|c| c.is_control() || c == ' ') {
        return Err(WafError::constraint(
            &o.at(name),
            p,
            "Member must be a path starting with `/`, at most 2,048 bytes, without spaces".to_owned(),
        ));
    }
    Ok(Some(p.to_owned()))
}

/// One generated client.
#[derive(Debug, Clone)]
pub struct Client {
    /// `bot-N` or `user-N` (scenario-prefixed in a mix).
    pub id: String,
    /// Its address.
    pub ip: IpAddr,
    /// Whether it attacks.
    pub attacker: bool,
    /// Requests per second.
    pub rate: f64,
    /// Its first possible request, ms from the start.
    pub start_ms: u64,
    /// The end of its activity, ms from the start.
    pub end_ms: u64,
    /// The scenario it belongs to (index in the mix).
    pub scenario: usize,
    /// Country sent with its requests (so GeoMatch sees it).
    pub country: Option<String>,
    /// ASN sent with its requests (so AsnMatch sees it).
    pub asn: Option<u64>,
}

/// Where the attackers' addresses came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressSource {
    /// Documented ranges only (RFC 2544 benchmarking 198.18.0.0/15 for attackers, RFC 5737
    /// TEST-NETs and RFC 3849 2001:db8::/32 for users).
    Documented,
    /// Drawn from the offline geo database's ranges of the asked country or ASN.
    GeoDatabase,
    /// Partly from the geo database, the rest from documented ranges.
    Mixed,
}

/// Lookups spent drawing addresses of one country or ASN from the geo database.
const GEO_DRAW_BUDGET: u64 = 400_000;

/// The clients of scenario `index` of a mix. `taken` holds the attackers' addresses so far
/// and `users_so_far` the users so far (user addresses come from ranges attackers never get).
pub fn clients(
    s: &Scenario,
    index: usize,
    geo: Option<&GeoDb>,
    taken: &mut HashSet<IpAddr>,
    users_so_far: &mut u64,
) -> (Vec<Client>, AddressSource) {
    let mut rng = Rng::new(s.seed ^ 0xD1D0_5EED_u64.wrapping_mul(index as u64 + 1));
    let prefix = if index == 0 { String::new() } else { format!("s{index}-") };
    let mut out = Vec::new();
    let wants_geo = matches!(s.kind.as_str(), "asnFlood" | "countryFlood");
    let mut from_geo = 0u64;
    let mut budget = GEO_DRAW_BUDGET;
    let mut next_bench: u32 = rng.below(1 << 17) as u32;
    // An odd step walks all of 198.18.0.0/15 (2^17 addresses) before repeating.
    let step = (rng.below(1 << 16) as u32) * 2 + 1;
    for i in 0..s.attackers {
        let mut ip = None;
        if wants_geo {
            if let Some(db) = geo {
                while budget > 0 {
                    budget -= 1;
                    let cand = Ipv4Addr::from(rng.next_u64() as u32);
                    if !is_public(cand) || taken.contains(&IpAddr::V4(cand)) {
                        continue;
                    }
                    let hit = match (&s.country, s.asn) {
                        (_, Some(asn)) if s.kind == "asnFlood" => {
                            db.asn(IpAddr::V4(cand)).map(u64::from) == Some(asn)
                        }
                        (Some(c), _) => db.country(IpAddr::V4(cand)).is_some_and(|k| k.as_str() == c),
                        _ => false,
                    };
                    if hit {
                        ip = Some(IpAddr::V4(cand));
                        from_geo += 1;
                        break;
                    }
                }
            }
        }
        let ip = ip.unwrap_or_else(|| loop {
            let cand = IpAddr::V4(Ipv4Addr::from(u32::from(Ipv4Addr::new(198, 18, 0, 0)) + next_bench));
            next_bench = (next_bench.wrapping_add(step)) & ((1 << 17) - 1);
            if !taken.contains(&cand) || taken.len() >= 1 << 17 {
                break cand;
            }
        });
        taken.insert(ip);
        let (country, asn) = match s.kind.as_str() {
            "asnFlood" => (s.country.clone(), s.asn),
            "countryFlood" => (s.country.clone(), s.asn),
            _ => (None, None),
        };
        out.push(Client {
            id: format!("{prefix}bot-{i}"),
            ip,
            attacker: true,
            rate: s.attacker_rate,
            start_ms: s.start_sec * 1000,
            end_ms: s.duration_sec * 1000,
            scenario: index,
            country,
            asn,
        });
    }
    for u in 0..s.users {
        let ip = user_address(*users_so_far);
        *users_so_far += 1;
        out.push(Client {
            id: format!("{prefix}user-{u}"),
            ip,
            attacker: false,
            rate: s.user_rate,
            start_ms: 0,
            end_ms: s.duration_sec * 1000,
            scenario: index,
            country: None,
            asn: None,
        });
    }
    let source = match (wants_geo && geo.is_some(), from_geo) {
        (false, _) | (true, 0) => AddressSource::Documented,
        (true, n) if n == s.attackers => AddressSource::GeoDatabase,
        _ => AddressSource::Mixed,
    };
    (out, source)
}

/// The n-th user address: the two user TEST-NETs (192.0.2.0/24, 203.0.113.0/24), then
/// 2001:db8::/32.
fn user_address(n: u64) -> IpAddr {
    let n32 = u32::try_from(n).unwrap_or(u32::MAX);
    match n32 {
        0..=253 => IpAddr::V4(Ipv4Addr::new(192, 0, 2, (n32 + 1) as u8)),
        254..=507 => IpAddr::V4(Ipv4Addr::new(203, 0, 113, (n32 - 253) as u8)),
        _ => IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, (n32 >> 16) as u16, n32 as u16)),
    }
}

/// A unicast address outside private, loopback, link-local, shared, documentation,
/// benchmarking, multicast and reserved space.
fn is_public(ip: Ipv4Addr) -> bool {
    let [a, b, _, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_documentation()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || a == 0
        || a >= 224
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19)))
}
