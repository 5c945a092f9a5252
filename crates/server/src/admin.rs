//! Administration from the server's command line: clinics, users, devices. Users and the
//! clinic are published in the feed like any record, so every device can sign people in
//! while offline.

use crate::auth::hash_password;
use crate::feed;
use anyhow::{Context, bail};
use deadpool_postgres::Pool;
use serde_json::json;
use stride_protocol::policy::ROLES;
use uuid::Uuid;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Creates a clinic and its owner; returns the clinic's id. `id` adopts a chosen id.
pub async fn create_clinic(
    pool: &Pool,
    name: &str,
    id: Option<Uuid>,
    owner: &str,
    password: &str,
    clinician: bool,
) -> anyhow::Result<Uuid> {
    let name = name.trim();
    if name.is_empty() {
        bail!("give the clinic a name");
    }
    let clinic_id = id.unwrap_or_else(Uuid::now_v7);
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    tx.execute("INSERT INTO clinic (id, name) VALUES ($1, $2)", &[&clinic_id, &name])
        .await
        .context("could not create the clinic (is that id already taken?)")?;
    tx.execute("INSERT INTO clinic_seq (clinic_id) VALUES ($1)", &[&clinic_id])
        .await?;
    let image = feed::as_image(json!({ "id": clinic_id.to_string(), "name": name, "npi": null, "created_at": now() }))
        .unwrap_or_default();
    feed::publish(&tx, clinic_id, "clinic", &clinic_id.to_string(), &image, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let roles: &[&str] = if clinician { &["admin", "pt"] } else { &["admin"] };
    insert_user(&tx, clinic_id, owner, password, roles).await?;
    tx.commit().await?;
    Ok(clinic_id)
}

/// Adds a user to a clinic; returns the user's id.
pub async fn add_user(
    pool: &Pool,
    clinic_id: Uuid,
    name: &str,
    password: &str,
    roles: &[&str],
) -> anyhow::Result<Uuid> {
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    if tx
        .query_opt("SELECT 1 FROM clinic WHERE id = $1", &[&clinic_id])
        .await?
        .is_none()
    {
        bail!("there is no clinic {clinic_id}");
    }
    let id = insert_user(&tx, clinic_id, name, password, roles).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_user(
    tx: &deadpool_postgres::Transaction<'_>,
    clinic_id: Uuid,
    name: &str,
    password: &str,
    roles: &[&str],
) -> anyhow::Result<Uuid> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        bail!("give the user a name of 1 to 100 characters");
    }
    if password.chars().count() < 8 {
        bail!("the password needs at least 8 characters (set STRIDE_PASSWORD)");
    }
    if let Some(bad) = roles.iter().find(|r| !ROLES.contains(r)) {
        bail!("{bad} is not a role: use one of {}", ROLES.join(", "));
    }
    let hash = hash_password(password)?;
    let id = Uuid::now_v7();
    let role_list: Vec<String> = roles.iter().map(|r| (*r).to_owned()).collect();
    tx.execute(
        "INSERT INTO app_user (id, clinic_id, name, password_hash, roles) VALUES ($1, $2, $3, $4, $5)",
        &[&id, &clinic_id, &name, &hash, &role_list],
    )
    .await
    .map_err(|e| match e.code() {
        Some(c) if *c == tokio_postgres::error::SqlState::UNIQUE_VIOLATION => {
            anyhow::anyhow!("a user named {name} already exists")
        }
        _ => anyhow::Error::from(e),
    })?;
    let mut image = json!({ "id": id.to_string(), "name": name, "password_hash": hash, "pin_hash": null,
        "npi": null, "active": 1, "created_at": now() });
    for r in roles {
        image[format!("user_role/{r}")] = json!({ "role": r });
    }
    let image = feed::as_image(image).unwrap_or_default();
    feed::publish(tx, clinic_id, "user", &id.to_string(), &image, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(id)
}

/// Sets a user's individual NPI (checked by its check digit), publishing the new version
/// of the user to the clinic's devices; returns the user's id.
pub async fn set_user_npi(pool: &Pool, clinic_id: Uuid, name: &str, npi: &str) -> anyhow::Result<Uuid> {
    let npi = npi.trim();
    if !stride_billing::npi::is_valid(npi) {
        bail!("{npi:?} is not a valid NPI: ten digits with the right check digit");
    }
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    let id: Uuid = tx
        .query_opt(
            "SELECT id FROM app_user WHERE clinic_id = $1 AND name = $2",
            &[&clinic_id, &name.trim()],
        )
        .await?
        .map(|r| r.get(0))
        .ok_or_else(|| anyhow::anyhow!("the clinic has no user named {name}"))?;
    let mut image = feed::current(&tx, clinic_id, "user", &id.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("the user {name} has no record to update"))?;
    image.insert("npi".into(), json!(npi));
    feed::publish(&tx, clinic_id, "user", &id.to_string(), &image, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tx.commit().await?;
    Ok(id)
}

/// Revokes a device and every token it holds; returns its id.
pub async fn revoke_device(pool: &Pool, device_id: Uuid) -> anyhow::Result<Uuid> {
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    let n = tx
        .execute(
            "UPDATE device SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1",
            &[&device_id],
        )
        .await?;
    if n == 0 {
        bail!("there is no device {device_id}");
    }
    tx.execute(
        "UPDATE device_token SET revoked_at = coalesce(revoked_at, now()) WHERE device_id = $1",
        &[&device_id],
    )
    .await?;
    tx.commit().await?;
    Ok(device_id)
}
