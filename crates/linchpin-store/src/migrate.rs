//! Versioned migrations, embedded in the binary, one list per backend
//! where the DDL differs. Each applied migration is recorded with a
//! checksum of its text: one changed after it was applied is an error, and
//! so is a database with a migration this binary does not know (written by
//! a newer Linchpin), which is refused rather than half understood.

use sha2::{Digest, Sha256};

use crate::{Result, StoreError};

/// One migration: its version, name and SQL.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    pub fn checksum(&self) -> String {
        Sha256::digest(self.sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

pub const MIGRATIONS_SQLITE: &[Migration] = &[
    Migration { version: 1, name: "programs", sql: include_str!("../migrations/sqlite/0001_programs.sql") },
    Migration { version: 2, name: "accounts", sql: include_str!("../migrations/sqlite/0002_accounts.sql") },
    Migration { version: 3, name: "trend", sql: include_str!("../migrations/sqlite/0003_trend.sql") },
    Migration { version: 4, name: "entity keys", sql: include_str!("../migrations/sqlite/0004_entity_keys.sql") },
];

pub const MIGRATIONS_POSTGRES: &[Migration] = &[
    Migration { version: 1, name: "programs", sql: include_str!("../migrations/postgres/0001_programs.sql") },
    Migration { version: 2, name: "accounts", sql: include_str!("../migrations/postgres/0002_accounts.sql") },
    Migration { version: 3, name: "trend", sql: include_str!("../migrations/postgres/0003_trend.sql") },
    Migration { version: 4, name: "entity keys", sql: include_str!("../migrations/postgres/0004_entity_keys.sql") },
];

/// The table that records what was applied.
pub(crate) const LEDGER: &str = "CREATE TABLE IF NOT EXISTS linchpin_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

/// Which of `known` still need applying, given what the database records
/// as applied (version, name, checksum); an error when the record and the
/// binary disagree.
pub(crate) fn pending(known: &'static [Migration], applied: &[(i64, String, String)]) -> Result<Vec<Migration>> {
    for (version, name, checksum) in applied {
        match known.iter().find(|m| m.version == *version) {
            None => return Err(StoreError::Newer { version: *version, name: name.clone() }),
            Some(m) if &m.checksum() != checksum => {
                return Err(StoreError::EditedMigration { version: *version, name: name.clone() });
            }
            Some(_) => {}
        }
    }
    Ok(known.iter().filter(|m| !applied.iter().any(|a| a.0 == m.version)).copied().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_in_order_and_the_same_on_both_backends() {
        for list in [MIGRATIONS_SQLITE, MIGRATIONS_POSTGRES] {
            let versions: Vec<i64> = list.iter().map(|m| m.version).collect();
            assert_eq!(versions, (1..=list.len() as i64).collect::<Vec<_>>());
        }
        let names = |l: &[Migration]| l.iter().map(|m| m.name).collect::<Vec<_>>();
        assert_eq!(names(MIGRATIONS_SQLITE), names(MIGRATIONS_POSTGRES));
    }

    #[test]
    fn an_edited_or_unknown_migration_is_refused() {
        let first = &MIGRATIONS_SQLITE[0];
        let all: Vec<_> = MIGRATIONS_SQLITE.iter().map(|m| (m.version, m.name.to_owned(), m.checksum())).collect();
        assert!(pending(MIGRATIONS_SQLITE, &all).expect("known").is_empty());
        // A database from before the accounts gets only what it lacks.
        let applied = vec![(1, first.name.to_owned(), first.checksum())];
        let versions: Vec<i64> =
            pending(MIGRATIONS_SQLITE, &applied).expect("known").iter().map(|m| m.version).collect();
        assert_eq!(versions, (2..=MIGRATIONS_SQLITE.len() as i64).collect::<Vec<_>>());
        assert_eq!(pending(MIGRATIONS_SQLITE, &[]).expect("fresh").len(), MIGRATIONS_SQLITE.len());
        let edited = vec![(1, first.name.to_owned(), "0".repeat(64))];
        assert!(matches!(pending(MIGRATIONS_SQLITE, &edited), Err(StoreError::EditedMigration { version: 1, .. })));
        let newer = vec![(1, first.name.to_owned(), first.checksum()), (99, "future".to_owned(), String::new())];
        assert!(matches!(pending(MIGRATIONS_SQLITE, &newer), Err(StoreError::Newer { version: 99, .. })));
    }
}
