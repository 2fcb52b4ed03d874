package dev.buildcast.generator.openevent;

/**
 * A track (theme) sessions belong to.
 *
 * @param color a CSS hex colour such as {@code #ff8700}, or {@code null}; checked, because it
 *     goes into a style attribute
 * @param fontColor the colour of text written on {@code color}, checked the same way, or
 *     {@code null}
 * @param descriptionHtml sanitised HTML, or {@code null}
 */
public record Track(String id, String name, String color, String fontColor, String descriptionHtml) {}
