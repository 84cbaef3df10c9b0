//! Commit-to-screen latency across processes, on either backend: a probe process follows the
//! database the way a screen does (its worker thread, the real path) and says when each change
//! is on screen, beside a bare follower (SQLite: `PRAGMA data_version` polled every
//! millisecond; PostgreSQL: a plain `LISTEN` connection) measured in the same run; and the idle
//! CPU of a watching screen.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::figures::{bench_err, median, Figure, Options};
use crate::probes;

use brigade::app::request::parse_line;
use brigade::app::{AppError, Brigade, Config};

/// Spawns `brigade-bench probe watch [--bare]` and forwards its `kind <ns>` lines.
fn spawn_watch(
    opts: &Options,
    path: &Path,
    bare: bool,
    tx: std::sync::mpsc::Sender<(String, i128)>,
) -> Result<std::process::Child, AppError> {
    let mut cmd = Command::new(&opts.probe_exe);
    cmd.args(["probe", "watch", "--db"]).arg(path);
    if bare {
        cmd.arg("--bare");
    }
    let mut child = cmd.stdout(Stdio::piped()).spawn().map_err(bench_err)?;
    let stdout = child.stdout.take().expect("piped");
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let mut parts = line.split_whitespace();
            if let (Some(kind), Some(ns)) = (parts.next(), parts.next()) {
                if let Ok(ns) = ns.parse() {
                    let _ = tx.send((kind.to_string(), ns));
                }
            }
        }
    });
    Ok(child)
}

fn percentile(xs: &[f64], p: usize) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    v.get((v.len() * p / 100).min(v.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

/// Commit-to-screen latency across processes on the database at `path` (made ready, with its
/// menu), beside the bare follower, and the idle CPU of a watching UI process and of the real
/// kitchen screen; `label` ends each figure's name.
pub fn latency(opts: &Options, path: &Path, label: &str) -> Result<Vec<Figure>, AppError> {
    let path = path.to_path_buf();
    let mut config = Config::new(&path, "bench");
    config.seed_menu = false;
    let mut b = Brigade::open(&config)?;
    b.execute(&parse_line(
        r#"{"type":"OpenOrder","order_id":"l","table":"1"}"#,
    )?)?;
    let (tx, rx) = std::sync::mpsc::channel::<(String, i128)>();
    let mut ui_child = spawn_watch(opts, &path, false, tx.clone())?;
    let mut bare_child = spawn_watch(opts, &path, true, tx)?;
    for _ in 0..2 {
        rx.recv_timeout(Duration::from_secs(30))
            .map_err(bench_err)?;
    }
    let samples = 200;
    let mut ui = Vec::new();
    let mut bare = Vec::new();
    for i in 0..samples {
        // Spaced irregularly (20-120 ms), so that commits do not fall into step with the
        // watcher's polling and flatter (or spoil) the figure.
        let mut rng = brigade::app::simulate::Rng::new(i as u64 + 1);
        std::thread::sleep(Duration::from_millis(20 + rng.below(100)));
        while rx.try_recv().is_ok() {}
        b.execute(&parse_line(
            r#"{"type":"AddItem","order_id":"l","item_id":"espresso","quantity":1}"#,
        )?)?;
        let committed = probes::now_ns();
        let (mut u, mut f) = (None, None);
        let deadline = Instant::now() + Duration::from_secs(5);
        while u.is_none() || f.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok((kind, ns)) = rx.recv_timeout(left) else {
                break;
            };
            let ms = Some(((ns - committed).max(0)) as f64 / 1e6);
            match kind.as_str() {
                "ui" => u = u.or(ms),
                "bare" => f = f.or(ms),
                _ => {}
            }
        }
        if let (Some(u), Some(f)) = (u, f) {
            ui.push(u);
            bare.push(f);
        }
    }
    let _ = bare_child.kill();
    let _ = bare_child.wait();
    let idle = Duration::from_secs(10);
    let cpu = |pid: u32| -> Option<f64> {
        let before = probes::cpu_seconds(pid)?;
        std::thread::sleep(idle);
        Some((probes::cpu_seconds(pid)? - before) / idle.as_secs_f64() * 100.0)
    };
    let ui_idle = cpu(ui_child.id());
    let _ = ui_child.kill();
    let _ = ui_child.wait();
    let mut out = vec![
        Figure {
            name: format!("cross-process latency, commit to redrawn screen: median{label}"),
            size: ui.len() as u64,
            value: median(ui.clone()),
            floor: Some(median(bare.clone())),
            unit: "ms",
            higher_is_better: false,
            target: "< 20 ms",
        },
        Figure {
            name: format!("cross-process latency, commit to redrawn screen: p99{label}"),
            size: ui.len() as u64,
            value: percentile(&ui, 99),
            floor: Some(percentile(&bare, 99)),
            unit: "ms",
            higher_is_better: false,
            target: "< 100 ms",
        },
    ];
    let idle_figure = |name: &str, value: f64| Figure {
        name: format!("{name}{label}"),
        size: idle.as_secs(),
        value,
        floor: None,
        unit: "% core",
        higher_is_better: false,
        target: "< 1%",
    };
    if let Some(v) = ui_idle {
        out.push(idle_figure("idle CPU of a watching UI loop", v));
    }
    // The real kitchen screen in a pseudo-terminal, doing nothing for a while.
    if let Some(mut kitchen) = kitchen_in_pty(opts, &path) {
        let mut tui = kitchen
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(bench_err)?;
        std::thread::sleep(Duration::from_secs(2));
        let v = cpu(tui.id());
        let _ = tui.kill();
        let _ = tui.wait();
        if let Some(v) = v {
            out.push(idle_figure(
                "idle CPU of `brigade kitchen` in a pty (incl. `script`)",
                v,
            ));
        }
    }
    Ok(out)
}

/// `brigade kitchen` on `db` in a pseudo-terminal (util-linux `script`), where there is one.
pub fn kitchen_in_pty(opts: &Options, db: &Path) -> Option<Command> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let cmd = format!(
        "{} --db {} kitchen",
        shell_quote(&opts.exe.display().to_string()),
        shell_quote(&db.display().to_string())
    );
    let mut command = Command::new(script);
    command.args(["-qec", &cmd, "/dev/null"]);
    Some(command)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
