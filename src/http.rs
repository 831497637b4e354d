//! The daemon's HTTP listener (`[http] listen`): `/metrics` for Prometheus, and the calendar feeds at
//! `/feeds/TOKEN/NAME.ics`.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::sync::watch;
use tracing::warn;

use crate::feeds::publish::Shelf;
use crate::store::Db;

/// Serves until `stopped` turns true.
pub async fn serve(
    listener: tokio::net::TcpListener,
    db: Db,
    feeds: Shelf,
    mut stopped: watch::Receiver<bool>,
) {
    let app = Router::new().route("/metrics", get(metrics)).with_state(db).merge(
        Router::new().route("/feeds/{token}/{file}", get(crate::feeds::serve::feed)).with_state(feeds),
    );
    let shutdown = async move {
        while !*stopped.borrow() {
            if stopped.changed().await.is_err() {
                break;
            }
        }
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        warn!(error = %e, "the HTTP listener stopped");
    }
}

async fn metrics(State(db): State<Db>) -> impl IntoResponse {
    match db.run(|store| crate::metrics::render(store)).await {
        Ok(text) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text)
        }
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("cannot read the database: {e}\n"),
        ),
    }
}
