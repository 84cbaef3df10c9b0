//! The real binary in a pseudo-terminal, for end-to-end tests: spawn it on a database, read
//! its screen through a terminal emulator, type keys, wait for what should appear (never a
//! fixed sleep: a generous deadline), and quit checking the terminal was given back.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

pub struct Term {
    pub parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Term {
    pub fn spawn(db: &Path, args: &[&str], cols: u16, rows: u16) -> Term {
        Term::spawn_env(db, args, cols, rows, &[])
    }

    pub fn spawn_env(db: &Path, args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Term {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_brigade"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("NO_COLOR", "1");
        cmd.env_remove("BRIGADE_DB");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let p = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Term {
            parser,
            writer,
            child,
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn wait_text(&self, text: &str) {
        self.wait_for(text, |s| s.contains(text));
    }

    pub fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn quit(self) {
        self.quit_with("q");
    }

    /// Quits with `keys` (`"\u{3}"`: Ctrl-C), checking the exit status and that the terminal
    /// was given back.
    pub fn quit_with(mut self, keys: &str) {
        self.keys(keys);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "exit status {status:?}");
                break;
            }
            assert!(Instant::now() < deadline, "did not quit");
            std::thread::sleep(Duration::from_millis(25));
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (alt, hidden, paste) = {
                let p = self.parser.lock().unwrap();
                let s = p.screen();
                (s.alternate_screen(), s.hide_cursor(), s.bracketed_paste())
            };
            if !alt && !hidden && !paste {
                break; // the terminal was given back as it was found
            }
            assert!(Instant::now() < deadline, "terminal not restored");
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}
