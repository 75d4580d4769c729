/**
 * Licensor's kit for hosts' tests: {@link dev.licensor.testkit.MutableClock},
 * {@link dev.licensor.testkit.TestLicensors} (an engine on the memory store in one line) and
 * {@link dev.licensor.testkit.LicensorExtension} (a fresh engine for each JUnit 5 test).
 */
module dev.licensor.testkit {
    requires transitive dev.licensor.core;
    requires transitive dev.licensor.store.memory;
    requires transitive org.junit.jupiter.api;

    exports dev.licensor.testkit;
}
