//! Item ids in one buffer with a hash table of positions: a million-item
//! plan registers its ids and resolves its three million dependencies
//! without an allocation per key, and short ids (most are) are compared
//! inside the table slot itself, without touching the key text.

/// Keys up to this many bytes live in the slot.
const INLINE_KEY: usize = 11;

#[derive(Clone, Copy)]
struct Slot {
    index: u32,
    /// The key's length, or `u8::MAX` for a key kept only in the arena.
    len: u8,
    inline: [u8; INLINE_KEY],
}

#[derive(Default)]
pub(crate) struct KeyIndex {
    arena: String,
    ends: Vec<u32>,
    table: hashbrown::HashTable<Slot>,
}

/// Key `index` of an arena whose keys end at `ends` (a free function so
/// the table's rehash closures can borrow the arena while the table is mutable).
fn key_at<'a>(arena: &'a str, ends: &[u32], index: u32) -> &'a str {
    let i = index as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &arena[start..ends[i] as usize]
}

impl KeyIndex {
    fn hash(key: &str) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        key.hash(&mut hasher);
        hasher.finish()
    }

    pub fn key(&self, index: u32) -> &str {
        key_at(&self.arena, &self.ends, index)
    }

    fn matches(&self, slot: &Slot, key: &str) -> bool {
        let bytes = key.as_bytes();
        if bytes.len() <= INLINE_KEY {
            slot.len as usize == bytes.len() && slot.inline[..bytes.len()] == *bytes
        } else {
            slot.len == u8::MAX && self.key(slot.index) == key
        }
    }

    pub fn get(&self, key: &str) -> Option<u32> {
        self.table.find(Self::hash(key), |slot| self.matches(slot, key)).map(|slot| slot.index)
    }

    /// Adds `key` as the next index, or returns the index it already has.
    pub fn insert(&mut self, key: &str) -> Result<u32, u32> {
        let hash = Self::hash(key);
        if let Some(slot) = self.table.find(hash, |slot| self.matches(slot, key)) {
            return Err(slot.index);
        }
        let index = self.ends.len() as u32;
        self.arena.push_str(key);
        self.ends.push(self.arena.len() as u32);
        let mut slot = Slot { index, len: u8::MAX, inline: [0; INLINE_KEY] };
        if key.len() <= INLINE_KEY {
            slot.len = key.len() as u8;
            slot.inline[..key.len()].copy_from_slice(key.as_bytes());
        }
        let (arena, ends) = (&self.arena, &self.ends);
        self.table.insert_unique(hash, slot, |slot| Self::hash(key_at(arena, ends, slot.index)));
        Ok(index)
    }

    /// Room for `keys` more keys of about `bytes` bytes in all.
    pub fn reserve(&mut self, keys: usize, bytes: usize) {
        self.ends.reserve(keys);
        self.arena.reserve(bytes);
        let (arena, ends) = (&self.arena, &self.ends);
        self.table.reserve(keys, |slot| Self::hash(key_at(arena, ends, slot.index)));
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> + Clone {
        (0..self.ends.len() as u32).map(|i| self.key(i))
    }
}

#[cfg(test)]
mod tests {
    use super::KeyIndex;

    #[test]
    fn finds_short_and_long_keys_and_refuses_repeats() {
        let mut index = KeyIndex::default();
        assert_eq!(index.insert("PAY-1"), Ok(0));
        assert_eq!(index.insert("a-rather-long-item-key-42"), Ok(1));
        assert_eq!(index.insert("PAY-1"), Err(0));
        assert_eq!(index.get("a-rather-long-item-key-42"), Some(1));
        assert_eq!(index.get("PAY-2"), None);
        assert_eq!(index.keys().collect::<Vec<_>>(), ["PAY-1", "a-rather-long-item-key-42"]);
    }
}
