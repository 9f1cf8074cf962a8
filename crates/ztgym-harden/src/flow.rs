//! The critical flows a change is checked against, and the address ranges they name.

use crate::twin::Kind;
use serde::{Deserialize, Serialize};

/// A critical flow the twin checks a change against: a service reachable from an address,
/// a principal holding a permission, or both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub name: String,
    /// The service the flow calls (it must exist and not be quarantined).
    #[serde(default)]
    pub service: Option<String>,
    /// The address (or range) the calls come from: one of the service's CIDRs must hold it.
    #[serde(default)]
    pub from: Option<String>,
    /// The principal the flow runs as ...
    #[serde(default)]
    pub principal: Option<String>,
    /// ... and the permission it needs (`*:*` grants it too).
    #[serde(default)]
    pub permission: Option<String>,
    /// A workload whose pods must be ready (use case 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    /// A route whose WAF rule must stay within its SLOs (use case 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// A pipeline whose build must succeed (use case 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<String>,
    /// A tenant whose workflows must keep working (use case 9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// A controlled resource whose clients must keep working (use case 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
}

/// An IPv4 range as (network, prefix length); an address is a /32.
pub fn parse_cidr(text: &str) -> Option<(u32, u32)> {
    let (addr, len) = match text.split_once('/') {
        Some((a, l)) => (a, l.parse().ok()?),
        None => (text, 32),
    };
    if len > 32 {
        return None;
    }
    let mut ip = 0u32;
    let mut parts = 0;
    for p in addr.split('.') {
        ip = ip
            .checked_mul(256)?
            .checked_add(p.parse::<u8>().ok()?.into())?;
        parts += 1;
    }
    (parts == 4).then_some((ip, len))
}

/// Whether range `outer` holds all of `inner`.
pub fn cidr_holds(outer: &str, inner: &str) -> bool {
    match (parse_cidr(outer), parse_cidr(inner)) {
        (Some((o, ol)), Some((i, il))) => {
            let mask = if ol == 0 { 0 } else { u32::MAX << (32 - ol) };
            ol <= il && (o & mask) == (i & mask)
        }
        _ => false,
    }
}

impl Flow {
    /// The resources the flow names, each with its kind.
    pub fn targets(&self) -> impl Iterator<Item = (Kind, &str)> {
        [
            (Kind::Service, &self.service),
            (Kind::Principal, &self.principal),
            (Kind::Workload, &self.workload),
            (Kind::Route, &self.route),
            (Kind::Pipeline, &self.pipeline),
            (Kind::Tenant, &self.tenant),
            (Kind::Control, &self.control),
        ]
        .into_iter()
        .filter_map(|(kind, name)| name.as_deref().map(|n| (kind, n)))
    }
}
