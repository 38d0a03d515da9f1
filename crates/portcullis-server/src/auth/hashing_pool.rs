//! Password hashing and verification on a fixed pool of dedicated threads, so that a flood of
//! logins can neither take every core from authenticated reads nor grow the process's memory.
//!
//! - **A fixed number of workers** (`password_hash_concurrency`; 0 means one less than the
//!   cores, at least one) are the only threads that hash. At most that many hashes run at once,
//!   whatever clients do, because a hash is counted by the worker that runs it, not by the
//!   request that asked for it.
//! - **Each worker keeps its memory**: one [`HashScratch`] (argon2's 19 MiB) per worker, reused
//!   for every hash, instead of an allocation per hash that the allocator would keep in a
//!   per-thread arena.
//! - **A started hash keeps its worker until it finishes**, even if its client has gone; a job
//!   whose requester has gone before a worker takes it is skipped.
//! - **The queue is bounded**: at most [`QUEUE_PER_WORKER`] jobs per worker wait for a worker.
//!   At the bound a requester waits, asynchronously and in arrival order, for a place in the
//!   queue: waiting costs a parked future, no thread and no hashing memory. The wait ends when
//!   the client hangs up or the request's deadline (`limits.request_timeout_secs`) answers
//!   for it; the number of waiters is bounded by the connection cap.
//!
//! bcrypt, PBKDF2 and the dummy verification for unknown users go through the same pool.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use portcullis_passwords::{HashScratch, Verification};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

/// Jobs that may wait in the queue for each worker before requesters wait for a place.
pub(crate) const QUEUE_PER_WORKER: usize = 4;

/// The number of hashing workers for a configured `password_hash_concurrency`: the value
/// itself, or for 0 one less than `cores`, at least one, so that hashing never takes every core.
pub(crate) fn workers_for(configured: usize, cores: usize) -> usize {
    match configured {
        0 => cores.saturating_sub(1).max(1),
        n => n,
    }
}

/// A handle on the pool; clones share it. The workers stop when the last handle is dropped.
#[derive(Clone, Debug)]
pub struct PasswordHasher {
    pool: Arc<Pool>,
}

#[derive(Debug)]
struct Pool {
    shared: Arc<Shared>,
    /// Places in the queue; a job holds one until a worker takes it.
    places: Arc<Semaphore>,
    workers: usize,
}

#[derive(Debug, Default)]
struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
    requested: AtomicUsize,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    skipped: AtomicUsize,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    closed: bool,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Queue")
            .field("jobs", &self.jobs.len())
            .field("closed", &self.closed)
            .finish()
    }
}

struct Job {
    task: Box<dyn Task>,
    /// Released when a worker takes the job off the queue.
    place: OwnedSemaphorePermit,
}

/// One hash and where its result goes.
trait Task: Send {
    /// Whether the requester has gone (its future was dropped).
    fn abandoned(&self) -> bool;
    /// Compute, call `finished`, then hand the result over.
    fn run(self: Box<Self>, scratch: &mut HashScratch, finished: &dyn Fn());
}

struct Reply<T, F> {
    work: F,
    reply: oneshot::Sender<Option<T>>,
}

impl<T, F> Task for Reply<T, F>
where
    T: Send,
    F: FnOnce(&mut HashScratch) -> T + Send,
{
    fn abandoned(&self) -> bool {
        self.reply.is_closed()
    }

    fn run(self: Box<Self>, scratch: &mut HashScratch, finished: &dyn Fn()) {
        let Reply { work, reply } = *self;
        // A panic in a hasher must not kill the worker: the pool would lose a thread for good.
        // Scratch memory is plain data and stays usable after one.
        let result = catch_unwind(AssertUnwindSafe(|| work(scratch))).ok();
        finished();
        // The requester may have gone meanwhile; then nobody wants the result.
        let _ = reply.send(result);
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // Jobs run outside the lock, so a poisoned lock only means a panic between two plain
        // queue operations; the queue itself is still consistent.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next job, waiting for one; `None` once the pool is closed and drained.
    fn next(&self) -> Option<Job> {
        let mut queue = self.lock();
        loop {
            if let Some(job) = queue.jobs.pop_front() {
                return Some(job);
            }
            if queue.closed {
                return None;
            }
            queue = self.ready.wait(queue).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn work(&self) {
        let mut scratch = HashScratch::new();
        while let Some(Job { task, place }) = self.next() {
            drop(place);
            if task.abandoned() {
                self.skipped.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            if self.peak.fetch_max(now, Ordering::SeqCst) < now {
                tracing::debug!(peak = now, "password hashes in flight reached a new peak");
            }
            task.run(&mut scratch, &|| {
                self.in_flight.fetch_sub(1, Ordering::SeqCst);
            });
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.ready.notify_all();
        tracing::debug!(
            workers = self.workers,
            hashes_requested = self.shared.requested.load(Ordering::Relaxed),
            peak_in_flight = self.shared.peak.load(Ordering::Relaxed),
            skipped = self.shared.skipped.load(Ordering::Relaxed),
            "password hashing pool stopped"
        );
    }
}

impl PasswordHasher {
    /// A pool of `workers` hashing threads (at least one).
    pub(crate) fn new(workers: usize) -> PasswordHasher {
        let shared = Arc::new(Shared::default());
        let mut started = 0;
        for i in 0..workers.max(1) {
            let shared = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{i}"))
                .spawn(move || shared.work());
            match spawned {
                Ok(_) => started += 1,
                Err(e) => tracing::error!("cannot start a password hashing thread: {e}"),
            }
        }
        PasswordHasher {
            pool: Arc::new(Pool {
                shared,
                places: Arc::new(Semaphore::new(started.max(1) * QUEUE_PER_WORKER)),
                workers: started,
            }),
        }
    }

    /// Run `work` on a worker with that worker's scratch memory.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut HashScratch) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let pool = &self.pool;
        if pool.workers == 0 {
            anyhow::bail!("no password hashing thread could be started");
        }
        pool.shared.requested.fetch_add(1, Ordering::Relaxed);
        let place = Arc::clone(&pool.places).acquire_owned().await?;
        let (reply, result) = oneshot::channel();
        pool.shared.lock().jobs.push_back(Job {
            task: Box::new(Reply { work, reply }),
            place,
        });
        pool.shared.ready.notify_one();
        match result.await {
            Ok(Some(value)) => Ok(value),
            Ok(None) => anyhow::bail!("password hashing panicked"),
            Err(_) => anyhow::bail!("the password hashing pool stopped"),
        }
    }

    /// Hash a new password with the current default hasher.
    pub(crate) async fn hash(&self, password: String) -> anyhow::Result<String> {
        self.run(move |scratch| portcullis_passwords::make_password_with(&password, scratch))
            .await
    }

    /// Verify against a stored hash.
    pub(crate) async fn verify(
        &self,
        password: String,
        encoded: String,
    ) -> anyhow::Result<Verification> {
        self.run(move |scratch| {
            portcullis_passwords::check_password_with(&password, &encoded, scratch)
        })
        .await
    }

    /// Spend the time of one verification for a user that does not exist (Django's
    /// ModelBackend does the same), so response time does not reveal which usernames exist.
    pub(crate) async fn dummy_verify(&self, password: String) -> anyhow::Result<()> {
        self.run(move |scratch| portcullis_passwords::dummy_verify_with(&password, scratch))
            .await
    }

    /// Hashes asked for since the start (including those skipped or still waiting).
    pub fn requested(&self) -> usize {
        self.pool.shared.requested.load(Ordering::SeqCst)
    }

    /// Hashes running now.
    pub fn in_flight(&self) -> usize {
        self.pool.shared.in_flight.load(Ordering::SeqCst)
    }

    /// The most hashes that ever ran at once; never more than the number of workers.
    pub fn peak_in_flight(&self) -> usize {
        self.pool.shared.peak.load(Ordering::SeqCst)
    }

    /// Jobs in the queue, waiting for a worker.
    pub fn queued(&self) -> usize {
        self.pool.shared.lock().jobs.len()
    }

    /// Jobs dropped unrun because their requester had gone before a worker took them.
    #[cfg(test)]
    fn skipped(&self) -> usize {
        self.pool.shared.skipped.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn workers_leave_a_core_free() {
        assert_eq!(workers_for(0, 1), 1);
        assert_eq!(workers_for(0, 2), 1);
        assert_eq!(workers_for(0, 8), 7);
        assert_eq!(workers_for(3, 8), 3);
        assert_eq!(workers_for(16, 2), 16);
    }

    /// Start a job that holds the only worker until `release` is sent to.
    async fn occupy(hasher: &PasswordHasher) -> (mpsc::Sender<()>, tokio::task::JoinHandle<()>) {
        let (release, held) = mpsc::channel::<()>();
        let busy = hasher.clone();
        let job = tokio::spawn(async move {
            busy.run(move |_| {
                let _ = held.recv();
            })
            .await
            .expect("the holding job runs");
        });
        until(|| hasher.in_flight() == 1).await;
        (release, job)
    }

    async fn until(mut done: impl FnMut() -> bool) {
        for _ in 0..2000 {
            if done() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("timed out");
    }

    #[tokio::test]
    async fn a_job_whose_requester_left_before_a_worker_took_it_is_skipped() {
        let hasher = PasswordHasher::new(1);
        let (release, holder) = occupy(&hasher).await;
        let ran = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&ran);
        let mut gone = Box::pin(hasher.run(move |_| counted.fetch_add(1, Ordering::SeqCst)));
        // One poll queues the job; then its requester goes.
        assert!(
            tokio::time::timeout(Duration::ZERO, &mut gone)
                .await
                .is_err()
        );
        assert_eq!(hasher.queued(), 1);
        drop(gone);
        release.send(()).expect("release");
        holder.await.expect("the holder finishes");
        assert_eq!(hasher.run(|_| 7).await.expect("runs"), 7);
        assert_eq!(ran.load(Ordering::SeqCst), 0, "the abandoned job never ran");
        assert_eq!(hasher.skipped(), 1);
        assert_eq!(hasher.peak_in_flight(), 1);
        assert_eq!(hasher.requested(), 3);
    }

    #[tokio::test]
    async fn the_queue_is_bounded_and_waiters_get_their_turn() {
        let hasher = PasswordHasher::new(1);
        let (release, holder) = occupy(&hasher).await;
        let mut waiting = Vec::new();
        for i in 0..QUEUE_PER_WORKER + 3 {
            let mut job = Box::pin(hasher.run(move |_| i));
            assert!(
                tokio::time::timeout(Duration::ZERO, &mut job)
                    .await
                    .is_err()
            );
            waiting.push(job);
        }
        assert_eq!(
            hasher.queued(),
            QUEUE_PER_WORKER,
            "the rest wait for a place"
        );
        release.send(()).expect("release");
        holder.await.expect("the holder finishes");
        for (i, job) in waiting.into_iter().enumerate() {
            assert_eq!(job.await.expect("runs"), i, "in arrival order");
        }
        assert_eq!(hasher.peak_in_flight(), 1);
        assert_eq!(hasher.in_flight(), 0);
    }

    #[tokio::test]
    async fn a_panicking_hash_is_an_error_and_the_worker_lives_on() {
        let hasher = PasswordHasher::new(1);
        let failed = hasher.run(|_| -> usize { panic!("a hasher bug") }).await;
        assert!(failed.is_err());
        assert_eq!(hasher.in_flight(), 0);
        assert_eq!(hasher.run(|_| 1).await.expect("the worker still runs"), 1);
    }

    #[tokio::test]
    async fn workers_keep_their_memory_between_hashes() {
        let hasher = PasswordHasher::new(1);
        let encoded = hasher.hash("kV7#mountain-Lamp".into()).await.expect("hash");
        let kept = hasher
            .run(|scratch| scratch.allocated_bytes())
            .await
            .expect("runs");
        assert_eq!(kept, 19_456 * 1024, "the worker kept argon2's memory");
        let verdict = hasher
            .verify("kV7#mountain-Lamp".into(), encoded)
            .await
            .expect("verify");
        assert!(verdict.is_valid());
        hasher.dummy_verify("x".into()).await.expect("dummy");
        let still = hasher
            .run(|scratch| scratch.allocated_bytes())
            .await
            .expect("runs");
        assert_eq!(still, kept, "and reused it");
    }
}
