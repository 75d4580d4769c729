package dev.licensor.spring.boot;

import dev.licensor.Licensor;
import dev.licensor.event.LicensorListener;
import dev.licensor.lookup.CacheSettings;
import dev.licensor.store.LicenseStore;
import dev.licensor.token.TokenSigner;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration of a {@link Licensor} from {@link LicensorProperties}: its store
 * (memory, SQLite, or PostgreSQL on the application's {@link DataSource}), lookup cache, token
 * signer and listeners; events published as Spring application events. Every bean backs off when
 * the application defines its own of that type. Metrics and Actuator are configured apart
 * ({@link LicensorMetricsAutoConfiguration}, {@link LicensorActuatorAutoConfiguration}), so that
 * their classes are needed only when present.
 *
 * <p>The engine's time is the application's {@link Clock} bean when it has exactly one, else
 * {@link Clock#systemUTC()}. Every {@link LicensorListener} bean is added to the engine, in
 * {@code @Order} order.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@EnableConfigurationProperties(LicensorProperties.class)
public class LicensorAutoConfiguration {

    /** Spring's constructor. */
    public LicensorAutoConfiguration() {
    }

    /** The store {@code licensor.store.type} names; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public LicenseStore licensorStore(LicensorProperties properties, ObjectProvider<DataSource> dataSources,
                                      ApplicationContext context) {
        return Stores.open(properties.getStore(), dataSources::getIfUnique, context.getClassLoader());
    }

    /** The signer of {@code licensor.signer.private-key} and {@code public-key}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "licensor.signer", name = "private-key")
    public TokenSigner licensorTokenSigner(LicensorProperties properties) {
        return SignerKeys.read(properties.getSigner());
    }

    /** Publishes each change event as a Spring application event, after the store committed it. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "licensor.events", name = "enabled", matchIfMissing = true)
    public LicensorEventPublisher licensorEventPublisher(ApplicationEventPublisher publisher) {
        return new LicensorEventPublisher(publisher);
    }

    /** The engine. */
    @Bean
    @ConditionalOnMissingBean
    public Licensor licensor(LicenseStore store, LicensorProperties properties, ObjectProvider<Clock> clock,
                             ObjectProvider<TokenSigner> signer, ObjectProvider<LicensorListener> listeners) {
        Licensor.Builder builder = Licensor.builder().store(store).clock(clock.getIfUnique(Clock::systemUTC));
        LicensorProperties.Cache cache = properties.getCache();
        if (cache.getMaximumSize() > 0 && cache.getTimeToLive() != null) {
            builder.cache(CacheSettings.of(cache.getMaximumSize(), cache.getTimeToLive()));
        }
        TokenSigner tokens = signer.getIfUnique();
        if (tokens != null) {
            builder.signer(tokens);
        }
        List<LicensorListener> all = listeners.orderedStream().toList();
        all.forEach(builder::listener);
        Licensor licensor = builder.build();
        // the metrics read pools and the cache from the engine they listen to (before Boot binds them)
        all.stream().filter(MetricsSupport::isMetrics).forEach(l -> MetricsSupport.attach(l, licensor));
        return licensor;
    }
}
