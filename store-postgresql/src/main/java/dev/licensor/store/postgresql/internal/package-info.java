/** Internals of the PostgreSQL store: not API, may change in any release. */
package dev.licensor.store.postgresql.internal;
