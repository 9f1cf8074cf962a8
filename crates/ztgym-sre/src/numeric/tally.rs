//! What an observation's alerts and tickets say of each node, for the numeric observation:
//! one pass over each (a node's block would otherwise scan them all again).

use crate::action::Privileged;
use crate::observation::{Observation, ServiceState, TicketStatus, TicketView};
use crate::siem::{AlertKind, Severity};
use std::sync::Arc;

/// The most nodes tallied: the numeric observation's node blocks (`numeric::MAX_NODES`).
pub(super) const NODES: usize = 16;

/// The tallies of one observation, by node index (nodes past [`NODES`] are left out).
pub(super) struct Tally<'a> {
    /// Services isolated now.
    pub(super) isolated: usize,
    pub(super) alerts: [AlertTally; NODES],
    pub(super) tickets: [TicketTally<'a>; NODES],
}

/// The open alerts on one node.
#[derive(Clone, Copy, Default)]
pub(super) struct AlertTally {
    pub(super) count: usize,
    /// Medium or above, as the case file counts them.
    pub(super) serious: usize,
    pub(super) severity: Option<Severity>,
    pub(super) cvss: f64,
    pub(super) threat: bool,
    pub(super) exploit: bool,
    pub(super) lateral: bool,
    pub(super) suspicious: bool,
    pub(super) routine: bool,
}

/// The tickets filed on one node.
#[derive(Clone, Copy, Default)]
pub(super) struct TicketTally<'a> {
    pub(super) count: usize,
    pub(super) latest: Option<&'a TicketView>,
    pub(super) approved_isolate: bool,
    pub(super) approved_patch: bool,
}

impl<'a> Tally<'a> {
    /// Counts what `obs` shows.
    pub(super) fn of(obs: &'a Observation) -> Tally<'a> {
        let mut t = Tally {
            isolated: obs
                .services
                .iter()
                .filter(|s| s.state == ServiceState::Isolated)
                .count(),
            alerts: [AlertTally::default(); NODES],
            tickets: [TicketTally::default(); NODES],
        };
        for a in &obs.alerts {
            let Some(n) = node_of(obs, &a.host).and_then(|i| t.alerts.get_mut(i)) else {
                continue;
            };
            n.count += 1;
            n.serious += usize::from(a.severity >= Severity::Medium);
            n.severity = n.severity.max(Some(a.severity));
            if let Some(cve) = &a.cve {
                n.cvss = n.cvss.max(cve.cvss);
            }
            n.threat |= a.kind.is_threat();
            match a.kind {
                AlertKind::Exploit => n.exploit = true,
                AlertKind::LateralMovement { .. } => n.lateral = true,
                AlertKind::ScannerSweep | AlertKind::FailedLoginBurst | AlertKind::BlockedProbe => {
                    n.suspicious = true
                }
                AlertKind::ConfigReload | AlertKind::CertificateRenewed | AlertKind::BackupSlow => {
                    n.routine = true
                }
            }
        }
        for ticket in &obs.tickets {
            let Some(n) = node_of(obs, &ticket.node).and_then(|i| t.tickets.get_mut(i)) else {
                continue;
            };
            n.count += 1;
            n.latest = Some(ticket);
            if ticket.status == TicketStatus::Approved {
                match ticket.action {
                    Privileged::Patch => n.approved_patch = true,
                    _ => n.approved_isolate = true,
                }
            }
        }
        t
    }
}

/// The index of the service named `id` (the simulator shares its names, so a pointer
/// comparison finds it first).
fn node_of(obs: &Observation, id: &Arc<str>) -> Option<usize> {
    let services = &obs.services;
    services
        .iter()
        .position(|s| Arc::ptr_eq(&s.id, id))
        .or_else(|| services.iter().position(|s| s.id == *id))
}
