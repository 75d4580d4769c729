/**
 * A {@link dev.licensor.store.LicenseStore} on one SQLite file, safe across threads and processes:
 * {@link dev.licensor.store.sqlite.SqliteLicenseStore}. The {@code internal} package is not exported.
 */
module dev.licensor.store.sqlite {
    requires transitive dev.licensor.core;
    requires java.sql;
    requires org.jdbi.v3.core;
    // Jdbi is an automatic module, so it cannot say that it needs geantyref (a named module):
    // required here so a host on the module path needs no --add-modules.
    requires io.leangen.geantyref;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;

    exports dev.licensor.store.sqlite;
}
