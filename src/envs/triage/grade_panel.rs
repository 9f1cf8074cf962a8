//! The grade card: nothing graded before the first decision; while the task runs, the quality
//! of the decisions so far (with the letter it earns if it holds) apart from the final score,
//! which counts the steps not yet played; at the end the grader's final score, its letter,
//! pass or fail against the task's threshold, and the mistakes, each a click to replay it.

use super::desk::use_desk;
use super::grading::{grade_card, quality, GradeCard};
use crate::shell::numbers::fixed;
use crate::shell::result_view::bring_into_view;
use leptos::prelude::*;

#[component]
pub fn GradePanel() -> impl IntoView {
    let desk = use_desk();
    let card = Memo::new(move |_| desk.read(grade_card));
    let grade = Memo::new(move |_| desk.read(|s| s.grade()));
    let task = move || desk.read(|s| s.settings().task);
    let state = move || {
        card.with(|c| match c {
            GradeCard::Ungraded { .. } => "ungraded",
            GradeCard::SoFar { .. } => "so-far",
            GradeCard::Final { .. } => "final",
        })
    };
    let graded = move || state() != "ungraded";
    let pct = move |f: fn(&ztgym::triage::Grade) -> f64| {
        move || {
            if graded() {
                format!("{:.0}%", grade.with(f) * 100.0)
            } else {
                "–".to_string()
            }
        }
    };
    let replay = move |step: usize| {
        desk.player.replay.set(Some(step));
        bring_into_view("[data-testid=message]");
    };
    view! {
        <section class="panel panel-grade" aria-labelledby="grade-heading">
            <h2 id="grade-heading" class="panel-title">"Grade"</h2>
            <div
                class="panel-body grade-card"
                data-testid="grade"
                data-state=state
                data-final=move || (state() == "final").to_string()
                data-passed=move || grade.with(|g| g.passed).to_string()
            >
                {move || card_view(card.get(), task().as_str(), replay)}
                <dl class="grade-parts">
                    <dt>"Threats stopped"</dt>
                    <dd>{pct(|g| g.detection_rate)}</dd>
                    <dt>"Safe blocked"</dt>
                    <dd>{pct(|g| g.false_positive_rate)}</dd>
                    <dt>"Precision"</dt>
                    <dd>{pct(|g| g.precision)}</dd>
                    <dt>"User retention"</dt>
                    <dd>{pct(|g| g.user_retention)}</dd>
                    <dt>"Reasoning"</dt>
                    <dd>{move || if graded() { fixed(grade.with(|g| g.reasoning_quality), 2) } else { "–".to_string() }}</dd>
                    <dt>"Completion"</dt>
                    <dd>{pct(|g| g.completion)}</dd>
                </dl>
            </div>
        </section>
    }
}

/// The card's head, its hint and (at the end) the mistakes.
fn card_view(
    card: GradeCard,
    task: &str,
    replay: impl Fn(usize) + Copy + Send + Sync + 'static,
) -> AnyView {
    match card {
            GradeCard::Ungraded { threshold, steps } => view! {
                <p class="grade-head">
                    <span class="grade-letter" data-testid="letter">"–"</span>
                    <span class="grade-verdict" data-testid="verdict">"Nothing graded yet"</span>
                </p>
                <p class="hint" data-testid="grade-hint">
                    {format!("Task {task}: decide on the first message. The final score comes after {steps} messages; pass at {}.", fixed(threshold, 2))}
                </p>
            }
            .into_any(),
            GradeCard::SoFar { decided, steps, quality, letter, threshold, score_now } => view! {
                <p class="grade-head">
                    <span class="grade-letter" data-testid="letter">{letter}</span>
                    <span class="grade-score" data-testid="score">{fixed(quality, 3)}</span>
                    <span class="grade-verdict" data-testid="verdict">{format!("So far, {decided} of {steps} decided")}</span>
                </p>
                <p class="hint" data-testid="grade-hint">
                    {format!(
                        "The quality of your decisions so far; pass at {} at the end. The final score counts unplayed messages as 0: {} if the task stopped now.",
                        fixed(threshold, 2),
                        fixed(score_now, 3)
                    )}
                </p>
            }
            .into_any(),
            GradeCard::Final { grade, mistakes } => {
                let verdict = if grade.passed {
                    format!("Passed (≥ {})", fixed(grade.threshold, 2))
                } else {
                    format!("Failed (< {})", fixed(grade.threshold, 2))
                };
                // A letter above F can still fail: the task's pass mark is its own.
                let below_mark = (!grade.passed).then(|| {
                    format!(
                        "{} is the letter of {}; this task passes at {}.",
                        grade.letter,
                        fixed(grade.score, 3),
                        fixed(grade.threshold, 2)
                    )
                });
                let cut_short = (grade.completion < 1.0).then(|| {
                    format!(
                        "Ended early: {} of the task played, so the decisions' quality {} counts at that share.",
                        format_args!("{:.0}%", grade.completion * 100.0),
                        fixed(quality(&grade), 3)
                    )
                });
                let count = mistakes.len();
                view! {
                    <p class="grade-head">
                        <span class="grade-letter" data-testid="letter">{grade.letter.clone()}</span>
                        <span class="grade-score" data-testid="score">{fixed(grade.score, 3)}</span>
                        <span class="grade-verdict" class:ok=grade.passed class:bad=!grade.passed data-testid="verdict">{verdict}</span>
                    </p>
                    <p class="hint" data-testid="grade-hint">{[Some(format!("Task {task}, final score.")), below_mark, cut_short].into_iter().flatten().collect::<Vec<_>>().join(" ")}</p>
                    <div class="grade-mistakes" data-testid="mistakes">
                        <p class="grade-mistakes-head">
                            {match count {
                                0 => "No wrong decisions.".to_string(),
                                1 => "1 wrong decision (click to replay it):".to_string(),
                                n => format!("{n} wrong decisions (click one to replay it):"),
                            }}
                        </p>
                        <ol>
                            {mistakes
                                .into_iter()
                                .map(|m| {
                                    let step = m.step;
                                    view! {
                                        <li>
                                            <button type="button" class="link-button" data-testid="mistake" data-step=step.to_string() on:click=move |_| replay(step)>
                                                {format!("#{} {}", step + 1, m.what)}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </div>
                }
                .into_any()
            }
        }
}
