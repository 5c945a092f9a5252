//! Who is asking: passwords, device tokens, roles, and sign-in rate limiting.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use stride_protocol::{LoginRequest, LoginResponse, TokenRenewal};
use uuid::Uuid;

/// How long a device token lasts.
const TOKEN_DAYS: i64 = 30;
/// Failed sign-ins allowed per name per window before refusing.
const MAX_FAILURES: i64 = 10;

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

pub(crate) fn token_hash(token: &str) -> Vec<u8> {
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

/// The longest user name a sign-in may give (names are at most 100 characters).
const MAX_NAME: usize = 100;
/// The longest password a sign-in may give: Argon2 would hash any length, slowly.
const MAX_PASSWORD: usize = 1024;
/// Failed sign-ins allowed from one source (an address) per window, whatever the names.
const MAX_SOURCE_FAILURES: i64 = 50;

/// A hash to check unknown names against, so that they take as long as known ones.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("not a password anyone has").unwrap_or_default())
}

/// `POST /v1/login`: checks the password, registers the device (or recognizes it by its
/// secret), and issues a token.
///
/// Sign-in limits are atomic: under a lock on the name and one on the source, the
/// attempt is counted and recorded as failed *before* its password is checked, so
/// parallel guesses cannot all slip under the limit; it is marked succeeded after. No
/// database connection is held while the password is hashed, and an unknown name costs
/// the same hash as a known one.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let device_id =
        Uuid::parse_str(&req.device_id).map_err(|_| ApiError::Invalid("the device id is not a UUID".into()))?;
    let device_name = req.device_name.trim();
    if device_name.is_empty() || device_name.len() > 200 {
        return Err(ApiError::Invalid(
            "give the device a name of 1 to 200 characters".into(),
        ));
    }
    let name_key = req.user.trim().to_lowercase();
    if name_key.is_empty() || name_key.chars().count() > MAX_NAME || req.password.len() > MAX_PASSWORD {
        return Err(ApiError::Unauthorized("that name and password do not match".into()));
    }
    let source = peer.ip().to_string();

    let (attempt, user) = {
        let mut db = state.pool.get().await?;
        let tx = db.transaction().await?;
        for key in [format!("login name {name_key}"), format!("login source {source}")] {
            tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", &[&key])
                .await?;
        }
        let counts = tx
            .query_one(
                "SELECT (SELECT count(*) FROM login_attempt WHERE name_key = $1 AND NOT succeeded
                           AND at > now() - interval '15 minutes'),
                        (SELECT count(*) FROM login_attempt WHERE source = $2 AND NOT succeeded
                           AND at > now() - interval '15 minutes')",
                &[&name_key, &source],
            )
            .await?;
        if counts.get::<_, i64>(0) >= MAX_FAILURES || counts.get::<_, i64>(1) >= MAX_SOURCE_FAILURES {
            tx.commit().await?;
            tracing::info!("sign-in refused: too many failures");
            return Err(ApiError::RateLimited);
        }
        tx.execute("DELETE FROM login_attempt WHERE at < now() - interval '1 day'", &[])
            .await?;
        let attempt: i64 = tx
            .query_one(
                "INSERT INTO login_attempt (name_key, succeeded, source) VALUES ($1, false, $2) RETURNING id",
                &[&name_key, &source],
            )
            .await?
            .get(0);
        let user = tx
            .query_opt(
                "SELECT u.id, u.clinic_id, u.password_hash, c.name FROM app_user u JOIN clinic c ON c.id = u.clinic_id
                 WHERE lower(u.name) = $1 AND u.active",
                &[&name_key],
            )
            .await?;
        tx.commit().await?;
        (attempt, user)
    };

    let stored = user.as_ref().map(|u| u.get::<_, String>(2));
    let password = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || match stored {
        Some(hash) => password_matches(&password, &hash),
        None => {
            let _ = password_matches(&password, decoy_hash());
            false
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let (Some(user), true) = (user, ok) else {
        tracing::info!("sign-in refused");
        return Err(ApiError::Unauthorized("that name and password do not match".into()));
    };
    let (user_id, clinic_id, clinic_name): (Uuid, Uuid, String) = (user.get(0), user.get(1), user.get(3));

    let mut db = state.pool.get().await?;
    let tx = db.transaction().await?;
    tx.execute("UPDATE login_attempt SET succeeded = true WHERE id = $1", &[&attempt])
        .await?;
    // The clinic's sequencer row serializes registrations, so device numbers never clash.
    tx.execute(
        "SELECT 1 FROM clinic_seq WHERE clinic_id = $1 FOR UPDATE",
        &[&clinic_id],
    )
    .await?;
    let existing = tx
        .query_opt(
            "SELECT clinic_id, revoked_at IS NOT NULL, number, secret_hash FROM device WHERE id = $1 FOR UPDATE",
            &[&device_id],
        )
        .await?;
    let presented = req.device_secret.as_deref().map(token_hash);
    let (device_number, device_secret): (i32, Option<String>) = match existing {
        Some(row) if row.get::<_, Uuid>(0) != clinic_id => {
            return Err(ApiError::Forbidden("this device belongs to another clinic".into()));
        }
        Some(row) if row.get::<_, bool>(1) => {
            return Err(ApiError::Forbidden(
                "this device was revoked: it cannot sign in again (set it up afresh)".into(),
            ));
        }
        Some(row) => match row.get::<_, Option<Vec<u8>>>(3) {
            Some(hash) if presented.as_ref() == Some(&hash) => (row.get(2), None),
            Some(_) => {
                tracing::warn!(device = %device_id, "sign-in as a device without its secret");
                return Err(ApiError::Forbidden(
                    "this device id is registered to another installation: set this one up afresh".into(),
                ));
            }
            // Registered before devices had secrets: only the device itself, with its live
            // token, gets one (`renew`); a sign-in by id alone could be anyone.
            None => {
                return Err(ApiError::Forbidden(
                    "this device was registered before devices had secrets: sync it once while it is still signed in, \
                     or set it up afresh"
                        .into(),
                ));
            }
        },
        None => {
            let predecessor = match &req.predecessor {
                Some(proof) => Some(proven_predecessor(&tx, clinic_id, proof).await?),
                None => None,
            };
            let secret = random_token()?;
            let number = tx
                .query_one(
                    "INSERT INTO device (id, clinic_id, user_id, name, number, secret_hash, predecessor)
                     VALUES ($1, $2, $3, $4, (SELECT coalesce(max(number), 0) + 1 FROM device WHERE clinic_id = $2), $5, $6)
                     RETURNING number",
                    &[&device_id, &clinic_id, &user_id, &device_name, &token_hash(&secret), &predecessor],
                )
                .await?
                .get(0);
            (number, Some(secret))
        }
    };
    let (token, expires_at) = issue_token(&tx, device_id, user_id, clinic_id).await?;
    tx.commit().await?;
    tracing::info!(device = %device_id, clinic = %clinic_id, "device signed in");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        clinic_id: clinic_id.to_string(),
        clinic_name,
        user_id: user_id.to_string(),
        device_id: device_id.to_string(),
        device_number: i64::from(device_number),
        device_secret,
    }))
}

/// The device a new one replaces, once it proved it holds that device's secret; the old
/// device is revoked (its chart was restored elsewhere, and its numbers are spent).
async fn proven_predecessor(
    tx: &deadpool_postgres::Transaction<'_>,
    clinic_id: Uuid,
    proof: &stride_protocol::DeviceProof,
) -> ApiResult<Uuid> {
    let old =
        Uuid::parse_str(&proof.device_id).map_err(|_| ApiError::Invalid("the old device id is not a UUID".into()))?;
    let matches = tx
        .query_opt(
            "SELECT 1 FROM device WHERE id = $1 AND clinic_id = $2 AND secret_hash = $3 AND revoked_at IS NULL FOR UPDATE",
            &[&old, &clinic_id, &token_hash(&proof.secret)],
        )
        .await?
        .is_some();
    if !matches {
        return Err(ApiError::Forbidden(
            "this chart cannot prove which device it was restored from: set it up afresh".into(),
        ));
    }
    tx.execute(
        "UPDATE device SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1",
        &[&old],
    )
    .await?;
    tx.execute(
        "UPDATE device_token SET revoked_at = coalesce(revoked_at, now()) WHERE device_id = $1",
        &[&old],
    )
    .await?;
    Ok(old)
}

/// Issues a token for a user on a device; returns it and when it expires (RFC 3339).
async fn issue_token(
    tx: &deadpool_postgres::Transaction<'_>,
    device_id: Uuid,
    user_id: Uuid,
    clinic_id: Uuid,
) -> ApiResult<(String, String)> {
    let token = random_token()?;
    let expires_at = chrono::Utc::now() + chrono::Duration::days(TOKEN_DAYS);
    tx.execute(
        "INSERT INTO device_token (token_hash, device_id, user_id, clinic_id, expires_at) VALUES ($1, $2, $3, $4, $5)",
        &[&token_hash(&token), &device_id, &user_id, &clinic_id, &expires_at],
    )
    .await?;
    Ok((token, expires_at.to_rfc3339()))
}

/// `POST /v1/token/renew`: a live token buys a fresh one for the same person and device,
/// so a device in use never reaches its token's expiry. The old token lives out its
/// term (an answer lost on the way must not lock the device out).
pub async fn renew(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<TokenRenewal>> {
    let mut db = state.pool.get().await?;
    let tx = db.transaction().await?;
    let (token, expires_at) = issue_token(&tx, caller.device_id, caller.user_id, caller.clinic_id).await?;
    // A device registered before devices had secrets gets its secret here, from its own
    // live token.
    let secret = random_token()?;
    let adopted = tx
        .execute(
            "UPDATE device SET secret_hash = $2 WHERE id = $1 AND secret_hash IS NULL",
            &[&caller.device_id, &token_hash(&secret)],
        )
        .await?;
    tx.commit().await?;
    Ok(Json(TokenRenewal {
        token,
        expires_at,
        device_secret: (adopted == 1).then_some(secret),
    }))
}

fn random_token() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}
