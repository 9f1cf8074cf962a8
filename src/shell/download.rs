//! Saving text the page made (trajectories, alerts, policies) as a file, with no server: a
//! gloo-file blob behind an object URL (revoked when dropped) and a link clicked.

use gloo_file::{Blob, ObjectUrl};
use wasm_bindgen::JsCast;

/// Offers `text` as a download named `filename`.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    offer(filename, Blob::new_with_options(text, Some(mime)))
}

/// Offers `bytes` (an archive) as a download named `filename`.
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    offer(filename, Blob::new_with_options(bytes, Some(mime)))
}

fn offer(filename: &str, blob: Blob) -> Result<(), String> {
    let url = ObjectUrl::from(blob);
    let anchor: web_sys::HtmlAnchorElement = leptos::prelude::document()
        .create_element("a")
        .map_err(|_| format!("{filename}: the browser could not make a download link"))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    Ok(())
}
