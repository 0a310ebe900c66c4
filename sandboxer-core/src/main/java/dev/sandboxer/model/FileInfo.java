package dev.sandboxer.model;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a directory listing.
 *
 * @param name the entry's name, exactly as stored (spaces, quotes, newlines and non-ASCII kept)
 * @param path its absolute path
 * @param isDir whether it is a directory
 * @param size its size in bytes (0 for a directory when the provider does not say)
 * @param mode its Unix permission bits ({@code 0755}), when the provider says
 */
public record FileInfo(String name, String path, boolean isDir, long size, @Nullable Integer mode) {

}
