//! An import's error: the feed, where in it and what is wrong.

use std::fmt;
use ztgym_core::json::Problem;

/// A feed or catalog that cannot be read, with where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedError {
    /// The feed's name (usually its file name).
    pub source: String,
    /// A JSON path (`vulnerabilities[3].cve.metrics`), a line (`line 7`) or `file`.
    pub location: String,
    /// What is wrong, in plain words.
    pub problem: String,
}

impl FeedError {
    /// The readers' [`Problem`], in the feed called `source`.
    pub(super) fn new(source: &str, problem: Problem) -> FeedError {
        FeedError {
            source: source.to_string(),
            location: problem.path,
            problem: problem.message,
        }
    }
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.source, self.location, self.problem)
    }
}

impl std::error::Error for FeedError {}
