-- django-rest-knox's per-device tokens (knox.AuthToken, table `knox_authtoken`, the columns of
-- knox 5.x so a Django project's table reads the same): each token is stored as knox stores it,
-- the SHA-512 hex digest of the whole token and its first 15 characters (`token_key`, the
-- lookup index); never the token itself. `expiry` NULL: a token that never expires
-- (`TOKEN_TTL = None`). Timestamps in the storage format of every other table.
CREATE TABLE knox_authtoken (
    digest VARCHAR(128) NOT NULL PRIMARY KEY,
    token_key VARCHAR(25) NOT NULL,
    user_id INTEGER NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
    created DATETIME NOT NULL,
    expiry DATETIME NULL
);

CREATE INDEX knox_authtoken_token_key ON knox_authtoken (token_key);
CREATE INDEX knox_authtoken_user_id ON knox_authtoken (user_id);
