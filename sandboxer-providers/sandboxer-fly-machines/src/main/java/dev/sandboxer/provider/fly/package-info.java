/**
 * The Fly Machines provider: one Fly Machine is one sandbox, driven through the Machines REST API
 * ({@code https://api.machines.dev/v1/apps/{app}/machines...}, {@code Authorization: Bearer <token>}). Commands and
 * files go through the API's {@code exec} endpoint; the whole wire contract of Fly lives in this package.
 * <p>
 * Sources: the Machines OpenAPI {@code api/machines/openapi.json} of superfly/docs at commit 462dcb90, and the
 * official Go client superfly/fly-go at commit 22d6e518 ({@code flaps/}, {@code machine_types.go}) for what the
 * OpenAPI leaves open (the lease answer's shape, the error body's {@code message}).
 */
@NullMarked
package dev.sandboxer.provider.fly;

import org.jspecify.annotations.NullMarked;
