//! The value chart of a policy's inspection, for any environment: one bar per abstract action,
//! growing from the middle (zero) of its track, the chosen, masked and rule-breaking ones
//! marked. Each bar is its own memo, so an agent playing at full speed touches only the bars
//! that change.

use leptos::prelude::*;
use ztgym::core::policy::Inspection;

/// One bar of the value chart: where it sits on a track whose middle is zero, scaled so the
/// largest |value| reaches an end. Compared, so a bar's DOM is only touched when it changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Left edge and width, in percent of the track.
    pub left: f64,
    pub width: f64,
    pub value: f64,
    pub chosen: bool,
    pub masked: bool,
    pub breaks_rule: bool,
}

impl Bar {
    pub fn of<A>(i: &Inspection<A>, a: usize) -> Bar {
        let scale = i
            .values
            .iter()
            .map(|v| v.abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let value = i.values[a];
        let half = if scale > 0.0 && value.is_finite() {
            (value.abs() / scale * 50.0).min(50.0)
        } else {
            0.0
        };
        Bar {
            left: if value < 0.0 { 50.0 - half } else { 50.0 },
            width: half,
            value,
            chosen: i.chosen == a,
            masked: i.masked[a],
            breaks_rule: i.breaks_rule[a],
        }
    }

    /// The marks read out with the bar: `chosen`, `masked`, `breaks a rule`.
    pub fn marks(&self) -> String {
        [
            (self.chosen, "chosen"),
            (self.masked, "masked"),
            (self.breaks_rule, "breaks a rule"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, mark)| *mark)
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// One action's row of the chart.
#[component]
pub fn ValueBar<A: Clone + PartialEq + Send + Sync + 'static>(
    inspection: Memo<Option<Inspection<A>>>,
    index: usize,
    name: &'static str,
) -> impl IntoView {
    let bar = Memo::new(move |_| inspection.with(|i| i.as_ref().map(|i| Bar::of(i, index))));
    let flag = move |f: fn(&Bar) -> bool| move || bar.with(|b| b.as_ref().is_some_and(f));
    view! {
        <li
            class="policy-bar"
            class:chosen=flag(|b| b.chosen)
            class:masked=flag(|b| b.masked)
            class:breaks=flag(|b| b.breaks_rule)
            data-testid="policy-bar"
            data-action=name
        >
            <span class="bar-name">{name}</span>
            <span class="bar-track" aria-hidden="true">
                <span
                    class="bar-fill"
                    style:left=move || bar.with(|b| format!("{:.2}%", b.as_ref().map_or(50.0, |b| b.left)))
                    style:width=move || bar.with(|b| format!("{:.2}%", b.as_ref().map_or(0.0, |b| b.width)))
                ></span>
            </span>
            <span class="bar-value">{move || bar.with(|b| b.as_ref().map(|b| format!("{:.2}", b.value)).unwrap_or_default())}</span>
            <span class="bar-marks" data-testid="policy-bar-marks">{move || bar.with(|b| b.as_ref().map(Bar::marks).unwrap_or_default())}</span>
        </li>
    }
}
