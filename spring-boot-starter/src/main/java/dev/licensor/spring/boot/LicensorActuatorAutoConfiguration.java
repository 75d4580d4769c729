package dev.licensor.spring.boot;

import dev.licensor.Licensor;
import dev.licensor.store.LicenseStore;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Licensor's Actuator parts when Actuator is present: the health indicator {@code licensor} (the
 * store answers a read) and the read-only endpoint {@code licensor} (pools and their holders).
 */
@AutoConfiguration(after = LicensorAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Licensor.class)
public class LicensorActuatorAutoConfiguration {

    /** Spring's constructor. */
    public LicensorActuatorAutoConfiguration() {
    }

    /** The health indicator, unless {@code management.health.licensor.enabled=false}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("licensor")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "licensorHealthIndicator")
        LicensorHealthIndicator licensorHealthIndicator(Licensor licensor, LicenseStore store) {
            return new LicensorHealthIndicator(licensor, store);
        }
    }

    /** The endpoint, when exposed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(endpoint = LicensorEndpoint.class)
    static class Endpoint {
        @Bean
        @ConditionalOnMissingBean
        LicensorEndpoint licensorEndpoint(Licensor licensor, LicensorProperties properties) {
            return new LicensorEndpoint(licensor, properties.getEndpoint().getMaxPools());
        }
    }
}
