/**
 * Grants taken away once, as the superuser, before the first data-directory dump every engine
 * child then starts from: PUBLIC (so every dataset role) may not change settings through
 * set_config or pg_settings, and may not call the functions that reach files, large objects on
 * the server, other sessions, sleep, or run SQL from a string. The policy refuses these too; this
 * is the engine's own refusal if the policy ever has a hole.
 */
export const hardeningSql = `
REVOKE UPDATE ON pg_catalog.pg_settings FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $harden$
DECLARE f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
    WHERE p.pronamespace = 'pg_catalog'::regnamespace
      AND p.proname ~ '^(set_config|lo_|loread|lowrite|pg_read_|pg_ls_|pg_stat_file|pg_file_|pg_sleep|dblink|query_to_xml|query_to_xmlschema|query_to_xml_and_xmlschema|cursor_to_xml|cursor_to_xmlschema|database_to_xml|schema_to_xml|ts_stat|ts_rewrite|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_promote|pg_notify|pg_log_backend_memory_contexts|pg_import_system_collations|pg_create_|pg_drop_replication_slot|pg_copy_|pg_replication_|pg_logical_|pg_backup_|pg_switch_wal)'
  LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
  END LOOP;
END
$harden$;
`;

/**
 * Run once each, after the hardening, before the dump: the template databases go (attempts run in
 * \`postgres\`, and no learner may create a database), and a checkpoint lets the WAL they wrote go.
 * What is left is about 10 MB (from 40) in every child's memory.
 */
export const templateTrim = [
  "ALTER DATABASE template1 IS_TEMPLATE false",
  "DROP DATABASE template1",
  "ALTER DATABASE template0 IS_TEMPLATE false",
  "DROP DATABASE template0",
  "CHECKPOINT",
];
