/**
 * JMH benchmarks of the engine on each store. Each figure is read against a floor measured in the
 * same run (a bare {@code ConcurrentHashMap}, raw sqlite-jdbc, raw JDBC on PostgreSQL, a bare
 * Caffeine cache), so results are ratios that travel between machines. {@code JvmScaling} measures
 * throughput with several JVMs on one PostgreSQL database, which JMH cannot. See
 * {@code docs/performance.md} for commands and results.
 */
package dev.licensor.benchmarks;
