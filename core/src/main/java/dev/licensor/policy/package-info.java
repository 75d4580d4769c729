/**
 * Seat policies of a floating pool: {@link dev.licensor.policy.PoolPolicy} (RESERVE, MAX, INCLUDE,
 * EXCLUDE, BORROW_LOWWATER, MAX_BORROW, QUEUE, OVERDRAFT), leasing strategies, user and host
 * groups, and the usage report. The rules that apply them live in the engine, once. See
 * {@code docs/policies.md}.
 */
package dev.licensor.policy;
