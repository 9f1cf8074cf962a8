//! Learning: the Train panel, its curves, the training worker, the policy store and the Policy
//! panel.

pub mod learning_curves;
pub mod policy_panel;
pub mod policy_store;
pub mod train_panel;
pub mod training;
