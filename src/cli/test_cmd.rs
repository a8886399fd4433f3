//! `evpattern test` (placeholder: to be written).

use std::process::ExitCode;

/// Arguments of `evpattern test`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> ExitCode {
    ExitCode::from(super::EXIT_INVALID)
}
