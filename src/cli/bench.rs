//! `brigade bench …`: runs the `brigade-bench` binary that sits beside this one (the
//! benchmarks are a crate of their own, so the app carries none of their code).

use std::process::Command;

use super::Failure;

pub fn run(args: &[String]) -> Result<i32, Failure> {
    let exe = std::env::current_exe().map_err(|e| {
        Failure::new(
            "BENCH_NOT_BUILT",
            format!("cannot find this executable: {e}"),
        )
    })?;
    let bench = exe.with_file_name(format!("brigade-bench{}", std::env::consts::EXE_SUFFIX));
    if !bench.is_file() {
        return Err(Failure::new(
            "BENCH_NOT_BUILT",
            format!(
                "the benchmarks are not built beside this binary ({}): run `cargo build --release --workspace` first",
                crate::display::safe(&bench.display().to_string())
            ),
        ));
    }
    let status = Command::new(&bench)
        .arg("--brigade")
        .arg(&exe)
        .args(args)
        .status()
        .map_err(|e| {
            Failure::new(
                "BENCH_NOT_BUILT",
                format!("cannot run {}: {e}", bench.display()),
            )
        })?;
    Ok(status.code().unwrap_or(1))
}
