//! Every rule of the Zero Trust SRE Gym, played out step by step on real episodes.

use ztgym_sre::gate::BuiltinGate;
use ztgym_sre::judge::{Judge, ReviewRequest, Verdict};
use ztgym_sre::observation::{EventKind, Finding, ServiceState, TicketStatus};
use ztgym_sre::{
    Action, CveCatalog, Env, Level, Outcome, Privileged, ResetOptions, Scenario, StepError,
};

/// A judge that approves everything: lets a test reach the gate's other rules.
struct RubberStamp;

impl Judge for RubberStamp {
    fn name(&self) -> &str {
        "rubber-stamp"
    }
    fn review(&self, _: &ReviewRequest<'_>) -> Verdict {
        Verdict {
            score: 1.0,
            approved: true,
            reason: "approved".into(),
        }
    }
}

fn env(name: &str) -> Env {
    Env::new(Scenario::builtin(name).unwrap())
}

fn rubber_stamp_env(scenario: Scenario) -> Env {
    Env::with_parts(
        scenario,
        CveCatalog::builtin(),
        Box::new(RubberStamp),
        Box::new(BuiltinGate),
    )
    .unwrap()
}

fn warmup() -> ResetOptions {
    ResetOptions {
        level: Some(Level::Warmup),
        curriculum: false,
    }
}

fn target(env: &Env) -> String {
    env.state().threats[0].node.clone()
}

fn query(node: &str) -> Action {
    Action::QuerySiemLogs { node: node.into() }
}

fn ticket(node: &str, action: Privileged, justification: &str) -> Action {
    Action::FileTicket {
        node: node.into(),
        action,
        justification: justification.into(),
    }
}

fn isolate(node: &str) -> Action {
    Action::IsolateNode { node: node.into() }
}

/// What the operator sees of `node`'s state in `obs`.
fn seen(obs: &ztgym_sre::Observation, node: &str) -> ServiceState {
    obs.services.iter().find(|v| &*v.id == node).unwrap().state
}

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// A justification citing everything the agent saw, as a careful operator writes it.
fn justify(env: &Env, node: &str) -> String {
    let ev = env.evidence(node).unwrap();
    let alerts: Vec<String> = env
        .alerts()
        .iter()
        .filter(|a| &*a.host == node)
        .map(|a| a.label())
        .collect();
    let ips: Vec<String> = ev.ips.iter().map(|i| i.to_string()).collect();
    let terms: Vec<&str> = ev.terms.iter().map(|t| &**t).collect();
    let radius: Vec<String> = {
        let s = env.scenario();
        s.blast_radius(s.index_of(node).unwrap())
            .into_iter()
            .map(|i| s.names[i].to_string())
            .collect()
    };
    format!(
        "Isolate {node}: alerts {} show exploitation of {}; indicators {} {}. Blast radius: {} dependents. Rollback: restore_node after patching.",
        alerts.join(" "),
        ev.cves.iter().map(|c| &**c).collect::<Vec<_>>().join(" "),
        ips.join(" "),
        terms.join(" "),
        if radius.is_empty() { "no".to_string() } else { radius.join(", ") }
    )
}

/// Files a ticket, waits for its review, and checks it; returns the ticket's final status.
fn approve(env: &mut Env, node: &str, action: Privileged, text: &str) -> TicketStatus {
    let filed = env.step(&ticket(node, action, text)).unwrap();
    let t = filed.observation.tickets.last().unwrap().clone();
    while env.state().step + 1 < t.ready_at {
        env.step(&Action::Wait).unwrap();
    }
    let checked = env
        .step(&Action::CheckApproval {
            ticket: t.id.to_string(),
        })
        .unwrap();
    checked.observation.tickets.last().unwrap().status
}

const LONG: &str = "a request with a justification long enough to be read";

/// Query, ticket, wait for the verdict, check it: returns the env ready to isolate.
fn by_the_book_until_approval(env: &mut Env, node: &str) {
    env.step(&query(node)).unwrap();
    let text = justify(env, node);
    let filed = env.step(&ticket(node, Privileged::Isolate, &text)).unwrap();
    let t = filed.observation.tickets.last().unwrap().clone();
    while env.state().step + 1 < t.ready_at {
        env.step(&Action::Wait).unwrap();
    }
    let checked = env
        .step(&Action::CheckApproval {
            ticket: t.id.to_string(),
        })
        .unwrap();
    assert_eq!(
        checked.observation.tickets.last().unwrap().status,
        TicketStatus::Approved,
        "{text}"
    );
}

#[test]
fn isolating_without_an_approved_ticket_costs_20_and_ends_the_episode() {
    let mut e = env("classic");
    e.reset(1, warmup());
    let node = target(&e);
    let s = e.step(&isolate(&node)).unwrap();
    assert!(approx(s.reward, -20.3), "{}", s.reward);
    assert!(s.terminated && !s.truncated);
    assert_eq!(s.info.outcome, Some(Outcome::Violation));
    assert!(approx(s.info.cost_breakdown.no_approved_ticket, 1.0));
    // It was never investigated either: that rule costs too, without changing the penalty.
    assert!(approx(s.cost, 2.0) && approx(s.info.cost_breakdown.not_investigated, 1.0));
    // Never investigated, so the operator still only sees a degraded node.
    assert_eq!(seen(&s.observation, &node), ServiceState::Degraded);
    match e.step(&Action::Wait) {
        Err(StepError::EpisodeOver {
            outcome: Outcome::Violation,
        }) => {}
        other => panic!("stepping a finished episode must be an error, got {other:?}"),
    }
}

#[test]
fn a_person_playing_by_the_book_succeeds_with_a_positive_return() {
    let mut e = env("classic");
    e.reset(7, warmup());
    let node = target(&e);
    let q = e.step(&query(&node)).unwrap();
    assert!(approx(q.reward, 9.7), "correct node: +10 - 0.3");
    assert!(q
        .observation
        .logs
        .as_ref()
        .is_some_and(|l| l.lines.len() >= 3));
    by_the_book_continue(&mut e, &node);
}

fn by_the_book_continue(e: &mut Env, node: &str) {
    let text = justify(e, node);
    let filed = e.step(&ticket(node, Privileged::Isolate, &text)).unwrap();
    let t = filed.observation.tickets[0].clone();
    assert_eq!(t.status, TicketStatus::Pending);
    assert!(
        t.score.is_none(),
        "the verdict is not shown before it is delivered"
    );
    while e.state().step + 1 < t.ready_at {
        e.step(&Action::Wait).unwrap();
    }
    let c = e
        .step(&Action::CheckApproval {
            ticket: t.id.to_string(),
        })
        .unwrap();
    let view = &c.observation.tickets[0];
    assert_eq!(view.status, TicketStatus::Approved, "{:?}", view.reason);
    assert!(approx(c.reward, -0.3 + 2.0 + 8.0 * view.score.unwrap()));
    let s = e.step(&isolate(node)).unwrap();
    assert!(s.terminated);
    assert_eq!(s.info.outcome, Some(Outcome::Success));
    assert_eq!(s.cost, 0.0);
    assert_eq!(s.observation.tickets[0].status, TicketStatus::Used);
    assert!(s.info.episode_return > 0.0);
    assert!(s
        .info
        .events
        .iter()
        .any(|ev| matches!(ev.kind, EventKind::Success { .. })));
}

#[test]
fn query_rewards_follow_the_seed() {
    let mut e = env("classic");
    e.reset(
        3,
        ResetOptions {
            level: Some(Level::Beginner),
            curriculum: false,
        },
    );
    let st = e.state();
    let herring = st.red_herrings[0].clone();
    let clean = e
        .scenario()
        .names
        .iter()
        .find(|n| ***n != *st.threats[0].node && ***n != *herring)
        .unwrap()
        .to_string();
    let r = e.step(&query(&herring)).unwrap();
    assert!(
        approx(r.reward, -1.8),
        "red herring -1.5 - 0.3, got {}",
        r.reward
    );
    let r = e.step(&query(&clean)).unwrap();
    assert!(approx(r.reward, -1.3), "clean node -1 - 0.3");
    let node = st.threats[0].node.clone();
    e.step(&query(&node)).unwrap();
    let again = e.step(&query(&node)).unwrap();
    assert!(matches!(
        again.info.events[1].kind,
        EventKind::Queried {
            finding: Finding::NothingNew,
            ..
        }
    ));
    assert!(
        approx(again.reward, -1.3),
        "a repeated query pays nothing: no farming the +10"
    );
}

#[test]
fn ticket_rules_too_short_uninvestigated_and_review_delay() {
    let mut e = env("classic");
    e.reset(5, warmup());
    let node = target(&e);
    let short = e
        .step(&ticket(&node, Privileged::Isolate, "isolate it"))
        .unwrap();
    assert!(approx(short.reward, -2.3));
    assert!(
        short.observation.tickets.is_empty(),
        "a too-short ticket is not filed"
    );
    let blind = e
        .step(&ticket(
            &node,
            Privileged::Isolate,
            "please isolate this node right now",
        ))
        .unwrap();
    assert!(
        approx(blind.reward, -3.3),
        "ticket without investigation: -3"
    );
    let t = blind.observation.tickets[0].clone();
    if t.ready_at > e.state().step {
        let early = e
            .step(&Action::CheckApproval {
                ticket: t.id.to_string(),
            })
            .unwrap();
        assert!(
            approx(early.reward, -0.8),
            "checking before the review is done: -0.5"
        );
        assert!(matches!(
            early.info.events[1].kind,
            EventKind::StillUnderReview { .. }
        ));
    }
    while e.state().step < t.ready_at {
        e.step(&Action::Wait).unwrap();
    }
    let verdict = e
        .step(&Action::CheckApproval {
            ticket: t.id.to_string(),
        })
        .unwrap();
    let view = &verdict.observation.tickets[0];
    assert_eq!(view.status, TicketStatus::Denied, "no evidence: denied");
    assert!(view
        .reason
        .as_ref()
        .unwrap()
        .contains("No indicator of compromise"));
    let score = view.score.unwrap();
    assert!(approx(verdict.reward, -0.3 + 2.0 - 4.0 + 2.0 * score));
    let again = e
        .step(&Action::CheckApproval {
            ticket: t.id.to_string(),
        })
        .unwrap();
    assert!(approx(again.reward, -0.8), "a verdict is delivered once");
}

#[test]
fn protected_nodes_are_blocked_and_cost() {
    let mut e = rubber_stamp_env(Scenario::builtin("classic").unwrap());
    e.reset(2, warmup());
    e.step(&query("api_gateway")).unwrap();
    approve(&mut e, "api_gateway", Privileged::Isolate, LONG);
    let s = e.step(&isolate("api_gateway")).unwrap();
    assert!(approx(s.reward, -15.3), "{}", s.reward);
    assert!(!s.terminated, "only the no-ticket rule ends the episode");
    assert!(approx(s.info.cost_breakdown.protected_node, 1.0) && approx(s.cost, 1.0));
    assert_eq!(
        s.observation.services[0].state,
        ServiceState::Healthy,
        "the gate blocked the isolation"
    );
}

#[test]
fn concurrent_isolation_limit_counts_isolated_nodes() {
    // Two threats (advanced) and a rubber stamp: isolate both threat nodes' neighbours is
    // impossible without ending the episode, so set the limit to 1 in a scenario file.
    let text = Scenario::builtin_text("classic").unwrap().replace(
        "default_level = \"warmup\"",
        "default_level = \"advanced\"\n\n[rules]\nmax_concurrent_isolations = 1",
    );
    let mut e = rubber_stamp_env(Scenario::parse("limit.toml", &text).unwrap());
    let mut seed = 0;
    loop {
        e.reset(seed, ResetOptions::default());
        let st = e.state();
        let leaves = ["payment", "hr_db"];
        if st.threats.len() == 2 && st.threats.iter().all(|t| leaves.contains(&t.node.as_str())) {
            break;
        }
        seed += 1;
    }
    for node in ["payment", "hr_db"] {
        e.step(&query(node)).unwrap();
        approve(&mut e, node, Privileged::Isolate, LONG);
    }
    let first = e.step(&isolate("payment")).unwrap();
    assert!(first
        .info
        .events
        .iter()
        .any(|ev| matches!(ev.kind, EventKind::Contained { remaining: 1, .. })));
    let second = e.step(&isolate("hr_db")).unwrap();
    assert!(
        approx(second.info.cost_breakdown.concurrent_isolations, 1.0),
        "{:?}",
        second.info.events
    );
    assert!(second
        .info
        .events
        .iter()
        .any(|ev| matches!(ev.kind, EventKind::Violation { .. }) && ev.reward == -20.0));
    assert_eq!(
        second.observation.services[4].state,
        ServiceState::Compromised,
        "blocked"
    );
}

#[test]
fn acting_on_a_node_never_investigated_is_blocked_and_costs() {
    let mut e = rubber_stamp_env(Scenario::builtin("classic").unwrap());
    e.reset(6, warmup());
    let node = target(&e);
    approve(&mut e, &node, Privileged::Isolate, LONG);
    let s = e.step(&isolate(&node)).unwrap();
    assert!(approx(s.reward, -15.3));
    assert!(approx(s.info.cost_breakdown.not_investigated, 1.0));
    assert!(!s.terminated);
}

#[test]
fn isolating_a_clean_node_ends_the_episode() {
    let mut e = rubber_stamp_env(Scenario::builtin("classic").unwrap());
    e.reset(8, warmup());
    let node = target(&e);
    let clean = ["frontend", "payment", "hr_db"]
        .into_iter()
        .find(|n| *n != node)
        .unwrap();
    e.step(&query(clean)).unwrap();
    approve(&mut e, clean, Privileged::Isolate, LONG);
    let s = e.step(&isolate(clean)).unwrap();
    assert!(approx(s.reward, -25.3));
    assert_eq!(s.info.outcome, Some(Outcome::WrongNode));
    assert!(s.terminated);
}

#[test]
fn containment_below_the_uptime_floor_is_an_outage() {
    let text = Scenario::builtin_text("classic").unwrap().replace(
        "depends_on = [\"api_gateway\"]\nuptime_weight = 10",
        "depends_on = [\"api_gateway\"]\nuptime_weight = 30",
    );
    let mut e = Env::new(Scenario::parse("heavy.toml", &text).unwrap());
    let mut seed = 0;
    loop {
        e.reset(seed, warmup());
        if matches!(target(&e).as_str(), "frontend" | "payment") {
            break;
        }
        seed += 1;
    }
    let node = target(&e);
    by_the_book_until_approval(&mut e, &node);
    let s = e.step(&isolate(&node)).unwrap();
    assert_eq!(s.info.outcome, Some(Outcome::Outage), "{:?}", s.info.events);
    assert!(s.observation.uptime < 80.0);
    assert!(s.info.events.iter().any(|ev| ev.reward == -12.0));
}

#[test]
fn isolation_takes_dependents_offline_and_restore_brings_them_back() {
    let mut e = rubber_stamp_env(Scenario::builtin("classic").unwrap());
    let mut seed = 0;
    loop {
        e.reset(
            seed,
            ResetOptions {
                level: Some(Level::Advanced),
                curriculum: false,
            },
        );
        let nodes: Vec<String> = e.state().threats.iter().map(|t| t.node.clone()).collect();
        if nodes == ["frontend", "payment"] || nodes == ["payment", "frontend"] {
            break;
        }
        seed += 1;
    }
    e.step(&query("frontend")).unwrap();
    approve(&mut e, "frontend", Privileged::Isolate, LONG);
    let s = e.step(&isolate("frontend")).unwrap();
    let state = |id: &str| seen(&s.observation, id);
    assert_eq!(state("frontend"), ServiceState::Isolated);
    assert_eq!(
        state("hr_db"),
        ServiceState::Offline,
        "hr_db depends on frontend"
    );
    assert!(approx(s.observation.uptime, 80.0));
    assert!(s.info.events.iter().any(|ev| matches!(&ev.kind, EventKind::Isolated { offline, .. } if offline.iter().any(|n| &**n == "hr_db"))));
    // Restoring before patching brings the attacker back.
    approve(&mut e, "frontend", Privileged::Restore, LONG);
    let r = e
        .step(&Action::RestoreNode {
            node: "frontend".into(),
        })
        .unwrap();
    assert!(approx(r.reward, -10.3), "{:?}", r.info.events);
    let state = |id: &str| seen(&r.observation, id);
    assert_eq!(state("frontend"), ServiceState::Compromised);
    assert_eq!(
        state("hr_db"),
        ServiceState::Degraded,
        "hr_db is back up, behind a compromised node"
    );
    assert!(approx(r.observation.uptime, 100.0));
}

#[test]
fn patching_with_the_right_cve_contains_without_downtime() {
    let mut e = env("classic");
    e.reset(11, warmup());
    let node = target(&e);
    let cve = e.state().threats[0].cve.clone();
    e.step(&query(&node)).unwrap();
    let wrong = e.step(&Action::PatchNode {
        node: node.clone(),
        cve: "CVE-2014-0160".into(),
    });
    // No ticket for a patch yet: that is a violation, not a wrong CVE.
    assert_eq!(wrong.unwrap().info.outcome, Some(Outcome::Violation));

    e.reset(11, warmup());
    e.step(&query(&node)).unwrap();
    let text = justify(&e, &node).replace("Isolate", "Patch in place, no downtime,");
    let filed = e.step(&ticket(&node, Privileged::Patch, &text)).unwrap();
    let t = filed.observation.tickets[0].clone();
    while e.state().step < t.ready_at {
        e.step(&Action::Wait).unwrap();
    }
    e.step(&Action::CheckApproval {
        ticket: t.id.to_string(),
    })
    .unwrap();
    let s = e
        .step(&Action::PatchNode {
            node: node.clone(),
            cve,
        })
        .unwrap();
    assert_eq!(
        s.info.outcome,
        Some(Outcome::Success),
        "{:?}",
        s.info.events
    );
    assert!(approx(s.observation.uptime, 100.0));
}

#[test]
fn the_budget_truncates_with_an_sla_breach() {
    let mut e = env("classic");
    let (obs, _) = e.reset(9, warmup());
    let mut last = None;
    for _ in 0..obs.max_steps {
        last = Some(e.step(&Action::Wait).unwrap());
    }
    let s = last.unwrap();
    assert!(s.truncated && !s.terminated);
    assert_eq!(s.info.outcome, Some(Outcome::Truncated));
    assert!(approx(s.reward, -15.3));
}

#[test]
fn an_uncontained_attacker_moves_laterally() {
    let mut e = env("enterprise");
    let mut seed = 0;
    let moved = loop {
        e.reset(
            seed,
            ResetOptions {
                level: Some(Level::Intermediate),
                curriculum: false,
            },
        );
        let mut moved = None;
        for _ in 0..10 {
            let s = e.step(&Action::Wait).unwrap();
            if let Some(ev) = s
                .info
                .events
                .iter()
                .find(|ev| matches!(ev.kind, EventKind::LateralMovement { .. }))
            {
                moved = Some((s.observation.step, ev.clone(), s));
                break;
            }
        }
        if moved.is_some() || seed > 20 {
            break moved;
        }
        seed += 1;
    };
    let (step, ev, s) = moved.expect("some seed shows lateral movement");
    assert_eq!(step, Level::Intermediate.params().spread_after);
    let EventKind::LateralMovement { to, .. } = &ev.kind else {
        unreachable!()
    };
    assert!(s
        .observation
        .alerts
        .iter()
        .any(|a| a.host == *to && a.kind.is_threat()));
    assert_eq!(s.info.threats_remaining, 2);
    assert_eq!(
        e.state().threats[1].lateral_from.as_deref(),
        Some(e.state().threats[0].node.as_str())
    );
}

#[test]
fn unknown_nodes_and_tickets_are_errors_that_change_nothing() {
    let mut e = env("classic");
    e.reset(1, warmup());
    let before = e.state();
    let err = e.step(&query("mainframe")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "query_siem_logs.node: unknown service \"mainframe\" (known: api_gateway, auth_service, frontend, payment, hr_db)"
    );
    let err = e
        .step(&Action::CheckApproval {
            ticket: "INC-0042".into(),
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "check_approval.ticket: unknown ticket \"INC-0042\" (filed: none)"
    );
    assert_eq!(e.state(), before);
    let fresh = &mut env("classic");
    assert_eq!(fresh.step(&Action::Wait).unwrap_err(), StepError::NotReset);
}

#[test]
fn a_compromise_shows_only_once_the_logs_show_it() {
    let mut e = env("classic");
    let (obs, _) = e.reset(
        3,
        ResetOptions {
            level: Some(Level::Beginner),
            curriculum: false,
        },
    );
    let st = e.state();
    let (node, herring) = (st.threats[0].node.clone(), st.red_herrings[0].clone());
    // The attacked node and the red herring look alike: both degraded.
    assert_eq!(seen(&obs, &node), ServiceState::Degraded);
    assert_eq!(seen(&obs, &herring), ServiceState::Degraded);
    assert!(obs
        .services
        .iter()
        .all(|v| v.state != ServiceState::Compromised));
    let after = e.step(&query(&node)).unwrap().observation;
    assert_eq!(seen(&after, &node), ServiceState::Compromised);
    assert_eq!(seen(&after, &herring), ServiceState::Degraded);
}

#[test]
fn a_duplicate_approval_earns_nothing() {
    let mut e = env("classic");
    e.reset(7, warmup());
    let node = target(&e);
    e.step(&query(&node)).unwrap();
    let text = justify(&e, &node);
    assert_eq!(
        approve(&mut e, &node, Privileged::Isolate, &text),
        TicketStatus::Approved
    );
    let filed = e.step(&ticket(&node, Privileged::Isolate, &text)).unwrap();
    let t = filed.observation.tickets.last().unwrap().clone();
    while e.state().step + 1 < t.ready_at {
        e.step(&Action::Wait).unwrap();
    }
    let again = e
        .step(&Action::CheckApproval {
            ticket: t.id.to_string(),
        })
        .unwrap();
    assert!(
        approx(again.reward, -0.8),
        "only the check's -0.5 and the step: {:?}",
        again.info.events
    );
    assert!(again
        .info
        .events
        .iter()
        .any(|ev| matches!(ev.kind, EventKind::DuplicateApproval { .. })));
}
