//! `gazette`: a self-hosted publishing platform for online news journals.

use std::process::ExitCode;

fn main() -> ExitCode {
    gazette::malloc::bound_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(gazette::cli::run())
}
