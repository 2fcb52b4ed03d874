package dev.buildcast.generator.openevent;

/**
 * A labelled link to somewhere else, such as the event's social media pages.
 *
 * @param url an http(s) address, or {@code null} where only the label is known (a licence without
 *     one)
 */
public record WebLink(String label, String url) {}
