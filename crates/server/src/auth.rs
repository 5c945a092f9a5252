//! Who is asking: passwords, device tokens, roles, and sign-in rate limiting.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use stride_protocol::{LoginRequest, LoginResponse};
use uuid::Uuid;

/// How long a device token lasts.
const TOKEN_DAYS: i64 = 30;
/// Failed sign-ins allowed per name per window before refusing.
const MAX_FAILURES: i64 = 10;

/// The roles a user may hold (the chart's names).
pub const ROLES: &[&str] = &["pt", "pta", "frontdesk", "biller", "admin"];

/// An authenticated request: a registered, unrevoked device with a live token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The device.
    pub device_id: Uuid,
    /// The user who signed the device in.
    pub user_id: Uuid,
    /// Their clinic: every query is scoped to it.
    pub clinic_id: Uuid,
}

/// Hashes a password for storage (Argon2id, PHC string: the chart verifies it too).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("could not hash the password: {e}"))?
        .to_string())
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Caller> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| ApiError::Unauthorized("sign this device in to the clinic server first".into()))?;
        let db = state.pool.get().await?;
        let row = db
            .query_opt(
                "SELECT t.device_id, t.user_id, t.clinic_id FROM device_token t
                   JOIN device d ON d.id = t.device_id
                   JOIN app_user u ON u.id = t.user_id
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()
                   AND d.revoked_at IS NULL AND u.active",
                &[&token_hash(token)],
            )
            .await?
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "this device's sign-in has expired or was revoked: sign in to the clinic server again".into(),
                )
            })?;
        Ok(Caller {
            device_id: row.get(0),
            user_id: row.get(1),
            clinic_id: row.get(2),
        })
    }
}

/// `POST /v1/login`: checks the password, registers the device (or recognizes it), and
/// issues a token.
pub async fn login(State(state): State<AppState>, Json(req): Json<LoginRequest>) -> ApiResult<Json<LoginResponse>> {
    let device_id =
        Uuid::parse_str(&req.device_id).map_err(|_| ApiError::Invalid("the device id is not a UUID".into()))?;
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.len() > 200 {
        return Err(ApiError::Invalid(
            "give the device a name of 1 to 200 characters".into(),
        ));
    }
    let name_key = req.user.trim().to_lowercase();
    let mut db = state.pool.get().await?;
    let failures: i64 = db
        .query_one(
            "SELECT count(*) FROM login_attempt
             WHERE name_key = $1 AND NOT succeeded AND at > now() - interval '15 minutes'",
            &[&name_key],
        )
        .await?
        .get(0);
    if failures >= MAX_FAILURES {
        return Err(ApiError::RateLimited);
    }
    let user = db
        .query_opt(
            "SELECT u.id, u.clinic_id, u.password_hash, c.name FROM app_user u JOIN clinic c ON c.id = u.clinic_id
             WHERE lower(u.name) = $1 AND u.active",
            &[&name_key],
        )
        .await?;
    let stored = user.as_ref().map(|u| u.get::<_, String>(2));
    let password = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || stored.is_some_and(|s| password_matches(&password, &s)))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    db.execute(
        "INSERT INTO login_attempt (name_key, succeeded) VALUES ($1, $2)",
        &[&name_key, &ok],
    )
    .await?;
    let (Some(user), true) = (user, ok) else {
        tracing::info!("sign-in refused");
        return Err(ApiError::Unauthorized("that name and password do not match".into()));
    };
    let (user_id, clinic_id, clinic_name): (Uuid, Uuid, String) = (user.get(0), user.get(1), user.get(3));

    let tx = db.transaction().await?;
    // The clinic's sequencer row serializes registrations, so device numbers never clash.
    tx.execute(
        "SELECT 1 FROM clinic_seq WHERE clinic_id = $1 FOR UPDATE",
        &[&clinic_id],
    )
    .await?;
    let existing = tx
        .query_opt(
            "SELECT clinic_id, revoked_at IS NOT NULL, number FROM device WHERE id = $1 FOR UPDATE",
            &[&device_id],
        )
        .await?;
    let device_number: i32 = match existing {
        Some(row) if row.get::<_, Uuid>(0) != clinic_id => {
            return Err(ApiError::Forbidden("this device belongs to another clinic".into()));
        }
        Some(row) if row.get::<_, bool>(1) => {
            return Err(ApiError::Forbidden(
                "this device was revoked: it cannot sign in again (set it up afresh)".into(),
            ));
        }
        Some(row) => row.get(2),
        None => tx
            .query_one(
                "INSERT INTO device (id, clinic_id, user_id, name, number)
                 VALUES ($1, $2, $3, $4, (SELECT coalesce(max(number), 0) + 1 FROM device WHERE clinic_id = $2))
                 RETURNING number",
                &[&device_id, &clinic_id, &user_id, &device_name],
            )
            .await?
            .get(0),
    };
    let token = random_token()?;
    let expires_at = chrono::Utc::now() + chrono::Duration::days(TOKEN_DAYS);
    tx.execute(
        "INSERT INTO device_token (token_hash, device_id, user_id, clinic_id, expires_at) VALUES ($1, $2, $3, $4, $5)",
        &[&token_hash(&token), &device_id, &user_id, &clinic_id, &expires_at],
    )
    .await?;
    tx.commit().await?;
    tracing::info!(device = %device_id, clinic = %clinic_id, "device signed in");
    Ok(Json(LoginResponse {
        token,
        expires_at: expires_at.to_rfc3339(),
        clinic_id: clinic_id.to_string(),
        clinic_name,
        user_id: user_id.to_string(),
        device_id: device_id.to_string(),
        device_number: i64::from(device_number),
    }))
}

fn random_token() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// Whether a user with `roles` may push an op of `op_type`, and if not, why.
pub fn may_push(op_type: &str, roles: &[String]) -> Result<(), String> {
    let has = |r: &str| roles.iter().any(|x| x == r);
    let allowed: &[&str] = match op_type {
        "note.cosign" | "plan_of_care.create" | "plan_of_care.certify" => &["pt"],
        "note.sign" | "note.addendum" => &["pt", "pta"],
        t if t.starts_with("note.") || t.starts_with("measure_result.") => &["pt", "pta"],
        t if t.starts_with("payer.") => &["admin", "biller"],
        "clinic.billing" => &["admin", "biller"],
        t if t.starts_with("claim.") || t.starts_with("remittance.") || t.starts_with("denial.") => {
            &["admin", "biller"]
        }
        t if t.starts_with("patient_payment.") => &["frontdesk", "biller", "admin"],
        t if t.starts_with("user.") || t.starts_with("clinic.") => {
            return Err("users and the clinic are managed on the clinic server".into());
        }
        t if t.starts_with("sync_issue.") => ROLES,
        _ => &["pt", "pta", "frontdesk", "admin"],
    };
    if allowed.iter().any(|r| has(r)) {
        Ok(())
    } else {
        Err(format!("{op_type} needs one of these roles: {}", allowed.join(", ")))
    }
}
