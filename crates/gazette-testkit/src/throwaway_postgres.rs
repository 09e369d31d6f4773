//! A PostgreSQL cluster of a test's own, made with `initdb` and run with `pg_ctl` on a free
//! port, so the test can break it: stop it, start it again, freeze it (`SIGSTOP`), end its
//! backends. It runs when PostgreSQL is configured for the tests (`GAZETTE_TEST_DATABASE_URL`:
//! the server's programs are then installed); dropping it stops the cluster.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use gazette_store::testing::postgres_url;

/// A running (or deliberately broken) PostgreSQL cluster.
#[derive(Debug)]
pub struct ThrowawayPostgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    frozen: bool,
}

impl ThrowawayPostgres {
    /// Makes and starts a cluster; None when PostgreSQL is not configured (skipped locally,
    /// a failure under CI).
    pub fn start() -> Option<Self> {
        postgres_url()?;
        let bin = server_programs();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
        // The server runs as `postgres` when the tests run as root (initdb refuses root).
        set_mode(dir.path(), 0o755);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap_or_else(|e| panic!("finding a free port: {e}"))
            .port();
        let cluster = Self {
            bin,
            dir,
            port,
            frozen: false,
        };
        for dir in [cluster.data(), cluster.run_dir()] {
            std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
            cluster.own(&dir);
        }
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data().display().to_string(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        cluster.start_server();
        Some(cluster)
    }

    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server again (on the same port) after [`stop`](Self::stop).
    pub fn start_server(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off",
            self.port,
            self.run_dir().display()
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().display().to_string(),
                "-l",
                &self.run_dir().join("server.log").display().to_string(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server (fast shutdown: sessions are ended, nothing is lost).
    pub fn stop(&self) {
        self.pg_ctl_stop("fast");
    }

    /// Freezes the server and every backend (`SIGSTOP`): connections stay open and silent.
    pub fn freeze(&mut self) {
        self.signal_all("STOP");
        self.frozen = true;
    }

    /// Lets a frozen server run again.
    pub fn thaw(&mut self) {
        self.signal_all("CONT");
        self.frozen = false;
    }

    /// Ends every session of the application `gazette`, as an operator's
    /// `pg_terminate_backend` or a failing network would.
    pub fn terminate_gazette_backends(&self) -> usize {
        let output = self.psql(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity \
             where application_name = 'gazette' and pid <> pg_backend_pid()",
        );
        output.trim().parse().unwrap_or(0)
    }

    /// Runs one statement with psql and returns what it printed (unaligned, tuples only).
    pub fn psql(&self, sql: &str) -> String {
        let output = Command::new("psql")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .args(["-d", "postgres", "-At", "-c", sql])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("running psql: {e}"));
        assert!(
            output.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The server's socket and log.
    fn run_dir(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    fn pg_ctl_stop(&self, mode: &str) {
        let data = self.data().display().to_string();
        let output = self.command("pg_ctl", &["-D", &data, "-m", mode, "-w", "stop"]);
        assert!(output.status.success(), "stopping the server: {output:?}");
    }

    /// Sends `signal` to the postmaster and its children.
    fn signal_all(&self, signal: &str) {
        let pid_file = std::fs::read_to_string(self.data().join("postmaster.pid"))
            .unwrap_or_else(|e| panic!("the server's pid file: {e}"));
        let pid = pid_file
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        let _ = Command::new("pkill")
            .args([&format!("-{signal}"), "-P", &pid])
            .status();
        let _ = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status();
    }

    /// Makes `path` the server user's when the tests run as root.
    fn own(&self, path: &Path) {
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres", &path.display().to_string()])
                .status()
                .unwrap_or_else(|e| panic!("chown: {e}"));
            assert!(status.success(), "chown {}", path.display());
        }
    }

    /// Runs one of the server's programs, as `postgres` when the tests run as root.
    fn run(&self, program: &str, args: &[&str]) {
        let output = self.command(program, args);
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn command(&self, program: &str, args: &[&str]) -> std::process::Output {
        let program = self.bin.join(program);
        let mut command = if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        command
            .args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("running {}: {e}", program.display()))
    }
}

impl Drop for ThrowawayPostgres {
    fn drop(&mut self) {
        if self.frozen {
            self.signal_all("CONT");
        }
        let data = self.data().display().to_string();
        // Already stopped is fine: nothing to report from a destructor.
        let _ = self.command("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}

/// The newest installed server's programs (`/usr/lib/postgresql/15/bin`).
fn server_programs() -> PathBuf {
    let mut versions: Vec<u32> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    versions.sort_unstable();
    let newest = versions
        .last()
        .unwrap_or_else(|| panic!("no PostgreSQL server under /usr/lib/postgresql"));
    PathBuf::from(format!("/usr/lib/postgresql/{newest}/bin"))
}

fn is_root() -> bool {
    std::env::var("USER").is_ok_and(|user| user == "root")
        || Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}
