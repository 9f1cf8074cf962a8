//! Every reward and cost constant, in one table, with seed 000's values as defaults.
//!
//! A scenario file may override any field under `[rules]`; nothing else in the simulator holds a
//! reward or cost number. The comments name the rule in seed 000's code each value comes from.

use serde::{Deserialize, Serialize};

/// The most services a scenario may have (node sets are 64-bit masks).
pub const MAX_SERVICES: usize = 64;

/// Reward and cost constants of the Zero Trust SRE Gym.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Paid on every step.
    pub step_cost: f64,
    /// `query_siem_logs` on a compromised node, the first time it shows that compromise.
    pub query_compromised: f64,
    /// `query_siem_logs` on a red-herring node.
    pub query_red_herring: f64,
    /// `query_siem_logs` on a clean node, or a repeated query that shows nothing new.
    pub query_clean: f64,
    /// `file_ticket` on a node whose logs were never queried (TICKET_WITHOUT_INVESTIGATION).
    pub ticket_without_investigation: f64,
    /// `file_ticket` with a justification shorter than `min_justification_chars`: not filed.
    pub ticket_too_short: f64,
    /// The shortest justification a reviewer reads.
    pub min_justification_chars: usize,
    /// An approved ticket on a compromised node pays `judge score x this`.
    pub ticket_approved_scale: f64,
    /// A denied ticket on a compromised node pays `base + scale x judge score`.
    pub ticket_denied_base: f64,
    /// See `ticket_denied_base`.
    pub ticket_denied_scale: f64,
    /// Any verdict on a ticket for a node that is not compromised.
    pub ticket_clean_node: f64,
    /// `check_approval` that delivers a verdict.
    pub check_approval_delivered: f64,
    /// `check_approval` that delivers nothing new (still under review, or already delivered).
    pub check_approval_nothing: f64,
    /// A privileged action with no approved ticket for that node and action (ends the episode).
    pub no_ticket: f64,
    /// A privileged action on a protected node.
    pub protected_node: f64,
    /// Isolating while `max_concurrent_isolations` nodes are already isolated.
    pub concurrent_isolations: f64,
    /// How many nodes may be isolated at once.
    pub max_concurrent_isolations: usize,
    /// A privileged action on a node whose logs were never queried.
    pub not_investigated: f64,
    /// Containing the last threat with uptime at or above `min_uptime`: base reward ...
    pub success_base: f64,
    /// ... plus this times the phase score (how by-the-book the episode was, in [0, 1]) ...
    pub success_phase_scale: f64,
    /// ... plus this per unused step.
    pub success_time_bonus: f64,
    /// Containing a threat while others remain.
    pub contain_partial: f64,
    /// Containment that leaves uptime below `min_uptime` (ends the episode).
    pub outage: f64,
    /// The uptime an operator must keep, in percent.
    pub min_uptime: f64,
    /// Isolating a node that is not compromised (ends the episode).
    pub wrong_node: f64,
    /// Running out of the step budget (truncates the episode).
    pub sla_breach: f64,
    /// Patching with a CVE that is not the one exploited on that node.
    pub patch_wrong_cve: f64,
    /// Restoring a node whose threat was removed.
    pub restore_clean: f64,
    /// Restoring a node that is still compromised (the attacker is back online).
    pub restore_compromised: f64,
    /// An action that changes nothing (isolating an isolated node, restoring a running one).
    pub no_effect: f64,
    /// Cost of a privileged action without an approved ticket.
    pub cost_no_ticket: f64,
    /// Cost of a privileged action on a protected node.
    pub cost_protected_node: f64,
    /// Cost of exceeding the concurrent isolation limit.
    pub cost_concurrent_isolations: f64,
    /// Cost of a privileged action on a node never investigated.
    pub cost_not_investigated: f64,
    /// The approvers: role, bar the judge score must reach, steps a review takes.
    pub approvers: Vec<Approver>,
}

/// One approver role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approver {
    /// `junior_sre`, `senior_sre` or `ciso`, or a role a scenario adds.
    pub role: String,
    /// The judge score at or above which this role approves (seed: 0.2 / 0.3 / 0.4).
    pub bar: f64,
    /// Steps after filing before `check_approval` can deliver the verdict.
    pub review_steps: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            step_cost: -0.3,
            query_compromised: 10.0,
            query_red_herring: -1.5,
            query_clean: -1.0,
            ticket_without_investigation: -3.0,
            ticket_too_short: -2.0,
            min_justification_chars: 20,
            ticket_approved_scale: 8.0,
            ticket_denied_base: -4.0,
            ticket_denied_scale: 2.0,
            ticket_clean_node: -8.0,
            check_approval_delivered: 2.0,
            check_approval_nothing: -0.5,
            no_ticket: -20.0,
            protected_node: -15.0,
            concurrent_isolations: -20.0,
            max_concurrent_isolations: 2,
            not_investigated: -15.0,
            success_base: 20.0,
            success_phase_scale: 8.0,
            success_time_bonus: 0.4,
            contain_partial: 8.0,
            outage: -12.0,
            min_uptime: 80.0,
            wrong_node: -25.0,
            sla_breach: -15.0,
            patch_wrong_cve: -5.0,
            restore_clean: 3.0,
            restore_compromised: -10.0,
            no_effect: -0.5,
            cost_no_ticket: 1.0,
            cost_protected_node: 1.0,
            cost_concurrent_isolations: 1.0,
            cost_not_investigated: 1.0,
            approvers: vec![
                Approver {
                    role: "junior_sre".into(),
                    bar: 0.2,
                    review_steps: 0,
                },
                Approver {
                    role: "senior_sre".into(),
                    bar: 0.3,
                    review_steps: 1,
                },
                Approver {
                    role: "ciso".into(),
                    bar: 0.4,
                    review_steps: 2,
                },
            ],
        }
    }
}

/// The largest size of a reward constant: far above any rule's (the defaults are within 25),
/// and small enough that a whole episode's sum stays exact to well below a cent.
pub const MAX_REWARD: f64 = 1e6;
/// The longest `min_justification_chars`: a justification is a paragraph, not a book.
pub const MAX_JUSTIFICATION_CHARS: usize = 10_000;
/// The longest review an approver may take, in steps (far beyond any step budget).
pub const MAX_REVIEW_STEPS: u32 = 100_000;
/// The most approver roles.
pub const MAX_APPROVERS: usize = 32;
/// The longest approver role name, in characters.
pub const MAX_ROLE_CHARS: usize = 64;

impl Rules {
    /// Every reward constant, by field name (the costs are separate: [`Rules::costs`]).
    pub fn rewards(&self) -> [(&'static str, f64); 27] {
        [
            ("step_cost", self.step_cost),
            ("query_compromised", self.query_compromised),
            ("query_red_herring", self.query_red_herring),
            ("query_clean", self.query_clean),
            (
                "ticket_without_investigation",
                self.ticket_without_investigation,
            ),
            ("ticket_too_short", self.ticket_too_short),
            ("ticket_approved_scale", self.ticket_approved_scale),
            ("ticket_denied_base", self.ticket_denied_base),
            ("ticket_denied_scale", self.ticket_denied_scale),
            ("ticket_clean_node", self.ticket_clean_node),
            ("check_approval_delivered", self.check_approval_delivered),
            ("check_approval_nothing", self.check_approval_nothing),
            ("no_ticket", self.no_ticket),
            ("protected_node", self.protected_node),
            ("concurrent_isolations", self.concurrent_isolations),
            ("not_investigated", self.not_investigated),
            ("success_base", self.success_base),
            ("success_phase_scale", self.success_phase_scale),
            ("success_time_bonus", self.success_time_bonus),
            ("contain_partial", self.contain_partial),
            ("outage", self.outage),
            ("wrong_node", self.wrong_node),
            ("sla_breach", self.sla_breach),
            ("patch_wrong_cve", self.patch_wrong_cve),
            ("restore_clean", self.restore_clean),
            ("restore_compromised", self.restore_compromised),
            ("no_effect", self.no_effect),
        ]
    }

    /// Every cost constant, by field name.
    pub fn costs(&self) -> [(&'static str, f64); 4] {
        [
            ("cost_no_ticket", self.cost_no_ticket),
            ("cost_protected_node", self.cost_protected_node),
            (
                "cost_concurrent_isolations",
                self.cost_concurrent_isolations,
            ),
            ("cost_not_investigated", self.cost_not_investigated),
        ]
    }

    /// Problems with the values, each as `(field, problem)`: every number finite and in its
    /// range, so no sum of rewards, steps or counts can overflow or turn into NaN.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (field, v) in self.rewards() {
            if !v.is_finite() {
                out.push((
                    field.to_string(),
                    format!("must be a finite number, found {v}"),
                ));
            } else if v.abs() > MAX_REWARD {
                out.push((
                    field.to_string(),
                    format!("must be within [-{MAX_REWARD:e}, {MAX_REWARD:e}], found {v}"),
                ));
            }
        }
        if !(0.0..=100.0).contains(&self.min_uptime) {
            out.push((
                "min_uptime".into(),
                format!(
                    "must be a percentage in [0, 100], found {}",
                    self.min_uptime
                ),
            ));
        }
        for (name, c) in self.costs() {
            if !(c.is_finite() && (0.0..=MAX_REWARD).contains(&c)) {
                out.push((
                    name.into(),
                    format!("a cost must be a finite number in [0, {MAX_REWARD:e}], found {c}"),
                ));
            }
        }
        if self.min_justification_chars > MAX_JUSTIFICATION_CHARS {
            out.push((
                "min_justification_chars".into(),
                format!(
                    "must be at most {MAX_JUSTIFICATION_CHARS}, found {}",
                    self.min_justification_chars
                ),
            ));
        }
        if self.max_concurrent_isolations > MAX_SERVICES {
            out.push((
                "max_concurrent_isolations".into(),
                format!(
                    "must be at most {} (the most services a scenario has), found {}",
                    MAX_SERVICES, self.max_concurrent_isolations
                ),
            ));
        }
        if self.approvers.is_empty() {
            out.push((
                "approvers".into(),
                "needs at least one approver role".into(),
            ));
        }
        if self.approvers.len() > MAX_APPROVERS {
            out.push((
                "approvers".into(),
                format!(
                    "at most {MAX_APPROVERS} approver roles, found {}",
                    self.approvers.len()
                ),
            ));
        }
        for (i, a) in self.approvers.iter().enumerate() {
            if !(a.bar.is_finite() && (-1.0..=1.0).contains(&a.bar)) {
                out.push((
                    format!("approvers[{i}].bar"),
                    "must be a judge score in [-1, 1]".into(),
                ));
            }
            if a.role.trim().is_empty() {
                out.push((format!("approvers[{i}].role"), "must not be empty".into()));
            } else if a.role.chars().count() > MAX_ROLE_CHARS
                || a.role.chars().any(char::is_control)
            {
                out.push((
                    format!("approvers[{i}].role"),
                    format!(
                        "must be at most {MAX_ROLE_CHARS} characters without control characters"
                    ),
                ));
            }
            if a.review_steps > MAX_REVIEW_STEPS {
                out.push((
                    format!("approvers[{i}].review_steps"),
                    format!(
                        "must be at most {MAX_REVIEW_STEPS} steps, found {}",
                        a.review_steps
                    ),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reward_and_cost_field_is_checked_by_name() {
        assert!(Rules::default().problems().is_empty());
        let mut names: Vec<&str> = Rules::default()
            .rewards()
            .iter()
            .chain(Rules::default().costs().iter())
            .map(|(n, _)| *n)
            .collect();
        names.push("min_uptime");
        // Every f64 field of the serialized rules is in one of the lists.
        let value = serde_json::to_value(Rules::default()).unwrap();
        for (field, v) in value.as_object().unwrap() {
            if v.is_f64() {
                assert!(names.contains(&field.as_str()), "{field} is not checked");
            }
        }
        for field in names {
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300, -1e300] {
                let mut r = Rules::default();
                set(&mut r, field, bad);
                let problems = r.problems();
                assert!(
                    problems.iter().any(|(f, _)| f == field),
                    "{field} = {bad}: {problems:?}"
                );
            }
        }
    }

    fn set(r: &mut Rules, field: &str, v: f64) {
        // serde_json cannot hold NaN or infinity: set the field directly.
        macro_rules! assign {
            ($($f:ident),*) => {
                match field {
                    $(stringify!($f) => r.$f = v,)*
                    _ => unreachable!("{field}"),
                }
            };
        }
        assign!(
            step_cost,
            query_compromised,
            query_red_herring,
            query_clean,
            ticket_without_investigation,
            ticket_too_short,
            ticket_approved_scale,
            ticket_denied_base,
            ticket_denied_scale,
            ticket_clean_node,
            check_approval_delivered,
            check_approval_nothing,
            no_ticket,
            protected_node,
            concurrent_isolations,
            not_investigated,
            success_base,
            success_phase_scale,
            success_time_bonus,
            contain_partial,
            outage,
            wrong_node,
            sla_breach,
            patch_wrong_cve,
            restore_clean,
            restore_compromised,
            no_effect,
            min_uptime,
            cost_no_ticket,
            cost_protected_node,
            cost_concurrent_isolations,
            cost_not_investigated
        );
    }

    #[test]
    fn counts_and_steps_are_bounded() {
        let mut r = Rules::default();
        r.approvers[0].review_steps = u32::MAX;
        r.min_justification_chars = usize::MAX;
        r.max_concurrent_isolations = 1000;
        let fields: Vec<String> = r.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "min_justification_chars",
                "max_concurrent_isolations",
                "approvers[0].review_steps"
            ]
        );
    }
}
