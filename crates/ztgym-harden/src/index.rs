//! The twin's resources by name, and the critical flows by the resource they name. Built once
//! for a twin's layout (changes and drift never add, remove, rename or reorder a resource), so
//! a forecast finds what a change touches, and the only flows it can break, without searching
//! the twin: its cost does not grow with the twin's size.

use crate::compliance::Control;
use crate::flow::Flow;
use crate::identity::Principal;
use crate::network::Service;
use crate::pipeline::Pipeline;
use crate::tenant::Tenant;
use crate::twin::{Kind, Twin};
use crate::waf::WafRule;
use crate::workload::Workload;
use std::collections::HashMap;

/// Each resource's position by name, and the flows naming each resource.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Per kind: each name's first position (where a search from the start finds it).
    positions: [HashMap<String, usize>; 7],
    /// Per kind: the positions of the flows naming each resource, in flow order.
    flows: [HashMap<String, Vec<usize>>; 7],
}

impl Index {
    pub fn new(twin: &Twin, flows: &[Flow]) -> Index {
        let mut at = Index::default();
        let mut fill = |kind: Kind, names: &mut dyn Iterator<Item = &String>| {
            let map = &mut at.positions[kind as usize];
            for (i, name) in names.enumerate() {
                map.entry(name.clone()).or_insert(i);
            }
        };
        fill(Kind::Service, &mut twin.services.iter().map(|s| &s.name));
        fill(
            Kind::Principal,
            &mut twin.principals.iter().map(|p| &p.name),
        );
        fill(Kind::Workload, &mut twin.workloads.iter().map(|w| &w.name));
        fill(Kind::Route, &mut twin.waf.iter().map(|r| &r.route));
        fill(Kind::Pipeline, &mut twin.pipelines.iter().map(|p| &p.name));
        fill(Kind::Tenant, &mut twin.tenants.iter().map(|t| &t.name));
        fill(Kind::Control, &mut twin.controls.iter().map(|c| &c.name));
        for (i, f) in flows.iter().enumerate() {
            for (kind, name) in f.targets() {
                at.flows[kind as usize]
                    .entry(name.to_string())
                    .or_default()
                    .push(i);
            }
        }
        at
    }

    /// Where resource `name` of `kind` is.
    pub fn position(&self, kind: Kind, name: &str) -> Option<usize> {
        self.positions[kind as usize].get(name).copied()
    }

    /// The flows naming resource `name` of `kind`, in flow order.
    pub fn flows_on(&self, kind: Kind, name: &str) -> &[usize] {
        self.flows[kind as usize]
            .get(name)
            .map_or(&[], Vec::as_slice)
    }

    pub fn service<'t>(&self, twin: &'t Twin, name: &str) -> Option<&'t Service> {
        self.position(Kind::Service, name)
            .map(|i| &twin.services[i])
    }

    pub fn principal<'t>(&self, twin: &'t Twin, name: &str) -> Option<&'t Principal> {
        self.position(Kind::Principal, name)
            .map(|i| &twin.principals[i])
    }

    pub fn workload<'t>(&self, twin: &'t Twin, name: &str) -> Option<&'t Workload> {
        self.position(Kind::Workload, name)
            .map(|i| &twin.workloads[i])
    }

    pub fn waf_rule<'t>(&self, twin: &'t Twin, route: &str) -> Option<&'t WafRule> {
        self.position(Kind::Route, route).map(|i| &twin.waf[i])
    }

    pub fn pipeline<'t>(&self, twin: &'t Twin, name: &str) -> Option<&'t Pipeline> {
        self.position(Kind::Pipeline, name)
            .map(|i| &twin.pipelines[i])
    }

    pub fn tenant<'t>(&self, twin: &'t Twin, name: &str) -> Option<&'t Tenant> {
        self.position(Kind::Tenant, name).map(|i| &twin.tenants[i])
    }

    pub fn control<'t>(&self, twin: &'t Twin, name: &str) -> Option<&'t Control> {
        self.position(Kind::Control, name)
            .map(|i| &twin.controls[i])
    }
}
