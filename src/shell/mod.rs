//! The page's shell, shared by every environment: the header with the environment tabs, the
//! footer, notices, help and theme, the URL hash, local storage, files in (drop, pick) and out
//! (downloads), lessons (data and progress) and the course across the tabs.

pub mod build_info;
pub mod choice_select;
pub mod copy_button;
pub mod course;
pub mod download;
pub mod env_tabs;
pub mod exports;
pub mod files;
pub mod first_visit;
pub mod help_panel;
pub mod lessons;
pub mod notices;
pub mod numbers;
pub mod page_text;
pub mod panel;
pub mod result_view;
pub mod side_tabs;
pub mod site_footer;
pub mod site_header;
pub mod stage;
pub mod storage;
pub mod theme;
pub mod url_hash;
pub mod worker;
