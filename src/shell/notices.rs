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
        self.0.set(notice);
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

/// The message for a link's problems, if it has any.
pub fn link_notice(problems: &[String]) -> Option<Notice> {
    (!problems.is_empty()).then(|| Notice {
        error: true,
        text: format!(
            "The link has problems, defaults used instead: {}.",
            problems.join("; ")
        ),
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

/// Shows the notices from context: the page's, or a panel's own where the panel provides them
/// (so a message about what was done in a panel shows in that panel).
#[component]
pub fn NoticeBar() -> impl IntoView {
    let notices = use_notices();
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
                            <span>{n.text}</span>
                            <button class="dismiss" aria-label="Dismiss message" on:click=move |_| notices.clear()>
                                "×"
                            </button>
                        </div>
                    }
                })
        }}
    }
}
