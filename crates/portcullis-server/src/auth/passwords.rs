//! Password hashing and verification on blocking threads, bounded by a semaphore so that a flood
//! of logins cannot take every core from authenticated reads.

use std::sync::Arc;

use portcullis_passwords::Verification;
use tokio::sync::Semaphore;

#[derive(Clone, Debug)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> PasswordHasher {
        PasswordHasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await?;
        Ok(tokio::task::spawn_blocking(work).await?)
    }

    /// Hash a new password with the current default hasher.
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        self.run(move || portcullis_passwords::make_password(&password))
            .await
    }

    /// Verify against a stored hash.
    pub async fn verify(&self, password: String, encoded: String) -> anyhow::Result<Verification> {
        self.run(move || portcullis_passwords::check_password(&password, &encoded))
            .await
    }

    /// Spend the time of one verification for a user that does not exist (Django's
    /// ModelBackend does the same), so response time does not reveal which usernames exist.
    pub async fn dummy_verify(&self, password: String) -> anyhow::Result<()> {
        self.run(move || portcullis_passwords::dummy_verify(&password))
            .await
    }
}
