/**
 * Licensor's engine: the domain, every licensing rule, outcome codes, change events, the ledger
 * and the {@link dev.licensor.store.LicenseStore} SPI that stores implement. Start at
 * {@link dev.licensor.Licensor}. The engine's implementation is package-private in {@code dev.licensor}.
 */
module dev.licensor.core {
    requires org.slf4j;
    requires dev.licensor.json;
    requires com.github.benmanes.caffeine;
    // annotations only (docs/engine.md, "Nullness and return values"): nothing needs them at run
    // time; transitive so that a module reading core sees the annotations on its API (as Caffeine)
    requires static transitive org.jspecify;
    requires static transitive com.google.errorprone.annotations;

    exports dev.licensor;
    exports dev.licensor.catalog;
    exports dev.licensor.clients;
    exports dev.licensor.event;
    exports dev.licensor.floating;
    exports dev.licensor.ledger;
    exports dev.licensor.lookup;
    exports dev.licensor.outcome;
    exports dev.licensor.policy;
    exports dev.licensor.report;
    exports dev.licensor.store;
    exports dev.licensor.token;
}
