//! The stage: the layout of every environment's page. The environment's picture in the middle
//! with the HUD over it and the caption of the last step under it; for a person, the action
//! bar beside the picture; the side material (alerts, tickets, ...) in a column on the same
//! screen; the rest (summary, policy, training) below. At 1280x800 the HUD, picture, caption
//! and action bar fit the first screen, with fixed sizes where content changes every step, so
//! nothing moves at any speed. On a narrow screen it is one column, stage first, the HUD
//! sticking to the top. The DOM order is the order drawn.

use leptos::prelude::*;

#[component]
pub fn Stage(
    /// The figures of the step on screen (sticky on a narrow screen).
    #[prop(into)]
    hud: ViewFn,
    /// The environment's picture.
    #[prop(into)]
    picture: ViewFn,
    /// The last step in words, and the timeline.
    #[prop(into)]
    caption: ViewFn,
    /// A person's actions, beside the picture.
    #[prop(into)]
    actions: ViewFn,
    /// The side material, in a column beside.
    #[prop(into)]
    side: ViewFn,
    /// A lesson's box, first in the side column (so the picture keeps its size).
    #[prop(optional, into)]
    lesson: ViewFn,
    /// Below the stage.
    children: Children,
) -> impl IntoView {
    view! {
        <main id="main" class="stage panels" tabindex="-1">
            <div class="stage-centre">
                {hud.run()}
                {picture.run()}
                {caption.run()}
            </div>
            <div class="stage-actions">{actions.run()}</div>
            <div class="stage-side">{lesson.run()} {side.run()}</div>
            <div class="stage-more">{children()}</div>
        </main>
    }
}
