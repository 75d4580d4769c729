/**
 * A durable {@link dev.licensor.store.LicenseStore} in one SQLite file, safe for several threads
 * and several processes: {@link dev.licensor.store.sqlite.SqliteLicenseStore}.
 */
package dev.licensor.store.sqlite;
