//! A bundle from the files a person chooses (several `.rego` files and a `data.json`, or one
//! `.tar.gz` bundle), and a bundle saved as a `.tar.gz`.

use super::archive::{pack, unpack};
use super::bundle::{RegoBundle, RegoModule, MAX_PAGE_MODULES};
use crate::shell::files::read_text;
use gloo_file::futures::read_as_bytes;
use ztgym::core::fileio::Kind;

/// The largest `.tar.gz` read (packed).
const MAX_ARCHIVE_BYTES: u64 = 1024 * 1024;

/// Reads the chosen files into one bundle, in the order chosen (a policy first).
pub async fn read_bundle_files(files: &[gloo_file::File]) -> Result<RegoBundle, String> {
    let shown = |f: &gloo_file::File| ztgym::core::text::shorten(&f.name(), 80);
    if let [one] = files {
        if one.name().ends_with(".gz") || one.name().ends_with(".tgz") {
            if one.size() > MAX_ARCHIVE_BYTES {
                return Err(format!(
                    "{}: {} KB is more than a bundle archive may have ({} KB)",
                    shown(one),
                    one.size() / 1024,
                    MAX_ARCHIVE_BYTES / 1024
                ));
            }
            let bytes = read_as_bytes(one)
                .await
                .map_err(|_| format!("{}: the browser could not read the file", shown(one)))?;
            return unpack(&shown(one), &bytes);
        }
    }
    if files.len() > MAX_PAGE_MODULES + 1 {
        return Err(format!(
            "{} files: the page holds at most {MAX_PAGE_MODULES} modules and a data.json",
            files.len()
        ));
    }
    let mut bundle = RegoBundle {
        modules: Vec::new(),
        data: String::new(),
    };
    for f in files {
        let name = f.name();
        if name.ends_with(".rego") {
            let text = read_text(f, Kind::Rego).await?;
            super::link::check_module_name(&name)?;
            bundle.modules.push(RegoModule { name, text });
        } else if name.ends_with(".json") {
            if !bundle.data.is_empty() {
                return Err(format!(
                    "{}: a second data file (one data.json at a time)",
                    shown(f)
                ));
            }
            bundle.data = read_text(f, Kind::RegoInput).await?;
            bundle
                .data_value()
                .map_err(|p| format!("{}: {}", shown(f), p.describe()))?;
        } else {
            return Err(format!(
                "{}: not a .rego module, a data .json or a .tar.gz bundle",
                shown(f)
            ));
        }
    }
    if bundle.modules.is_empty() {
        return Err("no .rego module among the files chosen".to_string());
    }
    Ok(bundle)
}

/// Offers the bundle as `bundle.tar.gz`.
pub fn bundle_download(bundle: &RegoBundle) -> Result<(), String> {
    let bytes = pack(bundle)?;
    crate::shell::download::download_bytes("bundle.tar.gz", "application/gzip", &bytes)
}
