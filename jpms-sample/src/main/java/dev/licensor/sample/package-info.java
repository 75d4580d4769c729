/**
 * A sample host run on the module path by its test.
 */
package dev.licensor.sample;
