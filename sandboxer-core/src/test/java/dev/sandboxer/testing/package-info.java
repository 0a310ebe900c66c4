/**
 * Test doubles shared with the other modules through this module's test jar.
 */
package dev.sandboxer.testing;
