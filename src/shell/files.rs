//! Files the person gives the page: a zone to drop one on, and reading a chosen or dropped
//! file as text (gloo-file).

use gloo_file::futures::read_as_bytes;
use leptos::prelude::*;
use ztgym::core::fileio::{decode, Kind};

/// Reads a chosen or dropped file of `kind` as text, the way the CLI reads files: its size cap,
/// UTF-8 required (a byte order mark accepted), an encoding problem named as such with its
/// byte offset. The error names the file.
pub async fn read_text(file: &gloo_file::File, kind: Kind) -> Result<String, String> {
    let name = file.name();
    if file.size() > kind.cap() {
        return Err(format!(
            "{}: {} KB is more than a {} file may have ({} KB)",
            ztgym::core::text::shorten(&name, 80),
            file.size() / 1024,
            kind.as_str(),
            kind.cap() / 1024
        ));
    }
    let bytes = read_as_bytes(file).await.map_err(|_| {
        format!(
            "{}: the browser could not read the file (moved, deleted or not allowed?)",
            ztgym::core::text::shorten(&name, 80)
        )
    })?;
    decode(&name, &bytes, kind).map_err(|e| e.to_string())
}

/// What a drop of `count` files says: the page takes one file at a time.
pub fn several_files_notice(count: u32) -> String {
    format!(
        "{count} files were dropped; the page takes one file at a time, so none was loaded. \
         Drop just one."
    )
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
    // Taken here: an event handler runs outside the component's owner.
    let notices = use_context::<super::notices::Notices>();
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
        let files = ev.data_transfer().and_then(|dt| dt.files());
        let count = files.as_ref().map_or(0, |f| f.length());
        if count > 1 {
            if let Some(notices) = notices {
                notices.error(several_files_notice(count));
            }
            return;
        }
        on_file.run(files.and_then(|f| f.get(0)));
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

#[cfg(test)]
mod tests {
    #[test]
    fn several_files_are_told_apart_from_one() {
        let text = super::several_files_notice(2);
        assert!(text.starts_with("2 files were dropped") && text.contains("one file at a time"));
    }
}

/// A button that opens the file picker: `label`, the types it offers (`accept`), and
/// `on_files` with the files chosen (one, unless `multiple`). The same files chosen again,
/// after fixing them, are read again.
#[component]
pub fn FileButton(
    label: &'static str,
    accept: &'static str,
    testid: &'static str,
    on_files: impl Fn(Vec<web_sys::File>) + 'static,
    #[prop(optional)] multiple: bool,
    #[prop(optional)] title: Option<&'static str>,
) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let files = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        on_files(files);
    };
    view! {
        <label class="file-button" title=title>
            {label}
            <input
                type="file"
                multiple=multiple
                accept=accept
                class="visually-hidden"
                data-testid=testid
                on:change=on_change
            />
        </label>
    }
}
