/**
 * Auto-configuration of Sandboxer: properties, one {@code Sandboxer} and one {@code AsyncSandboxer} bean per
 * configured provider, and the {@link dev.sandboxer.autoconfigure.Sandboxers} registry that owns them.
 */
@NullMarked
package dev.sandboxer.autoconfigure;

import org.jspecify.annotations.NullMarked;
