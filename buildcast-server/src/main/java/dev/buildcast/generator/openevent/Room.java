package dev.buildcast.generator.openevent;

/**
 * A room ("microlocation" in the export).
 *
 * @param floor the floor as the export writes it, or {@code null}
 */
public record Room(String id, String name, String floor) {}
