/**
 * The what-if replay of a pool's recorded demand. Start at {@link dev.licensor.replay.WhatIf};
 * values are immutable records. See docs/reports.md.
 */
package dev.licensor.replay;
