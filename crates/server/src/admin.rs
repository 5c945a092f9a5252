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
    record(&tx, clinic_id, "clinic.create", &clinic_id.to_string(), None).await?;
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
    let mut image = json!({ "id": id.to_string(), "name": name, "password_hash": NO_HASH,
        "npi": null, "active": 1, "created_at": now() });
    set_roles(&mut image, &role_list);
    let image = feed::as_image(image).unwrap_or_default();
    feed::publish(tx, clinic_id, "user", &id.to_string(), &image, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    record(tx, clinic_id, "user.add", &id.to_string(), Some(&role_list.join(" "))).await?;
    Ok(id)
}

/// What a user's published record holds in place of a password hash: no hash leaves the
/// server, and `!` verifies no password (devices keep their own verifiers).
const NO_HASH: &str = "!";

/// Puts a user's roles in their image as owned rows, in place of any there.
fn set_roles(image: &mut serde_json::Value, roles: &[String]) {
    if let Some(fields) = image.as_object_mut() {
        fields.retain(|k, _| !k.starts_with("user_role/"));
        for r in roles {
            fields.insert(format!("user_role/{r}"), json!({ "role": r }));
        }
    }
}

/// Records an administrator's act in the server's admin trail (append-only): ids and
/// roles, never a password.
async fn record(
    tx: &deadpool_postgres::Transaction<'_>,
    clinic_id: Uuid,
    action: &str,
    subject: &str,
    detail: Option<&str>,
) -> anyhow::Result<()> {
    tx.execute(
        "INSERT INTO admin_audit (clinic_id, action, subject, detail) VALUES ($1, $2, $3, $4)",
        &[&clinic_id, &action, &subject, &detail],
    )
    .await?;
    Ok(())
}

/// A user of a clinic by name, locked for the change: their id.
async fn user_named(tx: &deadpool_postgres::Transaction<'_>, clinic_id: Uuid, name: &str) -> anyhow::Result<Uuid> {
    tx.query_opt(
        "SELECT id FROM app_user WHERE clinic_id = $1 AND lower(name) = lower($2) FOR UPDATE",
        &[&clinic_id, &name.trim()],
    )
    .await?
    .map(|r| r.get(0))
    .ok_or_else(|| anyhow::anyhow!("the clinic has no user named {}", name.trim()))
}

/// Publishes a new version of a user's record with `change` applied.
async fn republish_user(
    tx: &deadpool_postgres::Transaction<'_>,
    clinic_id: Uuid,
    id: Uuid,
    change: impl FnOnce(&mut serde_json::Value),
) -> anyhow::Result<()> {
    let current = feed::current(tx, clinic_id, "user", &id.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .ok_or_else(|| anyhow::anyhow!("the user has no record to update"))?;
    let mut image = serde_json::Value::Object(current);
    change(&mut image);
    // Versions published before hashes stopped travelling carried one: never again.
    image["password_hash"] = json!(NO_HASH);
    if let Some(fields) = image.as_object_mut() {
        fields.remove("pin_hash");
    }
    let image = feed::as_image(image).unwrap_or_default();
    feed::publish(tx, clinic_id, "user", &id.to_string(), &image, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Revokes every token a user holds, on every device.
async fn revoke_tokens(tx: &deadpool_postgres::Transaction<'_>, user: Uuid) -> anyhow::Result<()> {
    tx.execute(
        "UPDATE device_token SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1",
        &[&user],
    )
    .await?;
    Ok(())
}

/// Deactivates a user: they can no longer sign in anywhere. Their tokens are revoked,
/// and the change is published so that devices refuse them offline too. Their pending
/// changes are refused (and kept) when they arrive. Returns their id.
pub async fn deactivate_user(pool: &Pool, clinic_id: Uuid, name: &str) -> anyhow::Result<Uuid> {
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    let id = user_named(&tx, clinic_id, name).await?;
    tx.execute("UPDATE app_user SET active = false WHERE id = $1", &[&id])
        .await?;
    revoke_tokens(&tx, id).await?;
    republish_user(&tx, clinic_id, id, |image| image["active"] = json!(0)).await?;
    record(&tx, clinic_id, "user.deactivate", &id.to_string(), None).await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets a new password for a user (from `STRIDE_PASSWORD`): their tokens are revoked, so
/// every device asks them to sign in again with it. Returns their id.
pub async fn reset_password(pool: &Pool, clinic_id: Uuid, name: &str, password: &str) -> anyhow::Result<Uuid> {
    if password.chars().count() < 8 {
        bail!("the password needs at least 8 characters (set STRIDE_PASSWORD)");
    }
    let hash = hash_password(password)?;
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    let id = user_named(&tx, clinic_id, name).await?;
    tx.execute("UPDATE app_user SET password_hash = $2 WHERE id = $1", &[&id, &hash])
        .await?;
    revoke_tokens(&tx, id).await?;
    record(&tx, clinic_id, "user.reset_password", &id.to_string(), None).await?;
    tx.commit().await?;
    Ok(id)
}

/// Gives a user exactly these roles, published to every device. Returns their id.
pub async fn set_roles_of(pool: &Pool, clinic_id: Uuid, name: &str, roles: &[&str]) -> anyhow::Result<Uuid> {
    if roles.is_empty() {
        bail!("give at least one role: {}", ROLES.join(", "));
    }
    if let Some(bad) = roles.iter().find(|r| !ROLES.contains(r)) {
        bail!("{bad} is not a role: use one of {}", ROLES.join(", "));
    }
    let role_list: Vec<String> = roles.iter().map(|r| (*r).to_owned()).collect();
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    let id = user_named(&tx, clinic_id, name).await?;
    tx.execute("UPDATE app_user SET roles = $2 WHERE id = $1", &[&id, &role_list])
        .await?;
    republish_user(&tx, clinic_id, id, |image| set_roles(image, &role_list)).await?;
    record(
        &tx,
        clinic_id,
        "user.roles",
        &id.to_string(),
        Some(&role_list.join(" ")),
    )
    .await?;
    tx.commit().await?;
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
    let id = user_named(&tx, clinic_id, name).await?;
    republish_user(&tx, clinic_id, id, |image| image["npi"] = json!(npi)).await?;
    record(&tx, clinic_id, "user.npi", &id.to_string(), Some(npi)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Lets a physical therapist bill their own patients in their own name, under their
/// Type 1 NPI and `tax_id` (an employer identification number), or stops it with `None`;
/// publishes the new version of the user to the clinic's devices and returns their id.
pub async fn set_user_own_billing(
    pool: &Pool,
    clinic_id: Uuid,
    name: &str,
    tax_id: Option<&str>,
) -> anyhow::Result<Uuid> {
    let tax_id = match tax_id {
        Some(t) => {
            let digits: String = t.chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 9 || t.chars().any(|c| !c.is_ascii_digit() && c != '-') {
                bail!("{t:?} is not an employer identification number: 9 digits, as 12-3456789");
            }
            Some(digits)
        }
        None => None,
    };
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    let id = user_named(&tx, clinic_id, name).await?;
    if tax_id.is_some() {
        let roles: Vec<String> = tx
            .query_one("SELECT roles FROM app_user WHERE id = $1", &[&id])
            .await?
            .get(0);
        let npi = feed::current(&tx, clinic_id, "user", &id.to_string())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .and_then(|image| image.get("npi").and_then(|n| n.as_str()).map(str::to_owned));
        if !roles.iter().any(|r| r == "pt") || npi.is_none() {
            bail!("only a physical therapist with their own NPI can bill in their own name: set the NPI first");
        }
    }
    republish_user(&tx, clinic_id, id, |image| image["own_tax_id"] = json!(tax_id)).await?;
    record(&tx, clinic_id, "user.own_billing", &id.to_string(), tax_id.as_deref()).await?;
    tx.commit().await?;
    Ok(id)
}

/// Revokes a device and every token it holds; returns its id.
pub async fn revoke_device(pool: &Pool, device_id: Uuid) -> anyhow::Result<Uuid> {
    let mut db = pool.get().await.context("could not connect to the database")?;
    let tx = db.transaction().await?;
    let clinic_id: Uuid = tx
        .query_opt(
            "UPDATE device SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING clinic_id",
            &[&device_id],
        )
        .await?
        .map(|r| r.get(0))
        .ok_or_else(|| anyhow::anyhow!("there is no device {device_id}"))?;
    record(&tx, clinic_id, "device.revoke", &device_id.to_string(), None).await?;
    tx.execute(
        "UPDATE device_token SET revoked_at = coalesce(revoked_at, now()) WHERE device_id = $1",
        &[&device_id],
    )
    .await?;
    tx.commit().await?;
    Ok(device_id)
}
