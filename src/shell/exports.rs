//! A run's export buttons: each downloads a text the page makes (NDJSON), named after the run.

use super::download::download;
use super::notices::Notices;
use leptos::prelude::*;

/// One export: the button's label, the file name's ending after the run's stem (`.jsonl`,
/// `-pairs.jsonl`), and the text.
#[derive(Clone, Copy)]
pub struct Export {
    pub label: &'static str,
    pub ending: &'static str,
    pub text: Callback<(), String>,
}

impl Export {
    pub fn new(
        label: &'static str,
        ending: &'static str,
        text: impl Fn() -> String + Send + Sync + 'static,
    ) -> Export {
        Export {
            label,
            ending,
            text: Callback::new(move |()| text()),
        }
    }
}

/// The buttons of `exports`; a file is named `stem()` and the export's ending. A download
/// that fails is reported in `notices`.
#[component]
pub fn ExportButtons(
    notices: Notices,
    #[prop(into)] stem: Callback<(), String>,
    exports: Vec<Export>,
) -> impl IntoView {
    exports
        .into_iter()
        .map(
            |Export {
                 label,
                 ending,
                 text,
             }| {
                let export = move |_| {
                    let text = text.run(());
                    let name = format!("{}{ending}", stem.run(()));
                    if let Err(e) = download(&name, "application/x-ndjson", &text) {
                        notices.error(e);
                    }
                };
                view! { <button on:click=export>{label}</button> }
            },
        )
        .collect_view()
}
