//! A throwaway PostgreSQL server for tests, started from the server binaries installed on the
//! machine (`initdb`, `pg_ctl`, `postgres`: on PATH or under `/usr/lib/postgresql/*/bin`) in a
//! temporary directory, listening on a unix socket there only (no TCP port), and removed when
//! dropped. Running as root, it runs the binaries as the unprivileged `postgres` user (they
//! refuse root).
//!
//! [`PgServer::start_or_skip`] is what a test calls: when no server can be started it says
//! plainly why on stderr and the test returns early — unless `BRIGADE_REQUIRE_POSTGRES` is set
//! (as `.ci/run` does), in which case the test fails.

mod shared;

pub use shared::{fresh_database, shared};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct PgServer {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// Runs the server's binaries as this user (when the tests run as root).
    as_user: Option<String>,
    port: u16,
    /// Listening on 127.0.0.1 too, for TLS connections only (see [`PgServer::start_tls`]).
    tls: bool,
}

/// The superuser of the throwaway cluster.
pub const ADMIN: &str = "brigade_admin";

impl PgServer {
    /// A fresh server, or `None` (with the reason on stderr) when none can be started here and
    /// PostgreSQL is not required.
    pub fn start_or_skip(test: &str) -> Option<PgServer> {
        PgServer::or_skip(test, PgServer::start())
    }

    /// As [`start_or_skip`](Self::start_or_skip), for a server started some other way.
    #[allow(dead_code)] // not every test binary starts a TLS server
    pub fn or_skip(test: &str, started: Result<PgServer, String>) -> Option<PgServer> {
        match started {
            Ok(server) => Some(server),
            Err(why) if std::env::var_os("BRIGADE_REQUIRE_POSTGRES").is_some() => {
                panic!("{test}: PostgreSQL is required (BRIGADE_REQUIRE_POSTGRES) but: {why}")
            }
            Err(why) => {
                // Straight to the terminal: the test harness keeps a passing test's eprintln!.
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "NOTE: {test} did not run against PostgreSQL: {why}"
                );
                None
            }
        }
    }

    /// Starts a fresh cluster; the error says why not.
    pub fn start() -> Result<PgServer, String> {
        PgServer::start_with(false)
    }

    #[allow(dead_code)] // used by the TLS tests only
    /// A fresh server that also listens on 127.0.0.1 (port [`port`](Self::port)) and accepts
    /// TCP connections only over TLS, with a certificate for `localhost` and `127.0.0.1`
    /// signed by a throwaway authority ([`ca_file`](Self::ca_file)); made with `openssl`.
    pub fn start_tls() -> Result<PgServer, String> {
        PgServer::start_with(true)
    }

    fn start_with(tls: bool) -> Result<PgServer, String> {
        let bin = find_bin().ok_or(
            "no PostgreSQL server binaries (initdb, pg_ctl) on PATH or under /usr/lib/postgresql",
        )?;
        let dir = tempfile::Builder::new()
            .prefix("brigade-pg")
            .tempdir()
            .map_err(|e| format!("no temporary directory: {e}"))?;
        let as_user = is_root().then(|| "postgres".to_string());
        if let Some(user) = &as_user {
            run(Command::new("chown").arg(user).arg(dir.path()))
                .map_err(|e| format!("cannot give the temporary directory to {user}: {e}"))?;
        }
        // Each server its own socket name, so that servers of tests running at once never meet.
        let port = if tls {
            // A TCP port nobody holds now.
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| format!("no free TCP port: {e}"))?
                .port()
        } else {
            20000 + (std::process::id() % 20000) as u16
        };
        let server = PgServer {
            dir,
            bin,
            as_user,
            port,
            tls,
        };
        server
            .tool("initdb")
            .args(["-D"])
            .arg(server.data())
            .args([
                "-U",
                ADMIN,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .map_err(|e| format!("initdb did not run: {e}"))
            .and_then(ok("initdb"))?;
        if tls {
            server.make_certificates()?;
            // Local socket as before; over TCP, TLS or nothing.
            std::fs::write(
                server.data().join("pg_hba.conf"),
                "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
            )
            .map_err(|e| format!("cannot write pg_hba.conf: {e}"))?;
        }
        server.pg_ctl_start()?;
        Ok(server)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The directory holding the server's socket.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The throwaway authority's certificate (PEM), for `sslrootcert=` (TLS servers only).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// A connection URL for `user` to `db` over TCP to `host` (`localhost` or `127.0.0.1`),
    /// ending in `?` so that parameters follow.
    pub fn tcp_url(&self, user: &str, host: &str, db: &str) -> String {
        format!("postgres://{user}@{host}:{}/{db}?", self.port)
    }

    /// A connection URL for `user` to database `db`, through the server's socket.
    pub fn url(&self, user: &str, db: &str) -> String {
        format!(
            "postgres://{user}@localhost:{}/{db}?host={}",
            self.port,
            self.socket_dir().display()
        )
    }

    /// Runs SQL with `psql` as the superuser, on `db`; its output, or why it failed.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String, String> {
        // The server's own psql, else the one on PATH.
        let run = |program: &Path| {
            Command::new(program)
                .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
                .arg(self.socket_dir())
                .args([
                    "-p",
                    &self.port.to_string(),
                    "-U",
                    ADMIN,
                    "-d",
                    db,
                    "-c",
                    sql,
                ])
                .output()
        };
        let out = run(&self.bin.join("psql"))
            .or_else(|_| run(Path::new("psql")))
            .map_err(|e| format!("psql did not run: {e}"))?;
        ok("psql")(out).map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    }

    /// Kills the server at once, as a power cut or a crash would (no shutdown checkpoint).
    pub fn kill(&self) -> Result<(), String> {
        self.pg_ctl(&["stop", "-m", "immediate"])
    }

    /// Freezes (`SIGSTOP`) or thaws (`SIGCONT`) the server and all its processes: a server that
    /// hangs, whose sockets stay open and answer nothing.
    pub fn signal_all(&self, signal: &str) -> Result<(), String> {
        let pid_file = std::fs::read_to_string(self.data().join("postmaster.pid"))
            .map_err(|e| format!("no postmaster.pid: {e}"))?;
        let pid = pid_file.lines().next().unwrap_or("").trim().to_string();
        // Children first, so that none is forked after the parent was looked at.
        let _ = Command::new("pkill").args([signal, "-P", &pid]).status();
        run(Command::new("kill").args([signal, &pid]))
    }

    /// Starts it again after [`kill`](Self::kill), on the same socket, with the same data.
    pub fn restart(&self) -> Result<(), String> {
        self.pg_ctl_start()
    }

    fn pg_ctl_start(&self) -> Result<(), String> {
        let mut options = format!(
            "-k {} -p {} -c fsync=on -c max_connections=60",
            self.socket_dir().display(),
            self.port
        );
        if self.tls {
            options.push_str(&format!(
                " -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key",
                self.dir.path().display()
            ));
        } else {
            options.push_str(" -c listen_addresses=");
        }
        let log = self.dir.path().join("server.log");
        self.pg_ctl(&[
            "start",
            "-w",
            "-t",
            "60",
            "-l",
            log.to_str().expect("a temporary path is text"),
            "-o",
            &options,
        ])
        .map_err(|e| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            format!("{e}; server log:\n{log}")
        })
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        self.tool("pg_ctl")
            .arg("-D")
            .arg(self.data())
            .args(args)
            .output()
            .map_err(|e| format!("pg_ctl did not run: {e}"))
            .and_then(ok("pg_ctl"))
            .map(drop)
    }

    /// A throwaway authority and a server certificate it signed, for `localhost` and
    /// `127.0.0.1`, readable by the server only.
    fn make_certificates(&self) -> Result<(), String> {
        let dir = self.dir.path();
        let openssl = |args: &[&str]| {
            run(Command::new("openssl").current_dir(dir).args(args))
                .map_err(|e| format!("openssl (needed for the TLS test) failed: {e}"))
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Brigade test authority",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ])?;
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ])?;
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .map_err(|e| e.to_string())?;
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ])?;
        run(Command::new("chmod").arg("600").arg(dir.join("server.key")))?;
        if let Some(user) = &self.as_user {
            run(Command::new("chown")
                .arg(user)
                .arg(dir.join("server.key"))
                .arg(dir.join("server.crt")))?;
        }
        Ok(())
    }

    /// A server binary, run as the unprivileged user when needed.
    fn tool(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        match &self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(path);
                c
            }
            None => Command::new(path),
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self.kill();
    }
}

fn ok(what: &'static str) -> impl Fn(Output) -> Result<Output, String> {
    move |out| {
        if out.status.success() {
            Ok(out)
        } else {
            Err(format!(
                "{what} failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

fn run(c: &mut Command) -> Result<(), String> {
    c.output()
        .map_err(|e| e.to_string())
        .and_then(ok("command"))
        .map(drop)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The directory of `initdb` and `pg_ctl`: on PATH, else the newest under
/// `/usr/lib/postgresql/*/bin`.
fn find_bin() -> Option<PathBuf> {
    let has = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            if has(&d) {
                return Some(d);
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| has(d))
        .collect();
    versions.sort();
    versions.pop()
}
