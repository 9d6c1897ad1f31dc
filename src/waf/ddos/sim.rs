//! Runs flood scenarios through a web ACL on the simulated clock and reports, per time bucket,
//! requests allowed, blocked, challenged and counted (attack and legitimate apart), when each
//! rate-based rule first limited each key, which real users were caught (false positives) and
//! what attackers got through first. Memory is bounded: aggregates per bucket and per client,
//! capped lists, at most `MAX_REQUESTS` requests. No JSON reading here (see `json`).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use serde::Serialize;

use super::rng::Rng;
use super::scenario::{clients, AddressSource, Arrival, Client, Scenario, MAX_REQUESTS};
use crate::waf::error::WafError;
use crate::waf::eval::{Context, Engine};
use crate::waf::model::{Aggregate, RuleActionKind, Statement};
use crate::waf::rate::RateMode;
use crate::waf::request::Request;

/// The simulated clock's start: 2026-01-01T00:00:00Z (a multiple of every check interval).
pub const BASE_MS: u64 = 1_767_225_600_000;
/// Most trips listed (the rest are counted).
pub const MAX_TRIPS_LISTED: usize = 1000;
/// Most (rule, key) pairs remembered for first-trip detection.
pub const MAX_TRIP_KEYS: usize = 200_000;
/// Most false-positive users listed (the rest are counted).
pub const MAX_FALSE_POSITIVES_LISTED: usize = 1000;
/// Most distinct query strings remembered (cache-busting); beyond it the count is a floor.
pub const MAX_QUERIES_TRACKED: usize = 1_000_000;
/// The proxy address clients come through when `xForwardedFor` is set.
pub const PROXY_IP: &str = "10.0.0.10";

/// How a run decides rate limits and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimOptions {
    /// The rate-based rules' model.
    pub mode: RateMode,
    /// Width of a report bucket, seconds (1 or 10).
    pub bucket_sec: Option<u64>,
}

impl Default for SimOptions {
    /// AWS's documented behaviour: a check about every 10 s, no extra delay.
    fn default() -> Self {
        Self { mode: RateMode::Periodic { interval_ms: 10_000, delay_ms: 0 }, bucket_sec: None }
    }
}

/// One time bucket.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Bucket {
    /// Seconds from the start.
    pub t: u64,
    /// Allowed requests.
    pub allowed: u64,
    /// Blocked requests.
    pub blocked: u64,
    /// Requests met with CAPTCHA or Challenge.
    pub challenged: u64,
    /// Requests a rate-based rule in Count mode (or overridden to count) counted as over limit.
    pub counted: u64,
    /// Attack requests allowed.
    pub attack_allowed: u64,
    /// Attack requests stopped (blocked or challenged).
    pub attack_stopped: u64,
    /// Legitimate requests allowed.
    pub legit_allowed: u64,
    /// Legitimate requests stopped (blocked or challenged).
    pub legit_stopped: u64,
}

/// A rate-based rule of the ACL and what it did.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RuleReport {
    /// Rule name.
    pub name: String,
    /// `Limit`.
    pub limit: u64,
    /// `EvaluationWindowSec`.
    pub window_sec: u64,
    /// `IP`, `FORWARDED_IP`, `CONSTANT` or `CUSTOM_KEYS`.
    pub aggregate: &'static str,
    /// Whether it has a scope-down statement.
    pub scope_down: bool,
    /// Its action (`BLOCK`, `COUNT`, `CAPTCHA`, `CHALLENGE`).
    pub action: String,
    /// When it first limited a key (seconds from the start), if it did.
    pub first_trip_sec: Option<f64>,
    /// Keys it limited.
    pub keys_limited: u64,
    /// Requests it found over the limit.
    pub requests_limited: u64,
    /// Attack requests allowed before its first trip.
    pub attack_allowed_before_trip: u64,
}

/// The first time a rule limited one key.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Trip {
    /// Rule name.
    pub rule: String,
    /// The aggregation key (address, or custom values joined by commas).
    pub key: String,
    /// Seconds from the start.
    pub at_sec: f64,
    /// The client whose address the key is, when it is one.
    pub client: Option<String>,
    /// That client's requests allowed before the trip.
    pub allowed_before: Option<u64>,
}

/// A real user who was blocked or challenged.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct FalsePositive {
    /// User id.
    pub user: String,
    /// Its address.
    pub client_ip: String,
    /// First time it was stopped (seconds from the start).
    pub first_at_sec: f64,
    /// Its requests.
    pub requests: u64,
    /// Its requests stopped.
    pub stopped: u64,
    /// Rules that stopped it (first five).
    pub rules: Vec<String>,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Requests simulated.
    pub requests: u64,
    /// Of them from attackers.
    pub attack: u64,
    /// Of them from real users.
    pub legit: u64,
    /// Allowed.
    pub allowed: u64,
    /// Blocked.
    pub blocked: u64,
    /// CAPTCHA or Challenge.
    pub challenged: u64,
    /// Counted over the limit by a rate-based rule that does not terminate.
    pub counted: u64,
    /// Attack requests allowed.
    pub attack_allowed: u64,
    /// Legitimate requests stopped.
    pub legit_stopped: u64,
    /// Distinct query strings (a CDN whose cache key has the query string misses on each).
    pub distinct_query_strings: u64,
}

/// The report of a run.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// `exact` or `periodic`.
    pub rate_model: &'static str,
    /// Periodic: seconds between checks.
    pub check_interval_sec: Option<f64>,
    /// Periodic: seconds from a check until it applies.
    pub mitigation_delay_sec: Option<f64>,
    /// Width of a bucket, seconds.
    pub bucket_sec: u64,
    /// Length of the run, seconds.
    pub duration_sec: u64,
    /// Totals.
    pub totals: Totals,
    /// Per bucket.
    pub buckets: Vec<Bucket>,
    /// The ACL's top-level rate-based rules.
    pub rules: Vec<RuleReport>,
    /// First trip per (rule, key), in time order (first `MAX_TRIPS_LISTED`).
    pub trips: Vec<Trip>,
    /// Trips not listed.
    pub trips_omitted: u64,
    /// Real users stopped, in order of first stop (first `MAX_FALSE_POSITIVES_LISTED`).
    pub false_positives: Vec<FalsePositive>,
    /// Real users stopped, in all.
    pub false_positive_users: u64,
    /// Attackers and users.
    pub clients: ClientCounts,
    /// Where attacker addresses came from, per scenario.
    pub address_sources: Vec<&'static str>,
    /// What is approximated.
    pub notes: Vec<String>,
}

/// Client counts.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClientCounts {
    /// Attacking addresses.
    pub attackers: u64,
    /// Real users.
    pub users: u64,
    /// Attackers never stopped.
    pub attackers_never_stopped: u64,
}

#[derive(Debug, Clone, Default)]
struct ClientStats {
    requests: u64,
    allowed: u64,
    stopped: u64,
    first_stop_ms: Option<u64>,
    rules: Vec<String>,
}

fn aggregate_name(a: &Aggregate) -> &'static str {
    match a {
        Aggregate::Ip => "IP",
        Aggregate::ForwardedIp => "FORWARDED_IP",
        Aggregate::Constant => "CONSTANT",
        Aggregate::Custom(_) => "CUSTOM_KEYS",
    }
}

#[allow(clippy::cast_precision_loss)]
fn secs(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// Runs `scenarios` together (a mix; one is a plain run) through `engine` (cloned: the caller's
/// counters are untouched).
pub fn run(engine: &Engine, scenarios: &[Scenario], opts: &SimOptions) -> Result<Report, WafError> {
    run_observed(engine, scenarios, opts, &mut |_, _| true)
}

/// Requests between two calls of a run's progress callback.
pub const PROGRESS_EVERY: u64 = 1024;

/// `run`, calling `progress(done, expected)` every [`PROGRESS_EVERY`] requests (`expected` is
/// the scenarios' estimate, which a Poisson run may pass). The run stops with
/// [`WafError::Stopped`] when `progress` answers `false`.
pub fn run_observed(
    engine: &Engine,
    scenarios: &[Scenario],
    opts: &SimOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Report, WafError> {
    if scenarios.is_empty() {
        return Err(WafError::request("/scenarios", "give at least one scenario"));
    }
    if scenarios.len() > 10 {
        return Err(WafError::request("/scenarios", "a mix has at most 10 scenarios"));
    }
    let expected: u64 = scenarios.iter().map(Scenario::expected_requests).fold(0, u64::saturating_add);
    if expected > MAX_REQUESTS {
        return Err(WafError::Limit {
            reason: format!(
                "the scenario makes about {expected} requests; a run simulates at most {MAX_REQUESTS} (lower the rates, the clients or the duration)"
            ),
        });
    }
    let duration_sec = scenarios.iter().map(|s| s.duration_sec).max().unwrap_or(1);
    let bucket_sec = match opts.bucket_sec {
        Some(b @ (1 | 10)) => b,
        Some(other) => {
            return Err(WafError::constraint(
                "/options/bucketSec",
                other.to_string(),
                "Member must satisfy enum value set: [1, 10]".to_owned(),
            ))
        }
        None if duration_sec <= 600 => 1,
        None => 10,
    };
    let mut engine = engine.clone();
    engine.reset_clock();
    engine.set_rate_mode(opts.mode);

    let mut taken = HashSet::new();
    let mut users_so_far = 0u64;
    let mut all: Vec<Client> = Vec::new();
    let mut sources = Vec::new();
    let mut notes = Vec::new();
    for (i, s) in scenarios.iter().enumerate() {
        let (mut c, src) = clients(s, i, engine.geo.as_deref(), &mut taken, &mut users_so_far);
        sources.push(match src {
            AddressSource::Documented => "documented ranges",
            AddressSource::GeoDatabase => "geo database",
            AddressSource::Mixed => "geo database and documented ranges",
        });
        if matches!(s.kind.as_str(), "asnFlood" | "countryFlood") && src != AddressSource::GeoDatabase {
            notes.push(format!(
                "scenario {i}: attacker addresses are (partly) from 198.18.0.0/15 (RFC 2544); their requests carry the asked {} so GeoMatch/AsnMatch see it",
                if s.kind == "asnFlood" { "ASN" } else { "country" }
            ));
        }
        if s.kind == "lowAndSlow" {
            notes.push("low-and-slow: a web ACL sees a request only once it is complete, so the slow sending itself (slowloris) is not modelled; CloudFront and load balancers absorb it (BP1, BP6)".to_owned());
        }
        all.append(&mut c);
    }
    let ip_to_client: HashMap<String, usize> =
        all.iter().enumerate().map(|(i, c)| (c.ip.to_string(), i)).collect();

    // The next request of every client, earliest first.
    let mut rng = Rng::new(scenarios.first().map_or(1, |s| s.seed).wrapping_mul(0x9E37));
    let mut next: Vec<f64> = Vec::with_capacity(all.len());
    let mut heap = BinaryHeap::with_capacity(all.len());
    for (i, c) in all.iter().enumerate() {
        let period = 1000.0 / c.rate;
        #[allow(clippy::cast_precision_loss)]
        let t = c.start_ms as f64 + rng.unit() * period;
        next.push(t);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        heap.push(Reverse((t as u64, i)));
    }

    let rules: Vec<(String, u64, u64, &'static str, bool, String)> = engine
        .acl
        .rules
        .iter()
        .filter_map(|r| match &r.statement {
            Statement::RateBased(rb) => Some((
                r.name.clone(),
                rb.limit,
                rb.window_sec,
                aggregate_name(&rb.aggregate),
                rb.scope_down.is_some(),
                match &r.action {
                    RuleActionKind::Action(a) => a.log_name().to_owned(),
                    RuleActionKind::Override { .. } => "NONE".to_owned(),
                },
            )),
            _ => None,
        })
        .collect();
    let mut rule_reports: Vec<RuleReport> = rules
        .into_iter()
        .map(|(name, limit, window_sec, aggregate, scope_down, action)| RuleReport {
            name,
            limit,
            window_sec,
            aggregate,
            scope_down,
            action,
            first_trip_sec: None,
            keys_limited: 0,
            requests_limited: 0,
            attack_allowed_before_trip: 0,
        })
        .collect();

    let n_buckets = usize::try_from(duration_sec.div_ceil(bucket_sec)).unwrap_or(1).max(1);
    let mut buckets: Vec<Bucket> =
        (0..n_buckets).map(|i| Bucket { t: i as u64 * bucket_sec, ..Bucket::default() }).collect();
    let mut stats: Vec<ClientStats> = vec![ClientStats::default(); all.len()];
    let mut totals = Totals::default();
    let mut tripped: HashSet<(String, String)> = HashSet::new();
    let mut trips = Vec::new();
    let mut trips_omitted = 0u64;
    let mut queries: HashSet<u64> = HashSet::new();
    let mut fp_order: Vec<usize> = Vec::new();
    let mut seq = 0u64;

    while let Some(Reverse((t_ms, ci))) = heap.pop() {
        let (Some(c), Some(st)) = (all.get(ci), stats.get_mut(ci)) else { continue };
        if t_ms >= c.end_ms {
            continue;
        }
        if totals.requests >= MAX_REQUESTS {
            notes.push(format!("stopped at {MAX_REQUESTS} requests"));
            break;
        }
        let Some(s) = scenarios.get(c.scenario) else { continue };
        seq += 1;
        let req = build_request(s, c, seq, &mut rng, &mut queries);
        let ctx = Context { timestamp_ms: Some(BASE_MS + t_ms), ..Context::default() };
        let rec = engine.evaluate_decision(&req, &ctx);

        totals.requests += 1;
        st.requests += 1;
        if totals.requests % PROGRESS_EVERY == 0 && !progress(totals.requests, expected) {
            return Err(WafError::Stopped { requests: totals.requests });
        }
        let bucket = buckets.get_mut(usize::try_from(t_ms / 1000 / bucket_sec).unwrap_or(usize::MAX));
        let stopped = rec.action != "ALLOW";
        let mut b_dummy = Bucket::default();
        let b = bucket.unwrap_or(&mut b_dummy);
        match rec.action.as_str() {
            "ALLOW" => {
                totals.allowed += 1;
                b.allowed += 1;
            }
            "BLOCK" => {
                totals.blocked += 1;
                b.blocked += 1;
            }
            _ => {
                totals.challenged += 1;
                b.challenged += 1;
            }
        }
        if c.attacker {
            totals.attack += 1;
            if stopped {
                b.attack_stopped += 1;
            } else {
                totals.attack_allowed += 1;
                b.attack_allowed += 1;
                for r in &mut rule_reports {
                    if r.first_trip_sec.is_none() {
                        r.attack_allowed_before_trip += 1;
                    }
                }
            }
        } else {
            totals.legit += 1;
            if stopped {
                totals.legit_stopped += 1;
                b.legit_stopped += 1;
                if st.first_stop_ms.is_none() {
                    st.first_stop_ms = Some(t_ms);
                    fp_order.push(ci);
                }
                if st.rules.len() < 5 && !st.rules.contains(&rec.terminating_rule_id) {
                    st.rules.push(rec.terminating_rule_id.clone());
                }
            } else {
                b.legit_allowed += 1;
            }
        }
        if stopped {
            st.stopped += 1;
        } else {
            st.allowed += 1;
        }
        let mut counted = false;
        for hit in &rec.rate_based_rule_list {
            if hit.rate_based_rule_id != rec.terminating_rule_id {
                counted = true;
            }
            if let Some(r) = rule_reports.iter_mut().find(|r| r.name == hit.rate_based_rule_id) {
                r.requests_limited += 1;
            }
            let pair = (hit.rate_based_rule_id.clone(), hit.limit_value.clone());
            if tripped.len() < MAX_TRIP_KEYS && !tripped.contains(&pair) {
                if let Some(r) = rule_reports.iter_mut().find(|r| r.name == pair.0) {
                    r.keys_limited += 1;
                    if r.first_trip_sec.is_none() {
                        r.first_trip_sec = Some(secs(t_ms));
                    }
                }
                if trips.len() < MAX_TRIPS_LISTED {
                    let owner = ip_to_client.get(&pair.1).copied();
                    let client = owner.and_then(|i| all.get(i));
                    // This request already counts in its client's allowed/stopped.
                    let allowed_before = owner
                        .and_then(|i| stats.get(i))
                        .map(|s| s.allowed - u64::from(!stopped && owner == Some(ci)));
                    trips.push(Trip {
                        rule: pair.0.clone(),
                        key: pair.1.clone(),
                        at_sec: secs(t_ms),
                        client: client.map(|c| c.id.clone()),
                        allowed_before,
                    });
                } else {
                    trips_omitted += 1;
                }
                tripped.insert(pair);
            }
        }
        if counted {
            totals.counted += 1;
            if let Some(b) = buckets.get_mut(usize::try_from(t_ms / 1000 / bucket_sec).unwrap_or(usize::MAX))
            {
                b.counted += 1;
            }
        }

        // Schedule the client's next request.
        let Some(slot) = next.get_mut(ci) else { continue };
        let period = 1000.0 / c.rate;
        let gap = match s.arrival {
            Arrival::Uniform => period,
            Arrival::Poisson => -(1.0 - rng.unit()).ln() * period,
        };
        *slot += gap.max(0.001);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let t_next = *slot as u64;
        if t_next < c.end_ms {
            heap.push(Reverse((t_next, ci)));
        }
    }

    totals.distinct_query_strings = queries.len() as u64;
    if queries.len() >= MAX_QUERIES_TRACKED {
        notes
            .push(format!("distinct query strings are counted up to {MAX_QUERIES_TRACKED}; there were more"));
    }
    let false_positive_users = fp_order.len() as u64;
    let false_positives = fp_order
        .iter()
        .take(MAX_FALSE_POSITIVES_LISTED)
        .filter_map(|&i| {
            let (c, s) = (all.get(i)?, stats.get(i)?);
            Some(FalsePositive {
                user: c.id.clone(),
                client_ip: c.ip.to_string(),
                first_at_sec: secs(s.first_stop_ms.unwrap_or(0)),
                requests: s.requests,
                stopped: s.stopped,
                rules: s.rules.clone(),
            })
        })
        .collect();
    let counts = ClientCounts {
        attackers: all.iter().filter(|c| c.attacker).count() as u64,
        users: all.iter().filter(|c| !c.attacker).count() as u64,
        attackers_never_stopped: all
            .iter()
            .zip(&stats)
            .filter(|(c, s)| c.attacker && s.stopped == 0 && s.requests > 0)
            .count() as u64,
    };
    let (rate_model, check_interval_sec, mitigation_delay_sec) = match opts.mode {
        RateMode::Exact => ("exact", None, None),
        RateMode::Periodic { interval_ms, delay_ms } => {
            ("periodic", Some(secs(interval_ms)), Some(secs(delay_ms)))
        }
    };
    notes.push(match opts.mode {
        RateMode::Exact => "exact model: every request is decided over the window ending at it; AWS checks only periodically, so it lets more through (choose the periodic model to see how much)".to_owned(),
        RateMode::Periodic { .. } => "periodic model: AWS checks the rate about every 10 s and counts the evaluation window back from each check (https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html); AWS's recency-weighted estimate is not modelled, and AWS says its detection delay is usually below 30 s (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-caveats.html)".to_owned(),
    });
    Ok(Report {
        rate_model,
        check_interval_sec,
        mitigation_delay_sec,
        bucket_sec,
        duration_sec,
        totals,
        buckets,
        rules: rule_reports,
        trips,
        trips_omitted,
        false_positives,
        false_positive_users,
        clients: counts,
        address_sources: sources,
        notes,
    })
}

const USER_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

fn build_request(s: &Scenario, c: &Client, seq: u64, rng: &mut Rng, queries: &mut HashSet<u64>) -> Request {
    let ip_text = c.ip.to_string();
    let mut req = Request::get("/", c.ip);
    req.uri = if c.attacker { s.path.clone() } else { s.user_path.clone() };
    if c.attacker && s.kind == "cacheBusting" {
        let (k, v) = (rng.next_u64(), rng.next_u64());
        if queries.len() < MAX_QUERIES_TRACKED {
            queries.insert(k ^ v.rotate_left(17));
        }
        let sep = if req.uri.contains('?') { '&' } else { '?' };
        req.uri = format!("{}{sep}{:x}={:x}", req.uri, k & 0xFFFF_FFFF, v & 0xFFFF_FFFF);
    }
    req.headers.push(("Host".to_owned(), "www.example.com".to_owned()));
    req.headers.push(("User-Agent".to_owned(), USER_AGENT.to_owned()));
    if c.attacker && s.kind == "loginFlood" {
        req.method = "POST".to_owned();
        req.headers.push(("Content-Type".to_owned(), "application/x-www-form-urlencoded".to_owned()));
        req.body = format!("username=user{}&password=guess{}", rng.below(100_000), rng.below(1_000_000))
            .into_bytes();
    }
    for (name, value) in &s.headers {
        let v = value.replace("{client}", &c.id).replace("{ip}", &ip_text).replace("{n}", &seq.to_string());
        req.headers.push((name.clone(), v));
    }
    if s.x_forwarded_for {
        req.headers.push(("X-Forwarded-For".to_owned(), ip_text));
        if let Ok(proxy) = PROXY_IP.parse() {
            req.client_ip = proxy;
        }
    }
    if s.x_forwarded_for {
        req.forwarded_country.clone_from(&c.country);
        req.forwarded_asn = c.asn;
    } else {
        req.country.clone_from(&c.country);
        req.asn = c.asn;
    }
    req
}
