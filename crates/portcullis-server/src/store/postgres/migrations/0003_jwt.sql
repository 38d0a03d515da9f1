-- JWT revocation state (see auth/jwt/revoke.rs), as SQLite's 0003.
--
-- Refresh tokens are recorded by their `jti` and expiry only, never the token itself (simplejwt
-- stores whole tokens in `token_blacklist_outstandingtoken`): one row per issued refresh token,
-- `blacklisted_at` set once it may not be used again. Rows of expired tokens are purged in
-- small batches (a token past its `exp` is refused whatever its row says).
CREATE TABLE jwt_refresh_token (
    jti VARCHAR(255) NOT NULL PRIMARY KEY,
    user_id BIGINT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    -- `exp`, in seconds since the Unix epoch.
    expires_at BIGINT NOT NULL,
    blacklisted_at TEXT NULL
);

CREATE INDEX jwt_refresh_token_expires_at ON jwt_refresh_token (expires_at);
CREATE INDEX jwt_refresh_token_user ON jwt_refresh_token (user_id);

-- The per-user revocation epoch; no row is epoch 0.
CREATE TABLE jwt_user_epoch (
    user_id BIGINT NOT NULL PRIMARY KEY REFERENCES auth_user (id) ON DELETE CASCADE,
    epoch BIGINT NOT NULL
);

-- Deactivating a user revokes its tokens, whoever deactivates it (an endpoint, the command
-- line, or Django's admin on the same database), so that reactivating it later does not bring
-- old tokens back to life.
CREATE FUNCTION auth_user_deactivated_revokes_jwt() RETURNS trigger AS $$
BEGIN
    INSERT INTO jwt_user_epoch (user_id, epoch) VALUES (NEW.id, 1)
    ON CONFLICT (user_id) DO UPDATE SET epoch = jwt_user_epoch.epoch + 1;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER auth_user_deactivated_revokes_jwt
AFTER UPDATE OF is_active ON auth_user
FOR EACH ROW WHEN (OLD.is_active AND NOT NEW.is_active)
EXECUTE FUNCTION auth_user_deactivated_revokes_jwt();
