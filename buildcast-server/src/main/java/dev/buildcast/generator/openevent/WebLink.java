package dev.buildcast.generator.openevent;

/**
 * A labelled link to somewhere else, such as the event's social media pages.
 *
 * @param url an http(s) address
 */
public record WebLink(String label, String url) {}
