//! `brigade bench …`: runs the `brigade-bench` binary that sits beside this one (the
//! benchmarks are a crate of their own, so the app carries none of their code).

use std::process::Command;

use super::Failure;

/// `db` is the global `--db` (or `BRIGADE_DB`): a PostgreSQL URL is measured there (in a
/// scratch schema); a SQLite path is not (the SQLite figures use scratch files of their own).
pub fn run(db: Option<&std::path::Path>, args: &[String]) -> Result<i32, Failure> {
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
    let mut command = Command::new(&bench);
    command.arg("--brigade").arg(&exe);
    if let Some(url) = db
        .and_then(|d| d.to_str())
        .filter(|d| crate::store::postgres::is_url(d))
    {
        command.arg("--db").arg(url);
    }
    let status = command.args(args).status().map_err(|e| {
        Failure::new(
            "BENCH_NOT_BUILT",
            format!("cannot run {}: {e}", bench.display()),
        )
    })?;
    Ok(status.code().unwrap_or(1))
}
