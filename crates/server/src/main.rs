//! The `codeview` binary: parse the command line, set up logging, and run the command.

use std::process::ExitCode;

use clap::Parser;
use codeview::config::{Cli, Command};

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
            codeview::server::work(config, shutdown_signal()).await
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

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
