//! Argon2id verification on a fixed pool of threads with a bounded queue. Argon2id is slow and
//! memory-hard on purpose (19 MiB and tens of milliseconds per check with the defaults), so an
//! unbounded number of checks in flight is a denial of service: a flood of guesses would queue
//! up behind each other (slowing every real sign-in) and, on a growing set of threads, keep
//! hundreds of megabytes. Here each worker owns one memory buffer for its whole life, and a
//! check that finds the queue full is refused at once (the caller answers 429).

use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
use tokio::sync::oneshot;

/// Checks running at once. Two keep a sign-in quick while an attack is going on, and bound the
/// memory to two Argon2 buffers.
pub const WORKERS: usize = 2;
/// Checks waiting for a worker; one more is refused rather than queued.
pub const QUEUE: usize = 8;

/// A configured hash, decoded once at start-up.
#[derive(Debug, Clone)]
pub struct Hash {
    params: Params,
    version: Version,
    salt: Vec<u8>,
    expected: Vec<u8>,
}

impl Hash {
    /// Decodes a PHC string that [`crate::config`] has already checked.
    pub fn parse(phc: &str) -> Result<Self, String> {
        let invalid = || "an Argon2id hash in the configuration cannot be decoded".to_string();
        let parsed = PasswordHash::new(phc).map_err(|_| invalid())?;
        let params = Params::try_from(&parsed).map_err(|_| invalid())?;
        let version = parsed
            .version
            .map_or(Ok(Version::V0x13), Version::try_from)
            .map_err(|_| invalid())?;
        let mut salt = [0u8; 64];
        let salt = parsed
            .salt
            .ok_or_else(invalid)?
            .decode_b64(&mut salt)
            .map_err(|_| invalid())?
            .to_vec();
        let expected = parsed.hash.ok_or_else(invalid)?.as_bytes().to_vec();
        Ok(Self {
            params,
            version,
            salt,
            expected,
        })
    }

    fn matches(&self, secret: &[u8], memory: &mut Vec<Block>) -> bool {
        let blocks = self.params.block_count();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        let argon = Argon2::new(Algorithm::Argon2id, self.version, self.params.clone());
        let mut out = vec![0u8; self.expected.len()];
        if argon
            .hash_password_into_with_memory(secret, &self.salt, &mut out, &mut memory[..blocks])
            .is_err()
        {
            return false;
        }
        // Constant time: every byte is compared whatever the first difference.
        let difference = out
            .iter()
            .zip(&self.expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        std::hint::black_box(difference) == 0
    }
}

struct Job {
    secret: Vec<u8>,
    hashes: Arc<[Hash]>,
    reply: oneshot::Sender<Option<usize>>,
}

/// Why a check did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// [`QUEUE`] checks are already waiting.
    Busy,
}

/// The pool. Dropping it stops the workers once their queue is empty.
pub struct Verifier {
    jobs: SyncSender<Job>,
}

impl Verifier {
    /// Starts [`WORKERS`] threads.
    pub fn start() -> Result<Self, String> {
        let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..WORKERS {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || {
                    let mut memory = Vec::new();
                    loop {
                        let job = {
                            let queue = queue.lock().unwrap_or_else(|e| e.into_inner());
                            queue.recv()
                        };
                        let Ok(job) = job else { break };
                        let mut found = None;
                        for (i, hash) in job.hashes.iter().enumerate() {
                            // Every hash is tried, so the time does not tell which one matched.
                            if hash.matches(&job.secret, &mut memory) && found.is_none() {
                                found = Some(i);
                            }
                        }
                        let _ = job.reply.send(found);
                    }
                })
                .map_err(|err| format!("cannot start the sign-in checker: {err}"))?;
        }
        Ok(Self { jobs })
    }

    /// Which of `hashes` `secret` matches, if any; refused at once when the queue is full.
    pub async fn check(
        &self,
        secret: Vec<u8>,
        hashes: Arc<[Hash]>,
    ) -> Result<Option<usize>, Refused> {
        let (reply, answer) = oneshot::channel();
        match self.jobs.try_send(Job {
            secret,
            hashes,
            reply,
        }) {
            Ok(()) => Ok(answer.await.unwrap_or(None)),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Refused::Busy),
        }
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, SaltString};

    use super::*;

    fn phc(secret: &str) -> String {
        let params = Params::new(64, 1, 1, None).expect("params");
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let salt = SaltString::encode_b64(b"unit-test-salt").expect("salt");
        argon
            .hash_password(secret.as_bytes(), &salt)
            .expect("hash")
            .to_string()
    }

    #[tokio::test]
    async fn finds_the_matching_hash_and_nothing_else() {
        let verifier = Verifier::start().expect("starts");
        let hashes: Arc<[Hash]> = [phc("one"), phc("two")]
            .iter()
            .map(|h| Hash::parse(h).expect("parses"))
            .collect();
        assert_eq!(
            verifier.check(b"two".to_vec(), hashes.clone()).await,
            Ok(Some(1))
        );
        assert_eq!(
            verifier.check(b"one".to_vec(), hashes.clone()).await,
            Ok(Some(0))
        );
        assert_eq!(verifier.check(b"three".to_vec(), hashes).await, Ok(None));
    }

    #[tokio::test]
    async fn agrees_with_the_argon2_crate_on_its_default_parameters() {
        use argon2::PasswordVerifier;
        let default = crate::auth::hash_secret("Zx4vS9rQ2mL7pT1wK8nB3cD6").expect("hash");
        let parsed = PasswordHash::new(&default).expect("phc");
        assert!(
            Argon2::default()
                .verify_password(b"Zx4vS9rQ2mL7pT1wK8nB3cD6", &parsed)
                .is_ok()
        );
        let verifier = Verifier::start().expect("starts");
        let hashes: Arc<[Hash]> = vec![Hash::parse(&default).expect("parses")].into();
        assert_eq!(
            verifier
                .check(b"Zx4vS9rQ2mL7pT1wK8nB3cD6".to_vec(), hashes)
                .await,
            Ok(Some(0))
        );
    }
}
