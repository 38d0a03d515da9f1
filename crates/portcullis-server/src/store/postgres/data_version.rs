//! The version PostgreSQL's resource answers are kept under (`store/result_cache.rs`): a
//! counter this instance moves after each of its own writes (before the write is answered, so a
//! client reads its own writes at once), and whenever the database announces a change by any
//! process: statement triggers on every resource and join table `pg_notify` on
//! [`CHANNEL`] (migration 0009 and [`watch_sql`]), and the user triggers of migration 0005 on
//! the authentication cache's channel (rows join `auth_user` for owners' names and flags). Both
//! channels are heard by the authentication cache's listening connection.
//!
//! Announcements arrive once the writing transaction commits, so another instance's write is
//! seen as soon as the announcement reaches this one (well under a second on a healthy
//! database, as with the authentication cache). While the listener is not listening,
//! announcements could be missed: there is no version then, and nothing is served or kept.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::store::result_cache::Versioned;

/// The channel the resource tables' triggers announce on (migration 0009 names it too).
pub(crate) const CHANNEL: &str = "portcullis_data";

/// This instance's idea of the resource data's version.
#[derive(Debug, Default)]
pub(crate) struct DataVersion {
    changes: AtomicU64,
    /// Whether every change reaches this instance now (the listener listens).
    announced: AtomicBool,
}

impl DataVersion {
    /// Something changed, or may have: every kept answer is stale.
    pub(crate) fn changed(&self) {
        self.changes.fetch_add(1, Ordering::SeqCst);
    }

    /// The listener started or stopped listening; either way what was kept may be stale.
    pub(crate) fn set_announced(&self, announced: bool) {
        if announced {
            self.changed();
            self.announced.store(true, Ordering::SeqCst);
        } else {
            self.announced.store(false, Ordering::SeqCst);
            self.changed();
        }
    }
}

impl Versioned for std::sync::Arc<DataVersion> {
    type Version = u64;

    fn version(&self) -> Option<u64> {
        self.announced
            .load(Ordering::SeqCst)
            .then(|| self.changes.load(Ordering::SeqCst))
    }
}

/// The statement that puts the announcing trigger on `table` unless it has it (the trigger
/// outlives Portcullis's processes; a table made by an older version gets it at the next start).
pub(crate) fn watch_sql(table: &str) -> String {
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    let literal = quoted.replace('\'', "''");
    format!(
        "DO $$ BEGIN \
           IF NOT EXISTS (SELECT 1 FROM pg_trigger \
                          WHERE tgname = 'portcullis_data_announce' \
                            AND tgrelid = '{literal}'::regclass) THEN \
             CREATE TRIGGER portcullis_data_announce \
               AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} \
               FOR EACH STATEMENT EXECUTE FUNCTION portcullis_data_notify(); \
           END IF; \
         END $$"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn no_version_unless_announced_and_every_change_moves_it() {
        let data = Arc::new(DataVersion::default());
        assert_eq!(data.version(), None);
        data.set_announced(true);
        let first = data.version().expect("announced");
        data.changed();
        let second = data.version().expect("announced");
        assert_ne!(first, second);
        data.set_announced(false);
        assert_eq!(data.version(), None);
        data.set_announced(true);
        assert_ne!(
            data.version(),
            Some(second),
            "listening again starts a new version"
        );
    }

    #[test]
    fn the_trigger_statement_quotes_the_table() {
        let sql = watch_sql("notes");
        assert!(sql.contains("ON \"notes\""), "{sql}");
        assert!(sql.contains("'\"notes\"'::regclass"), "{sql}");
    }
}
