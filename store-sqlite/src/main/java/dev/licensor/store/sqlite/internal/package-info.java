/**
 * The SQLite store's implementation: opening and migrations, connections, SQL. Not API: may
 * change in any release.
 */
package dev.licensor.store.sqlite.internal;
