/**
 * The E2B provider: the control plane (REST, {@code X-API-Key}) and envd, the daemon inside each sandbox (Connect
 * RPC and {@code /files}, {@code X-Access-Token}). The whole wire contract of E2B lives in this package.
 * <p>
 * Sources: the control-plane OpenAPI {@code spec/openapi.yml}, envd's {@code spec/envd/envd.yaml},
 * {@code spec/envd/process/process.proto} and {@code spec/envd/filesystem/filesystem.proto} of e2b-dev/E2B at
 * commit b8029973 (specs pinned to e2b-dev/infra e19a12b8), and the official JS SDK's connection rules
 * ({@code packages/js-sdk/src/connectionConfig.ts}, {@code src/sandbox/index.ts}) at the same commit.
 */
@NullMarked
package dev.sandboxer.provider.e2b;

import org.jspecify.annotations.NullMarked;
