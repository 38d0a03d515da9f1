-- Announce every change that can change how a request authenticates, whoever makes it
-- (another Portcullis instance, the command line, Django's admin on the same database): each
-- instance keeps what it read to authenticate requests for a moment (store/auth_cache/) and
-- LISTENs on `portcullis_auth` to forget a user as soon as its row, its DRF token or its JWT
-- epoch changes. The payload is the user's id; `*` when a table is emptied. Notifications are
-- sent when the transaction commits, once per distinct payload. PostgreSQL only: SQLite serves
-- one instance, which sees its own writes.
CREATE FUNCTION portcullis_auth_notify() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('portcullis_auth', '*');
    ELSIF TG_TABLE_NAME = 'auth_user' THEN
        PERFORM pg_notify('portcullis_auth', OLD.id::text);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('portcullis_auth', OLD.user_id::text);
    ELSE
        PERFORM pg_notify('portcullis_auth', NEW.user_id::text);
        IF TG_OP = 'UPDATE' AND OLD.user_id IS DISTINCT FROM NEW.user_id THEN
            PERFORM pg_notify('portcullis_auth', OLD.user_id::text);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A user's row: deactivation, password, username, is_staff/is_superuser, deletion.
CREATE TRIGGER auth_user_announce
AFTER UPDATE OR DELETE ON auth_user
FOR EACH ROW EXECUTE FUNCTION portcullis_auth_notify();

CREATE TRIGGER auth_user_announce_truncate
AFTER TRUNCATE ON auth_user
FOR EACH STATEMENT EXECUTE FUNCTION portcullis_auth_notify();

-- A DRF token deleted (logout) or replaced.
CREATE TRIGGER authtoken_token_announce
AFTER INSERT OR UPDATE OR DELETE ON authtoken_token
FOR EACH ROW EXECUTE FUNCTION portcullis_auth_notify();

CREATE TRIGGER authtoken_token_announce_truncate
AFTER TRUNCATE ON authtoken_token
FOR EACH STATEMENT EXECUTE FUNCTION portcullis_auth_notify();

-- A JWT revocation epoch moved on (logout_all, a password change, a deactivation).
CREATE TRIGGER jwt_user_epoch_announce
AFTER INSERT OR UPDATE OR DELETE ON jwt_user_epoch
FOR EACH ROW EXECUTE FUNCTION portcullis_auth_notify();

CREATE TRIGGER jwt_user_epoch_announce_truncate
AFTER TRUNCATE ON jwt_user_epoch
FOR EACH STATEMENT EXECUTE FUNCTION portcullis_auth_notify();
