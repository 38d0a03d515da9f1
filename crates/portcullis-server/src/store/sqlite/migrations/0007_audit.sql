-- The audit log of authentication events (see audit/), and where each session was opened from
-- (GET /auth/sessions/). Neither holds a secret: no password, no token, no token digest is
-- written to `portcullis_audit`; `portcullis_session_client.reference` is the DRF token's keyed
-- digest or the refresh token's `jti`, which authenticate nothing by themselves.
--
-- `user_id` has no foreign key: the log keeps the events of a user deleted since.
CREATE TABLE portcullis_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at DATETIME NOT NULL,
    event VARCHAR(40) NOT NULL,
    user_id INTEGER NULL,
    username VARCHAR(150) NOT NULL,
    client_addr VARCHAR(64) NOT NULL,
    user_agent VARCHAR(200) NOT NULL,
    detail TEXT NOT NULL
);

CREATE INDEX portcullis_audit_at ON portcullis_audit (at);
CREATE INDEX portcullis_audit_user ON portcullis_audit (user_id, id);
CREATE INDEX portcullis_audit_event ON portcullis_audit (event, id);

-- One row per issued DRF token or refresh token: the client it was issued to, and when it was
-- last used (updated at most once a minute). Rows whose session is gone are purged with the
-- old audit rows.
CREATE TABLE portcullis_session_client (
    kind VARCHAR(8) NOT NULL,
    reference VARCHAR(255) NOT NULL,
    user_id INTEGER NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL,
    client_addr VARCHAR(64) NOT NULL,
    user_agent VARCHAR(200) NOT NULL,
    last_used_at DATETIME NULL,
    -- A refresh token's JWT revocation epoch when issued (see auth/jwt/revoke.rs): once the
    -- user's epoch moves on, the session is over whether or not it was blacklisted.
    epoch INTEGER NOT NULL,
    PRIMARY KEY (kind, reference)
);

CREATE INDEX portcullis_session_client_user ON portcullis_session_client (user_id);
