//! Use case 4's resource kind: WAF rules on a service's routes, their strictness, rate limits
//! and blocked attack patterns, and the twin's replay of synthetic traffic against a change
//! (legitimate requests blocked, peak traffic throttled, a partner's allowlisted calls cut).

use crate::effect::{Effect, FLOW_BREAKAGE};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The WAF actions, each on one route's rule.
pub const WAF_ACTIONS: [&str; 3] = [
    "raise_waf_strictness",
    "add_rate_limit",
    "block_attack_pattern",
];

/// The highest strictness (paranoia level 0..=3).
pub const MAX_STRICTNESS: u8 = 3;

/// A WAF rule guarding one route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WafRule {
    /// The route (`/login`, `/partner/orders` ...).
    pub route: String,
    pub service: String,
    /// `critical` or `standard` (the policy caps the strictness per tier).
    pub tier: String,
    /// 0..=3.
    pub strictness: u8,
    pub rate_limited: bool,
    pub pattern_blocked: bool,
    /// The attack score the signatures on this route reach (0..=10).
    pub attack: f64,
    /// The strictness from which the replayed legitimate traffic is blocked (the error budget).
    pub false_positive_at: u8,
    /// Requests per second at peak, and the limit `add_rate_limit` sets.
    pub peak_rps: u32,
    pub rate_limit_rps: u32,
    /// A partner's allowlisted route: a blocked pattern cuts the partner's calls.
    #[serde(default)]
    pub partner: bool,
    /// Within its SLOs after the replay (a change that breaks a budget makes it false).
    #[serde(default = "crate::effect::works")]
    pub serving: bool,
}

impl WafRule {
    /// Use case 4's attack terms: 2 x the attack score left through the rule (each level of
    /// strictness stops a third, a blocked pattern half of the rest), +4 without a rate limit.
    pub fn risk(&self) -> f64 {
        let left = self.attack * f64::from(MAX_STRICTNESS - self.strictness.min(MAX_STRICTNESS))
            / f64::from(MAX_STRICTNESS);
        let left = if self.pattern_blocked {
            left / 2.0
        } else {
            left
        };
        2.0 * left + if self.rate_limited { 0.0 } else { 4.0 }
    }

    /// Whether action `id` still changes something on it.
    pub fn needs_action(&self, id: &str) -> bool {
        match id {
            "raise_waf_strictness" => self.strictness < MAX_STRICTNESS,
            "add_rate_limit" => !self.rate_limited,
            "block_attack_pattern" => !self.pattern_blocked,
            _ => false,
        }
    }

    /// Applies action `id`; returns the budget the replayed traffic breaks, if any.
    pub fn apply(
        &mut self,
        id: &str,
        changes: &mut Map<String, Value>,
        notes: &mut Vec<String>,
    ) -> Option<String> {
        let route = self.route.clone();
        let broken = match id {
            "raise_waf_strictness" => {
                self.strictness = (self.strictness + 1).min(MAX_STRICTNESS);
                changes.insert(format!("waf.{route}.strictness"), self.strictness.into());
                notes.push(format!(
                    "raised the WAF strictness of {route} to {}",
                    self.strictness
                ));
                (self.strictness >= self.false_positive_at)
                    .then(|| format!("{route} would block legitimate requests (error budget)"))
            }
            "add_rate_limit" => {
                self.rate_limited = true;
                changes.insert(
                    format!("waf.{route}.rateLimitRps"),
                    self.rate_limit_rps.into(),
                );
                notes.push(format!(
                    "rate-limited {route} to {} rps",
                    self.rate_limit_rps
                ));
                (self.rate_limit_rps < self.peak_rps).then(|| {
                    format!(
                        "{route} would throttle its peak of {} rps (latency budget)",
                        self.peak_rps
                    )
                })
            }
            _ => {
                self.pattern_blocked = true;
                changes.insert(format!("waf.{route}.patternBlocked"), true.into());
                notes.push(format!("blocked the attack pattern on {route}"));
                self.partner
                    .then(|| format!("{route} would block the partner's allowlisted calls"))
            }
        };
        self.serving = self.serving && broken.is_none();
        broken
    }
}

/// The effect of WAF action `id` on the rule of route `name` (`slot`: none when unknown).
pub(crate) fn effect(slot: Option<&mut WafRule>, id: &str, name: &str, e: &mut Effect) {
    let route = name;
    match slot {
        None => {
            e.breakage += 0.2;
            e.notes.push(format!("unknown route {route}"));
        }
        Some(r) => {
            // The rule reloads: a little breakage even when the replay passes.
            e.breakage += 0.05;
            if let Some(budget) = r.apply(id, &mut e.changes, &mut e.notes) {
                e.breakage += FLOW_BREAKAGE;
                e.notes.push(budget);
            }
        }
    }
}
