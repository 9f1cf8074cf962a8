//! The picture: the digital twin now. Its resources kind by kind (services, principals and
//! whatever else the scenario holds), each a card of chips coloured by exposure. Every string
//! is a text node.

use super::desk::use_desk;
use super::exposures::groups;
use crate::shell::panel::Panel;
use leptos::prelude::*;

#[component]
pub fn TwinView() -> impl IntoView {
    let desk = use_desk();
    let groups = Memo::new(move |_| desk.read(|s| groups(s.twin())));
    let description = move || desk.read(|s| s.scenario().description.clone());
    view! {
        <Panel id="harden-twin" title="Digital twin" class="panel-twin">
            <p class="twin-about hint">{description}</p>
            <div class="twin" data-testid="twin">
                {move || {
                    groups
                        .get()
                        .into_iter()
                        .map(|g| {
                        view! {
                            <section class="twin-group" aria-label=g.title>
                                <h3>{g.title}</h3>
                                <ul class="twin-cards">
                                    {g
                                        .cards
                                        .into_iter()
                                        .map(|c| {
                                            let worst = c.worst().as_str();
                                            view! {
                                                <li class="twin-card" data-level=worst>
                                                    <span class="twin-name">{c.name}</span>
                                                    {c.down.map(|d| view! { <span class="chip" data-level="bad">{d}</span> })}
                                                    {c
                                                        .chips
                                                        .into_iter()
                                                        .map(|ch| view! { <span class="chip" data-level=ch.level.as_str()>{ch.text}</span> })
                                                        .collect_view()}
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                        })
                        .collect_view()
                }}
            </div>
        </Panel>
    }
}
