//! Policy files of the SRE gym: the core's envelope with this gym's features and actions.

pub use ztgym_core::policy::{PolicyError, Problem, StateRow, FORMAT, VERSION};

/// The `env` field of the SRE gym's policy files.
pub const ENV: &str = <crate::adapter::Executor as ztgym_core::learn::Adapter>::POLICY_ENV;

/// A learned policy for one SRE scenario.
pub type Policy = ztgym_core::policy::Policy<crate::adapter::Executor>;
/// How a policy was trained.
pub type TrainingInfo = ztgym_core::policy::TrainingInfo<crate::curriculum::Level>;
/// A policy playing frozen as an agent.
pub type PolicyAgent = ztgym_core::policy::PolicyAgent<crate::adapter::Executor>;
/// Why a policy would act as it does on one observation.
pub type Inspection = ztgym_core::policy::Inspection<crate::action::Action>;
