//! The page's building blocks, one per file.

mod action_panel;
mod alerts_panel;
mod episode_panel;
mod help_panel;
mod hud;
mod learning_curves;
mod notice_bar;
mod panel;
mod policy_panel;
mod run_controls;
mod service_graph_panel;
mod site_footer;
mod site_header;
mod tickets_panel;
mod train_panel;

pub use action_panel::ActionPanel;
pub use alerts_panel::AlertsPanel;
pub use episode_panel::EpisodePanel;
pub use help_panel::{restore_theme, HelpPanel, Intro};
pub use hud::Hud;
pub use learning_curves::LearningCurves;
pub use notice_bar::NoticeBar;
pub use panel::{EmptyState, Panel};
pub use policy_panel::PolicyPanel;
pub use run_controls::RunControls;
pub use service_graph_panel::ServiceGraphPanel;
pub use site_footer::SiteFooter;
pub use site_header::SiteHeader;
pub use tickets_panel::TicketsPanel;
pub use train_panel::TrainPanel;
