//! The grade card: the grader's score, its letter and pass or fail against the task's
//! threshold; final at the end of the episode, the verdict so far before.

use super::desk::use_desk;
use leptos::prelude::*;

#[component]
pub fn GradePanel() -> impl IntoView {
    let desk = use_desk();
    let grade = Memo::new(move |_| desk.read(|s| s.grade()));
    let done = move || desk.read(|s| s.done());
    let task = move || desk.read(|s| s.settings().task);
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    view! {
        <section class="panel panel-grade" aria-labelledby="grade-heading">
            <h2 id="grade-heading" class="panel-title">"Grade"</h2>
            <div
                class="panel-body grade-card"
                data-testid="grade"
                data-final=move || done().to_string()
                data-passed=move || grade.with(|g| g.passed).to_string()
            >
                <p class="grade-head">
                    <span class="grade-letter" data-testid="letter">{move || grade.with(|g| g.letter.clone())}</span>
                    <span class="grade-score" data-testid="score">{move || grade.with(|g| format!("{:.3}", g.score))}</span>
                    <span
                        class="grade-verdict"
                        class:ok=move || done() && grade.with(|g| g.passed)
                        class:bad=move || done() && !grade.with(|g| g.passed)
                        data-testid="verdict"
                    >
                        {move || {
                            let (passed, threshold) = grade.with(|g| (g.passed, g.threshold));
                            match (done(), passed) {
                                (true, true) => format!("Passed (≥ {threshold:.2})"),
                                (true, false) => format!("Failed (< {threshold:.2})"),
                                (false, _) => format!("So far; pass at {threshold:.2}"),
                            }
                        }}
                    </span>
                </p>
                <p class="hint">{move || format!("Task {} ({}), graded at the end of the episode.", task().as_str(), task().name())}</p>
                <dl class="grade-parts">
                    <dt>"Threats stopped"</dt>
                    <dd>{move || grade.with(|g| pct(g.detection_rate))}</dd>
                    <dt>"Safe blocked"</dt>
                    <dd>{move || grade.with(|g| pct(g.false_positive_rate))}</dd>
                    <dt>"Precision"</dt>
                    <dd>{move || grade.with(|g| pct(g.precision))}</dd>
                    <dt>"User retention"</dt>
                    <dd>{move || grade.with(|g| pct(g.user_retention))}</dd>
                    <dt>"Reasoning"</dt>
                    <dd>{move || grade.with(|g| format!("{:.2}", g.reasoning_quality))}</dd>
                    <dt>"Completion"</dt>
                    <dd>{move || grade.with(|g| pct(g.completion))}</dd>
                </dl>
            </div>
        </section>
    }
}
