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

    /// The connection document log writes go through: any pooled one (a server's caches are
    /// shared by all its connections).
    pub(super) async fn log_writer(&self) -> sqlx::Result<sqlx::pool::PoolConnection<sqlx::Postgres>> {
        self.pool.acquire().await
    }
}

super::impl_all_stores!(PostgresStore, "postgres");
