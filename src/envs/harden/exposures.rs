//! The twin's resources as a person reads them: one card per service, principal, workload,
//! WAF rule, pipeline, tenant and controlled resource, each with chips coloured by how exposed
//! it is (public 0.0.0.0/0, open ports, `*:*`, no MFA, privileged pods ...). Plain Rust,
//! tested natively; `picture.rs` draws the cards.

use ztgym::harden::compliance::TLS_BASELINE;
use ztgym::harden::twin::{Twin, ANYWHERE, WILDCARD};

/// How a chip is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Hardened.
    Ok,
    /// Worth a change.
    Warn,
    /// An exposure.
    Bad,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Bad => "bad",
        }
    }
}

/// One fact about a resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Chip {
    pub text: String,
    pub level: Level,
}

fn chip(text: impl Into<String>, level: Level) -> Chip {
    Chip {
        text: text.into(),
        level,
    }
}

/// `ok` when `good`, else `bad_level`.
fn flag(good: bool, ok: &str, bad: &str, bad_level: Level) -> Chip {
    if good {
        chip(ok, Level::Ok)
    } else {
        chip(bad, bad_level)
    }
}

/// One resource of the twin.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub name: String,
    pub chips: Vec<Chip>,
    /// Not working now (a change broke it: pods not ready, a build failing ...).
    pub down: Option<&'static str>,
}

impl Card {
    /// The worst level of its chips.
    pub fn worst(&self) -> Level {
        let levels = self.chips.iter().map(|c| c.level);
        if self.down.is_some() || levels.clone().any(|l| l == Level::Bad) {
            Level::Bad
        } else if levels.clone().any(|l| l == Level::Warn) {
            Level::Warn
        } else {
            Level::Ok
        }
    }
}

/// A kind of resource and its cards.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub title: &'static str,
    pub cards: Vec<Card>,
}

/// The twin's resources, kind by kind (the kinds it has).
pub fn groups(twin: &Twin) -> Vec<Group> {
    let mut out = Vec::new();
    let mut push = |title, cards: Vec<Card>| {
        if !cards.is_empty() {
            out.push(Group { title, cards });
        }
    };
    push(
        "Services",
        twin.services
            .iter()
            .map(|s| {
                let public = s.cidrs.iter().any(|c| c == ANYWHERE);
                let mut chips: Vec<Chip> = s
                    .ports
                    .iter()
                    .map(|p| {
                        chip(
                            format!("port {p}"),
                            if public { Level::Warn } else { Level::Ok },
                        )
                    })
                    .collect();
                chips.extend(s.cidrs.iter().map(|c| {
                    if c == ANYWHERE {
                        chip(format!("{c} public"), Level::Bad)
                    } else {
                        chip(c.clone(), Level::Ok)
                    }
                }));
                chips.push(flag(s.segmented, "segmented", "not segmented", Level::Warn));
                if s.quarantined {
                    chips.push(chip("quarantined", Level::Warn));
                }
                Card {
                    name: s.name.clone(),
                    chips,
                    down: None,
                }
            })
            .collect(),
    );
    push(
        "Principals",
        twin.principals
            .iter()
            .map(|p| {
                let mut chips: Vec<Chip> = p
                    .permissions
                    .iter()
                    .map(|x| {
                        if x == WILDCARD {
                            chip(format!("{x} admin"), Level::Bad)
                        } else {
                            chip(x.clone(), Level::Ok)
                        }
                    })
                    .collect();
                chips.push(flag(p.mfa, "MFA", "no MFA", Level::Bad));
                chips.push(chip(
                    format!("token {} min", p.ttl_mins),
                    if p.ttl_mins > 60 {
                        Level::Warn
                    } else {
                        Level::Ok
                    },
                ));
                Card {
                    name: p.name.clone(),
                    chips,
                    down: None,
                }
            })
            .collect(),
    );
    push(
        "Workloads",
        twin.workloads
            .iter()
            .map(|w| {
                let mut chips = vec![
                    flag(!w.privileged, "unprivileged", "privileged", Level::Bad),
                    flag(!w.host_network, "own network", "host network", Level::Warn),
                    flag(!w.host_path, "no host path", "host path", Level::Warn),
                ];
                chips.extend(
                    w.capabilities
                        .iter()
                        .map(|c| chip(format!("+{c}"), Level::Warn)),
                );
                chips.push(flag(w.limits, "limits", "no limits", Level::Warn));
                Card {
                    name: format!("{}/{}", w.namespace, w.name),
                    chips,
                    down: (!w.ready).then_some("pods not ready"),
                }
            })
            .collect(),
    );
    push(
        "WAF rules",
        twin.waf
            .iter()
            .map(|r| {
                let chips = vec![
                    chip(format!("{} tier", r.tier), Level::Ok),
                    chip(
                        format!("strictness {}/3", r.strictness),
                        if r.strictness == 0 {
                            Level::Warn
                        } else {
                            Level::Ok
                        },
                    ),
                    flag(r.rate_limited, "rate limited", "no rate limit", Level::Warn),
                    flag(
                        r.pattern_blocked,
                        "pattern blocked",
                        "pattern open",
                        Level::Warn,
                    ),
                    chip(
                        format!("attack {:.0}/10", r.attack),
                        if r.attack >= 5.0 {
                            Level::Bad
                        } else if r.attack > 0.0 {
                            Level::Warn
                        } else {
                            Level::Ok
                        },
                    ),
                ];
                Card {
                    name: format!("{} ({})", r.route, r.service),
                    chips,
                    down: (!r.serving).then_some("out of its SLOs"),
                }
            })
            .collect(),
    );
    push(
        "Pipelines",
        twin.pipelines
            .iter()
            .map(|p| Card {
                name: p.name.clone(),
                chips: vec![
                    flag(p.signed, "signed", "unsigned", Level::Bad),
                    flag(p.pinned, "pinned", "floating deps", Level::Warn),
                    flag(
                        !p.privileged_runner,
                        "scoped runner",
                        "privileged runner",
                        Level::Bad,
                    ),
                    chip(
                        format!("secrets {} d old", p.secrets_age_days),
                        if p.secrets_age_days > 90 {
                            Level::Warn
                        } else {
                            Level::Ok
                        },
                    ),
                    flag(p.scanning, "secret scanning", "no scanning", Level::Warn),
                ],
                down: (!p.builds).then_some("build failing"),
            })
            .collect(),
    );
    push(
        "Tenants",
        twin.tenants
            .iter()
            .map(|t| {
                let mut chips = vec![
                    flag(
                        t.network_isolated,
                        "network isolated",
                        "flat network",
                        Level::Bad,
                    ),
                    flag(
                        t.identity_scoped,
                        "identity scoped",
                        "broad identity",
                        Level::Bad,
                    ),
                ];
                chips.extend(
                    t.shared
                        .iter()
                        .map(|s| chip(format!("shares {s}"), Level::Warn)),
                );
                if t.cross_tenant_attempts > 0.0 {
                    chips.push(chip(
                        format!("{:.0} cross-tenant attempts", t.cross_tenant_attempts),
                        Level::Warn,
                    ));
                }
                Card {
                    name: t.name.clone(),
                    chips,
                    down: (!t.working).then_some("workflows failing"),
                }
            })
            .collect(),
    );
    push(
        "Controlled resources",
        twin.controls
            .iter()
            .map(|c| Card {
                name: c.name.clone(),
                chips: vec![
                    flag(
                        c.encrypted,
                        "encrypted at rest",
                        "plaintext at rest",
                        Level::Bad,
                    ),
                    chip(
                        format!("TLS 1.{} minimum", c.tls_min),
                        if c.tls_min < TLS_BASELINE {
                            Level::Warn
                        } else {
                            Level::Ok
                        },
                    ),
                    flag(c.logging, "logging", "no logging", Level::Warn),
                    flag(c.baseline, "baseline", "off baseline", Level::Warn),
                ],
                down: (!c.compatible).then_some("clients broken"),
            })
            .collect(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ztgym::harden::Scenario;

    #[test]
    fn seed_001s_twin_shows_its_exposures() {
        let s = Scenario::load("seed001").unwrap();
        let g = groups(&s.twin);
        assert_eq!(
            g.iter().map(|g| g.title).collect::<Vec<_>>(),
            ["Services", "Principals"]
        );
        let checkout = g[0]
            .cards
            .iter()
            .find(|c| c.name == "checkout-api")
            .unwrap();
        assert!(checkout
            .chips
            .contains(&chip("0.0.0.0/0 public", Level::Bad)));
        assert_eq!(checkout.worst(), Level::Bad);
        let app = g[1].cards.iter().find(|c| c.name == "app-role").unwrap();
        assert!(app.chips.contains(&chip("*:* admin", Level::Bad)));
        assert!(app.chips.contains(&chip("no MFA", Level::Bad)));
    }

    #[test]
    fn every_scenario_shows_its_own_resources() {
        let kinds = [
            ("uc02-pod-security", "Workloads"),
            ("uc04-waf-tuning", "WAF rules"),
            ("uc07-supply-chain", "Pipelines"),
            ("uc09-tenant-isolation", "Tenants"),
            ("uc06-compliance", "Controlled resources"),
        ];
        for (name, title) in kinds {
            let s = Scenario::load(name).unwrap();
            let g = groups(&s.twin);
            let group = g.iter().find(|g| g.title == title);
            assert!(
                group.is_some_and(|g| !g.cards.is_empty()),
                "{name}: {title}"
            );
        }
    }
}
