//! Accounts as stored: users, their roles in programs, sessions, API
//! tokens, login throttling and the first administrator's setup code.
//!
//! The store holds no secret a client sends: sessions, tokens and setup
//! codes are kept as SHA-256 hex of the value, and passwords as the
//! server's argon2id hash, which no audit row and no `Debug` shows. The
//! checks here are the ones both backends make before they write.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{Result, StoreError};

/// The longest login name, in ASCII characters.
pub const MAX_USER_NAME: usize = 64;
/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME: usize = 200;
/// The longest password hash (an argon2id PHC string is about 100).
pub const MAX_PASSWORD_HASH: usize = 512;
/// The longest CSRF token.
pub const MAX_CSRF_TOKEN: usize = 128;
/// Sessions kept per user; a new one past this ends the least recently seen.
pub const MAX_SESSIONS_PER_USER: usize = 64;
/// The longest token name, in characters.
pub const MAX_TOKEN_NAME: usize = 100;
/// Unrevoked tokens a user may hold at once.
pub const MAX_TOKENS_PER_USER: usize = 100;
/// Revoked tokens kept per user for the record; older ones are deleted.
pub const MAX_REVOKED_TOKENS_PER_USER: usize = 100;
/// Programs one token may be scoped to.
pub const MAX_TOKEN_PROGRAMS: usize = 100;
/// The longest throttling key (`user:…`, `addr:…`).
pub const MAX_THROTTLE_KEY: usize = 200;
/// Failures kept per throttling key; past this only the newest count,
/// far above any threshold a server would lock at.
pub const MAX_FAILURES_PER_KEY: usize = 1000;
/// How long a login failure is kept before it is pruned.
pub const THROTTLE_RETENTION: chrono::TimeDelta = chrono::TimeDelta::hours(24);
/// Setup codes kept at once (several servers starting together may each
/// print one); a new one past this replaces the oldest.
pub const MAX_SETUP_CODES: usize = 16;
/// The longest program id a token may name (programs' ids are UUIDs).
pub(crate) const MAX_PROGRAM_ID: usize = 64;

/// A user as stored. Its `Debug` leaves the password hash out.
#[derive(Clone, PartialEq)]
pub struct UserRow {
    pub id: Uuid,
    /// The login name, lowercased: unique whatever its case.
    pub name: String,
    pub display_name: String,
    /// The argon2id PHC string; never in audit rows or `Debug`.
    pub password_hash: String,
    pub server_admin: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl fmt::Debug for UserRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("display_name", &self.display_name)
            .field("password_hash", &"[redacted]")
            .field("server_admin", &self.server_admin)
            .field("disabled", &self.disabled)
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// A user to create. Its `Debug` leaves the password hash out.
#[derive(Clone, PartialEq)]
pub struct NewUser {
    /// The login name as typed; stored lowercased.
    pub name: String,
    pub display_name: String,
    pub password_hash: String,
    pub server_admin: bool,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("name", &self.name)
            .field("display_name", &self.display_name)
            .field("password_hash", &"[redacted]")
            .field("server_admin", &self.server_admin)
            .finish()
    }
}

/// What a user may do in one program; each role can do what the ones
/// below it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is none of `viewer`, `editor`, `admin`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("no role `{0}`: it is `viewer`, `editor` or `admin`")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(text: &str) -> std::result::Result<Self, UnknownRole> {
        match text {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            // Bounded, so an error never carries a whole request body.
            other => Err(UnknownRole(other.chars().take(32).collect())),
        }
    }
}

/// A login session. The store never sees the cookie's value, only its
/// hash. Its `Debug` leaves the CSRF token out.
#[derive(Clone, PartialEq)]
pub struct SessionRow {
    /// SHA-256 of the cookie's value, as 64 lowercase hex digits.
    pub id_hash: String,
    pub user_id: Uuid,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
}

impl fmt::Debug for SessionRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRow")
            .field("id_hash", &self.id_hash)
            .field("user_id", &self.user_id)
            .field("csrf_token", &"[redacted]")
            .field("created_at", &self.created_at)
            .field("last_seen", &self.last_seen)
            .finish()
    }
}

/// An API token as stored. Its `Debug` leaves the hash out.
#[derive(Clone, PartialEq)]
pub struct TokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    /// SHA-256 of the token, as 64 lowercase hex digits.
    pub hash: String,
    /// The ids of the programs it is scoped to; `None` for every program
    /// its user can see.
    pub programs: Option<Vec<String>>,
    /// Whether it may write, within its user's roles.
    pub write: bool,
    pub created_at: DateTime<Utc>,
    pub last_used: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for TokenRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRow")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("name", &self.name)
            .field("hash", &"[redacted]")
            .field("programs", &self.programs)
            .field("write", &self.write)
            .field("created_at", &self.created_at)
            .field("last_used", &self.last_used)
            .field("revoked_at", &self.revoked_at)
            .finish()
    }
}

/// A token to create. Its `Debug` leaves the hash out.
#[derive(Clone, PartialEq)]
pub struct NewToken {
    pub user_id: Uuid,
    pub name: String,
    pub hash: String,
    pub programs: Option<Vec<String>>,
    pub write: bool,
}

impl fmt::Debug for NewToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewToken")
            .field("user_id", &self.user_id)
            .field("name", &self.name)
            .field("hash", &"[redacted]")
            .field("programs", &self.programs)
            .field("write", &self.write)
            .finish()
    }
}

/// The login name as stored: lowercased, and refused unless it is 1 to 64
/// printable ASCII characters. ASCII only, so two names that look alike
/// are alike, and lowercasing means the same in every locale.
pub(crate) fn user_name(name: &str) -> Result<String> {
    if name.is_empty() || name.len() > MAX_USER_NAME || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(StoreError::Invalid {
            what: "user name",
            reason: "it must be 1 to 64 ASCII letters, digits or punctuation, without spaces",
        });
    }
    Ok(name.to_ascii_lowercase())
}

/// Checks the rest of a new user, returning it with its name lowercased.
pub(crate) fn check_new_user(user: NewUser) -> Result<NewUser> {
    let name = user_name(&user.name)?;
    text("display name", &user.display_name, MAX_DISPLAY_NAME)?;
    password_hash(&user.password_hash)?;
    Ok(NewUser { name, ..user })
}

/// A PHC string (`$argon2id$…`): refusing anything else keeps a password
/// passed by mistake out of the database.
pub(crate) fn password_hash(hash: &str) -> Result<()> {
    if !hash.starts_with('$') || hash.len() > MAX_PASSWORD_HASH || !hash.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(StoreError::Invalid {
            what: "password hash",
            reason: "it must be a PHC string such as `$argon2id$…`",
        });
    }
    Ok(())
}

/// A SHA-256 digest as 64 lowercase hex digits: what the store keeps of a
/// session cookie, a token or a setup code, never the value itself.
pub(crate) fn sha256_hex(what: &'static str, hash: &str) -> Result<()> {
    if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(StoreError::Invalid { what, reason: "it must be a SHA-256 digest as 64 lowercase hex digits" });
    }
    Ok(())
}

/// Non-empty text of at most `most` characters without control characters.
pub(crate) fn text(what: &'static str, value: &str, most: usize) -> Result<()> {
    if value.is_empty() || value.chars().count() > most || value.chars().any(char::is_control) {
        return Err(StoreError::Invalid { what, reason: "it must be non-empty, short and free of control characters" });
    }
    Ok(())
}

pub(crate) fn check_session(session: &SessionRow) -> Result<()> {
    sha256_hex("session id hash", &session.id_hash)?;
    if session.csrf_token.is_empty()
        || session.csrf_token.len() > MAX_CSRF_TOKEN
        || !session.csrf_token.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(StoreError::Invalid {
            what: "CSRF token",
            reason: "it must be 1 to 128 printable ASCII characters",
        });
    }
    Ok(())
}

/// Checks a new token, returning it with its programs deduplicated (in
/// the order first given).
pub(crate) fn check_new_token(token: NewToken) -> Result<NewToken> {
    text("token name", &token.name, MAX_TOKEN_NAME)?;
    sha256_hex("token hash", &token.hash)?;
    let programs = match token.programs {
        None => None,
        Some(ids) => {
            if ids.len() > MAX_TOKEN_PROGRAMS {
                return Err(StoreError::TooMany { what: "programs for one token", most: MAX_TOKEN_PROGRAMS });
            }
            let mut unique: Vec<String> = Vec::with_capacity(ids.len());
            for id in ids {
                text("program id", &id, MAX_PROGRAM_ID)?;
                if !unique.contains(&id) {
                    unique.push(id);
                }
            }
            Some(unique)
        }
    };
    Ok(NewToken { programs, ..token })
}

pub(crate) fn throttle_key(key: &str) -> Result<()> {
    text("throttling key", key, MAX_THROTTLE_KEY)
}

/// One change to a user, shared by both backends' `set_…` methods.
pub(crate) enum UserChange<'a> {
    Password(&'a str),
    ServerAdmin(bool),
    Disabled(bool),
}

impl UserChange<'_> {
    pub(crate) fn check(&self) -> Result<()> {
        match self {
            UserChange::Password(hash) => password_hash(hash),
            UserChange::ServerAdmin(_) | UserChange::Disabled(_) => Ok(()),
        }
    }

    /// The user after the change and what the audit row says of it, or
    /// `None` when it changes nothing.
    pub(crate) fn apply(&self, user: &UserRow) -> Option<(UserRow, Value)> {
        let mut changed = user.clone();
        match *self {
            UserChange::Password(hash) => changed.password_hash = hash.to_owned(),
            UserChange::ServerAdmin(on) => changed.server_admin = on,
            UserChange::Disabled(on) => changed.disabled = on,
        }
        let mut after = user_json(&changed);
        if let UserChange::Password(_) = self {
            // Said even when the hash is the same: the user asked for it.
            after["password"] = json!("changed");
        } else if changed == *user {
            return None;
        }
        Some((changed, after))
    }
}

/// The audit action of a role going from `before` to `after`.
pub(crate) fn role_action(before: Option<Role>, after: Option<Role>) -> &'static str {
    match (before, after) {
        (None, _) => "create",
        (Some(_), Some(_)) => "update",
        (Some(_), None) => "delete",
    }
}

/// What the audit trail says of a user: everything but the hash.
pub(crate) fn user_json(user: &UserRow) -> Value {
    json!({
        "id": user.id.to_string(),
        "name": user.name,
        "display_name": user.display_name,
        "server_admin": user.server_admin,
        "disabled": user.disabled,
    })
}

/// What the audit trail says of a token: everything but the hash.
pub(crate) fn token_json(token: &TokenRow) -> Value {
    json!({
        "id": token.id.to_string(),
        "name": token.name,
        "programs": token.programs,
        "write": token.write,
        "revoked_at": token.revoked_at.map(|t| t.to_rfc3339()),
    })
}

pub(crate) fn role_json(role: Role) -> Value {
    json!({ "role": role.as_str() })
}

/// A stored id back to a UUID; a malformed one is a decoding error.
pub(crate) fn parse_uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

/// A stored role back to a [`Role`]; the schema allows no other.
pub(crate) fn parse_role(text: &str) -> Result<Role> {
    text.parse().map_err(|e: UnknownRole| StoreError::Database(sqlx::Error::Decode(Box::new(e))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_order_and_read_back() {
        assert!(Role::Viewer < Role::Editor && Role::Editor < Role::Admin);
        for role in [Role::Viewer, Role::Editor, Role::Admin] {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("Admin".parse::<Role>(), Err(UnknownRole("Admin".into())));
        assert_eq!("x".repeat(1000).parse::<Role>().expect_err("not a role").0.len(), 32);
    }

    #[test]
    fn user_names_are_lowercased_and_bounded() {
        assert_eq!(user_name("Alice.Smith@Example.com").ok().as_deref(), Some("alice.smith@example.com"));
        for bad in ["", "a b", "tab\tname", "ålice", &"a".repeat(MAX_USER_NAME + 1)] {
            assert!(matches!(user_name(bad), Err(StoreError::Invalid { .. })), "{bad:?}");
        }
        assert!(user_name(&"a".repeat(MAX_USER_NAME)).is_ok());
    }

    #[test]
    fn only_digests_and_hashes_are_accepted_as_secrets() {
        let digest = "ab".repeat(32);
        assert!(sha256_hex("hash", &digest).is_ok());
        assert!(sha256_hex("hash", &digest.to_uppercase()).is_err());
        assert!(sha256_hex("hash", "the raw cookie value").is_err());
        assert!(password_hash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").is_ok());
        assert!(password_hash("hunter2").is_err());
        assert!(password_hash(&format!("${}", "a".repeat(MAX_PASSWORD_HASH))).is_err());
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let user = UserRow {
            id: Uuid::nil(),
            name: "alice".into(),
            display_name: "Alice".into(),
            password_hash: "$argon2id$secret-hash".into(),
            server_admin: false,
            disabled: false,
            created_at: DateTime::UNIX_EPOCH,
        };
        let token = TokenRow {
            id: Uuid::nil(),
            user_id: Uuid::nil(),
            name: "ci".into(),
            hash: "cd".repeat(32),
            programs: None,
            write: true,
            created_at: DateTime::UNIX_EPOCH,
            last_used: None,
            revoked_at: None,
        };
        let session = SessionRow {
            id_hash: "ef".repeat(32),
            user_id: Uuid::nil(),
            csrf_token: "csrf-secret".into(),
            created_at: DateTime::UNIX_EPOCH,
            last_seen: DateTime::UNIX_EPOCH,
        };
        let shown = format!("{user:?} {token:?} {session:?}");
        for secret in ["secret-hash", &"cd".repeat(32), "csrf-secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(!user_json(&user).to_string().contains("secret-hash"));
        assert!(!token_json(&token).to_string().contains(&"cd".repeat(32)));
    }

    #[test]
    fn token_programs_are_bounded_and_deduplicated() {
        let token = |programs| NewToken {
            user_id: Uuid::nil(),
            name: "ci".into(),
            hash: "ab".repeat(32),
            programs,
            write: false,
        };
        let checked = check_new_token(token(Some(vec!["p".into(), "q".into(), "p".into()]))).expect("valid");
        assert_eq!(checked.programs, Some(vec!["p".to_owned(), "q".to_owned()]));
        let many = (0..=MAX_TOKEN_PROGRAMS).map(|n| n.to_string()).collect();
        assert!(matches!(check_new_token(token(Some(many))), Err(StoreError::TooMany { .. })));
    }
}
