package dev.buildcast.generator.openevent;

/**
 * A speaker. Optional values are {@code null}; biographies are sanitised HTML.
 *
 * @param website an http(s) address, or {@code null}
 */
public record Speaker(
    String id,
    String name,
    String organisation,
    String position,
    String country,
    SiteMedia photo,
    String shortBiographyHtml,
    String longBiographyHtml,
    String website) {}
