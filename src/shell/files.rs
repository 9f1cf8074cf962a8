//! Files the person gives the page: a zone to drop one on, and reading a chosen or dropped
//! file as text (gloo-file).

use gloo_file::futures::read_as_text;
use leptos::prelude::*;

/// Reads a chosen or dropped file as text. The error names the file.
pub async fn read_text(file: &gloo_file::File) -> Result<String, String> {
    read_as_text(file).await.map_err(|_| {
        format!(
            "{}: the browser could not read the file (moved, deleted or not allowed?)",
            file.name()
        )
    })
}

/// Whether a drag brings files (not, say, text selected on the page): only those are taken.
fn carries_files(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer()
        .is_some_and(|dt| dt.types().includes(&"Files".into(), 0))
}

/// A zone around `children` that takes a dropped file: `on_file` gets the first one dropped,
/// or `None` when the drop brought no file. The zone has the class `dragging` while a file
/// is over it.
#[component]
pub fn FileDropZone(
    class: &'static str,
    #[prop(optional)] testid: &'static str,
    #[prop(into)] on_file: Callback<Option<web_sys::File>>,
    children: Children,
) -> impl IntoView {
    // Children fire their own enter and leave events while a file is dragged over them.
    let drag_depth = RwSignal::new(0_i32);
    let on_drag_enter = move |ev: web_sys::DragEvent| {
        if carries_files(&ev) {
            ev.prevent_default();
            drag_depth.update(|d| *d += 1);
        }
    };
    let on_drag_over = move |ev: web_sys::DragEvent| {
        if carries_files(&ev) {
            // Accepts the drop: without this the browser opens the file instead.
            ev.prevent_default();
            if let Some(dt) = ev.data_transfer() {
                dt.set_drop_effect("copy");
            }
        }
    };
    let on_drag_leave = move |ev: web_sys::DragEvent| {
        if carries_files(&ev) {
            drag_depth.update(|d| *d = (*d - 1).max(0));
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        drag_depth.set(0);
        let file = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0));
        on_file.run(file);
    };
    view! {
        <div
            class=move || {
                if drag_depth.get() > 0 {
                    format!("{class} dragging")
                } else {
                    class.to_string()
                }
            }
            data-testid=(!testid.is_empty()).then_some(testid)
            on:dragenter=on_drag_enter
            on:dragover=on_drag_over
            on:dragleave=on_drag_leave
            on:drop=on_drop
        >
            {children()}
        </div>
    }
}
