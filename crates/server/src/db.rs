//! The connection pool and the embedded migrations (`migrations/server/`).

use anyhow::Context;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::path::Path;
use std::str::FromStr;
use tokio_postgres::NoTls;
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

/// The migrations, oldest first. Never edit a shipped one: add a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/server/0001_initial.sql"),
    include_str!("../../../migrations/server/0002_billing.sql"),
    include_str!("../../../migrations/server/0003_hardening.sql"),
];

/// A lock number no other program on the database uses: migrations run under it, so two
/// server instances starting together do not both migrate.
const MIGRATION_LOCK: i64 = 0x5354_5249_4445;

/// Connects a pool to `url` (see [`pool_with_ca`]).
pub fn pool(url: &str) -> anyhow::Result<Pool> {
    pool_with_ca(url, None)
}

/// Connects a pool to `url`. With `sslmode=require` in the URL, every connection is TLS,
/// and the server's certificate is verified against the public roots or, when given, the
/// certificate authority in the PEM file `ca` (a clinic's own); otherwise connections are
/// plain (PostgreSQL on the same machine, or over a private link).
pub fn pool_with_ca(url: &str, ca: Option<&Path>) -> anyhow::Result<Pool> {
    let config = tokio_postgres::Config::from_str(url).context("the database URL is not valid")?;
    let manager_config = ManagerConfig {
        recycling_method: RecyclingMethod::Fast,
    };
    let manager = if config.get_ssl_mode() == SslMode::Require {
        Manager::from_config(config, tls_connector(ca)?, manager_config)
    } else {
        Manager::from_config(config, NoTls, manager_config)
    };
    Pool::builder(manager)
        .max_size(16)
        .build()
        .context("could not set up the database pool")
}

fn tls_connector(ca: Option<&Path>) -> anyhow::Result<MakeRustlsConnect> {
    use tokio_rustls::rustls::pki_types::CertificateDer;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    match ca {
        Some(file) => {
            for cert in CertificateDer::pem_file_iter(file)
                .with_context(|| format!("could not read the database's CA {}", file.display()))?
            {
                roots
                    .add(cert.with_context(|| format!("{} is not valid PEM", file.display()))?)
                    .context("the database's CA certificate is not usable")?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = std::sync::Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS setup failed")?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// Applies every migration the database lacks.
pub async fn migrate(pool: &Pool) -> anyhow::Result<()> {
    let mut client = pool.get().await.context("could not connect to the database")?;
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
        .await?;
    let applied: i64 = tx.query_one("SELECT count(*) FROM schema_version", &[]).await?.get(0);
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(applied).unwrap_or(0))
    {
        tx.batch_execute(sql)
            .await
            .with_context(|| format!("migration {} failed", i + 1))?;
        tx.execute("INSERT INTO schema_version (version) VALUES ($1)", &[&(i as i32 + 1)])
            .await?;
    }
    if applied > MIGRATIONS.len() as i64 {
        anyhow::bail!(
            "the database was migrated by a newer stride-server ({applied} > {})",
            MIGRATIONS.len()
        );
    }
    tx.commit().await?;
    Ok(())
}

/// Gives every clinic's feed a new epoch: after the database was restored from a backup,
/// devices must not trust the feed positions they hold. Returns how many clinics.
pub async fn new_epochs(pool: &Pool) -> anyhow::Result<u64> {
    let db = pool.get().await.context("could not connect to the database")?;
    Ok(db
        .execute("UPDATE clinic_seq SET epoch = gen_random_uuid()", &[])
        .await?)
}

/// Notices a database that was restored onto another PostgreSQL cluster or timeline (a
/// restore from a dump into a new cluster, a point-in-time recovery) since the server
/// last ran, and gives the feeds new epochs. Where the database role may not read the
/// cluster's identity, nothing is noticed: run `stride-server restored` after a restore.
pub async fn notice_restore(pool: &Pool) -> anyhow::Result<()> {
    let mut db = pool.get().await.context("could not connect to the database")?;
    let identity = db
        .query_one(
            "SELECT s.system_identifier::text || '/' || c.timeline_id::text FROM pg_control_system() s, pg_control_checkpoint() c",
            &[],
        )
        .await;
    let Ok(identity) = identity else {
        tracing::warn!("cannot read the PostgreSQL cluster's identity: after a restore, run `stride-server restored`");
        return Ok(());
    };
    let identity: String = identity.get(0);
    let tx = db.transaction().await?;
    let known: Option<String> = tx
        .query_opt("SELECT cluster FROM server_identity FOR UPDATE", &[])
        .await?
        .map(|r| r.get(0));
    if known.as_deref() != Some(identity.as_str()) {
        if known.is_some() {
            tracing::warn!("the database is on another cluster or timeline than before: feeds get new epochs");
            tx.execute("UPDATE clinic_seq SET epoch = gen_random_uuid()", &[])
                .await?;
        }
        tx.execute(
            "INSERT INTO server_identity (cluster) VALUES ($1) ON CONFLICT (only_row) DO UPDATE SET cluster = $1",
            &[&identity],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A prepared statement from the connection's cache: the hot paths run each statement
/// with one round trip instead of two (parse, then execute).
pub async fn cached(
    tx: &deadpool_postgres::Transaction<'_>,
    sql: &str,
) -> Result<tokio_postgres::Statement, tokio_postgres::Error> {
    tx.prepare_cached(sql).await
}
