//! The discretization of the observation that the learned agents use: six small features of
//! the episode so far, read from the observation and the agent's [`Casefile`].
//!
//! | feature | values | meaning |
//! | --- | --- | --- |
//! | `suspect` | no, yes | an alerting node (medium or above) was not read since its latest alert |
//! | `unticketed` | no, yes | a compromise its logs proved is uncontained and has no live ticket |
//! | `ticket` | none, isolate_pending, isolate_ready, isolate_approved, patch_pending, patch_ready, patch_approved | the live ticket furthest along on an uncontained compromise; `ready` = its verdict can be collected next step |
//! | `isolation_ok` | no, yes | isolating the node to ticket (else the node to act on) keeps uptime above the floor, stays within the isolation limit, and the node is not protected |
//! | `patchable` | no, yes | that node's logs named a CVE and its attacker did not arrive laterally |
//! | `steps_left` | 1-2, 3-4, 5+ | the step budget left |
//!
//! A *live* ticket is pending, or approved and not yet used. So 2 x 2 x 7 x 2 x 2 x 3 = 336
//! states, few enough for tabular learning in a few thousand episodes. [`Targets`] names the
//! nodes the features (and the abstract actions) are about.

use crate::action::Privileged;
use crate::casefile::Casefile;
use crate::observation::{Observation, TicketStatus, TicketView};
use crate::scenario::Scenario;

use ztgym_core::learn::adapter;
pub use ztgym_core::learn::FeatureSpec;

/// Every feature, in the order of the state encoding.
pub const FEATURES: [FeatureSpec; 6] = [
    FeatureSpec {
        name: "suspect",
        values: &["no", "yes"],
    },
    FeatureSpec {
        name: "unticketed",
        values: &["no", "yes"],
    },
    FeatureSpec {
        name: "ticket",
        values: &[
            "none",
            "isolate_pending",
            "isolate_ready",
            "isolate_approved",
            "patch_pending",
            "patch_ready",
            "patch_approved",
        ],
    },
    FeatureSpec {
        name: "isolation_ok",
        values: &["no", "yes"],
    },
    FeatureSpec {
        name: "patchable",
        values: &["no", "yes"],
    },
    FeatureSpec {
        name: "steps_left",
        values: &["1-2", "3-4", "5+"],
    },
];

/// The number of distinct states (the product of the features' value counts).
pub const STATES: usize = 2 * 2 * 7 * 2 * 2 * 3;

/// The length of the one-hot feature vector: every feature value, plus a constant 1 (bias).
pub const VECTOR_LEN: usize = 2 + 2 + 7 + 2 + 2 + 3 + 1;

/// A live ticket, as the `ticket` feature sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketFeature {
    /// No live ticket.
    None,
    /// Under review; the verdict is not ready next step.
    Pending(Privileged),
    /// Under review; `check_approval` next step delivers the verdict.
    Ready(Privileged),
    /// Approved and not yet used.
    Approved(Privileged),
}

impl TicketFeature {
    fn index(self) -> usize {
        // Restore tickets are never filed by the learned agents; they read as isolate ones.
        let off = |p: Privileged| if p == Privileged::Patch { 3 } else { 0 };
        match self {
            TicketFeature::None => 0,
            TicketFeature::Pending(p) => 1 + off(p),
            TicketFeature::Ready(p) => 2 + off(p),
            TicketFeature::Approved(p) => 3 + off(p),
        }
    }

    fn from_index(i: usize) -> TicketFeature {
        let p = if i >= 4 {
            Privileged::Patch
        } else {
            Privileged::Isolate
        };
        match i {
            1 | 4 => TicketFeature::Pending(p),
            2 | 5 => TicketFeature::Ready(p),
            3 | 6 => TicketFeature::Approved(p),
            _ => TicketFeature::None,
        }
    }

    /// Reads a ticket; one that is not live (denied, used) counts as none.
    pub fn of(ticket: Option<&TicketView>, next_step: u32) -> TicketFeature {
        match ticket {
            None => TicketFeature::None,
            Some(t) => match t.status {
                TicketStatus::Pending if next_step >= t.ready_at => TicketFeature::Ready(t.action),
                TicketStatus::Pending => TicketFeature::Pending(t.action),
                TicketStatus::Approved => TicketFeature::Approved(t.action),
                TicketStatus::Denied | TicketStatus::Used => TicketFeature::None,
            },
        }
    }

    /// How far along: approved 3, ready 2, pending 1, none 0.
    fn rank(self) -> u8 {
        match self {
            TicketFeature::None => 0,
            TicketFeature::Pending(_) => 1,
            TicketFeature::Ready(_) => 2,
            TicketFeature::Approved(_) => 3,
        }
    }
}

/// The nodes an agent works on at one moment (indices in scenario order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Targets {
    /// The next node to investigate ([`Casefile::next_suspect`]).
    pub suspect: Option<usize>,
    /// The first uncontained, proven compromise without a live ticket: the node to file on.
    pub unticketed: Option<usize>,
    /// The uncontained, proven compromise whose live ticket is furthest along (approved, then
    /// ready, then pending; ties in scenario order): the node to contain.
    pub ticketed: Option<usize>,
}

impl Targets {
    /// Finds the targets in an observation.
    pub fn find(casefile: &Casefile, obs: &Observation) -> Targets {
        let next_step = obs.step + 1;
        let mut t = Targets {
            suspect: casefile.next_suspect(obs),
            ..Targets::default()
        };
        let mut best = 0;
        for i in 0..obs.services.len() {
            if !casefile.notes(i).confirmed() || !Casefile::uncontained(obs, i) {
                continue;
            }
            let rank = TicketFeature::of(latest_ticket(obs, i), next_step).rank();
            if rank == 0 {
                t.unticketed = t.unticketed.or(Some(i));
            } else if rank > best {
                best = rank;
                t.ticketed = Some(i);
            }
        }
        t
    }

    /// The node to file a ticket on: the unticketed compromise, else the next suspect (a
    /// ticket filed before investigating).
    pub fn to_ticket(&self) -> Option<usize> {
        self.unticketed.or(self.suspect)
    }

    /// The node isolate and patch act on: the ticketed compromise, else the unticketed one,
    /// else the next suspect (acting before a ticket, or before investigating).
    pub fn to_contain(&self) -> Option<usize> {
        self.ticketed.or(self.unticketed).or(self.suspect)
    }
}

/// The features of one moment of an episode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// `suspect` (see the module docs for every feature).
    pub suspect: bool,
    /// `unticketed`.
    pub unticketed: bool,
    /// `ticket`.
    pub ticket: TicketFeature,
    /// `isolation_ok`.
    pub isolation_ok: bool,
    /// `patchable`.
    pub patchable: bool,
    /// 0: 1-2 steps left, 1: 3-4, 2: 5 or more.
    pub steps_left: u8,
}

/// The latest ticket filed on service `i`.
pub fn latest_ticket(obs: &Observation, i: usize) -> Option<&TicketView> {
    let id = &obs.services.get(i)?.id;
    obs.tickets.iter().rev().find(|t| t.node == *id)
}

impl Features {
    /// Reads the features; `targets` is [`Targets::find`]'s answer for the same observation.
    pub fn read(
        scenario: &Scenario,
        casefile: &Casefile,
        obs: &Observation,
        targets: &Targets,
    ) -> Features {
        let left = obs.max_steps.saturating_sub(obs.step);
        let steps_left = match left {
            0..=2 => 0,
            3..=4 => 1,
            _ => 2,
        };
        let ticket = targets.ticketed.map_or(TicketFeature::None, |i| {
            TicketFeature::of(latest_ticket(obs, i), obs.step + 1)
        });
        let mut f = Features {
            suspect: targets.suspect.is_some(),
            unticketed: targets.unticketed.is_some(),
            ticket,
            isolation_ok: false,
            patchable: false,
            steps_left,
        };
        // The containment choice is made when filing, so describe the node to file on first.
        if let Some(i) = targets.unticketed.or(targets.ticketed) {
            let notes = casefile.notes(i);
            f.isolation_ok = !scenario.services()[i].protected
                && Casefile::isolation_keeps_uptime(scenario, obs, i);
            f.patchable = !notes.cves.is_empty() && !notes.lateral;
        }
        f
    }

    /// Each feature's value index, in the order of [`FEATURES`].
    pub fn values(&self) -> [usize; 6] {
        [
            usize::from(self.suspect),
            usize::from(self.unticketed),
            self.ticket.index(),
            usize::from(self.isolation_ok),
            usize::from(self.patchable),
            usize::from(self.steps_left),
        ]
    }

    /// The state index in `0..STATES` (mixed radix, first feature most significant).
    pub fn state(&self) -> usize {
        adapter::state_of(&FEATURES, &self.values())
    }

    /// The features of a state index (the inverse of [`Features::state`]).
    pub fn from_state(state: usize) -> Features {
        let v = adapter::values_of(&FEATURES, state);
        Features {
            suspect: v[0] == 1,
            unticketed: v[1] == 1,
            ticket: TicketFeature::from_index(v[2]),
            isolation_ok: v[3] == 1,
            patchable: v[4] == 1,
            steps_left: v[5] as u8,
        }
    }

    /// `name=value` for each feature, e.g. `suspect=no unticketed=yes ticket=none ...`.
    pub fn describe(&self) -> String {
        adapter::labels(&FEATURES, self.state())
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_index_round_trips_and_sizes_agree() {
        let product: usize = FEATURES.iter().map(|f| f.values.len()).product();
        assert_eq!(product, STATES);
        let sum: usize = FEATURES.iter().map(|f| f.values.len()).sum();
        assert_eq!(sum + 1, VECTOR_LEN);
        for s in 0..STATES {
            let f = Features::from_state(s);
            assert_eq!(f.state(), s, "{}", f.describe());
            let x = adapter::vector(&FEATURES, s);
            assert_eq!(x.len(), VECTOR_LEN);
            assert_eq!(x.iter().filter(|v| **v == 1.0).count(), FEATURES.len() + 1);
        }
    }
}
