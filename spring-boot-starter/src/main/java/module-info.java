/**
 * Spring Boot auto-configuration of Licensor: {@link dev.licensor.spring.boot.LicensorAutoConfiguration}
 * and its {@code licensor.*} {@link dev.licensor.spring.boot.LicensorProperties}. The stores other than
 * memory, Micrometer and Actuator are optional: present only when the application brings them.
 */
module dev.licensor.spring.boot {
    requires transitive dev.licensor.core;
    requires dev.licensor.store.memory;
    requires static dev.licensor.store.sqlite;
    requires static dev.licensor.store.postgresql;
    requires static transitive dev.licensor.micrometer;
    requires static transitive micrometer.core;
    requires transitive java.sql;
    requires transitive spring.beans;
    requires transitive spring.context;
    requires transitive spring.core;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires static transitive spring.boot.actuator;
    requires static transitive spring.boot.actuator.autoconfigure;
    requires static com.fasterxml.jackson.annotation;

    exports dev.licensor.spring.boot;
    // Spring reads the configuration classes and binds the properties reflectively
    opens dev.licensor.spring.boot to spring.core, spring.beans, spring.context;
}
