//! The `stride` binary, run as a user or a script would run it.
//!
//! - `code`: the `stride code` contract on stdin and stdout, and its errors.
//! - `billing`: claims to 837P, an 835 posted, A/R, from the command line.
//! - `chart`: the chart commands end to end on a real encrypted file.
//! - `crash`: a kill while writing leaves the chart consistent.
//! - `sync`: joining a clinic server and syncing through it.

mod billing;
mod chart;
mod code;
mod crash;
mod sync;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `stride` with `args` and `stdin`, with no chart environment of its own.
pub fn stride(args: &[&str], stdin: &[u8]) -> Output {
    stride_env(args, stdin, &[])
}

/// Runs `stride` with extra environment variables.
pub fn stride_env(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stride"));
    for var in [
        "STRIDE_DB",
        "STRIDE_USER",
        "STRIDE_PASSWORD",
        "STRIDE_PASSPHRASE",
        "STRIDE_BACKUP_PASSPHRASE",
        "STRIDE_NEW_PASSWORD",
    ] {
        cmd.env_remove(var);
    }
    let mut child = cmd
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stride starts");
    // stride may exit before reading stdin (a missing rule file); a broken pipe is fine.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("stride finishes")
}
