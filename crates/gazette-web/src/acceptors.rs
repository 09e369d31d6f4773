//! Connections are served by one single-threaded runtime per core, as nginx's workers serve
//! theirs; what the router does (rendering, the store, the back office) still runs on the
//! node's main runtime.
//!
//! A cached hit then never leaves the thread whose runtime read the request: no work
//! stealing between cores, no wake-up of another worker, no future moved across threads.
//! A request that goes on to the router is spawned onto the main runtime, where the store's
//! connections and every background task live, and the connection awaits it.
//!
//! The main runtime accepts and hands the connections out in turn, so each core gets its
//! share: when the acceptors all waited on the one listening socket, they took connections
//! unevenly (under `wrk -c32`, one of two did three fifths of the work).

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::time::Duration;

use axum::extract::Request;
use axum::response::Response;
use axum::serve::IncomingStream;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tower::Service;

/// Connections waiting for an acceptor to take them, each.
const QUEUE: usize = 256;

/// One acceptor per core.
pub(crate) fn per_core() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Serves `doors` (the front doors, in tests any service maker) on `listener` with `count`
/// acceptor threads until `shutdown` completes, then stops taking connections and lets each
/// acceptor finish its requests in flight.
pub(crate) async fn serve<M, S>(
    doors: M,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    count: usize,
) -> std::io::Result<()>
where
    M: for<'a> Service<IncomingStream<'a, Arrivals>, Error = Infallible, Response = S>
        + Clone
        + Send
        + 'static,
    for<'a> <M as Service<IncomingStream<'a, Arrivals>>>::Future: Send,
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    // At least one: with none, the hand-out would end at once and the site with it.
    let count = count.max(1);
    let (stop, stopped) = watch::channel(false);
    let (exited, mut exits) = mpsc::channel(count);
    let mut handoffs = Vec::with_capacity(count);
    for number in 0..count {
        let (handoff, arrivals) = mpsc::channel(QUEUE);
        handoffs.push(handoff);
        let acceptor = Acceptor {
            arrivals: Arrivals(arrivals),
            doors: doors.clone(),
            stopped: stopped.clone(),
        };
        let exited = exited.clone();
        std::thread::Builder::new()
            .name(format!("gazette-http-{number}"))
            .spawn(move || {
                let _ = exited.blocking_send(acceptor.run());
            })?;
    }
    drop(exited);
    let early = tokio::select! {
        () = shutdown => None,
        () = hand_out(&listener, &handoffs) => None,
        // An acceptor that stops before the node does (its runtime could not start) stops
        // the site: serving on fewer cores without a word would be a fault nobody sees.
        exit = exits.recv() => Some(exit),
    };
    // No new connections from here on.
    drop((listener, handoffs));
    let _ = stop.send(true);
    if let Some(exit) = early {
        exit.unwrap_or(Ok(()))?;
        return Err(std::io::Error::other(
            "an acceptor thread stopped on its own",
        ));
    }
    while let Some(exit) = exits.recv().await {
        exit?;
    }
    Ok(())
}

/// Accepts connections and gives them to the acceptors in turn, for ever.
async fn hand_out(listener: &TcpListener, handoffs: &[mpsc::Sender<Arrival>]) {
    for handoff in handoffs.iter().cycle() {
        let arrival = loop {
            match listener.accept().await {
                Ok((stream, peer)) => match stream.into_std() {
                    Ok(stream) => break (stream, peer),
                    Err(error) => tracing::debug!(%error, "a connection closed as it came"),
                },
                Err(error) => wait_after(error).await,
            }
        };
        // An acceptor gone (only while stopping) drops the connection.
        let _ = handoff.send(arrival).await;
    }
}

/// A failed `accept`: a connection reset before it was taken is nothing; anything else (out
/// of file descriptors) is logged and waited out, as axum's own listener does.
async fn wait_after(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        tracing::error!(%error, "cannot accept connections; trying again in a second");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// A connection as the main runtime accepted it, not yet tied to any runtime.
type Arrival = (std::net::TcpStream, SocketAddr);

/// One acceptor thread's work.
struct Acceptor<M> {
    arrivals: Arrivals,
    doors: M,
    stopped: watch::Receiver<bool>,
}

impl<M, S> Acceptor<M>
where
    M: for<'a> Service<IncomingStream<'a, Arrivals>, Error = Infallible, Response = S>
        + Send
        + 'static,
    for<'a> <M as Service<IncomingStream<'a, Arrivals>>>::Future: Send,
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    /// Serves the connections handed to it on a runtime of its own until told to stop.
    fn run(self) -> std::io::Result<()> {
        let Self {
            arrivals,
            doors,
            mut stopped,
        } = self;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            axum::serve(arrivals, doors)
                .with_graceful_shutdown(async move {
                    let _ = stopped.wait_for(|stopped| *stopped).await;
                })
                .await
        })
    }
}

/// The connections handed to one acceptor, as the listener axum serves.
pub(crate) struct Arrivals(mpsc::Receiver<Arrival>);

impl axum::serve::Listener for Arrivals {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            // None only while stopping, when axum no longer asks.
            let Some((stream, peer)) = self.0.recv().await else {
                std::future::pending::<()>().await;
                continue;
            };
            // Registered with this thread's runtime, which will do all its reading and writing.
            match TcpStream::from_std(stream) {
                Ok(stream) => return (stream, peer),
                Err(error) => tracing::warn!(%error, "cannot take over a connection"),
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Err(std::io::Error::other(
            "connections are handed to acceptors, which listen on no address",
        ))
    }
}

#[cfg(test)]
mod tests;
