//! The authentication cache: what an instance read to authenticate a request (a DRF token's
//! user by the key's digest, a JWT's user and revocation epoch by the user's id, the knox
//! tokens found by a token's lookup key with their users), kept for
//! `[limits] auth_cache_ms` so that an authenticated request usually reads nothing to know who
//! it is. It sits in the store as a layer over the database ([`layer::AuthLayer`]), so the
//! authentication classes and every handler get it without knowing.
//!
//! It stays correct by forgetting a user's entries whenever the user changes: at once for the
//! writes this instance makes (the layer forgets after each write to a user, a token or an
//! epoch), on PostgreSQL for the writes of any process as soon as the database announces them
//! (`listener.rs`, triggers of migration 0005). The lifetime only bounds what nobody announced.
//! Only hits are kept (a random token is never remembered) and each map holds at most
//! [`CAPACITY`] entries, so requests cannot grow it.

mod accounts;
mod admin;
mod knox;
pub(crate) mod layer;
mod listener;
mod tokens;

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::User;
use super::knox::KnoxCandidate;

/// Most entries of each map (tokens, JWT users): a few megabytes at most.
pub(crate) const CAPACITY: usize = 10_000;

/// Authentication lookups, by DRF token digest and by user id.
#[derive(Debug)]
pub(crate) struct AuthCache {
    lifetime: Duration,
    /// Whether every change of a user reaches this instance: always on SQLite (one instance,
    /// whose writes the layer sees), on PostgreSQL only while the listener listens. Nothing is
    /// kept or served otherwise, since a change could go unannounced.
    announced: AtomicBool,
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// Moved on by every forgetting: a lookup that began before one keeps nothing, since what
    /// it read may be what was just forgotten.
    generation: u64,
    tokens: HashMap<String, Entry<User>>,
    jwt_users: HashMap<i64, Entry<(User, i64)>>,
    /// knox's tokens by lookup key (each with its expiry, checked on every use).
    knox: HashMap<String, Entry<Vec<KnoxCandidate>>>,
}

impl Entries {
    /// Forget everything; a lookup under way keeps nothing (the generation moves on).
    fn clear(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.tokens.clear();
        self.jwt_users.clear();
        self.knox.clear();
    }
}

#[derive(Debug)]
struct Entry<T> {
    value: T,
    until: Instant,
}

/// A lookup that missed, to keep what the database answers: when it began, and the
/// generation then.
pub(crate) struct Miss {
    began: Instant,
    generation: u64,
}

impl AuthCache {
    /// A cache keeping entries for `lifetime`; `announced` as it is on SQLite (true) or before
    /// the PostgreSQL listener listens (false).
    pub(crate) fn new(lifetime: Duration, announced: bool) -> AuthCache {
        AuthCache {
            lifetime,
            announced: AtomicBool::new(announced),
            entries: Mutex::new(Entries::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        // A panic while holding the lock cannot leave an entry half-written (each change is
        // one map operation), so a poisoned cache is still sound.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The user whose DRF token has this digest, or the miss to keep the answer with.
    pub(crate) fn token(&self, digest: &str) -> Result<User, Miss> {
        let mut entries = self.lock();
        let miss = self.miss(&entries);
        take(&mut entries.tokens, digest, miss.began).ok_or(miss)
    }

    pub(crate) fn keep_token(&self, miss: Miss, digest: &str, user: &User) {
        let mut entries = self.lock();
        if let Some(until) = self.until(&entries, &miss) {
            put(&mut entries.tokens, digest.to_owned(), user.clone(), until);
        }
    }

    /// The user with this id and its JWT revocation epoch, or the miss to keep the answer with.
    pub(crate) fn jwt_user(&self, id: i64) -> Result<(User, i64), Miss> {
        let mut entries = self.lock();
        let miss = self.miss(&entries);
        take(&mut entries.jwt_users, &id, miss.began).ok_or(miss)
    }

    pub(crate) fn keep_jwt_user(&self, miss: Miss, found: &(User, i64)) {
        let mut entries = self.lock();
        if let Some(until) = self.until(&entries, &miss) {
            put(&mut entries.jwt_users, found.0.id, found.clone(), until);
        }
    }

    /// The knox tokens with this lookup key, or the miss to keep the answer with.
    pub(crate) fn knox(&self, token_key: &str) -> Result<Vec<KnoxCandidate>, Miss> {
        let mut entries = self.lock();
        let miss = self.miss(&entries);
        take(&mut entries.knox, token_key, miss.began).ok_or(miss)
    }

    /// Keep what a knox lookup found; nothing when it found nothing (a random token).
    pub(crate) fn keep_knox(&self, miss: Miss, token_key: &str, found: &[KnoxCandidate]) {
        let mut entries = self.lock();
        if found.is_empty() {
            return;
        }
        if let Some(until) = self.until(&entries, &miss) {
            put(
                &mut entries.knox,
                token_key.to_owned(),
                found.to_vec(),
                until,
            );
        }
    }

    /// Forget everything about one user (it changed, or its token, epoch or knox tokens did).
    pub(crate) fn forget_user(&self, id: i64) {
        let mut entries = self.lock();
        entries.generation = entries.generation.wrapping_add(1);
        entries.jwt_users.remove(&id);
        entries.tokens.retain(|_, entry| entry.value.id != id);
        entries
            .knox
            .retain(|_, entry| entry.value.iter().all(|c| c.user.id != id));
    }

    /// Forget everything (changes may have gone unannounced).
    pub(crate) fn forget_all(&self) {
        self.lock().clear();
    }

    /// Whether changes are announced from now on; either way, what was kept is forgotten, since
    /// changes may have gone unannounced until now.
    pub(crate) fn set_announced(&self, announced: bool) {
        let mut entries = self.lock();
        self.announced.store(announced, Ordering::SeqCst);
        entries.clear();
    }

    fn miss(&self, entries: &Entries) -> Miss {
        Miss {
            began: Instant::now(),
            generation: entries.generation,
        }
    }

    /// Until when an answer read since `miss` may be kept; `None` if it may not be (something
    /// was forgotten since the lookup began, or changes are not announced).
    fn until(&self, entries: &Entries, miss: &Miss) -> Option<Instant> {
        if entries.generation != miss.generation || !self.announced.load(Ordering::SeqCst) {
            return None;
        }
        // What was read is as old as the lookup: the lifetime counts from its start.
        miss.began.checked_add(self.lifetime)
    }
}

/// The live entry for `key` (an expired one is removed).
fn take<K, Q, V>(map: &mut HashMap<K, Entry<V>>, key: &Q, now: Instant) -> Option<V>
where
    K: std::borrow::Borrow<Q> + Hash + Eq,
    Q: Hash + Eq + ?Sized,
    V: Clone,
{
    let entry = map.get(key)?;
    if entry.until > now {
        return Some(entry.value.clone());
    }
    map.remove(key);
    None
}

/// Keep `value` under `key` unless the map is full of live entries.
fn put<K: Hash + Eq, V>(map: &mut HashMap<K, Entry<V>>, key: K, value: V, until: Instant) {
    if map.len() >= CAPACITY {
        let now = Instant::now();
        map.retain(|_, entry| entry.until > now);
        if map.len() >= CAPACITY {
            // Full of live entries: this one is read again next time, which is only slower.
            return;
        }
    }
    map.insert(key, Entry { value, until });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> AuthCache {
        AuthCache::new(Duration::from_secs(60), true)
    }

    #[test]
    fn a_kept_token_is_served_until_its_user_is_forgotten() {
        let cache = cache();
        let miss = cache.token("d").expect_err("empty");
        cache.keep_token(miss, "d", &User::fixture(7, false, false));
        assert_eq!(cache.token("d").ok().map(|u| u.id), Some(7));
        cache.forget_user(8);
        assert!(cache.token("d").is_ok(), "another user's change keeps it");
        cache.forget_user(7);
        assert!(cache.token("d").is_err());
    }

    #[test]
    fn knox_tokens_are_kept_until_their_user_is_forgotten() {
        let cache = cache();
        let candidate = KnoxCandidate {
            user: User::fixture(7, false, false),
            knox_digest: "digest".into(),
            knox_created: String::new(),
            knox_expiry: None,
        };
        let miss = cache.knox("key").expect_err("empty");
        cache.keep_knox(miss, "key", &[]);
        assert!(cache.knox("key").is_err(), "an unknown token is never kept");
        let miss = cache.knox("key").expect_err("empty");
        cache.keep_knox(miss, "key", std::slice::from_ref(&candidate));
        assert_eq!(cache.knox("key").map(|c| c.len()).ok(), Some(1));
        cache.forget_user(8);
        assert!(cache.knox("key").is_ok(), "another user's change keeps it");
        cache.forget_user(7);
        assert!(cache.knox("key").is_err());
    }

    #[test]
    fn a_lookup_that_began_before_a_forgetting_keeps_nothing() {
        let cache = cache();
        let miss = cache.jwt_user(7).expect_err("empty");
        cache.forget_user(7);
        cache.keep_jwt_user(miss, &(User::fixture(7, false, false), 0));
        assert!(cache.jwt_user(7).is_err());
    }

    #[test]
    fn nothing_is_kept_while_changes_are_not_announced() {
        let cache = AuthCache::new(Duration::from_secs(60), false);
        let miss = cache.jwt_user(7).expect_err("empty");
        cache.keep_jwt_user(miss, &(User::fixture(7, false, false), 0));
        assert!(cache.jwt_user(7).is_err());
        cache.set_announced(true);
        let miss = cache.jwt_user(7).expect_err("empty");
        cache.keep_jwt_user(miss, &(User::fixture(7, false, false), 0));
        assert!(cache.jwt_user(7).is_ok());
        cache.set_announced(false);
        assert!(
            cache.jwt_user(7).is_err(),
            "forgotten when the listener stops"
        );
    }

    #[test]
    fn the_maps_stay_bounded() {
        let cache = cache();
        for i in 0..(CAPACITY + 50) {
            let miss = cache.token("x").expect_err("never kept");
            let user = User::fixture(i as i64, false, false);
            cache.keep_token(miss, &format!("d{i}"), &user);
        }
        assert_eq!(cache.lock().tokens.len(), CAPACITY);
        assert!(cache.token("d1").is_ok(), "the live entries stay");
        assert!(cache.token(&format!("d{CAPACITY}")).is_err(), "no room");
    }

    #[test]
    fn entries_expire() {
        let cache = AuthCache::new(Duration::from_millis(30), true);
        let miss = cache.jwt_user(7).expect_err("empty");
        cache.keep_jwt_user(miss, &(User::fixture(7, false, false), 0));
        assert!(cache.jwt_user(7).is_ok());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.jwt_user(7).is_err(), "expired");
        assert!(cache.lock().jwt_users.is_empty(), "and removed");
    }
}
