//! The page's shell: header, footer, notices, help and theme, downloads, build info.

pub mod build_info;
pub mod download;
pub mod help_panel;
pub mod notice_bar;
pub mod panel;
pub mod site_footer;
pub mod site_header;
