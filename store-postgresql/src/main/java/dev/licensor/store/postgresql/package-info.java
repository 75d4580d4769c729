/**
 * A {@link dev.licensor.store.LicenseStore} on a PostgreSQL server shared by many hosts:
 * {@link dev.licensor.store.postgresql.PostgresLicenseStore}.
 */
package dev.licensor.store.postgresql;
