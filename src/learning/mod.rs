//! Learning, for any environment: the Train panel and its curves, training in a Web Worker,
//! the tab's policy and the Policy panel. An environment plugs in by implementing
//! [`host::LearningHost`].

pub mod adapters;
pub mod bundled;
pub mod host;
pub mod hyper_form;
pub mod inspection_parts;
pub mod learning_curves;
pub mod policy_panel;
pub mod policy_store;
pub mod train_panel;
pub mod training;
pub mod value_chart;
