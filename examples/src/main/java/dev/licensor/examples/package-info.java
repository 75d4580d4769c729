/**
 * Runnable examples of embedding Licensor.
 */
package dev.licensor.examples;
