//! After a person's action, the result (the caption of the last step) is brought into view when
//! it is not: on a phone the action bar sits below the picture and the caption, so the result
//! of a Propose could be far above the screen. The sticky HUD is left clear (the caption's
//! `scroll-margin-top` in the stylesheet).

use leptos::prelude::*;

/// Scrolls the stage's caption into view once the page shows the new step, unless it is
/// already fully visible below the HUD.
pub fn bring_result_into_view() {
    bring_into_view(".stage .caption");
}

/// Scrolls the first element `selector` names into view once the page has redrawn, unless it
/// is already fully visible below the HUD (a replayed message, from the grade card's list).
pub fn bring_into_view(selector: &'static str) {
    request_animation_frame(move || {
        let doc = document();
        let Some(target) = doc.query_selector(selector).ok().flatten() else {
            return;
        };
        let hud_bottom = doc
            .query_selector(".stage .hud")
            .ok()
            .flatten()
            .map_or(0.0, |h| h.get_bounding_client_rect().bottom().max(0.0));
        let height = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        let r = target.get_bounding_client_rect();
        if r.top() < hud_bottom - 1.0 || r.bottom() > height + 1.0 {
            target.scroll_into_view_with_bool(true);
        }
    });
}
