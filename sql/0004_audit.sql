-- 0004_audit.sql: the audit trail made trustworthy, and least privilege for the roles in
-- practice (issue 7). Schema v1 already refuses UPDATE, DELETE and TRUNCATE on audit (a
-- statement trigger, for every role) and gives the non-admin roles INSERT only. This adds:
--   * the server, not the client, says who and when: a row trigger sets db_role to the login
--     (session) role and `at` to the transaction's time, whatever the INSERT claimed;
--   * indexes for `rozshuk audit --who/--action`;
--   * undo only for loaders and admins: EXECUTE on batch_undo is taken from PUBLIC (functions
--     are executable by everyone unless revoked).
SET search_path = rozshuk, public;

CREATE FUNCTION audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_role := session_user;
    NEW.at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_stamp BEFORE INSERT ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_stamp();

CREATE INDEX audit_db_role_idx ON audit (db_role, at);
CREATE INDEX audit_actor_idx ON audit (actor, at) WHERE actor IS NOT NULL;
CREATE INDEX audit_action_idx ON audit (action, at);

DO $$
BEGIN
    IF to_regprocedure('rozshuk.batch_undo(bigint, boolean)') IS NOT NULL THEN
        REVOKE EXECUTE ON FUNCTION rozshuk.batch_undo(bigint, boolean) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION rozshuk.batch_undo(bigint, boolean)
            TO rozshuk_loader, rozshuk_admin;
    END IF;
END
$$;

-- Only the admin reads the trail (schema v1 grants ALL on tables to it); make it explicit
-- that nobody else does, whatever a later grant on "all tables" did.
REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON audit
    FROM rozshuk_loader, rozshuk_matcher, rozshuk_investigator;
