//! Rate-based rule state on a simulated clock: per (rule, aggregation key) the timestamps of
//! counted requests inside the evaluation window. A request is counted if it passes the
//! scope-down statement and has every key component; the rule matches while the count in the
//! window exceeds the limit. Two models: `Exact` (a sliding window decided at every request,
//! the engine's default) and `Periodic` (AWS's documented behaviour: the rate is checked about
//! every 10 s, so a key is limited only from the first check that sees it over the limit, and
//! released only at a check that sees it under; an optional delay models propagation, which
//! AWS says is usually below 30 s). No key extraction here (see `eval`).

use std::collections::{HashMap, VecDeque};

/// Largest number of distinct keys tracked per rule (oldest-untouched keys are dropped).
pub const MAX_KEYS_PER_RULE: usize = 100_000;

/// How a rate-based rule decides that a key is over its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateMode {
    /// At every request, over the window ending at that request (this one included).
    #[default]
    Exact,
    /// At checks every `interval_ms` on the clock (aligned to multiples of it); a check's
    /// decision applies from `delay_ms` after it until the next decision.
    Periodic {
        /// Time between checks, in milliseconds (at least 1).
        interval_ms: u64,
        /// Time from a check until its decision applies, in milliseconds.
        delay_ms: u64,
    },
}

/// Periodic mode's per-key counts: (check index, requests since the previous check).
type Ticks = VecDeque<(u64, u64)>;

/// Counters for every rate-based rule of a web ACL.
#[derive(Debug, Clone, Default)]
pub struct RateState {
    windows: HashMap<String, HashMap<Vec<String>, VecDeque<u64>>>,
    /// Periodic mode: per rule and key, (check index, requests since the previous check).
    ticks: HashMap<String, HashMap<Vec<String>, Ticks>>,
    mode: RateMode,
}

impl RateState {
    /// Chooses the model (and forgets every counter).
    pub fn set_mode(&mut self, mode: RateMode) {
        self.mode = match mode {
            RateMode::Periodic { interval_ms, delay_ms } => {
                RateMode::Periodic { interval_ms: interval_ms.max(1), delay_ms }
            }
            RateMode::Exact => RateMode::Exact,
        };
        self.reset();
    }

    /// The model in use.
    pub fn mode(&self) -> RateMode {
        self.mode
    }

    /// Records a request and decides: returns the count the decision rests on and whether the
    /// key is over `limit` (rate limited). In `Exact` mode the count is the window ending now;
    /// in `Periodic` mode it is the window ending at the latest check whose decision applies
    /// (0 before the first one).
    pub fn record_match(
        &mut self,
        rule: &str,
        key: Vec<String>,
        now_ms: u64,
        window_sec: u64,
        limit: u64,
    ) -> (u64, bool) {
        match self.mode {
            RateMode::Exact => {
                let count = self.record(rule, key, now_ms, window_sec, limit);
                (count, count > limit)
            }
            RateMode::Periodic { interval_ms, delay_ms } => {
                let count = self.record_periodic(rule, key, now_ms, window_sec, interval_ms, delay_ms);
                (count, count > limit)
            }
        }
    }

    fn record_periodic(
        &mut self,
        rule: &str,
        key: Vec<String>,
        now_ms: u64,
        window_sec: u64,
        interval: u64,
        delay: u64,
    ) -> u64 {
        let window_ms = window_sec.saturating_mul(1000);
        let per_rule = self.ticks.entry(rule.to_owned()).or_default();
        if per_rule.len() >= MAX_KEYS_PER_RULE && !per_rule.contains_key(&key) {
            let horizon = now_ms.saturating_sub(window_ms.saturating_add(delay)) / interval;
            per_rule.retain(|_, q| q.back().is_some_and(|(b, _)| *b > horizon));
        }
        let q = per_rule.entry(key).or_default();
        // Check b covers the requests in ((b-1)·interval, b·interval].
        let bucket = now_ms.div_ceil(interval);
        match q.back_mut() {
            Some((b, n)) if *b == bucket => *n = n.saturating_add(1),
            _ => q.push_back((bucket, 1)),
        }
        // The latest check whose decision applies now.
        let Some(decided) = now_ms.checked_sub(delay).map(|t| t / interval) else {
            return 0;
        };
        // That check counts the buckets inside (check − window, check].
        let oldest = decided.saturating_mul(interval).saturating_sub(window_ms) / interval;
        while q.front().is_some_and(|(b, _)| *b <= oldest) {
            q.pop_front();
        }
        q.iter().filter(|(b, _)| *b <= decided).map(|(_, n)| *n).fold(0u64, u64::saturating_add)
    }

    /// Records a request for `rule` under `key` at `now_ms` and returns the count in the
    /// window ending at `now_ms` (this request included).
    pub fn record(&mut self, rule: &str, key: Vec<String>, now_ms: u64, window_sec: u64, limit: u64) -> u64 {
        let per_rule = self.windows.entry(rule.to_owned()).or_default();
        if per_rule.len() >= MAX_KEYS_PER_RULE && !per_rule.contains_key(&key) {
            let horizon = now_ms.saturating_sub(window_sec.saturating_mul(1000));
            per_rule.retain(|_, q| q.back().is_some_and(|t| *t > horizon));
        }
        let q = per_rule.entry(key).or_default();
        q.push_back(now_ms);
        Self::prune(q, now_ms, window_sec, limit);
        u64::try_from(q.len()).unwrap_or(u64::MAX)
    }

    /// The count for `rule`/`key` at `now_ms` without recording.
    pub fn count(&mut self, rule: &str, key: &[String], now_ms: u64, window_sec: u64, limit: u64) -> u64 {
        let Some(q) = self.windows.get_mut(rule).and_then(|m| m.get_mut(key)) else {
            return 0;
        };
        Self::prune(q, now_ms, window_sec, limit);
        u64::try_from(q.len()).unwrap_or(u64::MAX)
    }

    fn prune(q: &mut VecDeque<u64>, now_ms: u64, window_sec: u64, limit: u64) {
        let horizon = now_ms.saturating_sub(window_sec.saturating_mul(1000));
        while q.front().is_some_and(|t| *t <= horizon && now_ms >= window_sec.saturating_mul(1000)) {
            q.pop_front();
        }
        // Only "more than limit" matters: keep at most limit + 1 of the newest entries.
        let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
        while q.len() > cap {
            q.pop_front();
        }
    }

    /// Forgets every counter (the model stays).
    pub fn reset(&mut self) {
        self.windows.clear();
        self.ticks.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Vec<String> {
        vec!["192.0.2.1".to_owned()]
    }

    #[test]
    fn periodic_checks_limit_from_the_first_check_over_and_release_at_the_first_check_under() {
        let mut s = RateState::default();
        s.set_mode(RateMode::Periodic { interval_ms: 10_000, delay_ms: 0 });
        // 15 requests in the first 5 s, limit 10, window 60 s: the 10 s check sees 15.
        for i in 0..15u64 {
            assert_eq!(s.record_match("r", key(), 1_000 + i * 300, 60, 10), (0, false), "request {i}");
        }
        assert_eq!(s.record_match("r", key(), 10_000, 60, 10), (16, true));
        assert_eq!(s.record_match("r", key(), 69_999, 60, 10), (16, true));
        // The 70 s check counts (10 s, 70 s]: only the requests at 69.999 s and 70 s.
        assert_eq!(s.record_match("r", key(), 70_000, 60, 10), (2, false));
    }

    #[test]
    fn a_delay_moves_each_decision_later_and_exact_mode_is_the_sliding_window() {
        let mut s = RateState::default();
        s.set_mode(RateMode::Periodic { interval_ms: 10_000, delay_ms: 25_000 });
        for i in 0..20u64 {
            s.record_match("r", key(), 1_000 + i, 60, 10);
        }
        // The 10 s check applies from 35 s.
        assert!(!s.record_match("r", key(), 34_999, 60, 10).1);
        assert!(s.record_match("r", key(), 35_000, 60, 10).1);
        let mut e = RateState::default();
        assert_eq!(e.mode(), RateMode::Exact);
        for i in 0..10u64 {
            assert!(!e.record_match("r", key(), i, 60, 10).1);
        }
        assert_eq!(e.record_match("r", key(), 10, 60, 10), (11, true));
    }
}
