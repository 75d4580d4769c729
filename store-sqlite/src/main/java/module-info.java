/**
 * A {@link dev.licensor.store.LicenseStore} on one SQLite file, safe across threads and processes:
 * {@link dev.licensor.store.sqlite.SqliteLicenseStore}. The {@code internal} package is not exported.
 */
module dev.licensor.store.sqlite {
    requires transitive dev.licensor.core;
    requires java.sql;
    requires org.jdbi.v3.core;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;

    exports dev.licensor.store.sqlite;
}
