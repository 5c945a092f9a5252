//! Users, their roles, passwords (Argon2id PHC strings) and who may do what.

use crate::chart::{Chart, Write, new_id};
use crate::error::{ChartError, Result};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a user does in the clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Role {
    /// Physical therapist.
    Pt,
    /// Physical therapist assistant.
    Pta,
    /// Front desk: patients and the schedule.
    Frontdesk,
    /// Biller: claims and payments.
    Biller,
    /// Administrator: users, payers, settings.
    Admin,
}

impl Role {
    /// Parses `pt`, `pta`, `frontdesk`, `biller` or `admin`.
    pub fn parse(s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pt" => Ok(Role::Pt),
            "pta" => Ok(Role::Pta),
            "frontdesk" | "front-desk" | "front_desk" => Ok(Role::Frontdesk),
            "biller" => Ok(Role::Biller),
            "admin" => Ok(Role::Admin),
            other => Err(ChartError::invalid(
                "role",
                format!("{other:?} is not a role; use pt, pta, frontdesk, biller or admin"),
            )),
        }
    }

    /// The role as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Pt => "pt",
            Role::Pta => "pta",
            Role::Frontdesk => "frontdesk",
            Role::Biller => "biller",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Pt => "physical therapist (PT)",
            Role::Pta => "PT assistant (PTA)",
            Role::Frontdesk => "front desk",
            Role::Biller => "biller",
            Role::Admin => "administrator",
        })
    }
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    /// The user's id.
    pub user_id: String,
    /// The user's name.
    pub name: String,
    /// The user's roles.
    pub roles: Vec<Role>,
}

impl Session {
    /// Whether the user holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Refuses unless the user holds one of `roles`.
    pub fn require(&self, action: &str, roles: &[Role]) -> Result<()> {
        if roles.iter().any(|r| self.has(*r)) {
            return Ok(());
        }
        Err(ChartError::Forbidden {
            action: action.to_owned(),
            needed: roles.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(" or "),
        })
    }

    /// Whether the user is a clinician (PT or PTA).
    pub fn is_clinician(&self) -> bool {
        self.has(Role::Pt) || self.has(Role::Pta)
    }
}

/// Minimum password length.
const MIN_PASSWORD: usize = 8;

pub(crate) fn check_new_user(name: &str, password: &str) -> Result<()> {
    crate::validate::required("user name", name)?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(ChartError::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD} characters"),
        ));
    }
    Ok(())
}

/// Checks a secret against an Argon2 hash (PHC string); `!` and anything unparsable never
/// match.
fn verify(secret: &str, hash: &str) -> Result<()> {
    let parsed = PasswordHash::new(hash).map_err(|_| ChartError::BadCredentials)?;
    Argon2::default()
        .verify_password(secret.as_bytes(), &parsed)
        .map_err(|_| ChartError::BadCredentials)
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ChartError::State(format!("could not hash the password: {e}")))
}

pub(crate) fn insert_user(w: &Write<'_>, name: &str, password: &str, roles: &[Role]) -> Result<String> {
    check_new_user(name, password)?;
    if roles.is_empty() {
        return Err(ChartError::invalid("role", "a user needs at least one role"));
    }
    let id = new_id();
    let name = name.trim();
    let taken: bool =
        w.tx.prepare_cached("SELECT 1 FROM user WHERE name = ?1")?
            .query_row([name], |_| Ok(true))
            .optional()?
            .unwrap_or(false);
    if taken {
        return Err(ChartError::invalid("user name", format!("{name:?} is already taken")));
    }
    w.exec(
        "INSERT INTO user (id, name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        (&id, name, hash_password(password)?, &w.at),
    )?;
    for role in roles {
        w.exec(
            "INSERT OR IGNORE INTO user_role (user_id, role) VALUES (?1, ?2)",
            (&id, role.as_str()),
        )?;
    }
    let role_names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    w.record(
        "create",
        "user",
        &id,
        serde_json::json!({ "id": id, "name": name, "roles": role_names }),
    )?;
    Ok(id)
}

impl Chart {
    /// Signs a user in by name and password: against the verifier this device keeps for
    /// them (a linked chart), else the user's own hash (a chart alone). A clinic server's
    /// users carry no hash, so on a linked chart only people who have signed in to the
    /// server on this device can sign in offline.
    pub fn authenticate(&self, name: &str, password: &str) -> Result<Session> {
        let found: Option<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT u.id, coalesce(c.password_verifier, u.password_hash) FROM user u
                 LEFT JOIN device_credential c ON c.user_id = u.id WHERE u.name = ?1 AND u.active = 1",
            )?
            .query_row([name.trim()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((id, hash)) = found else {
            // Spend the same effort as a real check, so timing does not reveal names.
            let _ = hash_password(password);
            return Err(ChartError::BadCredentials);
        };
        verify(password, &hash)?;
        self.session_for(&id)
    }

    /// Whether this device can sign a person in offline: a chart alone always can; a
    /// linked chart only once they have signed in to the clinic server here.
    pub fn can_sign_in_offline(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM user u LEFT JOIN device_credential c ON c.user_id = u.id
                 WHERE u.name = ?1 AND u.active = 1 AND coalesce(c.password_verifier, u.password_hash) <> '!'",
            )?
            .query_row([name.trim()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Keeps what this device needs to sign a person in offline after the clinic server
    /// accepted their password here: a verifier of its own (Argon2id, a fresh salt).
    pub fn remember_password(&mut self, user_id: &str, password: &str) -> Result<()> {
        let verifier = hash_password(password)?;
        self.conn
            .prepare_cached(
                "INSERT INTO device_credential (user_id, password_verifier) VALUES (?1, ?2)
                 ON CONFLICT (user_id) DO UPDATE SET password_verifier = ?2",
            )?
            .execute((user_id, &verifier))?;
        Ok(())
    }

    /// A user's name.
    pub fn user_name(&self, user_id: &str) -> Result<String> {
        Ok(self.session_for(user_id)?.name)
    }

    pub(crate) fn session_for(&self, user_id: &str) -> Result<Session> {
        let name: String = self
            .conn
            .prepare_cached("SELECT name FROM user WHERE id = ?1")?
            .query_row([user_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| ChartError::not_found("user", user_id))?;
        let mut stmt = self
            .conn
            .prepare("SELECT role FROM user_role WHERE user_id = ?1 ORDER BY role")?;
        let roles = stmt
            .query_map([user_id], |r| r.get::<_, String>(0))?
            .filter_map(|r| r.ok())
            .filter_map(|r| Role::parse(&r).ok())
            .collect();
        Ok(Session {
            user_id: user_id.to_owned(),
            name,
            roles,
        })
    }

    /// Sets the signed-in user's own PIN (4 to 8 digits) for unlocking the screen on this
    /// device (PINs never sync).
    pub fn set_pin(&mut self, by: &Session, pin: &str) -> Result<()> {
        if !(4..=8).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ChartError::invalid("PIN", "use 4 to 8 digits"));
        }
        let hash = hash_password(pin)?;
        self.write(Some(by), |w| {
            w.exec(
                "INSERT INTO device_credential (user_id, pin_hash) VALUES (?1, ?2)
                 ON CONFLICT (user_id) DO UPDATE SET pin_hash = ?2",
                (&by.user_id, &hash),
            )?;
            w.audit("set_pin", "user", &by.user_id)
        })
    }

    /// Whether a user has a PIN on this device.
    pub fn has_pin(&self, user_id: &str) -> Result<bool> {
        Ok(self.pin_hash(user_id)?.is_some())
    }

    fn pin_hash(&self, user_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.pin_hash FROM device_credential c JOIN user u ON u.id = c.user_id
                 WHERE c.user_id = ?1 AND u.active = 1",
            )?
            .query_row([user_id], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// Unlocks the screen for a user by their PIN. Callers limit the attempts: a PIN is
    /// short, so after a few failures the password is required.
    pub fn authenticate_pin(&self, user_id: &str, pin: &str) -> Result<Session> {
        let hash = self.pin_hash(user_id)?.ok_or(ChartError::BadCredentials)?;
        verify(pin, &hash)?;
        self.session_for(user_id)
    }

    /// Adds a user (admins only). A chart linked to a clinic server gets its users from
    /// the server, where they are added.
    pub fn add_user(&mut self, by: &Session, name: &str, password: &str, roles: &[Role]) -> Result<String> {
        by.require("adding a user", &[Role::Admin])?;
        if self.linked {
            return Err(ChartError::State(
                "this clinic's users are managed on its clinic server: add them with `stride-server user add`".into(),
            ));
        }
        self.write(Some(by), |w| insert_user(w, name, password, roles))
    }

    /// Every user with their roles.
    pub fn users(&self) -> Result<Vec<Session>> {
        let mut stmt = self.conn.prepare("SELECT id FROM user ORDER BY name")?;
        let ids: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        ids.iter().map(|id| self.session_for(id)).collect()
    }
}
