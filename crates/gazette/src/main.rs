//! `gazette`: a self-hosted publishing platform for online news journals.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    gazette::cli::run().await
}
