//! The arena: agents of one environment ranked side by side on the same seeds, in a Web
//! Worker. The table ([`ranking`]) with its intervals ([`stats`]), its files ([`export`]),
//! the seeds typed ([`seeds`]), the run ([`job`]), the link that carries an arena ([`link`]),
//! the messages and both ends of the worker, and the panel every environment's page shows.

#[cfg(test)]
mod cli_tests;
pub mod client;
pub mod export;
mod host;
pub mod job;
pub mod link;
pub mod panel;
pub mod pending;
pub mod protocol;
pub mod ranking;
pub mod seeds;
pub mod stats;
mod table;
pub mod worker;
