/**
 * A {@link dev.licensor.store.LicenseStore} on a PostgreSQL server that many hosts share:
 * {@link dev.licensor.store.postgresql.PostgresLicenseStore}. The {@code internal} package is not exported.
 */
module dev.licensor.store.postgresql {
    requires transitive dev.licensor.core;
    requires dev.licensor.store.jdbc;
    requires transitive java.sql;
    requires org.jdbi.v3.core;
    // Jdbi is an automatic module, so it cannot say that it needs geantyref (a named module):
    // required here so a host on the module path needs no --add-modules.
    requires io.leangen.geantyref;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports dev.licensor.store.postgresql;
}
