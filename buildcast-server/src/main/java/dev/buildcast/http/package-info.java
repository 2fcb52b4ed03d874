/**
 * The HTTP edge on Jetty: the API routes, the page, log downloads with Range, the NDJSON log
 * follower, uploads over HTTP, the site preview, health and metrics; and the one place where
 * exceptions become HTTP statuses with the JSON error body ({@link
 * dev.buildcast.http.ErrorResponses}). Only the wiring uses it.
 */
package dev.buildcast.http;
