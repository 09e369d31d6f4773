//! The acceptors on their own, serving a router that says which thread answered.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot};

use super::serve;

/// What the test and the `/held` handler tell each other: that it started, that it may end.
#[derive(Default)]
struct Gates {
    started: Notify,
    release: Notify,
}

fn router(gates: Arc<Gates>) -> Router {
    Router::new()
        .route(
            "/thread",
            get(|| async { std::thread::current().name().unwrap_or("").to_owned() }),
        )
        .route(
            "/held",
            get(move || async move {
                gates.started.notify_one();
                gates.release.notified().await;
                "finished"
            }),
        )
}

/// A server with `count` acceptors, and what stops it.
async fn start(
    count: usize,
    gates: Arc<Gates>,
) -> (
    std::net::SocketAddr,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        router(gates).into_make_service(),
        listener,
        async move {
            let _ = stopped.await;
        },
        count,
    ));
    (address, stop, server)
}

/// The body of a GET of `path` on a kept-alive connection.
async fn get_body(stream: &mut TcpStream, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0_u8; 1024];
    loop {
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the connection closed before the response");
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received).into_owned();
        let Some((head, body)) = text.split_once("\r\n\r\n") else {
            continue;
        };
        let length: usize = head
            .lines()
            .find_map(|line| {
                line.to_ascii_lowercase()
                    .strip_prefix("content-length: ")
                    .map(str::to_owned)
            })
            .and_then(|value| value.trim().parse().ok())
            .unwrap();
        if body.len() >= length {
            return body.to_owned();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_shared_out_among_the_acceptors_in_turn() {
    let (address, stop, server) = start(2, Arc::default()).await;
    let mut answered_by = Vec::new();
    let mut connections = Vec::new();
    for _ in 0..4 {
        let mut stream = TcpStream::connect(address).await.unwrap();
        answered_by.push(get_body(&mut stream, "/thread").await);
        connections.push(stream);
    }
    // Each connection stays with its acceptor.
    for (stream, first) in connections.iter_mut().zip(&answered_by) {
        assert_eq!(&get_body(stream, "/thread").await, first);
    }
    answered_by.sort();
    assert_eq!(
        answered_by,
        [
            "gazette-http-0",
            "gazette-http-0",
            "gazette-http-1",
            "gazette-http-1"
        ]
    );
    stop.send(()).unwrap();
    drop(connections);
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_finishes_the_requests_in_flight_and_takes_no_more() {
    let gates = Arc::new(Gates::default());
    let (address, stop, server) = start(2, gates.clone()).await;
    let mut stream = TcpStream::connect(address).await.unwrap();
    let in_flight = tokio::spawn(async move { get_body(&mut stream, "/held").await });
    gates.started.notified().await;
    stop.send(()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(address).await.is_ok() {
        assert!(Instant::now() < deadline, "still taking connections");
        tokio::task::yield_now().await;
    }
    assert!(!server.is_finished(), "stopped with a request in flight");
    gates.release.notify_one();
    assert_eq!(in_flight.await.unwrap(), "finished");
    server.await.unwrap().unwrap();
}
