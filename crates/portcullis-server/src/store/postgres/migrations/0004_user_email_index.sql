-- djoser's LOGIN_FIELD = "email" looks every login up by the email (not unique on Django's
-- User): without an index each login would scan auth_user.
CREATE INDEX IF NOT EXISTS auth_user_email ON auth_user (email);
