//! One module per subcommand.
pub mod admin;
pub mod baseline;
pub mod bench;
pub mod check;
pub mod export;
pub mod findings;
pub mod fit;
pub mod forecast;
pub mod import;
pub mod init;
pub mod remote;
pub mod report;
pub mod schedule;
pub mod schema;
pub mod serve;
