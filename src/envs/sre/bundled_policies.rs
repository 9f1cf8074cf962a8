//! The SRE gym's example policies, shipped in the page: `assets/policies/`, trained by the CLI
//! (see the README).

/// The example policies of `assets/policies/`, trained by the CLI (see the README).
pub const BUNDLED: [(&str, &str); 4] = [
    (
        "classic-q-lagrangian.json",
        include_str!("../../../assets/policies/classic-q-lagrangian.json"),
    ),
    (
        "classic-q.json",
        include_str!("../../../assets/policies/classic-q.json"),
    ),
    (
        "classic-bandit.json",
        include_str!("../../../assets/policies/classic-bandit.json"),
    ),
    (
        "enterprise-q-lagrangian.json",
        include_str!("../../../assets/policies/enterprise-q-lagrangian.json"),
    ),
];
