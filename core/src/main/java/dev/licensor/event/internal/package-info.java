/**
 * How change events are collected inside a unit of work and published after it commits. Not API:
 * not exported by the module.
 */
package dev.licensor.event.internal;
