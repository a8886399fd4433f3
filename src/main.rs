//! The `evpattern` command-line tool; all of its code lives in `cli/`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
