//! `stride`: headless access to Stride's timed-code engine (and, later, the chart store).

mod code;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Stride, an offline-first EMR for outpatient physical therapy.
#[derive(Parser)]
#[command(name = "stride", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Code(code::CodeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => code::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, naming the problem; the chain of causes joined on it.
            let message = format!("{err:#}").replace('\n', " ");
            eprintln!("stride: {message}");
            ExitCode::FAILURE
        }
    }
}
