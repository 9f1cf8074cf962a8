//! The core's learners (tabular Q, Lagrangian Q with the false-positive budget, seed 001's
//! bandit) and policy files on the triage environment, through [`crate::adapter::Triage`].

pub use ztgym_core::learn::{Hyperparameters, Kind};

/// What to train.
pub type TrainConfig = ztgym_core::learn::TrainConfig<crate::task::TaskId>;
/// Everything needed to resume training.
pub type TrainerState = ztgym_core::learn::TrainerState<crate::task::TaskId>;
/// A learner training on one task.
pub type Trainer = ztgym_core::learn::Trainer<crate::adapter::Triage>;
/// A learned policy for one task.
pub type Policy = ztgym_core::policy::Policy<crate::adapter::Triage>;
/// A policy playing frozen as an agent.
pub type PolicyAgent = ztgym_core::policy::PolicyAgent<crate::adapter::Triage>;
