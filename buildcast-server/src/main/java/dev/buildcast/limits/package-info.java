/**
 * What one client may use: {@link dev.buildcast.limits.RateLimiter} counts actions per client
 * address in a sliding window (jobs started, and later uploads), {@link
 * dev.buildcast.limits.ClientAddress} names the client.
 */
package dev.buildcast.limits;
