//! Who is asking, and what they may do. Passwords are hashed with
//! argon2id; a session is a random cookie whose SHA-256 alone is stored
//! (so a copy of the database signs nobody in), with a CSRF token that
//! cookie-authenticated writes must echo; an API token likewise is stored
//! as its SHA-256, scoped to programs and to reading or writing.
//! Sessions, tokens and failed sign-ins live in the database, so several
//! servers behind one balancer agree on them.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use chrono::Utc;
use linchpin_store::{ProgramRow, Role, SessionRow, Store, TokenRow, UserRow};
use sha2::{Digest, Sha256};

use crate::config::SecureCookies;
use crate::error::ApiError;
use crate::state::App;

pub const SESSION_COOKIE: &str = "linchpin_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// A session's or token's last-use time is written at most this often, so
/// reads do not each cost a write.
const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// Failed sign-ins counted over this long...
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// ...before an account is refused for the rest of the window,
pub const THROTTLE_ACCOUNT: i64 = 5;
/// ...and before an address is.
pub const THROTTLE_ADDRESS: i64 = 50;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 256;
pub const NAME_MAX: usize = 64;

/// argon2id with 19 MiB of memory and two passes (OWASP's first choice).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of `password`'s argon2id hash.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(ApiError::internal)?;
    Ok(hasher().hash_password(password.as_bytes(), &salt).map_err(ApiError::internal)?.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to verify against when the account does not exist, so a wrong
/// name takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("not a password anyone has").unwrap_or_default())
}

pub fn check_password_rules(password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    if !(PASSWORD_MIN..=PASSWORD_MAX).contains(&n) {
        return Err(ApiError::BadRequest(format!(
            "a password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long"
        )));
    }
    Ok(())
}

/// A user name: 1 to 64 of `a-z 0-9 . _ -`, starting with a letter or digit.
pub fn check_user_name(name: &str) -> Result<String, ApiError> {
    let lower = name.trim().to_lowercase();
    let ok = !lower.is_empty()
        && lower.len() <= NAME_MAX
        && lower.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && lower.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(lower)
    } else {
        Err(ApiError::BadRequest(format!(
            "a user name is 1 to {NAME_MAX} letters, digits, `.`, `_` or `-`, starting with a letter or digit"
        )))
    }
}

/// A fresh secret: 32 random bytes as hex.
pub fn secret() -> String {
    let bytes: [u8; 32] = rand::random();
    hex(&bytes)
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Via {
    Session { id_hash: String, csrf: String },
    Token { id: linchpin_store::Uuid, programs: Option<Vec<String>>, write: bool },
}

/// A signed-in caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user: UserRow,
    pub via: Via,
}

impl Caller {
    /// The caller's role in `program`, or [`ApiError::NotFound`] when they
    /// may not see it: a program one may not see looks exactly like one
    /// that does not exist.
    pub async fn role(&self, app: &App, program: &ProgramRow) -> Result<Role, ApiError> {
        if let Via::Token { programs: Some(scope), .. } = &self.via
            && !scope.iter().any(|id| id == &program.id)
        {
            return Err(ApiError::NotFound);
        }
        if self.user.server_admin {
            return Ok(Role::Admin);
        }
        app.store.role(self.user.id, &program.id).await?.ok_or(ApiError::NotFound)
    }

    /// Checks the caller may see `program` and holds at least `least` in it;
    /// a write also needs a token that may write.
    pub async fn require(&self, app: &App, program: &ProgramRow, least: Role) -> Result<Role, ApiError> {
        let role = self.role(app, program).await?;
        if role < least {
            return Err(ApiError::Forbidden(format!(
                "this needs the {} role in program `{}`; you are a {}",
                least.as_str(),
                program.key,
                role.as_str()
            )));
        }
        if least > Role::Viewer {
            self.require_write()?;
        }
        Ok(role)
    }

    /// Refuses a read-only token's writes.
    pub fn require_write(&self) -> Result<(), ApiError> {
        match self.via {
            Via::Token { write: false, .. } => Err(ApiError::Forbidden("this API token may only read".into())),
            _ => Ok(()),
        }
    }

    /// Refuses a token scoped to programs what is about the account or the
    /// server rather than a program: a token given to one program's bot
    /// must not reach beyond it.
    pub fn require_unscoped(&self) -> Result<(), ApiError> {
        match self.via {
            Via::Token { programs: Some(_), .. } => {
                Err(ApiError::Forbidden("this API token is scoped to programs; accounts are out of its reach".into()))
            }
            _ => Ok(()),
        }
    }

    pub fn require_server_admin(&self) -> Result<(), ApiError> {
        self.require_write()?;
        self.require_unscoped()?;
        if self.user.server_admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden("this needs a server administrator".into()))
        }
    }
}

/// Who the bearer token or session cookie of a request belongs to,
/// checked, but not yet the CSRF token a write by cookie must carry: the
/// dashboard's forms carry theirs in the form, checked once it is read.
pub async fn identify(parts: &Parts, app: &App) -> Result<Option<Caller>, ApiError> {
    let now = Utc::now();
    if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| ApiError::Unauthenticated)?;
        let token = value.strip_prefix("Bearer ").ok_or(ApiError::Unauthenticated)?.trim();
        let row: TokenRow = app.store.token_by_hash(&sha256_hex(token)).await?.ok_or(ApiError::Unauthenticated)?;
        if row.revoked_at.is_some() {
            return Err(ApiError::Unauthenticated);
        }
        let user = app.store.user(row.user_id).await?.filter(|u| !u.disabled).ok_or(ApiError::Unauthenticated)?;
        if row.last_used.is_none_or(|t| (now - t).to_std().unwrap_or_default() > TOUCH_EVERY) {
            app.store.touch_token(row.id, now).await?;
        }
        return Ok(Some(Caller { user, via: Via::Token { id: row.id, programs: row.programs, write: row.write } }));
    }
    let Some(cookie) = session_cookie(&parts.headers) else { return Ok(None) };
    let id_hash = sha256_hex(&cookie);
    let Some(session): Option<SessionRow> = app.store.session(&id_hash).await? else { return Ok(None) };
    let idle = (now - session.last_seen).to_std().unwrap_or_default();
    let age = (now - session.created_at).to_std().unwrap_or_default();
    if idle > app.config.session_idle || age > app.config.session_absolute {
        app.store.delete_session(&id_hash).await?;
        return Ok(None);
    }
    let Some(user) = app.store.user(session.user_id).await?.filter(|u| !u.disabled) else { return Ok(None) };
    if idle > TOUCH_EVERY {
        app.store.touch_session(&id_hash, now).await?;
    }
    Ok(Some(Caller { user, via: Via::Session { id_hash, csrf: session.csrf_token } }))
}

/// The bearer token or session cookie of a request, checked, and for a
/// write by cookie the CSRF header.
async fn authenticate(parts: &Parts, app: &App) -> Result<Option<Caller>, ApiError> {
    let Some(caller) = identify(parts, app).await? else { return Ok(None) };
    // A cookie rides along on any request the browser makes, so a write
    // must also carry the token only the page was given.
    if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS)
        && let Via::Session { csrf, .. } = &caller.via
    {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !same_secret(sent, csrf) {
            return Err(ApiError::Forbidden(format!(
                "a write signed in by cookie must send the session's CSRF token in `{CSRF_HEADER}`"
            )));
        }
    }
    Ok(Some(caller))
}

/// The session cookie's value, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == SESSION_COOKIE && !value.is_empty() && value.len() <= 128).then(|| value.to_owned())
    })
}

impl FromRequestParts<Arc<App>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, ApiError> {
        authenticate(parts, app).await?.ok_or(ApiError::Unauthenticated)
    }
}

impl OptionalFromRequestParts<Arc<App>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Option<Self>, ApiError> {
        authenticate(parts, app).await
    }
}

/// The address a request came from: the peer, or behind a trusted proxy
/// the first address of `X-Forwarded-For`.
pub fn client_address(parts_headers: &HeaderMap, peer: Option<SocketAddr>, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = parts_headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
        && let Ok(ip) = first.trim().parse::<IpAddr>()
    {
        return ip.to_string();
    }
    peer.map_or_else(|| "unknown".to_owned(), |p| p.ip().to_string())
}

/// The peer address axum recorded, when the server was started with it.
pub fn peer(parts: &Parts) -> Option<SocketAddr> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)
}

/// Whether the session cookie is marked `Secure` for this request.
pub fn secure_cookie(app: &App, headers: &HeaderMap) -> bool {
    match app.config.secure_cookies {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => {
            app.config.public_url.starts_with("https://")
                || (app.config.trust_proxy
                    && headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https"))
        }
    }
}

/// The `Set-Cookie` value for a new session (or, with `None`, one that
/// clears it).
pub fn session_set_cookie(value: Option<&str>, secure: bool, max_age: Duration) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match value {
        Some(v) => {
            format!("{SESSION_COOKIE}={v}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", max_age.as_secs())
        }
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_itself_and_uses_argon2id() {
        let hash = hash_password("correct horse battery").expect("hashes");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn names_and_secrets() {
        assert_eq!(check_user_name(" Alice ").ok().as_deref(), Some("alice"));
        assert!(check_user_name("-x").is_err() && check_user_name("a b").is_err() && check_user_name("").is_err());
        assert!(check_password_rules("short").is_err() && check_password_rules("long enough").is_ok());
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab"));
        assert_ne!(secret(), secret());
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; linchpin_session=xyz; b=2".parse().expect("header"));
        assert_eq!(session_cookie(&headers).as_deref(), Some("xyz"));
    }
}
