package dev.licensor.spring.boot;

import dev.licensor.micrometer.LicensorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the engine ({@code licensor.*}) when licensor-micrometer is present and a
 * {@link MeterRegistry} bean exists: a {@link LicensorMetrics} bean, which the starter's
 * {@code Licensor} takes as a listener and attaches to, and which Spring Boot binds to the registry.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({LicensorMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
public class LicensorMetricsAutoConfiguration {

    /** Spring's constructor. */
    public LicensorMetricsAutoConfiguration() {
    }

    /** The engine's meters. */
    @Bean
    @ConditionalOnMissingBean
    public LicensorMetrics licensorMetrics() {
        return LicensorMetrics.builder().build();
    }
}
