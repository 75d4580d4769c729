/**
 * The SQL layer every relational Licensor store shares, on Jdbi: {@link dev.licensor.store.jdbc.Statements}
 * (every statement once), the row mappers, {@link dev.licensor.store.jdbc.JdbcTransaction} (the
 * {@link dev.licensor.store.StoreTransaction} over cached prepared statements),
 * {@link dev.licensor.store.jdbc.Units} (begin, run, commit, translate errors),
 * {@link dev.licensor.store.jdbc.Migrations} and {@link dev.licensor.store.jdbc.Schema}. A store
 * module adds a {@link dev.licensor.store.jdbc.Dialect} and what is its database's alone
 * (opening, connection pooling, settings, backup). See {@code docs/store-spi.md}.
 */
package dev.licensor.store.jdbc;
