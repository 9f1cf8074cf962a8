//! The picture: the inbox. The message to decide on (channel, sender, subject, text, links
//! shown but never live, attachments listed), and the recent messages with the decision taken
//! and what each turned out to be. Every string is a text node: nothing a message holds is
//! ever markup, and no link is an anchor; an HTML body shows as its text (see `message_text`). The replay slider scrubs back through the episode:
//! the inbox then shows the message of that step, the decision taken on it and what it was.

use super::desk::use_desk;
use super::message_text::readable;
use super::story::{class_label, decision_label};
use crate::play::replay::ReplaySlider;
use crate::shell::panel::Panel;
use leptos::prelude::*;

/// How many decided messages the inbox lists.
const RECENT: usize = 6;

#[component]
pub fn Inbox() -> impl IntoView {
    let desk = use_desk();
    let player = desk.player;
    let message = move || desk.shown(|o| o.message.clone());
    let done = move || desk.read(|s| s.done()) && player.replay.get().is_none();
    let steps = Signal::derive(move || desk.read(|s| s.log().steps.len()));
    // While replaying step k: the decision taken on the message shown, and what it was.
    let replayed = move || {
        let k = player.replay.get()?;
        desk.read(|s| {
            let r = s.log().steps.get(k)?;
            let o = r.step.info.last.as_ref()?;
            Some(format!(
                "Message {} of {}: decided {}, it was {}{}.",
                k + 1,
                s.log().steps.len(),
                decision_label(r.action.decision),
                class_label(o.class),
                if o.correct { "" } else { " (wrong)" }
            ))
        })
    };
    let recent = move || {
        let upto = player.replay.get();
        desk.read(|s| {
            let shown = upto.unwrap_or(s.log().steps.len()).min(s.log().steps.len());
            s.log().steps[..shown]
                .iter()
                .enumerate()
                .rev()
                .take(RECENT)
                .map(|(k, r)| {
                    let o = r.step.info.last.as_ref();
                    (
                        k + 1,
                        r.observation.message.channel.as_str(),
                        r.observation.message.sender.clone(),
                        decision_label(r.action.decision),
                        o.map_or("?", |o| class_label(o.class)),
                        o.is_some_and(|o| o.correct),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Panel id="inbox" title="Inbox" class="panel-inbox">
            <article class="message" data-testid="message" aria-label="The message to decide on">
                <Show when=done>
                    <p class="message-over" data-testid="episode-over">"The episode is over: the last message stays on screen. Reset or New seed for another."</p>
                </Show>
                {move || replayed().map(|text| view! { <p class="message-replayed" data-testid="replayed">{text}</p> })}
                {move || {
                    let m = message();
                    view! {
                        <header class="message-head">
                            <span class="channel" data-testid="channel">{m.channel.as_str()}</span>
                            <span class="sender" data-testid="sender" title=m.sender.clone()>{m.sender.clone()}</span>
                        </header>
                        {m.subject.clone().map(|s| view! { <p class="subject" data-testid="subject">{s}</p> })}
                        {
                            let body = readable(&m.text);
                            view! {
                                <p class="message-text" data-testid="message-text">{body.text}</p>
                                {body.left_out.then(|| view! { <p class="hint message-cleaned" data-testid="message-cleaned">"Markup, style and script code left out of this message's text."</p> })}
                            }
                        }
                        {(!m.links.is_empty()).then(|| view! {
                            <div class="message-links">
                                <span class="label">"Links (not live):"</span>
                                <ul>{m.links.iter().map(|l| view! { <li><code data-testid="link">{l.clone()}</code></li> }).collect_view()}</ul>
                            </div>
                        })}
                        {(!m.attachments.is_empty()).then(|| view! {
                            <div class="message-attachments">
                                <span class="label">"Attachments:"</span>
                                <ul>{m.attachments.iter().map(|a| view! { <li data-testid="attachment">{a.clone()}</li> }).collect_view()}</ul>
                            </div>
                        })}
                    }
                }}
            </article>
            // Always drawn (at 0 / 0 before the first decision), so nothing moves as episodes
            // start and end.
            <div class="triage-replay" data-testid="triage-replay">
                <ReplaySlider steps=steps />
            </div>
            <ol class="recent" data-testid="recent" aria-label="Recent decisions">
                {move || {
                    recent()
                        .into_iter()
                        .map(|(k, channel, sender, decision, class, correct)| {
                            view! {
                                <li class:wrong=!correct data-testid="recent-item">
                                    <span class="recent-step">{format!("#{k}")}</span>
                                    <span class="channel">{channel}</span>
                                    <span class="sender">{sender}</span>
                                    <span class="recent-decision">{decision}</span>
                                    <span class="recent-class">{format!("was {class}{}", if correct { "" } else { " ✗" })}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </Panel>
    }
}
