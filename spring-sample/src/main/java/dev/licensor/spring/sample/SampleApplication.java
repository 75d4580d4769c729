package dev.licensor.spring.sample;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring Boot application serving seats through licensor-spring-boot-starter. With no
 * configuration it keeps its licenses in {@code licensor.db} (SQLite); with the standard
 * {@code spring.datasource.url/username/password} of a PostgreSQL database it uses that database
 * (schema {@code licensor}), which several instances can share.
 */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
public class SampleApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /**
     * A pooled DataSource from the standard {@code spring.datasource.*} properties, only when a URL is
     * configured: without one Boot's own DataSource would refuse to start, and the starter then
     * picks SQLite.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DataSourceProperties.class)
    static class Database {
        @Bean
        @ConditionalOnProperty("spring.datasource.url")
        HikariDataSource dataSource(DataSourceProperties properties) {
            return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        }
    }
}
