//! The service dependency graph: each service a node coloured by its state, protected ones
//! marked, dependencies drawn as arrows. Click or press Enter on a node to target it.

use leptos::prelude::*;
use ztgym::observation::ServiceState;

use super::gym::use_gym;
use super::layout::layout;
use crate::shell::panel::Panel;

const R: f64 = 26.0;

#[component]
pub fn ServiceGraphPanel() -> impl IntoView {
    let gym = use_gym();
    let focused = RwSignal::new(None::<usize>);
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
        let edges = geometry
            .edges
            .iter()
            .map(|&(up, down)| {
                let (x1, y1) = geometry.positions[up];
                let (x2, y2) = geometry.positions[down];
                // Stop the line at the circles' rims so the arrowhead shows.
                let (dx, dy) = (x2 - x1, y2 - y1);
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let (ux, uy) = (dx / len, dy / len);
                view! {
                    <line
                        class="edge"
                        class:edge-down=move || state_of(down).is_down()
                        x1=x1 + ux * R
                        y1=y1 + uy * R
                        x2=x2 - ux * (R + 6.0)
                        y2=y2 - uy * (R + 6.0)
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
                let selected = move || gym.target.get().as_deref() == Some(id.as_str());
                view! {
                    <g
                        class="node"
                        class:selected=selected
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
                        <text class="node-label" y=R + 18.0>{name.clone()}</text>
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
                <p class="node-details" role="status">
                    <strong>{v.id.to_string()}</strong>
                    {format!(
                        " · {} · tier {} · tech {}{} · tickets: {}",
                        v.state.as_str(),
                        if tier.is_empty() { "–".to_string() } else { tier },
                        tags,
                        if v.protected { " · protected" } else { "" },
                        if tickets.is_empty() { "none".to_string() } else { tickets.join(", ") },
                    )}
                </p>
            })
        })
    };
    view! {
        <Panel id="service-graph" title="Service graph" class="panel-graph">
            {graph}
            <ul class="legend" aria-label="Legend">
                {["healthy", "degraded", "compromised", "isolated", "offline"]
                    .map(|s| view! { <li><span class=format!("swatch swatch-{s}")></span>{s}</li> })
                    .collect_view()}
                <li>"dashed outline and padlock: protected"</li>
            </ul>
            {details}
            <p class="hint">
                {move || match gym.target.get() {
                    Some(t) => format!("Target: {t}. Actions below apply to it."),
                    None => "Click a service to make it the target of your next action.".to_string(),
                }}
            </p>
        </Panel>
    }
}
