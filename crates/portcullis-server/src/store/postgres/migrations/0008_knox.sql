-- django-rest-knox's per-device tokens (knox.AuthToken, table `knox_authtoken`, the columns of
-- knox 5.x): each token is stored as knox stores it, the SHA-512 hex digest of the whole token
-- and its first 15 characters (`token_key`, the lookup index); never the token itself.
-- `expiry` NULL: a token that never expires (`TOKEN_TTL = None`). Timestamps in the storage
-- format of every other table.
CREATE TABLE knox_authtoken (
    digest VARCHAR(128) NOT NULL PRIMARY KEY,
    token_key VARCHAR(25) NOT NULL,
    user_id BIGINT NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
    created TEXT NOT NULL,
    expiry TEXT NULL
);

CREATE INDEX knox_authtoken_token_key ON knox_authtoken (token_key);
CREATE INDEX knox_authtoken_user_id ON knox_authtoken (user_id);

-- A knox token created, renewed or deleted changes how a request authenticates: announced as
-- the other token tables are (migration 0005), so every instance's authentication cache forgets
-- the user.
CREATE TRIGGER knox_authtoken_announce
AFTER INSERT OR UPDATE OR DELETE ON knox_authtoken
FOR EACH ROW EXECUTE FUNCTION portcullis_auth_notify();

CREATE TRIGGER knox_authtoken_announce_truncate
AFTER TRUNCATE ON knox_authtoken
FOR EACH STATEMENT EXECUTE FUNCTION portcullis_auth_notify();
