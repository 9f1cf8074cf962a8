//! The page's building blocks, one per file.

mod alerts_panel;
mod panel;
mod service_graph_panel;
mod site_footer;
mod site_header;
mod tickets_panel;

pub use alerts_panel::AlertsPanel;
pub use panel::{EmptyState, Panel};
pub use service_graph_panel::ServiceGraphPanel;
pub use site_footer::SiteFooter;
pub use site_header::SiteHeader;
pub use tickets_panel::TicketsPanel;
