/**
 * The built-in {@code open-event-site} generator's parts: unpacking an Open Event export zip
 * safely, reading and normalising its two schema generations into one model, downloading remote images
 * when the operator allows it (behind an address check), copying images and
 * making their thumbnails, rendering the static site's pages in the chosen language (labels in
 * {@code labels_<language>.properties}), writing its iCalendar files and packaging the site as a
 * reproducible artifact.
 *
 * <p>The entry point is {@link OpenEventSiteGenerator}; everything here is
 * package-private unless a test or that entry point needs it.
 */
package dev.buildcast.generator.openevent;
