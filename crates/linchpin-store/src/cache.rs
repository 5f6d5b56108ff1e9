//! The result cache: computed reads (schedules, forecasts, reports) kept
//! per program version, so a second read of an unchanged program is
//! cheap on every server sharing the database. It is safe to lose: a
//! missing entry is computed again.

use crate::Result;

/// The most bytes kept per program; the oldest entries go first.
pub const CACHE_BYTES_PER_PROGRAM: i64 = 64 * 1024 * 1024;
/// The most entries kept per program, however small.
pub const MAX_CACHE_ENTRIES_PER_PROGRAM: usize = 1024;
/// The longest cache key.
pub const MAX_CACHE_KEY: usize = 512;

pub(crate) fn check_key(key: &str) -> Result<()> {
    crate::accounts::text("cache key", key, MAX_CACHE_KEY)
}

/// The size of an entry of `bytes`, or `None` when it is too large to
/// keep at all.
pub(crate) fn size(bytes: &[u8]) -> Option<i64> {
    i64::try_from(bytes.len()).ok().filter(|n| *n <= CACHE_BYTES_PER_PROGRAM)
}

/// Which entries to evict so a program's entries fit in `byte_limit`
/// bytes and `entry_limit` entries, given them oldest first as (key,
/// size): the oldest, until the rest fit.
pub(crate) fn evictions(oldest_first: &[(String, i64)], byte_limit: i64, entry_limit: usize) -> Vec<String> {
    let mut total: i64 = oldest_first.iter().map(|(_, size)| size).sum();
    let mut left = oldest_first.len();
    let mut evicted = Vec::new();
    for (key, size) in oldest_first {
        if total <= byte_limit && left <= entry_limit {
            break;
        }
        total -= size;
        left -= 1;
        evicted.push(key.clone());
    }
    evicted
}

/// What to evict to make room for a new entry of `size` bytes beside the
/// program's other entries (oldest first, the new one's key left out).
pub(crate) fn evictions_for(others_oldest_first: &[(String, i64)], size: i64) -> Vec<String> {
    evictions(others_oldest_first, CACHE_BYTES_PER_PROGRAM - size, MAX_CACHE_ENTRIES_PER_PROGRAM - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entries_go_until_the_rest_fit() {
        let entries: Vec<(String, i64)> =
            [("a", 40), ("b", 30), ("c", 20), ("d", 10)].into_iter().map(|(k, s)| (k.to_owned(), s)).collect();
        assert!(evictions(&entries, 100, 4).is_empty());
        assert_eq!(evictions(&entries, 99, 4), ["a"]);
        assert_eq!(evictions(&entries, 30, 4), ["a", "b"]);
        assert_eq!(evictions(&entries, 10, 4), ["a", "b", "c"]);
        assert_eq!(evictions(&entries, 0, 4), ["a", "b", "c", "d"]);
        // However small, no more than so many entries.
        assert_eq!(evictions(&entries, 100, 2), ["a", "b"]);
        assert_eq!(evictions(&entries, 100, 0), ["a", "b", "c", "d"]);
    }

    #[test]
    fn a_new_entry_makes_room_for_itself() {
        let entries = vec![("old".to_owned(), CACHE_BYTES_PER_PROGRAM / 2), ("new".to_owned(), 10)];
        assert!(evictions_for(&entries, CACHE_BYTES_PER_PROGRAM / 2 - 10).is_empty());
        assert_eq!(evictions_for(&entries, CACHE_BYTES_PER_PROGRAM / 2), ["old"]);
        let many: Vec<(String, i64)> = (0..MAX_CACHE_ENTRIES_PER_PROGRAM).map(|n| (n.to_string(), 0)).collect();
        assert_eq!(evictions_for(&many, 0), ["0"]);
    }
}
