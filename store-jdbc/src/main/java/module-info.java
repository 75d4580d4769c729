/**
 * The SQL layer every relational store shares: schema, statements, migrations, row mappers and
 * the {@link dev.licensor.store.jdbc.Dialect} a database implements.
 */
module dev.licensor.store.jdbc {
    requires transitive dev.licensor.core;
    requires transitive java.sql;
    requires transitive org.jdbi.v3.core;
    // Jdbi is an automatic module and cannot say that it needs geantyref (a named module).
    requires io.leangen.geantyref;
    requires org.slf4j;

    exports dev.licensor.store.jdbc;
}
