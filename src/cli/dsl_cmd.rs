//! `evpattern dsl` (placeholder: to be written).

use std::process::ExitCode;

/// Arguments of `evpattern dsl`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the command.
pub fn run(_args: Args) -> ExitCode {
    eprintln!("evpattern dsl: not implemented yet");
    ExitCode::from(super::EXIT_INVALID)
}
