/**
 * JMH benchmarks of the engine on each store. Each figure is read against a floor measured in the
 * same run (a bare {@code ConcurrentHashMap}, raw sqlite-jdbc, a bare Caffeine cache), so results
 * are ratios that travel between machines. See {@code docs/performance.md} for commands and results.
 */
package dev.licensor.benchmarks;
