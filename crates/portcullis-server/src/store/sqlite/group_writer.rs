//! Resource writes grouped into shared transactions (group commit).
//!
//! SQLite takes one writer at a time, and every commit appends the pages it changed to the WAL:
//! a create touches the table's page and one page per index, so one commit per request writes
//! the same few pages again and again. Here one thread owns a write connection and takes every
//! write waiting for it at once: one `BEGIN IMMEDIATE`, each request's statements in a savepoint
//! of their own (a refused constraint undoes that request's statements only, as its own
//! transaction would), one `COMMIT`, and only then each answer. An answered write is in the WAL
//! file before its 201 leaves, so it survives the process being killed, exactly as a commit of
//! its own would (`synchronous = NORMAL`: only a power loss can take the last commits). Under
//! load a group holds tens of requests; alone, a request waits for nobody.
//!
//! The requests hand their statements over a bounded channel: a full channel is saturation
//! (`Busy`, a 503), not a queue that grows with the load.

use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

use super::errors::from_rusqlite;
use super::values::Built;
use crate::store::StoreError;
use crate::store::links::LinkSet;

/// Writes waiting at most; beyond, requests are answered 503 at once.
const WAITING: usize = 4096;
/// Writes in one transaction at most, so that the first of a long queue is not held long.
const GROUP: usize = 256;
/// Prepared statements kept (a resource's insert, update and delete shapes).
const STATEMENTS_KEPT: usize = 256;

/// One request's write.
pub(super) enum Write {
    /// An `INSERT`, then the links of the new row.
    Insert { insert: Built, links: Vec<LinkSet> },
    /// An `UPDATE` or `DELETE` (if any), then the links of row `id`.
    Change {
        change: Option<Built>,
        id: i64,
        links: Vec<LinkSet>,
    },
}

/// What a write did: the new row's id, and the rows its main statement changed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Written {
    pub(super) id: i64,
    pub(super) changed: u64,
}

/// Where a write's outcome goes.
type Reply = oneshot::Sender<Result<Written, StoreError>>;

struct Job {
    write: Write,
    reply: Reply,
}

/// The handle requests write through; the thread stops when the last handle is dropped.
pub(super) struct GroupWriter {
    jobs: SyncSender<Job>,
}

impl std::fmt::Debug for GroupWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupWriter").finish_non_exhaustive()
    }
}

impl GroupWriter {
    /// Open the write connection to the file at `path` (already created, in WAL mode) and start
    /// its thread.
    pub(super) fn start(path: &Path) -> Result<GroupWriter, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| from_rusqlite(&e))?;
        // As the sqlx writer: other writers (that one, the CLI) are waited for, not failed.
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(|e| from_rusqlite(&e))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(|e| from_rusqlite(&e))?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(|e| from_rusqlite(&e))?;
        let (jobs, waiting) = sync_channel(WAITING);
        std::thread::Builder::new()
            .name("portcullis-writer".into())
            .spawn(move || serve(&conn, &waiting))
            .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
        Ok(GroupWriter { jobs })
    }

    /// Run `write` in the next group; answered once its group is committed.
    pub(super) async fn write(&self, write: Write) -> Result<Written, StoreError> {
        let (reply, answer) = oneshot::channel();
        match self.jobs.try_send(Job { write, reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(StoreError::Busy),
            Err(TrySendError::Disconnected(_)) => return Err(stopped()),
        }
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the database writer has stopped".into())
}

/// The writer thread: a group of every write waiting, until every handle is gone.
fn serve(conn: &Connection, waiting: &Receiver<Job>) {
    while let Ok(first) = waiting.recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match waiting.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        // A request that went away (its client disconnected) is not written: nobody will be
        // told it was, and a write nobody saw succeed must not appear later.
        group.retain(|job| !job.reply.is_closed());
        if !group.is_empty() {
            commit_group(conn, group);
        }
    }
}

/// One transaction for the whole group, one savepoint per write.
fn commit_group(conn: &Connection, group: Vec<Job>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        for job in group {
            let _ = job.reply.send(Err(from_rusqlite(&e)));
        }
        return;
    }
    let mut done: Vec<(Reply, rusqlite::Result<Written>)> = Vec::with_capacity(group.len());
    for job in group {
        let outcome = in_savepoint(conn, &job.write);
        if outcome.is_err() && conn.is_autocommit() {
            // SQLite rolled the whole transaction back (an I/O error, a full disk): the writes
            // before this one are lost with it, and their requests must hear so.
            let why = outcome.err().map(|e| e.to_string()).unwrap_or_default();
            let lost = || {
                Err(StoreError::Database(sqlx::Error::Protocol(format!(
                    "SQLite: {why}"
                ))))
            };
            for (reply, _) in done {
                let _ = reply.send(lost());
            }
            let _ = job.reply.send(lost());
            return;
        }
        done.push((job.reply, outcome));
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => {
            for (reply, outcome) in done {
                let _ = reply.send(outcome.map_err(|e| from_rusqlite(&e)));
            }
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            for (reply, _) in done {
                let _ = reply.send(Err(from_rusqlite(&e)));
            }
        }
    }
}

/// One write in its savepoint: all of its statements, or none.
fn in_savepoint(conn: &Connection, write: &Write) -> rusqlite::Result<Written> {
    conn.execute_batch("SAVEPOINT w")?;
    match run(conn, write) {
        Ok(written) => {
            conn.execute_batch("RELEASE w")?;
            Ok(written)
        }
        Err(e) => {
            if !conn.is_autocommit() {
                conn.execute_batch("ROLLBACK TO w; RELEASE w")?;
            }
            Err(e)
        }
    }
}

fn run(conn: &Connection, write: &Write) -> rusqlite::Result<Written> {
    let (id, changed, links) = match write {
        Write::Insert { insert, links } => {
            let changed = execute(conn, insert)?;
            (conn.last_insert_rowid(), changed, links)
        }
        Write::Change { change, id, links } => {
            let changed = match change {
                Some(change) => execute(conn, change)?,
                None => 0,
            };
            (*id, changed, links)
        }
    };
    for set in links {
        let (delete, inserts) = set
            .statements(id)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        execute(conn, &built(delete.build(sea_query::SqliteQueryBuilder))?)?;
        for insert in inserts {
            execute(conn, &built(insert.build(sea_query::SqliteQueryBuilder))?)?;
        }
    }
    Ok(Written { id, changed })
}

fn built(statement: (String, sea_query::Values)) -> rusqlite::Result<Built> {
    super::values::built(statement).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))
}

fn execute(conn: &Connection, (sql, values): &Built) -> rusqlite::Result<u64> {
    let changed = conn
        .prepare_cached(sql)?
        .execute(rusqlite::params_from_iter(values.iter()))?;
    Ok(u64::try_from(changed).unwrap_or(0))
}
