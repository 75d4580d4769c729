/**
 * A sample host on the module path: it needs only the SQLite store (which brings core) and the
 * Micrometer binder.
 */
module dev.licensor.sample {
    requires dev.licensor.store.sqlite;
    requires dev.licensor.micrometer;
}
