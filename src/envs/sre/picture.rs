//! The service dependency graph, the stage's picture: each service a node coloured by its state,
//! protected ones marked, dependencies drawn as arrows from a service to the ones that depend
//! on it. On the nodes: the gate's answer to the step on screen (a broken rule flashes on its
//! node), each ticket's life (filed, pending, approved, used), and, when a policy is loaded,
//! the action it picks next as a badge on the node it targets. Click or press Enter on a node
//! to target it.

use leptos::prelude::*;
use ztgym::observation::ServiceState;
use ztgym::policy::Inspection;
use ztgym::Action;

use super::desk::use_gym;
use super::layout::{layout, LABEL_DY, NODE_R as R};
use super::story::{gate_mark, ticket_stage, GateMark};
use crate::shell::panel::Panel;

/// The node the policy's next action acts on, and that action's short name.
fn policy_badge(i: &Inspection, tickets: &[(String, String)]) -> Option<(String, String)> {
    let node = match &i.action {
        Action::CheckApproval { ticket } => tickets
            .iter()
            .find(|(id, _)| id == ticket)
            .map(|(_, node)| node.clone())?,
        a => a.node()?.to_string(),
    };
    Some((node, i.actions[i.chosen].to_string()))
}

#[component]
pub fn ServiceGraphPanel(
    /// What the loaded policy would do on the step on screen.
    inspection: Memo<Option<Inspection>>,
) -> impl IntoView {
    let gym = use_gym();
    let focused = RwSignal::new(None::<usize>);
    let legend_open = !window()
        .match_media("(max-width: 900px)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    // The gate's answer to the step on screen, on the node it acted on.
    let gate = Memo::new(move |_| {
        let replay = gym.player.replay.get();
        gym.read(|s| gate_mark(s, replay))
    });
    // Each node's tickets, as (id, stage) pairs.
    let tickets = Memo::new(move |_| {
        gym.shown(|o| {
            o.tickets
                .iter()
                .map(|t| {
                    (
                        t.node.to_string(),
                        t.id.to_string(),
                        ticket_stage(o, t.status, t.filed_at).to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let badge = Memo::new(move |_| {
        let ids: Vec<(String, String)> = tickets.with(|t| {
            t.iter()
                .map(|(node, id, _)| (id.clone(), node.clone()))
                .collect()
        });
        inspection.with(|i| i.as_ref().and_then(|i| policy_badge(i, &ids)))
    });
    let graph = move || {
        gym.scenario_version.track();
        let (geometry, names, tags, protected) = gym.peek(|s| {
            let sc = s.scenario();
            let tags: Vec<String> = sc.services().iter().map(|x| x.tags.join(", ")).collect();
            let protected: Vec<bool> = sc.services().iter().map(|x| x.protected).collect();
            (
                layout(sc),
                sc.names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
                tags,
                protected,
            )
        });
        let state_of = move |i: usize| {
            gym.shown(|o| o.services.get(i).map_or(ServiceState::Healthy, |v| v.state))
        };
        let edges = (0..geometry.edges.len())
            .map(|e| {
                let down = geometry.edges[e].1;
                let points = geometry
                    .route(e)
                    .iter()
                    .map(|(x, y)| format!("{x:.1},{y:.1}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                view! {
                    <polyline
                        class="edge"
                        class:edge-down=move || state_of(down).is_down()
                        points=points
                        marker-end="url(#arrow)"
                    />
                }
            })
            .collect_view();
        let nodes = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let (x, y) = geometry.positions[i];
                let id = name.clone();
                let id_click = name.clone();
                let id_key = name.clone();
                let id_gate = name.clone();
                let selected = move || gym.target.get().as_deref() == Some(id.as_str());
                view! {
                    <g
                        class="node"
                        class:selected=selected
                        class:gate-broke=move || gate.with(|g| matches!(g, Some((n, GateMark::Broke(_))) if *n == id_gate))
                        role="button"
                        tabindex="0"
                        aria-label=name.clone()
                        data-state=move || state_of(i).as_str()
                        data-protected=if protected[i] { "true" } else { "false" }
                        transform=format!("translate({x},{y})")
                        on:click=move |_| gym.target.set(Some(id_click.clone()))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                gym.target.set(Some(id_key.clone()));
                            }
                        }
                        on:mouseenter=move |_| focused.set(Some(i))
                        on:mouseleave=move |_| focused.set(None)
                        on:focus=move |_| focused.set(Some(i))
                        on:blur=move |_| focused.set(None)
                    >
                        <title>{format!("{name} ({})", tags[i])}</title>
                        <circle class="node-focus" r=R + 10.0 />
                        <circle class="node-ring" r=R + 5.0 />
                        <circle class="node-body" r=R />
                        {protected[i]
                            .then(|| {
                                view! {
                                    // A small padlock: the protected mark, drawn so it needs no emoji font.
                                    <g class="node-lock" aria-hidden="true">
                                        <path d="M -5 -2 v -4 a 5 5 0 0 1 10 0 v 4" />
                                        <rect x="-7" y="-2" width="14" height="10" rx="2" />
                                    </g>
                                }
                            })}
                        <text class="node-label" y=LABEL_DY>{name.clone()}</text>
                        <NodeMarks id=name.clone() gate=gate tickets=tickets badge=badge />
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg
                class="graph"
                viewBox=format!("0 0 {} {}", geometry.width, geometry.height)
                role="group"
                aria-label="Service dependency graph"
            >
                <defs>
                    <marker
                        id="arrow"
                        viewBox="0 0 10 10"
                        refX="9"
                        refY="5"
                        markerWidth="7"
                        markerHeight="7"
                        orient="auto-start-reverse"
                    >
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                    </marker>
                </defs>
                {edges}
                {nodes}
            </svg>
        }
    };
    let details = move || {
        let i = focused.get()?;
        gym.shown(|o| {
            let v = o.services.get(i)?;
            let (tier, tags) = gym.peek(|s| {
                let svc = &s.scenario().services()[i];
                (svc.tier.clone(), svc.tags.join(", "))
            });
            let tickets: Vec<String> = o
                .tickets
                .iter()
                .filter(|t| t.node == v.id)
                .map(|t| format!("{} {} ({:?})", t.id, t.action.as_str(), t.status).to_lowercase())
                .collect();
            Some(view! {
                <span class="node-details">
                    <strong>{v.id.to_string()}</strong>
                    {format!(
                        " · {} · tier {} · tech {}{} · tickets: {}",
                        v.state.as_str(),
                        if tier.is_empty() { "–".to_string() } else { tier },
                        tags,
                        if v.protected { " · protected" } else { "" },
                        if tickets.is_empty() { "none".to_string() } else { tickets.join(", ") },
                    )}
                </span>
            })
        })
    };
    view! {
        <Panel id="service-graph" title="Service graph" class="panel-graph">
            {graph}
            // Open on a wide screen; folded on a narrow one, where the picture needs the room.
            <details class="legend-box" prop:open=legend_open>
                <summary>"Legend"</summary>
                <ul class="legend" aria-label="Legend">
                    {["healthy", "degraded", "compromised", "isolated", "offline"]
                        .map(|s| view! { <li><span class=format!("swatch swatch-{s}")></span>{s}</li> })
                        .collect_view()}
                    <li>"dashed, padlock: protected"</li>
                    <li>"A → B: B depends on A (A down, B offline)"</li>
                    <li><span class="legend-chip">"T1 pending"</span>"ticket: filed, pending, approved, used"</li>
                    <li><span class="legend-chip legend-gate">"✗ rule"</span>"the gate's answer"</li>
                    <li><span class="legend-chip legend-policy">"▶ isolate"</span>"the policy's next action"</li>
                </ul>
            </details>
            <p class="graph-status" role="status">
                {move || {
                    details()
                        .map(|d| d.into_any())
                        .unwrap_or_else(|| {
                            match gym.target.get() {
                                Some(t) => format!("Target: {t}. The actions beside apply to it."),
                                None => "Click a service to make it the target of your next action.".to_string(),
                            }
                                .into_any()
                        })
                }}
            </p>
        </Panel>
    }
}

/// A chip of text drawn beside a node: a ticket's stage, the gate's answer, the policy's pick.
#[component]
fn Chip(
    x: f64,
    y: f64,
    text: String,
    class: &'static str,
    #[prop(optional)] stage: &'static str,
) -> impl IntoView {
    // 10 px text: about 6 px a character, with room either side.
    let width = text.chars().count() as f64 * 6.2 + 8.0;
    let anchored = if class == "gate-chip" {
        x - width / 2.0
    } else {
        x
    };
    view! {
        <g class=class data-stage=(!stage.is_empty()).then_some(stage) transform=format!("translate({anchored:.1},{y:.1})")>
            <rect width=width height="14" rx="4" />
            <text x="4" y="10.5">{text}</text>
        </g>
    }
}

/// What the step on screen did to one node: the gate's answer above it, its tickets and the
/// policy's pick beside it.
#[component]
fn NodeMarks(
    id: String,
    gate: Memo<Option<(String, GateMark)>>,
    tickets: Memo<Vec<(String, String, String)>>,
    badge: Memo<Option<(String, String)>>,
) -> impl IntoView {
    let id_gate = id.clone();
    let id_tickets = id.clone();
    let gate_view = move || {
        gate.with(|g| match g {
            Some((node, mark)) if *node == id_gate => Some(match mark {
                GateMark::Broke(rule) => view! {
                    <Chip x=0.0 y=-R - 22.0 text=format!("✗ {rule}") class="gate-chip" stage="broke" />
                }
                .into_any(),
                GateMark::Allowed => view! {
                    <Chip x=0.0 y=-R - 22.0 text="✓ gate allowed".to_string() class="gate-chip" stage="allowed" />
                }
                .into_any(),
            }),
            _ => None,
        })
    };
    let ticket_view = move || {
        let mine: Vec<(String, String)> = tickets.with(|t| {
            t.iter()
                .filter(|(node, _, _)| *node == id_tickets)
                .map(|(_, tid, stage)| (tid.clone(), stage.clone()))
                .collect()
        });
        let shown = mine.len().min(2);
        let more = mine.len() - shown;
        let mut views: Vec<AnyView> = mine[mine.len() - shown..]
            .iter()
            .enumerate()
            .map(|(k, (tid, stage))| {
                let stage: &'static str = match stage.as_str() {
                    "filed" => "filed",
                    "pending" => "pending",
                    "approved" => "approved",
                    "denied" => "denied",
                    _ => "used",
                };
                view! {
                    <Chip x=R + 4.0 y=-R + 16.0 * k as f64 text=format!("{tid} {stage}") class="ticket-chip" stage=stage />
                }
                .into_any()
            })
            .collect();
        if more > 0 {
            views.push(view! { <Chip x=R + 4.0 y=-R + 32.0 text=format!("+{more} older") class="ticket-chip" stage="used" /> }.into_any());
        }
        views
    };
    let badge_view = move || {
        badge.with(|b| match b {
            Some((node, action)) if *node == id => Some(view! {
                <Chip x=R + 4.0 y=R - 12.0 text=format!("▶ {action}") class="policy-chip" />
            }),
            _ => None,
        })
    };
    view! {
        {gate_view}
        {ticket_view}
        {badge_view}
    }
}
