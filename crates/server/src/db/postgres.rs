//! The PostgreSQL backend, for production and for several server instances sharing one
//! database.

use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

pub struct PostgresStore {
    pub(super) pool: PgPool,
}

impl PostgresStore {
    pub async fn connect(url: &str) -> anyhow::Result<PostgresStore> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        sqlx::migrate!("migrations/postgres").run(&pool).await.context("migrating the PostgreSQL database")?;
        Ok(PostgresStore { pool })
    }

    /// The document log's writer, on a connection and runtime of its own (`postgres_log`).
    pub(super) fn log_writer(&self) -> anyhow::Result<Box<dyn super::DocLogWriter>> {
        let options = (*self.pool.connect_options()).clone();
        Ok(Box::new(super::postgres_log::PostgresLogWriter::new(options)?))
    }
}

super::impl_all_stores!(PostgresStore, "postgres");
