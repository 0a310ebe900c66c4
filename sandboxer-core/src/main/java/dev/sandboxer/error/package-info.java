/**
 * The typed failures of Sandboxer. All are unchecked and extend {@link dev.sandboxer.error.SandboxerException}.
 */
@NullMarked
package dev.sandboxer.error;

import org.jspecify.annotations.NullMarked;
