package dev.buildcast.job;

/**
 * A job's input file as people know it, so its page can tell jobs apart.
 *
 * @param name the file name the uploader gave (for people; never used as a path), or null when unknown
 * @param size bytes
 */
public record JobInput(String name, long size) {}
