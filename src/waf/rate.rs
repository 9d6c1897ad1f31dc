//! Rate-based rule state on a simulated clock: per (rule, aggregation key) the timestamps of
//! counted requests inside the evaluation window. A request is counted if it passes the
//! scope-down statement and has every key component; the rule matches while the count in the
//! window exceeds the limit. AWS re-checks about every 10 s; this model is exact (sliding
//! window), which the page says. No key extraction here (see `eval`).

use std::collections::{HashMap, VecDeque};

/// Largest number of distinct keys tracked per rule (oldest-untouched keys are dropped).
pub const MAX_KEYS_PER_RULE: usize = 100_000;

/// Counters for every rate-based rule of a web ACL.
#[derive(Debug, Clone, Default)]
pub struct RateState {
    windows: HashMap<String, HashMap<Vec<String>, VecDeque<u64>>>,
}

impl RateState {
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

    /// Forgets every counter.
    pub fn reset(&mut self) {
        self.windows.clear();
    }
}
