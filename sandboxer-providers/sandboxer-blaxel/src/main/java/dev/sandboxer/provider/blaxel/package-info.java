/**
 * The Blaxel provider: the control plane ({@code api.blaxel.ai/v0}) for sandboxes and previews, and each sandbox's
 * sandbox-api (at the sandbox's {@code metadata.url}) for commands and files.
 */
@NullMarked
package dev.sandboxer.provider.blaxel;

import org.jspecify.annotations.NullMarked;
