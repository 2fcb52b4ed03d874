package dev.buildcast.job;

/**
 * A file a job left in its output folder.
 *
 * @param name the file's path relative to the output folder, with '/' separators
 * @param size its size in bytes
 */
public record Artifact(String name, long size) {}
