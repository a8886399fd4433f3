//! `evpattern match` (placeholder: to be written).

use std::process::ExitCode;

/// Arguments of `evpattern match`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("evpattern match: not implemented yet");
    ExitCode::from(super::EXIT_INVALID)
}
