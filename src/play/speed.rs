//! How fast an agent plays: the Speed select and the `speed=` field of a link.

/// How fast an agent plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// One step every 800 ms.
    Slow,
    /// One step every 250 ms.
    Normal,
    /// One step per animation frame.
    Fast,
    /// As many steps as fit in a frame's budget, drawn once per frame.
    Max,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Slow, Speed::Normal, Speed::Fast, Speed::Max];

    pub fn as_str(self) -> &'static str {
        match self {
            Speed::Slow => "slow",
            Speed::Normal => "normal",
            Speed::Fast => "fast",
            Speed::Max => "max",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::Slow => "Slow",
            Speed::Normal => "Normal",
            Speed::Fast => "Fast",
            Speed::Max => "Maximum",
        }
    }

    pub fn parse(s: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Milliseconds between steps, for the timed speeds.
    pub fn interval_ms(self) -> Option<u32> {
        match self {
            Speed::Slow => Some(800),
            Speed::Normal => Some(250),
            Speed::Fast | Speed::Max => None,
        }
    }
}
