//! The server secret: from the configuration, or from a file that is created on first start
//! with 256 random bits and permissions that let only its owner read it. Never logged.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::token_key::fill_random;
use crate::config::Config;

/// The secret to derive keys from.
pub fn load_or_create(config: &Config) -> anyhow::Result<Vec<u8>> {
    if !config.secret_key.is_empty() {
        return Ok(config.secret_key.as_bytes().to_vec());
    }
    let path = Path::new(&config.secret_key_file);
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let secret = text.trim();
            anyhow::ensure!(
                secret.len() >= 32,
                "secret_key_file: {} holds fewer than 32 characters",
                path.display()
            );
            Ok(secret.as_bytes().to_vec())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(e) => {
            Err(e).with_context(|| format!("secret_key_file: cannot read {}", path.display()))
        }
    }
}

fn create(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = [0u8; 32];
    fill_random(&mut bytes);
    let secret = hex::encode(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("secret_key_file: cannot create {}", path.display()))?;
    file.write_all(secret.as_bytes())?;
    file.sync_all()?;
    tracing::info!(file = %path.display(), "generated a new server secret");
    Ok(secret.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_once_then_reused_and_private() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("secret");
        let config = Config {
            secret_key_file: file.to_string_lossy().into_owned(),
            ..Config::default()
        };
        let first = load_or_create(&config).expect("created");
        let second = load_or_create(&config).expect("read back");
        assert_eq!(first, second);
        assert_eq!(first.len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
