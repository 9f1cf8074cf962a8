//! What build of the playground and the simulator this page is running.

/// The playground's version (this crate's `Cargo.toml`).
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The simulator's version, as the `ztgym` crate reports it.
pub const SIMULATOR_VERSION: &str = ztgym::VERSION;

/// The version line the footer shows, e.g. `v0.1.0`, or `app v0.2.0 · simulator v0.1.0` when
/// the two crates ever carry different versions.
pub fn version_label() -> String {
    version_label_for(APP_VERSION, SIMULATOR_VERSION)
}

fn version_label_for(app: &str, simulator: &str) -> String {
    if app == simulator {
        format!("v{app}")
    } else {
        format!("app v{app} · simulator v{simulator}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_version_when_app_and_simulator_agree() {
        assert_eq!(version_label_for("1.2.3", "1.2.3"), "v1.2.3");
    }

    #[test]
    fn both_versions_when_they_differ() {
        assert_eq!(
            version_label_for("0.2.0", "0.1.0"),
            "app v0.2.0 · simulator v0.1.0"
        );
    }

    #[test]
    fn label_names_this_build() {
        assert!(version_label().contains(APP_VERSION));
    }
}
