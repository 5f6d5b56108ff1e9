//! The example program `linchpin serve --example` shows: the plan in
//! `examples/platform-migration`, built into the binary so that it works
//! from any folder, stored as program `platform`, with a server
//! administrator to sign in as.

use linchpin_model::diagnostic::Severity;
use linchpin_store::{NewEntity, NewUser, Store, StoreError};

use crate::auth;

/// The key the example program is stored under.
pub const PROGRAM: &str = "platform";
/// The server administrator made for the example.
pub const ADMIN: &str = "admin";
/// The name the example's writes are audited under.
const ACTOR: &str = "example";

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../../examples/platform-migration/", $path)))),*]
    };
}

/// Every file of `examples/platform-migration`, by its path in the folder
/// (a test checks that the list is the folder's).
pub const FILES: &[(&str, &str)] = files![
    "baseline.yaml",
    "decisions.yaml",
    "findings.yaml",
    "groups.yaml",
    "items/billing.yaml",
    "items/checkout.yaml",
    "items/data-platform.yaml",
    "items/identity.yaml",
    "items/ledger.yaml",
    "items/mobile.yaml",
    "items/payments-core.yaml",
    "items/risk-fraud.yaml",
    "items/sre.yaml",
    "milestones.yaml",
    "program.yaml",
    "risks.yaml",
    "status.yaml",
    "systems.yaml",
    "teams.yaml",
];

#[derive(Debug, thiserror::Error)]
pub enum ExampleError {
    #[error("the built-in example plan does not load: {0}")]
    Plan(String),
    #[error("cannot hash the administrator's password: {0}")]
    Password(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether [`load_program`] stored the example or found a program there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    Loaded { version: i64 },
    AlreadyThere { version: i64 },
}

/// Whether [`ensure_admin`] made the administrator or found the name taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admin {
    /// Made now; the password is known only here and must be shown once.
    Created { password: String },
    /// A user of that name was there already (`server_admin` says whether
    /// it may administer the server).
    Existed { server_admin: bool },
}

/// The example's files as the store keeps them, and the program's name;
/// refused if the plan has errors (it never should: CI checks it).
pub fn entities() -> Result<(Vec<NewEntity>, String), ExampleError> {
    let bytes = FILES.iter().map(|(path, text)| (std::path::PathBuf::from(path), text.as_bytes().to_vec())).collect();
    let plan = linchpin_plan::load_yaml_bytes(bytes);
    if let Some(error) = plan.diagnostics.iter().find(|d| d.severity == Severity::Error) {
        return Err(ExampleError::Plan(error.message.clone()));
    }
    let name = plan.program().map(|p| p.name().to_owned()).unwrap_or_default();
    let texts: Vec<(String, String)> = FILES.iter().map(|(p, t)| ((*p).to_owned(), (*t).to_owned())).collect();
    let entities = linchpin_plan::stored::entities(&texts).map_err(|d| ExampleError::Plan(d.message.clone()))?;
    let new = entities
        .into_iter()
        .map(|e| NewEntity { kind: e.kind.as_str().to_owned(), key: e.key, body: e.body })
        .collect();
    Ok((new, name))
}

/// Stores the example as program [`PROGRAM`] unless a program has that key.
pub async fn load_program(store: &impl Store) -> Result<Program, ExampleError> {
    match store.program_row(PROGRAM).await {
        Ok(row) => return Ok(Program::AlreadyThere { version: row.version }),
        Err(StoreError::NotFound { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    let (entities, name) = entities()?;
    match store.create_program(ACTOR, PROGRAM, &name, entities).await {
        Ok(row) => Ok(Program::Loaded { version: row.version }),
        // Another process stored one in between: that one stands.
        Err(StoreError::Exists(_)) => Ok(Program::AlreadyThere { version: store.program_row(PROGRAM).await?.version }),
        Err(e) => Err(e.into()),
    }
}

/// Makes the server administrator [`ADMIN`] with a fresh random password,
/// unless a user of that name exists.
pub async fn ensure_admin(store: &impl Store) -> Result<Admin, ExampleError> {
    if let Some(user) = store.user_by_name(ADMIN).await? {
        return Ok(Admin::Existed { server_admin: user.server_admin });
    }
    let password = password();
    let hashing = password.clone();
    let password_hash = tokio::task::spawn_blocking(move || auth::hash_password(&hashing))
        .await
        .map_err(|e| ExampleError::Password(e.to_string()))?
        .map_err(|e| ExampleError::Password(e.to_string()))?;
    let user =
        NewUser { name: ADMIN.to_owned(), display_name: "Administrator".to_owned(), password_hash, server_admin: true };
    match store.create_user(ACTOR, user).await {
        Ok(_) => Ok(Admin::Created { password }),
        Err(e) => match store.user_by_name(ADMIN).await? {
            // Made by another process in between.
            Some(user) => Ok(Admin::Existed { server_admin: user.server_admin }),
            None => Err(e.into()),
        },
    }
}

/// Letters and digits that cannot be mistaken for one another when read
/// off a terminal (no `0 o 1 l i`).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Four groups of five letters and digits: about 99 bits, easy to type.
pub fn password() -> String {
    use rand::Rng as _;
    let mut rng = rand::rng();
    let groups: Vec<String> =
        (0..4).map(|_| (0..5).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()).collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_every_file_of_the_example_folder() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/platform-migration");
        let mut found = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("the example folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    found.push(path.strip_prefix(&root).expect("inside").to_string_lossy().replace('\\', "/"));
                }
            }
        }
        found.sort();
        let listed: Vec<&str> = FILES.iter().map(|(p, _)| *p).collect();
        assert_eq!(found, listed, "FILES must list exactly the folder's files");
        for (path, text) in FILES {
            assert_eq!(*text, std::fs::read_to_string(root.join(path)).expect("readable"), "{path}");
        }
    }

    #[test]
    fn the_example_loads_without_errors() {
        let (entities, name) = entities().expect("the example loads");
        assert!(!name.is_empty());
        assert!(entities.iter().any(|e| e.kind == "item"), "{} entities", entities.len());
    }

    #[test]
    fn passwords_are_long_random_and_pass_the_rules() {
        let a = password();
        assert_eq!(a.len(), 23, "{a}");
        assert!(a.split('-').all(|g| g.len() == 5 && g.bytes().all(|b| ALPHABET.contains(&b))), "{a}");
        auth::check_password_rules(&a).expect("long enough");
        assert_ne!(a, password());
    }
}
