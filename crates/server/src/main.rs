//! The `codeview` binary: parse the command line, set up logging, and run the command.

use std::process::ExitCode;

use clap::Parser;
use codeview::config::{Cli, Command};
use codeview::drain::Stop;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(config) => {
            codeview::telemetry::init(config.log_format);
            serve(config).await
        }
        Command::Worker(config) => {
            codeview::telemetry::init(config.log_format);
            println!("CodeView worker: executing queued code runs ({} at once)", config.run_workers);
            // A worker serves no traffic: any signal only drains its runs.
            let signal = shutdown_signal();
            codeview::server::work(config, async move {
                signal.await;
            })
            .await
        }
        Command::Openapi => {
            println!("{}", codeview::app::openapi_json());
            Ok(())
        }
        Command::Migrate(database) => {
            codeview::telemetry::init(codeview::config::LogFormat::Pretty);
            codeview::db::connect(&database.database_url).await.map(|store| {
                println!("database schema is up to date ({})", store.backend());
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("codeview: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: codeview::config::Config) -> anyhow::Result<()> {
    use anyhow::Context;
    let listener =
        tokio::net::TcpListener::bind(config.addr).await.with_context(|| format!("listening on {}", config.addr))?;
    let bound = listener.local_addr()?;
    println!("CodeView is running at {}", config.public_url(bound));
    codeview::serve(listener, config, shutdown_signal()).await
}

/// Resolves on Ctrl-C (stop now) or SIGTERM (stop after draining). The handlers are installed
/// by this call, not when the future is first polled: a signal during start-up must not kill
/// the process outright.
fn shutdown_signal() -> impl std::future::Future<Output = Stop> {
    use tokio::signal::unix::{Signal, SignalKind, signal};
    let listen = |kind: SignalKind| match signal(kind) {
        Ok(signal) => Some(signal),
        Err(err) => {
            eprintln!("codeview: cannot listen for signal {}: {err}", kind.as_raw_value());
            None
        }
    };
    async fn received(signal: Option<Signal>) {
        match signal {
            Some(mut signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    }
    let (interrupt, terminate) = (listen(SignalKind::interrupt()), listen(SignalKind::terminate()));
    async move {
        tokio::select! {
            () = received(interrupt) => Stop::Now,
            () = received(terminate) => Stop::AfterDrain,
        }
    }
}
