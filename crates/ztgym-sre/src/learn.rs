//! The core's learners on the SRE gym: tabular Q, Lagrangian Q and seed 001's bandit, over the
//! features of [`crate::features`] and the abstract actions of [`executor`] (the SRE adapter).

pub use ztgym_core::learn::{
    bandit, hyper, lagrangian, model, q, quantize, ActionSet, Adapter, ChunkReport, EpisodeStats,
    FeatureSpec, Hyperparameters, Kind, Model, Params, TrainingMetrics, Variant,
};

/// The SRE gym's adapter: abstract actions and the executor that carries them out.
pub mod executor {
    pub use crate::adapter::*;
}

pub use crate::adapter::{AbstractAction, Executor, ACTIONS};

/// Training in chunks, on the SRE gym.
pub mod trainer {
    pub use ztgym_core::learn::trainer::{ChunkReport, EpisodeStats, TrainingMetrics, WINDOW};

    /// What to train.
    pub type TrainConfig = ztgym_core::learn::TrainConfig<crate::curriculum::Level>;
    /// Everything needed to resume training.
    pub type TrainerState = ztgym_core::learn::TrainerState<crate::curriculum::Level>;
    /// A learner training on one SRE scenario.
    pub type Trainer = ztgym_core::learn::Trainer<super::Executor>;
}

pub use trainer::{TrainConfig, Trainer, TrainerState};
