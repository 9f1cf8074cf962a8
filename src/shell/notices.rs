//! A message for the person: a refused action, a bad link, what just happened. One at a time,
//! dismissable; never blocks the page.

use leptos::prelude::*;

/// What went wrong, or what just happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// The page's notice, shared through context. A cheap handle.
#[derive(Clone, Copy)]
pub struct Notices(RwSignal<Option<Notice>>);

impl Notices {
    pub fn new() -> Notices {
        Notices(RwSignal::new(None))
    }

    /// Says what went wrong.
    pub fn error(&self, text: impl Into<String>) {
        // `set` tidies the text.
        self.set(Some(Notice {
            error: true,
            text: text.into(),
        }));
    }

    /// Says what happened.
    pub fn info(&self, text: impl Into<String>) {
        self.set(Some(Notice {
            error: false,
            text: text.into(),
        }));
    }

    pub fn set(&self, notice: Option<Notice>) {
        self.0.set(notice.map(|n| Notice {
            error: n.error,
            text: tidy(&n.text),
        }));
    }

    pub fn clear(&self) {
        self.0.set(None);
    }

    /// The notice shown, tracking changes.
    pub fn get(&self) -> Option<Notice> {
        self.0.get()
    }

    /// Whether the page that owned these notices was taken down (e.g. while a file was read).
    pub fn is_disposed(&self) -> bool {
        self.0.is_disposed()
    }
}

impl Default for Notices {
    fn default() -> Self {
        Notices::new()
    }
}

/// The longest word a notice shows whole (a value from a link or a file can be any length).
const MAX_WORD_CHARS: usize = 80;
/// The longest notice, in characters.
const MAX_NOTICE_CHARS: usize = 1200;

/// A notice's text as shown: control characters escaped, every word longer than
/// `MAX_WORD_CHARS` shortened, and the whole at most `MAX_NOTICE_CHARS`.
pub fn tidy(text: &str) -> String {
    use ztgym::core::text::shorten;
    let words: Vec<String> = text
        .split(' ')
        .map(|w| {
            if w.chars().count() > MAX_WORD_CHARS {
                shorten(w, MAX_WORD_CHARS)
            } else {
                ztgym::core::text::escape_controls(w).into_owned()
            }
        })
        .collect();
    let joined = words.join(" ");
    if joined.chars().count() > MAX_NOTICE_CHARS {
        shorten(&joined, MAX_NOTICE_CHARS)
    } else {
        joined
    }
}

/// The message for a link's problems, if it has any, followed by any stored value found bad
/// and removed since the last notice (each said once).
pub fn link_notice(problems: &[String]) -> Option<Notice> {
    let stored = super::storage::take_problems();
    let mut parts = Vec::new();
    if !problems.is_empty() {
        parts.push(format!(
            "The link has problems, defaults used instead: {}.",
            problems.join("; ")
        ));
    }
    if !stored.is_empty() {
        parts.push(format!(
            "Values saved in this browser had problems: {}.",
            stored.join("; ")
        ));
    }
    (!parts.is_empty()).then(|| Notice {
        error: true,
        text: tidy(&parts.join(" ")),
    })
}

/// Gives the calling component (a panel) notices of its own, shown by a [`NoticeBar`] inside
/// it: its messages show where the person acted. The page's notice and the panel's replace
/// each other, so one message shows at a time.
pub fn provide_panel_notices() -> Notices {
    let page = use_notices();
    let panel = Notices::new();
    Effect::new(move |_| {
        if panel.0.with(Option::is_some) {
            page.clear();
        }
    });
    Effect::new(move |_| {
        if page.0.with(Option::is_some) {
            panel.clear();
        }
    });
    provide_context(panel);
    panel
}

/// The notices from context (the app provides them).
pub fn use_notices() -> Notices {
    expect_context::<Notices>()
}

/// How long an info message floating over a narrow screen stays before it goes by itself.
const FLOATING_INFO_MS: u32 = 5_000;
/// Where the page's messages float over the bottom of the screen (the stage section of
/// assets/styles.css): there an info message goes by itself, so it does not keep covering the
/// caption of the last step; an error stays until dismissed.
const FLOATING_MEDIA: &str = "(max-width: 900px)";

fn floating() -> bool {
    window()
        .match_media(FLOATING_MEDIA)
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Shows the notices from context: the page's, or a panel's own where the panel provides them
/// (so a message about what was done in a panel shows in that panel).
#[component]
pub fn NoticeBar(
    /// The page's own bar (not a panel's): on a narrow screen its info messages float over the
    /// page and go by themselves after a few seconds.
    #[prop(optional)]
    page: bool,
) -> impl IntoView {
    let notices = use_notices();
    if page {
        // Dropping the timer cancels it: a newer message gets its own few seconds.
        let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        Effect::new(move |_| {
            let shown = notices.get();
            timer.set_value(None);
            if let Some(info) = shown.filter(|n| !n.error && floating()) {
                let timeout = gloo_timers::callback::Timeout::new(FLOATING_INFO_MS, move || {
                    if notices.0.try_get_untracked().flatten().as_ref() == Some(&info) {
                        notices.clear();
                    }
                });
                timer.set_value(Some(timeout));
            }
        });
    }
    view! {
        {move || {
            notices
                .get()
                .map(|n| {
                    view! {
                        <div
                            class=if n.error { "notice notice-error" } else { "notice" }
                            role=if n.error { "alert" } else { "status" }
                            data-testid="notice"
                        >
                            // Long values wrap inside the notice instead of widening the page.
                            <span style="overflow-wrap: anywhere; min-width: 0">{n.text}</span>
                            <button class="dismiss" aria-label="Dismiss message" on:click=move |_| notices.clear()>
                                "×"
                            </button>
                        </div>
                    }
                })
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_shortened_and_controls_escaped() {
        let hash_value = "x".repeat(100_000);
        let text = tidy(&format!("seed {hash_value:?} is not a number \u{1b}[2J"));
        assert!(text.chars().count() < 200, "{}", text.len());
        assert!(
            text.contains("100002 characters") && text.contains("\\u{1b}[2J"),
            "{text}"
        );
        let many = vec!["a problem".to_string(); 1000];
        let n = link_notice(&many).unwrap();
        assert!(
            n.text.chars().count() <= MAX_NOTICE_CHARS + 30,
            "{}",
            n.text.len()
        );
    }

    #[test]
    fn stored_value_problems_are_told_once() {
        super::super::storage::take_problems();
        assert_eq!(link_notice(&[]), None);
        super::super::storage::report_problem("the saved theme \"x\" is not light or dark".into());
        let n = link_notice(&[]).unwrap();
        assert!(
            n.text.contains("Values saved in this browser had problems"),
            "{}",
            n.text
        );
        assert_eq!(link_notice(&[]), None, "once");
    }
}
